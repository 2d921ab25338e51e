from odoo import fields, models, tools


class AmazonVendorForecastAccuracy(models.Model):
    """Each past forecast of a week against what Amazon then ordered that week."""
    _name = "amazon.vendor.forecast.accuracy"
    _description = "Amazon Forecast Accuracy"
    _auto = False
    _order = "week_start desc"

    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    run_id = fields.Many2one("amazon.vendor.forecast.run", readonly=True)
    origin_week = fields.Date(string="Forecast Made In", readonly=True)
    week_start = fields.Date(string="Week", readonly=True)
    weeks_ahead = fields.Integer(readonly=True, aggregator="avg")
    forecast_qty = fields.Float(string="Forecast", readonly=True)
    own_qty = fields.Float(string="Own Forecast", readonly=True)
    amazon_qty = fields.Float(string="From Amazon's Forecast", readonly=True)
    actual_qty = fields.Float(string="Ordered by Amazon", readonly=True)
    error_qty = fields.Float(string="Error (Forecast - Ordered)", readonly=True,
                             help="Summed over weeks: the bias.")
    abs_error_qty = fields.Float(string="Absolute Error", readonly=True)
    own_abs_error_qty = fields.Float(string="Absolute Error (Own)", readonly=True)
    amazon_abs_error_qty = fields.Float(string="Absolute Error (Amazon)", readonly=True)
    p90_qty = fields.Float(string="Forecast P90", readonly=True)
    within_p90 = fields.Float(string="Weeks within P90 (%)", readonly=True, aggregator="avg",
                              help="Share of weeks Amazon ordered no more than the P90: about "
                                   "90% when the quantiles are right.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE VIEW {self._table} AS
            SELECT l.id, l.company_id, l.product_id, l.warehouse_id, l.run_id, l.origin_week,
                   l.week_start, l.weeks_ahead, l.forecast_qty, l.own_qty, l.amazon_qty,
                   COALESCE(d.ordered_qty, 0) AS actual_qty,
                   l.forecast_qty - COALESCE(d.ordered_qty, 0) AS error_qty,
                   ABS(l.forecast_qty - COALESCE(d.ordered_qty, 0)) AS abs_error_qty,
                   ABS(l.own_qty - COALESCE(d.ordered_qty, 0)) AS own_abs_error_qty,
                   ABS(l.amazon_qty - COALESCE(d.ordered_qty, 0)) AS amazon_abs_error_qty,
                   l.p90_qty,
                   CASE WHEN COALESCE(d.ordered_qty, 0) <= l.p90_qty THEN 100.0 ELSE 0.0 END
                       AS within_p90
              FROM amazon_vendor_forecast_line l
              LEFT JOIN amazon_vendor_demand_week d
                ON d.product_id = l.product_id AND d.warehouse_id = l.warehouse_id
               AND d.week_start = l.week_start
             WHERE l.week_start + 7 <= (NOW() AT TIME ZONE 'UTC')::date
        """)
