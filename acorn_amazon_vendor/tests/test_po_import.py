import datetime
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import tagged

from ..lib.transport import clear_token_cache
from ..models.amazon_vendor_po_import import IMPORT_LOCK_NAMESPACE, ImportBusy
from .common import AmazonVendorCase

UTC = datetime.UTC


class SimulatedCrash(Exception):
    pass


@tagged("post_install", "-at_install")
class TestPurchaseOrderImport(AmazonVendorCase):
    def _ledger(self):
        return self.env["amazon.vendor.document"].search([
            ("account_id", "=", self.account.id), ("kind", "=", "purchase_order")])

    def _simulator_numbers(self, days=32):
        """Every PO number the simulator reports created in the import's range."""
        now = datetime.datetime.now(UTC)
        with self.account._amazon_vendor_api() as api:
            return {o["purchaseOrderNumber"] for _s, _e, page in api.iter_purchase_order_pages(
                now - datetime.timedelta(days=days), now, includeDetails="false",
                orderingVendorCode="ACRN1") for o in page}

    def test_first_import_reads_every_page_and_window_once(self):
        expected = self._simulator_numbers()
        self.assertGreaterEqual(len(expected), 50, "the default data set is large enough")
        stats = self.account._import_purchase_orders()
        ledger = self._ledger()
        self.assertEqual(set(ledger.mapped("external_id")), expected)
        self.assertEqual(stats["new"], len(expected))
        self.assertEqual(set(ledger.mapped("state")), {"processed"}, ledger.mapped("error_message"))
        new = ledger.filtered(lambda d: d._get_payload("payload_in")["purchaseOrderState"] == "New")
        orders = self.env["sale.order"].search([("amazon_vendor_document_id", "in", ledger.ids)])
        self.assertTrue(new, "the default data has New purchase orders")
        self.assertEqual(orders.amazon_vendor_document_id, new,
                         "New purchase orders become quotations; the others stay in the ledger")
        parties = {d._get_payload("payload_in")["orderDetails"]["sellingParty"]["partyId"]
                   for d in ledger}
        self.assertEqual(parties, {"ACRN1"}, "only the account's vendor codes are imported")
        order = ledger[0]._get_payload("payload_in")
        self.assertEqual(order["purchaseOrderNumber"], ledger[0].external_id)
        self.assertTrue(order["orderDetails"]["items"])
        self.assertTrue(self.account.import_watermark)

    def test_second_run_is_idempotent_and_changes_are_seen(self):
        self.account._import_purchase_orders()
        count = len(self._ledger())
        stats = self.account._import_purchase_orders()
        self.assertEqual(stats["new"], 0)
        self.assertEqual(stats["changed"], 0)
        self.assertEqual(len(self._ledger()), count)
        number = self._ledger().filtered(
            lambda d: d._get_payload("payload_in")["purchaseOrderState"] == "New")[:1].external_id
        self.simulator_control(f"purchase-orders/{number}/change", {
            "items": [{"itemSequenceNumber": "1", "cancel": True}]})
        stats = self.account._import_purchase_orders()
        self.assertEqual(stats["changed"], 1)
        doc = self._ledger().filtered(lambda d: d.external_id == number)
        self.assertTrue(doc.amazon_changed_at)
        self.assertIn("Amazon changed", "".join(doc.message_ids.mapped("body")))

    def test_a_run_killed_halfway_loses_nothing(self):
        Account = type(self.account)
        original = Account._upsert_purchase_orders
        calls = []

        def dying_upsert(account, orders):
            calls.append(len(orders))
            if len(calls) == 2:
                raise SimulatedCrash()
            return original(account, orders)

        with patch.object(Account, "_upsert_purchase_orders", dying_upsert), \
                self.assertRaises(SimulatedCrash):
            self.account._import_purchase_orders()
        self.assertFalse(self.account.import_watermark, "the watermark moves only at the end")
        partial = len(self._ledger())
        self.account._import_purchase_orders()
        ledger = self._ledger()
        self.assertGreater(len(ledger), partial)
        self.assertEqual(len(ledger), len(set(ledger.mapped("external_id"))))
        self.assertEqual(set(ledger.mapped("external_id")), self._simulator_numbers())

    def test_import_survives_throttling_outages_timeouts_and_bad_json(self):
        expected = self._simulator_numbers()
        clear_token_cache()
        self.simulator_control("faults", {"faults": [
            {"kind": kind, "operation": "getPurchaseOrders", "count": 1, "delay": 6}
            for kind in ("429", "503", "malformed", "timeout")]})
        self.account._import_purchase_orders()
        ledger = self._ledger()
        self.assertEqual(set(ledger.mapped("external_id")), expected, "nothing lost")
        self.assertEqual(len(ledger), len(expected), "nothing duplicated")
        self.assertFalse(self.simulator_control("faults", method="GET")["faults"],
                         "every injected fault was met and survived")

    def test_concurrent_run_is_refused_and_the_cron_skips_quietly(self):
        connection = db_connect(self.env.cr.dbname)
        with connection.cursor() as other:
            other.execute("SELECT pg_advisory_lock(%s, %s)",
                          (IMPORT_LOCK_NAMESPACE, self.account.id))
            try:
                with self.assertRaises(ImportBusy):
                    self.account._import_purchase_orders()
                with self.assertRaisesRegex(UserError, "already running"):
                    self.account.action_sync_now()
                self.account.last_import_at = False
                messages = len(self.account.message_ids)
                self.env["amazon.vendor.account"]._cron_import_purchase_orders()
                self.assertFalse(self.account.last_import_at, "skipped, not counted as a run")
                self.assertEqual(len(self.account.message_ids), messages, "and not an error")
                self.assertFalse(self._ledger())
            finally:
                other.execute("SELECT pg_advisory_unlock(%s, %s)",
                              (IMPORT_LOCK_NAMESPACE, self.account.id))

    def test_queries_per_page_do_not_grow_with_the_page(self):
        now = datetime.datetime.now(UTC)
        with self.account._amazon_vendor_api() as api:
            orders = [o for _s, _e, page in api.iter_purchase_order_pages(
                now - datetime.timedelta(days=30), now) for o in page]
        self.assertGreaterEqual(len(orders), 60)
        counts = []
        for chunk in (orders[:10], orders[10:60]):
            before = self.env.cr.sql_log_count
            self.account._upsert_purchase_orders(chunk)
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        # 50 documents cost no more queries than 10 beyond the attachments each one needs.
        per_doc_small, per_doc_large = counts[0] / 10, counts[1] / 50
        self.assertLessEqual(per_doc_large, per_doc_small)

    def test_sync_now_reports_counts_and_cron_records_failures(self):
        action = self.account.action_sync_now()
        self.assertIn("new", action["params"]["message"])
        self.account.last_import_at = False
        self.simulator_control("faults", {"forbidden": True})
        self.env["amazon.vendor.account"]._cron_import_purchase_orders()
        self.assertIn("import failed", self.account.message_ids[0].body)
        self.assertTrue(self.account.last_import_at)
