import datetime

from odoo.addons.acorn_amazon_vendor.tests.test_multi_company import CompanyIsolationMixin
from odoo.tests import tagged

from ..lib import rules
from .common import NPPM, PricingCase


@tagged("post_install", "-at_install")
class TestPricingCompanies(CompanyIsolationMixin, PricingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._company_users("acorn_amazon_vendor.group_amazon_vendor_manager")

    def test_company_b_sees_nothing_of_company_a(self):
        """Snapshots, alerts, suggestions, cost-change requests, observed prices and the margin
        and hourly sales report rows of company A."""
        product = self._product("Company A item", cost=10.0, on_file=9.0)
        self._sales(product, 12.0)
        self._nppm(product, -5.0)
        self.env["amazon.vendor.price.observation"].create({
            "product_id": product.id, "price": 11.0, "currency_id": self.usd.id,
            "date": self.today, "company_id": self.company_a.id})
        now = datetime.datetime.combine(self.today, datetime.time(9))
        self.env["amazon.vendor.report.hourly.sales"].create({
            "document_id": self._document("GET_VENDOR_REAL_TIME_SALES_REPORT").id,
            "account_id": self.account.id, "product_id": product.id,
            "asin": product.amazon_vendor_asin, "start_time": now,
            "end_time": now + datetime.timedelta(hours=1), "ordered_units": 2,
            "ordered_revenue": 24.0})
        self.monitor()
        suggestion = self.suggestions(product, rules.COST)[:1]
        suggestion.with_user(self.manager).action_approve()
        self.assertTrue(suggestion.request_id)
        self.assertTrue(self._document(NPPM))
        self.assertCompanyIsolated("acorn_amazon_vendor_pricing")
