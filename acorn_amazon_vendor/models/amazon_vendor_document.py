import base64
import hashlib
import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError

KINDS = [
    ("purchase_order", "Purchase Order"),
    ("acknowledgement", "Acknowledgement"),
    ("shipment_confirmation", "Shipment Confirmation (ASN)"),
    ("transport_request", "Transport Request"),
    ("invoice", "Invoice"),
    ("credit_note", "Credit Note"),
    ("report", "Report"),
]
INBOUND_KINDS = frozenset({"purchase_order", "report"})
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
    "to_send": {"sent", "failed", "cancelled", "to_send"},
    # A newer version (re-acknowledgement after a PO change) supersedes one still processing.
    "sent": {"accepted", "failed", "sent", "to_send"},
    "failed": {"to_send", "cancelled", "received", "processed"},
    "accepted": {"to_send"},  # a correction (e.g. ASN Replace) is sent again
    "cancelled": set(),
}


class AmazonVendorDocument(models.Model):
    _name = "amazon.vendor.document"
    _description = "Amazon Vendor Document"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _rec_names_search = ["external_id", "transaction_id"]

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
    amazon_status = fields.Char(string="Amazon Status", readonly=True, copy=False)
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

    @api.depends("kind", "external_id")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for doc in self:
            doc.display_name = f"{labels.get(doc.kind, '')} {doc.external_id or ''}".strip()

    # -- payloads ---------------------------------------------------------------------------
    @staticmethod
    def _encode_payload(payload):
        """JSON bytes, base64-encoded for a Binary field; bytes are kept exactly as given."""
        if not isinstance(payload, bytes | str):
            payload = json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=False)
        if isinstance(payload, str):
            payload = payload.encode()
        return base64.b64encode(payload)

    @staticmethod
    def _hash_payload(payload):
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    def _get_payload(self, field="payload_out"):
        self.ensure_one()
        raw = self.with_context(bin_size=False)[field]
        return json.loads(base64.b64decode(raw)) if raw else None

    @api.model
    def _queue_outbound(self, account, kind, external_id, record, body, supersede=False):
        """Put ``body`` in the ledger to be sent for ``record``: a new document, or the
        existing one made ready again (a correction). A document still processing at Amazon
        is superseded only when ``supersede`` (Amazon takes a newer acknowledgement)."""
        values = {"payload_out": self._encode_payload(body), "res_model": record._name,
                  "res_id": record.id}
        doc = self.search([("account_id", "=", account.id), ("kind", "=", kind),
                           ("external_id", "=", external_id)])
        if not doc:
            return self.create(dict(values, account_id=account.id, kind=kind,
                                    external_id=external_id))
        if doc.state == "sent":
            if not supersede:
                raise UserError(_("Amazon is still processing %s; send the correction once it "
                                  "is settled.", doc.display_name))
            doc.message_post(body=_("Superseded by a new version; Amazon transaction %s was "
                                    "still processing.", doc.transaction_id))
        if doc.state != "to_send":
            doc._set_state("to_send", error_message=False, transaction_id=False,
                           amazon_status=False, settled_at=False)
        doc.write(values)
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
        self.write(dict(values, state=state))

    def action_resend(self):
        resendable = self.filtered(lambda d: d.direction == "out"
                                   and d.state in ("failed", "accepted"))
        if resendable != self:
            raise UserError(_("Only documents to Amazon that failed or were accepted can be "
                              "sent again."))
        resendable._set_state("to_send", error_message=False, transaction_id=False,
                              amazon_status=False, settled_at=False)
        return True

    def action_cancel(self):
        cancellable = self.filtered(lambda d: d.state in ("to_send", "failed"))
        if cancellable != self:
            raise UserError(_("Only documents waiting to be sent or failed can be cancelled."))
        cancellable._set_state("cancelled")
        return True

    def action_open_record(self):
        self.ensure_one()
        if not (self.res_model and self.res_id):
            raise UserError(_("This document is not linked to an Odoo record."))
        return {"type": "ir.actions.act_window", "res_model": self.res_model,
                "res_id": self.res_id, "view_mode": "form"}
