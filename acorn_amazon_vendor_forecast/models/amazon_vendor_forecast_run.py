import datetime
import io
import logging
import time
from collections import defaultdict

import numpy as np
from psycopg2.extras import execute_values

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..lib import forecast_engine, replenishment
from .amazon_vendor_forecast_plan import QUANTILE_FIELDS, QUANTILE_LEVELS

_logger = logging.getLogger(__name__)

BATCH = 5000


class AmazonVendorForecastRun(models.Model):
    """One weekly forecast of a company: when, how long, how many series, what came out."""
    _name = "amazon.vendor.forecast.run"
    _description = "Amazon Forecast Run"
    _order = "id desc"

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    state = fields.Selection([("running", "Running"), ("done", "Done"), ("failed", "Failed")],
                             default="running", required=True, readonly=True)
    origin_week = fields.Date(string="Forecast Week", readonly=True)
    started_at = fields.Datetime(readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True, digits=(16, 2))
    engine_seconds = fields.Float(string="Engine (s)", readonly=True, digits=(16, 3))
    series_count = fields.Integer(string="Products × Warehouses", readonly=True)
    orderpoint_created_count = fields.Integer(string="Reordering Rules Created", readonly=True)
    stockout_count = fields.Integer(string="Stock-out Risks", readonly=True)
    report_count = fields.Integer(string="Amazon Reports Received", readonly=True)
    class_summary = fields.Char(string="Demand Classes", readonly=True)
    obsolete_weeks = fields.Integer(readonly=True)
    obsolete_source = fields.Selection(
        [("given", "Setting"), ("learnt", "Learnt from the order history"),
         ("default", "Too little history to learn it")], readonly=True)
    obsolete_rule = fields.Char(
        string="Obsolete After", compute="_compute_obsolete_rule",
        help="The spell without Amazon orders after which this run forecast a product at zero: "
             "the company's setting, or learnt from the order history when the setting is 0.")
    timing_summary = fields.Char(string="Time per Step", readonly=True)
    message = fields.Text(readonly=True)
    line_ids = fields.One2many("amazon.vendor.forecast.line", "run_id")

    def _compute_name(self):
        for run in self:
            run.name = _("Forecast of %(week)s", week=run.origin_week or "")

    # -- entry points -------------------------------------------------------------------
    @api.model
    def _cron_run_forecast(self):
        companies = self.env["amazon.vendor.account"].search([]).company_id
        for done, company in enumerate(companies, 1):
            # reports first and apart: a failed forecast must not lose what Amazon sent,
            # it never sends an old forecast again
            reports = self._fetch_company_reports(company)
            try:
                with self.env.cr.savepoint():
                    run = self.with_company(company)._run_forecast(company)
                    run.report_count = len(reports)
            except Exception as exc:  # one company's failure must not stop the others
                _logger.exception("Amazon forecast of company %s failed", company.id)
                self.create({"company_id": company.id, "state": "failed",
                             "started_at": fields.Datetime.now(),
                             "message": _("The forecast failed: %s", exc)})
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(companies) - done)

    @api.model
    def action_run_now(self):
        """Start the weekly job now, in the background: it can take minutes."""
        if not (self.env.user.has_group("acorn_amazon_vendor.group_amazon_vendor_manager")
                or self.env.user.has_group("stock.group_stock_manager")):
            raise AccessError(_("Only Amazon Vendor managers and inventory administrators can "
                                "run the forecast."))
        self.env.ref("acorn_amazon_vendor_forecast.ir_cron_run_forecast").sudo()._trigger()
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "type": "info", "sticky": False,
            "message": _("The forecast has started; its result appears under Forecast Runs "
                         "in a few minutes."),
            "next": {"type": "ir.actions.act_window_close"}}}

    @api.model
    def _fetch_company_reports(self, company):
        """Amazon's reports for the company's accounts, archived in their own savepoint: the
        forecast still runs on the reports already archived when this fails."""
        accounts = self.env["amazon.vendor.account"].search(
            [("company_id", "=", company.id), ("active", "=", True)])
        try:
            with self.env.cr.savepoint():
                reports = accounts._fetch_amazon_reports()
        except Exception:  # logged; the forecast goes on
            _logger.exception("Amazon reports of company %s not fetched", company.id)
            return self.env["amazon.vendor.document"]
        self.env.flush_all()  # the forecast reads them with SQL
        return reports

    @api.model
    def _run_forecast(self, company, fetch_reports=False, today=None, refresh_history=True):
        """Refresh the demand history, forecast every series, store the forecast, update the
        replenishment plans and reordering rules, flag stock-out risks."""
        today = today or fields.Date.context_today(self)
        started = time.monotonic()
        clock = _StepClock()
        self.env.flush_all()  # the run reads with SQL
        Data = self.env["amazon.vendor.forecast.data"]
        origin = Data._origin(today)
        run = self.create({"company_id": company.id, "origin_week": origin,
                           "started_at": fields.Datetime.now()})
        reports = self.env["amazon.vendor.document"]
        if fetch_reports:
            reports = self._fetch_company_reports(company)
            clock.lap("reports")
        if refresh_history:
            self.env["amazon.vendor.demand.week"]._refresh(company, today=today)
            clock.lap("history")
        history = company.amazon_vendor_forecast_history
        keys = Data._series_keys(company, origin - datetime.timedelta(weeks=history))
        created = self.env["stock.warehouse.orderpoint"]._amazon_vendor_ensure_orderpoints(
            company, keys)
        clock.lap("rules")
        summary = {}
        if keys:
            summary = run._forecast_series(company, keys, origin, today, clock)
        plans = self.env["amazon.vendor.forecast.plan"].search(
            [("company_id", "=", company.id), ("run_id", "=", run.id)])
        at_risk = self.env["amazon.vendor.forecast.warnings"]._flag_stockouts(plans, today)
        clock.lap("warnings")
        # series no longer forecast (switched off, archived, no recent demand) release their
        # rules: the rules keep their last levels and become the planner's again
        self.env["amazon.vendor.forecast.plan"].search(
            [("company_id", "=", company.id), ("run_id", "!=", run.id)]).unlink()
        run.write({
            "state": "done", "duration": time.monotonic() - started,
            "series_count": len(keys), "orderpoint_created_count": len(created),
            "stockout_count": len(at_risk), "report_count": len(reports),
            "class_summary": ", ".join(f"{k}: {v}" for k, v in sorted(summary.items())),
            "timing_summary": clock.summary(),
        })
        _logger.info("Amazon forecast of company %s: %d series in %.2fs (%s)", company.id,
                     len(keys), run.duration, run.timing_summary)
        return run

    # -- the forecast ---------------------------------------------------------------------
    def _engine_params(self, company):
        methods = {cls: company[f"amazon_vendor_method_{cls}"]
                   for cls in ("smooth", "erratic", "intermittent", "lumpy")}
        return forecast_engine.EngineParams(
            horizon=company.amazon_vendor_forecast_horizon, season_length=52,
            # 0: the engine learns it on the order history (select.obsolete_run)
            obsolete_after=company.amazon_vendor_obsolete_weeks or None,
            min_history=company.amazon_vendor_new_product_weeks,
            quantile_levels=QUANTILE_LEVELS,
            method_by_class={k: v for k, v in methods.items() if v != "auto"} or None)

    def _forecast_series(self, company, keys, origin, today, clock):
        self.ensure_one()
        Data = self.env["amazon.vendor.forecast.data"]
        params = self._engine_params(company)
        history = company.amazon_vendor_forecast_history
        demand = Data._demand_matrix(company, keys, origin, history)
        amazon = Data._amazon_signal(company, keys, origin, params.horizon, history)
        lead_days = self.env["stock.warehouse.orderpoint"]._amazon_vendor_lead_days(keys, today)
        review_days = company.amazon_vendor_review_days
        products = self.env["product.product"].browse([p for p, _w in keys])
        override = np.array([p.amazon_vendor_blend_weight
                             if p.amazon_vendor_blend_mode == "manual" else np.nan
                             for p in products])
        # The lead time counts from now, while week 0 of the forecast started on Sunday.
        elapsed_days = (today - origin).days
        lead_weeks = (lead_days + elapsed_days) / 7.0
        clock.lap("input")
        engine_start = time.monotonic()
        result = forecast_engine.forecast(
            demand, params, amazon=amazon, lead_time=lead_weeks,
            lead_time_std=np.full(len(keys), company.amazon_vendor_lead_time_std_days / 7.0),
            review=np.full(len(keys), review_days / 7.0), weights_override=override)
        # the spread of one week's demand, for the weekly bands shown with the forecast
        week = forecast_engine.forecast(
            demand, params, amazon=amazon, lead_time=np.zeros(len(keys)),
            review=np.ones(len(keys)), weights_override=override)
        spread = np.asarray(week.lt_quantiles) - np.asarray(week.lt_demand_mean)[:, None]
        self.write({"engine_seconds": time.monotonic() - engine_start,
                    "obsolete_weeks": result.obsolete_after or 0,
                    "obsolete_source": result.obsolete_source})
        clock.lap("engine")
        self._store_lines(company, keys, origin, result, spread)
        clock.lap("lines")
        self._store_plans(company, keys, result, lead_days, review_days, elapsed_days)
        clock.lap("plans")
        self._update_abc_classes(company, today)
        clock.lap("abc")
        classes, counts = np.unique(result.demand_class, return_counts=True)
        return dict(zip(classes.tolist(), counts.tolist(), strict=False))

    @api.depends("obsolete_weeks", "obsolete_source")
    def _compute_obsolete_rule(self):
        for run in self:
            run.obsolete_rule = run._obsolete_rule(run.obsolete_weeks, run.obsolete_source)

    def _obsolete_rule(self, weeks, source):
        """How the run decided that a product is obsolete, for the planner (in their
        language: computed, not stored)."""
        if not source:
            return False
        if source == "given":
            return _("%(weeks)s weeks (setting)", weeks=weeks)
        if source == "default":
            return _("%(weeks)s weeks (too little history to learn it)", weeks=weeks)
        if not weeks:
            return _("never (learnt: after every spell the history can judge, too many "
                     "products were ordered again)")
        return _("%(weeks)s weeks (learnt from the order history)", weeks=weeks)

    def _store_lines(self, company, keys, origin, result, spread):
        """COPY the weekly forecast of every series: a run stores n x horizon rows."""
        n, horizon = result.mean.shape
        # NULL where Amazon gave no forecast: unknown, not zero (charts leave a gap)
        amazon_part = result.amazon_mean if result.amazon_mean is not None \
            else np.full_like(result.mean, np.nan)
        weeks = [(origin + datetime.timedelta(weeks=h)).isoformat() for h in range(horizon)]
        now = fields.Datetime.to_string(fields.Datetime.now())
        prefix = f"{self.id}\t{company.id}\t"
        suffix = f"\t{origin.isoformat()}\t{now}\t{now}\n"
        p70 = np.maximum(result.mean + spread[:, [QUANTILE_LEVELS.index(0.7)]], 0.0)
        p90 = np.maximum(result.mean + spread[:, [QUANTILE_LEVELS.index(0.9)]], 0.0)
        buffer = io.StringIO()
        for i, (product, warehouse) in enumerate(keys):
            head = f"{prefix}{product}\t{warehouse}\t{result.method[i]}\t{result.demand_class[i]}\t"
            mean, own, amazon = result.mean[i], result.own_mean[i], amazon_part[i]
            low, high = p70[i], p90[i]
            buffer.writelines(
                f"{head}{weeks[h]}\t{h}\t{mean[h]:.4f}\t{own[h]:.4f}\t{_copy_number(amazon[h])}\t"
                f"{low[h]:.4f}\t{high[h]:.4f}{suffix}" for h in range(horizon))
        buffer.seek(0)
        self.env.cr._obj.copy_expert(
            "COPY amazon_vendor_forecast_line (run_id, company_id, product_id, warehouse_id, "
            "method, demand_class, week_start, weeks_ahead, forecast_qty, own_qty, amazon_qty, "
            "p70_qty, p90_qty, origin_week, create_date, write_date) FROM STDIN", buffer)

    def _store_plans(self, company, keys, result, lead_days, review_days, elapsed_days):
        """Upsert the plans in bulk, then let the ORM recompute the levels and the
        reordering rules that depend on them."""
        now = fields.Datetime.now()
        rows = []
        for i, (product, warehouse) in enumerate(keys):
            weekly = result.mean[i].tolist()
            # forecast still to come in the current week, then over lead time and review
            lead = replenishment.weekly_share(weekly, elapsed_days + lead_days[i]) \
                - replenishment.weekly_share(weekly, elapsed_days)
            review = replenishment.weekly_share(
                weekly, elapsed_days + lead_days[i] + review_days) \
                - replenishment.weekly_share(weekly, elapsed_days + lead_days[i])
            quantiles = [max(0.0, float(q)) for q in result.lt_quantiles[i]]
            rmsse = result.rolling_rmsse[i] if result.rolling_rmsse is not None else np.nan
            recipes = ",".join(result.quantile_recipe[i]) \
                if result.quantile_recipe is not None else None
            windows = int(result.calibration_windows[i]) \
                if result.calibration_windows is not None else 0
            correction = _finite(result.correction[i]) if result.correction is not None else 1.0
            rows.append((
                company.id, product, warehouse, self.id, str(result.demand_class[i]),
                str(result.method[i]), _finite(result.adi[i]), _finite(result.cv2[i]),
                _finite(rmsse), float(result.amazon_weight[i]), float(lead_days[i]),
                float(review_days), float(np.mean(result.mean[i, :4])), lead, review,
                float(result.lt_demand_mean[i]), *quantiles, recipes, windows, correction,
                self.env.uid, now, self.env.uid, now))
        columns = ("company_id, product_id, warehouse_id, run_id, demand_class, method, adi, "
                   "cv2, rmsse, amazon_weight, lead_days, review_days, weekly_forecast, "
                   "lead_demand, review_demand, lead_review_demand, "
                   + ", ".join(QUANTILE_FIELDS)
                   + ", quantile_recipes, calibration_windows, forecast_correction"
                   + ", create_uid, create_date, write_uid, write_date")
        updates = ", ".join(f"{c.strip()} = EXCLUDED.{c.strip()}" for c in columns.split(",")
                            if c.strip() not in ("product_id", "warehouse_id", "create_uid",
                                                 "create_date"))
        ids = []
        for start in range(0, len(rows), BATCH):
            ids += [row[0] for row in execute_values(self.env.cr._obj, f"""
                INSERT INTO amazon_vendor_forecast_plan ({columns}) VALUES %s
                ON CONFLICT (product_id, warehouse_id) DO UPDATE SET {updates}
                RETURNING id""", rows[start:start + BATCH], page_size=BATCH, fetch=True)]
        Plan = self.env["amazon.vendor.forecast.plan"]
        Plan.invalidate_model()
        plans = Plan.browse(ids)
        plans.modified(["lead_review_demand", "review_demand", *QUANTILE_FIELDS,
                        "quantile_recipes", "calibration_windows", "forecast_correction"])
        plans.flush_recordset()
        orderpoints = self.env["stock.warehouse.orderpoint"].search(
            [("product_id", "in", list({p for p, _w in keys})),
             ("company_id", "=", company.id)])
        orderpoints._amazon_vendor_link_plans()

    def _update_abc_classes(self, company, today):
        classes = self.env["amazon.vendor.forecast.data"]._abc_classes(
            company, today, company.amazon_vendor_abc_share_a, company.amazon_vendor_abc_share_b)
        to_set = defaultdict(lambda: self.env["product.template"])
        for product in self.env["product.product"].browse(list(classes)):
            template, abc = product.product_tmpl_id, classes[product.id]
            if not template.amazon_vendor_abc_fixed and template.amazon_vendor_abc_class != abc:
                to_set[abc] |= template
        for abc, templates in to_set.items():  # one write per class
            templates.amazon_vendor_abc_class = abc


class _StepClock:
    """Seconds per step of a run, for the run record and the log."""

    def __init__(self):
        self.last, self.steps = time.monotonic(), []

    def lap(self, name):
        now = time.monotonic()
        self.steps.append((name, now - self.last))
        self.last = now

    def summary(self):
        return ", ".join(f"{name} {seconds:.2f}s" for name, seconds in self.steps)


def _finite(value):
    value = float(value)
    return value if np.isfinite(value) else 0.0


def _copy_number(value):
    """A COPY field: 4 decimals, or NULL for an unknown (NaN) value."""
    return f"{value:.4f}" if np.isfinite(value) else "\\N"
