"""The dispute packet of a deduction: one ZIP with what Amazon asks for, taken from the ledger
and the delivery (disputes are filed in Vendor Central; there is no API)."""
import base64
import io
import json
import re
import zipfile

from odoo import _, models
from odoo.exceptions import UserError

REPORTS = {
    "invoice": "account.account_invoices",
    "delivery_slip": "stock.action_report_delivery",
    "carton_labels": "acorn_amazon_vendor.action_report_carton_labels",
    "purchase_order": "sale.action_report_saleorder",
}


def safe(name):
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name or "").strip("_") or "document"


class AmazonVendorDeduction(models.Model):
    _inherit = "amazon.vendor.deduction"

    def action_build_packet(self):
        """Build (or rebuild) the ZIP and download it."""
        self.ensure_one()
        content, contents = self._amazon_vendor_packet()
        name = f"amazon-dispute-{safe(self.name)}.zip"
        attachment = self.env["ir.attachment"].create({
            "name": name, "raw": content, "mimetype": "application/zip",
            "res_model": self._name, "res_id": self.id})
        self.packet_attachment_id = attachment
        self.message_post(body=_("Dispute packet built: %s.", ", ".join(contents)),
                          attachment_ids=attachment.ids)
        return {"type": "ir.actions.act_url", "target": "self",
                "url": f"/web/content/{attachment.id}?download=true"}

    def _amazon_vendor_packet(self):
        """(zip bytes, names of what it holds)."""
        files = {}
        files["README.txt"] = self._amazon_vendor_packet_readme().encode()
        for picking in self.picking_ids:
            asn = picking.amazon_vendor_asn_document_id
            base = safe(picking.name)
            if asn:
                sent, answer = asn.sudo().payload_out, asn.sudo().payload_in
                if sent:
                    files[f"asn/{base}-asn-as-sent.json"] = base64.b64decode(sent)
                if answer:
                    files[f"asn/{base}-amazon-answer.json"] = base64.b64decode(answer)
            for attachment in self.env["ir.attachment"].search([
                    ("res_model", "=", "stock.picking"), ("res_id", "=", picking.id)]):
                files[f"delivery/{base}-{safe(attachment.name)}"] = attachment.raw or b""
            files.update(self._amazon_vendor_render("delivery_slip", picking,
                                                    f"delivery/{base}-packing-list"))
            if picking.move_line_ids.result_package_id:
                files.update(self._amazon_vendor_render("carton_labels", picking,
                                                        f"delivery/{base}-carton-labels"))
        if self.invoice_id:
            files.update(self._amazon_vendor_render("invoice", self.invoice_id,
                                                    f"invoice/{safe(self.invoice_id.name)}"))
            document = self.invoice_id.amazon_vendor_document_id.sudo()
            if document.payload_out:
                files[f"invoice/{safe(self.invoice_id.name)}-as-sent.json"] = \
                    base64.b64decode(document.payload_out)
        for order in self.sale_order_ids:
            number = safe(order.amazon_vendor_po_number or order.name)
            po = order.amazon_vendor_document_id.sudo()
            if po.payload_in:
                files[f"purchase-order/{number}-amazon-po.json"] = base64.b64decode(po.payload_in)
            files.update(self._amazon_vendor_render("purchase_order", order,
                                                    f"purchase-order/{number}-order"))
        if len(files) == 1:
            raise UserError(_("Nothing to put in the dispute packet of %s: link it to the "
                              "invoice it concerns first.", self.display_name))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, data in sorted(files.items()):
                archive.writestr(path, data)
        return buffer.getvalue(), sorted(files)

    def _amazon_vendor_render(self, report, record, path):
        """{path.pdf: bytes} of a report of ``record`` (nothing when the report is missing)."""
        action = self.env.ref(REPORTS[report], raise_if_not_found=False)
        if not action:
            return {}
        content, kind = self.env["ir.actions.report"].sudo().with_context(
            force_report_rendering=True)._render_qweb_pdf(action.report_name, record.ids)
        return {f"{path}.{kind or 'pdf'}": content}

    def _amazon_vendor_packet_readme(self):
        labels = dict(self._fields["deduction_type"]._description_selection(self.env))
        summary = {
            "deduction": self.name, "type": labels.get(self.deduction_type),
            "description": self.description, "amount": self.amount,
            "currency": self.currency_id.name, "issued": str(self.issue_date or ""),
            "dispute_before": str(self.deadline or ""),
            "invoice": self.invoice_id.name or "",
            "purchase_orders": self.sale_order_ids.mapped("amazon_vendor_po_number"),
            "deliveries": self.picking_ids.mapped("name"),
            "payment": self.remittance_id.payment_number or "",
        }
        return _("Dispute of Amazon deduction %(name)s\n\nFile it in Vendor Central (Payments > "
                 "Dispute management) before %(deadline)s with the documents of this folder: the "
                 "ASN exactly as sent and Amazon's answer, the bill of lading / proof of "
                 "delivery, the carton labels and packing list, the invoice and the purchase "
                 "order.\n\n%(summary)s\n", name=self.name,
                 deadline=self.deadline or _("the deadline"),
                 summary=json.dumps(summary, indent=2, ensure_ascii=False))
