"""Amazon's purchase order changes over EDI (X12 860): applied to the order last received, then
the same path as a changed order of the API (the ledger, the quotation or the review of a
confirmed order, a new acknowledgement). A change to an order Odoo never received, or that
does not fit it, is refused alone in our 997 and said; nothing is applied half."""
from odoo import _, models

from ..lib import codecs, order_change
from ..lib.envelope import EdiError


class AmazonVendorEdiInterchange(models.Model):
    _inherit = "amazon.vendor.edi.interchange"

    def _edi_apply_order_changes(self, data):
        account = self.account_id
        if self.standard != "x12":
            self.write({"state": "failed", "result": _(
                "Amazon's purchase order changes are read from X12 860 files only: apply this "
                "%s by hand (the purchase order in Vendor Central shows the change).",
                self.message_type)})
            account._amazon_vendor_notify(
                self, _("Amazon EDI file %s: purchase order change to apply by hand",
                        self.file_name), self.result, warning=True)
            return
        received = codecs.read_purchase_order_changes(self.standard, data)
        Document = self.env["amazon.vendor.document"].sudo()
        numbers = {change["purchaseOrderNumber"] for change in received.orders}
        documents = {d.external_id: d for d in Document.search([
            ("account_id", "=", account.id), ("kind", "=", "purchase_order"),
            ("external_id", "in", list(numbers))])}
        latest, refused = {}, {}
        for control, change in zip(received.controls, received.orders, strict=True):
            number = change["purchaseOrderNumber"]
            document = documents.get(number)
            order = latest.get(number) or (document and document._get_payload("payload_in"))
            if not isinstance(order, dict):
                refused[control] = EdiError(_(
                    "purchase order %s was never received: its change cannot be applied",
                    number), "BCH", None, 3, code="7")
                continue
            try:
                latest[number] = order_change.apply_change(order, change)
            except EdiError as exc:
                refused[control] = exc
        if latest:
            account._upsert_purchase_orders(list(latest.values()))
        changed = Document.search([("account_id", "=", account.id),
                                   ("kind", "=", "purchase_order"),
                                   ("external_id", "in", list(latest))])
        changed.filtered(lambda d: d.state == "received")._amazon_vendor_process_purchase_orders()
        lines = [_("%s purchase order changes applied.", len(received.orders) - len(refused))]
        lines += [self.env._("Transaction %(control)s refused: %(error)s", control=control,
                             error=error)
                  for control, error in received.refused + tuple(refused.items())]
        problems = received.refused or refused
        self.write({"state": "failed" if problems and not latest else "processed",
                    "document_ids": [(6, 0, changed.ids)],
                    "transaction_controls": ",".join(str(c) for c in received.controls),
                    "result": "\n".join(lines)})
        self._edi_answer_safely(received, refused=refused)
        if problems:
            account._amazon_vendor_notify(
                self, _("Amazon EDI file %s: purchase order changes refused", self.file_name),
                "\n".join(lines), warning=True)
