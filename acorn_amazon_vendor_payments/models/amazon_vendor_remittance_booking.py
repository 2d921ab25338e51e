"""A remittance booked as one customer payment of the Amazon customer, reconciled line by line.

The payment's liquidity line is the cash Amazon sent (matched to the bank statement by the
payment number). Each remittance line becomes its own journal item on the receivable, so that
it reconciles exactly what it pays: an invoice (what Amazon settled of it, the rest stays open
as a deduction), a credit note, a repayment of a disputed deduction. Amazon's own debits
(shortage claims, chargebacks, co-op...) become open debit items of the Amazon customer until
accepted (credit note) or repaid; terms discounts and tax withheld go to their accounts. Lines
Odoo does not know stay as an unreconciled credit of the customer, visible with the reason.

Odoo reconciles about 4 ms a line: a payment of many thousand lines is posted at once (its
journal entry must balance), then reconciled in steps of RECONCILE_CHUNK lines, each committed
by a scheduled job that shows its progress and resumes where it stopped.
"""
import logging

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)

BOOK_INLINE_LINES = 2000  # reconciled in the same transaction (a few seconds)
RECONCILE_CHUNK = 1000  # lines reconciled per committed step of the background job


class AmazonVendorRemittance(models.Model):
    _inherit = "amazon.vendor.remittance"

    reconcile_pending_count = fields.Integer(
        string="Lines Left to Reconcile", compute="_compute_reconcile_pending_count",
        help="Lines of the posted payment not reconciled yet (a large payment is reconciled "
             "in the background, in steps).")

    def action_book(self):
        for remittance in self.filtered(lambda r: r.state == "draft"):
            remittance._amazon_vendor_match()
            remittance._amazon_vendor_book()
        return True

    def _amazon_vendor_book_each(self):
        """Book each remittance on its own (imports): one that Odoo refuses (a locked period,
        a missing account...) stays to book with the reason, the others are booked."""
        for remittance in self:
            try:
                with self.env.cr.savepoint():
                    remittance.action_book()
            except (UserError, ValidationError) as exc:
                remittance.problem = _("Not booked: %s", exc.args[0] if exc.args else exc)

    @api.depends("line_ids.payment_move_line_id", "line_ids.reconcile_done")
    def _compute_reconcile_pending_count(self):
        pending = dict(self.env["amazon.vendor.remittance.line"]._read_group(
            [("remittance_id", "in", self.ids), ("payment_move_line_id", "!=", False),
             ("reconcile_done", "=", False)], ["remittance_id"], ["__count"]))
        for remittance in self:
            remittance.reconcile_pending_count = pending.get(remittance, 0)

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
        if self.line_ids:
            # lines lost on the way (a page not read) must not end up as an open credit
            lines_currency = self.invoice_currency_id or self.currency_id
            expected = self.amount_invoice_currency if self.invoice_currency_id \
                and self.invoice_currency_id != self.currency_id else self.amount
            paid = sum(self.line_ids.mapped("amount_paid"))
            if lines_currency.compare_amounts(expected, paid) != 0:
                problems.append(_(
                    "The %(count)s lines of payment %(number)s add up to %(paid)s %(currency)s, "
                    "Amazon's payment to %(expected)s: lines are missing or were read wrongly. "
                    "Import its remittance detail again before booking it.",
                    count=len(self.line_ids), number=self.payment_number, paid=paid,
                    currency=lines_currency.name, expected=expected))
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
        self._amazon_vendor_link_items(payment, items)
        self.write({"payment_id": payment.id, "state": "reconciling", "problem": False})
        pending = len([line for _values, line in items if line is not None])
        if pending <= BOOK_INLINE_LINES:
            self._amazon_vendor_reconcile_pending()
        else:
            self.message_post(body=_(
                "Posted as payment %(payment)s; its %(count)s lines are reconciled with the "
                "invoices in the background, %(chunk)s at a time.", payment=payment.name,
                count=pending, chunk=RECONCILE_CHUNK))
            self.env.ref("acorn_amazon_vendor_payments.ir_cron_reconcile_remittances")._trigger()
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
        # what the payment leaves open on the customer: Odoo credits -(amount + write-offs)
        unmatched = self.amount + sum(values["amount_currency"] for values in writeoffs)
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

    def _amazon_vendor_link_items(self, payment, items):
        """Name on each remittance line the payment's journal item that books it (created in
        the same order as ``items``), in one statement: a payment may have many thousand. A
        deduction's item stays open on the customer: it is the deduction's from now on (it
        can be accepted or disputed before the rest is reconciled); a repayment counts for its
        deduction at once (another payment cannot claim it meanwhile), its item is reconciled
        with the rest."""
        move_lines = payment.move_id.line_ids.sorted("id")[2:]  # after liquidity, counterpart
        if len(move_lines) != len(items):
            raise UserError(_("The payment of %s was not created as expected: book it again "
                              "after checking its journal entry.", self.display_name))
        pairs = [(line.id, move_line.id)
                 for move_line, (_values, line) in zip(move_lines, items, strict=True)
                 if line is not None]
        if pairs:
            self.env["amazon.vendor.remittance.line"].flush_model()
            self.env.cr.execute("""
                UPDATE amazon_vendor_remittance_line AS l
                   SET payment_move_line_id = v.move_line_id,
                       reconcile_done = (l.match_state = 'deduction')
                  FROM unnest(%s::int[], %s::int[]) AS v(line_id, move_line_id)
                 WHERE l.id = v.line_id""", ([p[0] for p in pairs], [p[1] for p in pairs]))
            self.env["amazon.vendor.remittance.line"].invalidate_model(
                ["payment_move_line_id", "reconcile_done"])
        for _values, line in items:
            if line is None or not line.deduction_id:
                continue
            if line.match_state == "deduction":
                line.deduction_id.receivable_line_id = line.payment_move_line_id
            elif line.match_state == "repayment" or (
                    line.match_state in ("invoice", "partial")
                    and line.deduction_id.remittance_line_id != line):
                # a repayment, or the rest of an invoice an earlier payment short-paid
                line.deduction_id._amazon_vendor_repaid(line.settled_amount, self)

    def _amazon_vendor_reconcile_pending(self, limit=None):
        """Reconcile the journal items of the lines not reconciled yet (``limit`` of them, in
        line order), all pairs in one reconciliation plan; the remittance is booked once none
        is left. Returns how many lines this call took."""
        self.ensure_one()
        if self.payment_id.move_id.state != "posted":
            raise UserError(_("The payment %s is no longer posted: post it again to go on "
                              "reconciling.", self.payment_id.name or "-"))
        Line = self.env["amazon.vendor.remittance.line"]
        pending = [("remittance_id", "=", self.id), ("payment_move_line_id", "!=", False),
                   ("reconcile_done", "=", False)]
        lines = Line.search(pending, order="id", limit=limit)
        plan = []
        for line in lines:
            move_line = line.payment_move_line_id
            if move_line.reconciled:
                continue  # someone reconciled it by hand meanwhile
            if line.match_state in ("invoice", "partial", "credit_note") and line.move_id:
                targets = line.move_id.line_ids.filtered(
                    lambda ml, account=move_line.account_id: ml.account_id == account
                    and not ml.reconciled)
                if targets:
                    plan.append(move_line + targets)
            elif line.match_state == "repayment" and line.deduction_id:
                deduction = line.deduction_id
                if deduction.receivable_line_id and not deduction.receivable_line_id.reconciled:
                    plan.append(move_line + deduction.receivable_line_id)
        if plan:
            self.env["account.move.line"]._reconcile_plan(plan)
        lines.reconcile_done = True
        if not limit or not Line.search_count(pending):
            self.state = "booked"
            self.message_post(body=_("Booked as payment %s.", self.payment_id.name))
        return len(lines)

    @api.model
    def _cron_reconcile_remittances(self):
        """One step of the background reconciliation of large payments (Odoo's scheduler
        commits each step and calls again while some are left). A step cut short (time limit,
        restart) is rolled back and done again by the next run; a step that fails is undone,
        its payment set aside with the reason until someone resumes it, and the others go
        on."""
        waiting = [("state", "=", "reconciling"), ("problem", "=", False)]
        remittance = self.search(waiting, order="id", limit=1)
        if not remittance:
            return
        try:
            with self.env.cr.savepoint():
                done = remittance._amazon_vendor_reconcile_pending(limit=RECONCILE_CHUNK)
        except Exception as exc:  # noqa: BLE001 - one payment never blocks the others
            _logger.info("Amazon remittance %s: reconciliation step failed (%s)", remittance.id,
                         type(exc).__name__)
            remittance.problem = _(
                "A reconciliation step failed and was undone (%(type)s: %(error)s): correct the "
                "cause, then press Resume Reconciling.", type=type(exc).__name__, error=exc)
            try:
                with self.env.cr.savepoint():
                    remittance.account_id._amazon_vendor_notify(
                        remittance, _("Amazon payment %s is not fully reconciled",
                                      remittance.payment_number), remittance.problem,
                        warning=True)
            except Exception:  # noqa: BLE001 - the payment stays set aside, with its reason
                _logger.info("Amazon remittance %s: the alert could not be made",
                             remittance.id)
            done = 1  # this one is set aside: the run goes on with the others
        remaining = self.env["amazon.vendor.remittance.line"].search_count([
            ("remittance_id.state", "=", "reconciling"), ("remittance_id.problem", "=", False),
            ("payment_move_line_id", "!=", False), ("reconcile_done", "=", False)])
        # at least one done, or Odoo's scheduler takes the run for finished
        self.env["ir.cron"]._notify_progress(done=max(done, 1), remaining=remaining)

    def action_resume_reconcile(self):
        """Take a payment whose reconciliation stopped on an error back into the job."""
        self.filtered(lambda r: r.state == "reconciling").problem = False
        self.env.ref("acorn_amazon_vendor_payments.ir_cron_reconcile_remittances")._trigger()
        return True

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
        for remittance in self.filtered(
                lambda r: r.state in ("reconciling", "booked") and r.payment_id):
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
