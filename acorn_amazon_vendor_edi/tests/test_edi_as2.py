"""EDIFACT over AS2: files leave as signed and encrypted AS2 messages whose signed MDN is
checked; Amazon's messages are decrypted and verified before they are read, and answered with a
signed MDN; a message not signed by Amazon is refused."""
from odoo.addons.acorn_amazon_vendor.tests.test_asn import ShipmentCase
from odoo.tests import tagged

from ..lib import codecs
from ..lib.envelope import Envelope
from ..lib.transport import LoopbackAs2Server, as2, make_test_identity

OUR_ID, AMAZON_ID = "ACORNEU", "AMAZONEU"


@tagged("post_install", "-at_install")
class TestEdiOverAs2(ShipmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ours = make_test_identity("ACORN vendor")
        cls.amazon = make_test_identity("Amazon EDI")
        cls.amazon_got = []
        cls.server = LoopbackAs2Server(
            lambda payload, filename, headers: cls.amazon_got.append((filename, payload)),
            cls.amazon.key_pem, cls.amazon.cert_pem, cls.ours.cert_pem,
            as2_id=AMAZON_ID, partner_as2_id=OUR_ID).start()
        cls.addClassCleanup(cls.server.stop)
        cls.account.sudo().write({
            "edi_channel_orders": "edi", "edi_channel_acknowledgement": "edi",
            "edi_standard": "edifact", "edi_transport": "as2",
            "edi_our_qualifier": "ZZZ", "edi_our_id": OUR_ID, "edi_amazon_qualifier": "ZZZ",
            "edi_amazon_test_id": AMAZON_ID, "edi_as2_url": cls.server.url,
            "edi_as2_our_id": OUR_ID, "edi_as2_amazon_id": AMAZON_ID,
            "edi_as2_private_key": cls.ours.key_pem, "edi_as2_certificate": cls.ours.cert_pem,
            "edi_as2_partner_certificate": cls.amazon.cert_pem})

    def setUp(self):
        super().setUp()
        self.amazon_got.clear()

    def _from_amazon(self, data, filename="orders.edi", signer=None):
        signer = signer or self.amazon
        headers, body, _message_id, _mic = as2.build_message(
            data, filename, AMAZON_ID, OUR_ID, signer.key_pem, signer.cert_pem,
            self.ours.cert_pem)
        mdn_headers, mdn_body = self.account._edi_receive_as2(headers, body)
        return as2.read_mdn(mdn_headers, mdn_body, self.ours.cert_pem)

    def test_orders_in_and_acknowledgement_out_over_as2(self):
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], 40)
        order_json = self._po("AS2PO001", [(item, 4, "Eaches", 1)])
        envelope = Envelope(sender_qualifier="ZZZ", sender_id=AMAZON_ID,
                            receiver_qualifier="ZZZ", receiver_id=OUR_ID,
                            interchange_control=77, group_control=77, test=True)
        mdn = self._from_amazon(codecs.MODULES["edifact"].write_purchase_orders(
            [order_json], envelope))
        self.assertTrue(mdn.ok, mdn.text)
        self.assertTrue(mdn.signed, "our receipt is signed")
        order = self.env["sale.order"].search([("client_order_ref", "=", "AS2PO001")])
        self.assertTrue(order, "the ORDERS became a quotation")
        # Our CONTRL went back to Amazon over AS2, verified by Amazon's side.
        self.assertEqual(len(self.amazon_got), 1)
        self.assertTrue(codecs.read_answers("edifact", self.amazon_got[0][1])[0].accepted)
        order.action_amazon_vendor_propose()
        order.action_confirm()
        doc = self.env["amazon.vendor.document"].search(
            [("kind", "=", "acknowledgement"), ("external_id", "=", "AS2PO001")])
        doc._send_to_amazon()
        self.assertEqual(doc.state, "sent", doc.error_message)
        filename, payload = self.amazon_got[-1]
        self.assertIn("ORDRSP", filename)
        parsed = codecs.MODULES["edifact"].read_acknowledgement(payload)
        self.assertEqual(parsed.documents[0]["purchaseOrderNumber"], "AS2PO001")

    def test_a_message_not_signed_by_amazon_is_refused(self):
        stranger = make_test_identity("Not Amazon")
        mdn = self._from_amazon(b"UNA:+.? 'UNB+UNOC:3+X:ZZZ+Y:ZZZ+261130:0900+1'",
                                signer=stranger)
        self.assertFalse(mdn.ok)
        self.assertFalse(self.env["amazon.vendor.edi.interchange"].search(
            [("account_id", "=", self.account.id), ("direction", "=", "in")]),
            "nothing from a stranger is kept or read")

    def test_connection_test_sends_a_message_and_checks_the_receipt(self):
        self.account.action_test_edi_connection()
        self.assertIn("MDN", self.account.edi_connection_message)
        self.assertEqual(len(self.amazon_got), 1)
