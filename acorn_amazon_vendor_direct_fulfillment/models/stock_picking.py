import io

from odoo import _, fields, models
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError
from odoo.exceptions import UserError

from ..lib import mapping

PERSONAL = "amazon_df_personal"  # attachment description: purged with the address


class StockPicking(models.Model):
    _inherit = "stock.picking"

    amazon_df_account_id = fields.Many2one(related="sale_id.amazon_df_account_id",
                                           string="Amazon DF Account")
    amazon_df_ship_by = fields.Datetime(related="sale_id.amazon_df_ship_by")
    amazon_df_tracking = fields.Char(string="Amazon Tracking Numbers", readonly=True,
                                     copy=False)
    amazon_df_labels = fields.Text(string="Amazon Labels", readonly=True, copy=False,
                                   help="Packages and tracking numbers of Amazon's labels "
                                        "(JSON).")
    amazon_df_confirmation_id = fields.Many2one("amazon.vendor.document",
                                                string="DF Shipment Confirmation",
                                                readonly=True, copy=False)
    amazon_df_confirmation_state = fields.Selection(
        related="amazon_df_confirmation_id.state", string="Confirmation Status")

    # -- packages ---------------------------------------------------------------------------
    def _amazon_df_packages(self, order, done=False):
        """What is packed, per package: ``[{identifier, weight_kg, items: {seq: qty}}]``
        (done: the picked quantities of a validated delivery; else what is reserved)."""
        self.ensure_one()
        seq_of = {}
        for item in order["items"]:
            seq_of.setdefault(("sku", item["vendor_sku"]), item["seq"])
            seq_of.setdefault(("asin", item["asin"]), item["seq"])
        packages = {}
        for ml in self.move_line_ids:
            if done and not ml.picked:
                continue
            product = ml.product_id
            seq = seq_of.get(("sku", product.default_code)) or seq_of.get(
                ("asin", product.amazon_vendor_asin))
            if not seq:
                raise UserError(_("%(product)s is not an item of Amazon order %(order)s.",
                                  product=product.display_name, order=order["number"]))
            qty = int(ml.product_uom_id._compute_quantity(ml.quantity, product.uom_id))
            key = ml.result_package_id.id or 0
            package = packages.setdefault(key, {
                "identifier": ml.result_package_id.name or f"{order['number']}-1",
                "weight_kg": 0.0, "items": {}})
            package["items"][seq] = package["items"].get(seq, 0) + qty
            package["weight_kg"] += (product.weight or 0.1) * qty
        out = list(packages.values())
        for package in out:
            package["weight_kg"] = f"{max(package['weight_kg'], 0.1):.2f}"
        return out

    # -- labels -----------------------------------------------------------------------------
    def action_amazon_df_get_label(self):
        """Ask Amazon for the shipping labels of these deliveries' packages and attach them,
        with the packing slip and the customer invoice when Amazon has them (one client, so
        one Restricted Data Token, per account)."""
        for picking in self:
            if not picking.amazon_df_account_id:
                raise UserError(_("%s is not an Amazon Direct Fulfillment delivery.",
                                  picking.name))
            if picking.sale_id.amazon_df_ack_state != "accepted":
                raise UserError(_("Amazon issues labels for acknowledged orders only: "
                                  "acknowledge %s first (and wait for Amazon's answer).",
                                  picking.sale_id.name))
        for account in self.amazon_df_account_id:
            with account._amazon_df_api() as client:
                for picking in self.filtered(lambda p, a=account: p.amazon_df_account_id == a):
                    picking._amazon_df_get_label(client)
        return True

    def _amazon_df_get_label(self, client):
        order = self.sale_id
        neutral = order._amazon_df_neutral()
        packages = self._amazon_df_packages(neutral)
        if not packages:
            raise UserError(_("Reserve or pack the products of %s before asking for labels.",
                              self.name))
        try:
            labels = mapping.parse_labels(client.create_shipping_labels(
                neutral["number"], mapping.create_labels_body(neutral, packages)))
        except (AmazonApiError, mapping.MappingError) as exc:
            raise UserError(_("Amazon gave no label for %(order)s: %(error)s",
                              order=order.name, error=exc)) from None
        self._amazon_df_attach_labels(labels)
        self._amazon_df_attach_documents(client, neutral)

    def _amazon_df_attach_labels(self, labels):
        Attachment = self.env["ir.attachment"].sudo()
        want_pdf = self.amazon_df_account_id.df_label_attachment == "pdf"
        for package in labels["packages"]:
            content, ext, mimetype = package["content"], "zpl", "application/x-zpl"
            if labels["format"] == "PNG":
                content, ext, mimetype = package["content"], "png", "image/png"
                if want_pdf:
                    content, ext, mimetype = self._amazon_df_png_to_pdf(content), "pdf", \
                        "application/pdf"
            Attachment.create({
                "name": f"Amazon label {package['tracking'] or package['identifier']}.{ext}",
                "raw": content, "mimetype": mimetype, "res_model": "stock.picking",
                "res_id": self.id, "description": PERSONAL})
        self.write({
            "amazon_df_tracking": ", ".join(p["tracking"] for p in labels["packages"]
                                            if p["tracking"]),
            "amazon_df_labels": mapping.json_dumps([
                {"identifier": p["identifier"], "tracking": p["tracking"],
                 "ship_method": p["ship_method"]} for p in labels["packages"]]),
        })
        self.message_post(body=_("Amazon sent %(count)s %(format)s label(s): %(tracking)s",
                                 count=len(labels["packages"]), format=labels["format"],
                                 tracking=self.amazon_df_tracking or "-"))

    @staticmethod
    def _amazon_df_png_to_pdf(png):
        from PIL import Image  # noqa: PLC0415 - Odoo's own dependency, only needed here
        out = io.BytesIO()
        Image.open(io.BytesIO(png)).convert("RGB").save(out, "PDF")
        return out.getvalue()

    def _amazon_df_attach_documents(self, client, neutral):
        Attachment = self.env["ir.attachment"].sudo()
        wanted = [("packing slip", client.get_packing_slip)] if neutral["pslip_required"] \
            else []
        wanted.append(("customer invoice", client.get_customer_invoice))
        for label, getter in wanted:
            try:
                content, mimetype = mapping.parse_document(getter(neutral["number"]))
            except AmazonApiError as exc:
                if exc.status == 404 and label == "customer invoice":
                    continue  # Amazon prints none for this marketplace
                raise UserError(_("Amazon's %(doc)s for %(order)s could not be read: "
                                  "%(error)s", doc=label, order=neutral["number"],
                                  error=exc)) from None
            Attachment.create({
                "name": f"Amazon {label} {neutral['number']}.pdf", "raw": content,
                "mimetype": mimetype, "res_model": "stock.picking", "res_id": self.id,
                "description": PERSONAL})

    # -- confirmation -----------------------------------------------------------------------
    def _action_done(self):
        result = super()._action_done()
        for picking in self.filtered(lambda p: p.amazon_df_account_id
                                     and p.picking_type_code == "outgoing"):
            picking._amazon_df_queue_confirmation()
        return result

    def _amazon_df_queue_confirmation(self):
        """The shipment confirmation from what was really picked, with the packages and the
        tracking numbers of Amazon's labels."""
        self.ensure_one()
        order = self.sale_id
        neutral = order._amazon_df_neutral()
        packages = self._amazon_df_packages(neutral, done=True)
        labels = mapping.json_loads(self.amazon_df_labels or "[]")
        tracking = {lb["identifier"]: lb["tracking"] for lb in labels}
        problems = []
        for index, package in enumerate(packages):
            package["tracking"] = tracking.get(package["identifier"]) or (
                labels[index]["tracking"] if index < len(labels) else None)
            if not package["tracking"]:
                problems.append(_("Package %s has no tracking number: get Amazon's label "
                                  "first.", package["identifier"]))
        if problems:
            self.amazon_df_account_id._amazon_vendor_todo(
                self, _("Amazon DF shipment confirmation not sent"), problems)
            return False
        body = mapping.confirmations_body([mapping.shipment_confirmation(
            neutral, self.date_done or fields.Datetime.now(), packages, self.name)])
        doc = self.env["amazon.vendor.document"]._queue_outbound(
            self.amazon_df_account_id, "df_shipment_confirmation", neutral["number"], self, body)
        self.amazon_df_confirmation_id = doc
        return doc

    def action_amazon_df_send_confirmation(self):
        for picking in self:
            if picking.state != "done":
                raise UserError(_("Validate %s before confirming the shipment to Amazon.",
                                  picking.name))
            doc = picking._amazon_df_queue_confirmation()
            if doc:
                doc._send_to_amazon()
        return True

    def _amazon_vendor_document_settled(self, document):
        if not document.kind.startswith("df_"):
            return super()._amazon_vendor_document_settled(document)
        if document.state == "accepted":
            self.sale_id.amazon_df_status = "SHIPPED"
            self.message_post(body=_("Amazon accepted the shipment confirmation."))
        elif document.state == "failed":
            self.message_post(body=_("Amazon refused the shipment confirmation: %s",
                                     document.error_message))
        return None
