"""Amazon changes a purchase order: quotations follow it, confirmed orders show it first.

What Amazon may change on a confirmed order, and what "Apply changes" does with it:
quantities (decisions follow), cancelled or removed items (0 ordered, nothing shipped more),
added items (new lines with Amazon's values, proposed by the rules), net costs (cost and
price), the ship-to fulfilment centre (the delivery address, unless goods already left) and the
ship / delivery window. The order is then acknowledged again.
"""
from markupsafe import Markup

from odoo import Command, _, api, fields, models

from ..lib.mapping.purchase_order import parse_purchase_order
from .amazon_vendor_po_to_sale import ProductMatcher
from .sale_order_amazon_guard import AMAZON_LINE_KEYS

NO_VALUE = "—"


def _cost_text(cost):
    return format(cost, "f") if cost is not None else NO_VALUE


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
        if self.state == "cancel":
            self.amazon_vendor_po_state = po.state
            self.message_post(body=_("Amazon changed purchase order %s; this order is cancelled: "
                                     "nothing to apply.", po.number))
            return
        rows = self._amazon_vendor_change_rows(po)
        self.write({
            "amazon_vendor_changed": bool(rows),
            "amazon_vendor_po_state": po.state,
            "amazon_vendor_change_summary": self._amazon_vendor_change_html(rows),
        })
        if not rows:
            return
        self.message_post(body=Markup("%s%s") % (
            _("Amazon changed purchase order %s: review and apply the changes, then acknowledge "
              "again.", po.number), self._amazon_vendor_change_html(rows)))
        overage = [r for r in rows if r.get("overage")]
        self.amazon_vendor_account_id._amazon_vendor_notify(
            self, _("Overage risk: Amazon cancelled items already shipped")
            if overage else _("Amazon changed PO %s", po.number),
            self._amazon_vendor_change_html(rows), warning=bool(overage),
            alert_type="po_changed", email_by_default=False)

    # -- what changed -----------------------------------------------------------------------
    @api.model
    def _amazon_vendor_window_text(self, start, end):
        if not (start and end):
            return NO_VALUE
        return f"{fields.Datetime.to_string(start)} – {fields.Datetime.to_string(end)}"

    def _amazon_vendor_shipped(self):
        """Done outgoing deliveries of this order (goods already left)."""
        return self.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "done")

    def _amazon_vendor_change_rows(self, po):
        """Every difference between this confirmed order and Amazon's version ``po``:
        [{sequence, label, change, old, new, shipped, overage}], values as text."""
        self.ensure_one()
        rows = []

        def row(change, old, new, sequence="", label="", shipped="", overage=False):
            rows.append({"sequence": sequence, "label": label, "change": change,
                         "old": str(old), "new": str(new), "shipped": shipped,
                         "overage": overage})

        code = po.ship_to.party_id if po.ship_to else ""
        if code and code != self.amazon_vendor_ship_to_code:
            row(_("Ship-to fulfilment centre"), self.amazon_vendor_ship_to_code or NO_VALUE,
                code, shipped=sum(int(q) for q in self.order_line.mapped("qty_delivered")))
        window = po.window
        kind = "ship" if po.ship_window else "delivery"
        if window and ((window[0], window[1]) != (self.amazon_vendor_window_start,
                                                  self.amazon_vendor_window_end)
                       or kind != self.amazon_vendor_window_kind):
            row(_("Ship window") if kind == "ship" else _("Delivery window"),
                self._amazon_vendor_window_text(self.amazon_vendor_window_start,
                                                self.amazon_vendor_window_end),
                self._amazon_vendor_window_text(*window))
        lines = {ln.amazon_vendor_item_sequence: ln
                 for ln in self.order_line.filtered("amazon_vendor_item_sequence")}
        items = {item.sequence: item for item in po.items if not item.duplicate}
        for item in po.items:
            if item.duplicate:
                continue
            line = lines.get(item.sequence)
            if line is None:
                if item.quantity_eaches:
                    row(_("Added item"), NO_VALUE, _("%(qty)s units at %(cost)s",
                                                     qty=item.quantity_eaches,
                                                     cost=_cost_text(item.net_cost)),
                        sequence=item.sequence, label=item.vendor_sku or item.asin)
                continue
            label = line.product_id.display_name or item.vendor_sku or item.asin
            shipped = int(line.qty_delivered)
            old_qty = line.amazon_vendor_ordered_qty
            if item.quantity_eaches != old_qty:
                row(_("Cancelled item") if not item.quantity_eaches else _("Ordered quantity"),
                    old_qty, item.quantity_eaches, sequence=item.sequence, label=label,
                    shipped=shipped, overage=shipped > item.quantity_eaches)
            cost = line._amazon_vendor_net_cost_exact()
            if item.net_cost is not None and item.quantity_eaches and cost != item.net_cost:
                row(_("Net cost"), _cost_text(cost), _cost_text(item.net_cost),
                    sequence=item.sequence, label=label, shipped=shipped)
        for sequence, line in lines.items():
            if sequence not in items and line.amazon_vendor_ordered_qty:
                shipped = int(line.qty_delivered)
                row(_("Removed item"), line.amazon_vendor_ordered_qty, 0, sequence=sequence,
                    label=line.product_id.display_name or line.amazon_vendor_asin,
                    shipped=shipped, overage=shipped > 0)
        return rows

    @api.model
    def _amazon_vendor_change_html(self, rows):
        """The change table, every value escaped (they come from Amazon)."""
        if not rows:
            return False
        head = Markup("<table class='table table-sm'><tr><th>%s</th><th>%s</th><th>%s</th>"
                      "<th>%s</th><th>%s</th></tr>") % (
            _("Item"), _("Product"), _("Change"), _("Old → New"), _("Shipped"))
        body = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s → %s</td><td>%s</td></tr>") % (
                r["sequence"], r["label"] or "", r["change"], r["old"], r["new"], r["shipped"])
            for r in rows)
        return head + body + Markup("</table>")

    # -- applying ---------------------------------------------------------------------------
    def action_amazon_vendor_apply_changes(self):
        """Apply Amazon's latest version to a confirmed order and acknowledge it again."""
        for order in self.filtered("amazon_vendor_changed"):
            po = parse_purchase_order(order.amazon_vendor_document_id._get_payload("payload_in"))
            issues = order._amazon_vendor_apply_po(po)
            order.write({
                "amazon_vendor_change_summary": False,
                "amazon_vendor_po_state": po.state,
                "amazon_vendor_issues": "\n".join(filter(None, [order.amazon_vendor_issues]
                                                         + issues)) or False,
            })
            if issues:
                order._amazon_vendor_report_issues(issues)
            if not any(item.quantity_eaches for item in po.items):
                order.amazon_vendor_changed = False
                if not order._amazon_vendor_shipped():
                    order._action_cancel()
                order.message_post(body=_("Amazon cancelled every item of purchase order %s: "
                                          "nothing is left to acknowledge.", po.number))
                continue
            order.message_post(body=_("Amazon's changes applied; acknowledging again."))
            order._amazon_vendor_send_acknowledgement()
        return True

    def _amazon_vendor_apply_po(self, po):
        """Bring this confirmed order to Amazon's version ``po``; returns what needs a person."""
        self.ensure_one()
        issues = self._amazon_vendor_apply_ship_to(po)
        window = po.window
        if window:
            self.write({"amazon_vendor_window_start": window[0],
                        "amazon_vendor_window_end": window[1],
                        "amazon_vendor_window_kind": "ship" if po.ship_window else "delivery",
                        "commitment_date": window[0]})
        items = {item.sequence: item for item in po.items if not item.duplicate}
        lines = self.order_line.filtered("amazon_vendor_item_sequence")
        increased = {}
        for line in lines:
            item = items.get(line.amazon_vendor_item_sequence)
            values, extra, line_issues = self._amazon_vendor_line_change(line, item)
            issues += line_issues
            if values:  # Amazon's own version: its item fields are written as superuser
                amazon = {k: values.pop(k) for k in AMAZON_LINE_KEYS if k in values}
                if amazon:
                    line.sudo().write(amazon)
                if values:
                    line.write(values)
            if extra:
                increased[line] = extra
        known = set(lines.mapped("amazon_vendor_item_sequence"))
        added = [item for item in po.items if item.sequence not in known and item.quantity_eaches
                 and not item.duplicate]
        new_lines = self._amazon_vendor_add_items(po, added, issues)
        if increased or new_lines:
            self._amazon_vendor_decide_more(increased, new_lines)
        return issues

    def _amazon_vendor_apply_ship_to(self, po):
        code = po.ship_to.party_id if po.ship_to else ""
        if not code or code == self.amazon_vendor_ship_to_code:
            return []
        shipped = self._amazon_vendor_shipped()
        if shipped:
            return [_("Amazon moved purchase order %(po)s from fulfilment centre %(old)s to "
                      "%(new)s, but %(pickings)s already left for %(old)s: the delivery address "
                      "was not changed. Agree with Amazon where the rest goes.",
                      po=po.number, old=self.amazon_vendor_ship_to_code, new=code,
                      pickings=", ".join(shipped.mapped("name")))]
        # Amazon's address book, not the person's: the new centre's contact is created or
        # updated whatever their contact rights
        partner = self.env["res.partner"].sudo()._amazon_vendor_partners_for(
            self.amazon_vendor_account_id, [(po.ship_to, "delivery")])[code][0].sudo(False)
        # Open deliveries follow the new address.
        self.with_context(update_delivery_shipping_partner=True).write({
            "partner_shipping_id": partner.id, "amazon_vendor_ship_to_code": code})
        if not (partner.street and partner.city and partner.country_id):
            return [_("The address of fulfilment centre %(code)s is incomplete (Amazon sent "
                      "none): complete the delivery address %(partner)s before shipping.",
                      code=code, partner=partner.display_name)]
        return []

    def _amazon_vendor_line_change(self, line, item):
        """(values to write, units added to decide, issues) for one existing line."""
        issues, values, extra = [], {}, 0
        shipped = line.qty_delivered
        label = _("Amazon item %s", line.amazon_vendor_item_sequence)
        cost = line._amazon_vendor_net_cost_exact()
        if item is None or not item.quantity_eaches:
            # Cancelled (or removed) by Amazon: nothing more ships, nothing is acknowledged.
            if line.amazon_vendor_ordered_qty:
                values = {"amazon_vendor_ordered_qty": 0, "amazon_vendor_accepted_qty": 0,
                          "amazon_vendor_backordered_qty": 0, "amazon_vendor_rejected_qty": 0,
                          "amazon_vendor_rejection_reason": False,
                          "amazon_vendor_backorder_date": False,
                          "amazon_vendor_backorder_delivery_date": False,
                          "amazon_vendor_ack_code": "reject"}
                if line.product_id:
                    # With the price, so the pricelist never replaces Amazon's cost.
                    values.update(product_uom_qty=shipped, price_unit=float(cost)
                                  if cost is not None else line.price_unit)
                if shipped:
                    issues.append(_("%(label)s: Amazon cancelled it but %(qty)s units already "
                                    "shipped (overage).", label=label, qty=int(shipped)))
            return values, extra, issues
        if item.net_cost is not None and cost != item.net_cost:
            values.update({"amazon_vendor_net_cost": float(item.net_cost),
                           "amazon_vendor_net_cost_text": format(item.net_cost, "f")})
            if line.product_id:
                values["price_unit"] = float(item.net_cost)
            precision = line._amazon_vendor_precision_problem(item.net_cost, label)
            if precision:
                issues.append(precision)
            if line.qty_invoiced:
                issues.append(_("%(label)s: %(qty)s units were already invoiced at %(old)s; "
                                "Amazon's cost is now %(new)s.", label=label,
                                qty=int(line.qty_invoiced), old=_cost_text(cost),
                                new=_cost_text(item.net_cost)))
        new = item.quantity_eaches
        old = line.amazon_vendor_ordered_qty
        if new != old:
            accepted = min(line.amazon_vendor_accepted_qty, new)
            backordered = min(line.amazon_vendor_backordered_qty, new - accepted)
            rejected = min(line.amazon_vendor_rejected_qty, new - accepted - backordered)
            extra = new - accepted - backordered - rejected  # more ordered: decided below
            values.update({
                "amazon_vendor_ordered_qty": new,
                "amazon_vendor_accepted_qty": accepted,
                "amazon_vendor_backordered_qty": backordered,
                "amazon_vendor_rejected_qty": rejected,
                "amazon_vendor_rejection_reason": line.amazon_vendor_rejection_reason
                if rejected else False,
                "amazon_vendor_ack_code": self._amazon_vendor_code_for(accepted, backordered),
            })
            if line.product_id:
                # Never below what already left the warehouse; written with the price so the
                # pricelist never replaces Amazon's cost.
                values["product_uom_qty"] = max(accepted + backordered, shipped)
                values.setdefault("price_unit", float(cost) if cost is not None
                                  else line.price_unit)
            if shipped > new:
                issues.append(_("%(label)s: Amazon now orders %(new)s units but %(qty)s already "
                                "shipped (overage).", label=label, new=new, qty=int(shipped)))
        return values, extra, issues

    @api.model
    def _amazon_vendor_code_for(self, accepted, backordered):
        if accepted:
            return "accept"
        return "backorder" if backordered else "reject"

    def _amazon_vendor_add_items(self, po, items, issues):
        """New lines for ``items`` Amazon added to ``po``, with Amazon's values (decided
        afterwards)."""
        if not items:
            return self.env["sale.order.line"]
        account = self.amazon_vendor_account_id
        matcher = ProductMatcher(self.env, self.company_id, [po], account.product_match_order)
        values = []
        for item in items:
            line, reasons = self._amazon_vendor_line_values(account, item, matcher)
            if not line.get("display_type"):
                line["product_uom_qty"] = 0  # what ships follows the decision
            values.append(line)
            issues += reasons
        # Amazon's items, with Amazon's values: created as superuser (people cannot)
        self.sudo().write({"order_line": [Command.create(v) for v in values]})
        sequences = {item.sequence for item in items}
        return self.order_line.filtered(lambda ln: ln.amazon_vendor_item_sequence in sequences)

    def _amazon_vendor_decide_more(self, increased, new_lines):
        """The rules decide units Amazon added (stock by the window, backorder, reject)."""
        available = self._amazon_vendor_available_stock()
        receipts = self._amazon_vendor_next_receipts()
        for line in new_lines:
            decision = self._amazon_vendor_rule_for(line, available, receipts)
            if line.product_id:
                decision["product_uom_qty"] = decision["amazon_vendor_accepted_qty"] \
                    + decision["amazon_vendor_backordered_qty"]
                cost = line._amazon_vendor_net_cost_exact()
                decision["price_unit"] = float(cost) if cost is not None else line.price_unit
            line.write(decision)
        for line, extra in increased.items():
            more = self._amazon_vendor_rule_for(line, available, receipts, ordered=extra)
            accepted = line.amazon_vendor_accepted_qty + more["amazon_vendor_accepted_qty"]
            backordered = line.amazon_vendor_backordered_qty \
                + more["amazon_vendor_backordered_qty"]
            rejected = line.amazon_vendor_rejected_qty + more["amazon_vendor_rejected_qty"]
            values = {
                "amazon_vendor_accepted_qty": accepted,
                "amazon_vendor_backordered_qty": backordered,
                "amazon_vendor_rejected_qty": rejected,
                "amazon_vendor_rejection_reason": line.amazon_vendor_rejection_reason
                or more["amazon_vendor_rejection_reason"] if rejected else False,
                "amazon_vendor_ack_code": self._amazon_vendor_code_for(accepted, backordered),
            }
            if more["amazon_vendor_backordered_qty"]:
                values.update({
                    "amazon_vendor_backorder_date": more["amazon_vendor_backorder_date"],
                    "amazon_vendor_backorder_delivery_date":
                        more["amazon_vendor_backorder_delivery_date"]})
            if line.product_id:
                cost = line._amazon_vendor_net_cost_exact()
                values["product_uom_qty"] = max(accepted + backordered, line.qty_delivered)
                values["price_unit"] = float(cost) if cost is not None else line.price_unit
            line.write(values)
