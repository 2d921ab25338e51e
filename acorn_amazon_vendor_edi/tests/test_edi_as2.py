"""EDIFACT over AS2: files leave as signed and encrypted AS2 messages whose signed MDN is
checked; Amazon's messages are decrypted and verified before they are read, and answered with a
signed MDN; a message not signed by Amazon is refused."""
import base64
import datetime

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

    def _orders(self, number, control):
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], 40)
        order_json = self._po(number, [(item, 4, "Eaches", 1)])
        envelope = Envelope(sender_qualifier="ZZZ", sender_id=AMAZON_ID,
                            receiver_qualifier="ZZZ", receiver_id=OUR_ID,
                            interchange_control=control, group_control=control, test=True)
        return codecs.MODULES["edifact"].write_purchase_orders([order_json], envelope)

    def test_an_asynchronous_receipt_is_posted_later_and_retried(self):
        headers, body, message_id, mic = as2.build_message(
            self._orders("AS2PO002", 78), "orders.edi", AMAZON_ID, OUR_ID,
            self.amazon.key_pem, self.amazon.cert_pem, self.ours.cert_pem,
            receipt_url=self.server.mdn_url)
        self.assertEqual(self.account._edi_receive_as2(headers, body), ({}, b""),
                         "nothing in the HTTP answer: the MDN comes later")
        self.assertTrue(self.env["sale.order"].search([("client_order_ref", "=", "AS2PO002")]))
        interchange = self.env["amazon.vendor.edi.interchange"].search(
            [("account_id", "=", self.account.id), ("direction", "=", "in")], limit=1)
        self.assertEqual((interchange.mdn_state, interchange.mdn_url),
                         ("pending", self.server.mdn_url))
        cron = self.env.ref("acorn_amazon_vendor_edi.ir_cron_edi_async_mdn")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        # Amazon's side is down: kept, tried again by the next run
        self.server.requested_port = self.server.port  # back on the same address
        self.server.stop()
        self.addCleanup(self.server.start)
        Interchange = self.env["amazon.vendor.edi.interchange"]
        Interchange._cron_edi_send_async_mdns()
        self.assertEqual((interchange.mdn_state, interchange.mdn_attempts), ("pending", 1))
        self.assertIn("cannot be reached", interchange.mdn_error)
        self.server.start()
        Interchange._cron_edi_send_async_mdns()
        self.assertEqual(interchange.mdn_attempts, 1, "a failed post waits before the next")
        interchange.mdn_next_try = interchange.mdn_next_try - datetime.timedelta(minutes=15)
        Interchange._cron_edi_send_async_mdns()
        self.assertEqual((interchange.mdn_state, interchange.mdn_error), ("sent", False))
        [mdn] = self.server.async_mdns
        self.assertTrue(mdn.ok and mdn.signed, mdn.text)
        self.assertEqual(mdn.original_message_id, message_id)
        self.assertTrue(as2.mics_equal(mdn.mic, mic), "it confirms what Amazon sent")

    def test_a_receipt_never_taken_is_said_after_the_last_attempt(self):
        headers, body, _message_id, _mic = as2.build_message(
            self._orders("AS2PO003", 79), "orders.edi", AMAZON_ID, OUR_ID,
            self.amazon.key_pem, self.amazon.cert_pem, self.ours.cert_pem,
            receipt_url="http://127.0.0.1:9/as2/mdn")  # nobody listens there
        self.account._edi_receive_as2(headers, body)
        interchange = self.env["amazon.vendor.edi.interchange"].search(
            [("account_id", "=", self.account.id), ("direction", "=", "in")], limit=1)
        interchange.mdn_attempts = 9
        self.env["amazon.vendor.edi.interchange"]._cron_edi_send_async_mdns()
        self.assertEqual((interchange.mdn_state, interchange.mdn_attempts), ("failed", 10))
        self.assertFalse(self.server.async_mdns)
        self.assertIn("could not be delivered", " ".join(interchange.activity_ids.mapped(
            "summary")), "people are told")

    def test_a_refused_message_never_calls_the_address_it_gives(self):
        stranger = make_test_identity("Not Amazon")
        headers, body, _message_id, _mic = as2.build_message(
            b"UNA:+.? 'UNB+UNOC:3+X:ZZZ+Y:ZZZ+261130:0900+1'", "x.edi", AMAZON_ID, OUR_ID,
            stranger.key_pem, stranger.cert_pem, self.ours.cert_pem,
            receipt_url=self.server.mdn_url)
        mdn_headers, mdn_body = self.account._edi_receive_as2(headers, body)
        self.assertFalse(as2.read_mdn(mdn_headers, mdn_body, self.ours.cert_pem).ok,
                         "the refusal goes back in the HTTP answer")
        self.assertFalse(self.env["amazon.vendor.edi.interchange"].search(
            [("mdn_state", "!=", False)]))
        self.assertFalse(self.server.async_mdns)

    def test_an_address_on_another_host_gets_the_receipt_in_the_answer(self):
        # Receipt-Delivery-Option is not covered by Amazon's signature: only Amazon's host
        headers, body, message_id, _mic = as2.build_message(
            self._orders("AS2PO004", 80), "orders.edi", AMAZON_ID, OUR_ID,
            self.amazon.key_pem, self.amazon.cert_pem, self.ours.cert_pem,
            receipt_url="http://169.254.169.254/latest/meta-data")
        mdn = as2.read_mdn(*self.account._edi_receive_as2(headers, body), self.ours.cert_pem)
        self.assertTrue(mdn.ok and mdn.original_message_id == message_id)
        self.assertFalse(self.env["amazon.vendor.edi.interchange"].search(
            [("mdn_state", "!=", False)]))

    def test_a_receipt_whose_stored_message_is_unreadable_counts_as_a_failed_attempt(self):
        headers, body, _message_id, _mic = as2.build_message(
            self._orders("AS2PO005", 81), "orders.edi", AMAZON_ID, OUR_ID,
            self.amazon.key_pem, self.amazon.cert_pem, self.ours.cert_pem,
            receipt_url=self.server.mdn_url)
        self.account._edi_receive_as2(headers, body)
        interchange = self.env["amazon.vendor.edi.interchange"].search(
            [("mdn_state", "=", "pending")])
        interchange.sudo().mdn_message = base64.b64encode(b"not json")
        self.env["amazon.vendor.edi.interchange"]._cron_edi_send_async_mdns()
        self.assertEqual((interchange.mdn_state, interchange.mdn_attempts), ("pending", 1))
        self.assertTrue(interchange.mdn_error)

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
