import base64
import hashlib
import json

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

KINDS = [
    ("purchase_order", "Purchase Order"),
    ("acknowledgement", "Acknowledgement"),
    ("shipment_confirmation", "Shipment Confirmation (ASN)"),
    ("transport_request", "Transport Request"),
    ("invoice", "Invoice"),
    ("credit_note", "Credit Note"),
    ("report", "Report"),
    ("remittance", "Remittance"),
    ("finance_invoice", "Amazon Invoice Status"),
]
INBOUND_KINDS = frozenset({"purchase_order", "report", "remittance", "finance_invoice"})
STATES = [
    ("received", "Received"),
    ("processed", "Processed"),
    ("to_send", "To Send"),
    ("sending", "Sending"),
    ("unknown", "Outcome Unknown"),
    ("sent", "Submitted, No Answer Yet"),
    ("accepted", "Accepted"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]
# Allowed moves of the state machine; anything else is a programming error.
TRANSITIONS = {
    "received": {"processed", "failed", "received"},
    "processed": {"received"},  # Amazon changed the document after we processed it
    "to_send": {"sending", "failed", "cancelled", "to_send", "sent", "unknown"},
    # A POST in flight ends refused, submitted, not sent (retry later) or with no answer.
    "sending": {"sent", "to_send", "failed", "unknown"},
    # No usable answer: Amazon may have it. Only Amazon's side (or a person) settles it;
    # a resend carries the identical payload, never a rebuilt one.
    "unknown": {"sending", "sent", "accepted", "failed", "cancelled"},
    # A newer version (re-acknowledgement after a PO change) supersedes one still processing.
    "sent": {"accepted", "failed", "sent", "to_send"},
    "failed": {"to_send", "cancelled", "received", "processed"},
    "accepted": {"to_send"},  # a correction (e.g. ASN Replace) is sent again
    # A cancelled document is built and queued again from its business record (a corrected
    # ASN or invoice), or reopened by Amazon changing a purchase order.
    "cancelled": {"to_send", "received"},
}
# Fields only the code that builds a document may write (never through RPC).
BUILDER_ONLY_FIELDS = frozenset({"payload_out"})
MANAGER_GROUP = "acorn_amazon_vendor.group_amazon_vendor_manager"


class AmazonVendorDocument(models.Model):
    _name = "amazon.vendor.document"
    _description = "Amazon Vendor Document"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _rec_names_search = ["external_id", "transaction_id"]
    # Users only read the ledger; they may still discuss a document in its chatter.
    _mail_post_access = "read"

    account_id = fields.Many2one("amazon.vendor.account", required=True, ondelete="restrict",
                                 index=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    kind = fields.Selection(KINDS, required=True, index=True)
    direction = fields.Selection([("in", "From Amazon"), ("out", "To Amazon")],
                                 compute="_compute_direction", store=True)
    state = fields.Selection(STATES, required=True, index=True, tracking=True,
                             compute="_compute_initial_state", store=True, readonly=False,
                             precompute=True)
    external_id = fields.Char(
        string="Amazon Reference", required=True, index=True,
        help="Purchase order number, shipment identifier, invoice number or report id.")
    transaction_id = fields.Char(string="Transaction ID", index=True, copy=False, readonly=True)
    amazon_status = fields.Char(readonly=True, copy=False)
    res_model = fields.Char(string="Related Model", readonly=True)
    res_id = fields.Many2oneReference(string="Related Record", model_field="res_model",
                                      readonly=True)
    error_message = fields.Text(readonly=True, copy=False)
    attempt_count = fields.Integer(string="Attempts", readonly=True, copy=False)
    sent_at = fields.Datetime(readonly=True, copy=False)
    stuck_alerted = fields.Boolean(readonly=True, copy=False)
    ever_accepted = fields.Boolean(
        string="Accepted by Amazon Once", readonly=True, copy=False,
        help="Amazon accepted a version of this document: a correction is a Replace (ASNs), "
             "an accepted invoice number can never be sent again.")
    next_attempt_at = fields.Datetime(
        readonly=True, copy=False, help="After a throttled or failed attempt, not before this.")
    settled_at = fields.Datetime(readonly=True, copy=False)
    last_polled_at = fields.Datetime(readonly=True, copy=False)
    amazon_changed_at = fields.Datetime(
        readonly=True, help="When Amazon last changed this document (purchaseOrderChangedDate).")
    last_attempt_id = fields.Integer(
        readonly=True, copy=False, help="The newest send attempt whose outcome is recorded here.")
    reconciling = fields.Boolean(
        readonly=True, copy=False,
        help="The current submission repeats one whose outcome was unknown: Amazon refusing it "
             "as a duplicate means Amazon already had the first one.")
    reconcile_count = fields.Integer(string="Checks with Amazon", readonly=True, copy=False)
    next_poll_at = fields.Datetime(readonly=True, copy=False)
    poll_error_count = fields.Integer(string="Failed Status Reads", readonly=True, copy=False)
    poll_blocked = fields.Boolean(
        string="Status Checks Stopped", readonly=True, copy=False,
        help="Amazon's transaction status could not be read after several attempts: a person "
             "checks in Vendor Central, then restarts the checks or settles the document.")
    attempt_summary = fields.Html(string="Send Attempts", compute="_compute_attempt_summary",
                                  sanitize=False)
    payload_hash = fields.Char(readonly=True, copy=False)
    payload_out = fields.Binary(string="Payload Sent", attachment=True, readonly=True,
                                copy=False)
    payload_out_name = fields.Char(compute="_compute_payload_names")
    payload_in = fields.Binary(string="Payload Received", attachment=True, readonly=True,
                               copy=False)
    payload_in_name = fields.Char(compute="_compute_payload_names")

    _sql_constraints = [
        ("external_id_unique", "unique(account_id, kind, external_id)",
         "This Amazon document is already in the ledger of this account."),
    ]

    @api.depends("kind")
    def _compute_direction(self):
        for doc in self:
            doc.direction = "in" if doc.kind in INBOUND_KINDS else "out"

    @api.depends("kind")
    def _compute_initial_state(self):
        for doc in self.filtered(lambda d: not d.state):
            doc.state = "received" if doc.kind in INBOUND_KINDS else "to_send"

    def _compute_payload_names(self):
        for doc in self:
            base = f"{doc.kind}-{doc.external_id}".replace("/", "_")
            doc.payload_out_name = f"{base}-sent.json"
            doc.payload_in_name = f"{base}-received.json"

    def _compute_attempt_summary(self):
        """Every POST of this document, from the send journal (kept even when a business
        transaction rolled back)."""
        attempts = self.env["amazon.vendor.send.attempt"].sudo().search(
            [("document_id", "in", self.ids)], order="id desc")
        by_doc = {}
        for attempt in attempts:
            by_doc.setdefault(attempt.document_id, []).append(attempt)
        labels = dict(attempts._fields["outcome"]._description_selection(self.env))
        for doc in self:
            rows = by_doc.get(doc.id)
            if not rows:
                doc.attempt_summary = False
                continue
            head = Markup("<table class='table table-sm'><tr><th>%s</th><th>%s</th><th>%s</th>"
                          "<th>%s</th><th>%s</th></tr>") % (
                _("Started"), _("Outcome"), _("HTTP"), _("Transaction"), _("Message"))
            body = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>") % (
                    fields.Datetime.to_string(a.started_at), labels.get(a.outcome, a.outcome),
                    a.http_status or "", a.transaction_id or "", a.message or "")
                for a in rows)
            doc.attempt_summary = head + body + Markup("</table>")

    @api.depends("kind", "external_id")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for doc in self:
            doc.display_name = f"{labels.get(doc.kind, '')} {doc.external_id or ''}".strip()

    # -- protection -------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_builder_only(set().union(*vals_list) if vals_list else set())
        return super().create(vals_list)

    def write(self, vals):
        self._check_builder_only(vals)
        return super().write(vals)

    def _check_builder_only(self, names):
        """What is sent to Amazon with the company's credentials is written by the code that
        builds it (which works in sudo), never through RPC or an import."""
        if not self.env.su and BUILDER_ONLY_FIELDS & set(names):
            raise AccessError(_("The payload sent to Amazon is built by Odoo from the business "
                                "record; it cannot be edited."))

    def _check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(_("Only an Amazon Vendor manager may resend, cancel or settle "
                                "documents exchanged with Amazon."))

    # -- payloads ---------------------------------------------------------------------------
    @staticmethod
    def _encode_payload(payload):
        """JSON bytes, base64-encoded for a Binary field; bytes are kept exactly as given."""
        if not isinstance(payload, bytes | str):
            # ASCII escapes: Amazon's texts may hold lone surrogates that UTF-8 cannot encode.
            payload = json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=True)
        if isinstance(payload, str):
            payload = payload.encode()
        return base64.b64encode(payload)

    @staticmethod
    def _hash_payload(payload):
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    def _get_payload(self, field="payload_out"):
        """The stored JSON; ``UserError`` in plain words when the stored bytes are corrupt."""
        self.ensure_one()
        raw = self.sudo().with_context(bin_size=False)[field]
        if not raw:
            return None
        try:
            return json.loads(base64.b64decode(raw))
        except (ValueError, TypeError) as exc:
            raise UserError(_("The stored payload of %(doc)s cannot be read (%(error)s).",
                              doc=self.display_name, error=exc)) from None

    @api.model
    def _queue_outbound(self, account, kind, external_id, record, body, supersede=False,
                        replay=False):
        """Put ``body`` in the ledger to be sent for ``record``: a new document, or the
        existing one made ready again (a correction). A document still processing at Amazon
        is superseded only when ``supersede`` (Amazon takes a newer acknowledgement). With
        ``replay`` the same event queued again (a connector replaying its feed) returns the
        existing document unless Amazon refused it: Amazon needs each event once."""
        self = self.sudo()  # noqa: PLW0642 - the ledger is written by the code only
        values = {"payload_out": self._encode_payload(body), "payload_hash":
                  self._hash_payload(body), "res_model": record._name, "res_id": record.id}
        doc = self.search([("account_id", "=", account.id), ("kind", "=", kind),
                           ("external_id", "=", external_id)])
        if not doc:
            return self.create(dict(values, account_id=account.id, kind=kind,
                                    external_id=external_id))
        if replay and doc.state != "failed":
            return doc
        if doc.state in ("sending", "unknown"):
            raise UserError(_(
                "%s went to Amazon without a clear answer: Amazon may already have it. It is "
                "being checked with Amazon (the Documents menu shows it); nothing is rebuilt "
                "or sent again until then.", doc.display_name))
        if doc.state == "accepted" and kind in ("invoice", "credit_note"):
            raise UserError(_(
                "Amazon accepted %s: its number can never be sent again. Correct it with a "
                "credit note (or a new invoice).", doc.display_name))
        if doc.state == "sent":
            if not supersede:
                raise UserError(_("Amazon is still processing %s; send the correction once it "
                                  "is settled.", doc.display_name))
            doc.message_post(body=_("Superseded by a new version; Amazon transaction %s was "
                                    "still processing.", doc.transaction_id))
        if doc.state != "to_send":
            doc._set_state("to_send", error_message=False, transaction_id=False,
                           amazon_status=False, settled_at=False)
        doc.write(dict(values, attempt_count=0, next_attempt_at=False, reconciling=False,
                       reconcile_count=0, poll_error_count=0, poll_blocked=False,
                       stuck_alerted=False))
        return doc

    # -- state machine ----------------------------------------------------------------------
    def _set_state(self, state, **values):
        for doc in self:
            if state not in TRANSITIONS[doc.state]:
                raise UserError(_(
                    "Document %(doc)s cannot go from %(old)s to %(new)s.", doc=doc.display_name,
                    old=dict(STATES)[doc.state], new=dict(STATES)[state]))
        if state in ("accepted", "failed", "processed"):
            values.setdefault("settled_at", fields.Datetime.now())
        if state == "accepted":
            values["ever_accepted"] = True
        self.sudo().write(dict(values, state=state))

    def action_resend(self):
        """Send the stored payload again (Managers). A correction is built from the business
        record (Send ASN, Send to Amazon), not here."""
        self._check_manager()
        for doc in self:
            if doc.direction != "out" or doc.state not in ("failed", "accepted"):
                raise UserError(_("Only documents to Amazon that failed or were accepted can be "
                                  "sent again (%s).", doc.display_name))
            if doc.state == "accepted" and doc.kind != "acknowledgement":
                raise UserError(_(
                    "Amazon accepted %s: sending the same document again would be a duplicate. "
                    "Send a correction from the delivery (ASN Replace) or a credit note.",
                    doc.display_name))
        self._set_state("to_send", error_message=False, transaction_id=False,
                        amazon_status=False, settled_at=False, attempt_count=0,
                        next_attempt_at=False, poll_error_count=0, poll_blocked=False)
        self.sudo().message_post(body=_("Queued again by %s.", self.env.user.name))
        return True

    def action_cancel(self):
        self._check_manager()
        cancellable = self.filtered(lambda d: d.state in ("to_send", "failed", "unknown"))
        if cancellable != self:
            raise UserError(_("Only documents waiting to be sent, failed, or whose outcome is "
                              "unknown can be cancelled."))
        for doc in cancellable:
            # A person decided: earlier attempts without an answer no longer hold it back.
            doc._set_state("cancelled", next_attempt_at=False, reconciling=False,
                           last_attempt_id=doc._journal_latest_attempt())
        cancellable.sudo().message_post(body=_(
            "Cancelled by %s. Correct the order, delivery or invoice and send it again from "
            "there.", self.env.user.name))
        cancellable._notify_linked_record()
        return True

    def _journal_latest_attempt(self):
        """The newest send attempt of this document's key (0 when none)."""
        self.ensure_one()
        self.env.cr.execute(
            "SELECT COALESCE(MAX(id), 0) FROM amazon_vendor_send_attempt "
            "WHERE account_id = %s AND kind = %s AND external_id = %s",
            (self.account_id.id, self.kind, self.external_id))
        return max(self.env.cr.fetchone()[0], self.last_attempt_id or 0)

    def action_mark_received_by_amazon(self):
        """A person saw in Vendor Central that Amazon has this document."""
        self._check_manager()
        if self.filtered(lambda d: d.state not in ("unknown", "sent")):
            raise UserError(_("Only documents whose outcome is unknown or that Amazon has not "
                              "answered yet can be marked as received by Amazon."))
        for doc in self:
            doc._set_state("accepted", error_message=False, next_attempt_at=False,
                           poll_blocked=False, reconciling=False,
                           last_attempt_id=doc._journal_latest_attempt())
            doc.sudo().message_post(body=_(
                "%s confirmed that Amazon received this document (checked in Vendor Central).",
                self.env.user.name))
            doc._notify_linked_record()
        return True

    def action_check_with_amazon(self):
        """Check an unknown outcome or a stopped status check with Amazon now."""
        self._check_manager()
        unknown = self.filtered(lambda d: d.state == "unknown")
        blocked = self.filtered(lambda d: d.state == "sent" and d.poll_blocked)
        unknown.sudo().write({"next_attempt_at": False, "reconcile_count": 0})
        blocked.sudo().write({"poll_blocked": False, "poll_error_count": 0,
                              "next_poll_at": False})
        unknown._reconcile_with_amazon()
        blocked._poll_amazon_status()
        return True

    def action_open_record(self):
        self.ensure_one()
        if not (self.res_model and self.res_id):
            raise UserError(_("This document is not linked to an Odoo record."))
        if not self._linked_record():
            raise UserError(_("The Odoo record this document was linked to no longer exists."))
        return {"type": "ir.actions.act_window", "res_model": self.res_model,
                "res_id": self.res_id, "view_mode": "form"}
