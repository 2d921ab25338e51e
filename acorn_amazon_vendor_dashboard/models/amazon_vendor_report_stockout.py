from odoo import fields, models, tools
from odoo.tools import SQL


class AmazonVendorReportStockout(models.Model):
    """The forecast's stock-out risks: one row per product and warehouse whose stock and
    receipts will not cover the forecast within the lead time, dated when it runs out."""
    _name = "amazon.vendor.report.stockout"
    _description = "Amazon Stock-out Risks (Dashboard)"
    _auto = False
    _rec_name = "product_id"
    _order = "date, id"

    plan_id = fields.Many2one("amazon.vendor.forecast.plan", string="Replenishment Plan",
                              readonly=True)
    date = fields.Date(string="Runs Out On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    risk_count = fields.Integer(string="Stock-out Risks", readonly=True)
    shortage_qty = fields.Float(string="Short by End of Lead Time", readonly=True,
                                digits="Product Unit of Measure")
    weekly_forecast = fields.Float(readonly=True, digits="Product Unit of Measure")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("""
            CREATE OR REPLACE VIEW %(table)s AS (
            SELECT p.id, p.id AS plan_id, p.stockout_date AS date, p.company_id,
                   p.product_id, p.warehouse_id, 1 AS risk_count,
                   p.shortage_qty, p.weekly_forecast
              FROM amazon_vendor_forecast_plan p
             WHERE p.stockout_risk
            )""", table=SQL.identifier(self._table)))
