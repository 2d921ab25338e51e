"""Sending outbound documents and polling Amazon's transaction status, in batches."""
import datetime
import logging

from odoo import _, api, fields, models

from ..lib.transport import AmazonApiError, VendorApi

_logger = logging.getLogger(__name__)

SEND_OPERATIONS = {
    "acknowledgement": "submit_acknowledgement",
    "shipment_confirmation": "submit_shipment_confirmations",
    "transport_request": "submit_shipments",
    "invoice": "submit_invoices",
    "credit_note": "submit_invoices",
}
# Retail acknowledgements never report Success: Processing this long without Failure = accepted.
ACK_ACCEPTED_AFTER = datetime.timedelta(minutes=15)
MAX_SEND_ATTEMPTS = 5
BATCH_SIZE = 50
POLL_GAP = datetime.timedelta(minutes=1)
RETRY_DELAYS = [1, 5, 15, 60]  # minutes before the next attempt after a retryable failure


class ExchangeRecorder:
    """Keeps the exact bytes of the last request and reply for the ledger's backup."""

    def __init__(self):
        self.sent = self.received = None

    def __call__(self, response, elapsed):
        self.sent, self.received = response.request.content, response.content


class AmazonVendorDocument(models.Model):
    _inherit = "amazon.vendor.document"

    # -- batches ----------------------------------------------------------------------------
    def _process_by_account(self, method):
        """Run ``method(api, recorder)`` on the documents of each account with one client.

        A failure is recorded on its document and the batch goes on; in a cron each
        document is committed on its own so a crash never loses what was already sent.
        """
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        done = 0
        for account in self.account_id:
            docs = self.filtered(lambda d, a=account: d.account_id == a)
            recorder = ExchangeRecorder()
            try:
                api = VendorApi(account._get_transport_config(), on_response=recorder)
            except (ValueError, AmazonApiError) as exc:
                docs._record_error(str(exc))
                continue
            with api:
                for doc in docs:
                    getattr(doc, method)(api, recorder)
                    done += 1
                    if in_cron:
                        self.env.cr.commit()
        return done

    def _record_error(self, message, final=True):
        for doc in self:
            if final or doc.attempt_count >= MAX_SEND_ATTEMPTS:
                doc._set_state("failed", error_message=message, next_attempt_at=False)
                doc._amazon_vendor_alert(message)
            else:
                delay = RETRY_DELAYS[min(doc.attempt_count, len(RETRY_DELAYS)) - 1]
                doc.write({"error_message": message, "next_attempt_at":
                           fields.Datetime.now() + datetime.timedelta(minutes=delay)})

    # -- send -------------------------------------------------------------------------------
    def _send_to_amazon(self):
        to_send = self.filtered(lambda d: d.state == "to_send")
        to_send._process_by_account("_send_one")
        return True

    def _send_one(self, api, recorder):
        body = self._get_payload("payload_out")
        operation = SEND_OPERATIONS.get(self.kind)
        if not body or not operation:
            self._record_error(_("Nothing to send: this document has no payload."))
            return
        self.attempt_count += 1
        try:
            transaction_id = getattr(api, operation)(body)
        except AmazonApiError as exc:
            # Throttling and outages are retried by the next run; refusals are final.
            self._record_error(self._format_amazon_error(exc), final=not exc.retryable)
            if recorder.received:
                self.payload_in = self._encode_payload(recorder.received)
            if self.state == "failed":
                self._notify_linked_record()
            return
        self._set_state("sent", transaction_id=transaction_id, sent_at=fields.Datetime.now(),
                        amazon_status="Processing", error_message=False, next_attempt_at=False,
                        payload_out=self._encode_payload(recorder.sent))

    # -- poll -------------------------------------------------------------------------------
    def _poll_amazon_status(self):
        self.filtered(lambda d: d.state == "sent" and d.transaction_id)._process_by_account(
            "_poll_one")
        return True

    def _poll_one(self, api, recorder):
        now = fields.Datetime.now()
        try:
            status = api.get_transaction(self.transaction_id)
        except AmazonApiError as exc:
            self.write({"last_polled_at": now, "error_message": self._format_amazon_error(exc)})
            return
        values = {"last_polled_at": now, "amazon_status": status.get("status"),
                  "payload_in": self._encode_payload(recorder.received)}
        if status.get("status") == "Failure":
            errors = status.get("errors") or []
            message = "\n".join(
                f"{e.get('code')}: {e.get('message')}" + (f" ({e['details']})"
                                                          if e.get("details") else "")
                for e in errors) or _("Amazon reported a failure.")
            if any("NotAvailable" in f"{e.get('code')} {e.get('message')}" for e in errors):
                # Amazon's opaque answer, with what usually causes it.
                message += "\n" + _(
                    "Amazon answers NotAvailable when it cannot match the document: most often "
                    "the purchase order number or item is wrong, the netCost differs from the PO "
                    "or acknowledgement, the quantity exceeds what was received, the remit-to "
                    "vendor code is not set up for payments, or the invoice number was already "
                    "used.")
            self._set_state("failed", error_message=message, **values)
            self._amazon_vendor_alert(message)
        elif status.get("status") == "Success":
            self._set_state("accepted", error_message=False, **values)
        elif self.kind == "acknowledgement" and self.sent_at \
                and now - self.sent_at >= ACK_ACCEPTED_AFTER:
            self._set_state("accepted", error_message=False, **values)
        else:
            hours = self.account_id.processing_alert_hours
            if not self.stuck_alerted and self.sent_at and hours \
                    and now - self.sent_at >= datetime.timedelta(hours=hours):
                values["stuck_alerted"] = True
                self._amazon_vendor_alert(_(
                    "Amazon has been processing %(doc)s for more than %(hours)s hours.",
                    doc=self.display_name, hours=hours))
            self.write(values)
            return
        self._notify_linked_record()

    def _linked_record(self):
        self.ensure_one()
        if self.res_model and self.res_id and self.res_model in self.env:
            return self.env[self.res_model].browse(self.res_id).exists()
        return None

    def _notify_linked_record(self):
        """Let the linked business record follow its document's outcome."""
        for doc in self:
            record = doc._linked_record()
            if record is not None and hasattr(record, "_amazon_vendor_document_settled"):
                record._amazon_vendor_document_settled(doc)

    @api.model
    def _format_amazon_error(self, exc):
        text = f"{exc.code or exc.kind}: {exc.message}"
        if exc.status:
            text = f"HTTP {exc.status} {text}"
        if exc.details:
            text += f" ({exc.details})"
        return text

    # -- alerts -----------------------------------------------------------------------------
    def _amazon_vendor_alert(self, message):
        """An activity for the account's alert users and an email to its alert recipients."""
        for doc in self:
            account = doc.account_id
            users = account.alert_user_ids or account.responsible_user_id
            # The activity goes where people work: the order, delivery or invoice if linked.
            target = doc._linked_record() or doc
            for user in users:
                target.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=user.id,
                    summary=_("Amazon: %s needs attention", doc.display_name), note=message)
            recipients = account._alert_email_list()
            if recipients:
                template = self.env.ref("acorn_amazon_vendor.mail_template_document_failed")
                template.send_mail(doc.id, email_values={"email_to": ",".join(recipients)})

    # -- crons ------------------------------------------------------------------------------
    @api.model
    def _cron_send_documents(self):
        now = fields.Datetime.now()
        self._run_cron_duty("send", [("state", "=", "to_send"), "|",
                                     ("next_attempt_at", "=", False),
                                     ("next_attempt_at", "<=", now)], "_send_to_amazon")

    @api.model
    def _cron_poll_transactions(self):
        recently = fields.Datetime.now() - POLL_GAP
        self._run_cron_duty("poll", [("state", "=", "sent"), "|",
                                     ("last_polled_at", "=", False),
                                     ("last_polled_at", "<", recently)], "_poll_amazon_status")

    @api.model
    def _run_cron_duty(self, duty, domain, method):
        """One batch of a duty for the accounts due; the cron runs again while work remains
        (documents just handled fall out of ``domain``, so the loop always ends)."""
        accounts = self.env["amazon.vendor.account"].search([])._due_for(duty)
        domain = [("account_id", "in", accounts.ids), *domain]
        docs = self.search(domain, limit=BATCH_SIZE, order="id")
        remaining = self.search_count(domain) - len(docs)
        getattr(docs, method)()
        if remaining <= 0:
            accounts.write({f"last_{duty}_at": fields.Datetime.now()})
        self.env["ir.cron"]._notify_progress(done=len(docs), remaining=max(remaining, 0))
