"""Every POST to Amazon, journaled in transactions of their own before and after it leaves.

The ledger's business transaction may still roll back after Amazon received a document (a
crash, a later error in the same request, a killed worker). The journal survives that: before
anything is sent again, the sender reads what an earlier attempt of the same document
achieved, so a document Amazon may already have is never rebuilt and resent blindly.
"""
import datetime

from odoo import api, fields, models

from .autonomous_transaction import autonomous_cursor

OUTCOMES = [
    ("open", "In Flight"),
    ("sent", "Accepted for Processing"),
    ("not_sent", "Not Sent"),
    ("refused", "Refused"),
    ("unknown", "Outcome Unknown"),
]
# An attempt whose sender vanished without rolling back (hung worker): give up waiting.
HUNG_AFTER = datetime.timedelta(hours=1)


class AmazonVendorSendAttempt(models.Model):
    _name = "amazon.vendor.send.attempt"
    _description = "Amazon Vendor Send Attempt"
    _order = "id desc"
    _log_access = False

    # Plain integers: the document may only exist in the sender's uncommitted transaction.
    document_id = fields.Integer(required=True, index=True, readonly=True)
    account_id = fields.Integer(required=True, readonly=True)
    kind = fields.Char(required=True, readonly=True)
    external_id = fields.Char(required=True, readonly=True)
    payload_hash = fields.Char(required=True, readonly=True)
    sender_xid = fields.Char(readonly=True, help="The sender's database transaction.")
    started_at = fields.Datetime(required=True, readonly=True)
    finished_at = fields.Datetime(readonly=True)
    outcome = fields.Selection(OUTCOMES, required=True, default="open", readonly=True)
    transaction_id = fields.Char(readonly=True)
    http_status = fields.Integer(readonly=True)
    message = fields.Text(readonly=True)

    def init(self):
        # One attempt in flight per document, across every worker and server.
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS amazon_vendor_send_attempt_one_open
                ON amazon_vendor_send_attempt (account_id, kind, external_id)
             WHERE outcome = 'open'""")

    # -- journal (each call is its own short transaction) ------------------------------------
    @api.model
    def _journal_open(self, document, payload_hash):
        """Record that ``document`` is about to be sent; None when another sender has it."""
        sender = self._sender_xid()
        with autonomous_cursor(self.env.registry) as cr:
            cr.execute("""
                INSERT INTO amazon_vendor_send_attempt
                       (document_id, account_id, kind, external_id, payload_hash, sender_xid,
                        started_at, outcome)
                VALUES (%s, %s, %s, %s, %s, %s, now() AT TIME ZONE 'UTC', 'open')
                ON CONFLICT DO NOTHING
             RETURNING id""", (document.id, document.account_id.id, document.kind,
                               document.external_id, payload_hash, sender))
            row = cr.fetchone()
        return row and row[0]

    @api.model
    def _journal_close(self, attempt_id, outcome, transaction_id=None, http_status=None,
                       message=None):
        with autonomous_cursor(self.env.registry) as cr:
            cr.execute("""
                UPDATE amazon_vendor_send_attempt
                   SET outcome = %s, transaction_id = %s, http_status = %s, message = %s,
                       finished_at = now() AT TIME ZONE 'UTC'
                 WHERE id = %s""", (outcome, transaction_id, http_status,
                                    (message or "")[:2000] or None, attempt_id))

    def _sender_xid(self):
        self.env.cr.execute("SELECT txid_current()::text")
        return self.env.cr.fetchone()[0]

    @api.model
    def _journal_unresolved(self, document, payload_hash):
        """The newest attempt of this document's key that the ledger does not know about yet,
        as (id, outcome, transaction_id, same_payload); None when there is none.

        An attempt still marked in flight whose sender is gone (its transaction ended, or it
        hung for an hour) is closed as ``unknown`` here: Amazon may have it, and the document
        must not stay blocked behind it. Read in a transaction of its own: attempts committed
        after the caller's snapshot began (a sender that rolled back a moment ago) count."""
        with autonomous_cursor(self.env.registry) as cr:
            cr.execute("""
                SELECT id, outcome, transaction_id, started_at, payload_hash,
                       CASE WHEN sender_xid IS NULL THEN NULL
                            ELSE txid_status(sender_xid::bigint) END
                  FROM amazon_vendor_send_attempt
                 WHERE account_id = %s AND kind = %s AND external_id = %s AND id > %s
                   AND outcome IN ('open', 'sent', 'unknown')
              ORDER BY id DESC LIMIT 1""", (document.account_id.id, document.kind,
                                            document.external_id,
                                            document.last_attempt_id or 0))
            row = cr.fetchone()
        if not row:
            return None
        attempt_id, outcome, transaction_id, started_at, digest, sender = row
        if outcome == "open":
            if sender == "in progress" and started_at > fields.Datetime.now() - HUNG_AFTER:
                return attempt_id, "open", None, digest == payload_hash
            outcome = "unknown"
            self._journal_close(attempt_id, "unknown", message="The sender stopped while the "
                                "request was out (its transaction ended without an answer).")
        return attempt_id, outcome, transaction_id, digest == payload_hash

    @api.model
    def _journal_open_attempt(self, document_id):
        """The id of this document's attempt still marked in flight, if any."""
        with autonomous_cursor(self.env.registry) as cr:
            cr.execute("SELECT id FROM amazon_vendor_send_attempt WHERE document_id = %s "
                       "AND outcome = 'open' ORDER BY id DESC LIMIT 1", (document_id,))
            row = cr.fetchone()
        return row and row[0]
