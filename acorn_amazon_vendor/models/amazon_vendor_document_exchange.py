"""Sending outbound documents, polling Amazon's transaction status and settling unknown
outcomes, in batches where one document never holds back the others.

Every document is claimed before it is handled (row lock, state re-checked, SKIP LOCKED), so
a cron on another server and a person pressing Send never both submit it. Every POST is
journaled outside the business transaction (amazon.vendor.send.attempt), so a document Amazon
may already have is never rebuilt and resent blindly.
"""
import datetime
import logging

from psycopg2 import errors as pgerrors

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib.mapping.amazon_answers import eaches, is_duplicate_refusal
from ..lib.transport import AmazonApiError

_logger = logging.getLogger(__name__)

SEND_OPERATIONS = {
    "acknowledgement": "submit_acknowledgement",
    "shipment_confirmation": "submit_shipment_confirmations",
    "transport_request": "submit_shipments",
    "invoice": "submit_invoices",
    "credit_note": "submit_invoices",
}
# After an unknown outcome, how many identical resends may ask Amazon whether it has the
# document (a duplicate refusal settles it). ASNs: at most once, then a person decides.
RECONCILE_RESENDS = {"shipment_confirmation": 1, "transport_request": 1, "invoice": 3,
                     "credit_note": 3}
RECONCILE_DELAYS = [5, 30, 120]  # minutes before checking an unknown outcome with Amazon
# Retail acknowledgements never report Success: Processing this long without Failure = accepted.
ACK_ACCEPTED_AFTER = datetime.timedelta(minutes=15)
MAX_SEND_ATTEMPTS = 5
# The alert subscribers hear of a failed document by its kind (amazon.vendor.alert.subscription).
ALERT_TYPE_BY_KIND = {"purchase_order": "po_import_failed", "invoice": "invoice_refused",
                      "credit_note": "invoice_refused"}
