"""Per-line acknowledgement decisions: the rules' proposal, the guards, and sending."""
import collections
import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib.mapping.acknowledgement import (
    AcknowledgementError,
    ItemDecision,
    Part,
    build_acknowledgement,
    confirmation_rate,
)
from ..lib.mapping.purchase_order import parse_purchase_order

CODE_NAMES = {"accept": "Accepted", "backorder": "Backordered", "reject": "Rejected"}
# Ledger state of the acknowledgement -> the order's acknowledgement state: still to send
# after an attempt (or not known to have arrived) is "Waiting to Be Sent", never "sent".
# Unknown outcome: it went to Amazon, which may have it ("sent"), never "waiting to be sent".
# Cancelled by a manager: the order is to be acknowledged again.
ACK_STATE_OF_DOCUMENT = {"to_send": "queued", "sending": "queued", "unknown": "sent",
                         "sent": "sent", "accepted": "accepted", "failed": "failed",
                         "cancelled": "to_acknowledge"}
APPROVAL_ACTIVITY = "acorn_amazon_vendor.mail_activity_type_amazon_vendor_approval"
DEFAULT_BACKORDER_DAYS = 14


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _amazon_vendor_orders(self):
        return self.filtered("amazon_vendor_account_id")

    # -- rules ------------------------------------------------------------------------------
    def action_amazon_vendor_propose(self):
        """Propose decisions: stock by the window -> accept; short and backorder allowed ->
        backorder to the next receipt; short otherwise -> reject TemporarilyUnavailable;
        unknown product -> InvalidProductIdentifier; no longer sold -> ObsoleteProduct."""
        orders = self._amazon_vendor_orders().filtered(lambda o: o.state in ("draft", "sent"))
        available = orders._amazon_vendor_available_stock()
        receipts = orders._amazon_vendor_next_receipts()
        for order in orders.sorted(lambda o: (o.amazon_vendor_po_date or o.date_order, o.id)):
            for line in order.order_line.filtered("amazon_vendor_item_sequence"):
                line.write(order._amazon_vendor_rule_for(line, available, receipts))
        return True

    def _amazon_vendor_rule_for(self, line, available, receipts, ordered=None):
        """Decision values for ``ordered`` units of ``line`` (default: all it orders)."""
        ordered = line.amazon_vendor_ordered_qty if ordered is None else ordered
        values = {"amazon_vendor_accepted_qty": 0, "amazon_vendor_backordered_qty": 0,
                  "amazon_vendor_rejected_qty": 0, "amazon_vendor_rejection_reason": False,
                  "amazon_vendor_backorder_date": False,
                  "amazon_vendor_backorder_delivery_date": False}
        product = line.product_id
        if line.amazon_vendor_unmatched or not product:
            return dict(values, amazon_vendor_ack_code="reject", amazon_vendor_rejected_qty=ordered,
                        amazon_vendor_rejection_reason="InvalidProductIdentifier")
        if not (product.active and product.sale_ok):
            return dict(values, amazon_vendor_ack_code="reject", amazon_vendor_rejected_qty=ordered,
                        amazon_vendor_rejection_reason="ObsoleteProduct")
        key = (self.warehouse_id.id, product.id)
        unit = line.amazon_vendor_unit_size if line.amazon_vendor_uom == "Cases" else 1
        free = max(int(available.get(key, 0)), 0)
        accepted = min(ordered, free - free % unit)
        available[key] = free - accepted
        short = ordered - accepted
        values["amazon_vendor_accepted_qty"] = accepted
        if not short:
            return dict(values, amazon_vendor_ack_code="accept")
        if line.amazon_vendor_backorder_allowed:
            ship = receipts.get(key) or (fields.Datetime.now() + datetime.timedelta(
                days=int(product.seller_ids[:1].delay or DEFAULT_BACKORDER_DAYS)))
            transit = (self.amazon_vendor_window_end - self.amazon_vendor_window_start) \
                if self.amazon_vendor_window_kind == "delivery" and self.amazon_vendor_window_end \
                else datetime.timedelta(days=3)
            return dict(values, amazon_vendor_ack_code="backorder" if not accepted else "accept",
                        amazon_vendor_backordered_qty=short, amazon_vendor_backorder_date=ship,
                        amazon_vendor_backorder_delivery_date=ship + transit)
        return dict(values, amazon_vendor_ack_code="reject" if not accepted else "accept",
                    amazon_vendor_rejected_qty=short,
                    amazon_vendor_rejection_reason="TemporarilyUnavailable")

    def _amazon_vendor_available_stock(self):
        """{(warehouse, product): units forecast free by each order's window}, batched."""
        result = {}
        groups = collections.defaultdict(set)
        for order in self:
            when = order.amazon_vendor_window_start or order.commitment_date \
                or fields.Datetime.now()
            groups[(order.warehouse_id, when.date())].update(
                order.order_line.product_id.ids)
        for (warehouse, day), product_ids in groups.items():
            products = self.env["product.product"].browse(product_ids).with_context(
                warehouse_id=warehouse.id, to_date=datetime.datetime.combine(
                    day, datetime.time.max))
            for product in products:
                result.setdefault((warehouse.id, product.id), product.virtual_available)
        return result

    def _amazon_vendor_next_receipts(self):
        """{(warehouse, product): date of the next incoming move}, one grouped read."""
        products = self.order_line.product_id
        warehouses = self.warehouse_id
        groups = self.env["stock.move"]._read_group(
            [("product_id", "in", products.ids), ("state", "not in", ("done", "cancel", "draft")),
             ("location_dest_id.warehouse_id", "in", warehouses.ids),
             ("location_id.usage", "not in", ("internal", "transit")),
             ("date", ">=", fields.Datetime.now())],
            ["location_dest_id", "product_id"], ["date:min"])
        return {(location.warehouse_id.id, product.id): date
                for location, product, date in groups}

    @api.model
    def _cron_amazon_vendor_ack_deadlines(self):
        """Warn once, before it is too late, about POs still waiting for an acknowledgement."""
        now = fields.Datetime.now()
        waiting = self.search([
            "|", "&",
            ("amazon_vendor_ack_state", "in", ("to_acknowledge", "to_approve", "failed")),
            ("state", "in", ("draft", "sent")),
            # Confirmed, but the acknowledgement has not reached Amazon yet.
            ("amazon_vendor_ack_state", "=", "queued"),
            ("amazon_vendor_deadline_alerted", "=", False),
            ("amazon_vendor_po_state", "!=", "Closed"),  # nothing is expected any more
            ("amazon_vendor_ack_deadline", "!=", False)])
        for order in waiting.filtered(lambda o: o.amazon_vendor_ack_deadline - datetime.timedelta(
                hours=o.amazon_vendor_account_id.ack_alert_hours) <= now):
            order._amazon_vendor_alert_deadline()

    def _amazon_vendor_alert_deadline(self):
        self.ensure_one()
        self.amazon_vendor_deadline_alerted = True
        account = self.amazon_vendor_account_id
        message = _("Amazon PO %(po)s must be acknowledged before %(deadline)s (%(left)s): "
                    "late acknowledgements cause chargebacks.",
                    po=self.amazon_vendor_po_number,
                    deadline=fields.Datetime.to_string(self.amazon_vendor_ack_deadline),
                    left=self._amazon_vendor_deadline_text(self.amazon_vendor_ack_deadline))
        account._amazon_vendor_notify(
            self, _("Acknowledge Amazon PO %s", self.amazon_vendor_po_number), message,
            warning=True, deadline=self.amazon_vendor_ack_deadline.date(),
            alert_type="ack_deadline")

    # -- building and guards ----------------------------------------------------------------
    def _amazon_vendor_decisions(self):
        """The lines' decisions as neutral structures for the acknowledgement mapping."""
        self.ensure_one()
        po = parse_purchase_order(self.amazon_vendor_document_id._get_payload("payload_in"))
        items = {i.sequence: i for i in po.items if not i.duplicate}
        decisions = []
        for line in self.order_line.filtered("amazon_vendor_item_sequence"):
            item = items.get(line.amazon_vendor_item_sequence)
            if item is None:
                continue
            parts = [Part("Accepted", line.amazon_vendor_accepted_qty),
                     Part("Backordered", line.amazon_vendor_backordered_qty,
                          scheduled_ship=line.amazon_vendor_backorder_date,
                          scheduled_delivery=line.amazon_vendor_backorder_delivery_date),
                     Part("Rejected", line.amazon_vendor_rejected_qty,
                          rejection_reason=line.amazon_vendor_rejection_reason or "")]
            if item.net_cost is None:
                # netCost is optional on Amazon's order but required on the acknowledgement
                # ("Amazon systems will reject the file"): the price agreed here, which is
                # also what will be invoiced.
                item = dataclasses.replace(item, net_cost=Decimal(str(line.price_unit)),
                                           currency=item.currency or self.currency_id.name)
            decisions.append(ItemDecision(item, tuple(p for p in parts if p.quantity_eaches)))
        return po, decisions

    def _amazon_vendor_check_guards(self):
        """(blocking problems, warnings, acknowledgement body) in plain language."""
        self.ensure_one()
        blocking, warnings = [], []
        if self.amazon_vendor_po_state == "Closed":
            # Amazon: "Closed: ... no further action is required from the vendor"
            blocking.append(_("Amazon closed purchase order %s (cancelled, rejected or "
                              "received in full): there is nothing left to acknowledge.",
                              self.amazon_vendor_po_number))
        elif self.amazon_vendor_po_state == "Acknowledged" and \
                self.amazon_vendor_ack_state == "to_acknowledge":
            warnings.append(_("Amazon reports purchase order %s as acknowledged already (in "
                              "Vendor Central?): this acknowledgement replaces that one.",
                              self.amazon_vendor_po_number))
        undecided = self.order_line.filtered(
            lambda ln: ln.amazon_vendor_item_sequence and ln.amazon_vendor_ordered_qty and
            ln.amazon_vendor_accepted_qty + ln.amazon_vendor_backordered_qty
            + ln.amazon_vendor_rejected_qty != ln.amazon_vendor_ordered_qty)
        for line in undecided:
            blocking.append(_(
                "Amazon item %(seq)s: accepted + backordered + rejected must equal the %(qty)s "
                "units ordered.", seq=line.amazon_vendor_item_sequence,
                qty=line.amazon_vendor_ordered_qty))
        if not self.order_line.filtered("amazon_vendor_item_sequence"):
            blocking.append(_("Amazon sent this purchase order without items: there is nothing "
                              "to acknowledge."))
        for line in self.order_line.filtered(
                lambda ln: ln.amazon_vendor_item_sequence and ln.product_id
                and not ln._amazon_vendor_price_is_net_cost()):
            # Compared with Amazon's cost exactly as sent: 4.13 is not 4.125.
            cost = line._amazon_vendor_net_cost_exact()
            precision = line._amazon_vendor_precision_problem(
                cost, _("Amazon item %s", line.amazon_vendor_item_sequence))
            digits = line._amazon_vendor_price_digits()
            if precision and Decimal(str(line.price_unit)) == cost.quantize(
                    Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP):
                # Only Odoo's rounding differs: the acknowledgement carries Amazon's exact cost
                # and must not miss its deadline; the invoice is what stops until fixed.
                warnings.append(precision + " " + _(
                    "The acknowledgement confirms Amazon's cost %s; the invoice cannot be sent "
                    "until the price holds it.", format(cost, "f")))
                continue
            blocking.append(precision + " " + _(
                "Then set the price to %s (or press Reprocess on the quotation): the acknowledged "
                "cost must equal the invoiced cost.", format(cost, "f")) if precision else _(
                "Amazon item %(seq)s: the price %(price)s differs from Amazon's net cost "
                "%(cost)s; the acknowledged cost must equal the invoiced cost.",
                seq=line.amazon_vendor_item_sequence, price=line.price_unit,
                cost=format(cost, "f")))
        if blocking:
            return blocking, warnings, None
        po, decisions = self._amazon_vendor_decisions()
        try:
            body = build_acknowledgement(po, decisions, fields.Datetime.now(),
                                         selling_party_id=self._amazon_vendor_selling_code())
        except AcknowledgementError as exc:
            return [str(exc)], warnings, None
        rate = confirmation_rate(decisions) * 100
        target = self.amazon_vendor_account_id.confirmation_rate_threshold
        if rate < target:
            warnings.append(_(
                "Only %(rate).0f%% of the ordered units are confirmed (target %(target).0f%%): "
                "Amazon may charge back for a low confirmation rate.", rate=rate, target=target))
        deadline = self.amazon_vendor_ack_deadline
        if deadline and deadline < fields.Datetime.now():
            warnings.append(_("The acknowledgement deadline passed on %s: send it now.",
                              fields.Datetime.to_string(deadline)))
        return blocking, warnings, body

    def _amazon_vendor_document_settled(self, document):
        if document.kind == "acknowledgement":
            self._amazon_vendor_follow_acknowledgement(document)
            if document.state == "failed":
                self.message_post(body=_("Amazon refused the acknowledgement: %s",
                                         document.error_message))

    def _amazon_vendor_follow_acknowledgement(self, document):
        """The order's acknowledgement state tells where its ledger document really is: only
        queued for a retry is not "sent"."""
        state = ACK_STATE_OF_DOCUMENT.get(document.state)
        for order in self.filtered(lambda o: state and o.amazon_vendor_ack_state != state):
            order.amazon_vendor_ack_state = state

    # -- sending ----------------------------------------------------------------------------
    def action_amazon_vendor_acknowledge(self):
        """Open the decision wizard (proposed by the rules when nothing is decided yet)."""
        wizard = self.env["amazon.vendor.ack.wizard"]._for_orders(self)
        return {"type": "ir.actions.act_window", "res_model": wizard._name, "res_id": wizard.id,
                "view_mode": "form", "target": "new",
                "name": _("Acknowledge Amazon PO %s", self.amazon_vendor_po_number)}

    def action_amazon_vendor_approve(self):
        if not self.env.user.has_group("acorn_amazon_vendor.group_amazon_vendor_manager"):
            raise UserError(_("Only an Amazon Vendor manager can approve acknowledgements."))
        waiting = self.filtered(lambda o: o.amazon_vendor_ack_state == "to_approve")
        self.write({"amazon_vendor_ack_approved": True})
        waiting.write({"amazon_vendor_ack_state": "to_acknowledge"})
        waiting.activity_feedback([APPROVAL_ACTIVITY], feedback=_("Approved"))
        for order in waiting:
            order.message_post(body=_("%s approved the acknowledgement: confirm the order to "
                                      "send it to Amazon.", self.env.user.name))
        return True

    def _amazon_vendor_needs_approval(self):
        self.ensure_one()
        return self.amazon_vendor_account_id.ack_requires_approval \
            and not self.amazon_vendor_ack_approved

    def action_confirm(self):
        """Confirm what may go; orders waiting for a manager stay quotations in "Waiting for
        Approval" (saved, with an activity for the managers) instead of failing the call."""
        amazon = self._amazon_vendor_orders()
        held = amazon.filtered(lambda o: o.state in ("draft", "sent")
                               and o._amazon_vendor_needs_approval())
        for order in held:
            # A manager is asked to approve an acknowledgement that can be sent as it is.
            order._amazon_vendor_check_confirmation()
        held._amazon_vendor_request_approval()
        to_confirm = self - held
        bodies = {order: order._amazon_vendor_prepare_confirmation()
                  for order in to_confirm._amazon_vendor_orders()}
        result = super(SaleOrder, to_confirm).action_confirm() if to_confirm else True
        for order, body in bodies.items():
            order._amazon_vendor_send_acknowledgement(body)
        if held:
            return held._amazon_vendor_approval_notification()
        return result

    def _amazon_vendor_check_confirmation(self):
        """Raise what blocks the acknowledgement; return (warnings, body) otherwise."""
        self.ensure_one()
        blocking, warnings, body = self._amazon_vendor_check_guards()
        if blocking:
            raise UserError(_("Amazon PO %(po)s cannot be acknowledged yet:\n%(why)s",
                              po=self.amazon_vendor_po_number, why="\n".join(blocking)))
        return warnings, body

    def _amazon_vendor_request_approval(self):
        """Save "Waiting for Approval" and ask the managers (once per request)."""
        for order in self.filtered(lambda o: o.amazon_vendor_ack_state != "to_approve"):
            order.amazon_vendor_ack_state = "to_approve"
            summary = _("Approve the acknowledgement of Amazon PO %s",
                        order.amazon_vendor_po_number)
            note = _("%(user)s asked to confirm Amazon PO %(po)s. Review the decisions, press "
                     "\"Approve acknowledgement\", then confirm the order before %(deadline)s.",
                     user=self.env.user.name, po=order.amazon_vendor_po_number,
                     deadline=fields.Datetime.to_string(order.amazon_vendor_ack_deadline)
                     if order.amazon_vendor_ack_deadline else "-")
            deadline = order.amazon_vendor_ack_deadline
            for user in order._amazon_vendor_approvers():
                order.activity_schedule(
                    APPROVAL_ACTIVITY, user_id=user.id, summary=summary,
                    note=order.amazon_vendor_account_id._amazon_vendor_html(note),
                    date_deadline=deadline.date() if deadline else None)
            order.message_post(body=_("Waiting for a manager to approve the acknowledgement."))

    def _amazon_vendor_approvers(self):
        """Amazon Vendor managers of the order's company (the account's alert users among
        them first); the alert users or the responsible when there is no manager."""
        self.ensure_one()
        account = self.amazon_vendor_account_id
        managers = self.env.ref("acorn_amazon_vendor.group_amazon_vendor_manager").sudo() \
            .users.filtered(lambda u: not u.share and not u._is_superuser()
                            and account.company_id in u.company_ids)
        return (account.alert_user_ids & managers) or managers or account.alert_user_ids \
            or account.responsible_user_id or self.env.user

    def _amazon_vendor_approval_notification(self, next_action=None):
        numbers = ", ".join(self.mapped("amazon_vendor_po_number"))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Waiting for approval"),
                "message": _("A manager must approve the acknowledgement of Amazon PO %s "
                             "before the order is confirmed: the managers were asked.", numbers),
                "type": "warning",
                "sticky": False,
                "next": next_action or {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _amazon_vendor_prepare_confirmation(self):
        """Guards and quantities: rejected units never ship."""
        warnings, body = self._amazon_vendor_check_confirmation()
        for warning in warnings:
            self.message_post(body=warning)
        for line in self.order_line.filtered("amazon_vendor_item_sequence"):
            quantity = line.amazon_vendor_accepted_qty + line.amazon_vendor_backordered_qty
            cost = line._amazon_vendor_net_cost_exact()
            if line.product_id and line.product_uom_qty != quantity:
                # Written together so the pricelist never replaces Amazon's net cost.
                line.write({"product_uom_qty": quantity,
                            "price_unit": float(cost) if cost is not None else line.price_unit})
        return body

    def _amazon_vendor_send_acknowledgement(self, body=None):
        """Queue the acknowledgement in the ledger and send it now; failures are recorded."""
        if body is None:
            blocking, _warnings, body = self._amazon_vendor_check_guards()
            if blocking:
                raise UserError("\n".join(blocking))
        doc = self.env["amazon.vendor.document"]._queue_outbound(
            self.amazon_vendor_account_id, "acknowledgement", self.amazon_vendor_po_number, self,
            body, supersede=True)
        doc._send_to_amazon()
        # Only queued for a retry is "Waiting to Be Sent", not "sent".
        self._amazon_vendor_follow_acknowledgement(doc)
        self.amazon_vendor_changed = False
        return doc
