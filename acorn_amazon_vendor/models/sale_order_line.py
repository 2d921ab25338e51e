from odoo import fields, models

from ..lib.mapping.acknowledgement import REJECTION_REASONS

ACK_CODES = [("accept", "Accept"), ("backorder", "Backorder"), ("reject", "Reject")]


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    amazon_vendor_account_id = fields.Many2one(
        related="order_id.amazon_vendor_account_id", store=True, index="btree_not_null")
    amazon_vendor_item_sequence = fields.Char(string="Amazon Item", readonly=True, copy=False)
    amazon_vendor_asin = fields.Char(string="ASIN", readonly=True, copy=False)
    amazon_vendor_vendor_sku = fields.Char(string="Vendor SKU (PO)", readonly=True, copy=False)
    amazon_vendor_ordered_qty = fields.Integer(
        string="Amazon Ordered (units)", readonly=True, copy=False,
        help="What Amazon ordered, in units (cases converted with their size).")
    amazon_vendor_uom = fields.Selection([("Eaches", "Eaches"), ("Cases", "Cases")],
                                         string="Amazon Unit", readonly=True, copy=False)
    amazon_vendor_unit_size = fields.Integer(string="Case Size", readonly=True, copy=False)
    amazon_vendor_net_cost = fields.Float(string="Amazon Net Cost", digits="Product Price",
                                          readonly=True, copy=False)
    amazon_vendor_list_price = fields.Float(string="Amazon List Price", digits="Product Price",
                                            readonly=True, copy=False)
    amazon_vendor_backorder_allowed = fields.Boolean(string="Backorder Allowed", readonly=True,
                                                     copy=False)
    amazon_vendor_unmatched = fields.Boolean(string="Unmatched", readonly=True, copy=False)
    amazon_vendor_ack_code = fields.Selection(ACK_CODES, string="Decision", copy=False)
    amazon_vendor_accepted_qty = fields.Integer(string="Accepted", copy=False)
    amazon_vendor_backordered_qty = fields.Integer(string="Backordered", copy=False)
    amazon_vendor_rejected_qty = fields.Integer(string="Rejected", copy=False)
    amazon_vendor_rejection_reason = fields.Selection(
        [(r, r) for r in REJECTION_REASONS], string="Rejection Reason", copy=False)
    amazon_vendor_backorder_date = fields.Datetime(string="Backorder Ship Date", copy=False)
    amazon_vendor_backorder_delivery_date = fields.Datetime(string="Backorder Delivery Date",
                                                           copy=False)
