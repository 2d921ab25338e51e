from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib.mapping.acknowledgement import REJECTION_REASONS
from ..models.sale_order_line import ACK_CODES


class AmazonVendorAckWizard(models.TransientModel):
    """Decide per line what to accept, backorder or reject, then confirm and acknowledge."""

    _name = "amazon.vendor.ack.wizard"
    _description = "Acknowledge an Amazon Purchase Order"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    po_number = fields.Char(related="order_id.amazon_vendor_po_number")
    deadline = fields.Datetime(related="order_id.amazon_vendor_ack_deadline")
    deadline_text = fields.Char(compute="_compute_summary")
    line_ids = fields.One2many("amazon.vendor.ack.wizard.line", "wizard_id")
    confirmation_rate = fields.Float(compute="_compute_summary", string="Confirmation Rate (%)")
    rate_target = fields.Float(
        related="order_id.amazon_vendor_account_id.confirmation_rate_threshold")
    rate_warning = fields.Char(compute="_compute_summary")

    @api.model
    def _for_orders(self, orders):
        orders = orders.filtered(lambda o: o.amazon_vendor_account_id and o.state in
                                 ("draft", "sent"))
        if len(orders) != 1:
            raise UserError(_("Acknowledge one Amazon quotation at a time."))
        lines = orders.order_line.filtered("amazon_vendor_item_sequence")
        if not any(lines.mapped("amazon_vendor_ack_code")):
            orders.action_amazon_vendor_propose()
        return self.create({"order_id": orders.id, "line_ids": [(0, 0, {
            "sale_line_id": line.id,
            "code": line.amazon_vendor_ack_code or "accept",
            "accepted_qty": line.amazon_vendor_accepted_qty,
            "backordered_qty": line.amazon_vendor_backordered_qty,
            "rejected_qty": line.amazon_vendor_rejected_qty,
            "rejection_reason": line.amazon_vendor_rejection_reason,
            "ship_date": line.amazon_vendor_backorder_date,
            "delivery_date": line.amazon_vendor_backorder_delivery_date,
        }) for line in lines if line.amazon_vendor_ordered_qty]})

    @api.depends("line_ids.accepted_qty", "line_ids.backordered_qty", "line_ids.ordered_qty",
                 "deadline")
    def _compute_summary(self):
        for wizard in self:
            ordered = sum(wizard.line_ids.mapped("ordered_qty"))
            confirmed = sum(wizard.line_ids.mapped("accepted_qty")) + sum(
                wizard.line_ids.mapped("backordered_qty"))
            wizard.confirmation_rate = 100.0 * confirmed / ordered if ordered else 100.0
            wizard.rate_warning = _(
                "Below the %(target).0f%% confirmation rate target: Amazon may charge back.",
                target=wizard.rate_target) if wizard.confirmation_rate < wizard.rate_target else ""
            wizard.deadline_text = self.env["sale.order"]._amazon_vendor_deadline_text(
                wizard.deadline)

    def action_send(self):
        self.ensure_one()
        for line in self.line_ids:
            line.sale_line_id.write({
                "amazon_vendor_ack_code": line.code,
                "amazon_vendor_accepted_qty": line.accepted_qty,
                "amazon_vendor_backordered_qty": line.backordered_qty,
                "amazon_vendor_rejected_qty": line.rejected_qty,
                "amazon_vendor_rejection_reason": line.rejection_reason
                if line.rejected_qty else False,
                "amazon_vendor_backorder_date": line.ship_date if line.backordered_qty else False,
                "amazon_vendor_backorder_delivery_date": line.delivery_date
                if line.backordered_qty else False,
            })
        order = self.order_id
        close = {"type": "ir.actions.act_window_close"}
        if order._amazon_vendor_needs_approval():
            # Saved as "Waiting for Approval" (decisions kept); the managers are asked.
            order._amazon_vendor_check_confirmation()
            order._amazon_vendor_request_approval()
            return order._amazon_vendor_approval_notification(next_action=close)
        if not sum(self.line_ids.mapped("accepted_qty")) + sum(
                self.line_ids.mapped("backordered_qty")):
            # Everything rejected: acknowledge, and nothing is left to deliver.
            order._amazon_vendor_send_acknowledgement()
            order._action_cancel()
            return close
        order.action_confirm()
        return close


class AmazonVendorAckWizardLine(models.TransientModel):
    _name = "amazon.vendor.ack.wizard.line"
    _description = "Acknowledgement Decision"

    wizard_id = fields.Many2one("amazon.vendor.ack.wizard", required=True, ondelete="cascade")
    sale_line_id = fields.Many2one("sale.order.line", required=True, ondelete="cascade")
    item_sequence = fields.Char(related="sale_line_id.amazon_vendor_item_sequence")
    product_id = fields.Many2one(related="sale_line_id.product_id")
    description = fields.Text(related="sale_line_id.name")
    ordered_qty = fields.Integer(related="sale_line_id.amazon_vendor_ordered_qty")
    unit_size = fields.Integer(related="sale_line_id.amazon_vendor_unit_size")
    amazon_uom = fields.Selection(related="sale_line_id.amazon_vendor_uom")
    backorder_allowed = fields.Boolean(related="sale_line_id.amazon_vendor_backorder_allowed")
    code = fields.Selection(ACK_CODES, string="Decision", required=True, default="accept")
    accepted_qty = fields.Integer(string="Accept")
    backordered_qty = fields.Integer(string="Backorder")
    rejected_qty = fields.Integer(string="Reject")
    rejection_reason = fields.Selection([(r, r) for r in REJECTION_REASONS])
    ship_date = fields.Datetime(string="Ship by")
    delivery_date = fields.Datetime(string="Deliver by")

    @api.onchange("code")
    def _onchange_code(self):
        for line in self:
            ordered = line.ordered_qty
            line.accepted_qty = ordered if line.code == "accept" else 0
            line.backordered_qty = ordered if line.code == "backorder" else 0
            line.rejected_qty = ordered if line.code == "reject" else 0
            if line.code == "reject" and not line.rejection_reason:
                line.rejection_reason = "TemporarilyUnavailable"
