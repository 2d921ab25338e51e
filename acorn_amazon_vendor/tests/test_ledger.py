import datetime

import psycopg2

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import AmazonVendorCase


@tagged("post_install", "-at_install")
class TestLedger(AmazonVendorCase):
    def _document(self, kind="acknowledgement", external_id="4Z32PABC", payload=None, **values):
        doc = self.env["amazon.vendor.document"].create(dict({
            "account_id": self.account.id, "kind": kind, "external_id": external_id}, **values))
        if payload is not None:
            doc.payload_out = doc._encode_payload(payload)
        return doc

    def _open_purchase_order(self):
        """A New purchase order of the simulator, read through the API like the import does."""
        with self.account._amazon_vendor_api() as api:
            now = datetime.datetime.now(datetime.UTC)
            for _s, _e, orders in api.iter_purchase_order_pages(
                    now - datetime.timedelta(days=7), now, purchaseOrderState="New"):
                if orders:
                    return orders[0]
        self.fail("the simulator has New purchase orders in the last 7 days")

    def _acknowledgement(self, order, reject_all=False):
        details = order["orderDetails"]
        items = []
        for item in details["items"]:
            quantity = item["orderedQuantity"]
            items.append({
                "itemSequenceNumber": item["itemSequenceNumber"],
                "amazonProductIdentifier": item.get("amazonProductIdentifier"),
                "vendorProductIdentifier": item.get("vendorProductIdentifier"),
                "orderedQuantity": quantity,
                "netCost": item["netCost"],
                "itemAcknowledgements": [{
                    "acknowledgementCode": "Rejected" if reject_all else "Accepted",
                    "acknowledgedQuantity": quantity,
                    **({"rejectionReason": "TemporarilyUnavailable"} if reject_all else {}),
                }],
            })
        return {"acknowledgements": [{
            "purchaseOrderNumber": order["purchaseOrderNumber"],
            "sellingParty": details["sellingParty"],
            "acknowledgementDate": datetime.datetime.now(datetime.UTC).strftime(
                "%Y-%m-%dT%H:%M:%SZ"),
            "items": items,
        }]}

    # -- state machine and keys -------------------------------------------------------------
    def test_initial_states_and_direction(self):
        outbound = self._document()
        inbound = self._document(kind="purchase_order", external_id="4Z32PABC")
        self.assertEqual((outbound.state, outbound.direction), ("to_send", "out"))
        self.assertEqual((inbound.state, inbound.direction), ("received", "in"))
        self.assertEqual(outbound.display_name, "Acknowledgement 4Z32PABC")

    def test_external_id_unique_per_account_and_kind(self):
        self._document()
        other = self._create_account("Amazon US 2")
        self._document(account_id=other.id)  # same PO, other account: fine
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.UniqueViolation):
            with self.env.cr.savepoint():
                self._document()

    def test_illegal_transitions_are_refused(self):
        doc = self._document()
        with self.assertRaisesRegex(UserError, "cannot go from To Send to Accepted"):
            doc._set_state("accepted")
        doc.action_cancel()
        self.assertEqual(doc.state, "cancelled")
        with self.assertRaises(UserError):
            doc.action_resend()
        with self.assertRaises(UserError):
            self._document(kind="purchase_order").action_cancel()

    def test_document_without_payload_fails_in_plain_words(self):
        doc = self._document()
        doc._send_to_amazon()
        self.assertEqual(doc.state, "failed")
        self.assertIn("no payload", doc.error_message)

    # -- exchanges with the simulator -------------------------------------------------------
    def test_acknowledgement_sent_polled_and_accepted_after_15_minutes(self):
        order = self._open_purchase_order()
        body = self._acknowledgement(order)
        doc = self._document(external_id=order["purchaseOrderNumber"], payload=body)
        doc._send_to_amazon()
        self.assertEqual(doc.state, "sent", doc.error_message)
        self.assertTrue(doc.transaction_id)
        self.assertEqual(doc.attempt_count, 1)
        self.assertEqual(doc._get_payload("payload_out"), body, "the exact bytes sent are kept")
        doc._poll_amazon_status()
        self.assertEqual((doc.state, doc.amazon_status), ("sent", "Processing"))
        with freeze_time(doc.sent_at + datetime.timedelta(minutes=16)):
            doc._poll_amazon_status()
        self.assertEqual(doc.state, "accepted", "acknowledgements never report Success")
        self.assertEqual(doc._get_payload("payload_in")["payload"]["transactionStatus"][
            "transactionId"], doc.transaction_id)

    def test_refused_acknowledgement_fails_with_alerts(self):
        self.account.write({"alert_emails": "ops@example.com",
                            "alert_user_ids": [(4, self.env.ref("base.user_admin").id)]})
        order = self._open_purchase_order()
        body = self._acknowledgement(order)
        body["acknowledgements"][0]["items"][0]["netCost"] = {"currencyCode": "USD",
                                                              "amount": "0.01"}
        doc = self._document(external_id=order["purchaseOrderNumber"], payload=body)
        doc._send_to_amazon()
        self.assertEqual(doc.state, "sent", doc.error_message)
        self.simulator_control("transactions/settle")
        doc._poll_amazon_status()
        self.assertEqual(doc.state, "failed")
        self.assertIn("netCost", doc.error_message)
        activity = doc.activity_ids
        self.assertEqual(activity.user_id, self.env.ref("base.user_admin"))
        mail = self.env["mail.mail"].search([("model", "=", doc._name), ("res_id", "=", doc.id)])
        self.assertEqual(mail.email_to, "ops@example.com")
        doc.action_resend()
        self.assertEqual((doc.state, doc.transaction_id, doc.error_message),
                         ("to_send", False, False))

    def test_invalid_request_is_final_and_the_batch_goes_on(self):
        order = self._open_purchase_order()
        bad = self._document(external_id="BAD", payload={"acknowledgements": [
            {"purchaseOrderNumber": "BAD", "marketplaceIds": ["ATVPDKIKX0DER"]}]})
        good = self._document(external_id=order["purchaseOrderNumber"],
                              payload=self._acknowledgement(order))
        (bad | good)._send_to_amazon()
        self.assertEqual(bad.state, "failed")
        self.assertIn("HTTP 400", bad.error_message)
        self.assertEqual(good.state, "sent")

    def test_throttled_send_is_retried_later(self):
        order = self._open_purchase_order()
        doc = self._document(external_id=order["purchaseOrderNumber"],
                             payload=self._acknowledgement(order))
        self.simulator_control("faults", {"faults": [{"kind": "503", "count": 10}]})
        doc._send_to_amazon()
        self.assertEqual(doc.state, "to_send", doc.error_message)
        self.assertIn("503", doc.error_message)
        self.assertTrue(doc.next_attempt_at)
        self.simulator_control("faults/clear")
        with freeze_time(doc.next_attempt_at + datetime.timedelta(seconds=1)):
            self.env["amazon.vendor.document"]._cron_send_documents()
        self.assertEqual(doc.state, "sent")
        self.assertEqual(doc.attempt_count, 2)

    def test_crons_only_handle_due_accounts(self):
        order = self._open_purchase_order()
        doc = self._document(external_id=order["purchaseOrderNumber"],
                             payload=self._acknowledgement(order))
        self.account.last_send_at = datetime.datetime.now()
        self.env["amazon.vendor.document"]._cron_send_documents()
        self.assertEqual(doc.state, "to_send", "send interval not elapsed")
        self.account.last_send_at = datetime.datetime.now() - datetime.timedelta(minutes=6)
        self.env["amazon.vendor.document"]._cron_send_documents()
        self.assertEqual(doc.state, "sent")
        self.env["amazon.vendor.document"]._cron_poll_transactions()
        self.assertEqual(doc.amazon_status, "Processing")
        self.assertTrue(doc.last_polled_at)
