"""Amazon's purchase order changes over EDI (X12 860, EDIFACT ORDCHG): applied to the order
last received, then the same path as a changed order of the API (the ledger, the quotation or
the review of a confirmed order, a new acknowledgement). A change to an order Odoo never
received, or that does not fit it, is refused alone (X12: in our 997; a CONTRL answers the
syntax only) and said; nothing is applied half. A change older than the one applied (its
sequence, else its date) is skipped: quantities in a change are totals, so applying it late
would undo the newer one."""
from odoo import _, models
from odoo.exceptions import UserError

from ..lib import codecs, order_change
from ..lib.envelope import EdiError


class AmazonVendorEdiInterchange(models.Model):
    _inherit = "amazon.vendor.edi.interchange"

    def _edi_apply_order_changes(self, data):
        received = codecs.read_purchase_order_changes(self.standard, data)
        Document = self.env["amazon.vendor.document"].sudo()
        documents = {d.external_id: d for d in Document.search([
            ("account_id", "=", self.account_id.id), ("kind", "=", "purchase_order"),
            ("external_id", "in", [c["purchaseOrderNumber"] for c in received.orders])])}
        stored, latest, keys, refused, lines, skipped = {}, {}, {}, {}, [], []
        for key, change in zip(received.keys, received.orders, strict=True):
            number = change["purchaseOrderNumber"]
            if number not in latest:
                stored[number] = self._edi_stored_order(documents.get(number))
                latest[number] = (stored[number], documents.get(number) and
                                  documents[number].edi_change_sequence)
            order, sequence = latest[number]
            if not isinstance(order, dict):
                refused[key] = EdiError(_(
                    "purchase order %s was never received: its change cannot be applied",
                    number), "BCH", 2, 3, code="7")
                continue
            details = order.get("orderDetails") or {}
            if order_change.is_older(change, sequence, details.get(
                    "purchaseOrderChangedDate")):
                skipped.append(number)
                lines.append(_("%(number)s: change %(sequence)s is not newer than the change "
                               "already applied: skipped.", number=number,
                               sequence=change.get("changeSequence") or "?"))
                continue
            try:
                changed = order_change.apply_change(order, change)
                unnamed = order_change.lines_not_named(order, change) \
                    if change["purpose"] == "Replace" else []
            except EdiError as exc:
                refused[key] = exc
                continue
            if unnamed:
                lines.append(_("%(number)s: Amazon replaced the order without naming lines "
                               "%(lines)s: they keep their values.", number=number,
                               lines=", ".join(unnamed)))
            latest[number] = (changed, change.get("changeSequence") or sequence)
            keys.setdefault(number, []).append(key)
        to_store = {number: order for number, (order, _seq) in latest.items()
                    if number in keys and order_change.changes_anything(stored[number], order)}
        if to_store:  # orders only stored when their document exists: it is updated in place
            self.account_id._upsert_purchase_orders(list(to_store.values()))
        for number, order in to_store.items():
            if documents[number].payload_hash != Document._hash_payload(order):
                for key in keys[number]:  # the core said why, on the account
                    refused[key] = EdiError(_("purchase order %s could not be stored", number),
                                            "BCH", 2, 3, code="7")
        by_sequence = {}  # one write per sequence number, not per order
        for number in keys:
            if documents.get(number) and not any(key in refused for key in keys[number]):
                sequence = latest[number][1] or False
                by_sequence[sequence] = by_sequence.get(sequence, Document) | documents[number]
            if number not in to_store:
                lines.append(_("%s: the change restates the order as it is: nothing to do.",
                               number))
        for sequence, changed_documents in by_sequence.items():
            changed_documents.edi_change_sequence = sequence
        applied = [key for number in keys for key in keys[number] if key not in refused]
        self._edi_settle_orders(
            received, [n for n in keys if keys[n][0] not in refused],
            [_("%s purchase order changes applied.", len(applied))] + lines,
            _("Amazon EDI file %s: purchase order changes refused", self.file_name),
            refused=refused)
        if skipped and not refused:  # else said with the refusals
            self.account_id._amazon_vendor_notify(
                self, _("Amazon EDI file %s: purchase order changes skipped", self.file_name),
                self.result, warning=True)

    def _edi_stored_order(self, document):
        """The order as last received (getPurchaseOrders' JSON in the ledger); None when
        there is none or it cannot be read."""
        if not document:
            return None
        try:
            return document._get_payload("payload_in")
        except UserError:
            return None
