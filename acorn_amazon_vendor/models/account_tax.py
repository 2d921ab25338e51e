from odoo import fields, models

TAX_TYPES = ["VAT", "GST", "MwSt.", "TVA", "ST", "PST", "CGST", "SGST", "IGST", "UTGST", "CESS",
             "Consumption", "MutuallyDefined", "DomesticVAT"]


class AccountTax(models.Model):
    _inherit = "account.tax"

    amazon_vendor_tax_type = fields.Selection(
        [(t, t) for t in TAX_TYPES], string="Amazon Tax Type", default="VAT",
        help="How this tax is named on invoices sent to Amazon.")
