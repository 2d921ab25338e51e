from odoo import fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    amazon_vendor_forecast_enabled = fields.Boolean(
        string="Forecast Amazon Demand", default=True,
        help="Untick to leave this warehouse's reordering rules as set by hand.")
