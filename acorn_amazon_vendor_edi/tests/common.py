"""An account that exchanges every document over EDI with a loopback SFTP server playing
Amazon's side, and helpers for Amazon's files (written and read with the codecs)."""
import datetime
import os
import shutil
import tempfile

from odoo.addons.acorn_amazon_vendor.tests.test_asn import ShipmentCase

from ..lib import codecs
from ..lib.envelope import Envelope
from ..lib.transport import LoopbackSftpServer, make_ssh_key

AMAZON_ID = "AMAZONTEST"
OUR_ID = "ACORNVENDOR"


class EdiCase(ShipmentCase):
    standard = "x12"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sftp_root = tempfile.mkdtemp(prefix="acorn-edi-")
        cls.addClassCleanup(shutil.rmtree, cls.sftp_root, True)
        private_key, public_line = make_ssh_key()
        host_key, _host_public = make_ssh_key()
        cls.server = LoopbackSftpServer(cls.sftp_root, public_line, host_key,
                                        username="acorn").start()
        cls.addClassCleanup(cls.server.stop)
        cls.account.sudo().write({
            "edi_channel_orders": "edi", "edi_channel_acknowledgement": "edi",
            "edi_channel_shipment": "edi", "edi_channel_invoice": "edi",
            "edi_standard": cls.standard, "edi_transport": "sftp",
            "edi_our_qualifier": "ZZ" if cls.standard == "x12" else "ZZZ",
            "edi_our_id": OUR_ID,
            "edi_amazon_qualifier": "ZZ" if cls.standard == "x12" else "ZZZ",
            "edi_amazon_test_id": AMAZON_ID,
            "edi_sftp_host": "127.0.0.1", "edi_sftp_port": cls.server.port,
            "edi_sftp_host_key": cls.server.host_key_fingerprint,
            "edi_sftp_username": "acorn", "edi_sftp_private_key": private_key})
        cls.amazon_control = 500

    def setUp(self):
        super().setUp()
        for folder in (self.server.upload_path("acorn"), self.server.download_path("acorn")):
            for name in os.listdir(folder):
                os.unlink(os.path.join(folder, name))

    def _ack(self, number):
        return self.env["amazon.vendor.document"].search(
            [("kind", "=", "acknowledgement"), ("external_id", "=", number)])

    # -- Amazon's side ----------------------------------------------------------------------
    def amazon_envelope(self):
        type(self).amazon_control += 1
        qualifier = "ZZ" if self.standard == "x12" else "ZZZ"
        return Envelope(sender_qualifier=qualifier, sender_id=AMAZON_ID,
                        receiver_qualifier=qualifier, receiver_id=OUR_ID,
                        interchange_control=self.amazon_control,
                        group_control=self.amazon_control, test=True,
                        prepared_at=datetime.datetime(2026, 11, 30, 9, 0))

    def amazon_sends(self, data, name=None):
        name = name or f"amazon_{self.amazon_control:09d}.edi"
        self.server.deliver(name, data, username="acorn")
        return name

    def amazon_sends_orders(self, orders):
        module = codecs.MODULES[self.standard]
        return self.amazon_sends(module.write_purchase_orders(orders, self.amazon_envelope()))

    def uploaded(self):
        """{name: bytes} of what Odoo left for Amazon."""
        folder = self.server.upload_path("acorn")
        files = {}
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), "rb") as handle:
                files[name] = handle.read()
        return files

    def take_uploaded(self, message_type):
        """Amazon picks up (and removes) the files of one message type."""
        folder = self.server.upload_path("acorn")
        taken = []
        for name, data in self.uploaded().items():
            if f"_{message_type}_" in name:
                taken.append(data)
                os.unlink(os.path.join(folder, name))
        return taken
