import base64
import datetime
import gzip
import json

from odoo.addons.acorn_amazon_vendor.tests.common_po import PurchaseOrderCase
from odoo.tests import tagged

from ..lib import report_documents


@tagged("post_install", "-at_install")
class TestReportImport(PurchaseOrderCase):
    def setUp(self):
        super().setUp()
        self.simulator_control("settings", {"report_delay": 0.2})

    def test_reports_are_archived_as_received_and_rows_mapped(self):
        docs = self.account._fetch_amazon_reports(wait=30)
        self.assertEqual(sorted(docs.mapped("report_type")), sorted(
            [report_documents.FORECAST, report_documents.INVENTORY, report_documents.SALES]))
        self.assertEqual(set(docs.mapped("state")), {"processed"})
        forecast_doc = docs.filtered(lambda d: d.report_type == report_documents.FORECAST)
        rows = self.env["amazon.vendor.report.forecast"].search(
            [("document_id", "=", forecast_doc.id)])
        usd_items = [i for i in self.catalogue if i["currency"] == "USD"]
        self.assertEqual(len(rows), 26 * len(usd_items))
        self.assertEqual(forecast_doc.report_row_count, len(rows))
        # every mapped ASIN points at its product; the unknown one is kept without product
        unknown = rows.filtered(lambda r: r.asin == self.unmapped["asin"])
        self.assertEqual(len(unknown), 26)
        self.assertFalse(unknown.product_id)
        known = rows - unknown
        self.assertEqual(known.mapped(lambda r: r.product_id.amazon_vendor_asin),
                         known.mapped("asin"))
        self.assertTrue(all(r.p90_units >= r.p70_units >= r.mean_units for r in rows))
        # the archive is the document itself: parsing it again gives the same rows
        raw = base64.b64decode(forecast_doc.with_context(bin_size=False).payload_in)
        parsed = report_documents.parse_report(report_documents.decode_document(raw))
        self.assertEqual(len(parsed["rows"]), len(rows))
        inventory = self.env["amazon.vendor.report.inventory"].search(
            [("account_id", "=", self.account.id)])
        self.assertEqual(len(inventory), len(usd_items))
        self.assertTrue(all(r.start_date.weekday() == 6 for r in inventory),
                        "weekly reports cover Amazon weeks, Sunday to Saturday")

    def test_report_not_ready_is_collected_by_the_next_fetch(self):
        self.simulator_control("settings", {"report_delay": 3600})
        self.assertFalse(self.account._fetch_amazon_reports(
            report_types=(report_documents.FORECAST,), wait=0))
        pending = self.env["amazon.vendor.document"].search(
            [("account_id", "=", self.account.id), ("kind", "=", "report")])
        self.assertEqual(len(pending), 1)
        self.assertEqual(pending.state, "received")
        self.simulator_control("clock", {"advance": 7200})
        docs = self.account._fetch_amazon_reports(report_types=(), wait=5)
        self.assertEqual(docs, pending)
        self.assertEqual(pending.state, "processed")

    def test_unreadable_document_is_kept_and_marked_failed(self):
        doc = self.env["amazon.vendor.document"].create({
            "account_id": self.account.id, "kind": "report", "external_id": "R-BAD",
            "report_type": report_documents.FORECAST})
        doc._amazon_vendor_archive_report(gzip.compress(b"<html>not json"), "GZIP")
        self.assertEqual(doc.state, "failed")
        self.assertIn("not JSON", doc.error_message)
        self.assertTrue(doc.payload_in, "what Amazon sent is kept even when unreadable")
        good = json.dumps({"reportSpecification": {"reportType": report_documents.FORECAST},
                           "forecastByAsin": [{"asin": "B0X", "startDate": "2026-11-29"}]})
        doc2 = self.env["amazon.vendor.document"].create({
            "account_id": self.account.id, "kind": "report", "external_id": "R-PART",
            "report_type": report_documents.FORECAST})
        doc2._amazon_vendor_archive_report(good.encode(), None)
        self.assertEqual(doc2.state, "processed")
        self.assertEqual(doc2.report_row_count, 0)

    def test_unreachable_amazon_is_recorded_on_the_account(self):
        self.simulator_control("faults", {"faults": [
            {"kind": "500", "count": 10, "operation": "createReport"}]})
        self.assertFalse(self.account._fetch_amazon_reports(wait=0))
        self.assertIn("could not be fetched", self.account.message_ids[0].body)

    def test_forecast_run_fetches_reports_and_uses_them_at_once(self):
        run = self.env["amazon.vendor.forecast.run"]._run_forecast(
            self.env.company, fetch_reports=True)
        self.assertEqual(run.report_count, 3)
        plans = self.env["amazon.vendor.forecast.plan"].search([("run_id", "=", run.id)])
        self.assertEqual(set(plans.product_id.ids), {p.id for p in self.products.values()},
                         "every mapped ASIN with an Amazon forecast is planned")
        self.assertEqual(set(plans.mapped("method")), {"amazon"})
        self.assertEqual(set(plans.mapped("demand_class")), {"new"})
        self.assertTrue(all(plan.amazon_weight == 1.0 for plan in plans))

    def test_a_report_fetched_twice_counts_once(self):
        self.account._fetch_amazon_reports(report_types=(report_documents.FORECAST,), wait=30)
        self.account._fetch_amazon_reports(report_types=(report_documents.FORECAST,), wait=30)
        Data = self.env["amazon.vendor.forecast.data"]
        self.env.flush_all()
        product = next(iter(self.products.values()))
        keys = [(product.id, self.warehouse.id)]
        docs = self.env["amazon.vendor.document"].search(
            [("account_id", "=", self.account.id), ("report_type", "=", report_documents.FORECAST)])
        self.assertEqual(len(docs), 2)
        row = self.env["amazon.vendor.report.forecast"].search(
            [("document_id", "=", docs[0].id), ("product_id", "=", product.id)], limit=1)
        origin = row.week_start - datetime.timedelta(weeks=1)
        signal = Data._amazon_signal(self.env.company, keys, origin, 4, 52)
        self.assertEqual(signal["sellthrough_mean"][0, 1], row.mean_units)
