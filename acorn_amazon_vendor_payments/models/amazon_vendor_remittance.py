"""Amazon's payments (remittances) and their lines, stored once whatever the source."""
import dataclasses
import json

from odoo import _, api, fields, models
from odoo.addons.acorn_amazon_vendor.lib.mapping.remittance import Remittance
from odoo.exceptions import UserError

from .amazon_vendor_deduction_rule import DEDUCTION_TYPES

SOURCES = [("api", "Finance Remittance API"), ("export", "Vendor Central export"),
           ("edi", "EDI 820")]
STATUSES = [("IN_PROGRESS", "In progress"), ("SUCCESSFUL", "Paid"), ("FAILED", "Failed")]
STATES = [("draft", "To Book"), ("reconciling", "Reconciling"), ("booked", "Booked"),
          ("failed", "Not Paid")]
MATCH_STATES = [
    ("invoice", "Invoice paid"),
    ("partial", "Invoice short-paid"),
    ("credit_note", "Credit note"),
    ("deduction", "Deduction"),
    ("repayment", "Repayment of a deduction"),
    ("unknown", "Not found in Odoo"),
]


def remittance_json(remittance):
    """The neutral remittance as JSON (kept in the ledger when the source has no JSON)."""
    return json.loads(json.dumps(dataclasses.asdict(remittance), default=str))


