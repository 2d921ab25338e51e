import datetime

from odoo.addons.acorn_amazon_vendor.tests.test_multi_company import (
    GROUPS,
    CompanyIsolationMixin,
)
from odoo.tests import freeze_time, tagged

from ..lib.report_documents import FORECAST, INVENTORY, SALES
from .common import ForecastCase

TODAY = "2026-06-17 10:00:00"
LAST_WEEK = datetime.date(2026, 6, 7)


@tagged("post_install", "-at_install")
class TestForecastMultiCompany(CompanyIsolationMixin, ForecastCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._company_users(GROUPS)

    def _report(self, report_type, external_id):
        return self.env["amazon.vendor.document"].create({
            "account_id": self.account.id, "kind": "report", "external_id": external_id,
            "report_type": report_type, "state": "processed",
            "report_date": datetime.date(2026, 6, 16),
            "report_marketplace_id": self.marketplace_us.id})

    @freeze_time(TODAY)
    def test_company_b_sees_nothing_of_company_a(self):
        """Demand, Amazon's report rows, runs, lines, plans and the analysis views."""
        asin = "B0MCMC0001"
        product = self._product("Company A lamp", amazon_vendor_asin=asin)
        self._demand(product, [10.0] * 52, LAST_WEEK)
        self._amazon_order(product, 5, datetime.datetime(2026, 6, 16, 9, 0))
        week = datetime.date(2026, 6, 14)
        rows = {"document_id": None, "account_id": self.account.id, "product_id": product.id,
                "asin": asin}
        forecast = self._report(FORECAST, "R-MC-F")
        self.env["amazon.vendor.report.forecast"].create([dict(
            rows, document_id=forecast.id, generation_date=datetime.date(2026, 6, 16),
            week_start=week + datetime.timedelta(weeks=w), mean_units=10.0, p70_units=12.0,
            p80_units=13.0, p90_units=15.0) for w in range(26)])
        inventory = self._report(INVENTORY, "R-MC-I")
        self.env["amazon.vendor.report.inventory"].create(dict(
            rows, document_id=inventory.id, start_date=LAST_WEEK,
            end_date=LAST_WEEK + datetime.timedelta(days=6), sellable_on_hand_units=40.0,
            open_po_units=5.0))
        sales = self._report(SALES, "R-MC-S")
        self.env["amazon.vendor.report.sales"].create(dict(
            rows, document_id=sales.id, start_date=LAST_WEEK,
            end_date=LAST_WEEK + datetime.timedelta(days=6), ordered_units=9.0,
            shipped_units=9.0, shipped_revenue=180.0))
        run = self.run_forecast(refresh_history=False)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.company_id, self.company_a)
        self.assertCompanyIsolated("acorn_amazon_vendor_forecast")
