"""A remittance booked as one customer payment of the Amazon customer, reconciled line by line.

The payment's liquidity line is the cash Amazon sent (matched to the bank statement by the
payment number). Each remittance line becomes its own journal item on the receivable, so that
it reconciles exactly what it pays: an invoice (what Amazon settled of it, the rest stays open
as a deduction), a credit note, a repayment of a disputed deduction. Amazon's own debits
(shortage claims, chargebacks, co-op...) become open debit items of the Amazon customer until
accepted (credit note) or repaid; terms discounts and tax withheld go to their accounts. Lines
Odoo does not know stay as an unreconciled credit of the customer, visible with the reason.
"""
from odoo import Command, _, fields, models
from odoo.exceptions import UserError


class AmazonVendorRemittance(models.Model):
    _inherit = "amazon.vendor.remittance"

    def action_book(self):
        for remittance in self.filtered(lambda r: r.state == "draft"):
            remittance._amazon_vendor_match()
            remittance._amazon_vendor_book()
        return True

    def action_rematch(self):
        self._amazon_vendor_match()
        return True

    def _amazon_vendor_booking_problems(self):
        self.ensure_one()
        account = self.account_id
        problems = []
        if not self.line_ids:
            problems.append(_("Amazon's summary gives no lines for this payment: import its "
                              "remittance detail (Vendor Central, Payments > Remittance) to "
                              "book it against the invoices it pays."))
        if self.status != "SUCCESSFUL":
            problems.append(_("Amazon reports this payment as %s: nothing reached the bank.",
                              dict(self._fields["status"]._description_selection(self.env))
                              .get(self.status, self.status)))
        if not account.partner_id:
            problems.append(_("Set the Amazon customer on account %s.", account.name))
        if not account.remittance_journal_id:
            problems.append(_("Set the payments journal on account %s (Payments tab).",
                              account.name))
        if any(self.line_ids.mapped("discount")) and not account.terms_discount_account_id:
            problems.append(_("Amazon took a terms discount: set the terms discount account on "
                              "account %s.", account.name))
        if any(self.line_ids.mapped("withholding")) and not account.terms_discount_account_id:
            problems.append(_("Amazon withheld tax: set the terms discount account (it also "
                              "receives tax withheld) on account %s.", account.name))
        return problems

    def _amazon_vendor_book(self):
        """Create, post and reconcile the payment of this remittance."""
        self.ensure_one()
        problems = self._amazon_vendor_booking_problems()
        if problems:
            self.problem = "\n".join(problems)
            return False
        account = self.account_id
        partner = account.partner_id.commercial_partner_id
        receivable = partner.with_company(self.company_id).property_account_receivable_id
        pay_currency = self.currency_id
        to_payment_currency = self._amazon_vendor_rate()
        items = []  # (write-off values, remittance line or None)
        discount = withholding = 0.0
        for line in self.line_ids:
            discount += line.discount
            withholding += line.withholding
            if line.match_state == "unknown" or not line.settled_amount:
                continue  # stays in the counterpart: an unreconciled credit of the customer
            # The receivable moves against the line: credit what it pays, debit what it takes.
            items.append((self._amazon_vendor_writeoff(
                receivable, partner, -line.settled_amount, to_payment_currency,
                self._amazon_vendor_item_name(line)), line))
        for total, label in ((discount, _("terms discount")), (withholding, _("tax withheld"))):
            if total:
                items.append((self._amazon_vendor_writeoff(
                    account.terms_discount_account_id, partner, total, to_payment_currency,
                    _("Amazon payment %(number)s: %(label)s", number=self.payment_number,
                      label=label)), None))
        exchange = self._amazon_vendor_exchange_difference(
            [values for values, _line in items], to_payment_currency)
        if exchange:
            items.append((exchange, None))
        payment = self.env["account.payment"].create({
            "payment_type": "inbound", "partner_type": "customer",
            "partner_id": partner.id, "amount": self.amount, "currency_id": pay_currency.id,
            "date": self.payment_date or fields.Date.context_today(self),
            "journal_id": account.remittance_journal_id.id, "company_id": self.company_id.id,
            "memo": self.payment_number,
            "write_off_line_vals": [values for values, _line in items],
        })
        payment.action_post()
        self._amazon_vendor_reconcile(payment, items)
        self.write({"payment_id": payment.id, "state": "booked", "problem": False})
        self.message_post(body=_("Booked as payment %s.", payment.name))
        return payment

    def _amazon_vendor_rate(self):
        """Payment currency per unit of the lines' currency (1 when they are the same)."""
        if self.invoice_currency_id in (False, self.currency_id) or not self.invoice_currency_id:
            return 1.0
        if self.amount_invoice_currency:
            return self.amount / self.amount_invoice_currency
        if self.exchange_rate:
            return self.exchange_rate
        raise UserError(_("Amazon paid %(number)s in %(currency)s for invoices in %(lines)s "
                          "without an exchange rate.", number=self.payment_number,
                          currency=self.currency_id.name, lines=self.invoice_currency_id.name))

    def _amazon_vendor_item_name(self, line):
        kinds = dict(line._fields["match_state"]._description_selection(self.env))
        return _("Amazon payment %(number)s: %(kind)s %(invoice)s", number=self.payment_number,
                 kind=kinds.get(line.match_state, ""), invoice=line.invoice_number or "")

    def _amazon_vendor_writeoff(self, account, partner, amount, to_payment_currency, name):
        """A write-off line of the payment for ``amount`` in the lines' (invoice) currency,
        positive = debit. Its company-currency value follows Amazon's rate, so an invoice in the
        company currency is settled exactly for what Amazon says it paid of it."""
        # Given here, Odoo does not look up taxes and analytic models line by line.
        return {"name": name, "account_id": account.id, "partner_id": partner.id,
                "tax_ids": [Command.clear()], "analytic_distribution": False,
                "currency_id": self.currency_id.id,
                "amount_currency": self.currency_id.round(amount * to_payment_currency),
                "balance": self._amazon_vendor_company_amount(amount)}

    def _amazon_vendor_company_amount(self, amount):
        """``amount`` in the lines' currency, in the company currency."""
        company_currency = self.company_id.currency_id
        lines_currency = self.invoice_currency_id or self.currency_id
        if lines_currency == company_currency:
            return company_currency.round(amount)
        return lines_currency._convert(amount, company_currency, self.company_id,
                                       self.payment_date or fields.Date.context_today(self))

    def _amazon_vendor_exchange_difference(self, writeoffs, to_payment_currency):
        """When Amazon's rate differs from Odoo's, the cash received (Odoo's rate) and what it
        settles (Amazon's rate) differ in the company currency: that difference is an exchange
        gain or loss, not an amount the Amazon customer still owes."""
        company = self.company_id
        if company.currency_id == self.currency_id == (self.invoice_currency_id
                                                        or self.currency_id):
            return None
        date = self.payment_date or fields.Date.context_today(self)
        liquidity = self.currency_id._convert(self.amount, company.currency_id, company, date)
        unmatched = self.amount - sum(values["amount_currency"] for values in writeoffs)
        counterpart = -self._amazon_vendor_company_amount(
            unmatched / to_payment_currency if to_payment_currency else unmatched)
        difference = company.currency_id.round(
            -(liquidity + sum(values["balance"] for values in writeoffs) + counterpart))
        if company.currency_id.is_zero(difference):
            return None
        account = (company.expense_currency_exchange_account_id if difference > 0
                   else company.income_currency_exchange_account_id)
        if not account:
            raise UserError(_("Set the exchange gain and loss accounts of %s (Accounting "
                              "settings): Amazon's rate differs from Odoo's.", company.name))
        return {"name": _("Amazon payment %s: exchange difference", self.payment_number),
                "account_id": account.id, "partner_id": self.account_id.partner_id.id,
                "currency_id": self.currency_id.id, "amount_currency": 0.0,
                "balance": difference}

    def _amazon_vendor_reconcile(self, payment, items):
        """Reconcile each line's journal item with what it pays (created in the same order),
        all pairs in one reconciliation plan."""
        lines = payment.move_id.line_ids.sorted("id")[2:]  # after liquidity and counterpart
        if len(lines) != len(items):
            raise UserError(_("The payment of %s was not created as expected: book it again "
                              "after checking its journal entry.", self.display_name))
        plan, repaid = [], []
        for move_line, (_values, line) in zip(lines, items, strict=True):
            if line is None:
                continue
            if line.match_state in ("invoice", "partial", "credit_note") and line.move_id:
                targets = line.move_id.line_ids.filtered(
                    lambda ml, account=move_line.account_id: ml.account_id == account
                    and not ml.reconciled)
                if targets:
                    plan.append(move_line + targets)
            elif line.match_state == "deduction" and line.deduction_id:
                line.deduction_id.receivable_line_id = move_line
            elif line.match_state == "repayment" and line.deduction_id:
                deduction = line.deduction_id
                if deduction.receivable_line_id and not deduction.receivable_line_id.reconciled:
                    plan.append(move_line + deduction.receivable_line_id)
                repaid.append((deduction, line.settled_amount))
        if plan:
            self.env["account.move.line"]._reconcile_plan(plan)
        for deduction, amount in repaid:
            deduction._amazon_vendor_repaid(amount, self)

    # -- bank statement -----------------------------------------------------------------------
    def _amazon_vendor_statement_candidates(self):
        """Unreconciled bank statement lines of the payments journal naming this payment."""
        self.ensure_one()
        if not self.payment_number:
            return self.env["account.bank.statement.line"]
        return self.env["account.bank.statement.line"].search([
            ("journal_id", "=", self.account_id.remittance_journal_id.id),
            ("is_reconciled", "=", False), ("company_id", "=", self.company_id.id),
            "|", ("payment_ref", "ilike", self.payment_number),
            ("ref", "ilike", self.payment_number)])

    def action_reconcile_statement(self):
        """Match the bank statement line that carries this payment's number (same amount)."""
        for remittance in self.filtered(lambda r: r.state == "booked" and r.payment_id):
            candidates = remittance._amazon_vendor_statement_candidates().filtered(
                lambda st, r=remittance: st.currency_id.compare_amounts(
                    st.amount_currency or st.amount, r.amount) == 0
                if st.foreign_currency_id else st.currency_id.compare_amounts(
                    st.amount, r.amount) == 0)
            if not candidates:
                raise UserError(_("No bank statement line of journal %(journal)s shows payment "
                                  "%(number)s for %(amount)s.",
                                  journal=remittance.account_id.remittance_journal_id.name,
                                  number=remittance.payment_number, amount=remittance.amount))
            statement_line = candidates[:1]
            outstanding = remittance.payment_id.outstanding_account_id
            liquidity = remittance.payment_id.move_id.line_ids.filtered(
                lambda ml, account=outstanding: ml.account_id == account)
            _liquidity, suspense, _other = statement_line.with_context(
                skip_account_move_synchronization=True)._seek_for_lines()
            suspense.with_context(skip_account_move_synchronization=True).account_id = \
                liquidity.account_id
            (suspense + liquidity).reconcile()
            remittance.statement_line_id = statement_line
        return True
