from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import float_round

from ..lib import replenishment
from .amazon_vendor_forecast_line import DEMAND_CLASSES, ENGINE_METHODS

# Quantile levels of the lead time + review demand kept per plan (and their columns).
QUANTILE_LEVELS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99)
QUANTILE_FIELDS = ("q50", "q70", "q80", "q90", "q95", "q98", "q99")
# How the engine made a quantile (forecast_engine.calibrate): the explanation's wording.
QUANTILE_RECIPES = ("today", "spread", "naive", "history", "compound", "amazon", "none")


class AmazonVendorForecastPlan(models.Model):
    """The current replenishment basis of one product in one warehouse: the latest forecast
    over the lead time + review period and the reordering levels it gives."""
    _name = "amazon.vendor.forecast.plan"
    _description = "Amazon Replenishment Plan"
    _order = "stockout_date, product_id"
    _rec_name = "product_id"

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    product_id = fields.Many2one("product.product", required=True, index=True, readonly=True,
                                 ondelete="cascade")
    product_tmpl_id = fields.Many2one(related="product_id.product_tmpl_id")
    warehouse_id = fields.Many2one("stock.warehouse", required=True, index=True, readonly=True,
                                   ondelete="cascade")
    run_id = fields.Many2one("amazon.vendor.forecast.run", string="Last Run", readonly=True,
                             ondelete="set null")
    uom_id = fields.Many2one(related="product_id.uom_id")
    abc_class = fields.Selection(related="product_id.amazon_vendor_abc_class",
                                 string="ABC Class")
    demand_class = fields.Selection(DEMAND_CLASSES, readonly=True)
    method = fields.Selection(ENGINE_METHODS, readonly=True)
    adi = fields.Float(string="ADI", readonly=True, digits=(16, 2),
                       help="Average interval between weeks with orders.")
    cv2 = fields.Float(string="CV²", readonly=True, digits=(16, 2),
                       help="Squared coefficient of variation of the order sizes.")
    rmsse = fields.Float(string="RMSSE", readonly=True, digits=(16, 3),
                         help="Error on past weeks relative to a naive forecast (below 1 is "
                              "better than repeating last week).")
    amazon_weight = fields.Float(string="Weight of Amazon's Forecast", readonly=True,
                                 digits=(16, 2))
    lead_days = fields.Float(string="Lead Time (days)", readonly=True,
                             help="Odoo's lead days of the reordering rule: supplier or "
                                  "manufacturing delay plus transit and inbound rules.")
    review_days = fields.Float(string="Review Period (days)", readonly=True)
    weekly_forecast = fields.Float(readonly=True,
                                   digits="Product Unit of Measure",
                                   help="Mean forecast of the next four weeks.")
    lead_demand = fields.Float(string="Forecast over Lead Time", readonly=True,
                               digits="Product Unit of Measure")
    review_demand = fields.Float(string="Forecast over Review Period", readonly=True,
                                 digits="Product Unit of Measure")
    lead_review_demand = fields.Float(string="Forecast over Lead Time + Review", readonly=True,
                                      digits="Product Unit of Measure")
    q50 = fields.Float(string="P50", readonly=True, digits="Product Unit of Measure")
    q70 = fields.Float(string="P70", readonly=True, digits="Product Unit of Measure")
    q80 = fields.Float(string="P80", readonly=True, digits="Product Unit of Measure")
    q90 = fields.Float(string="P90", readonly=True, digits="Product Unit of Measure")
    q95 = fields.Float(string="P95", readonly=True, digits="Product Unit of Measure")
    q98 = fields.Float(string="P98", readonly=True, digits="Product Unit of Measure")
    q99 = fields.Float(string="P99", readonly=True, digits="Product Unit of Measure")
    quantile_recipes = fields.Char(
        readonly=True,
        help="How each quantile was learnt, one code per quantile level, comma-separated.")
    calibration_windows = fields.Integer(
        string="Past Lead-Time Windows", readonly=True,
        help="Past forecasts of the lead time + review demand of this demand pattern, "
             "compared with what was then ordered, that the quantiles were learnt from.")
    forecast_correction = fields.Float(
        string="Class Correction", readonly=True, digits=(16, 2),
        help="Factor learnt on past forecasts of this demand pattern and applied to the "
             "forecast (below 1: the forecasts of the pattern used to run high).")
    service_level = fields.Float(compute="_compute_levels", store=True, digits=(16, 3))
    safety_stock = fields.Float(compute="_compute_levels", store=True,
                                digits="Product Unit of Measure")
    min_qty = fields.Float(string="Min", compute="_compute_levels", store=True,
                           digits="Product Unit of Measure")
    max_qty = fields.Float(string="Max", compute="_compute_levels", store=True,
                           digits="Product Unit of Measure")
    stockout_date = fields.Date(string="Runs Out On", readonly=True,
                                help="When on hand and incoming stock stop covering the "
                                     "forecast, if nothing more is ordered.")
    shortage_qty = fields.Float(string="Short by End of Lead Time", readonly=True,
                                digits="Product Unit of Measure")
    stockout_risk = fields.Boolean(string="Stock-out Risk", readonly=True, index=True)
    orderpoint_ids = fields.One2many("stock.warehouse.orderpoint", "amazon_vendor_plan_id",
                                     string="Reordering Rules")

    _sql_constraints = [
        ("product_warehouse_unique", "unique (product_id, warehouse_id)",
         "One replenishment plan per product and warehouse."),
    ]

    @api.depends(*QUANTILE_FIELDS, "lead_review_demand", "review_demand",
                 "product_id.amazon_vendor_service_level", "product_id.amazon_vendor_abc_class",
                 "company_id.amazon_vendor_service_level_a",
                 "company_id.amazon_vendor_service_level_b",
                 "company_id.amazon_vendor_service_level_c")
    def _compute_levels(self):
        for plan in self:
            template = plan.product_id.product_tmpl_id
            levels = plan.company_id._amazon_vendor_service_levels()
            plan.service_level = (template.amazon_vendor_service_level
                                  or levels.get(template.amazon_vendor_abc_class or "C"))
            values = [plan[name] for name in QUANTILE_FIELDS]
            safety, low, high = replenishment.order_levels(
                QUANTILE_LEVELS, values, plan.service_level, plan.lead_review_demand,
                plan.review_demand)
            rounding = plan.product_id.uom_id.rounding or 0.01
            plan.safety_stock = float_round(safety, precision_rounding=rounding,
                                            rounding_method="UP")
            plan.min_qty = float_round(low, precision_rounding=rounding, rounding_method="UP")
            plan.max_qty = float_round(high, precision_rounding=rounding, rounding_method="UP")

    def _explain_rows(self):
        """(label, value) pairs telling how the levels were reached."""
        self.ensure_one()
        classes, methods = dict(DEMAND_CLASSES), dict(ENGINE_METHODS)
        unit = self.uom_id.name or ""
        def qty(value):
            return f"{value:,.1f} {unit}"
        return [
            (_("Demand pattern"), _("%(cls)s (ADI %(adi).2f, CV² %(cv2).2f)",
                                    cls=classes.get(self.demand_class, "-"), adi=self.adi,
                                    cv2=self.cv2)),
            (_("Forecast method"), methods.get(self.method, "-")),
            (_("Weekly forecast"), qty(self.weekly_forecast)),
            (_("Weight of Amazon's forecast"), f"{self.amazon_weight:.0%}"),
            (_("Lead time"), _("%(days).0f days", days=self.lead_days)),
            (_("Review period"), _("%(days).0f days", days=self.review_days)),
            (_("Forecast over lead time"), qty(self.lead_demand)),
            (_("Forecast over lead time + review"), qty(self.lead_review_demand)),
            (_("Service level"), _("%(level).1f%% (class %(abc)s)",
                                   level=self.service_level * 100,
                                   abc=self.abc_class or "C")),
            (_("Correction learnt on past forecasts of this pattern"),
             f"× {self.forecast_correction or 1.0:.2f}"),
            (_("Quantile at the service level"),
             qty(self.lead_review_demand + self.safety_stock)),
            (_("Quantile learnt from"), self._quantile_source()),
            (_("Safety stock = quantile - forecast over lead time + review = Min"),
             qty(self.safety_stock)),
            (_("Max = Min + forecast over review period"), qty(self.max_qty)),
        ]

    def _quantile_source(self):
        """How the quantile at the plan's service level was learnt, in words."""
        self.ensure_one()
        codes = (self.quantile_recipes or "").split(",")
        if len(codes) != len(QUANTILE_LEVELS):
            return "-"
        nearest = min(range(len(QUANTILE_LEVELS)),
                      key=lambda i: abs(QUANTILE_LEVELS[i] - self.service_level))
        windows = self.calibration_windows
        texts = {
            "today": _("%(windows)s past forecast errors of this pattern, scaled to this "
                       "product's spread today", windows=windows),
            "spread": _("%(windows)s past forecast errors of this pattern, each scaled to "
                        "the spread of its time", windows=windows),
            "naive": _("%(windows)s past forecast errors of this pattern, scaled to the "
                       "week-to-week variation", windows=windows),
            "history": _("this product's own past totals over lead time + review"),
            "compound": _("how often and how much this product sold, pulled towards the "
                          "record of the other slow movers (%(windows)s past windows of this "
                          "pattern chose it)", windows=windows),
            "amazon": _("Amazon's P90 forecast"),
            "none": _("no spread (obsolete product)"),
        }
        return texts.get(codes[nearest], "-")

    def _explain_html(self, extra_rows=()):
        self.ensure_one()
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td class='text-end'>%s</td></tr>") % (label, value)
            for label, value in [*self._explain_rows(), *extra_rows])
        return Markup("<table class='table table-sm o_amazon_vendor_explain'>%s</table>") % rows

    def action_open_chart(self):
        self.ensure_one()
        return self.product_tmpl_id.action_amazon_vendor_forecast_chart()
