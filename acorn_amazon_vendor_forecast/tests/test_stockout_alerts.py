import datetime

from odoo.tests import freeze_time, new_test_user, tagged

from .common import ForecastCase

TODAY = "2026-06-17 10:00:00"
LAST_WEEK = datetime.date(2026, 6, 7)
USER = "acorn_amazon_vendor.group_amazon_vendor_user"


@tagged("post_install", "-at_install")
class TestStockoutAlerts(ForecastCase):
    """Stock-out risk subscribers of the company replace the planner, on their channels."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.steady = cls._product("Steady lamp")
        cls._demand(cls.steady, [10.0] * 52, LAST_WEEK)
        cls.buyer = new_test_user(cls.env, "stockout_buyer", groups=USER)
        cls.boss = new_test_user(cls.env, "stockout_boss", groups=USER,
                                 email="boss@example.com")
        cls.activity_type = cls.env.ref("acorn_amazon_vendor_forecast.mail_activity_type_stockout")

    def _activities(self):
        return self.env["mail.activity"].search([
            ("res_model", "=", "product.template"),
            ("res_id", "=", self.steady.product_tmpl_id.id),
            ("activity_type_id", "=", self.activity_type.id)])

    def _digests(self):
        return self.env["mail.mail"].search([("subject", "like", "Stock-out risk:")])

    @freeze_time(TODAY)
    def test_subscribers_get_the_warning_instead_of_the_planner_once(self):
        self.env["amazon.vendor.alert.subscription"].create([
            {"alert_type": "stock_out_risk", "user_id": self.buyer.id,
             "account_id": self.account.id},
            {"alert_type": "stock_out_risk", "user_id": self.boss.id,
             "channel_activity": False, "channel_email": True}])
        self.env["stock.quant"]._update_available_quantity(
            self.steady, self.warehouse.lot_stock_id, 30.0)
        self.run_forecast(refresh_history=False)
        self.assertTrue(self.plan(self.steady).stockout_risk)
        self.assertEqual(self._activities().user_id, self.buyer)
        digest = self._digests()
        self.assertEqual(digest.email_to, "boss@example.com")
        self.assertIn("Steady lamp", digest.body_html)
        self.run_forecast(refresh_history=False)
        self.assertEqual(len(self._activities()), 1, "warned once")
        self.assertEqual(self._digests(), digest, "and told once")

    @freeze_time(TODAY)
    def test_without_subscribers_the_planner_is_warned(self):
        self.env.company.amazon_vendor_planner_id = self.buyer
        self.env["stock.quant"]._update_available_quantity(
            self.steady, self.warehouse.lot_stock_id, 30.0)
        self.run_forecast(refresh_history=False)
        self.assertEqual(self._activities().user_id, self.buyer)
        self.assertFalse(self._digests())
