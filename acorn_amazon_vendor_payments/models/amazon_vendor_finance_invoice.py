"""Amazon's status of each invoice (Finances Invoices API), read daily onto the invoices, and the
alert when an invoice Amazon accepted is past due and unpaid."""
import datetime
import logging

from odoo import Command, _, api, fields, models
from odoo.addons.acorn_amazon_vendor.lib.mapping import remittance as remittance_mapping
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError

_logger = logging.getLogger(__name__)
DETAILED = ("PARTIALLY_PAID", "PARTIALLY_DEDUCTED", "DEDUCTED", "REJECTED")
FIRST_READ_DAYS = 90
ISSUED_WITHIN_DAYS = 365


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    last_invoice_status_at = fields.Datetime(readonly=True, copy=False)

    def _amazon_vendor_fetch_invoice_statuses(self, now=None):
        """Update the invoices Amazon changed since the last read; returns the moves updated."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        since = self.last_invoice_status_at or now - datetime.timedelta(days=FIRST_READ_DAYS)
        updated = self.env["account.move"]
        with self._amazon_vendor_api() as api:
            for marketplace in self.marketplace_ids:
                # Amazon returns only invoices issued in the last 90 days unless told:
                # an older invoice changes too (a shortage reversed months later).
                headers = list(api.iter_invoice_headers(
                    marketplace.marketplace_id, modified_after=since,
                    issued_from=now - datetime.timedelta(days=ISSUED_WITHIN_DAYS)))
                moves = self._amazon_vendor_moves_by_number(
                    [h.get("invoiceNumber") for h in headers])
                for header in headers:
                    move = moves.get(header.get("invoiceNumber"))
                    if not move:
                        continue
                    detail = header
                    if header.get("invoiceStatus") in DETAILED:
                        detail = api.get_invoice(header["invoiceIdentifier"],
                                                 marketplace.marketplace_id)
                    invoice = remittance_mapping.parse_amazon_invoice(detail)
                    move._amazon_vendor_apply_status(invoice, detail, self)
                    updated |= move
        self.last_invoice_status_at = now
        return updated

    def _amazon_vendor_moves_by_number(self, numbers):
        numbers = [n for n in numbers if n]
        if not numbers:
            return {}
        moves = self.env["account.move"].search([
            ("name", "in", numbers), ("move_type", "=", "out_invoice"),
            ("company_id", "=", self.company_id.id), ("state", "=", "posted")])
        return {m.name: m for m in moves}

    @api.model
    def _cron_fetch_invoice_statuses(self):
        accounts = self.search([("remittance_journal_id", "!=", False)])
        for account in accounts:
            try:
                with self.env.cr.savepoint():
                    account._amazon_vendor_fetch_invoice_statuses()
            except AmazonApiError as exc:
                account.message_post(body=_("Amazon's invoice statuses could not be read: %s",
                                            account._explain_error(
                                                exc, account._get_transport_config())))
            except Exception as exc:  # noqa: BLE001 - one account never stops the others
                _logger.info("Amazon Vendor account %s: invoice statuses failed (%s: %s)",
                             account.id, type(exc).__name__, exc)
                account.message_post(body=_("Amazon's invoice statuses could not be read: "
                                            "%(type)s: %(error)s", type=type(exc).__name__,
                                            error=exc))
        self.env["account.move"]._amazon_vendor_alert_past_due()


class AccountMove(models.Model):
    _inherit = "account.move"

    amazon_vendor_past_due_alerted = fields.Boolean(readonly=True, copy=False)

    def _amazon_vendor_apply_status(self, invoice, raw, account):
        """Amazon's status and settlement of this invoice, kept in the ledger as received."""
        self.ensure_one()
        Document = self.env["amazon.vendor.document"].sudo()
        digest = Document._hash_payload(raw)
        document = Document.search([("account_id", "=", account.id),
                                    ("kind", "=", "finance_invoice"),
                                    ("external_id", "=", invoice.identifier)])
        values = {"payload_in": Document._encode_payload(raw), "payload_hash": digest,
                  "res_model": self._name, "res_id": self.id}
        if not document:
            document = Document.create(dict(values, account_id=account.id,
                                            kind="finance_invoice",
                                            external_id=invoice.identifier))
        elif document.payload_hash != digest:
            document._set_state("received", **values)
        if document.state == "received":
            document._set_state("processed")
        settlement = invoice.settlement
        shortage = invoice.related.get("SHORTAGE_INVOICE_IDS") or ()
        self.write({
            "amazon_vendor_payment_status": invoice.status,
            "amazon_vendor_status_checked_at": fields.Datetime.now(),
            "amazon_vendor_paid_amount": float(settlement.get("AmountPaid") or 0),
            "amazon_vendor_queued_amount": float(settlement.get("QueuedForPayment") or 0),
            "amazon_vendor_quick_pay_discount": float(settlement.get("QuickPayDiscount") or 0),
            "amazon_vendor_pqv_amount": float(settlement.get("QuantityVarianceAmount") or 0),
            "amazon_vendor_ppv_amount": float(settlement.get("PriceVariance") or 0),
            "amazon_vendor_shortage_invoices": ", ".join(shortage) or False,
        })
        variances = [line for line in invoice.lines
                     if line.quantity_variance or line.price_variance or line.variance_reasons]
        if invoice.lines or variances:
            self.amazon_vendor_variance_ids = [Command.clear()] + [Command.create({
                "line_reference": line.line_id,
                "identifiers": ", ".join(f"{name} {value}" for name, value in line.identifiers),
                "quantity": line.quantity or 0,
                "matched_quantity": line.matched_quantity or 0,
                "paid_quantity": line.paid_quantity or 0,
                "quantity_variance": line.quantity_variance or 0,
                "price_variance": float(line.price_variance or 0),
                "variance_types": ", ".join(r.variance_type for r in line.variance_reasons),
                "defect_types": ", ".join(d for r in line.variance_reasons
                                          for d in r.defect_types),
            }) for line in variances]
        # A deduction of this invoice learns what Amazon calls it.
        for deduction in self.amazon_vendor_deduction_ids.filtered(
                lambda d: d.state == "new" and d.deduction_type == "other"):
            deduction.deduction_type = deduction._amazon_vendor_variance_type(self)

    @api.model
    def _amazon_vendor_alert_past_due(self):
        """An invoice Amazon accepted, past its due date and still unpaid: tell the alert
        users once (Amazon pays late more often than it refuses)."""
        today = fields.Date.context_today(self)
        moves = self.search([
            ("move_type", "=", "out_invoice"), ("state", "=", "posted"),
            ("amazon_vendor_account_id", "!=", False),
            ("amazon_vendor_document_id.state", "=", "accepted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("invoice_date_due", "<", today), ("amazon_vendor_past_due_alerted", "=", False)])
        for move in moves:
            move.amazon_vendor_past_due_alerted = True
            account = move.amazon_vendor_account_id
            account._amazon_vendor_notify(
                move, _("Amazon has not paid %s", move.name), _(
                    "Invoice %(name)s was due on %(due)s; Amazon accepted it and still owes "
                    "%(residual)s %(currency)s (Amazon's status: %(status)s).",
                    name=move.name, due=move.invoice_date_due, residual=move.amount_residual,
                    currency=move.currency_id.name,
                    status=move.amazon_vendor_payment_status or _("unknown")), warning=True,
                alert_type="payment_past_due")
