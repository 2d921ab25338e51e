from odoo import fields, models


class AmazonVendorParty(models.Model):
    """A vendor code (selling party id) of an account; Amazon orders carry it as sellingParty."""

    _name = "amazon.vendor.party"
    _description = "Amazon Vendor Code"
    _order = "account_id, sequence, id"

    account_id = fields.Many2one("amazon.vendor.account", required=True, ondelete="cascade",
                                 index=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    code = fields.Char(string="Vendor Code", required=True,
                       help="The selling party id Amazon uses on purchase orders, e.g. ABCD1.")
    name = fields.Char(string="Description")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_account_unique", "unique(account_id, code)",
         "A vendor code appears only once per account."),
    ]

    def _compute_display_name(self):
        for party in self:
            party.display_name = f"{party.code} - {party.name}" if party.name else party.code
