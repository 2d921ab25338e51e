import datetime

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib.mapping.purchase_order import Party, PurchaseOrderError, parse_purchase_order

ORDER_TYPES = [
    ("RegularOrder", "Regular"),
    ("RushOrder", "Rush"),
    ("NewProductIntroduction", "New Product Introduction"),
    ("ConsignedOrder", "Consigned"),
]
ACK_STATES = [
    ("to_acknowledge", "To Acknowledge"),
    ("to_approve", "Waiting for Approval"),
    ("queued", "Waiting to Be Sent"),
    ("sent", "Acknowledgement Sent"),
    ("accepted", "Acknowledged"),
    ("failed", "Acknowledgement Refused"),
]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    amazon_vendor_account_id = fields.Many2one(
        "amazon.vendor.account", index="btree_not_null",
        readonly=True, copy=False)
    amazon_vendor_document_id = fields.Many2one(
        "amazon.vendor.document", string="Amazon Purchase Order Document", readonly=True,
        copy=False)
    amazon_vendor_po_number = fields.Char(
        string="Amazon PO", index="btree_not_null", readonly=True, copy=False)
    amazon_vendor_po_date = fields.Datetime(string="Amazon PO Date", readonly=True, copy=False)
    amazon_vendor_po_state = fields.Char(string="Amazon PO State", readonly=True, copy=False)
    amazon_vendor_order_type = fields.Selection(ORDER_TYPES, string="Amazon Order Type",
                                                readonly=True, copy=False)
    amazon_vendor_payment_method = fields.Char(string="Amazon Payment Method", readonly=True,
                                               copy=False)
    amazon_vendor_deal_code = fields.Char(string="Deal Code", readonly=True, copy=False)
    amazon_vendor_import_details = fields.Text(string="Import Details", readonly=True,
                                               copy=False)
    amazon_vendor_vendor_code = fields.Char(string="Vendor Code", readonly=True, copy=False)
    amazon_vendor_ship_to_code = fields.Char(string="Fulfilment Centre", readonly=True,
                                             copy=False, index="btree_not_null")
    amazon_vendor_bill_to_id = fields.Many2one("res.partner", string="Amazon Bill-to",
                                               readonly=True, copy=False)
    amazon_vendor_window_start = fields.Datetime(string="Window Start", readonly=True,
                                                 copy=False)
    amazon_vendor_window_end = fields.Datetime(string="Window End", readonly=True, copy=False)
    amazon_vendor_window_kind = fields.Selection(
        [("ship", "Ship window"), ("delivery", "Delivery window")], string="Window",
        readonly=True, copy=False)
    amazon_vendor_issues = fields.Text(
        string="Amazon Issues", readonly=True, copy=False,
        help="What needs a person's attention on this Amazon order, in plain words.")
    amazon_vendor_has_issues = fields.Boolean(compute="_compute_amazon_vendor_has_issues",
                                              store=True)
    amazon_vendor_unmatched_count = fields.Integer(
        string="Unmatched Lines", compute="_compute_amazon_vendor_unmatched_count", store=True)
    amazon_vendor_ack_state = fields.Selection(ACK_STATES, string="Acknowledgement",
                                               readonly=True, copy=False, index=True)
    amazon_vendor_ack_deadline = fields.Datetime(
        string="Acknowledge Before", compute="_compute_amazon_vendor_ack_deadline", store=True)
    amazon_vendor_ack_approved = fields.Boolean(string="Approved", readonly=True, copy=False)
    amazon_vendor_deadline_alerted = fields.Boolean(readonly=True, copy=False)
    amazon_vendor_changed = fields.Boolean(
        string="Changed by Amazon", readonly=True, copy=False, index=True,
        help="Amazon changed this purchase order after it was confirmed: review the changes.")
    amazon_vendor_change_summary = fields.Html(string="Amazon Changes", readonly=True,
                                               copy=False, sanitize=True)
    amazon_vendor_document_count = fields.Integer(compute="_compute_amazon_vendor_document_count")

    _sql_constraints = [
        ("amazon_vendor_document_unique", "unique(amazon_vendor_document_id)",
         "This Amazon purchase order already has a sale order."),
    ]

    @api.depends("amazon_vendor_issues")
    def _compute_amazon_vendor_has_issues(self):
        for order in self:
            order.amazon_vendor_has_issues = bool(order.amazon_vendor_issues)

    @api.depends("order_line.amazon_vendor_unmatched")
    def _compute_amazon_vendor_unmatched_count(self):
        for order in self:
            order.amazon_vendor_unmatched_count = len(
                order.order_line.filtered("amazon_vendor_unmatched"))

    @api.depends("amazon_vendor_po_date", "amazon_vendor_account_id.ack_deadline_hours")
    def _compute_amazon_vendor_ack_deadline(self):
        for order in self:
            hours = order.amazon_vendor_account_id.ack_deadline_hours
            order.amazon_vendor_ack_deadline = order.amazon_vendor_po_date and (
                order.amazon_vendor_po_date + datetime.timedelta(hours=hours))

    def _compute_amazon_vendor_document_count(self):
        counts = dict(self.env["amazon.vendor.document"]._read_group(
            [("res_model", "=", "sale.order"), ("res_id", "in", self.ids)],
            ["res_id"], ["__count"]))
        for order in self:
            order.amazon_vendor_document_count = counts.get(order.id, 0) + (
                1 if order.amazon_vendor_document_id else 0)

    def action_view_amazon_vendor_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "acorn_amazon_vendor.action_amazon_vendor_document")
        action["domain"] = ["|", "&", ("res_model", "=", "sale.order"), ("res_id", "=", self.id),
                            ("id", "=", self.amazon_vendor_document_id.id)]
        action["context"] = {}
        return action

    def _amazon_vendor_flag(self, reasons):
        self.amazon_vendor_issues = "\n".join(reasons) or False
        return reasons

    def _amazon_vendor_selling_code(self):
        """The vendor code Amazon ordered from (sellingParty), else the account's first one
        (sellingParty is optional on the order, required on what goes back to Amazon)."""
        order = self[:1]
        return order.amazon_vendor_vendor_code \
            or order.amazon_vendor_account_id.party_ids[:1].code or ""

    def _amazon_vendor_ordered_bill_to(self):
        """The bill-to party of this order's purchase order as Amazon sent it (with its tax
        number when given); an empty party when there is none."""
        document = self[:1].amazon_vendor_document_id
        if document:
            try:
                bill_to = parse_purchase_order(document._get_payload("payload_in")).bill_to
            except (PurchaseOrderError, UserError):
                bill_to = None
            if bill_to:
                return bill_to
        return Party("")

    @api.model
    def _amazon_vendor_deadline_text(self, deadline, now=None):
        """A countdown people read at a glance: '5 h 20 min left' or 'overdue by 2 h'."""
        if not deadline:
            return ""
        delta = deadline - (now or fields.Datetime.now())
        minutes = int(abs(delta.total_seconds()) // 60)
        text = _("%(h)s h %(m)s min", h=minutes // 60, m=minutes % 60)
        return _("%s left", text) if delta.total_seconds() >= 0 else _("overdue by %s", text)
