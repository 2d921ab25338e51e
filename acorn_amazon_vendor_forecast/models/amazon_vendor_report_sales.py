from odoo import fields, models


class AmazonVendorReportSales(models.Model):
    """Amazon's customer sales of one ASIN over one period, as one report gave them."""
    _name = "amazon.vendor.report.sales"
    _description = "Amazon Sales (Report Row)"
    _order = "end_date desc, asin"
    _inherit = "amazon.vendor.report.row"

    start_date = fields.Date(required=True, readonly=True)
    end_date = fields.Date(required=True, index=True, readonly=True)
    ordered_units = fields.Float(string="Customer Ordered Units", readonly=True)
    shipped_units = fields.Float(readonly=True)
    shipped_revenue = fields.Float(readonly=True)
    customer_returns = fields.Float(readonly=True)
