"""The EDI files of a ledger document, on the document: the file that carried it, its control
numbers and Amazon's functional acknowledgement."""
from odoo import api, fields, models


class AmazonVendorDocument(models.Model):
    _inherit = "amazon.vendor.document"

    edi_change_sequence = fields.Char(
        string="Last EDI Change", readonly=True,
        help="The sequence number (BCH05) of Amazon's last purchase order change (860) "
             "applied to this order: an older change read later is skipped.")
    edi_interchange_ids = fields.Many2many(
        "amazon.vendor.edi.interchange", string="EDI Files",
        compute="_compute_edi_interchange_ids")

    @api.depends("transaction_id")
    def _compute_edi_interchange_ids(self):
        Interchange = self.env["amazon.vendor.edi.interchange"]
        outgoing = Interchange.search([("transaction_id", "in", [
            d.transaction_id for d in self if d.transaction_id])]) if any(
            self.mapped("transaction_id")) else Interchange
        incoming = Interchange.search([("document_ids", "in", self.ids)]) if self.ids \
            else Interchange
        for doc in self:
            doc.edi_interchange_ids = outgoing.filtered(
                lambda i, d=doc: i.transaction_id == d.transaction_id) | incoming.filtered(
                lambda i, d=doc: d in i.document_ids)
