"""Validated deliveries of Amazon orders -> shipment confirmations (ASNs) and carton labels."""
import dataclasses
import datetime
import json
import re
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib.mapping.carton_label import labels_for_shipment, zpl_many
from ..lib.mapping.purchase_order import Party
from ..lib.mapping.shipment import (
    IMPORT_CONTAINERS_MAX,
    Carton,
    ImportDetails,
    Pallet,
    Shipment,
    ShipmentError,
    ShippedLine,
    build_shipment_confirmation,
)
from ..lib.mapping.transport_request import build_transport_request

SHIPMENT_TYPES = [("SmallParcel", "Small parcel"), ("LessThanTruckLoad", "Less than truckload"),
                  ("TruckLoad", "Truckload")]
TRANSPORTATION_MODES = [("Road", "Road"), ("Air", "Air"), ("Ocean", "Ocean")]
HANDLING = [("Oversized", "Oversized"), ("Fragile", "Fragile"), ("Food", "Food"),
            ("HandleWithCare", "Handle with care")]
# Amazon: ASN within 30 minutes of departure, or 6 hours before the appointment if sooner.
AFTER_DEPARTURE = datetime.timedelta(minutes=30)
BEFORE_APPOINTMENT = datetime.timedelta(hours=6)
# ASNs submitted after their deadline are looked for among deadlines this recent.
LATE_SUBMISSION_LOOKBACK = datetime.timedelta(days=7)


