import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..lib import cost_request, rules

STATES = [("to_submit", "To Submit in Vendor Central"), ("submitted", "Submitted"),
          ("done", "POs at New Cost"), ("cancelled", "Cancelled")]


class AmazonVendorCostRequest(models.Model):
    """The cost-change request for Vendor Central: approved changes of one account and
    effective date, as the spreadsheet Vendor Central takes (there is no API to submit it),
    followed until Amazon's purchase orders arrive at the new costs."""
    _name = "amazon.vendor.cost.request"
    _description = "Amazon Cost-Change Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "effective_date desc, id desc"

    name = fields.Char(required=True, readonly=True, copy=False,
                       default=lambda self: _("New"))
    account_id = fields.Many2one("amazon.vendor.account", required=True, index=True,
                                 readonly=True, ondelete="cascade")
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    effective_date = fields.Date(required=True, readonly=True)
    state = fields.Selection(STATES, default="to_submit", required=True, readonly=True,
                             tracking=True)
    suggestion_ids = fields.One2many("amazon.vendor.price.suggestion", "request_id",
                                     readonly=True)
    line_count = fields.Integer(compute="_compute_progress")
    confirmed_count = fields.Integer(string="Confirmed by POs", compute="_compute_progress")
    confirmed_product_ids = fields.Many2many("product.product", readonly=True,
                                             string="Products Ordered at New Cost")
    file = fields.Binary(string="Request File", readonly=True, attachment=True)
    file_name = fields.Char(readonly=True)
    submitted_on = fields.Date(readonly=True)

    @api.depends("suggestion_ids", "confirmed_product_ids")
    def _compute_progress(self):
        for request in self:
            costs = request.suggestion_ids.filtered(lambda s: s.kind == rules.COST)
            request.line_count = len(request.suggestion_ids)
            request.confirmed_count = len(costs.product_id & request.confirmed_product_ids)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "amazon.vendor.cost.request") or _("New")
        return super().create(vals_list)

    def _amazon_pricing_rows(self):
        self.ensure_one()
        rows = {}
        reasons = dict(self.env["amazon.vendor.price.suggestion"]._fields["rule"]
                       ._description_selection(self.env))
        for suggestion in self.suggestion_ids.sorted(lambda s: (s.product_id.id, s.id)):
            product = suggestion.product_id
            row = rows.setdefault(product.id, {
                "asin": product.amazon_vendor_asin, "sku": product.default_code or "",
                "vendor_code": self.account_id.party_ids[:1].code or "",
                "title": product.name, "currency": suggestion.currency_id.name or "",
                "effective_date": self.effective_date, "reason": []})
            if suggestion.kind == rules.COST:
                row.update(current_cost=suggestion.current_value,
                           new_cost=suggestion.proposed_value)
            else:
                row.update(current_list_price=suggestion.current_value,
                           new_list_price=suggestion.proposed_value)
            first_line = (suggestion.reason or "").split("\n")[0]
            row["reason"].append(f"{reasons.get(suggestion.rule)}: {first_line}")
        for row in rows.values():
            row["reason"] = "; ".join(row["reason"])
        return list(rows.values())

    def _amazon_pricing_build_file(self):
        for request in self:
            content = cost_request.build_xlsx(request._amazon_pricing_rows())
            request.write({"file": base64.b64encode(content),
                           "file_name": f"cost_change_{request.name.replace('/', '_')}_"
                                        f"{request.effective_date.isoformat()}.xlsx"})

    def action_mark_submitted(self):
        if self.filtered(lambda r: r.state != "to_submit"):
            raise UserError(_("Only requests still to submit can be marked as submitted."))
        self.write({"state": "submitted", "submitted_on": fields.Date.context_today(self)})

    def action_cancel(self):
        """Withdrawn: the new cost leaves the pricelist (the item it ended runs on) and the
        agreed cost goes back to what it was if it had already taken effect."""
        if self.filtered(lambda r: r.state == "done"):
            raise UserError(_("A request confirmed by purchase orders cannot be cancelled."))
        for suggestion in self.suggestion_ids.filtered(lambda s: s.kind == rules.COST):
            suggestion._amazon_pricing_withdraw()
        self.write({"state": "cancelled"})

    def _amazon_pricing_track(self, today):
        """Products ordered by Amazon at the new cost since the effective date; a request whose
        costs all arrived is done. One read of the PO lines for all requests."""
        requests = self.filtered(lambda r: r.state == "submitted" and r.effective_date <= today)
        costs = requests.suggestion_ids.filtered(lambda s: s.kind == rules.COST)
        if not costs:
            requests.filtered(lambda r: not r.suggestion_ids.filtered(
                lambda s: s.kind == rules.COST)).write({"state": "done"})
            return
        lines = self.env["sale.order.line"].search_read([
            ("order_id.amazon_vendor_account_id", "in", requests.account_id.ids),
            ("product_id", "in", costs.product_id.ids),
            ("order_id.amazon_vendor_po_date", ">=", min(requests.mapped("effective_date"))),
            ("amazon_vendor_cost_unit", "=", False)],  # per weight unit: not comparable
            ["product_id", "amazon_vendor_net_cost", "order_id"])
        seen = {}
        for line in lines:
            seen.setdefault(line["product_id"][0], set()).add(
                round(line["amazon_vendor_net_cost"], 3))
        for request in requests:
            confirmed = request.suggestion_ids.filtered(
                lambda s: s.kind == rules.COST and any(
                    float_compare(cost, s.proposed_value, precision_digits=3) == 0
                    for cost in seen.get(s.product_id.id, ())))
            request.confirmed_product_ids = confirmed.product_id
            if len(confirmed) == len(request.suggestion_ids.filtered(
                    lambda s: s.kind == rules.COST)):
                request.state = "done"
                request.message_post(body=_("Amazon's purchase orders now carry the new cost "
                                            "of every item."))
