from decimal import Decimal

from odoo import _, fields, models
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError
from odoo.exceptions import UserError

from ..lib import label_formats, mapping

PERSONAL = "amazon_df_personal"  # attachment description: purged with the address


class StockPicking(models.Model):
    _inherit = "stock.picking"

    amazon_df_account_id = fields.Many2one(related="sale_id.amazon_df_account_id",
                                           string="Amazon DF Account")
    amazon_df_ship_by = fields.Datetime(related="sale_id.amazon_df_ship_by")
    # what the packer needs from Amazon's order
    amazon_df_gift = fields.Boolean(related="sale_id.amazon_df_gift")
    amazon_df_gift_note = fields.Text(related="sale_id.amazon_df_gift_note")
    amazon_df_pslip_required = fields.Boolean(related="sale_id.amazon_df_pslip_required")
    amazon_df_priority = fields.Boolean(related="sale_id.amazon_df_priority")
    amazon_df_scheduled_delivery = fields.Boolean(
        related="sale_id.amazon_df_scheduled_delivery")
    # Computed, not related: a related field into the account's DF fields breaks registry
    # reloads that rebuild amazon.vendor.account without this addon (odoo-test-helper).
    amazon_df_own_carrier = fields.Boolean(string="Own Carrier",
                                           compute="_compute_amazon_df_own_carrier")
    amazon_df_tracking = fields.Char(
        string="DF Tracking Numbers", copy=False,
        help="Amazon's labels fill them in. Shipping with your own carrier: the carrier's "
             "tracking numbers, one per package in package order (commas or spaces between).")
    amazon_df_last_status = fields.Selection(list(mapping.STATUS_CODES),
                                             string="Last Carrier Status", readonly=True,
                                             copy=False)
    amazon_df_last_reason = fields.Selection(list(mapping.REASON_CODES),
                                             string="Status Reason", readonly=True, copy=False)
    amazon_df_last_status_at = fields.Datetime(string="Status Time", readonly=True, copy=False)
    amazon_df_delivered_at = fields.Datetime(string="Delivered", readonly=True, copy=False,
                                             help="When the carrier delivered (status D1).")
    amazon_df_labels = fields.Text(string="Amazon Labels", readonly=True, copy=False,
                                   help="Packages and tracking numbers of Amazon's labels "
                                        "(JSON).")
    amazon_df_confirmation_id = fields.Many2one("amazon.vendor.document",
                                                string="DF Shipment Confirmation",
                                                readonly=True, copy=False)
    amazon_df_confirmation_state = fields.Selection(
        related="amazon_df_confirmation_id.state", string="Confirmation Status")

    def _compute_amazon_df_own_carrier(self):
        for picking in self:
            picking.amazon_df_own_carrier = bool(picking.sale_id.amazon_df_account_id) and \
                picking.sale_id._amazon_df_own_carrier()

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
            # weights in Odoo's unit (kg or lb); a product without one counts 0.1 kg
            weight = self._amazon_vendor_kilograms(product.weight) or Decimal("0.1")
            package["weight_kg"] += float(weight) * qty
        # a package weighed at packing is sent as weighed (Amazon buys the label on it)
        for package in self.move_line_ids.result_package_id.filtered("shipping_weight"):
            if package.id in packages:
                packages[package.id]["weight_kg"] = float(
                    self._amazon_vendor_kilograms(package.shipping_weight))
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
        problems = []
        for account in self.amazon_df_account_id:
            with account._amazon_df_api() as client:
                for picking in self.filtered(lambda p, a=account: p.amazon_df_account_id == a):
                    # each on its own: labels Amazon sold for one delivery are never undone
                    # because another one failed
                    try:
                        with self.env.cr.savepoint():
                            picking._amazon_df_get_label(client)
                    except UserError as exc:
                        problems.append(exc.args[0])
        if problems and len(self) == 1:
            raise UserError(problems[0])
        if problems:
            return {"type": "ir.actions.client", "tag": "display_notification", "params": {
                "title": _("Amazon labels"), "type": "warning", "sticky": True,
                "message": "\n".join(problems)}}
        return True

    def _amazon_df_get_label(self, client):
        order = self.sale_id
        neutral = order._amazon_df_neutral()
        if self.amazon_df_labels:
            # Amazon sold these labels already: never bought twice; what is missing is read
            self._amazon_df_attach_documents(client, neutral)
            return
        packages = self._amazon_df_packages(neutral)
        if not packages:
            raise UserError(_("Reserve or pack the products of %s before asking for labels.",
                              self.name))
        try:
            labels = mapping.parse_labels(client.create_shipping_labels(
                neutral["number"], mapping.create_labels_body(neutral, packages)))
        except (AmazonApiError, mapping.MappingError) as exc:
            try:  # Amazon may have made them (409, or an answer lost): read them back
                labels = mapping.parse_labels(client.get_shipping_label(neutral["number"]))
            except (AmazonApiError, mapping.MappingError):
                raise UserError(_("Amazon gave no label for %(order)s: %(error)s",
                                  order=order.name, error=exc)) from None
        self._amazon_df_attach_labels(labels)
        self._amazon_df_attach_documents(client, neutral)

    def _amazon_df_attach_labels(self, labels):
        Attachment = self.env["ir.attachment"].sudo()
        wanted = self.amazon_df_account_id.df_label_attachment
        for package in labels["packages"]:
            content, ext, mimetype = package["content"], "zpl", "application/x-zpl"
            if labels["format"] == "PNG" and wanted == "pdf":
                content, ext, mimetype = label_formats.png_to_pdf(content), "pdf", \
                    "application/pdf"
            elif labels["format"] == "PNG":
                content = label_formats.png_to_zpl(content)
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

    def _amazon_df_attach_documents(self, client, neutral):
        Attachment = self.env["ir.attachment"].sudo()
        wanted = [("packing slip", client.get_packing_slip)] if neutral["pslip_required"] \
            else []
        wanted.append(("customer invoice", client.get_customer_invoice))
        have = set(Attachment.search([("res_model", "=", "stock.picking"),
                                      ("res_id", "=", self.id)]).mapped("name"))
        for label, getter in wanted:
            name = f"Amazon {label} {neutral['number']}.pdf"
            if name in have:
                continue
            try:
                content, mimetype = mapping.parse_document(getter(neutral["number"]))
            except (AmazonApiError, mapping.MappingError) as exc:
                if getattr(exc, "status", None) == 404 and label == "customer invoice":
                    continue  # Amazon prints none for this marketplace
                # the labels are kept: the document is read again at the next click
                self.message_post(body=_(
                    "Amazon's %(doc)s for %(order)s could not be read now (%(error)s): press "
                    "Get Amazon label again to fetch it.", doc=label, order=neutral["number"],
                    error=exc))
                continue
            Attachment.create({
                "name": name, "raw": content,
                "mimetype": mimetype, "res_model": "stock.picking", "res_id": self.id,
                "description": PERSONAL})

    # -- confirmation -----------------------------------------------------------------------
    def _action_done(self):
        result = super()._action_done()
        # a gift wrap follows its item's delivered quantity, returns included
        self.filtered("amazon_df_account_id").sale_id.sudo()._amazon_df_deliver_gift_wrap()
        shipped = self.filtered(lambda p: p.amazon_df_account_id
                                and p.picking_type_code == "outgoing")
        for picking in shipped:
            picking._amazon_df_queue_confirmation()
        return result

    def _amazon_df_queue_confirmation(self):
        """The shipment confirmation from what was really picked, with the packages and the
        tracking numbers of Amazon's labels."""
        self.ensure_one()
        order = self.sale_id
        neutral = order._amazon_df_neutral()
        packages = self._amazon_df_packages(neutral, done=True)
        own_carrier = order._amazon_df_own_carrier()
        labels = mapping.json_loads(self.amazon_df_labels or "[]")
        if not labels and own_carrier:
            labels = [{"identifier": None, "tracking": number,
                       "ship_method": neutral["ship_method"]}
                      for number in self._amazon_df_own_tracking_numbers()]
        tracking = {lb["identifier"]: lb["tracking"] for lb in labels if lb["identifier"]}
        by_identifier = {lb["identifier"]: lb for lb in labels if lb["identifier"]}
        problems = []
        for index, package in enumerate(packages):
            label = labels[index] if index < len(labels) else {}
            package["tracking"] = tracking.get(package["identifier"]) or label.get("tracking")
            # shipMethod is "required when calling submitShipmentConfirmations": the label's
            # (which "should be returned on the shipment confirmation"), else the order's
            package["ship_method"] = (by_identifier.get(package["identifier"], {}).get(
                "ship_method") or label.get("ship_method") or neutral["ship_method"] or "")
            if not package["tracking"] and own_carrier:
                problems.append(_("Package %s has no tracking number: enter your carrier's "
                                  "tracking numbers on the delivery (one per package).",
                                  package["identifier"]))
            elif not package["tracking"]:
                problems.append(_("Package %s has no tracking number: get Amazon's label "
                                  "first.", package["identifier"]))
        if len(labels) > len(packages) and own_carrier:
            problems.append(_("%(numbers)s tracking numbers for %(packages)s package(s): one "
                              "tracking number per package.", numbers=len(labels),
                              packages=len(packages)))
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

    def _amazon_df_own_tracking_numbers(self):
        """The carrier's tracking numbers entered on the delivery (or by a carrier connector
        in ``carrier_tracking_ref``), in package order."""
        text = self.amazon_df_tracking or (self.carrier_tracking_ref
                                           if "carrier_tracking_ref" in self._fields else "")
        return mapping.split_tracking_numbers(text)

    def action_amazon_df_send_confirmation(self):
        for picking in self:
            if picking.state != "done":
                raise UserError(_("Validate %s before confirming the shipment to Amazon.",
                                  picking.name))
            doc = picking._amazon_df_queue_confirmation()
            if doc:
                doc._send_to_amazon()
        return True

    # -- carrier status updates (Vendor Own Carrier) ------------------------------------------
    def _amazon_df_confirmed_tracking(self):
        body = self.amazon_df_confirmation_id._get_payload("payload_out") or {}
        return [c.get("trackingNumber") for conf in body.get("shipmentConfirmations") or []
                for c in conf.get("containers") or [] if c.get("trackingNumber")]

    def _amazon_df_queue_status_updates(self, events):
        """Queue one document of carrier events for this delivery's packages. ``events``:
        ``[{tracking, status_code, when, location, reason_code, estimated_delivery}]`` with
        ``location`` as ``mapping.status_update`` takes it. The same events queued again (a
        carrier connector replaying its feed) land on the same ledger document."""
        self.ensure_one()
        if not self.sale_id._amazon_df_own_carrier():
            raise UserError(_("Amazon takes carrier status updates only from vendors shipping "
                              "with their own carrier: Amazon's carrier reports the scans of "
                              "%s itself.", self.name))
        if self.state != "done" or not self.amazon_df_confirmation_id or \
                self.amazon_df_confirmation_state == "failed":
            raise UserError(_("Confirm the shipment of %s to Amazon before sending carrier "
                              "status updates.", self.name))
        if not events:
            raise UserError(_("No carrier event to send for %s.", self.name))
        confirmed = self._amazon_df_confirmed_tracking()
        neutral = self.sale_id._amazon_df_neutral()
        updates = []
        for event in events:
            if event.get("tracking") not in confirmed:
                raise UserError(_("Tracking number %(number)s is not one confirmed to Amazon "
                                  "for %(picking)s (%(known)s).", number=event.get("tracking"),
                                  picking=self.name, known=", ".join(confirmed) or "-"))
            try:
                updates.append(mapping.status_update(
                    neutral, event["tracking"], event["status_code"], event["when"],
                    event["location"], event.get("reason_code") or "NS",
                    event.get("estimated_delivery")))
            except (mapping.MappingError, KeyError) as exc:
                raise UserError(_("The carrier event of %(picking)s cannot be sent: %(error)s",
                                  picking=self.name, error=exc)) from None
        body = mapping.status_updates_body(updates)
        first = updates[0]["statusUpdateDetails"]
        external_id = "-".join((neutral["number"], first["statusCode"],
                                first["statusDateTime"], str(len(updates))))
        return self.env["amazon.vendor.document"]._queue_outbound(
            self.amazon_df_account_id, "df_status_update", external_id, self, body, replay=True)

    def action_amazon_df_status_update(self):
        self.ensure_one()
        self.sale_id._amazon_df_check_user()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "acorn_amazon_vendor_direct_fulfillment.action_amazon_df_status_wizard")
        action["context"] = {"default_picking_id": self.id}
        return action

    def _amazon_df_status_settled(self, document):
        body = document._get_payload("payload_out") or {}
        details = [u["statusUpdateDetails"] for u in body.get("shipmentStatusUpdates") or []]
        if document.state == "failed":
            self.message_post(body=_("Amazon refused the carrier status update: %s",
                                     document.error_message))
            return
        if document.state != "accepted" or not details:
            return
        last = max(details, key=lambda d: d["statusDateTime"])
        values = {"amazon_df_last_status": last["statusCode"],
                  "amazon_df_last_reason": last["reasonCode"],
                  "amazon_df_last_status_at": mapping.parse_date_time(
                      last["statusDateTime"]).replace(tzinfo=None)}
        delivered = [d["statusDateTime"] for d in details
                     if d["statusCode"] == mapping.DELIVERED]
        if delivered:
            values["amazon_df_delivered_at"] = mapping.parse_date_time(
                max(delivered)).replace(tzinfo=None)
        self.write(values)
        status = dict(self._fields["amazon_df_last_status"]._description_selection(self.env))
        self.message_post(body=_("Amazon accepted the carrier status update: %s",
                                 status[last["statusCode"]]))

    def _amazon_vendor_document_settled(self, document):
        if not document.kind.startswith("df_"):
            return super()._amazon_vendor_document_settled(document)
        if document.kind == "df_status_update":
            self._amazon_df_status_settled(document)
            return None
        if document.state == "accepted":
            self.sale_id.amazon_df_status = "SHIPPED"
            self.message_post(body=_("Amazon accepted the shipment confirmation."))
        elif document.state == "failed":
            self.message_post(body=_("Amazon refused the shipment confirmation: %s",
                                     document.error_message))
        return None
