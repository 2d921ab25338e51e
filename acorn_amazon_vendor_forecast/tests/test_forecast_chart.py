import datetime

from odoo import fields
from odoo.tests import HttpCase, tagged

from ..models.amazon_vendor_demand_week import week_start
from .common import ForecastCase

WEEK = datetime.timedelta(weeks=1)
# Amazon orders per week, oldest first, ending last week: the zeros are real weeks without
# orders (no demand row), not missing data.
HISTORY = [10.0, 0.0, 12.0, 0.0, 0.0, 9.0, 11.0, 10.0, 0.0, 13.0] * 3


class ChartCase(ForecastCase):
    """A product with a history ending last week, orders in the open week and Amazon's
    forecast for the 26 weeks from next Sunday."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.open_week = week_start(fields.Date.today())
        cls.last_week = cls.open_week - WEEK
        cls.kettle = cls._product("Chart kettle", amazon_vendor_asin="B0CHART001")
        cls._demand(cls.kettle, HISTORY, cls.last_week)
        cls.env["amazon.vendor.demand.week"].create({
            "company_id": cls.company.id, "product_id": cls.kettle.id,
            "warehouse_id": cls.warehouse.id, "week_start": cls.open_week,
            "ordered_qty": 4.0})  # the open week: not history yet
        document = cls.env["amazon.vendor.document"].create({
            "account_id": cls.account.id, "kind": "report", "external_id": "R-CHART",
            "report_type": "GET_VENDOR_FORECASTING_REPORT", "state": "processed",
            "report_date": fields.Date.today(), "report_marketplace_id": cls.marketplace_us.id})
        cls.amazon_weeks = [cls.open_week + (w + 1) * WEEK for w in range(26)]
        cls.env["amazon.vendor.report.forecast"].create([{
            "document_id": document.id, "account_id": cls.account.id,
            "product_id": cls.kettle.id, "asin": "B0CHART001",
            "generation_date": fields.Date.today(), "week_start": week,
            "mean_units": 15.0 + w, "p70_units": 17.0 + w, "p80_units": 19.0 + w,
            "p90_units": 22.0 + w} for w, week in enumerate(cls.amazon_weeks)])


@tagged("post_install", "-at_install")
class TestForecastChart(ChartCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.toaster = cls._product("Chart toaster")  # Amazon gives no forecast for it
        cls._demand(cls.toaster, [5.0] * 20, cls.last_week)

    def _series(self, product):
        rows = self.env["amazon.vendor.forecast.chart"].search(
            [("product_id", "=", product.id), ("warehouse_id", "=", self.warehouse.id)])
        series = {}
        for row in rows:
            self.assertNotIn(row.week_start, series.get(row.series, {}), "one row per week")
            series.setdefault(row.series, {})[row.week_start] = row.qty
        return series

    def test_each_series_has_rows_exactly_where_it_has_data(self):
        self.run_forecast(refresh_history=False)
        horizon = self.company.amazon_vendor_forecast_horizon
        series = self._series(self.kettle)

        first = self.last_week - (len(HISTORY) - 1) * WEEK
        history = series["history"]
        self.assertEqual(sorted(history), [first + k * WEEK for k in range(len(HISTORY))],
                         "every closed week, none after last week")
        self.assertEqual([history[w] for w in sorted(history)], HISTORY,
                         "weeks without orders are real zeros")
        self.assertNotIn(self.open_week, history, "the open week is not history yet")

        lines = self.env["amazon.vendor.forecast.line"].search(
            [("product_id", "=", self.kettle.id), ("warehouse_id", "=", self.warehouse.id)])
        horizon_weeks = [self.open_week + h * WEEK for h in range(horizon)]
        self.assertEqual(sorted(lines.mapped("week_start")), horizon_weeks)
        last = lines.filtered(lambda ln: ln.week_start == horizon_weeks[-1])
        for name, field in (("own", "own_qty"), ("forecast", "forecast_qty"),
                            ("forecast_p90", "p90_qty")):
            self.assertEqual(sorted(series[name]), horizon_weeks, name)
            self.assertAlmostEqual(series[name][horizon_weeks[-1]], last[field], places=3,
                                   msg=f"{name}: the horizon's last week keeps its value")
            self.assertGreater(series[name][horizon_weeks[-1]], 0.0, name)

        # Expected orders from Amazon's forecast: only the weeks the engine derived them for.
        self.env.cr.execute("""
            SELECT week_start FROM amazon_vendor_forecast_line
             WHERE product_id = %s AND amazon_qty IS NOT NULL ORDER BY week_start
        """, [self.kettle.id])
        with_amazon = [row[0] for row in self.env.cr.fetchall()]
        self.assertTrue(with_amazon)
        self.assertEqual(sorted(series["amazon_orders"]), with_amazon)

        self.assertEqual(sorted(series["amazon_mean"]), self.amazon_weeks)
        self.assertEqual(series["amazon_mean"][self.amazon_weeks[-1]], 40.0,
                         "Amazon's last week keeps its value")
        self.assertEqual(series["amazon_p90"][self.amazon_weeks[-1]], 47.0)

    def test_history_stops_at_the_last_refreshed_week(self):
        self.run_forecast(refresh_history=False)
        # The last run was two weeks ago: the weeks closed since were never refreshed.
        self.env["amazon.vendor.forecast.run"].search(
            [("company_id", "=", self.company.id)]).origin_week = self.open_week - 2 * WEEK
        self.env.flush_all()
        history = self._series(self.toaster)["history"]
        self.assertEqual(max(history), self.open_week - 3 * WEEK,
                         "weeks closed after the last refresh are unknown, not zero")

    def test_no_amazon_forecast_no_amazon_series(self):
        self.run_forecast(refresh_history=False)
        series = self._series(self.toaster)
        self.assertEqual(set(series), {"history", "own", "forecast", "forecast_p90"})
        self.env.cr.execute("SELECT COUNT(*) FROM amazon_vendor_forecast_line "
                            "WHERE product_id = %s AND amazon_qty IS NOT NULL",
                            [self.toaster.id])
        self.assertEqual(self.env.cr.fetchone()[0], 0, "unknown, not zero")


@tagged("post_install", "-at_install")
class TestForecastChartTour(HttpCase, ChartCase):
    def test_graph_leaves_gaps_where_a_series_has_no_data(self):
        self.run_forecast(refresh_history=False)
        self.start_tour(
            "/odoo/action-acorn_amazon_vendor_forecast.action_amazon_vendor_forecast_chart",
            "acorn_amazon_vendor_forecast_chart_gaps", login="admin")