class StockPicking(models.Model):
    _inherit = "stock.picking"

    amazon_vendor_account_id = fields.Many2one(
        related="sale_id.amazon_vendor_account_id", store=True, string="Amazon Vendor Account")
    amazon_vendor_shipment_type = fields.Selection(SHIPMENT_TYPES, string="Shipment Type")
    amazon_vendor_carrier_scac = fields.Char(string="Carrier SCAC")
    amazon_vendor_pro_number = fields.Char(string="PRO Number")
    amazon_vendor_bol_number = fields.Char(string="Bill of Lading")
    amazon_vendor_arn = fields.Char(string="Amazon Reference Number (ARN)",
                                    help="Amazon's routing reference for Collect/WePay "
                                         "shipments (not the PO number).")
    amazon_vendor_tracking = fields.Char(string="Tracking Numbers",
                                         help="Small parcel tracking numbers, comma separated.")
    amazon_vendor_pickup_at = fields.Datetime(string="Pickup / Appointment")
    amazon_vendor_transportation_mode = fields.Selection(
        TRANSPORTATION_MODES, string="Transportation Mode",
        help="How the goods travel, as the ASN says it; empty: Ocean for a direct import "
             "(the purchase order carries import details), else Road.")
    # a direct import (Amazon's purchase order carries importDetails): its voyage on the ASN
    amazon_vendor_direct_import = fields.Boolean(
        compute="_compute_amazon_vendor_direct_import", string="Direct Import")
    # a backorder is another voyage: its containers and seal are its own
    amazon_vendor_import_containers = fields.Char(
        string="Containers", size=IMPORT_CONTAINERS_MAX, copy=False,
        help="Types and numbers of the containers, comma-separated (e.g. 40HC MSCU1234565); "
             "empty: what Amazon's purchase order says.")
    amazon_vendor_seal_number = fields.Char(string="Seal Number", copy=False)
    amazon_vendor_handling = fields.Selection(HANDLING, string="Handling Instructions",
                                              copy=False)
    amazon_vendor_estimated_delivery = fields.Datetime(string="Estimated Delivery")
    amazon_vendor_asn_document_id = fields.Many2one("amazon.vendor.document", string="ASN",
                                                    readonly=True, copy=False)
    amazon_vendor_asn_state = fields.Selection(related="amazon_vendor_asn_document_id.state",
                                               string="ASN Status")
    amazon_vendor_asn_ever_accepted = fields.Boolean(
        related="amazon_vendor_asn_document_id.ever_accepted", string="ASN Accepted Once")
    amazon_vendor_asn_issues = fields.Text(string="ASN Checks", readonly=True, copy=False)
    amazon_vendor_asn_deadline = fields.Datetime(
        string="ASN Due", compute="_compute_amazon_vendor_asn_deadline", store=True)
    amazon_vendor_asn_late_alerted = fields.Boolean(readonly=True, copy=False)
    amazon_vendor_transport_document_id = fields.Many2one(
        "amazon.vendor.document", string="Transport Request", readonly=True, copy=False)
    amazon_vendor_freight_terms = fields.Selection(
        related="amazon_vendor_account_id.freight_terms")

    @api.depends("sale_id.amazon_vendor_import_details")
    def _compute_amazon_vendor_direct_import(self):
        for picking in self:
            picking.amazon_vendor_direct_import = bool(
                picking.sale_id.amazon_vendor_import_details)

    def _amazon_vendor_import_details(self, orders):
        """The ImportDetails of a direct import's ASN (None for any other, and for a
        shipment that is not all direct imports: the model's "only if this shipment is a
        direct import"): Amazon's method of payment and, unless the delivery names its own,
        containers from the order."""
        imports = orders.filtered("amazon_vendor_import_details")
        if not orders or imports != orders:
            return None
        try:
            details = json.loads(imports[0].amazon_vendor_import_details)
        except ValueError:
            details = {}
        details = details if isinstance(details, dict) else {}
        return ImportDetails(
            method_of_payment=str(details.get("methodOfPayment") or ""),
            containers=self.amazon_vendor_import_containers
            or str(details.get("importContainers") or ""),
            seal_number=self.amazon_vendor_seal_number or "",
            handling=self.amazon_vendor_handling or "")

    @api.depends("date_done", "amazon_vendor_pickup_at", "amazon_vendor_account_id")
    def _compute_amazon_vendor_asn_deadline(self):
        for picking in self:
            deadlines = []
            if picking.date_done:
                deadlines.append(picking.date_done + AFTER_DEPARTURE)
            if picking.amazon_vendor_pickup_at:
                deadlines.append(picking.amazon_vendor_pickup_at - BEFORE_APPOINTMENT)
            picking.amazon_vendor_asn_deadline = picking.amazon_vendor_account_id and deadlines \
                and min(deadlines)

    # -- building ---------------------------------------------------------------------------
    @staticmethod
    def _amazon_vendor_party(partner, party_id):
        return Party(party_id=party_id or "", name=partner.name or "",
                     street=partner.street or "", street2=partner.street2 or "",
                     city=partner.city or "", state_code=partner.state_id.code or "",
                     zip=partner.zip or "", country_code=partner.country_id.code or "")

    def _amazon_vendor_identifier(self):
        return re.sub(r"[^A-Za-z0-9]", "", self[:1].name or "")[:50]

    # Odoo stores weights in kg or lb, and package dimensions in mm or ft, as the Inventory
    # settings say; Amazon is sent kg and cm (metres), whatever they are.
    @api.model
    def _amazon_vendor_kilograms(self, weight):
        """A weight as Odoo stores it -> Decimal kg (None when not given)."""
        if not weight:
            return None
        unit = self.env["product.template"]._get_weight_uom_id_from_ir_config_parameter()
        kilogram = self.env.ref("uom.product_uom_kgm")
        if unit == kilogram:
            return Decimal(str(weight))
        return Decimal(str(unit._compute_quantity(weight, kilogram, round=False))).quantize(
            Decimal("0.001"))

    @api.model
    def _amazon_vendor_centimetres(self, length):
        """A package type's dimension as Odoo stores it -> Decimal cm (None when not given)."""
        if not length:
            return None
        unit = self.env["product.template"]._get_length_uom_id_from_ir_config_parameter()
        if unit == self.env.ref("uom.product_uom_millimeter"):
            return Decimal(str(length)) / 10
        return Decimal(str(unit._compute_quantity(
            length, self.env.ref("uom.product_uom_cm"), round=False))).quantize(Decimal("0.01"))

    def _amazon_vendor_shipment(self, transaction_type="Original"):
        """These done pickings (one truck, one FC) as the neutral Shipment."""
        first = self[:1]
        orders = self.sale_id
        account = first.amazon_vendor_account_id
        if len(self.partner_id) > 1 or len(account) != 1:
            raise UserError(_("One ASN covers deliveries of one Amazon account to one "
                              "fulfilment centre."))
        move_lines = self.move_line_ids.filtered(lambda ml: ml.picked or ml.quantity)
        packages = move_lines.result_package_id
        packages._amazon_vendor_ensure_sscc(first.company_id)
        pallets = packages.amazon_vendor_pallet_id | packages.filtered("amazon_vendor_is_pallet")
        pallets._amazon_vendor_ensure_sscc(first.company_id)

        def shipped_line(ml):
            sale_line = ml.move_id.sale_line_id
            lot = ml.lot_id
            expiry = getattr(lot, "expiration_date", False)
            return ShippedLine(
                po_number=sale_line.order_id.amazon_vendor_po_number,
                item_sequence=sale_line.amazon_vendor_item_sequence,
                asin=sale_line.amazon_vendor_asin or "",
                vendor_sku=sale_line.amazon_vendor_vendor_sku or "",
                quantity_eaches=int(ml.product_uom_id._compute_quantity(
                    ml.quantity, ml.product_id.uom_id)),
                unit_of_measure=sale_line.amazon_vendor_uom or "Eaches",
                unit_size=sale_line.amazon_vendor_unit_size or 1,
                lot=lot.name or "", expiry=expiry.date() if expiry else None)

        kilograms, centimetres = self._amazon_vendor_kilograms, self._amazon_vendor_centimetres

        def weight(package):
            """Gross weight in Odoo's unit: the weighed weight, else the package type plus its
            contents."""
            if package.shipping_weight:
                return package.shipping_weight
            inside = move_lines.filtered(lambda ml: ml.result_package_id == package)
            return package.package_type_id.base_weight + sum(
                ml.product_id.weight * ml.quantity for ml in inside)

        def carton(package):
            lines = tuple(shipped_line(ml) for ml in move_lines
                          if ml.result_package_id == package)
            ptype = package.package_type_id
            return Carton(package.amazon_vendor_sscc, lines, kilograms(weight(package)),
                          centimetres(ptype.packaging_length), centimetres(ptype.width),
                          centimetres(ptype.height),
                          tracking_number=package.amazon_vendor_tracking_ref or "")

        cartons = packages.filtered(lambda p: not p.amazon_vendor_is_pallet)
        loose = tuple(carton(p) for p in cartons.filtered(lambda p: not p.amazon_vendor_pallet_id))
        pallet_values = []
        for pallet in pallets:
            on_it = cartons.filtered(lambda p, pl=pallet: p.amazon_vendor_pallet_id == pl)
            ptype = pallet.package_type_id
            stacked = tuple(shipped_line(ml) for ml in move_lines
                            if ml.result_package_id == pallet)
            gross = pallet.shipping_weight or (weight(pallet) + sum(weight(p) for p in on_it))
            pallet_values.append(Pallet(
                pallet.amazon_vendor_sscc, tuple(carton(p) for p in on_it),
                kilograms(gross), centimetres(ptype.packaging_length),
                centimetres(ptype.width), centimetres(ptype.height), lines=stacked))
        totals = {}
        for ml in move_lines:
            line = shipped_line(ml)
            key = (line.po_number, line.item_sequence, line.lot, line.expiry)
            if key in totals:
                line = dataclasses.replace(totals[key], quantity_eaches=totals[key]
                                           .quantity_eaches + line.quantity_eaches)
            totals[key] = line
        warehouse = first.picking_type_id.warehouse_id.partner_id or first.company_id.partner_id
        vendor_code = orders[:1]._amazon_vendor_selling_code() or account.party_ids[:1].code \
            or ""
        imports = first._amazon_vendor_import_details(orders)
        return Shipment(
            identifier=first._amazon_vendor_identifier(), transaction_type=transaction_type,
            shipment_type=first.amazon_vendor_shipment_type or account.default_shipment_type,
            ship_from=self._amazon_vendor_party(warehouse, vendor_code),
            ship_to=self._amazon_vendor_party(first.partner_id,
                                              orders[:1].amazon_vendor_ship_to_code),
            selling_party_id=vendor_code,
            shipped_at=max(self.mapped("date_done")) or fields.Datetime.now(),
            estimated_delivery=first.amazon_vendor_estimated_delivery or None,
            carrier_scac=first.amazon_vendor_carrier_scac or account.default_carrier_scac or "",
            pro_number=first.amazon_vendor_pro_number or "",
            bill_of_lading=first.amazon_vendor_bol_number or "",
            arn=first.amazon_vendor_arn or "",
            tracking_numbers=tuple(t.strip() for t in (first.amazon_vendor_tracking or "")
                                   .split(",") if t.strip()),
            loose_cartons=loose, pallets=tuple(pallet_values),
            shipped_lines=tuple(totals.values()),
            transportation_mode=first.amazon_vendor_transportation_mode
            or ("Ocean" if imports else "Road"),
            import_details=imports)

    def _amazon_vendor_acknowledged(self):
        """What may still ship per (PO, item): acknowledged minus shipped by other deliveries."""
        this = {}
        for move in self.move_ids.filtered(lambda m: m.state == "done" and m.sale_line_id):
            this[move.sale_line_id] = this.get(move.sale_line_id, 0) + move.product_qty
        remaining = {}
        for sale_line in self.sale_id.order_line.filtered("amazon_vendor_item_sequence"):
            if sale_line.order_id.amazon_vendor_ack_state not in ("sent", "accepted"):
                continue  # never acknowledged: the check reports it
            acknowledged = sale_line.amazon_vendor_accepted_qty \
                + sale_line.amazon_vendor_backordered_qty
            elsewhere = sale_line.qty_delivered - this.get(sale_line, 0)
            remaining[(sale_line.order_id.amazon_vendor_po_number,
                       sale_line.amazon_vendor_item_sequence)] = int(acknowledged - elsewhere)
        return remaining

    # -- sending ----------------------------------------------------------------------------
    def _amazon_vendor_queue_asn(self, transaction_type="Original"):
        """Check and build the ASN of these pickings and put it in the ledger."""
        first = self[:1]
        try:
            shipment = self._amazon_vendor_shipment(transaction_type)
            body = build_shipment_confirmation(shipment, self._amazon_vendor_acknowledged(),
                                               fields.Datetime.now())
        except (ShipmentError, UserError, ValidationError) as exc:
            # Never block the warehouse: the problem is shown on the delivery instead.
            problems = getattr(exc, "problems", None) or [str(exc.args[0] if exc.args else exc)]
            self.amazon_vendor_asn_issues = "\n".join(problems)
            first.amazon_vendor_account_id._amazon_vendor_todo(
                first, _("ASN not sent: fix the delivery"), problems)
            return False
        self.amazon_vendor_asn_issues = False
        doc = self.env["amazon.vendor.document"]._queue_outbound(
            first.amazon_vendor_account_id, "shipment_confirmation", shipment.identifier, first,
            body)
        self.amazon_vendor_asn_document_id = doc
        return doc

    def action_amazon_vendor_send_asn(self):
        """Send one ASN for the selected deliveries (one truck to one fulfilment centre)."""
        pickings = self.filtered(lambda p: p.amazon_vendor_account_id and p.state == "done")
        if not pickings:
            raise UserError(_("Only validated deliveries of Amazon orders have an ASN."))
        previous = pickings.amazon_vendor_asn_document_id
        if len(previous) > 1:
            raise UserError(_("These deliveries belong to different ASNs (%s): send them one "
                              "ASN at a time.", ", ".join(previous.mapped("display_name"))))
        if previous.state in ("sending", "unknown"):
            raise UserError(_("Amazon may already have ASN %s: its outcome is being checked. "
                              "Send a correction once Amazon's answer is known.",
                              previous.display_name))
        if previous.state == "sent":
            raise UserError(_("Amazon has not answered ASN %s yet: send a correction once it "
                              "is accepted or refused.", previous.display_name))
        # A Replace corrects a shipment Amazon accepted once; a refused Original was never
        # registered, so the corrected ASN is an Original again.
        replace = bool(previous.ever_accepted)
        doc = pickings._amazon_vendor_queue_asn("Replace" if replace else "Original")
        if doc:
            doc._send_to_amazon()
        return True

    def _action_done(self):
        result = super()._action_done()
        for picking in self.filtered(lambda p: p.amazon_vendor_account_id
                                     and p.picking_type_code == "outgoing"
                                     and p.amazon_vendor_account_id.asn_trigger == "validation"):
            picking._amazon_vendor_queue_asn()
        return result

    @api.model
    def _cron_amazon_vendor_asn_timing(self):
        """Queue ASNs due before pickup, and alert on ASNs not accepted in time."""
        now = fields.Datetime.now()
        due = self.search([("amazon_vendor_account_id.asn_trigger", "=", "before_pickup"),
                           ("state", "=", "done"), ("amazon_vendor_asn_document_id", "=", False),
                           ("amazon_vendor_asn_issues", "=", False),
                           ("amazon_vendor_pickup_at", "!=", False)])
        for picking in due.filtered(lambda p: p.amazon_vendor_pickup_at - datetime.timedelta(
                hours=p.amazon_vendor_account_id.asn_hours_before_pickup) <= now):
            picking._amazon_vendor_queue_asn()
        for picking in self._amazon_vendor_late_asns(now):
            picking._amazon_vendor_alert_late_asn()

    @api.model
    def _amazon_vendor_late_asn_domain(self, now):
        """Deliveries whose ASN is late now: not submitted by its deadline, or refused.

        An ASN submitted in time is not late while Amazon leaves it Processing (no answer yet);
        once Amazon accepted a version, a refused correction does not make it late either.
        """
        return [("amazon_vendor_account_id", "!=", False), ("state", "=", "done"),
                ("amazon_vendor_asn_deadline", "<", now),
                "|", ("amazon_vendor_asn_document_id", "=", False),
                "&", ("amazon_vendor_asn_document_id.ever_accepted", "=", False),
                "|", ("amazon_vendor_asn_document_id.sent_at", "=", False),
                # refused, or queued again / cancelled after a refusal: not at Amazon
                ("amazon_vendor_asn_document_id.state", "in", ("failed", "to_send", "cancelled"))]

    @api.model
    def _amazon_vendor_late_asns(self, now):
        """Deliveries to alert about (once): late by the domain, or submitted after their
        deadline (a comparison of two dates, checked on the recent deadlines only)."""
        late = self.search(self._amazon_vendor_late_asn_domain(now)
                           + [("amazon_vendor_asn_late_alerted", "=", False)])
        submitted = self.search([
            ("amazon_vendor_account_id", "!=", False), ("state", "=", "done"),
            ("amazon_vendor_asn_late_alerted", "=", False),
            ("amazon_vendor_asn_deadline", "<", now),
            ("amazon_vendor_asn_deadline", ">=", now - LATE_SUBMISSION_LOOKBACK),
            ("amazon_vendor_asn_document_id.sent_at", "!=", False),
            ("amazon_vendor_asn_document_id.ever_accepted", "=", False)])
        return late | submitted.filtered(
            lambda p: p.amazon_vendor_asn_document_id.sent_at > p.amazon_vendor_asn_deadline)

    def _amazon_vendor_alert_late_asn(self):
        self.ensure_one()
        self.amazon_vendor_asn_late_alerted = True
        message = _("The ASN of %(picking)s was due at %(due)s and Amazon has not accepted it: "
                    "late or missing ASNs cause chargebacks.", picking=self.name,
                    due=fields.Datetime.to_string(self.amazon_vendor_asn_deadline))
        self.amazon_vendor_account_id._amazon_vendor_notify(
            self, _("Late ASN: %s", self.name), message, warning=True, alert_type="asn_late")

    def action_amazon_vendor_request_transport(self):
        """Collect/WePay: ask Amazon to send its carrier for these packed goods."""
        self.ensure_one()
        if self.amazon_vendor_account_id.freight_terms != "collect":
            raise UserError(_("Only Collect/WePay accounts request transport from Amazon."))
        shipment = self._amazon_vendor_shipment()
        po_dates = {o.amazon_vendor_po_number: o.amazon_vendor_po_date for o in self.sale_id}
        try:
            body = build_transport_request(shipment, po_dates, self.amazon_vendor_pickup_at,
                                           fields.Datetime.now())
        except ShipmentError as exc:
            raise UserError("\n".join(exc.problems)) from None
        doc = self.env["amazon.vendor.document"]._queue_outbound(
            self.amazon_vendor_account_id, "transport_request", shipment.identifier, self, body)
        self.amazon_vendor_transport_document_id = doc
        doc._send_to_amazon()
        return True

    def _amazon_vendor_read_transport(self):
        """Amazon's answer to a transport request: its reference (ARN) and carrier labels."""
        identifier = self._amazon_vendor_identifier()
        with self.amazon_vendor_account_id._amazon_vendor_api() as api:
            shipments = api.get_shipment_details(
                vendorShipmentIdentifier=identifier).get("shipments") or []
            labels = api.get_shipment_labels(
                vendorShipmentIdentifier=identifier).get("transportLabels") or []
        if shipments:
            self.amazon_vendor_arn = shipments[0].get("buyerReferenceNumber")
        attachments = []
        for label in labels:
            # Amazon's carrier reference for the whole shipment is the PRO the ASN quotes.
            master = (label.get("shipmentInformation") or {}).get("masterTrackingId")
            if master and not self.amazon_vendor_pro_number:
                self.amazon_vendor_pro_number = master
            for data in label.get("labelData") or []:
                self.amazon_vendor_carrier_scac = self.amazon_vendor_carrier_scac \
                    or data.get("carrierCode")
                fmt = (data.get("labelFormat") or "PDF").lower()
                attachments.append({
                    "name": f"{identifier}-carrier-label-{data.get('labelSequenceNumber')}.{fmt}",
                    "datas": data.get("label"), "res_model": self._name, "res_id": self.id})
        trackings = [d.get("trackingId") for label in labels
                     for d in label.get("labelData") or [] if d.get("trackingId")]
        if trackings:
            self.amazon_vendor_tracking = ", ".join(trackings)
        self.env["ir.attachment"].create(attachments)
        self.message_post(body=_("Amazon assigned reference (ARN) %(arn)s and sent %(count)s "
                                 "carrier label(s).", arn=self.amazon_vendor_arn or "-",
                                 count=len(attachments)))

    def _amazon_vendor_document_settled(self, document):
        if document.kind == "transport_request":
            if document.state == "accepted":
                self._amazon_vendor_read_transport()
            elif document.state == "failed":
                self.message_post(body=_("Amazon refused the transport request: %s",
                                         document.error_message))
            return
        if document.state == "failed":
            if document.ever_accepted:
                message = _("Amazon refused the corrected ASN: %s. Its previous version stays "
                            "valid; correct the delivery and send it again (as a Replace).",
                            document.error_message)
            else:
                message = _("Amazon refused the ASN: %s. Amazon did not register it: correct "
                            "the delivery and send it again (as an Original).",
                            document.error_message)
            self.message_post(body=message)
        elif document.state == "accepted":
            self.message_post(body=_("Amazon accepted the ASN %s.", document.external_id))

    # -- labels -----------------------------------------------------------------------------
    def action_amazon_vendor_zpl_labels(self):
        """Carton labels of these deliveries as ZPL for thermal printers."""
        labels = []
        for picking in self.filtered(lambda p: p.state == "done" and p.amazon_vendor_account_id):
            labels += labels_for_shipment(picking._amazon_vendor_shipment())
        if not labels:
            raise UserError(_("No packed carton to label: put the goods in packages first."))
        attachment = self.env["ir.attachment"].create({
            "name": f"{self[:1]._amazon_vendor_identifier()}-labels.zpl",
            "raw": zpl_many(labels).encode(), "mimetype": "text/plain",
            "res_model": self._name, "res_id": self[:1].id})
        return {"type": "ir.actions.act_url", "target": "self",
                "url": f"/web/content/{attachment.id}?download=true"}

    def _amazon_vendor_label_values(self):
        """Per package of these pickings: the data the 4x6 PDF label shows."""
        result = []
        for picking in self:
            shipment = picking._amazon_vendor_shipment()
            by_sscc = {p.amazon_vendor_sscc: p for p in picking.move_line_ids.result_package_id
                       | picking.move_line_ids.result_package_id.amazon_vendor_pallet_id}
            for label in labels_for_shipment(shipment):
                result.append({"label": label, "package": by_sscc.get(label.sscc)})
        return result
