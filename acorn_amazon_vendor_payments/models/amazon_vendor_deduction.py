"""Amazon's deductions, one record per deduction line: classified, linked to what they concern,
disputed or accepted before their deadline, settled in the accounts."""
import datetime
import re

from odoo import Command, _, api, fields, models
from odoo.addons.acorn_amazon_vendor.lib.mapping import deductions
from odoo.exceptions import UserError

from .amazon_vendor_deduction_rule import DEDUCTION_TYPES
from .amazon_vendor_remittance_matching import normalised

STATES = [
    ("new", "New"),
    ("accepted", "Accepted"),
    ("disputed", "Disputed"),
    ("won", "Won"),
    ("partially_won", "Partially Won"),
    ("lost", "Lost"),
    ("settled", "Settled"),
]
OPEN_STATES = ("new", "disputed", "won", "partially_won", "lost")
PO_TOKEN = re.compile(r"\b[A-Z0-9]{8}\b")  # Amazon purchase order numbers: 8 characters


class AmazonVendorDeduction(models.Model):
    _name = "amazon.vendor.deduction"
    _description = "Amazon Deduction"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "deadline asc nulls last, issue_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Amazon Number", required=True, readonly=True, index=True,
                       help="Amazon's invoice number of the deduction (e.g. a shortage claim).")
    account_id = fields.Many2one("amazon.vendor.account", required=True, readonly=True,
                                 ondelete="restrict", index=True, check_company=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    deduction_type = fields.Selection(DEDUCTION_TYPES, string="Type", required=True,
                                      tracking=True)
    rule_id = fields.Many2one("amazon.vendor.deduction.rule", string="Classified by",
                              readonly=True)
    description = fields.Char(readonly=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    amount = fields.Monetary(string="Deducted", readonly=True,
                             help="What Amazon took, positive.")
    recovered_amount = fields.Monetary(tracking=True,
                                       help="What Amazon agreed to give back after the "
                                            "dispute.")
    repaid_amount = fields.Monetary(readonly=True, help="What Amazon's payments gave back.")
    issue_date = fields.Date(readonly=True, index=True)
    payment_date = fields.Date(readonly=True)
    due_date = fields.Date(string="Invoice Due Date", readonly=True)
    deadline = fields.Date(string="Dispute Before", tracking=True, index=True,
                           help="Amazon no longer takes a dispute after this date.")
    deadline_alerted = fields.Boolean(readonly=True, copy=False)
    state = fields.Selection(STATES, default="new", required=True, tracking=True, index=True)
    remittance_line_id = fields.Many2one("amazon.vendor.remittance.line", readonly=True,
                                         ondelete="set null")
    remittance_id = fields.Many2one(related="remittance_line_id.remittance_id", store=True)
    invoice_id = fields.Many2one("account.move", string="Invoice Concerned",
                                 domain="[('move_type', '=', 'out_invoice')]",
                                 check_company=True, index="btree_not_null")
    linked_order_ids = fields.Many2many(
        "sale.order", string="Linked Purchase Orders", check_company=True,
        help="Purchase orders this deduction concerns beyond its invoice's: those Amazon's "
             "text names, or linked by hand when it names none (a chargeback, say) to build "
             "the dispute packet.")
    sale_order_ids = fields.Many2many(
        "sale.order", string="Amazon Purchase Orders", compute="_compute_sale_order_ids",
        help="The orders of the invoice concerned and the linked ones.")
    picking_ids = fields.Many2many("stock.picking", string="Deliveries",
                                   compute="_compute_sale_order_ids")
    receivable_line_id = fields.Many2one(
        "account.move.line", readonly=True, copy=False,
        help="The open item of this deduction on the Amazon customer's receivable.")
    credit_note_id = fields.Many2one("account.move", readonly=True, copy=False)
    dispute_reference = fields.Char(tracking=True,
                                    help="Vendor Central's dispute or case id.")
    dispute_date = fields.Date(readonly=True)
    packet_attachment_id = fields.Many2one("ir.attachment", string="Dispute Packet",
                                           readonly=True, copy=False)
    open_amount = fields.Monetary(compute="_compute_open_amount", store=True,
                                  help="Deducted minus repaid and credited, while not settled.")

    _sql_constraints = [
        ("deduction_unique", "unique(account_id, name, remittance_line_id)",
         "This Amazon deduction is already recorded."),
    ]

    @api.depends("amount", "repaid_amount", "credit_note_id.amount_total", "state")
    def _compute_open_amount(self):
        for deduction in self:
            deduction.open_amount = 0.0 if deduction.state in ("accepted", "settled") else \
                deduction.amount - deduction.repaid_amount - deduction.credit_note_id.amount_total

    @api.depends("invoice_id", "linked_order_ids")
    def _compute_sale_order_ids(self):
        for deduction in self:
            orders = deduction.invoice_id.invoice_line_ids.sale_line_ids.order_id \
                | deduction.linked_order_ids
            deduction.sale_order_ids = orders
            deduction.picking_ids = orders.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing" and p.state == "done")

    @api.depends("name", "deduction_type")
    def _compute_display_name(self):
        labels = dict(self._fields["deduction_type"]._description_selection(self.env))
        for deduction in self:
            deduction.display_name = f"{labels.get(deduction.deduction_type, '')} " \
                                     f"{deduction.name or ''}".strip()

    # -- creation from remittance lines -----------------------------------------------------
    @api.model
    def _amazon_vendor_create_from_lines(self, pending):
        """The deductions remittance lines record, created at once: Amazon's own debits
        (negative lines) and the shortfall of short-paid invoices. ``pending``: [(line, rules,
        country, rule)]. What each concerns (the invoice a claim is numbered after, the POs a
        chargeback names) is looked up once for the whole batch."""
        if not pending:
            return self.browse()
        originals = {}
        for line, rules, country, _rule in pending:
            if line.match_state != "partial":
                originals[line] = deductions.original_invoice_number(
                    line._amazon_vendor_neutral(), rules, country=country)
        Remittance = self.env["amazon.vendor.remittance"]
        lines = self.env["amazon.vendor.remittance.line"].union(*(p[0] for p in pending))
        referenced = Remittance._amazon_vendor_find_moves(
            lines, [n for n in originals.values() if n], move_types=("out_invoice",))
        orders = self._amazon_vendor_orders_named(lines)
        Rule = self.env["amazon.vendor.deduction.rule"]
        values = []
        for line, _rules, _country, rule in pending:
            remittance = line.remittance_id
            if line.match_state == "partial":
                invoice = line.move_id
                amount = line.currency_id.round(invoice.amount_total - line.settled_amount)
                kind = self._amazon_vendor_variance_type(invoice)
                name = line.invoice_number
            else:
                invoice = referenced.get((line.company_id.id, normalised(originals[line]))) \
                    if originals[line] else None
                amount = -line.settled_amount
                kind = line.deduction_type or "other"
                name = line.invoice_number or _("line %s", line.sequence)
            issue = line.invoice_date or remittance.payment_date
            due = invoice.invoice_date_due if invoice else False
            # a short payment whose kind Amazon does not say (no Finances Invoices data) is a
            # quantity or price variance: its window counts from the due date, not from the
            # invoice's date (which would often be past already)
            window = "quantity_variance" if line.match_state == "partial" and kind == "other" \
                else kind
            vals = {
                "name": name, "account_id": remittance.account_id.id, "deduction_type": kind,
                "rule_id": rule and rule.get("id"), "description": line.description,
                "currency_id": line.currency_id.id, "amount": amount, "issue_date": issue,
                "payment_date": remittance.payment_date, "due_date": due,
                "deadline": deductions.deadline(window, {
                    "issue_date": issue, "due_date": due or None,
                    "payment_date": remittance.payment_date,
                    "invoice_date": invoice.invoice_date if invoice else None},
                    Rule._amazon_vendor_deadlines(rule)),
                "remittance_line_id": line.id, "invoice_id": invoice.id if invoice else False}
            if not invoice:
                named = orders.filtered(
                    lambda o, ln=line: o.amazon_vendor_account_id == ln.account_id
                    and o.amazon_vendor_po_number in self._amazon_vendor_po_tokens(ln))
                if named:
                    vals["linked_order_ids"] = [Command.set(named.ids)]
            values.append(vals)
        # Created by the import, many at once: no chatter message or follower per record.
        created = self.with_context(tracking_disable=True).create(values)
        for (line, *_rest), deduction in zip(pending, created, strict=True):
            line.deduction_id = deduction
        return created

    @api.model
    def _amazon_vendor_po_tokens(self, line):
        return set(PO_TOKEN.findall(
            f"{line.invoice_number or ''} {line.description or ''}".upper()))

    @api.model
    def _amazon_vendor_orders_named(self, lines):
        """The Amazon purchase orders whose number the lines' text contains (chargebacks and
        co-op lines often name the PO rather than an invoice)."""
        tokens = set().union(*(self._amazon_vendor_po_tokens(line) for line in lines))
        if not tokens:
            return self.env["sale.order"]
        return self.env["sale.order"].search([
            ("amazon_vendor_account_id", "in", lines.account_id.ids),
            ("amazon_vendor_po_number", "in", sorted(tokens))])

    @api.model
    def _amazon_vendor_variance_type(self, invoice):
        """What Amazon says the short payment of ``invoice`` is (Finances Invoices API)."""
        if invoice.amazon_vendor_pqv_amount and not invoice.amazon_vendor_ppv_amount:
            return "quantity_variance"
        if invoice.amazon_vendor_ppv_amount and not invoice.amazon_vendor_pqv_amount:
            return "price_variance"
        return "quantity_variance" if invoice.amazon_vendor_pqv_amount else "other"

    # -- people's decisions -----------------------------------------------------------------
    def action_accept(self):
        """Amazon was right: book it (a credit note on the invoice or on the deductions
        account), which closes its open item on the receivable."""
        for deduction in self:
            if deduction.state not in ("new", "disputed", "lost", "partially_won"):
                raise UserError(_("%s is already settled.", deduction.display_name))
            amount = deduction.amount - deduction.recovered_amount - deduction.repaid_amount
            if deduction.state == "partially_won" or deduction.credit_note_id:
                amount = 0  # the part Amazon keeps is already booked
            if amount > 0:
                deduction._amazon_vendor_credit_note(amount)
            if deduction.state in ("new", "disputed"):
                deduction.state = "accepted"  # lost stays lost: the dispute's outcome
        return True

    def action_dispute(self):
        """Record that the dispute is filed in Vendor Central, and build its packet when
        there is something to put in it (otherwise say what to link)."""
        for deduction in self.filtered(lambda d: d.state == "new"):
            deduction.write({"state": "disputed", "dispute_date": fields.Date.context_today(
                deduction)})
            deduction.activity_unlink(["acorn_amazon_vendor_payments.mail_activity_deadline"])
        if len(self) == 1 and (self.invoice_id or self.sale_order_ids):
            return self.action_build_packet()
        for deduction in self.filtered(lambda d: not d.invoice_id and not d.sale_order_ids):
            deduction.message_post(body=_(
                "No invoice or purchase order is linked to this deduction: link them to build "
                "its dispute packet."))
        return True

    def action_won(self):
        """Amazon agreed: its repayment arrives in a later remittance (matched on its own)."""
        for deduction in self.filtered(lambda d: d.state == "disputed"):
            deduction.write({"state": "won", "recovered_amount": deduction.amount})
            deduction._amazon_vendor_settle_if_done()
        return True

    def action_lost(self):
        disputed = self.filtered(lambda d: d.state == "disputed")
        disputed.write({"state": "lost"})
        return disputed.action_accept()

    def action_partially_won(self):
        """Amazon gives back part of it (``recovered_amount``): the rest is booked now."""
        for deduction in self.filtered(lambda d: d.state == "disputed"):
            if not 0 < deduction.recovered_amount < deduction.amount:
                raise UserError(_("Enter the amount Amazon gives back (between 0 and %s) in "
                                  "Recovered first.", deduction.amount))
            deduction.state = "partially_won"
            deduction._amazon_vendor_credit_note(deduction.amount - deduction.recovered_amount)
            deduction._amazon_vendor_settle_if_done()
        return True

    def _amazon_vendor_repaid(self, amount, remittance):
        """A later remittance line gives ``amount`` of this deduction back."""
        self.ensure_one()
        self.repaid_amount += amount
        if self.state in ("new", "disputed"):
            self.state = "won"
            self.recovered_amount = self.recovered_amount or self.repaid_amount
        self.message_post(body=_("Amazon repaid %(amount)s %(currency)s in payment %(payment)s.",
                                 amount=amount, currency=self.currency_id.name,
                                 payment=remittance.payment_number))
        self._amazon_vendor_settle_if_done()

    def _amazon_vendor_settle_if_done(self):
        for deduction in self.filtered(lambda d: d.state in ("won", "partially_won")):
            done = deduction.repaid_amount + deduction.credit_note_id.amount_total
            if deduction.currency_id.compare_amounts(done, deduction.amount) >= 0:
                deduction.state = "settled"

    def _amazon_vendor_credit_note(self, amount):
        """A posted credit note for ``amount`` reconciled with what this deduction left open."""
        self.ensure_one()
        # company-dependent: the deduction's company, not the user's current one
        account = self.rule_id.with_company(self.company_id).account_id \
            or self.account_id.deduction_account_id
        if not account:
            raise UserError(_("Set the deductions account on Amazon account %s (Payments tab), "
                              "or on the rule of this deduction type.", self.account_id.name))
        partner = self.account_id.partner_id
        labels = dict(self._fields["deduction_type"]._description_selection(self.env))
        refund = self.env["account.move"].create({
            "move_type": "out_refund", "partner_id": partner.id,
            "company_id": self.company_id.id, "currency_id": self.currency_id.id,
            "invoice_date": fields.Date.context_today(self),
            "ref": _("Amazon deduction %s", self.name),
            "reversed_entry_id": self.invoice_id.id or False,
            "invoice_line_ids": [Command.create({
                "name": _("Amazon %(type)s %(number)s %(description)s",
                          type=labels.get(self.deduction_type, ""), number=self.name,
                          description=self.description or ""),
                "account_id": account.id, "quantity": 1, "price_unit": amount,
                "tax_ids": [Command.clear()]})],
        })
        refund.with_context(amazon_vendor_deduction_credit_note=True).action_post()
        self.credit_note_id = refund
        open_lines = self.receivable_line_id.filtered(lambda ln: not ln.reconciled) or \
            self.invoice_id.line_ids.filtered(
                lambda ln: ln.account_type == "asset_receivable" and not ln.reconciled)
        credit = refund.line_ids.filtered(lambda ln: ln.account_type == "asset_receivable")
        if open_lines:
            (credit + open_lines).reconcile()
        self.message_post(body=_("Booked by credit note %s.", refund.name))
        return refund

    # -- deadlines --------------------------------------------------------------------------
    @api.model
    def _cron_deadline_alerts(self):
        """Warn the account's alert users before a dispute deadline passes (once)."""
        today = fields.Date.context_today(self)
        for deduction in self.search([("state", "in", ("new",)), ("deadline", "!=", False),
                                      ("deadline_alerted", "=", False)]):
            days = deduction.account_id.deduction_alert_days
            if deduction.deadline - datetime.timedelta(days=days) > today:
                continue
            deduction.deadline_alerted = True
            account = deduction.account_id
            for user in account.alert_user_ids or account.responsible_user_id:
                deduction.activity_schedule(
                    "acorn_amazon_vendor_payments.mail_activity_deadline", user_id=user.id,
                    date_deadline=deduction.deadline, summary=_(
                        "Dispute or accept %(deduction)s before %(deadline)s",
                        deduction=deduction.display_name, deadline=deduction.deadline),
                    note=account._amazon_vendor_html(_(
                        "Amazon deducted %(amount)s %(currency)s (%(description)s). After "
                        "%(deadline)s Amazon no longer takes a dispute: the money is lost.",
                        amount=deduction.amount, currency=deduction.currency_id.name,
                        description=deduction.description or deduction.name,
                        deadline=deduction.deadline)))
