from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    amazon_vendor_map_price = fields.Float(
        string="MAP", digits="Product Price",
        help="Minimum advertised price: Amazon selling below it raises an alert.")
    amazon_vendor_list_price = fields.Float(
        string="Amazon List Price", digits="Product Price", readonly=True, copy=False,
        help="The list price Amazon's catalogue shows (Catalog Items API).")
    amazon_vendor_cost_on_file = fields.Float(
        string="Amazon Cost on File", digits="Product Price", readonly=True, copy=False,
        help="The cost Amazon has on file for the item (Listings Items API, procurement).")
    amazon_vendor_prices_checked_at = fields.Datetime(
        string="Amazon Prices Read", readonly=True, copy=False)
