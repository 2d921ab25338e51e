"""Each action a person takes on an Amazon document writes its row in the operation log
(amazon.vendor.operation), after the action did its work: the row tells who, what, when and
where the ledger document stood afterwards. An action that raises leaves no row. Documents
Odoo queues by itself are "queued" (a person's Send button logs "sent" instead), those the send
job sends are "sent" by the job's user."""
from odoo import models


def _log(env, operation, records, document=None):
    return env["amazon.vendor.operation"]._log(operation, records, document)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_amazon_vendor_approve(self):
        result = super().action_amazon_vendor_approve()
        _log(self.env, "approved", self._amazon_vendor_orders())
        return result

    def _amazon_vendor_request_approval(self):
        asked = self.filtered(lambda o: o.amazon_vendor_ack_state != "to_approve")
        result = super()._amazon_vendor_request_approval()
        _log(self.env, "approval_requested", asked)
        return result

    def _amazon_vendor_send_acknowledgement(self, body=None):
        doc = super()._amazon_vendor_send_acknowledgement(body)
        _log(self.env, "acknowledged", self, doc)
        return doc

    def action_amazon_vendor_apply_changes(self):
        changed = self.filtered("amazon_vendor_changed")
        result = super().action_amazon_vendor_apply_changes()
        for order in changed:
            _log(self.env, "changes_applied", order, order.amazon_vendor_document_id)
        return result

    def action_amazon_vendor_reprocess(self):
        rebuilt = self.filtered(lambda o: o.amazon_vendor_document_id
                                and o.state in ("draft", "sent"))
        result = super().action_amazon_vendor_reprocess()
        for order in rebuilt:
            _log(self.env, "reprocessed", order, order.amazon_vendor_document_id)
        return result


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _amazon_vendor_queue_asn(self, transaction_type="Original"):
        doc = super()._amazon_vendor_queue_asn(transaction_type)
        if doc and not self.env.context.get("amazon_vendor_manual_send"):
            _log(self.env, "queued", self, doc)
        return doc

    def action_amazon_vendor_send_asn(self):
        result = super(StockPicking, self.with_context(
            amazon_vendor_manual_send=True)).action_amazon_vendor_send_asn()
        for picking in self.filtered("amazon_vendor_asn_document_id"):
            _log(self.env, "sent", picking, picking.amazon_vendor_asn_document_id)
        return result

    def action_amazon_vendor_request_transport(self):
        result = super().action_amazon_vendor_request_transport()
        _log(self.env, "sent", self, self.amazon_vendor_transport_document_id)
        return result


class AccountMove(models.Model):
    _inherit = "account.move"

    def _amazon_vendor_queue(self, raise_refusal=False):
        doc = super()._amazon_vendor_queue(raise_refusal)
        if doc and not self.env.context.get("amazon_vendor_manual_send"):
            _log(self.env, "queued", self, doc)
        return doc

    def action_amazon_vendor_send(self):
        result = super(AccountMove, self.with_context(
            amazon_vendor_manual_send=True)).action_amazon_vendor_send()
        for move in self.filtered("amazon_vendor_document_id"):
            _log(self.env, "sent", move, move.amazon_vendor_document_id)
        return result


class AmazonVendorDocument(models.Model):
    _inherit = "amazon.vendor.document"

    def action_resend(self):
        result = super().action_resend()
        _log(self.env, "resent", self)
        return result

    def _send_or_reconcile(self):
        return super(AmazonVendorDocument, self.with_context(
            amazon_vendor_send_job=True))._send_or_reconcile()

    def _send_one(self, api, recorder):
        """The send job: a row per document that went out (or was refused on the way),
        written with it (the job commits each document on its own)."""
        waiting = self.state == "to_send"
        result = super()._send_one(api, recorder)
        if waiting and self.state != "to_send" and self.env.context.get("amazon_vendor_send_job"):
            _log(self.env, "sent", self)
        return result

    def action_cancel(self):
        result = super().action_cancel()
        _log(self.env, "cancelled", self)
        return result

    def action_process_again(self):
        result = super().action_process_again()
        _log(self.env, "reprocessed", self)
        return result

    def action_mark_received_by_amazon(self):
        result = super().action_mark_received_by_amazon()
        _log(self.env, "marked_received", self)
        return result

    def action_check_with_amazon(self):
        result = super().action_check_with_amazon()
        _log(self.env, "checked", self)
        return result