MAX_POLL_ERRORS = 8
BATCH_SIZE = 50
RETRY_DELAYS = (1, 5, 15, 60)  # minutes before the next attempt after a retryable failure
# Amazon answers within minutes, but may leave a document Processing for days: poll it less
# often as it ages, never stop.
POLL_GAPS = [(datetime.timedelta(hours=1), datetime.timedelta(minutes=1)),
             (datetime.timedelta(days=1), datetime.timedelta(minutes=10)),
             (None, datetime.timedelta(hours=1))]


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
        """Run ``method(api, recorder)`` on each document with one client per account.

        Whatever one document raises is recorded on it (inside a savepoint) and the batch
        goes on; in a cron each document is committed on its own, so a crash never loses
        what was already sent. Returns how many documents were handled.
        """
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        done = 0
        for account in self.account_id:
            docs = self.filtered(lambda d, a=account: d.account_id == a)
            recorder = ExchangeRecorder()
            try:
                api = account.sudo()._amazon_vendor_api(on_response=recorder)
            except (ValueError, AmazonApiError, UserError) as exc:
                for doc in docs:
                    doc._record_crash(_("Cannot reach Amazon for account %(account)s: "
                                        "%(error)s", account=account.name, error=exc))
                continue
            with api:
                for doc in docs:
                    try:
                        with self.env.cr.savepoint():
                            getattr(doc, method)(api, recorder)
                    except Exception as exc:  # noqa: BLE001 - one document never stops a batch
                        _logger.info("Amazon Vendor document %s: %s failed (%s: %s)", doc.id,
                                     method, type(exc).__name__, exc)
                        doc._record_crash(_("Unexpected problem while handling this document "
                                            "(%(type)s: %(error)s).",
                                            type=type(exc).__name__, error=exc))
                    done += 1
                    if in_cron:
                        self.env.cr.commit()  # pylint: disable=invalid-commit  # a cron keeps done work
        return done

    def _record_crash(self, message):
        """A handling step failed in our own code: keep the document where it was, say why,
        and try again later; an unanswered POST in flight becomes an unknown outcome."""
        Attempt = self.env["amazon.vendor.send.attempt"].sudo()
        for doc in self.sudo():
            open_attempt = Attempt._journal_open_attempt(doc.id)
            if open_attempt:
                Attempt._journal_close(open_attempt, "unknown", message=message)
            values = {"error_message": message, "next_attempt_at": self._retry_at(
                doc.attempt_count or 1)}
            if open_attempt and doc.state in ("to_send", "sending"):
                doc._set_state("unknown", last_attempt_id=open_attempt, **values)
            else:
                doc.write(values)

    @api.model
    def _retry_at(self, attempt, delays=RETRY_DELAYS):
        delay = delays[min(max(attempt, 1), len(delays)) - 1]
        return fields.Datetime.now() + datetime.timedelta(minutes=delay)

    def _amazon_vendor_claim(self, states):
        """Lock this document for this transaction if it is still in ``states``; False when
        another transaction holds it or already moved it on."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "SELECT state FROM amazon_vendor_document WHERE id = %s "
                    "FOR NO KEY UPDATE SKIP LOCKED", (self.id,), log_exceptions=False)
                row = self.env.cr.fetchone()
        except (pgerrors.SerializationFailure, pgerrors.LockNotAvailable):
            return False  # changed by a transaction that committed after ours began
        if not row or row[0] not in states:
            return False
        self.invalidate_recordset()
        return True

    def _record_error(self, message, final=True):
        """A refusal (final) or a failure proving nothing reached Amazon (retried later)."""
        for doc in self.sudo():
            if final or doc.attempt_count >= MAX_SEND_ATTEMPTS:
                doc._set_state("failed", error_message=message, next_attempt_at=False)
                doc._amazon_vendor_alert(message)
            else:
                doc._set_state("to_send", error_message=message,
                               next_attempt_at=self._retry_at(doc.attempt_count))

    # -- send -------------------------------------------------------------------------------
    def _send_to_amazon(self):
        """Send the documents waiting to be sent (claimed one by one)."""
        self.sudo().filtered(lambda d: d.state == "to_send")._process_by_account("_send_one")
        return True

    def _send_one(self, api, recorder):
        if not self._amazon_vendor_claim(("to_send",)):
            return
        self._send_claimed(api, recorder)
        # The order, delivery or invoice follows where its document really is.
        self._notify_linked_record()

    def _send_claimed(self, api, recorder):
        operation = SEND_OPERATIONS.get(self.kind)
        try:
            body = self._get_payload("payload_out")
        except UserError as exc:
            self._record_error(str(exc))
            return
        if not body or not operation:
            self._record_error(_("Nothing to send: this document has no payload."))
            return
        digest = self._hash_payload(body)
        earlier = self.env["amazon.vendor.send.attempt"].sudo()._journal_unresolved(self, digest)
        if earlier:
            self._adopt_attempt(*earlier)
        else:
            self._post_document(api, recorder, operation, body, digest)

    def _adopt_attempt(self, attempt_id, outcome, transaction_id, same_payload):
        """An earlier POST of this document whose result this ledger lost (its transaction
        rolled back, or its sender died): take that result instead of sending again."""
        if outcome == "open":
            return  # another worker is sending it right now
        if not same_payload:
            # Amazon may hold an earlier version than the one queued now: a person decides.
            reference = transaction_id or _("no transaction id")
            self._set_state("unknown", last_attempt_id=attempt_id, next_attempt_at=False,
                            error_message=_(
                                "An earlier version of this document went to Amazon without a "
                                "recorded answer (%(reference)s), and the document was changed "
                                "since. Check in Vendor Central which version Amazon has, then "
                                "press \"Amazon has it\", \"Check with Amazon\" (sends this "
                                "version) or cancel it.", reference=reference))
            self._amazon_vendor_alert(self.error_message)
            return
        if outcome == "sent":
            self._set_state("sent", transaction_id=transaction_id, last_attempt_id=attempt_id,
                            sent_at=fields.Datetime.now(), amazon_status="Processing",
                            error_message=False, next_attempt_at=False, next_poll_at=False)
            self.message_post(body=_(
                "Amazon had already received this document (transaction %s) in an attempt "
                "whose result was not recorded; it was not sent again.", transaction_id))
        else:
            self._set_unknown(attempt_id, _(
                "An earlier attempt to send this document got no answer (its sender stopped "
                "while the request was out): Amazon may have it. Checking with Amazon before "
                "anything is sent again."))

    def _set_unknown(self, attempt_id, message):
        self._set_state("unknown", last_attempt_id=attempt_id, error_message=message,
                        next_attempt_at=self._retry_at(self.reconcile_count + 1,
                                                       RECONCILE_DELAYS))

    def _post_document(self, api, recorder, operation, body, digest):
        """One POST, journaled before it leaves and after it returns."""
        Attempt = self.env["amazon.vendor.send.attempt"].sudo()
        attempt_id = Attempt._journal_open(self, digest)
        if not attempt_id:
            return  # another worker has it in flight
        self._set_state("sending", attempt_count=self.attempt_count + 1)
        try:
            transaction_id = getattr(api, operation)(body)
        except AmazonApiError as exc:
            message = self._format_amazon_error(exc)
            if exc.outcome_unknown:
                Attempt._journal_close(attempt_id, "unknown", http_status=exc.status,
                                       message=message)
                self._set_unknown(attempt_id, _(
                    "No usable answer from Amazon (%s): Amazon may have received it. Checking "
                    "with Amazon before anything is sent again.", message))
            else:
                outcome = "not_sent" if exc.retryable else "refused"
                Attempt._journal_close(attempt_id, outcome, http_status=exc.status,
                                       message=message)
                if recorder.received:
                    self.payload_in = self._encode_payload(recorder.received)
                if self.reconciling:
                    self._reconcile_answer(attempt_id, exc, message)
                else:
                    self.last_attempt_id = attempt_id
                    self._record_error(message, final=not exc.retryable)
            return
        except Exception as exc:
            Attempt._journal_close(attempt_id, "unknown", message=repr(exc))
            self._set_unknown(attempt_id, _("Unexpected problem while sending (%s): Amazon may "
                                            "have received it.", exc))
            return
        Attempt._journal_close(attempt_id, "sent", transaction_id=transaction_id)
        self._set_state("sent", transaction_id=transaction_id, sent_at=fields.Datetime.now(),
                        amazon_status="Processing", error_message=False, next_attempt_at=False,
                        next_poll_at=False, poll_error_count=0, last_attempt_id=attempt_id,
                        payload_out=self._encode_payload(recorder.sent))

    # -- unknown outcomes -------------------------------------------------------------------
    def _reconcile_with_amazon(self):
        self.sudo().filtered(lambda d: d.state == "unknown")._process_by_account(
            "_reconcile_one")
        return True

    def _reconcile_one(self, api, recorder):
        """Find out from Amazon's side whether it has this document; resend the identical
        payload only where Amazon's answer to a duplicate settles it."""
        if not self._amazon_vendor_claim(("unknown",)):
            return
        self.reconcile_count += 1
        if self.kind == "acknowledgement" and self._acknowledgement_known_to_amazon(api):
            self._set_state("accepted", error_message=False, next_attempt_at=False)
            self.message_post(body=_("Amazon's purchase order status shows this "
                                     "acknowledgement: the earlier submission reached Amazon."))
            self._notify_linked_record()
            return
        limit = RECONCILE_RESENDS.get(self.kind)
        if limit is not None and self.reconcile_count > limit:
            self.next_attempt_at = False
            self._amazon_vendor_alert(_(
                "Amazon gave no clear answer for %s, even to a repeated submission. Check in "
                "Vendor Central whether Amazon has it, then press \"Amazon has it\" or cancel "
                "it and correct it from the business record.", self.display_name))
            return
        body = self._get_payload("payload_out")
        self.reconciling = True
        self._post_document(api, recorder, SEND_OPERATIONS[self.kind], body,
                            self._hash_payload(body))
        if self.state == "sent":
            self.message_post(body=_(
                "Sent again with the identical payload to learn whether Amazon has it (an "
                "earlier submission got no answer)."))
        self._notify_linked_record()

    def _reconcile_answer(self, attempt_id, exc, message):
        """Amazon answered a repeated submission at once, without a transaction. A duplicate
        refusal naming this document settles it as accepted. Anything else says nothing
        about the first submission when the repeat did not reach Amazon (throttled, down):
        the document stays unknown and is checked again later, never rebuilt meanwhile. A
        refusal of the identical payload means Amazon refuses this document: failed."""
        if is_duplicate_refusal(exc.errors, self.external_id):
            self._set_state("accepted", error_message=False, reconciling=False,
                            next_attempt_at=False, last_attempt_id=attempt_id)
            self.message_post(body=_(
                "Amazon refused the repeated submission as a duplicate: it already had this "
                "document from the submission whose answer was lost (Amazon: %s).", message))
        elif exc.retryable:
            self._set_unknown(self.last_attempt_id, _(
                "Checking with Amazon did not get through (%s): Amazon may still have the "
                "first submission. Checking again later.", message))
        else:
            self.last_attempt_id = attempt_id
            self.reconciling = False
            self._record_error(message, final=True)

    def _acknowledgement_known_to_amazon(self, api):
        """Amazon's PO status carries our acknowledged quantities for every item."""
        body = self._get_payload("payload_out") or {}
        wanted = {}
        for ack in body.get("acknowledgements") or []:
            for item in ack.get("items") or []:
                accepted = sum(eaches(p.get("acknowledgedQuantity"))
                               for p in item.get("itemAcknowledgements") or []
                               if p.get("acknowledgementCode") != "Rejected")
                wanted[str(item.get("itemSequenceNumber"))] = accepted
        try:
            statuses = api.get_purchase_order_status(self.external_id)
        except AmazonApiError as exc:
            self.error_message = _("Amazon's purchase order status could not be read: %s",
                                   self._format_amazon_error(exc))
            return False
        if not statuses or not wanted:
            return False
        seen = {}
        for item in statuses[0].get("itemStatus") or []:
            ack = item.get("acknowledgementStatus") or {}
            if ack.get("confirmationStatus") in (None, "UNCONFIRMED"):
                return False
            seen[str(item.get("itemSequenceNumber"))] = eaches(ack.get("acceptedQuantity"))
        return all(seen.get(seq) == qty for seq, qty in wanted.items())

    # -- poll -------------------------------------------------------------------------------
    def _poll_amazon_status(self):
        self.sudo().filtered(lambda d: d.state == "sent" and d.transaction_id
                             and not d.poll_blocked)._process_by_account("_poll_one")
        return True

    def _poll_one(self, api, recorder):
        if not self._amazon_vendor_claim(("sent",)):
            return
        now = fields.Datetime.now()
        try:
            status = api.get_transaction(self.transaction_id)
            if not isinstance(status, dict) or status.get("status") not in (
                    "Processing", "Success", "Failure"):
                raise AmazonApiError("malformed", _("Amazon's transaction status has no known "
                                                    "status: %s", str(status)[:200]))
        except AmazonApiError as exc:
            self._poll_failed(self._format_amazon_error(exc), now)
            return
        values = {"last_polled_at": now, "amazon_status": status["status"],
                  "poll_error_count": 0,
                  "payload_in": self._encode_payload(recorder.received or status)}
        errors = [e for e in status.get("errors") or [] if isinstance(e, dict)]
        if status["status"] == "Failure":
            if self.reconciling and is_duplicate_refusal(errors, self.external_id):
                self._set_state("accepted", error_message=False, reconciling=False, **values)
                self.message_post(body=_(
                    "Amazon refused the repeated submission as a duplicate: it already had "
                    "this document from the submission whose answer was lost. Settled as "
                    "accepted (Amazon: %s).", self._errors_text(errors)))
            else:
                message = self._errors_text(errors) or _("Amazon reported a failure.")
                if any("NotAvailable" in f"{e.get('code')} {e.get('message')}" for e in errors):
                    # Amazon's opaque answer, with what usually causes it.
                    message += "\n" + _(
                        "Amazon answers NotAvailable when it cannot match the document: most "
                        "often the purchase order number or item is wrong, the netCost differs "
                        "from the PO or acknowledgement, the quantity exceeds what was "
                        "received, the remit-to vendor code is not set up for payments, or the "
                        "invoice number was already used.")
                self._set_state("failed", error_message=message, reconciling=False, **values)
                self._amazon_vendor_alert(message)
        elif status["status"] == "Success":
            self._set_state("accepted", error_message=False, reconciling=False, **values)
        elif self.kind == "acknowledgement" and self.sent_at \
                and now - self.sent_at >= ACK_ACCEPTED_AFTER:
            self._set_state("accepted", error_message=False, reconciling=False, **values)
        else:
            age = now - (self.sent_at or now)
            gap = next(g for limit, g in POLL_GAPS if limit is None or age < limit)
            values["next_poll_at"] = now + gap
            hours = self.account_id.processing_alert_hours
            if not self.stuck_alerted and self.sent_at and hours \
                    and age >= datetime.timedelta(hours=hours):
                values["stuck_alerted"] = True
                self._amazon_vendor_alert(_(
                    "%(doc)s was submitted %(hours)s hours ago and Amazon has not answered yet "
                    "(still Processing). Amazon is known to take long for some documents: it "
                    "is not refused, Odoo keeps checking.", doc=self.display_name, hours=hours))
            self.sudo().write(values)
            return
        self._notify_linked_record()

    def _poll_failed(self, message, now):
        """The status could not be read: retry with growing gaps, then ask a person."""
        count = self.poll_error_count + 1
        values = {"last_polled_at": now, "poll_error_count": count, "error_message": _(
            "Amazon's transaction status could not be read (%(count)s times): %(error)s",
            count=count, error=message)}
        if count >= MAX_POLL_ERRORS:
            values.update(poll_blocked=True, next_poll_at=False)
            self.sudo().write(values)
            self._amazon_vendor_alert(_(
                "Odoo stopped checking %(doc)s: Amazon's transaction status could not be read "
                "%(count)s times (%(error)s). Look it up in Vendor Central, then press \"Check "
                "with Amazon\" or \"Amazon has it\".", doc=self.display_name, count=count,
                error=message))
        else:
            values["next_poll_at"] = now + datetime.timedelta(minutes=2 ** count)
            self.sudo().write(values)

    @api.model
    def _errors_text(self, errors):
        return "\n".join(f"{e.get('code')}: {e.get('message')}"
                         + (f" ({e['details']})" if e.get("details") else "") for e in errors)

    def _linked_record(self):
        self.ensure_one()
        if self.res_model and self.res_id and self.res_model in self.env:
            return self.env[self.res_model].browse(self.res_id).exists()
        return None

    def _notify_linked_record(self):
        """Let the linked business record follow its document's outcome."""
        for doc in self:
            record = doc._linked_record()
            # A deleted record comes back as an empty recordset: nothing to follow up.
            if not record or not hasattr(record, "_amazon_vendor_document_settled"):
                continue
            # Amazon's answer is already on the document: a failure of the business record's
            # follow-up (an alert, a count) must never roll that answer back.
            try:
                with self.env.cr.savepoint():
                    record._amazon_vendor_document_settled(doc)
            except Exception as exc:  # noqa: BLE001 - the document's state must be kept
                _logger.info("Amazon Vendor document %s: updating %s failed (%s: %s)", doc.id,
                             record, type(exc).__name__, exc)
                error = f"{type(exc).__name__}: {exc}"
                doc.message_post(body=_(
                    "Amazon's answer is recorded, but updating %(record)s failed: %(error)s",
                    record=record.display_name, error=error))

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
        """Alert the people subscribed to this kind of failure (else the account's alert users
        and alert e-mails): an activity where they work, the order, delivery or invoice if
        linked, and the "document failed" e-mail."""
        template = self.env.ref("acorn_amazon_vendor.mail_template_document_failed")
        for doc in self.sudo():
            doc.account_id._amazon_vendor_notify(
                doc._linked_record() or doc, _("Amazon: %s needs attention", doc.display_name),
                message, alert_type=ALERT_TYPE_BY_KIND.get(doc.kind, "document_failed"),
                email_template=template, email_record=doc)

    # -- crons ------------------------------------------------------------------------------
    @api.model
    def _cron_send_documents(self):
        """Send what is due, then settle unknown outcomes that are due for a check."""
        now = fields.Datetime.now()
        due = ["|", ("next_attempt_at", "=", False), ("next_attempt_at", "<=", now)]
        self._run_cron_duty("send", [
            "|", ("state", "=", "to_send"), "&", ("state", "=", "unknown"),
            ("next_attempt_at", "!=", False), *due], "_send_or_reconcile")

    def _send_or_reconcile(self):
        self.filtered(lambda d: d.state == "to_send")._send_to_amazon()
        self.filtered(lambda d: d.state == "unknown")._reconcile_with_amazon()

    @api.model
    def _cron_poll_transactions(self):
        now = fields.Datetime.now()
        self._run_cron_duty("poll", [
            ("state", "=", "sent"), ("poll_blocked", "=", False),
            "|", ("next_poll_at", "=", False), ("next_poll_at", "<=", now)],
            "_poll_amazon_status")

    @api.model
    def _run_cron_duty(self, duty, domain, method):
        """One batch of a duty for the accounts due; the cron runs again while work remains
        (documents just handled fall out of ``domain``, so the loop always ends)."""
        self = self.sudo()  # noqa: PLW0642 - crons handle every company's ledger
        accounts = self.env["amazon.vendor.account"].search([])._due_for(duty)
        domain = [("account_id", "in", accounts.ids), *domain]
        docs = self.search(domain, limit=BATCH_SIZE, order="id")
        remaining = self.search_count(domain) - len(docs)
        getattr(docs, method)()
        if remaining <= 0 and accounts:
            accounts._amazon_vendor_mark_run(duty)
        self.env["ir.cron"]._notify_progress(done=len(docs), remaining=max(remaining, 0))
