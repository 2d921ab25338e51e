from odoo import fields, models

REGIONS = [("NA", "North America"), ("EU", "Europe"), ("FE", "Far East")]


class AmazonVendorMarketplace(models.Model):
    _name = "amazon.vendor.marketplace"
    _description = "Amazon Marketplace"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short code, e.g. US, DE, JP.")
    marketplace_id = fields.Char(
        string="Marketplace ID", required=True, help="Amazon's identifier, e.g. ATVPDKIKX0DER.")
    region = fields.Selection(REGIONS, required=True)
    currency_id = fields.Many2one("res.currency", required=True)
    country_id = fields.Many2one("res.country")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("marketplace_id_unique", "unique(marketplace_id)", "A marketplace ID must be unique."),
    ]
