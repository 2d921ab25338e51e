from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    amazon_df_safety_stock = fields.Float(
        string="DF Safety Buffer", digits="Product Unit of Measure",
        help="Units kept back from the quantity offered to Amazon Direct Fulfillment (added to "
             "the account's buffer).")
