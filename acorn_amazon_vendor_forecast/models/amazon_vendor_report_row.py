from odoo import fields, models


class AmazonVendorReportRow(models.AbstractModel):
    """What every row of an archived Amazon report carries: its report, account and ASIN."""
    _name = "amazon.vendor.report.row"
    _description = "Amazon Report Row"
    _rec_name = "asin"

    document_id = fields.Many2one("amazon.vendor.document", string="Report", required=True,
                                  index=True, ondelete="cascade", readonly=True)
    account_id = fields.Many2one("amazon.vendor.account", required=True, index=True,
                                 readonly=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    product_id = fields.Many2one("product.product", index=True, readonly=True)
    asin = fields.Char(string="ASIN", required=True, index=True, readonly=True)
