import datetime

from markupsafe import escape

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, tagged

from ..lib import forecast_engine
from ..lib.forecast_engine import calibrate
from ..models.amazon_vendor_forecast_line import ENGINE_METHODS
from ..models.amazon_vendor_forecast_plan import QUANTILE_RECIPES
from ..models.res_company import METHODS as COMPANY_METHODS
from .common import ForecastCase

TODAY = "2026-06-17 10:00:00"  # a Wednesday: the Amazon week started on Sunday 14 June
LAST_WEEK = datetime.date(2026, 6, 7)  # the last complete week


@tagged("post_install", "-at_install")
class TestForecastRun(ForecastCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.steady = cls._product("Steady lamp")
        cls._demand(cls.steady, [10.0] * 52, LAST_WEEK)

    def test_every_engine_method_can_be_stored_and_chosen(self):
        labels = dict(ENGINE_METHODS)
        self.assertLessEqual(set(forecast_engine.METHODS), set(labels))
        choices = {key for key, _label in COMPANY_METHODS} - {"auto"}
        self.assertLessEqual(choices, set(forecast_engine.METHODS))
        self.assertIn("eb", choices)

    @freeze_time(TODAY)
    def test_constant_demand_gives_exact_levels_and_order(self):
        run = self.run_forecast(refresh_history=False)
        self.assertEqual(run.state, "done")
        plan = self.plan(self.steady)
        self.assertEqual(plan.demand_class, "smooth")
        self.assertAlmostEqual(plan.weekly_forecast, 10.0, places=3)
        self.assertEqual(plan.lead_days, 35.0, "the sea-freight rule's delay is the lead time")
        self.assertAlmostEqual(plan.lead_demand, 50.0, places=2)
        self.assertAlmostEqual(plan.review_demand, 10.0, places=2)
        self.assertAlmostEqual(plan.safety_stock, 0.0, places=2,
                               msg="a demand without variation needs no safety stock")
        orderpoint = self.orderpoint(self.steady)
        self.assertEqual(len(orderpoint), 1, "the forecast creates the missing rule")
        self.assertEqual(orderpoint.amazon_vendor_plan_id, plan)
        self.assertEqual((orderpoint.product_min_qty, orderpoint.product_max_qty), (0.0, 10.0))
        self.assertAlmostEqual(orderpoint.amazon_vendor_uncovered_qty, 50.0, places=2)
        self.assertAlmostEqual(orderpoint.qty_forecast, -50.0, places=2)
        # max 10 minus the projected stock -50 at the end of the lead time
        self.assertAlmostEqual(orderpoint.qty_to_order, 60.0, places=2)
        self.assertIn("35 days", orderpoint.amazon_vendor_explain)
        self.assertIn("Delay on Factory -&gt; WH (sea)", orderpoint.amazon_vendor_explain,
                      "the explanation shows which rules make the lead time")
        # Odoo's own procurement orders it through the sea-freight rule, due in 35 days
        orderpoint.action_replenish()
        move = self.env["stock.move"].search([("product_id", "=", self.steady.id),
                                              ("location_dest_id", "=",
                                               self.warehouse.lot_stock_id.id)])
        self.assertEqual(move.product_uom_qty, 60.0)
        self.assertEqual(move.rule_id, self.sea_route.rule_ids)
        orderpoint.invalidate_recordset()
        self.assertAlmostEqual(orderpoint.qty_forecast, 10.0, places=2)
        self.assertEqual(orderpoint.qty_to_order, 0.0)

    @freeze_time(TODAY)
    def test_orders_placed_from_today_cover_the_forecast_older_ones_do_not(self):
        self.company.amazon_vendor_orderpoint_trigger = "manual"  # no automatic order now
        self.run_forecast(refresh_history=False)
        orderpoint = self.orderpoint(self.steady)
        # yesterday's order is last week's demand still to ship: it covers nothing ahead
        self._amazon_order(self.steady, 20, datetime.datetime(2026, 6, 16, 9, 0))
        orderpoint.invalidate_recordset()
        self.assertAlmostEqual(orderpoint.amazon_vendor_uncovered_qty, 50.0, places=2)
        self.assertAlmostEqual(orderpoint.qty_forecast, -70.0, places=2)
        self.assertAlmostEqual(orderpoint.qty_to_order, 80.0, places=2)
        # today's order is part of the forecast demand: 15 of the 50 are now ordered
        self._amazon_order(self.steady, 15, datetime.datetime(2026, 6, 17, 8, 0))
        orderpoint.invalidate_recordset()
        self.assertAlmostEqual(orderpoint.amazon_vendor_uncovered_qty, 35.0, places=2)
        self.assertAlmostEqual(orderpoint.qty_forecast, -70.0, places=2, msg="no double count")
        self.assertAlmostEqual(orderpoint.qty_to_order, 80.0, places=2)

    @freeze_time(TODAY)
    def test_uncovered_forecast_is_ordered_in_whole_multiples(self):
        self.company.amazon_vendor_orderpoint_trigger = "manual"
        self.run_forecast(refresh_history=False)
        orderpoint = self.orderpoint(self.steady)
        orderpoint.qty_multiple = 12
        # max 10 and nothing on hand: Odoo rounds 10 down to 0 multiples; the 50 expected
        # units not ordered yet are 5 multiples of 12
        self.assertEqual(orderpoint.qty_to_order, 60.0)

    @freeze_time(TODAY)
    def test_service_level_drives_safety_stock(self):
        high = self._product("Noisy kettle A", amazon_vendor_service_level=0.98)
        low = self._product("Noisy kettle C", amazon_vendor_service_level=0.90)
        series = self.poisson(20, 104, seed=3)
        self._demand(high, series, LAST_WEEK)
        self._demand(low, series, LAST_WEEK)
        self.run_forecast(refresh_history=False)
        plan_high, plan_low = self.plan(high), self.plan(low)
        self.assertGreater(plan_low.safety_stock, 0.0)
        self.assertGreater(plan_high.safety_stock, plan_low.safety_stock)
        quantiles = [plan_high[f] for f in ("q50", "q70", "q80", "q90", "q95", "q98", "q99")]
        self.assertEqual(quantiles, sorted(quantiles))
        self.assertAlmostEqual(plan_high.min_qty, plan_high.safety_stock)
        self.assertAlmostEqual(plan_high.max_qty - plan_high.min_qty, plan_high.review_demand,
                               places=1)
        week = self.env["amazon.vendor.forecast.line"].search(
            [("product_id", "=", high.id), ("weeks_ahead", "=", 1)])
        self.assertGreater(week.p90_qty, week.p70_qty)
        self.assertGreater(week.p70_qty, week.forecast_qty * 0.9)
        # the quantiles were learnt on past lead-time windows of the demand pattern, and the
        # explanation says how, next to the class's correction of the forecast
        self.assertGreater(plan_high.calibration_windows, 0)
        self.assertEqual(len(plan_high.quantile_recipes.split(",")), 7)
        self.assertTrue(0.8 <= plan_high.forecast_correction <= 1.2)
        explain = self.orderpoint(high).amazon_vendor_explain
        self.assertIn("Quantile learnt from", explain)
        self.assertIn("Correction learnt on past forecasts", explain)
        self.assertIn(str(escape(plan_high._quantile_source())), explain)
        self.assertNotEqual(plan_high._quantile_source(), "-")
        # every recipe the engine can choose is explained in words
        self.assertLessEqual(set(calibrate.RECIPES), set(QUANTILE_RECIPES))
        codes = plan_high.quantile_recipes
        for recipe in QUANTILE_RECIPES:
            plan_high.quantile_recipes = ",".join([recipe] * 7)
            self.assertNotEqual(plan_high._quantile_source(), "-", recipe)
        plan_high.quantile_recipes = codes
        # a planner lowers the service level: levels and the rule follow without a new run
        high.amazon_vendor_service_level = 0.90
        self.assertAlmostEqual(plan_high.safety_stock, plan_low.safety_stock, places=1)
        self.assertAlmostEqual(self.orderpoint(high).product_min_qty, plan_low.min_qty, places=1)

    @freeze_time(TODAY)
    def test_series_no_longer_forecast_release_their_rule(self):
        self.run_forecast(refresh_history=False)
        orderpoint = self.orderpoint(self.steady)
        self.assertTrue(orderpoint.amazon_vendor_plan_id)
        self.steady.amazon_vendor_forecast_enabled = False
        self.run_forecast(refresh_history=False)
        self.assertFalse(self.plan(self.steady), "the stale plan is gone")
        self.assertFalse(orderpoint.amazon_vendor_plan_id)
        self.assertFalse(orderpoint.amazon_vendor_forecast_active)
        # Odoo's own rule again: the max stays, a zero min takes the max
        self.assertEqual((orderpoint.product_min_qty, orderpoint.product_max_qty), (10.0, 10.0))

    @freeze_time(TODAY)
    def test_manual_rules_survive_odoos_cleanup(self):
        self.company.amazon_vendor_orderpoint_trigger = "manual"
        self.env["stock.quant"]._update_available_quantity(
            self.steady, self.warehouse.lot_stock_id, 500.0)
        self.run_forecast(refresh_history=False)
        orderpoint = self.orderpoint(self.steady)
        self.assertEqual(orderpoint.qty_to_order, 0.0)
        self.env["stock.warehouse.orderpoint"]._unlink_processed_orderpoints()
        self.assertTrue(orderpoint.exists(), "a forecast rule with nothing to order stays")

    def test_cron_runs_each_company_and_reports_it_is_done(self):
        # not frozen: the simulator shares this process's clock and must see reports finish
        cron = self.env.ref("acorn_amazon_vendor_forecast.ir_cron_run_forecast")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        self.simulator_control("settings", {"report_delay": 0.2})
        self.env["amazon.vendor.forecast.run"].with_context(
            ir_cron_progress_id=progress.id)._cron_run_forecast()
        self.assertEqual((progress.done, progress.remaining), (1, 0),
                         "a finished job must not ask to be run again")
        run = self.env["amazon.vendor.forecast.run"].search(
            [("company_id", "=", self.company.id)], limit=1)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.report_count, 3)

    @freeze_time(TODAY)
    def test_abc_classes_follow_amazon_revenue_unless_fixed(self):
        big, middle, small = (self._product(name) for name in ("Big", "Middle", "Small"))
        fixed = self._product("Fixed", amazon_vendor_abc_class="A", amazon_vendor_abc_fixed=True)
        for product, qty in ((big, 100), (middle, 15), (small, 5), (fixed, 1)):
            self._amazon_order(product, qty, datetime.datetime(2026, 5, 4, 9, 0))
        self.run_forecast(refresh_history=False)
        self.assertEqual([p.amazon_vendor_abc_class for p in (big, middle, small, fixed)],
                         ["A", "B", "C", "A"])

    @freeze_time(TODAY)
    def test_salesman_reads_rules_without_access_to_plans(self):
        self.run_forecast(refresh_history=False)
        salesman = self.env["res.users"].create({
            "name": "Salesman", "login": "salesman-forecast",
            "groups_id": [Command.set([self.env.ref("sales_team.group_sale_salesman").id])]})
        self.assertFalse(self.env["amazon.vendor.forecast.plan"].with_user(salesman)
                         .has_access("read"))
        orderpoint = self.orderpoint(self.steady).with_user(salesman)
        orderpoint.invalidate_recordset()
        self.assertAlmostEqual(orderpoint.qty_forecast, -50.0, places=2)
        self.assertIn("Safety stock", orderpoint.amazon_vendor_explain)

    def test_run_now_starts_the_job_in_the_background_for_managers_only(self):
        cron = self.env.ref("acorn_amazon_vendor_forecast.ir_cron_run_forecast")
        Run = self.env["amazon.vendor.forecast.run"]
        action = Run.with_user(self.env.ref("base.user_admin")).action_run_now()
        self.assertEqual(action["tag"], "display_notification")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        clerk = self.env["res.users"].create({
            "name": "Clerk", "login": "clerk-forecast",
            "groups_id": [Command.set([self.env.ref("stock.group_stock_user").id])]})
        with self.assertRaises(AccessError):
            Run.with_user(clerk).action_run_now()

    @freeze_time(TODAY)
    def test_switches_leave_rules_as_set_by_hand(self):
        manual = self._product("Hand-planned mixer", amazon_vendor_forecast_enabled=False)
        self._demand(manual, [5.0] * 30, LAST_WEEK)
        self.run_forecast(refresh_history=False)
        self.assertFalse(self.plan(manual))
        self.assertFalse(self.orderpoint(manual), "no rule is created for a product switched off")
        orderpoint = self.orderpoint(self.steady)
        self.assertTrue(orderpoint.amazon_vendor_forecast_active)
        self.warehouse.amazon_vendor_forecast_enabled = False
        self.assertFalse(orderpoint.amazon_vendor_forecast_active)
        orderpoint.write({"product_min_qty": 3.0, "product_max_qty": 40.0})
        orderpoint.invalidate_recordset()
        self.assertEqual(orderpoint.amazon_vendor_uncovered_qty, 0.0)
        self.assertEqual(orderpoint.qty_forecast, 0.0, "plain Odoo projection")
        self.assertEqual(orderpoint.qty_to_order, 40.0)
        self.assertIn("switched off", orderpoint.amazon_vendor_explain)

    def test_runs_keep_their_history_for_accuracy(self):
        with freeze_time(TODAY):
            first = self.run_forecast(refresh_history=False)
        self._demand(self.steady, [14.0, 6.0], datetime.date(2026, 6, 21))
        with freeze_time("2026-07-01 10:00:00"):
            second = self.run_forecast(refresh_history=False)
        Line = self.env["amazon.vendor.forecast.line"]
        horizon = self.company.amazon_vendor_forecast_horizon
        self.assertEqual(Line.search_count([("run_id", "=", first.id),
                                            ("product_id", "=", self.steady.id)]), horizon)
        self.assertEqual(Line.search_count([("run_id", "=", second.id),
                                            ("product_id", "=", self.steady.id)]), horizon)
        self.assertEqual(self.plan(self.steady).run_id, second)
        accuracy = self.env["amazon.vendor.forecast.accuracy"].search(
            [("run_id", "=", first.id), ("product_id", "=", self.steady.id),
             ("week_start", "in", ["2026-06-14", "2026-06-21", "2026-06-28"])])
        by_week = {a.week_start.isoformat(): (a.forecast_qty, a.actual_qty) for a in accuracy}
        self.assertEqual(by_week["2026-06-14"][1], 14.0)
        self.assertEqual(by_week["2026-06-21"][1], 6.0)
        self.assertEqual(by_week["2026-06-28"][1], 0.0, "a week without orders counts as zero")
        self.assertAlmostEqual(by_week["2026-06-21"][0], 10.0, places=2)

    @freeze_time(TODAY)
    def test_stockout_risk_warns_once_and_shows_on_dashboard(self):
        self.env["stock.quant"]._update_available_quantity(
            self.steady, self.warehouse.lot_stock_id, 30.0)
        self.run_forecast(refresh_history=False)
        plan = self.plan(self.steady)
        self.assertTrue(plan.stockout_risk)
        today = datetime.date(2026, 6, 17)
        self.assertTrue(today + datetime.timedelta(days=14) <= plan.stockout_date
                        <= today + datetime.timedelta(days=21), plan.stockout_date)
        self.assertAlmostEqual(plan.shortage_qty, 20.0, places=1)  # 5 weeks x 10 - 30
        activity_type = self.env.ref("acorn_amazon_vendor_forecast.mail_activity_type_stockout")
        domain = [("res_model", "=", "product.template"),
                  ("res_id", "=", self.steady.product_tmpl_id.id),
                  ("activity_type_id", "=", activity_type.id)]
        self.assertEqual(self.env["mail.activity"].search_count(domain), 1)
        self.run_forecast(refresh_history=False)
        self.assertEqual(self.env["mail.activity"].search_count(domain), 1, "warned once")
        self.assertEqual(self.account.dashboard_stockout_risk, 1)
        cover = self.env["amazon.vendor.cover.report"].search(
            [("product_id", "=", self.steady.id)])
        self.assertEqual(sum(cover.mapped("on_hand_qty")), 30.0)
        self.assertAlmostEqual(sum(cover.mapped("forecast_4w_qty")), 40.0, places=1)

    @freeze_time(TODAY)
    def test_new_product_uses_amazons_forecast_and_obsolete_goes_to_zero(self):
        new = self._product("Launch blender", amazon_vendor_asin="B0NEWNEW01")
        document = self.env["amazon.vendor.document"].create({
            "account_id": self.account.id, "kind": "report", "external_id": "R-NEW",
            "report_type": "GET_VENDOR_FORECASTING_REPORT", "state": "processed",
            "report_date": datetime.date(2026, 6, 16),
            "report_marketplace_id": self.marketplace_us.id})
        self.env["amazon.vendor.report.forecast"].create([{
            "document_id": document.id, "account_id": self.account.id, "product_id": new.id,
            "asin": "B0NEWNEW01", "generation_date": datetime.date(2026, 6, 16),
            "week_start": datetime.date(2026, 6, 14) + datetime.timedelta(weeks=w),
            "mean_units": 15.0, "p70_units": 17.0, "p80_units": 19.0, "p90_units": 22.0,
        } for w in range(26)])
        old = self._product("Discontinued toaster")
        self._demand(old, [8.0] * 30 + [0.0] * 30, LAST_WEEK)
        self.run_forecast(refresh_history=False)
        new_plan, old_plan = self.plan(new), self.plan(old)
        self.assertEqual(new_plan.demand_class, "new")
        self.assertEqual(new_plan.method, "amazon")
        self.assertGreater(new_plan.weekly_forecast, 0.0)
        self.assertEqual(old_plan.demand_class, "obsolete")
        self.assertEqual(old_plan.weekly_forecast, 0.0)
        self.assertEqual((old_plan.min_qty, old_plan.max_qty), (0.0, 0.0))
        chart = self.env["amazon.vendor.forecast.chart"].search([("product_id", "=", new.id)])
        self.assertEqual(set(chart.mapped("series")), {
            "own", "amazon_orders", "forecast", "forecast_p90", "amazon_mean", "amazon_p70",
            "amazon_p90"})

    @freeze_time(TODAY)
    def test_obsolete_after_zero_weeks_is_learnt_from_the_history(self):
        """0 weeks: the engine learns the spell without orders that makes a product obsolete;
        with too few products to judge any spell, the former 26 weeks apply."""
        Run = self.env["amazon.vendor.forecast.run"]
        self.assertEqual(Run._engine_params(self.company).obsolete_after, 26)
        self.company.amazon_vendor_obsolete_weeks = 0
        self.assertIsNone(Run._engine_params(self.company).obsolete_after)
        old = self._product("Discontinued kettle")
        self._demand(old, [6.0] * 20 + [0.0] * 32, LAST_WEEK)
        run = self.run_forecast(refresh_history=False)
        self.assertEqual(self.plan(old).demand_class, "obsolete")
        self.assertEqual(self.plan(self.steady).demand_class, "smooth")
        self.assertEqual(run.obsolete_rule, "26 weeks (too little history to learn it)")
        self.company.amazon_vendor_obsolete_weeks = 30
        run = self.run_forecast(refresh_history=False)
        self.assertEqual(run.obsolete_rule, "30 weeks (setting)")
        self.assertEqual((run.obsolete_weeks, run.obsolete_source), (30, "given"))
        self.assertIn("never", run._obsolete_rule(0, "learnt"))
        self.assertFalse(run._obsolete_rule(0, False), "runs from before: no rule shown")
        self.assertEqual(run._obsolete_rule(13, "learnt"),
                         "13 weeks (learnt from the order history)")
        self.assertEqual(self.plan(old).demand_class, "obsolete")
        with self.assertRaises(ValidationError):
            self.company.amazon_vendor_obsolete_weeks = -1

    @freeze_time(TODAY)
    def test_new_rules_follow_the_company_trigger(self):
        self.company.amazon_vendor_orderpoint_trigger = "manual"
        product = self._product("Manual rule fan")
        self._demand(product, [3.0] * 20, LAST_WEEK)
        run = self.run_forecast(refresh_history=False)
        self.assertEqual(self.orderpoint(product).trigger, "manual")
        self.assertEqual(run.orderpoint_created_count, 2)
