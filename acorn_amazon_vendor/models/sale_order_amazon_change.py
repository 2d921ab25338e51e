"""Amazon changes a purchase order: quotations follow it, confirmed orders show it first."""
from markupsafe import Markup, escape

from odoo import _, api, models

from ..lib.mapping.purchase_order import parse_purchase_order


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _amazon_vendor_register_change(self, po):
        """A new version ``po`` of this order's purchase order arrived."""
        self.ensure_one()
        if self.state in ("draft", "sent"):
            self.action_amazon_vendor_reprocess()
            self.message_post(body=_("Amazon changed purchase order %s; the quotation follows "
                                     "the new version.", po.number))
            return
        rows = self._amazon_vendor_change_rows(po)
        self.write({
            "amazon_vendor_changed": bool(rows),
            "amazon_vendor_po_state": po.state,
            "amazon_vendor_change_summary": self._amazon_vendor_change_html(rows),
        })
        if not rows:
            return
        self.message_post(body=_("Amazon changed purchase order %s: review and apply the "
                                 "changes, then acknowledge again.", po.number))
        overage = [r for r in rows if r["shipped"] > r["new"]]
        users = self.amazon_vendor_account_id.alert_user_ids \
            or self.amazon_vendor_account_id.responsible_user_id
        for user in users:
            self.activity_schedule(
                "mail.mail_activity_data_warning" if overage else "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=_("Overage risk: Amazon cancelled items already shipped")
                if overage else _("Amazon changed PO %s", po.number),
                note=self._amazon_vendor_change_html(rows))

    def _amazon_vendor_change_rows(self, po):
        lines = {ln.amazon_vendor_item_sequence: ln
                 for ln in self.order_line.filtered("amazon_vendor_item_sequence")}
        rows = []
        for item in po.items:
            line = lines.get(item.sequence)
            old = line.amazon_vendor_ordered_qty if line else 0
            if line is None or old != item.quantity_eaches:
                rows.append({"sequence": item.sequence, "old": old, "new": item.quantity_eaches,
                             "shipped": int(line.qty_delivered) if line else 0,
                             "label": line.product_id.display_name if line else item.asin})
        return rows

    @api.model
    def _amazon_vendor_change_html(self, rows):
        if not rows:
            return False
        head = Markup("<table class='table table-sm'><tr><th>%s</th><th>%s</th><th>%s</th>"
                      "<th>%s</th></tr>") % (_("Item"), _("Product"), _("Ordered (old → new)"),
                                              _("Shipped"))
        body = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s → %s</td><td>%s</td></tr>") % (
                r["sequence"], escape(r["label"] or ""), r["old"], r["new"], r["shipped"])
            for r in rows)
        return head + body + Markup("</table>")

    def action_amazon_vendor_apply_changes(self):
        """Apply Amazon's latest version to a confirmed order and acknowledge it again."""
        for order in self.filtered("amazon_vendor_changed"):
            po = parse_purchase_order(order.amazon_vendor_document_id._get_payload("payload_in"))
            items = {i.sequence: i for i in po.items}
            for line in order.order_line.filtered("amazon_vendor_item_sequence"):
                item = items.get(line.amazon_vendor_item_sequence)
                if item is None or item.quantity_eaches == line.amazon_vendor_ordered_qty:
                    continue
                new = item.quantity_eaches
                accepted = min(line.amazon_vendor_accepted_qty, new)
                backordered = min(line.amazon_vendor_backordered_qty, new - accepted)
                rejected = new - accepted - backordered
                line.write({
                    "amazon_vendor_ordered_qty": new,
                    "amazon_vendor_accepted_qty": accepted,
                    "amazon_vendor_backordered_qty": backordered,
                    "amazon_vendor_rejected_qty": rejected,
                    "amazon_vendor_rejection_reason": line.amazon_vendor_rejection_reason
                    or ("TemporarilyUnavailable" if rejected else False),
                    # Never below what already left the warehouse.
                    "product_uom_qty": max(accepted + backordered, line.qty_delivered),
                    "price_unit": line.amazon_vendor_net_cost,
                })
            window = po.window
            if window:
                order.write({"amazon_vendor_window_start": window[0],
                             "amazon_vendor_window_end": window[1],
                             "commitment_date": window[0]})
            order.message_post(body=_("Amazon's changes applied; acknowledging again."))
            order.amazon_vendor_change_summary = False
            order._amazon_vendor_send_acknowledgement()
        return True
