import datetime

from odoo import api, fields, models

# Past forecasts are kept this long for accuracy tracking, then vacuumed.
KEEP_WEEKS = 104

DEMAND_CLASSES = [
    ("smooth", "Smooth"), ("erratic", "Erratic"), ("intermittent", "Intermittent"),
    ("lumpy", "Lumpy"), ("new", "New"), ("obsolete", "Obsolete"),
]
ENGINE_METHODS = [
    ("ses", "Exponential smoothing"), ("tsb", "TSB"), ("croston_sba", "Croston SBA"),
    ("adida", "ADIDA"), ("imapa", "IMAPA"), ("eb", "Empirical Bayes rate"),
    ("ma", "Moving average"), ("ets", "Damped ETS"),
    ("combined", "Combination"), ("amazon", "Amazon's forecast"), ("zero", "Obsolete (zero)"),
]


class AmazonVendorForecastLine(models.Model):
    """One week of one run's forecast for a product in a warehouse. Lines of every run are
    kept: they are what the forecast said at the time, for accuracy tracking."""
    _name = "amazon.vendor.forecast.line"
    _description = "Amazon Demand Forecast (Week)"
    _order = "run_id desc, product_id, week_start"
    _rec_name = "product_id"

    run_id = fields.Many2one("amazon.vendor.forecast.run", required=True, index=True,
                             ondelete="cascade", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    product_id = fields.Many2one("product.product", required=True, index=True, readonly=True,
                                 ondelete="cascade")
    warehouse_id = fields.Many2one("stock.warehouse", required=True, readonly=True,
                                   ondelete="cascade")
    origin_week = fields.Date(string="Forecast Week", required=True, readonly=True,
                              help="Week the forecast was made in.")
    week_start = fields.Date(string="Week", required=True, readonly=True)
    weeks_ahead = fields.Integer(readonly=True)
    forecast_qty = fields.Float(string="Forecast", readonly=True,
                                digits="Product Unit of Measure")
    own_qty = fields.Float(string="Own Forecast", readonly=True,
                           digits="Product Unit of Measure")
    amazon_qty = fields.Float(string="From Amazon's Forecast", readonly=True,
                              digits="Product Unit of Measure",
                              help="Purchase orders expected from Amazon's sell-through "
                                   "forecast, stock and open orders.")
    p70_qty = fields.Float(string="P70", readonly=True, digits="Product Unit of Measure",
                           help="70% quantile of the week's demand (display; replenishment uses "
                                "the quantiles of the whole lead time).")
    p90_qty = fields.Float(string="P90", readonly=True, digits="Product Unit of Measure",
                           help="90% quantile of the week's demand.")
    method = fields.Selection(ENGINE_METHODS, readonly=True)
    demand_class = fields.Selection(DEMAND_CLASSES, readonly=True)

    @api.autovacuum
    def _gc_old_forecasts(self):
        limit = fields.Date.today() - datetime.timedelta(weeks=KEEP_WEEKS)
        self.env.cr.execute("DELETE FROM amazon_vendor_forecast_line WHERE origin_week < %s",
                            [limit])
