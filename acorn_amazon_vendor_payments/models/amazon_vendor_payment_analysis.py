"""What Amazon takes back, next to what it was invoiced, per account, month and currency; and
the payment figures of the dashboard (money at risk, win rate, receivables, DSO)."""
import datetime
from collections import defaultdict

from odoo import api, fields, models, tools

from .amazon_vendor_deduction_rule import DEDUCTION_TYPES

AGEING = ((0, "current"), (30, "1_30"), (60, "31_60"), (90, "61_90"))


class AmazonVendorPaymentAnalysis(models.Model):
    """One row per account, month, currency and kind: invoiced revenue or a deduction type.
    Never adds amounts of different currencies."""

    _name = "amazon.vendor.payment.analysis"
    _description = "Amazon Deductions Analysis"
    _auto = False
    _order = "month desc, account_id, kind"
    _depends = {
        "amazon.vendor.deduction": ["account_id", "company_id", "currency_id", "amount",
                                    "issue_date", "deduction_type", "state", "open_amount"],
        "account.move": ["amazon_vendor_account_id", "company_id", "currency_id",
                         "amount_untaxed", "invoice_date", "move_type", "state"],
    }

    month = fields.Date(readonly=True)
    account_id = fields.Many2one("amazon.vendor.account", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    kind = fields.Selection([("invoiced", "Invoiced")] + DEDUCTION_TYPES, readonly=True)
    invoiced_amount = fields.Monetary(readonly=True)
    deducted_amount = fields.Monetary(readonly=True)
    open_amount = fields.Monetary(string="Still Open", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE VIEW {self._table} AS (
            SELECT row_number() OVER () AS id, * FROM (
                SELECT date_trunc('month', m.invoice_date)::date AS month,
                       m.amazon_vendor_account_id AS account_id, m.company_id,
                       m.currency_id, 'invoiced' AS kind,
                       SUM(m.amount_untaxed) AS invoiced_amount,
                       0.0 AS deducted_amount, 0.0 AS open_amount
                  FROM account_move m
                 WHERE m.move_type = 'out_invoice' AND m.state = 'posted'
                   AND m.amazon_vendor_account_id IS NOT NULL
              GROUP BY 1, 2, 3, 4
                UNION ALL
                SELECT date_trunc('month', d.issue_date)::date, d.account_id, d.company_id,
                       d.currency_id, d.deduction_type, 0.0, SUM(d.amount),
                       SUM(d.open_amount)
                  FROM amazon_vendor_deduction d
              GROUP BY 1, 2, 3, 4, 5) rows)
        """)


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    payments_at_risk = fields.Char(
        string="At Risk This Week", compute="_compute_payment_figures",
        help="Deductions not disputed nor accepted whose dispute deadline falls within a week.")
    payments_at_risk_count = fields.Integer(compute="_compute_payment_figures")
    payments_deduction_share = fields.Float(
        string="Deducted (% of invoiced, 90 days)", compute="_compute_payment_figures")
    payments_win_rate = fields.Float(string="Disputes Won (%)",
                                     compute="_compute_payment_figures")
    payments_receivable = fields.Char(string="Open Receivables",
                                      compute="_compute_payment_figures")
    payments_overdue_count = fields.Integer(string="Invoices Past Due",
                                            compute="_compute_payment_figures")
    payments_dso = fields.Float(string="Days Sales Outstanding", digits=(16, 1),
                               compute="_compute_payment_figures")
    payments_ageing = fields.Char(string="Receivables Ageing",
                                  compute="_compute_payment_figures")

    @api.model
    def _amazon_vendor_amounts_text(self, amounts):
        """``{currency: amount}`` as text, one figure per currency."""
        return ", ".join(currency.format(amount) for currency, amount in
                         sorted(amounts.items(), key=lambda item: item[0].name) if amount) \
            or "0"

    def _compute_payment_figures(self):
        today = fields.Date.context_today(self)
        Deduction = self.env["amazon.vendor.deduction"]
        Move = self.env["account.move"]
        week = today + datetime.timedelta(days=7)
        since = today - datetime.timedelta(days=90)
        at_risk = Deduction._read_group(
            [("account_id", "in", self.ids), ("state", "=", "new"),
             ("deadline", "<=", week), ("deadline", ">=", today)],
            ["account_id", "currency_id"], ["amount:sum", "__count"])
        deducted = Deduction._read_group(
            [("account_id", "in", self.ids), ("issue_date", ">=", since),
             ("deduction_type", "!=", "reversal")],
            ["account_id", "currency_id"], ["amount:sum"])
        disputes = Deduction._read_group(
            [("account_id", "in", self.ids), ("dispute_date", "!=", False)],
            ["account_id", "state"], ["__count"])
        invoiced = Move._read_group(
            [("amazon_vendor_account_id", "in", self.ids), ("move_type", "=", "out_invoice"),
             ("state", "=", "posted"), ("invoice_date", ">=", since)],
            ["amazon_vendor_account_id"],
            ["amount_untaxed_signed:sum", "amount_total_signed:sum"])
        open_moves = Move.search([
            ("amazon_vendor_account_id", "in", self.ids), ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"), ("payment_state", "in", ("not_paid", "partial"))])
        figures = defaultdict(lambda: {"risk": defaultdict(float), "risk_count": 0,
                                       "receivable": defaultdict(float), "overdue": 0,
                                       "open_signed": 0.0, "ageing": defaultdict(float)})
        for account, currency, amount, count in at_risk:
            figures[account.id]["risk"][currency] += amount
            figures[account.id]["risk_count"] += count
        for move in open_moves:
            values = figures[move.amazon_vendor_account_id.id]
            values["receivable"][move.currency_id] += move.amount_residual
            values["open_signed"] += move.amount_residual_signed
            late = (today - (move.invoice_date_due or today)).days
            bucket = next((name for limit, name in AGEING if late <= limit), "90_plus")
            values["ageing"][bucket] += move.amount_residual_signed
            if late > 0:
                values["overdue"] += 1
        # The share compares amounts in the company currency (deductions converted today).
        deducted_company = defaultdict(float)
        for account, currency, amount in deducted:
            deducted_company[account.id] += currency._convert(
                amount, account.company_id.currency_id, account.company_id, today)
        invoiced = {account.id: (untaxed, signed) for account, untaxed, signed in invoiced}
        outcomes = defaultdict(lambda: defaultdict(int))
        for account, state, count in disputes:
            outcomes[account.id][state] += count
        for account in self:
            values = figures[account.id]
            untaxed, signed = invoiced.get(account.id, (0.0, 0.0))
            account.payments_at_risk = self._amazon_vendor_amounts_text(values["risk"])
            account.payments_at_risk_count = values["risk_count"]
            account.payments_deduction_share = \
                100.0 * deducted_company[account.id] / untaxed if untaxed else 0.0
            decided = outcomes[account.id]
            won = decided["won"] + decided["partially_won"] + decided["settled"]
            closed = won + decided["lost"] + decided["accepted"]
            account.payments_win_rate = 100.0 * won / closed if closed else 0.0
            account.payments_receivable = self._amazon_vendor_amounts_text(values["receivable"])
            account.payments_overdue_count = values["overdue"]
            account.payments_dso = values["open_signed"] / (signed / 90.0) if signed else 0.0
            company = account.company_id.currency_id
            account.payments_ageing = " | ".join(
                f"{label}: {company.format(values['ageing'][key])}" for key, label in (
                    ("current", "0"), ("1_30", "1-30"), ("31_60", "31-60"), ("61_90", "61-90"),
                    ("90_plus", "90+")))
