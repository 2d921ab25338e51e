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


def _check_kept(records, vals, names):
    """AccessError when ``vals`` would change one of ``names`` on ``records`` (orders or lines
    of Amazon orders); writing back the value they hold (a form saving it) is fine."""
    for name in names:
        if name not in vals:
            continue
        field = records._fields[name]
        new = vals[name] or False
        for record in records:
            old = record[name].id if field.type == "many2one" else record[name]
            if field.type == "float":
                same = float(old or 0.0) == float(new or 0.0)
            else:
                same = (old or False) == new
            if not same:
                order = record if record._name == "sale.order" else record.order_id
                raise AccessError(records.env._(  # a function: no ``self`` to read the language
                    "%(field)s of %(order)s comes from Amazon and cannot be changed.",
                    field=field._description_string(records.env),
                    order=order.display_name))


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
        _check_kept(self.filtered("amazon_vendor_document_id"), vals, AMAZON_KEYS)


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
        _check_kept(self.filtered(lambda ln: ln.order_id.amazon_vendor_document_id), vals,
                    AMAZON_LINE_KEYS)