class AmazonVendorRemittance(models.Model):
    _name = "amazon.vendor.remittance"
    _description = "Amazon Remittance"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "payment_date desc, id desc"
    _rec_name = "payment_number"
    _check_company_auto = True

    account_id = fields.Many2one("amazon.vendor.account", required=True, ondelete="restrict",
                                 index=True, check_company=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    unique_payment_id = fields.Char(string="Amazon Payment ID", required=True, readonly=True,
                                    index=True)
    payment_number = fields.Char(readonly=True, index=True,
                                 help="The reference the bank statement shows.")
    payment_date = fields.Date(readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", string="Payment Currency", readonly=True,
                                  required=True)
    amount = fields.Monetary(string="Amount Paid", readonly=True)
    invoice_currency_id = fields.Many2one("res.currency", readonly=True)
    amount_invoice_currency = fields.Monetary(currency_field="invoice_currency_id",
                                              readonly=True)
    exchange_rate = fields.Float(digits=(16, 8), readonly=True)
    payment_method = fields.Char(readonly=True)
    status = fields.Selection(STATUSES, string="Amazon Status", readonly=True)
    vendor_codes = fields.Char(readonly=True)
    payee_codes = fields.Char(readonly=True)
    country_code = fields.Char(readonly=True)
    source = fields.Selection(SOURCES, readonly=True, required=True, default="api")
    document_id = fields.Many2one("amazon.vendor.document", string="Ledger Document",
                                  readonly=True)
    line_ids = fields.One2many("amazon.vendor.remittance.line", "remittance_id")
    state = fields.Selection(STATES, default="draft", required=True, readonly=True,
                             tracking=True, index=True)
    payment_id = fields.Many2one("account.payment", readonly=True, copy=False)
    problem = fields.Text(readonly=True, help="Why this remittance could not be booked.")
    line_count = fields.Integer(compute="_compute_counts")
    unmatched_count = fields.Integer(compute="_compute_counts")
    deduction_count = fields.Integer(compute="_compute_counts")
    statement_line_id = fields.Many2one("account.bank.statement.line", readonly=True,
                                        string="Bank Statement Line", copy=False)

    _sql_constraints = [
        ("payment_unique", "unique(account_id, unique_payment_id)",
         "This Amazon payment is already imported for this account."),
    ]

    @api.depends("line_ids.match_state")
    def _compute_counts(self):
        for remittance in self:
            lines = remittance.line_ids
            remittance.line_count = len(lines)
            remittance.unmatched_count = len(lines.filtered(
                lambda ln: ln.match_state == "unknown"))
            remittance.deduction_count = len(lines.filtered(
                lambda ln: ln.match_state == "deduction"))

    @api.depends("payment_number", "unique_payment_id", "payment_date")
    def _compute_display_name(self):
        for remittance in self:
            remittance.display_name = _(
                "Amazon payment %(number)s of %(date)s",
                number=remittance.payment_number or remittance.unique_payment_id,
                date=remittance.payment_date or "")

    # -- storing what Amazon sent -----------------------------------------------------------
    def _amazon_vendor_follow_status(self, status):
        """Amazon's status of a payment read again: a payment first seen in progress is
        booked once Amazon reports it paid, and one Amazon reports failed after it was
        booked is said to people (nothing reached the bank: the payment must be reversed).
        Returns the remittance when it is now to book."""
        self.ensure_one()
        if status not in dict(STATUSES) or status == self.status:
            return self.browse()
        previous, self.status = self.status, status
        if self.state in ("draft", "failed"):
            self.state = "failed" if status == "FAILED" else "draft"
            return self if status == "SUCCESSFUL" else self.browse()
        if status == "FAILED":
            message = _("Amazon now reports payment %(number)s as failed (it was %(before)s "
                        "when it was booked): check the bank and reverse payment %(payment)s "
                        "if nothing arrived.", number=self.payment_number,
                        before=dict(STATUSES).get(previous, previous),
                        payment=self.payment_id.name or "")
            self.message_post(body=message)
            self.account_id._amazon_vendor_notify(
                self, _("Amazon payment %s failed", self.payment_number), message,
                warning=True)
        return self.browse()

    @api.model
    def _amazon_vendor_store(self, account, remittances, raw=None):
        """Store neutral ``remittances`` of ``account``; known payments are left as they are
        (importing the same remittance twice changes nothing), except that a payment first
        seen without its lines (a payments summary) gains them when they arrive. A payment is
        known by Amazon's id, or by its number and date (the exports carry no Amazon id, so
        the same payment read from the API and from an export is the same payment).
        ``raw``: {unique id: JSON as received}, kept in the ledger. Returns the new records
        and those that gained their lines."""
        existing = self.search([
            ("account_id", "=", account.id), "|",
            ("unique_payment_id", "in", [r.unique_payment_id for r in remittances]),
            ("payment_number", "in", [r.payment_number for r in remittances
                                      if r.payment_number])])
        by_key = {}
        for record in existing:
            by_key[("id", record.unique_payment_id)] = record
            by_key[("number", record.payment_number, record.payment_date)] = record
        currencies = self._amazon_vendor_currencies(remittances)
        Document = self.env["amazon.vendor.document"].sudo()
        values, completed = [], self.browse()
        for remittance in remittances:
            keys = [("id", remittance.unique_payment_id),
                    ("number", remittance.payment_number, remittance.payment_date)]
            known = next((by_key[key] for key in keys if key in by_key), None)
            if known is not None:
                if known and remittance.lines and not known.line_ids \
                        and known.state == "draft":
                    known.line_ids = self._amazon_vendor_values(
                        account, remittance, currencies, known.document_id)["line_ids"]
                    completed |= known
                continue
            for key in keys:
                by_key[key] = self.browse()  # later copies in the same batch are skipped
            payload = (raw or {}).get(remittance.unique_payment_id) or remittance_json(remittance)
            document = Document.search([("account_id", "=", account.id),
                                        ("kind", "=", "remittance"),
                                        ("external_id", "=", remittance.unique_payment_id)])
            if not document:
                document = Document.create({
                    "account_id": account.id, "kind": "remittance",
                    "external_id": remittance.unique_payment_id,
                    "payload_in": Document._encode_payload(payload),
                    "payload_hash": Document._hash_payload(payload)})
            values.append(self._amazon_vendor_values(account, remittance, currencies,
                                                     document))
        created = self.create(values)
        created.document_id._set_state("processed")
        return created | completed

    @api.model
    def _amazon_vendor_currencies(self, remittances):
        codes = {r.currency for r in remittances} | {r.lines_currency for r in remittances} | {
            line.currency for r in remittances for line in r.lines}
        found = self.env["res.currency"].with_context(active_test=False).search(
            [("name", "in", [c for c in codes if c])])
        by_code = {c.name: c for c in found}
        missing = sorted(c for c in codes if c and c not in by_code)
        if missing:
            raise UserError(_("Amazon paid in currencies Odoo does not know: %s. Create them "
                              "(Accounting > Configuration > Currencies), then import again.",
                              ", ".join(missing)))
        return by_code

    @api.model
    def _amazon_vendor_values(self, account, remittance, currencies, document):
        lines_currency = currencies[remittance.lines_currency]
        return {
            "account_id": account.id,
            "unique_payment_id": remittance.unique_payment_id,
            "payment_number": remittance.payment_number or remittance.unique_payment_id,
            "payment_date": remittance.payment_date,
            "currency_id": currencies[remittance.currency].id,
            "amount": float(remittance.amount),
            "invoice_currency_id": lines_currency.id,
            "amount_invoice_currency": float(remittance.amount_invoice_currency
                                             if remittance.amount_invoice_currency is not None
                                             else remittance.amount),
            "exchange_rate": float(remittance.exchange_rate or 0),
            "payment_method": remittance.method,
            "status": remittance.status or "SUCCESSFUL",
            "state": "failed" if remittance.status == "FAILED" else "draft",
            "vendor_codes": ", ".join(remittance.vendor_codes),
            "payee_codes": ", ".join(remittance.payee_codes),
            "country_code": remittance.country,
            "source": remittance.source,
            "document_id": document.id,
            "line_ids": [fields.Command.create({
                "sequence": index,
                "invoice_number": line.invoice_number,
                "invoice_date": line.invoice_date,
                "currency_id": currencies[line.currency or remittance.lines_currency].id,
                "invoice_amount": float(line.invoice_amount),
                "amount_paid": float(line.amount_paid),
                "discount": float(line.discount),
                "withholding": float(line.withholding),
                "tax_amount": float(line.tax_amount or 0),
                "description": line.description,
                "invoice_type": line.invoice_type,
                "payment_terms": line.payment_terms,
                "vendor_codes": ", ".join(line.vendor_codes),
            }) for index, line in enumerate(remittance.lines, 1)],
        }

    def _amazon_vendor_neutral(self):
        """This record back as the neutral structure (for the classifier and the booking)."""
        self.ensure_one()
        return Remittance(
            unique_payment_id=self.unique_payment_id, payment_number=self.payment_number,
            payment_date=self.payment_date, amount=self.amount, currency=self.currency_id.name,
            status=self.status, invoice_currency=self.invoice_currency_id.name,
            source=self.source)


class AmazonVendorRemittanceLine(models.Model):
    _name = "amazon.vendor.remittance.line"
    _description = "Amazon Remittance Line"
    _order = "remittance_id, sequence, id"

    remittance_id = fields.Many2one("amazon.vendor.remittance", required=True,
                                    ondelete="cascade", index=True)
    company_id = fields.Many2one(related="remittance_id.company_id", store=True, index=True)
    account_id = fields.Many2one(related="remittance_id.account_id", store=True)
    payment_date = fields.Date(related="remittance_id.payment_date", store=True)
    sequence = fields.Integer()
    invoice_number = fields.Char(index=True, readonly=True)
    invoice_date = fields.Date(readonly=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    invoice_amount = fields.Monetary(readonly=True, help="Amazon's amount of the invoice "
                                                         "(tax included); negative for its "
                                                         "own debits.")
    amount_paid = fields.Monetary(readonly=True, help="Cash for this line in the payment.")
    discount = fields.Monetary(string="Terms Discount", readonly=True)
    withholding = fields.Monetary(string="Tax Withheld", readonly=True)
    tax_amount = fields.Monetary(readonly=True)
    settled_amount = fields.Monetary(compute="_compute_settled_amount", store=True,
                                     help="Paid + discount + tax withheld.")
    description = fields.Char(readonly=True)
    invoice_type = fields.Char(readonly=True)
    payment_terms = fields.Char(readonly=True)
    vendor_codes = fields.Char(readonly=True)
    move_id = fields.Many2one("account.move", string="Odoo Invoice", readonly=True,
                              index="btree_not_null")
    match_state = fields.Selection(MATCH_STATES, readonly=True, index=True)
    match_note = fields.Char(readonly=True, help="Why the line matched what it did, or not.")
    deduction_type = fields.Selection(DEDUCTION_TYPES, readonly=True)
    deduction_id = fields.Many2one("amazon.vendor.deduction", readonly=True,
                                   index="btree_not_null")
    payment_move_line_id = fields.Many2one(
        "account.move.line", string="Journal Item", readonly=True, copy=False,
        help="The item of the payment's journal entry that books this line.")
    reconcile_done = fields.Boolean(
        string="Reconciled", readonly=True, copy=False,
        help="The line's journal item is reconciled with what it pays (or kept open as a "
             "deduction): a large payment is reconciled in steps.")

    @api.depends("amount_paid", "discount", "withholding")
    def _compute_settled_amount(self):
        for line in self:
            line.settled_amount = line.amount_paid + line.discount + line.withholding


class AmazonVendorRemittanceActions(models.Model):
    _inherit = "amazon.vendor.remittance"

    def action_view_payment(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "account.payment",
                "res_id": self.payment_id.id, "view_mode": "form"}

    def action_view_deductions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "acorn_amazon_vendor_payments.action_amazon_vendor_deduction")
        action["domain"] = [("remittance_id", "=", self.id)]
        action["context"] = {}
        return action
