from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # A gift wrap Amazon pays for: the line follows its item (delivered with it, invoiced on
    # that item as Amazon's GIFTWRAP charge), whatever the account's setting becomes later.
    amazon_df_gift_wrap_seq = fields.Char(
        string="Gift-Wrapped Amazon Item", readonly=True, copy=False,
        help="The Amazon order item (its sequence number) whose gift wrap this line charges.")
    amazon_df_gift_wrap_for_id = fields.Many2one(
        "product.product", string="Gift-Wrapped Product", readonly=True, copy=False)
