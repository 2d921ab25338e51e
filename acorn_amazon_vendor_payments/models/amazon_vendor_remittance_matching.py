"""Each remittance line matched to what it pays or takes back: an Odoo invoice or credit note,
a deduction of Amazon's (recorded as its own deduction), the repayment of a disputed deduction,
or nothing known (kept visible with the reason). Two searches for a whole batch."""
import re
from decimal import Decimal

from odoo import _, models
from odoo.addons.acorn_amazon_vendor.lib.mapping import deductions
from odoo.addons.acorn_amazon_vendor.lib.mapping.remittance import RemittanceLine

NON_ALNUM = re.compile(r"[^A-Z0-9]")
# Amazon gives a deduction back under its own number + "R" (a later one: "R2", "R3"...).
REVERSAL_SUFFIX = re.compile(r"R\d*$")


def normalised(number):
    """Amazon may reformat an invoice number (case, separators): compare letters and digits."""
    return NON_ALNUM.sub("", (number or "").upper())


class AmazonVendorRemittance(models.Model):
    _inherit = "amazon.vendor.remittance"

    def _amazon_vendor_match(self):
        """(Re)match the lines of these remittances that are not booked yet: a fixed number
        of queries whatever the number of lines."""
        lines = self.filtered(lambda r: r.state == "draft").line_ids
        if not lines:
            return
        moves = self._amazon_vendor_find_moves(lines, lines.mapped("invoice_number"))
        known_deductions = self._amazon_vendor_find_deductions(lines)
        paid_before = self._amazon_vendor_paid_before(lines, moves)
        pending = []  # lines that record a new deduction
        for remittance in self.filtered(lambda r: r.state == "draft"):
            rules = self.env["amazon.vendor.deduction.rule"]._amazon_vendor_rules(
                remittance.company_id)
            country = remittance.country_code or \
                remittance.account_id.marketplace_ids[:1].country_id.code or ""
            for line in remittance.line_ids:
                rule = line._amazon_vendor_match_line(moves, known_deductions, rules, country,
                                                      paid_before)
                if line.match_state in ("deduction", "partial") and not line.deduction_id:
                    pending.append((line, rules, country, rule))
        self.env["amazon.vendor.deduction"]._amazon_vendor_create_from_lines(pending)

    def _amazon_vendor_paid_before(self, lines, moves):
        """{invoice: (what other remittances' lines settled of it, the open short-payment
        deductions they recorded)}: Amazon may pay an invoice over several payments, and
        what one left open is not a deduction when a later one pays it."""
        invoices = self.env["account.move"].union(*moves.values()) if moves else \
            self.env["account.move"]
        if not invoices:
            return {}
        earlier = self.env["amazon.vendor.remittance.line"].search([
            ("move_id", "in", invoices.ids), ("match_state", "in", ("invoice", "partial")),
            ("remittance_id", "not in", lines.remittance_id.ids),
            ("remittance_id.state", "!=", "failed")])
        out = {}
        for line in earlier:
            paid, open_deductions = out.get(line.move_id, (0.0, line.deduction_id.browse()))
            if line.match_state == "partial" and line.deduction_id.open_amount > 0 and \
                    line.deduction_id.state in ("new", "disputed", "won", "partially_won"):
                open_deductions |= line.deduction_id
            out[line.move_id] = (paid + line.settled_amount, open_deductions)
        return out

    def _amazon_vendor_find_moves(self, lines, numbers, move_types=("out_invoice", "out_refund")):
        """{(company id, normalised number): move} of the posted customer invoices and credit
        notes with these ``numbers`` of the Amazon customers ``lines`` can pay (one query)."""
        numbers = {normalised(n) for n in numbers if n}
        if not numbers:
            return {}
        partners = lines.remittance_id.account_id.partner_id.commercial_partner_id
        self.env["account.move"].flush_model(["name", "state", "move_type", "company_id",
                                              "commercial_partner_id"])
        self.env.cr.execute("""
            SELECT id FROM account_move
             WHERE state = 'posted' AND move_type IN %s
               AND company_id IN %s AND commercial_partner_id IN %s
               AND regexp_replace(upper(name), '[^A-Z0-9]', '', 'g') IN %s""",
                            (tuple(move_types), tuple(lines.company_id.ids),
                             tuple(partners.ids) or (0,), tuple(numbers)))
        moves = self.env["account.move"].browse([row[0] for row in self.env.cr.fetchall()])
        return {(m.company_id.id, normalised(m.name)): m for m in moves}

    def _amazon_vendor_find_deductions(self, lines):
        """Open deductions Amazon may repay on these lines, by number (the claim's own number,
        or the dispute's case id) and by the invoice they concern: (by_number, by_invoice)."""
        found = self.env["amazon.vendor.deduction"].search([
            ("account_id", "in", lines.account_id.ids),
            ("state", "in", ("new", "disputed", "won", "partially_won"))],
            order="issue_date, id")
        by_number, by_invoice = {}, {}
        for deduction in found:
            account = deduction.account_id.id
            for key in (normalised(deduction.name), normalised(deduction.dispute_reference)):
                if key:
                    by_number.setdefault((account, key), deduction)
            if deduction.invoice_id:
                key = (account, normalised(deduction.invoice_id.name))
                by_invoice[key] = by_invoice.get(key, deduction.browse()) | deduction
        return by_number, by_invoice


