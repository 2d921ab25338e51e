"""What Amazon sent and what a manager decided stay theirs, whatever the channel (form, RPC,
import): an Amazon order keeps its PO number, account and ledger document, its lines keep
Amazon's item, quantities and cost (the acknowledgement and the invoice are checked against
them), and only a manager approves its acknowledgement. Amazon's own changes are applied by
the code as superuser."""
from odoo import _, api, models
from odoo.exceptions import AccessError

AMAZON_KEYS = ("amazon_vendor_po_number", "amazon_vendor_account_id",
               "amazon_vendor_document_id")
AMAZON_LINE_KEYS = ("amazon_vendor_item_sequence", "amazon_vendor_asin",
                    "amazon_vendor_vendor_sku", "amazon_vendor_ordered_qty", "amazon_vendor_uom",
                    "amazon_vendor_unit_size", "amazon_vendor_net_cost",
                    "amazon_vendor_net_cost_text", "amazon_vendor_list_price",
                    "amazon_vendor_backorder_allowed")


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


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._amazon_vendor_check_guarded_create(vals_list)
        return super().create(vals_list)

    def _amazon_vendor_check_guarded_create(self, vals_list):
        """A person may add lines to an Amazon order (a note, a product), never one that
        claims to be an Amazon item: the acknowledgement and invoice would carry it."""
        order_ids = {vals.get("order_id") for vals in vals_list
                     if any(vals.get(name) for name in AMAZON_LINE_KEYS)} - {None, False}
        orders = self.env["sale.order"].browse(order_ids).filtered("amazon_vendor_document_id")
        if orders:
            raise AccessError(_("Only Amazon's purchase order adds Amazon items to %s.",
                                orders[0].display_name))

    def write(self, vals):
        if not self.env.su and any(name in vals for name in AMAZON_LINE_KEYS):
            self._amazon_vendor_check_guarded_write(vals)
        return super().write(vals)

    def _amazon_vendor_check_guarded_write(self, vals):
        for line in self.filtered(lambda ln: ln.order_id.amazon_vendor_document_id):
            for name in AMAZON_LINE_KEYS:
                if name in vals and not self._amazon_vendor_same_value(line, name, vals[name]):
                    raise AccessError(_(
                        "%(field)s of %(order)s comes from Amazon and cannot be changed.",
                        field=self._fields[name]._description_string(self.env),
                        order=line.order_id.display_name))

    def _amazon_vendor_same_value(self, line, name, new):
        field = self._fields[name]
        old = line[name]
        if field.type == "float":
            return float(old or 0.0) == float(new or 0.0)
        if field.type in ("integer", "boolean"):
            return (old or 0) == (new or 0)
        return (old or False) == (new or False)
