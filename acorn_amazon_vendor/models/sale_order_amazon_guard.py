"""What Amazon sent and what a manager decided stay theirs, whatever the channel (form, RPC,
import): an Amazon order keeps its PO number, account and ledger document, and only a manager
approves its acknowledgement."""
from odoo import _, models
from odoo.exceptions import AccessError

AMAZON_KEYS = ("amazon_vendor_po_number", "amazon_vendor_account_id",
               "amazon_vendor_document_id")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def write(self, vals):
        if not self.env.su:
            self._amazon_vendor_check_guarded_write(vals)
        return super().write(vals)

    def _amazon_vendor_check_guarded_write(self, vals):
        if vals.get("amazon_vendor_ack_approved") and not self.env.user.has_group(
                "acorn_amazon_vendor.group_amazon_vendor_manager"):
            raise AccessError(_("Only an Amazon Vendor manager can approve an "
                                "acknowledgement."))
        for name in AMAZON_KEYS:
            if name not in vals:
                continue
            new = vals[name] or False
            for order in self.filtered("amazon_vendor_document_id"):
                old = order[name].id if self._fields[name].type == "many2one" else order[name]
                if (old or False) != new:
                    raise AccessError(_(
                        "%(field)s of %(order)s comes from Amazon and cannot be changed.",
                        field=self._fields[name]._description_string(self.env),
                        order=order.display_name))
