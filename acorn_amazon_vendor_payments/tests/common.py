import datetime
from decimal import Decimal

from odoo.addons.acorn_amazon_vendor.lib.mapping.remittance import Remittance, RemittanceLine
from odoo.addons.acorn_amazon_vendor.tests.common_po import PurchaseOrderCase


class PaymentsCase(PurchaseOrderCase):
    """Invoices Amazon accepted, a payments journal and accounts, and helpers to build the
    remittances Amazon sends."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.bank = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
        Account = cls.env["account.account"]
        cls.discount_account = Account.create({
            "name": "Amazon terms discounts", "code": "AMZDISC", "account_type": "expense"})
        cls.deduction_account = Account.create({
            "name": "Amazon deductions", "code": "AMZDED", "account_type": "expense"})
        cls.account.write({
            "remittance_journal_id": cls.bank.id,
            "terms_discount_account_id": cls.discount_account.id,
            "deduction_account_id": cls.deduction_account.id})
        cls.receivable = cls.amazon_partner.property_account_receivable_id

    def _invoice_for(self, number, index=0, quantity=6, payment_term=None):
        """A posted customer invoice of an Amazon PO that was shipped."""
        item = self._item(index)
        self._stock(self.products[item["vendor_sku"]], quantity * 10)
        self._po(number, [(item, quantity, "Eaches", 1)])
        order = self._import().filtered(lambda o: o.client_order_ref == number)
        order.action_amazon_vendor_propose()
        order.action_confirm()
        self._deliver(order)
        move = order._create_invoices()
        if payment_term:
            move.invoice_payment_term_id = payment_term
        move.action_post()
        return move

    @staticmethod
    def line(number, amount, paid=None, discount="0", description="", invoice_type="",
             currency="USD", date=None):
        amount = Decimal(str(amount))
        return RemittanceLine(
            invoice_number=number, currency=currency, invoice_amount=amount,
            amount_paid=Decimal(str(paid)) if paid is not None else amount - Decimal(discount),
            discount=Decimal(discount), description=description, invoice_type=invoice_type,
            invoice_date=date)

    @staticmethod
    def remittance(payment_id, lines, number=None, currency="USD", date=None, **values):
        amount = sum((line.amount_paid for line in lines), Decimal(0))
        return Remittance(
            unique_payment_id=payment_id, payment_number=number or f"PAY{payment_id}",
            payment_date=date or datetime.date.today(), amount=amount, currency=currency,
            lines=tuple(lines), source="api", **values)

    def store(self, *remittances):
        records = self.env["amazon.vendor.remittance"]._amazon_vendor_store(
            self.account, list(remittances))
        records._amazon_vendor_match()
        return records

    def balance(self, account, partner=None):
        domain = [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return sum(self.env["account.move.line"].search(domain).mapped("balance"))
