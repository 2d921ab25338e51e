import datetime

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from ..lib import rules

RULES = [
    (rules.ALIGN_COST, "Align Amazon's cost on file"),
    (rules.FUND_MARGIN, "Restore Amazon's net PPM"),
    (rules.TARGET_MARGIN, "Reach the target margin"),
    (rules.MARKET_PRICE, "Follow observed market prices"),
]


class AmazonVendorPriceSuggestion(models.Model):
    """A new cost or list price a rule proposes, with its reason and expected effect. Nothing
    changes until a manager approves it; approval writes Odoo's Amazon pricelist from the
    effective date and adds the item to a cost-change request for Vendor Central."""
    _name = "amazon.vendor.price.suggestion"
    _description = "Amazon Price Change Suggestion"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state, create_date desc, id desc"

    account_id = fields.Many2one("amazon.vendor.account", required=True, index=True,
                                 readonly=True, ondelete="cascade")
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    product_id = fields.Many2one("product.product", required=True, index=True, readonly=True,
                                 ondelete="cascade")
    currency_id = fields.Many2one("res.currency", readonly=True)
    kind = fields.Selection([(rules.COST, "Cost"), (rules.LIST_PRICE, "List Price")],
                            required=True, readonly=True)
    rule = fields.Selection(RULES, required=True, readonly=True)
    state = fields.Selection([("new", "To Review"), ("approved", "Approved"),
                              ("rejected", "Rejected")], default="new", required=True,
                             index=True, readonly=True, tracking=True)
    current_value = fields.Float(string="Current", readonly=True, digits="Product Price")
    proposed_value = fields.Float(string="Proposed", digits="Product Price", tracking=True)
    effective_date = fields.Date(
        default=lambda self: fields.Date.context_today(self) + datetime.timedelta(days=30),
        tracking=True,
        help="From this date the pricelist uses the new cost; Vendor Central usually needs "
             "notice before a cost change takes effect.")
    reason = fields.Text(readonly=True)
    exposure_units = fields.Float(string="Units Exposed", readonly=True,
                                  help="Amazon's on-hand and open PO units.")
    price_protection = fields.Float(
        string="Price Protection Exposure", readonly=True, digits="Product Price",
        help="What Amazon may claim back for a cost decrease: the decrease times the units it "
             "holds or has on order.")
    margin_before = fields.Float(string="Your Margin Before (%)", readonly=True, digits=(16, 2))
    margin_after = fields.Float(string="Your Margin After (%)", readonly=True, digits=(16, 2))
    amazon_margin_before = fields.Float(string="Amazon Margin Before (%)", readonly=True,
                                        digits=(16, 2))
    amazon_margin_after = fields.Float(string="Amazon Margin After (%)", readonly=True,
                                       digits=(16, 2))
    request_id = fields.Many2one("amazon.vendor.cost.request", string="Cost-Change Request",
                                 readonly=True, index="btree_not_null")
    pricelist_item_id = fields.Many2one("product.pricelist.item", readonly=True)
    decided_by = fields.Many2one("res.users", readonly=True)
    decided_on = fields.Datetime(readonly=True)
    rejection_reason = fields.Char(tracking=True)
    applied = fields.Boolean(readonly=True, help="The new cost is the product's Amazon agreed "
                             "cost (set when the effective date is reached).")

    @api.depends("product_id", "kind", "proposed_value")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for suggestion in self:
            suggestion.display_name = _("%(kind)s of %(product)s: %(value).2f",
                                        kind=kinds.get(suggestion.kind, ""),
                                        product=suggestion.product_id.display_name or "",
                                        value=suggestion.proposed_value)

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(
                "acorn_amazon_vendor.group_amazon_vendor_manager"):
            raise UserError(_("Only an Amazon Vendor manager can approve or reject price "
                              "changes."))

    def action_reject(self):
        self._check_manager()
        if self.filtered(lambda s: s.state != "new"):
            raise UserError(_("Only suggestions to review can be rejected."))
        self.write({"state": "rejected", "decided_by": self.env.uid,
                    "decided_on": fields.Datetime.now()})

    def action_approve(self):
        """Approve: the Amazon pricelist takes the new cost from the effective date, and one
        cost-change request per account and effective date lists the approved items."""
        self._check_manager()
        if self.filtered(lambda s: s.state != "new"):
            raise UserError(_("Only suggestions to review can be approved."))
        for suggestion in self:
            if suggestion.proposed_value <= 0:
                raise UserError(_("The proposed value of %s must be positive.",
                                  suggestion.product_id.display_name))
            if not suggestion.effective_date:
                raise UserError(_("Set the effective date of %s.",
                                  suggestion.product_id.display_name))
        requests = self.env["amazon.vendor.cost.request"]
        groups = {}
        for suggestion in self:
            groups.setdefault((suggestion.account_id, suggestion.effective_date),
                              self.browse())
            groups[(suggestion.account_id, suggestion.effective_date)] |= suggestion
        for (account, effective), suggestions in groups.items():
            for suggestion in suggestions.filtered(lambda s: s.kind == rules.COST):
                suggestion.pricelist_item_id = suggestion._amazon_pricing_pricelist_item(
                    account)
            request = requests.create({"account_id": account.id, "effective_date": effective,
                                       "suggestion_ids": [Command.set(suggestions.ids)]})
            suggestions.write({"state": "approved", "decided_by": self.env.uid,
                               "decided_on": fields.Datetime.now()})
            request._amazon_pricing_build_file()
            requests |= request
        if len(requests) == 1:
            return {"type": "ir.actions.act_window", "res_model": requests._name,
                    "res_id": requests.id, "view_mode": "form"}
        return True

    def _amazon_pricing_withdraw(self):
        """Undo what approving this cost did: its pricelist item goes, the item it ended the
        day before runs on, and an agreed cost already changed goes back."""
        self.ensure_one()
        item = self.pricelist_item_id.sudo()
        if item:
            ended = datetime.datetime.combine(self.effective_date - datetime.timedelta(days=1),
                                              datetime.time(23, 59, 59))
            item.search([("pricelist_id", "=", item.pricelist_id.id), ("id", "!=", item.id),
                         ("product_id", "=", self.product_id.id),
                         ("date_end", "=", ended)]).write({"date_end": False})
            item.unlink()
        if self.applied and self.rule != rules.ALIGN_COST and self.current_value:
            self.product_id.product_tmpl_id.amazon_vendor_net_cost = self.current_value
        self.write({"applied": False, "state": "rejected",
                    "rejection_reason": _("The cost-change request was cancelled.")})

    def _amazon_pricing_pricelist_item(self, account):
        """A fixed price for the product on the account's pricelist from the effective date;
        an item of the product still running then ends the day before."""
        self.ensure_one()
        pricelist = account.pricelist_id or account.partner_id.property_product_pricelist
        if not pricelist:
            raise UserError(_("The account %s has no pricelist for Amazon: set one on the "
                              "account before approving cost changes.", account.display_name))
        Item = self.env["product.pricelist.item"].sudo()
        start = self.effective_date
        running = Item.search([
            ("pricelist_id", "=", pricelist.id), ("compute_price", "=", "fixed"),
            "|", ("product_id", "=", self.product_id.id),
            "&", ("product_id", "=", False),
            ("product_tmpl_id", "=", self.product_id.product_tmpl_id.id),
            "|", ("date_end", "=", False), ("date_end", ">=", start)])
        for item in running:
            if item.date_start and item.date_start.date() >= start:
                item.unlink()  # replaced by the new cost
            else:
                item.date_end = datetime.datetime.combine(
                    start - datetime.timedelta(days=1), datetime.time(23, 59, 59))
        return Item.create({
            "pricelist_id": pricelist.id, "applied_on": "0_product_variant",
            "product_id": self.product_id.id,
            "product_tmpl_id": self.product_id.product_tmpl_id.id,
            "compute_price": "fixed", "fixed_price": self.proposed_value,
            "date_start": datetime.datetime.combine(start, datetime.time.min)})
