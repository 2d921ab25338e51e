from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AmazonVendorResponsible(models.Model):
    """Who takes the new purchase orders of an account, of one of its marketplaces or of one
    fulfilment centre: the most specific rule wins (centre, then marketplace, then account)."""

    _name = "amazon.vendor.responsible"
    _description = "Amazon Order Responsible"
    _order = "account_id, ship_to_code, marketplace_id, id"

    account_id = fields.Many2one("amazon.vendor.account", string="Vendor Account",
                                 required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    marketplace_id = fields.Many2one(
        "amazon.vendor.marketplace", ondelete="cascade",
        help="Only purchase orders shipped to this marketplace's country. Empty: any.")
    ship_to_code = fields.Char(
        string="Fulfilment Centre",
        help="The ship-to party code Amazon gives on the purchase order, e.g. ABE2. Empty: any.")
    user_id = fields.Many2one("res.users", string="Responsible", required=True,
                              ondelete="cascade", domain="[('share', '=', False)]")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("ship_to_code"):
                vals["ship_to_code"] = vals["ship_to_code"].strip().upper()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("ship_to_code"):
            vals["ship_to_code"] = vals["ship_to_code"].strip().upper()
        return super().write(vals)

    @api.constrains("account_id", "marketplace_id", "ship_to_code", "user_id")
    def _check_rule(self):
        for rule in self:
            if rule.marketplace_id and rule.marketplace_id not in rule.account_id.marketplace_ids:
                raise ValidationError(_(
                    "Marketplace %(marketplace)s is not a marketplace of account %(account)s.",
                    marketplace=rule.marketplace_id.name, account=rule.account_id.name))
            if rule.company_id not in rule.user_id.company_ids:
                raise ValidationError(_(
                    "%(user)s cannot work in %(company)s, so cannot be responsible for its "
                    "Amazon orders.", user=rule.user_id.name, company=rule.company_id.name))
            twins = rule.account_id.responsible_ids.filtered(
                lambda r, rule=rule: r != rule and r.marketplace_id == rule.marketplace_id
                and (r.ship_to_code or "") == (rule.ship_to_code or ""))
            if twins:
                raise ValidationError(_(
                    "Account %(account)s already has a responsible for this marketplace and "
                    "fulfilment centre.", account=rule.account_id.name))

    def _specificity(self):
        """Higher wins: a fulfilment centre beats a marketplace, which beats the account."""
        self.ensure_one()
        return (bool(self.ship_to_code), bool(self.marketplace_id))

    def _matches(self, marketplace, ship_to_code):
        self.ensure_one()
        return (not self.ship_to_code or self.ship_to_code == (ship_to_code or "").upper()) \
            and (not self.marketplace_id or self.marketplace_id == marketplace)
