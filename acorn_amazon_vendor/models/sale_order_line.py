import contextlib
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from odoo import _, api, fields, models

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
    amazon_vendor_cost_unit = fields.Char(
        string="Amazon Cost Per", readonly=True, copy=False,
        help="Set when Amazon prices the item by weight (POUNDS, OUNCES, GRAMS, KILOGRAMS).")
    # Amazon's cost exactly as sent (the text) and as a number precise enough for display and
    # SQL (a Float rounds to its digits: "Product Price" would turn 4.125 into 4.13).
    amazon_vendor_net_cost = fields.Float(string="Amazon Net Cost (number)", digits=(16, 6),
                                          readonly=True, copy=False)
    amazon_vendor_net_cost_text = fields.Char(
        string="Amazon Net Cost", readonly=True, copy=False,
        help="The net cost per unit exactly as Amazon sent it; acknowledgements and invoices "
             "must carry exactly this cost.")
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

    # -- Amazon's exact net cost ------------------------------------------------------------
    def _amazon_vendor_net_cost_exact(self):
        """Amazon's net cost per unit as a Decimal, exactly as sent (None when unknown)."""
        self.ensure_one()
        if self.amazon_vendor_net_cost_text:
            with contextlib.suppress(InvalidOperation):
                return Decimal(self.amazon_vendor_net_cost_text)
        return Decimal(str(self.amazon_vendor_net_cost)) if self.amazon_vendor_net_cost \
            else None

    def _amazon_vendor_price_is_net_cost(self):
        """True when the unit price is exactly Amazon's net cost (what will be invoiced)."""
        self.ensure_one()
        cost = self._amazon_vendor_net_cost_exact()
        return cost is None or Decimal(str(self.price_unit)) == cost

    @api.model
    def _amazon_vendor_price_digits(self):
        return self.env["decimal.precision"].precision_get("Product Price")

    @api.model
    def _amazon_vendor_precision_problem(self, cost, label):
        """Plain words when Odoo's prices cannot hold ``cost`` (a Decimal), else ''."""
        if cost is None:
            return ""
        needed = decimals_of(cost)
        digits = self._amazon_vendor_price_digits()
        if needed <= digits:
            return ""
        rounded = cost.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        return _(
            "%(label)s: Amazon's net cost %(cost)s has %(needed)s decimals but Odoo rounds "
            "prices to %(digits)s decimals (%(rounded)s): raise Product Price decimal accuracy "
            "to %(needed)s digits (Settings > Technical > Decimal Accuracy).",
            label=label, cost=format(cost, "f"), needed=needed, digits=digits,
            rounded=format(rounded, "f"))


def decimals_of(amount):
    """Significant decimals of a Decimal: 4.125 -> 3, 22.50 -> 1, 100 -> 0."""
    return max(-amount.normalize().as_tuple().exponent, 0)