class AmazonVendorRemittanceLine(models.Model):
    _inherit = "amazon.vendor.remittance.line"

    def _amazon_vendor_neutral(self):
        return RemittanceLine(
            invoice_number=self.invoice_number or "", currency=self.currency_id.name,
            invoice_amount=Decimal(str(self.invoice_amount)),
            amount_paid=Decimal(str(self.amount_paid)),
            discount=Decimal(str(self.discount)), withholding=Decimal(str(self.withholding)),
            invoice_date=self.invoice_date or None, description=self.description or "",
            invoice_type=self.invoice_type or "")

    def _amazon_vendor_match_line(self, moves, known_deductions, rules, country,
                                  paid_before=None):
        """Match this line; returns the rule that classified a deduction (or None)."""
        self.ensure_one()
        company = self.company_id.id
        move = moves.get((company, normalised(self.invoice_number)))
        currency = self.currency_id
        values = {"move_id": False, "deduction_type": False}
        deduction = rule = None
        if move and move.move_type == "out_invoice" and self.settled_amount > 0:
            paid, short_paid = (paid_before or {}).get(move, (0.0, None))
            expected = move.amount_total - paid  # what earlier payments left of it
            short = currency.compare_amounts(self.settled_amount, expected) < 0
            values.update(move_id=move.id, match_state="partial" if short else "invoice",
                          match_note=_("Short-paid by %(amount)s %(currency)s",
                                       amount=currency.round(expected - self.settled_amount),
                                       currency=currency.name) if short else False)
            if short_paid:
                # pays what an earlier payment left open: that short payment is given back
                values.update(deduction_id=short_paid[:1].id, match_note=_(
                    "Pays %(amount)s %(currency)s of %(invoice)s that payment %(payment)s left "
                    "open", amount=self.settled_amount, currency=currency.name,
                    invoice=move.name,
                    payment=short_paid[:1].remittance_line_id.remittance_id.payment_number))
        elif move and move.move_type == "out_refund" and self.settled_amount < 0:
            values.update(move_id=move.id, match_state="credit_note", match_note=False)
        else:
            kind, rule = deductions.classify(self._amazon_vendor_neutral(), rules,
                                             country=country)
            if self.settled_amount > 0:
                deduction = self._amazon_vendor_repaid_deduction(known_deductions, kind, rules,
                                                                 country)
            if deduction:
                values.update(match_state="repayment", deduction_type="reversal",
                              match_note=_("Amazon repays deduction %s", deduction.name))
            elif self.settled_amount < 0:
                values.update(match_state="deduction", deduction_type=kind, match_note=False)
            elif kind == "reversal":
                values.update(match_state="repayment", deduction_type=kind, match_note=_(
                    "A repayment of Amazon's, but no open deduction %s is known here",
                    self.invoice_number))
            else:
                values.update(match_state="unknown", match_note=_(
                    "No posted invoice or credit note %(number)s of %(customer)s in Odoo",
                    number=self.invoice_number or "-",
                    customer=self.account_id.partner_id.display_name))
        if values["match_state"] == "repayment" and deduction:
            values["deduction_id"] = deduction.id
        elif values["match_state"] not in ("deduction", "partial") and self.deduction_id \
                and self.deduction_id.remittance_line_id == self:
            # Matched again (an invoice posted since): the deduction it recorded was wrong.
            stale = self.deduction_id
            values.setdefault("deduction_id", False)
            if stale.state == "new":
                stale.unlink()
        self.write(values)
        return rule if values["match_state"] == "deduction" else None

    def _amazon_vendor_repaid_deduction(self, known_deductions, kind, rules, country):
        """The open deduction this credit line gives back: named by the line ("...SC" is
        repaid as "...SCR", a provision "...RECEIVABLES" as "...RECEIVABLESR"), or, for a line
        the rules call a reversal, the oldest open deduction of the invoice it names that is
        large enough."""
        by_number, by_invoice = known_deductions
        account = self.account_id.id
        number = normalised(self.invoice_number)
        for key in (number, REVERSAL_SUFFIX.sub("", number)):
            if key and (account, key) in by_number:
                return by_number[(account, key)]
        if kind != "reversal":
            return None
        original = deductions.original_invoice_number(self._amazon_vendor_neutral(), rules,
                                                      country=country)
        candidates = by_invoice.get((account, normalised(original)), ()) if original else ()
        return next((d for d in candidates if self.currency_id.compare_amounts(
            d.open_amount, self.settled_amount) >= 0), None)

    def action_open_move(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "account.move",
                "res_id": self.move_id.id, "view_mode": "form"}
