from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    amazon_vendor_map_price = fields.Float(
        string="MAP", digits="Product Price",
        help="Minimum advertised price: Amazon selling below it raises an alert.")
    # Amazon's list price and cost on file, per account (marketplace)
    amazon_vendor_price_ids = fields.One2many(
        "amazon.vendor.product.price", "product_tmpl_id", string="Amazon Prices",
        readonly=True)
