"""The figures accountants steer by: deductions as a share of invoiced revenue per type and
month, money at risk this week, dispute win rate, receivables ageing and DSO; and the same data
invisible to another company."""
import datetime

from odoo import Command
from odoo.addons.acorn_amazon_vendor.tests.test_multi_company import (
    GROUPS,
    CompanyIsolationMixin,
)
from odoo.tests import tagged

from .common import PaymentsCase


@tagged("post_install", "-at_install")
class TestPaymentReports(CompanyIsolationMixin, PaymentsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._company_users(GROUPS + ",account.group_account_invoice")

    def _booked(self, payment_id, lines):
        record = self.store(self.remittance(payment_id, lines))
        record.action_book()
        self.assertEqual(record.state, "booked", record.problem)
        return record

    def test_deduction_share_at_risk_win_rate_ageing_and_company_isolation(self):
        today = datetime.date.today()
        paid = self._invoice_for("PAYREP01", 0)
        open_invoice = self._invoice_for("PAYREP02", 1)
        open_invoice.invoice_date_due = today - datetime.timedelta(days=40)
        record = self._booked("96", [
            self.line(paid.name, paid.amount_total),
            self.line(f"{paid.name}SC", "-10.00", description="Shortage claim", date=today),
            self.line("8812001VCBSINV", "-5.00", description="Chargeback - ASN accuracy",
                      date=today - datetime.timedelta(days=26)),
        ])
        shortage, chargeback = record.line_ids[1:].deduction_id
        self.assertEqual(chargeback.deadline, today + datetime.timedelta(days=4))

        rows = self.env["amazon.vendor.payment.analysis"].search(
            [("account_id", "=", self.account.id)])
        by_kind = {row.kind: row for row in rows}
        invoiced = paid.amount_untaxed + open_invoice.amount_untaxed
        self.assertAlmostEqual(by_kind["invoiced"].invoiced_amount, invoiced, places=2)
        self.assertAlmostEqual(by_kind["shortage"].deducted_amount, 10.0, places=2)
        self.assertAlmostEqual(by_kind["chargeback"].deducted_amount, 5.0, places=2)
        self.assertAlmostEqual(by_kind["chargeback"].open_amount, 5.0, places=2)

        account = self.account
        account.invalidate_recordset()
        self.assertEqual(account.payments_at_risk_count, 1, "the chargeback: 4 days left")
        self.assertIn("5.00", account.payments_at_risk)
        self.assertAlmostEqual(account.payments_deduction_share, 100 * 15.0 / invoiced,
                               places=4)
        self.assertEqual(account.payments_overdue_count, 1)
        self.assertIn(f"31-60: {self.env.company.currency_id.format(open_invoice.amount_total)}",
                      account.payments_ageing)
        self.assertAlmostEqual(
            account.payments_dso,
            open_invoice.amount_total / ((paid.amount_total + open_invoice.amount_total) / 90),
            places=1)

        shortage.action_dispute()
        chargeback.action_dispute()
        shortage.action_won()
        chargeback.action_lost()
        account.invalidate_recordset()
        self.assertEqual(account.payments_win_rate, 50.0, "one won, one lost")
        self.assertEqual(account.payments_at_risk_count, 0, "disputed: no longer at risk")

        open_invoice.amazon_vendor_variance_ids = [Command.create({
            "line_reference": "1", "quantity": 6, "matched_quantity": 5,
            "quantity_variance": -1, "variance_types": "PQV"})]
        self.assertCompanyIsolated("acorn_amazon_vendor_payments",
                                   shared=["amazon.vendor.deduction.rule"])
        # Deduction rules: the defaults serve every company, a company's own rule only it.
        Rule = self.env["amazon.vendor.deduction.rule"]
        own = Rule.create({"name": "Brand A only", "deduction_type": "coop",
                           "invoice_pattern": "^BRANDA", "company_id": self.company_a.id})
        self.assertIn(own, Rule.with_user(self.user_a).search([]))
        visible_to_b = Rule.with_user(self.user_b).search([])
        self.assertNotIn(own, visible_to_b)
        self.assertTrue(visible_to_b, "the shared defaults")
