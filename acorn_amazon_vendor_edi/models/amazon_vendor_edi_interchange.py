"""Every EDI file exchanged with Amazon, exactly as sent or received, with its control numbers
and Amazon's functional acknowledgement (997 / CONTRL)."""
import base64

from odoo import api, fields, models

STATES = [
    ("received", "Received"),
    ("processed", "Processed"),
    ("sent", "Sent, No Acknowledgement Yet"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
    ("failed", "Failed"),
]


class AmazonVendorEdiInterchange(models.Model):
    _name = "amazon.vendor.edi.interchange"
    _description = "Amazon EDI File"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _rec_name = "file_name"

    account_id = fields.Many2one("amazon.vendor.account", required=True, index=True,
                                 ondelete="cascade")
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    direction = fields.Selection([("in", "From Amazon"), ("out", "To Amazon")], required=True)
    standard = fields.Selection([("x12", "X12"), ("edifact", "EDIFACT")], required=True)
    message_type = fields.Char(help="850, 855, 856, 810, 997, 820 / ORDERS, ORDRSP, DESADV, "
                                    "INVOIC, CONTRL")
    kind = fields.Char(help="What the file holds, in the ledger's words (purchase_order...).")
    interchange_control = fields.Char(string="Interchange Control Number", index=True)
    # each sender numbers its own interchanges: Amazon's test and production systems (two
    # EDI ids) may both send a number once, and neither copy is a duplicate of the other
    sender = fields.Char(
        string="Sent By", default="", readonly=True,
        help="The EDI qualifier and id that sent a file from Amazon (ISA05:ISA06, UNB "
             "sender); its control number is told a duplicate among that sender's only.")
    transaction_controls = fields.Char(
        string="Transaction Control Numbers",
        help="ST02 / UNH references of the documents inside, comma-separated.")
    file_name = fields.Char(required=True)
    file = fields.Binary(attachment=True, required=True)
    state = fields.Selection(STATES, required=True, index=True, tracking=True)
    result = fields.Text(readonly=True,
                         help="Amazon's functional acknowledgement, or why the file could not be "
                              "read, in plain words.")
    answered_by_id = fields.Many2one("amazon.vendor.edi.interchange",
                                     string="Acknowledged By", readonly=True)
    document_ids = fields.Many2many("amazon.vendor.document", string="Documents", readonly=True)
    transaction_id = fields.Char(
        index=True, readonly=True,
        help="The reference the document ledger polls for an outgoing file.")

    _sql_constraints = [
        ("control_unique", "unique(account_id, direction, sender, interchange_control)",
         "An interchange control number is used once per sender and direction."),
    ]

    @api.depends("file_name", "message_type")
    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.message_type or ''} {record.file_name}".strip()

    def action_download(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "target": "self",
                "url": f"/web/content/{self._name}/{self.id}/file/{self.file_name}"
                       "?download=true"}

    def _edi_text(self):
        """The file as text, for the form (EDI files are ASCII / Latin-1)."""
        self.ensure_one()
        raw = self.with_context(bin_size=False).file
        data = base64.b64decode(raw or b"")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("latin-1")

    file_text = fields.Text(string="Content", compute="_compute_file_text")

    def _compute_file_text(self):
        for record in self:
            record.file_text = record._edi_text() if record.file else False
