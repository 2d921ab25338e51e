"""Purchase orders Odoo cannot take never block the others, the account, or the next account:
each one is kept in the ledger, failed with the reason in plain words and flagged to people,
while the watermark moves on."""
import copy
import datetime
from decimal import Decimal
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..lib.transport import AmazonApiError
from .common_po import PurchaseOrderCase

UTC = datetime.UTC


@tagged("post_install", "-at_install")
class TestPurchaseOrderImportRobustness(PurchaseOrderCase):
    def _page(self):
        """Two good New purchase orders, read through the API as the import reads them."""
        self._po("GOOD0001", [(self._item(0), 5, "Eaches", 1)])
        self._po("GOOD0002", [(self._item(1), 3, "Eaches", 1)])
        now = datetime.datetime.now(UTC)
        with self.account._amazon_vendor_api() as api:
            return [o for _s, _e, page in api.iter_purchase_order_pages(
                now - datetime.timedelta(days=1), now) for o in page]

    def _hostile(self, good):
        """Orders Amazon's model allows or a broken reply could carry."""
        def variant(number, mutate):
            order = copy.deepcopy(good)
            order["purchaseOrderNumber"] = number
            mutate(order["orderDetails"], order["orderDetails"]["items"][0])
            return order

        return [
            variant("HUGE0001", lambda d, i: i["orderedQuantity"].update(amount=3_000_000_000)),
            variant("LONG0001", lambda d, i: d["shipToParty"]["address"].update(
                name="N" * 100_000)),
            variant("DATE0001", lambda d, i: d.update(purchaseOrderDate="2026-02-30T00:00:00Z")),
            variant("TYPE0001", lambda d, i: i["orderedQuantity"].update(amount="ten")),
            variant("TYPE0002", lambda d, i: d.update(items="all of them")),
            variant("COST0001", lambda d, i: i["netCost"].update(amount="1e400")),
            {"purchaseOrderNumber": {"nested": "object"}, "orderDetails": {}},
            "not even an object",
        ]

    def _ledger(self):
        return self.env["amazon.vendor.document"].search([
            ("account_id", "=", self.account.id), ("kind", "=", "purchase_order")])

    def test_a_page_that_is_not_a_list_stops_the_import_before_the_watermark(self):
        watermark = self.account.import_watermark
        with self.assertRaises(AmazonApiError):
            self.account._upsert_purchase_orders({"purchaseOrderNumber": "NOTALIST"})
        self.assertEqual(self.account.import_watermark, watermark)
        self.assertFalse(self.env["amazon.vendor.document"].search(
            [("external_id", "=", "NOTALIST")]))

    def test_hostile_orders_are_kept_failed_and_flagged_while_the_others_go_on(self):
        good = self._page()
        self.assertEqual(len(good), 2)
        hostile = self._hostile(good[0])
        self.account._upsert_purchase_orders(hostile[:4] + good + hostile[4:])
        ledger = self._ledger()
        self.assertEqual(len(ledger), 10, "every order is kept in the ledger, nothing lost")
        ledger._amazon_vendor_process_purchase_orders()
        orders = self.env["sale.order"].search([("amazon_vendor_account_id", "=",
                                                 self.account.id)])
        self.assertEqual(sorted(orders.mapped("client_order_ref")), ["GOOD0001", "GOOD0002"])
        failed = ledger.filtered(lambda d: d.state == "failed")
        self.assertEqual(len(failed), 8)
        by_number = {d.external_id: d.error_message for d in failed}
        expectations = {
            "HUGE0001": "larger than Odoo can store",
            "LONG0001": "100000 characters long",
            "DATE0001": "is not an ISO 8601 date-time",
            "TYPE0001": "'ten' is not a whole number",
            "TYPE0002": "items is not a list",
            "COST0001": "not an amount Odoo can keep exactly",
        }
        for number, reason in expectations.items():
            self.assertIn(reason, by_number[number], number)
            self.assertIn("still expects an acknowledgement", by_number[number])
        self.assertNotIn("missing", by_number["TYPE0001"], "a word is not a missing quantity")
        unreadable = [n for n in by_number if n.startswith("?")]
        self.assertEqual(len(unreadable), 2, "kept under a key of their own")
        self.assertTrue(all("purchaseOrderNumber" in by_number[n] or "not an object"
                            in by_number[n] for n in unreadable), by_number)
        # People are told where they look: an activity per order, for the alert users.
        for doc in failed:
            self.assertTrue(doc.activity_ids, doc.external_id)
        # A fixed cause is processed again by a manager.
        doc = failed.filtered(lambda d: d.external_id == "DATE0001")
        payload = doc._get_payload("payload_in")
        payload["orderDetails"]["purchaseOrderDate"] = "2026-11-28T00:00:00Z"
        doc.sudo().payload_in = doc._encode_payload(payload)
        doc.action_process_again()
        self.assertEqual(doc.state, "processed", doc.error_message)

    def test_a_hostile_order_through_the_api_does_not_hold_the_watermark(self):
        order = self._po("HUGE0002", [(self._item(1), 1, "Eaches", 1)])
        order["orderDetails"]["items"][0]["orderedQuantity"]["amount"] = 3_000_000_000
        self.simulator_control("reset", {"seed": 7, "default_data": False})
        self.simulator_control("purchase-orders", {"orders": [order]})  # valid for Amazon
        self._po("GOOD0003", [(self._item(0), 5, "Eaches", 1)])
        stats = self.account._import_purchase_orders()
        self.assertEqual(stats["new"], 2)
        self.assertTrue(self.account.import_watermark, "the watermark moves on")
        ledger = self._ledger()
        self.assertEqual(ledger.filtered(lambda d: d.external_id == "HUGE0002").state, "failed")
        self.assertEqual(ledger.filtered(lambda d: d.external_id == "GOOD0003").state,
                         "processed")
        # The next run does not trip on it again (unchanged: not reprocessed).
        self.assertEqual(self.account._import_purchase_orders()["changed"], 0)

    def test_one_account_failing_never_stops_the_next_account(self):
        other = self._create_account("Amazon US second")
        self._po("GOOD0004", [(self._item(0), 5, "Eaches", 1)])
        Account = type(self.account)
        original = Account._import_purchase_orders_locked

        def broken(account, now, commit):
            if account == self.account:
                raise RuntimeError("a bug in a custom module")
            return original(account, now, commit)

        (self.account | other).write({"last_import_at": False})
        with patch.object(Account, "_import_purchase_orders_locked", broken):
            self.env["amazon.vendor.account"]._cron_import_purchase_orders()
        self.assertIn("a bug in a custom module", self.account.message_ids[0].body)
        self.assertTrue(other.import_watermark, "the next account imported")
        self.assertTrue(self.env["sale.order"].search([("amazon_vendor_account_id", "=",
                                                        other.id)]))

    def test_an_item_sequence_sent_twice_is_flagged_and_acknowledged_once(self):
        good = self._page()[0]
        twin = copy.deepcopy(good["orderDetails"]["items"][0])
        twin["itemSequenceNumber"] = "0" + twin["itemSequenceNumber"]
        good["orderDetails"]["items"].append(twin)
        self.account._upsert_purchase_orders([good])
        self._ledger()._amazon_vendor_process_purchase_orders()
        order = self.env["sale.order"].search([("client_order_ref", "=",
                                                good["purchaseOrderNumber"])])
        self.assertEqual(len(order.order_line.filtered("product_id")), 1)
        note = order.order_line.filtered(lambda ln: ln.display_type == "line_note")
        self.assertIn("appears more than once", note.name)
        self.assertIn("appears more than once", order.amazon_vendor_issues)
        self._stock(order.order_line.product_id, 50)
        order.action_amazon_vendor_propose()
        order.action_confirm()
        doc = self.env["amazon.vendor.document"].search([
            ("kind", "=", "acknowledgement"), ("external_id", "=", good["purchaseOrderNumber"])])
        items = doc._get_payload("payload_out")["acknowledgements"][0]["items"]
        self.assertEqual([i["itemSequenceNumber"] for i in items],
                         [good["orderDetails"]["items"][0]["itemSequenceNumber"]])

    def test_amazons_own_sandbox_order_shapes_are_acknowledged(self):
        """Amazon's sandbox order writes "CASES" and leaves out netCost and sellingParty, both
        optional on the order and required on the acknowledgement ("If left blank, Amazon
        systems will reject the file")."""
        good = self._page()[0]
        details = good["orderDetails"]
        del details["sellingParty"]
        del details["items"][0]["netCost"]
        details["items"][0]["orderedQuantity"].update(amount=2, unitOfMeasure="CASES",
                                                      unitSize=3)
        self.account._upsert_purchase_orders([good])
        self._ledger()._amazon_vendor_process_purchase_orders()
        order = self.env["sale.order"].search([("client_order_ref", "=",
                                                good["purchaseOrderNumber"])])
        line = order.order_line.filtered("product_id")
        self.assertEqual(line.product_uom_qty, 6)
        self._stock(line.product_id, 50)
        order.action_amazon_vendor_propose()
        order.action_confirm()
        doc = self.env["amazon.vendor.document"].search([
            ("kind", "=", "acknowledgement"), ("external_id", "=", good["purchaseOrderNumber"])])
        ack = doc._get_payload("payload_out")["acknowledgements"][0]
        self.assertEqual(ack["sellingParty"], {"partyId": self.account.party_ids[:1].code})
        self.assertTrue(ack["sellingParty"]["partyId"])
        item = ack["items"][0]
        self.assertEqual(item["orderedQuantity"]["unitOfMeasure"], "Cases")
        self.assertEqual(Decimal(item["netCost"]["amount"]), Decimal(str(line.price_unit)))
        self.assertEqual(item["netCost"]["currencyCode"], order.currency_id.name)

    def test_an_archived_product_of_the_same_reference_is_not_matched(self):
        item = self._item(0)
        active = self.products[item["vendor_sku"]]
        # sorts first (favourite), as a product made again under the same reference may
        self.env["product.product"].create({
            "name": "Old " + item["vendor_sku"], "default_code": item["vendor_sku"],
            "barcode": False, "is_favorite": True, "active": False})
        self._po("ARCH0001", [(item, 5, "Eaches", 1)])
        order = self._import()
        self.assertEqual(order.order_line.filtered("product_id").product_id, active)

    def test_an_order_amazon_closes_is_neither_acknowledged_nor_chased(self):
        good = self._page()[0]
        self.account._upsert_purchase_orders([good])
        self._ledger()._amazon_vendor_process_purchase_orders()
        order = self.env["sale.order"].search([("client_order_ref", "=",
                                                good["purchaseOrderNumber"])])
        self.assertEqual(order.amazon_vendor_ack_state, "to_acknowledge")
        closed = copy.deepcopy(good)
        closed["purchaseOrderState"] = "Closed"  # Amazon cancelled it meanwhile
        closed["orderDetails"]["purchaseOrderStateChangedDate"] = \
            datetime.datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.account._upsert_purchase_orders([closed])
        self._ledger()._amazon_vendor_process_purchase_orders()
        self.assertEqual(order.amazon_vendor_po_state, "Closed")
        self._stock(order.order_line.product_id, 50)
        order.action_amazon_vendor_propose()
        with self.assertRaisesRegex(UserError, "nothing left to acknowledge"):
            order.action_confirm()
        order.amazon_vendor_ack_deadline = datetime.datetime.now() - datetime.timedelta(hours=1)
        self.env["sale.order"]._cron_amazon_vendor_ack_deadlines()
        self.assertFalse(order.amazon_vendor_deadline_alerted, "no chargeback warning")
