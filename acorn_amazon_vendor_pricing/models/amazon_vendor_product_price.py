"""What Amazon says of a product in one account's marketplace: its catalogue list price and
the cost it has on file. A product sold through two accounts (the US and Germany, say) has a
price in each, in each marketplace's currency: one figure per product would let the last
account read overwrite the other's and the monitoring compare one marketplace's cost with
another's."""
from odoo import fields, models


class AmazonVendorProductPrice(models.Model):
    _name = "amazon.vendor.product.price"
    _description = "Amazon's Prices of a Product in an Account"
    _order = "product_tmpl_id, account_id"
    _rec_name = "product_tmpl_id"

    account_id = fields.Many2one("amazon.vendor.account", required=True, index=True,
                                 ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product", required=True,
                                      index=True, ondelete="cascade", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True,
                                  help="The currency of the account's marketplace.")
    list_price = fields.Monetary(
        string="Amazon List Price", readonly=True,
        help="The list price Amazon's catalogue shows in this marketplace (Catalog Items API).")
    cost_on_file = fields.Monetary(
        string="Amazon Cost on File", readonly=True,
        help="The cost Amazon has on file for the item with this vendor code (Listings Items "
             "API, procurement).")
    checked_at = fields.Datetime(string="Read", readonly=True)

    _sql_constraints = [
        ("account_product_unique", "unique(account_id, product_tmpl_id)",
         "A product has one set of Amazon prices per account."),
    ]
