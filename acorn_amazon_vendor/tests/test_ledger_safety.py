"""Nothing lost, nothing duplicated: unknown outcomes are settled from Amazon's side, one bad
document never stops a batch, a document is claimed before it is sent, polling is capped, and
the ledger is only changed by the code that builds it (or a manager's explicit action)."""
import base64
import datetime
import json
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from ..models.amazon_vendor_document_exchange import MAX_POLL_ERRORS
from .test_asn import ShipmentCase


@tagged("post_install", "-at_install")
class TestLedgerSafety(ShipmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.timeout = 1  # faults hang two seconds: the client gives up after one

    def _received(self, kind):
        return self.simulator_control(f"documents?kind={kind}", method="GET")["documents"]

    def _faults(self, kind, operation, count=1, delay=2.0):
        self.simulator_control("faults", {"faults": [
            {"kind": kind, "operation": operation, "count": count, "delay": delay}]})

    def _asn(self, number="PO000001"):
        item = self._item(0)
        order = self._confirmed(number, [(item, 6, "Eaches", 1)])
        self._pack_and_validate(order.picking_ids, [[self.products[item["vendor_sku"]]]])
        doc = order.picking_ids.amazon_vendor_asn_document_id
        self.assertEqual(doc.state, "to_send", order.picking_ids.amazon_vendor_asn_issues)
        return order, doc

    def _invoice_doc(self, number="PO000002"):
        item = self._item(1)
        self._stock(self.products[item["vendor_sku"]], 60)
        order, asn = self._asn_for(number, item)
        move = order._create_invoices()
        move.action_post()
        doc = move.amazon_vendor_document_id
        self.assertEqual(doc.state, "to_send", move.amazon_vendor_issues)
        return move, doc

    def _asn_for(self, number, item):
        order = self._confirmed(number, [(item, 6, "Eaches", 1)])
        self._pack_and_validate(order.picking_ids, [[self.products[item["vendor_sku"]]]])
        asn = order.picking_ids.amazon_vendor_asn_document_id
        asn._send_to_amazon()
        self._settle(asn)
        self.assertEqual(asn.state, "accepted", asn.error_message)
        return order, asn

    def _reconcile_due(self, doc):
        self.assertTrue(doc.next_attempt_at, "a check with Amazon is scheduled")
        with freeze_time(doc.next_attempt_at + datetime.timedelta(seconds=1)):
            self.account.last_send_at = False
            self.env["amazon.vendor.document"]._cron_send_documents()

    # -- unknown outcomes -------------------------------------------------------------------
    def test_asn_whose_answer_was_lost_is_settled_by_amazons_duplicate_refusal(self):
        order, doc = self._asn()
        body = doc._get_payload("payload_out")
        self._faults("lost_reply", "SubmitShipmentConfirmations")
        doc._send_to_amazon()
        self.assertEqual(doc.state, "unknown", doc.error_message)
        self.assertIn("may have received it", doc.error_message)
        self.assertEqual(len(self._received("shipment_confirmation")), 1, "Amazon has it")
        # The send cron does not resend it blindly, and nobody can rebuild it meanwhile.
        self.account.last_send_at = False
        self.env["amazon.vendor.document"]._cron_send_documents()
        self.assertEqual(doc.state, "unknown")
        self.assertEqual(len(self._received("shipment_confirmation")), 1)
        with self.assertRaisesRegex(UserError, "may already have"):
            order.picking_ids.action_amazon_vendor_send_asn()
        # The check with Amazon repeats the identical payload once.
        self._reconcile_due(doc)
        self.assertEqual((doc.state, doc.reconciling), ("sent", True), doc.error_message)
        received = self._received("shipment_confirmation")
        self.assertEqual(len(received), 2)
        self.assertEqual(received[0]["document"], received[1]["document"])
        self.assertEqual(received[1]["document"], body, "never rebuilt")
        self._settle(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)
        self.assertTrue(doc.ever_accepted)
        self.assertIn("duplicate", " ".join(doc.message_ids.mapped("body")))
        statuses = [d["status"] for d in self._received("shipment_confirmation")]
        self.assertEqual(statuses.count("Success"), 1, "exactly one ASN at Amazon")

    def test_invoice_answered_500_after_processing_is_not_invoiced_twice(self):
        move, doc = self._invoice_doc()
        self._faults("500_after", "submitInvoices")
        doc._send_to_amazon()
        self.assertEqual(doc.state, "unknown", doc.error_message)
        with self.assertRaisesRegex(UserError, "may already have"):
            move.action_amazon_vendor_send()
        self._reconcile_due(doc)
        self._settle(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)
        invoices = self._received("invoice")
        self.assertEqual([d["status"] for d in invoices].count("Success"), 1)
        self.assertEqual(len({json.dumps(d["document"], sort_keys=True) for d in invoices}), 1)

    def test_unknown_outcome_that_never_reached_amazon_is_delivered_once(self):
        _move, doc = self._invoice_doc()
        self._faults("timeout", "submitInvoices")  # Amazon never processed this one
        doc._send_to_amazon()
        self.assertEqual(doc.state, "unknown")
        self.assertFalse(self._received("invoice"))
        self._reconcile_due(doc)
        self._settle(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)
        self.assertEqual([d["status"] for d in self._received("invoice")], ["Success"])

    def test_asn_resent_at_most_once_then_a_person_decides(self):
        order, doc = self._asn()
        self._faults("lost_reply", "SubmitShipmentConfirmations", count=2)
        doc._send_to_amazon()
        self._reconcile_due(doc)
        self.assertEqual(doc.state, "unknown", "the repeat got no answer either")
        self._reconcile_due(doc)
        self.assertEqual(doc.state, "unknown")
        self.assertFalse(doc.next_attempt_at, "no third attempt: a person checks")
        self.assertEqual(len(self._received("shipment_confirmation")), 2)
        self.assertIn("needs attention", " ".join(
            doc._linked_record().activity_ids.mapped("summary")))
        doc.action_mark_received_by_amazon()
        self.assertEqual(doc.state, "accepted")
        # The unanswered attempts no longer hold the document: a correction is a Replace.
        order.picking_ids.action_amazon_vendor_send_asn()
        self.assertEqual(doc.state, "sent", doc.error_message)
        sent = doc._get_payload("payload_out")["shipmentConfirmations"][0]
        self.assertEqual(sent["shipmentConfirmationType"], "Replace")

    def test_a_check_with_amazon_that_does_not_get_through_keeps_the_outcome_unknown(self):
        move, doc = self._invoice_doc()
        self._faults("lost_reply", "submitInvoices")
        doc._send_to_amazon()
        self.assertEqual(doc.state, "unknown")
        # Amazon is down when Odoo checks: nothing proves the first submission was lost.
        self._faults("503", "submitInvoices", count=20, delay=0)
        self._reconcile_due(doc)
        self.assertEqual(doc.state, "unknown", doc.error_message)
        self.assertIn("did not get through", doc.error_message)
        with self.assertRaisesRegex(UserError, "may already have"):
            move.action_amazon_vendor_send()
        self.simulator_control("faults/clear")
        self._reconcile_due(doc)
        self._settle(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)
        invoices = self._received("invoice")
        self.assertEqual([d["status"] for d in invoices].count("Success"), 1,
                         "invoiced once at Amazon")

    def test_a_cancelled_asn_is_corrected_and_sent_again(self):
        order, doc = self._asn()
        self._faults("timeout", "SubmitShipmentConfirmations", count=2)  # never processed
        doc._send_to_amazon()
        self._reconcile_due(doc)
        self._reconcile_due(doc)
        self.assertEqual((doc.state, doc.next_attempt_at), ("unknown", False))
        self.assertFalse(self._received("shipment_confirmation"))
        # The manager sees nothing in Vendor Central: cancel, then send from the delivery.
        doc.action_cancel()
        self.assertEqual(doc.state, "cancelled")
        order.picking_ids.action_amazon_vendor_send_asn()
        self.assertEqual(doc.state, "sent", doc.error_message)
        sent = doc._get_payload("payload_out")["shipmentConfirmations"][0]
        self.assertEqual(sent["shipmentConfirmationType"], "Original",
                         "Amazon never accepted it: an Original")
        self._settle(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)
        self.assertEqual([d["status"] for d in self._received("shipment_confirmation")],
                         ["Success"])

    def test_acknowledgement_with_unknown_outcome_settled_by_po_status(self):
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], 60)
        self._po("PO000003", [(item, 6, "Eaches", 1)])
        order = self._import().filtered(lambda o: o.client_order_ref == "PO000003")
        order.action_amazon_vendor_propose()
        # Every attempt (acknowledgements are retried) loses its answer.
        self._faults("lost_reply", "submitAcknowledgement", count=10, delay=1.5)
        order.action_confirm()
        doc = self.env["amazon.vendor.document"].search([
            ("kind", "=", "acknowledgement"), ("external_id", "=", "PO000003")])
        self.assertEqual(doc.state, "unknown", doc.error_message)
        self.simulator_control("faults/clear")
        self.simulator_control("transactions/settle")
        sent = len(self._received("acknowledgement"))
        self._reconcile_due(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)
        self.assertIn("purchase order status", " ".join(doc.message_ids.mapped("body")))
        self.assertEqual(len(self._received("acknowledgement")), sent, "no resend needed")

    # -- claims and the journal -------------------------------------------------------------
    def test_a_document_in_flight_elsewhere_is_skipped_and_a_lost_result_adopted(self):
        _order, doc = self._asn()
        Attempt = self.env["amazon.vendor.send.attempt"].sudo()
        digest = doc._hash_payload(doc._get_payload("payload_out"))
        attempt = Attempt._journal_open(doc, digest)  # another worker is sending it
        self.assertFalse(Attempt._journal_open(doc, digest), "one attempt in flight at a time")
        doc._send_to_amazon()
        self.assertEqual(doc.state, "to_send")
        self.assertFalse(self._received("shipment_confirmation"), "not sent twice")
        # That worker got Amazon's transaction id, then its transaction rolled back.
        Attempt._journal_close(attempt, "sent", transaction_id="20261130-lost-result")
        doc._send_to_amazon()
        self.assertEqual((doc.state, doc.transaction_id), ("sent", "20261130-lost-result"))
        self.assertFalse(self._received("shipment_confirmation"), "adopted, not resent")
        self.assertIn("not sent again", " ".join(doc.message_ids.mapped("body")))

    def test_one_bad_document_never_stops_the_batch(self):
        _order, good = self._asn("PO000004")
        Document = self.env["amazon.vendor.document"]
        corrupt = Document.create({"account_id": self.account.id, "kind": "invoice",
                                   "external_id": "INV/CORRUPT",
                                   "payload_out": base64.b64encode(b"{not json")})
        refused = Document.create({"account_id": self.account.id, "kind": "acknowledgement",
                                   "external_id": "PO999999", "payload_out":
                                   Document._encode_payload({"acknowledgements": [{"x": 1}]})})
        self._faults("errors_200", "submitAcknowledgement")
        (corrupt | refused | good)._send_to_amazon()
        self.assertEqual(corrupt.state, "failed")
        self.assertIn("cannot be read", corrupt.error_message)
        self.assertEqual(refused.state, "failed")
        self.assertEqual(good.state, "sent", good.error_message)

    def test_a_failing_follow_up_never_rolls_back_amazons_answer(self):
        order, doc = self._asn("PO000005")
        doc._send_to_amazon()
        Picking = type(self.env["stock.picking"])
        with patch.object(Picking, "_amazon_vendor_document_settled",
                          side_effect=ValueError("follow-up broke")):
            self._settle(doc)
        self.assertEqual(doc.state, "accepted", "Amazon's answer is kept")
        self.assertTrue(doc.message_ids.filtered(lambda m: "follow-up broke" in (m.body or "")),
                        "the failed follow-up is said on the document")

    def test_a_payload_with_a_lone_surrogate_is_stored(self):
        # JSON allows "\ud800"; UTF-8 cannot encode it: ASCII escapes keep it intact.
        decoded = json.loads('{"note": "\\ud800 \u4e2d"}')
        payload = self.env["amazon.vendor.document"]._encode_payload(decoded)
        self.assertEqual(json.loads(base64.b64decode(payload)), decoded)

    # -- polling ----------------------------------------------------------------------------
    def test_polling_errors_are_capped_then_a_person_is_asked(self):
        _order, doc = self._asn()
        doc._send_to_amazon()
        self.simulator_control("faults", {"faults": [
            {"kind": "errors_200", "operation": "getTransaction", "count": 100}]})
        now = fields.Datetime.now()
        for _round in range(MAX_POLL_ERRORS + 2):
            now = max(now, doc.next_poll_at or now) + datetime.timedelta(seconds=1)
            with freeze_time(now):
                self.account.last_poll_at = False
                self.env["amazon.vendor.document"]._cron_poll_transactions()
        self.assertTrue(doc.poll_blocked)
        self.assertEqual(doc.poll_error_count, MAX_POLL_ERRORS, "it stopped asking")
        self.assertEqual(doc.state, "sent", "not refused: Amazon's answer is still awaited")
        self.assertIn("stopped checking", " ".join(
            doc._linked_record().activity_ids.mapped("note")))
        self.simulator_control("faults/clear")
        doc.action_check_with_amazon()
        self.assertFalse(doc.poll_blocked)
        self.assertEqual(doc.poll_error_count, 0, "Amazon's status was read again")
        self.assertIn(doc.amazon_status, ("Processing", "Success"))

    # -- who may change the ledger ----------------------------------------------------------
    def test_users_read_the_ledger_managers_resend_and_nobody_edits_payloads(self):
        _order, doc = self._asn()
        user = new_test_user(self.env, "ledger_user",
                             groups="acorn_amazon_vendor.group_amazon_vendor_user")
        manager = new_test_user(self.env, "ledger_manager",
                                groups="acorn_amazon_vendor.group_amazon_vendor_manager")
        admin = self.env.ref("base.user_admin")
        self.assertEqual(doc.with_user(user).read(["state"])[0]["state"], "to_send")
        forged = doc._encode_payload({"shipmentConfirmations": [{"forged": True}]})
        for who in (user, manager, admin):
            with self.assertRaises(AccessError):
                doc.with_user(who).write({"payload_out": forged})
        with self.assertRaises(AccessError):
            self.env["amazon.vendor.document"].with_user(manager).create({
                "account_id": self.account.id, "kind": "invoice", "external_id": "X",
                "payload_out": forged})
        with self.assertRaises(AccessError):
            doc.with_user(user).write({"state": "cancelled"})
        with self.assertRaises(AccessError):
            doc.with_user(user).action_cancel()
        doc.with_user(manager).action_cancel()
        self.assertEqual(doc.state, "cancelled")
        # A user's own flow still queues and sends through the ledger's code.
        self.assertTrue(doc.with_user(user).message_post(body="checked with the carrier"))

    def test_an_accepted_invoice_number_is_never_sent_again(self):
        move, doc = self._invoice_doc()
        doc._send_to_amazon()
        self._settle(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)
        manager = new_test_user(self.env, "ledger_manager2",
                                groups="acorn_amazon_vendor.group_amazon_vendor_manager")
        with self.assertRaisesRegex(UserError, "duplicate"):
            doc.with_user(manager).action_resend()
        with self.assertRaisesRegex(UserError, "never be sent again"):
            move.action_amazon_vendor_send()
