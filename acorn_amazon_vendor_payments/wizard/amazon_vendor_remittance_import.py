"""Vendor Central's remittance exports (CSV/XLSX) imported by hand, for accounts whose
application has no finance role: all or nothing, and importing twice changes nothing."""
import base64

from odoo import _, api, fields, models
from odoo.addons.acorn_amazon_vendor.lib.mapping.remittance_export import (
    RemittanceExportError,
    parse_remittance_export,
)
from odoo.exceptions import AccessError, UserError


class AmazonVendorRemittanceImport(models.TransientModel):
    _name = "amazon.vendor.remittance.import"
    _description = "Import Amazon Remittances"

    account_id = fields.Many2one("amazon.vendor.account", required=True,
                                 default=lambda self: self._default_account())
    # Kept in the wizard's row, not as an attachment: a damaged workbook is refused by the
    # parser with its reason rather than half-read by the attachment's type sniffing.
    file = fields.Binary(required=True, attachment=False)
    filename = fields.Char()
    date_order = fields.Selection(
        [("auto", "As the file shows"), ("DMY", "Day before month"),
         ("MDY", "Month before day")], compute="_compute_date_order", store=True,
        readonly=False, required=True,
        help="Only for files whose dates could be read both ways (e.g. 03/04/2026); a file "
             "whose dates show the other order is refused.")
    decimal_separator = fields.Selection(
        [("auto", "As the file shows"), (".", "Point (1,234.56)"), (",", "Comma (1.234,56)")],
        default="auto", required=True)
    currency_id = fields.Many2one(
        "res.currency", string="Currency If Not Shown",
        help="For files that show no currency, or only a '$'.")
    book = fields.Boolean(string="Book the payments", default=True,
                          help="Create and reconcile the payments at once; otherwise they wait "
                               "in the Remittances list.")

    @api.depends("account_id")
    def _compute_date_order(self):
        """Vendor Central writes dates the marketplace's way: month first in the US only."""
        for wizard in self:
            countries = set(wizard.account_id.marketplace_ids.country_id.mapped("code"))
            wizard.date_order = "MDY" if countries == {"US"} else \
                "DMY" if countries and "US" not in countries and "JP" not in countries \
                else "auto"

    @api.model
    def _default_account(self):
        return self.env["amazon.vendor.account"].search([], limit=1)

    def action_import(self):
        self.ensure_one()
        # A file uses no credentials: accountants import it, within their companies.
        if not self.env.su and not self.env.user.has_group("account.group_account_invoice") \
                and not self.env.user.has_group("acorn_amazon_vendor.group_amazon_vendor_manager"):
            raise AccessError(_("Only accountants and Amazon Vendor managers can import "
                                "remittances."))
        self.account_id.check_access("read")
        content = base64.b64decode(self.file or b"")
        try:
            remittances = parse_remittance_export(
                content, self.filename or "",
                date_order=None if self.date_order == "auto" else self.date_order,
                decimal_separator=None if self.decimal_separator == "auto"
                else self.decimal_separator,
                currency=self.currency_id.name or None)
        except RemittanceExportError as exc:
            raise UserError(_("%(file)s cannot be imported; nothing was imported.\n%(why)s",
                              file=self.filename or _("The file"), why=exc)) from None
        Remittance = self.env["amazon.vendor.remittance"]
        created = Remittance._amazon_vendor_store(self.account_id, remittances)
        created._amazon_vendor_match()
        if self.book:
            created.filtered(lambda r: r.state == "draft")._amazon_vendor_book_each()
        skipped = len(remittances) - len(created)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "acorn_amazon_vendor_payments.action_amazon_vendor_remittance")
        action["domain"] = [("id", "in", created.ids)]
        action["context"] = {}
        if not created:
            return {"type": "ir.actions.client", "tag": "display_notification", "params": {
                "title": _("Nothing new"), "type": "info",
                "message": _("The %s payments of this file were already imported.", skipped)}}
        return action
