import datetime

from odoo.tests import HttpCase, tagged

from ..models.amazon_vendor_demand_week import week_start
from .common import ForecastCase


@tagged("post_install", "-at_install")
class TestForecastTours(HttpCase, ForecastCase):
    def test_planner_reviews_a_stockout_and_the_rule(self):
        lamp = self._product("Tour lamp")
        last_week = week_start(datetime.date.today()) - datetime.timedelta(weeks=1)
        self._demand(lamp, self.poisson(12, 78, seed=11), last_week)
        self.env["stock.quant"]._update_available_quantity(
            lamp, self.warehouse.lot_stock_id, 20.0)
        self.run_forecast(refresh_history=False)
        self.assertTrue(self.plan(lamp).stockout_risk)
        self.start_tour("/odoo/action-acorn_amazon_vendor_forecast.action_amazon_vendor_stockout_risk",
                        "acorn_amazon_vendor_forecast_planner", login="admin")
        self.start_tour("/odoo/action-stock.action_orderpoint",
                        "acorn_amazon_vendor_forecast_explain", login="admin")
