"""Where Amazon's payments are booked, per Vendor account."""
from odoo import api, fields, models


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    remittance_journal_id = fields.Many2one(
        "account.journal", string="Payments Journal", check_company=True,
        domain="[('type', 'in', ('bank', 'cash'))]",
        help="The bank journal Amazon's payments arrive in: remittances are booked there as "
             "customer payments, matched to the bank statement by payment number.")
    terms_discount_account_id = fields.Many2one(
        "account.account", check_company=True,
        help="Early-payment (quick-pay) discounts Amazon takes from its payments.")
    deduction_account_id = fields.Many2one(
        "account.account", string="Deductions Account", check_company=True,
        help="Default account of the credit note that books an accepted deduction (a rule "
             "may name another account per deduction type).")
    remittance_import_days = fields.Integer(
        string="Remittances: look back (days)", default=30,
        help="Each import reads payments of this many days back (Amazon keeps one year).")
    last_remittance_import_at = fields.Datetime(readonly=True, copy=False)
    deduction_alert_days = fields.Integer(
        string="Warn before dispute deadlines (days)", default=7,
        help="Deductions still open this many days before their dispute deadline raise an "
             "activity for the alert users.")

    @api.model_create_multi
    def create(self, vals_list):
        accounts = super().create(vals_list)
        accounts._amazon_vendor_set_payment_defaults()
        return accounts

    def _amazon_vendor_set_payment_defaults(self):
        """Sensible places for Amazon's payments where none is set: the company's bank journal
        and its cash-discount loss account (what a terms discount is)."""
        for account in self:
            company = account.company_id
            values = {}
            if not account.remittance_journal_id:
                journal = self.env["account.journal"].search(
                    [("type", "=", "bank"), *self.env["account.journal"]._check_company_domain(
                        company)], limit=1)
                values["remittance_journal_id"] = journal.id
            if not account.terms_discount_account_id:
                values["terms_discount_account_id"] = \
                    company.account_journal_early_pay_discount_loss_account_id.id
            values = {key: value for key, value in values.items() if value}
            if values:
                account.sudo().write(values)
