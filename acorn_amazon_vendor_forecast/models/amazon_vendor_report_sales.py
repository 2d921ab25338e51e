from odoo import fields, models


class AmazonVendorReportSales(models.Model):
    """Amazon's customer sales of one ASIN over one period, as one report gave them."""
    _name = "amazon.vendor.report.sales"
    _description = "Amazon Sales (Report Row)"
    _order = "end_date desc, asin"
    _rec_name = "asin"

    document_id = fields.Many2one("amazon.vendor.document", string="Report", required=True,
                                  index=True, ondelete="cascade", readonly=True)
    account_id = fields.Many2one("amazon.vendor.account", required=True, index=True,
                                 readonly=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    product_id = fields.Many2one("product.product", index=True, readonly=True)
    asin = fields.Char(string="ASIN", required=True, index=True, readonly=True)
    start_date = fields.Date(required=True, readonly=True)
    end_date = fields.Date(required=True, index=True, readonly=True)
    ordered_units = fields.Float(string="Customer Ordered Units", readonly=True)
    shipped_units = fields.Float(string="Shipped Units", readonly=True)
    shipped_revenue = fields.Float(string="Shipped Revenue", readonly=True)
    customer_returns = fields.Float(string="Customer Returns", readonly=True)
