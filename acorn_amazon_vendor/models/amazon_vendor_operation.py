"""The operation log: who acknowledged, approved, sent, resent or cancelled what, and when.

One row per action a person (or a scheduled job) took on an Amazon document, written by the
action itself in its own transaction, so a row exists exactly when the action happened; what
Odoo queues by itself (an invoice on posting, an ASN on validation or before pickup) and what
the send job sends are logged too, under the user who posted or validated, or the job's user.
Rows are never edited: the log is read-only for everybody.
"""
from odoo import api, fields, models

from .amazon_vendor_document import KINDS, STATES

OPERATIONS = [
    ("approval_requested", "Approval requested"),
    ("approved", "Acknowledgement approved"),
    ("acknowledged", "Acknowledged"),
    ("changes_applied", "Amazon's changes applied"),
    ("reprocessed", "Processed again"),
    ("queued", "Queued for Amazon"),
    ("sent", "Sent to Amazon"),
    ("resent", "Sent again"),
    ("cancelled", "Cancelled"),
    ("marked_received", "Marked as received by Amazon"),
    ("checked", "Checked with Amazon"),
]


class AmazonVendorOperation(models.Model):
    _name = "amazon.vendor.operation"
    _description = "Amazon Vendor Operation"
    _order = "date desc, id desc"
    _rec_name = "reference"

    date = fields.Datetime(required=True, readonly=True, index=True,
                           default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", string="By", required=True, readonly=True,
                              index=True, ondelete="restrict", default=lambda s: s.env.user)
    operation = fields.Selection(OPERATIONS, required=True, readonly=True, index=True)
    account_id = fields.Many2one("amazon.vendor.account", readonly=True, index=True,
                                 ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    document_id = fields.Many2one("amazon.vendor.document", readonly=True,
                                  index="btree_not_null", ondelete="set null")
    document_kind = fields.Selection(KINDS, readonly=True)
    document_state = fields.Selection(
        STATES, string="Document Status After", readonly=True,
        help="Where the ledger document stood right after the operation.")
    res_model = fields.Char(string="Related Model", readonly=True, index=True)
    res_id = fields.Many2oneReference(string="Related Record", model_field="res_model",
                                      readonly=True)
    reference = fields.Char(readonly=True,
                            help="The order, delivery, invoice or document acted on.")
    external_id = fields.Char(string="Amazon Reference", readonly=True, index=True)

    @api.model
    def _log(self, operation, records, document=None):
        """One row per record in ``records`` (sale orders, deliveries, invoices or ledger
        documents); ``document`` is the ledger document the operation concerns, when it is
        not ``records`` themselves."""
        if not records:
            return self
        if records._name == "amazon.vendor.document":
            pairs = [(doc, doc) for doc in records]
        else:
            pairs = [(record, document) for record in records]
        vals_list = []
        for record, doc in pairs:
            doc = (doc or self.env["amazon.vendor.document"]).sudo()
            doc = doc[:1] if len(doc) > 1 else doc
            account = doc.account_id or record.sudo()["amazon_vendor_account_id"]
            vals_list.append({
                "operation": operation, "user_id": self.env.uid,
                "account_id": account.id, "company_id": (account.company_id or
                                                         self.env.company).id,
                "document_id": doc.id, "document_kind": doc.kind, "document_state": doc.state,
                "external_id": doc.external_id or (
                    record["amazon_vendor_po_number"] if "amazon_vendor_po_number" in record
                    else False),
                "res_model": record._name, "res_id": record.id,
                "reference": record.sudo().display_name,
            })
        return self.sudo().create(vals_list)

    def action_open_record(self):
        self.ensure_one()
        if self.res_model and self.res_id and self.res_model in self.env:
            record = self.env[self.res_model].browse(self.res_id).exists()
            if record:
                return {"type": "ir.actions.act_window", "res_model": record._name,
                        "res_id": record.id, "view_mode": "form"}
        return self.document_id.get_formview_action() if self.document_id else False
