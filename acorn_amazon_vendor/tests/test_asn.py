import datetime
import io
from decimal import Decimal

import PyPDF2

from odoo.tests import HttpCase, freeze_time, tagged

from ..lib import amazon_schema
from ..lib.mapping.shipment import _measures
from ..lib.mapping.sscc import is_valid_sscc
from .common_po import PurchaseOrderCase


class ShipmentCase(PurchaseOrderCase):
    """A GS1 prefix, a carton type, and helpers to confirm, pack and validate deliveries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"amazon_vendor_gs1_prefix": "0614141",
                               "amazon_vendor_sscc_extension": 0})
        cls.box = cls.env["stock.package.type"].create({
            "name": "Carton 40x30x30", "packaging_length": 400, "width": 300, "height": 300,
            "base_weight": 0.5})
        cls.account.write({"default_carrier_scac": "UPSN", "alert_emails": "ops@example.com"})

    def _confirmed(self, number, items, **po_options):
        for item, amount, _unit, _size in items:
            self._stock(self.products[item["vendor_sku"]], amount * 10)
        self._po(number, items, **po_options)
        order = self._import().filtered(lambda o: o.client_order_ref == number)
        order.action_amazon_vendor_propose()
        order.action_confirm()
        return order

    def _pack_and_validate(self, picking, cartons, quantities=None):
        """``cartons``: lists of products, one list per carton (None: no packing)."""
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = (quantities or {}).get(move.product_id, move.product_uom_qty)
            move.picked = True
        packages = self.env["stock.quant.package"]
        for products in cartons or []:
            lines = picking.move_line_ids.filtered(
                lambda ml, p=products: ml.product_id in p and not ml.result_package_id)
            package = picking._put_in_pack(lines)
            package.write({"package_type_id": self.box.id, "shipping_weight": 7.5,
                           "amazon_vendor_tracking_ref": f"1Z999AA1{package.id:08d}"})
            packages |= package
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
            self.env[result["res_model"]].with_context(**result["context"]).create({}).process()
        self.assertEqual(picking.state, "done")
        return packages

    def _settle(self, doc):
        self.simulator_control("transactions/settle")
        doc._poll_amazon_status()



@tagged("post_install", "-at_install")
class TestShipmentConfirmations(ShipmentCase):
    def test_packed_delivery_produces_an_accepted_asn(self):
        first, second = self._item(0), self._item(2)
        order = self._confirmed("PO000001", [(first, 6, "Eaches", 1), (second, 4, "Eaches", 1)])
        picking = order.picking_ids
        product_a = self.products[first["vendor_sku"]]
        product_b = self.products[second["vendor_sku"]]
        cartons = self._pack_and_validate(picking, [[product_a], [product_b]])
        self.assertTrue(all(is_valid_sscc(p.amazon_vendor_sscc) for p in cartons))
        self.assertTrue(cartons[0].amazon_vendor_sscc.startswith("00614141"))
        doc = picking.amazon_vendor_asn_document_id
        self.assertTrue(doc, picking.amazon_vendor_asn_issues)
        self.assertEqual((doc.kind, doc.state), ("shipment_confirmation", "to_send"))
        body = doc._get_payload("payload_out")
        self.assertFalse(amazon_schema.validate("vendor_shipments_v1",
                                                "SubmitShipmentConfirmationsRequest", body))
        asn = body["shipmentConfirmations"][0]
        self.assertEqual(asn["shipmentConfirmationType"], "Original")
        self.assertEqual(asn["shipToParty"]["partyId"], "ABE2")
        self.assertEqual(sorted(i["shippedQuantity"]["amount"] for i in asn["shippedItems"]),
                         [4, 6])
        self.assertEqual({c["cartonIdentifiers"][0]["containerIdentificationNumber"]
                          for c in asn["cartons"]}, set(cartons.mapped("amazon_vendor_sscc")))
        doc._send_to_amazon()
        self.assertEqual(doc.state, "sent", doc.error_message)
        self._settle(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)
        self.assertIn("Amazon accepted the ASN", picking.message_ids[0].body)

    def test_a_direct_import_says_its_containers_seal_and_payment(self):
        """A direct import (Amazon's order carries importDetails): the ASN says Amazon's
        method of payment, the containers (the delivery's, else the order's) and the seal,
        travels by ocean unless said otherwise; Amazon accepts it. Other orders say none."""
        item = self._item(0)
        voyage = {"methodOfPayment": "PaidByBuyer", "internationalCommercialTerms":
                  "FreeOnBoard", "portOfDelivery": "YANTIAN, CN", "importContainers": "1-40'HC"}
        order = self._confirmed("PO0000DI", [(item, 6, "Eaches", 1)], import_details=voyage)
        picking = order.picking_ids
        self.assertTrue(picking.amazon_vendor_direct_import)
        picking.write({"amazon_vendor_import_containers": "40HC MSCU1234565",
                       "amazon_vendor_seal_number": "SEAL778899",
                       "amazon_vendor_handling": "Fragile"})
        self._pack_and_validate(picking, [[self.products[item["vendor_sku"]]]])
        doc = picking.amazon_vendor_asn_document_id
        self.assertTrue(doc, picking.amazon_vendor_asn_issues)
        asn = doc._get_payload("payload_out")["shipmentConfirmations"][0]
        self.assertEqual(asn["importDetails"], {
            "methodOfPayment": "PaidByBuyer", "sealNumber": "SEAL778899",
            "importContainers": "40HC MSCU1234565", "handlingInstructions": "Fragile"})
        self.assertEqual(asn["transportationDetails"]["transportationMode"], "Ocean")
        doc._send_to_amazon()
        self._settle(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)
        # the delivery names no container: the order's; a plain order: no importDetails
        plain = self._confirmed("PO0000PL", [(item, 2, "Eaches", 1)])
        self.assertFalse(plain.picking_ids.amazon_vendor_direct_import)
        self._pack_and_validate(plain.picking_ids, [[self.products[item["vendor_sku"]]]])
        plain_asn = plain.picking_ids.amazon_vendor_asn_document_id._get_payload(
            "payload_out")["shipmentConfirmations"][0]
        self.assertNotIn("importDetails", plain_asn)
        self.assertEqual(plain_asn["transportationDetails"]["transportationMode"], "Road")
        second = self._confirmed("PO0000D2", [(item, 2, "Eaches", 1)], import_details=voyage)
        self._pack_and_validate(second.picking_ids, [[self.products[item["vendor_sku"]]]])
        second_asn = second.picking_ids.amazon_vendor_asn_document_id._get_payload(
            "payload_out")["shipmentConfirmations"][0]
        self.assertEqual(second_asn["importDetails"], {"methodOfPayment": "PaidByBuyer",
                                                       "importContainers": "1-40'HC"})
        # one truck of a direct import and another order: not a direct import's shipment
        both = plain.picking_ids | second.picking_ids
        self.assertIsNone(both._amazon_vendor_shipment().import_details)
        self.assertIsNotNone(second.picking_ids._amazon_vendor_shipment().import_details)

    def test_partial_delivery_then_backorder_each_get_their_asn(self):
        item = self._item(0)
        product = self.products[item["vendor_sku"]]
        order = self._confirmed("PO000001", [(item, 10, "Eaches", 1)])
        first = order.picking_ids
        self._pack_and_validate(first, [[product]], quantities={product: 4})
        backorder = order.picking_ids - first
        self.assertTrue(backorder)
        first_doc = first.amazon_vendor_asn_document_id
        first_doc._send_to_amazon()
        self._settle(first_doc)
        self.assertEqual(first_doc.state, "accepted", first_doc.error_message)
        self._pack_and_validate(backorder, [[product]])
        second_doc = backorder.amazon_vendor_asn_document_id
        shipped = second_doc._get_payload("payload_out")["shipmentConfirmations"][0][
            "shippedItems"][0]["shippedQuantity"]["amount"]
        self.assertEqual(shipped, 6, "the ASN reports what this delivery really shipped")
        second_doc._send_to_amazon()
        self._settle(second_doc)
        self.assertEqual(second_doc.state, "accepted", second_doc.error_message)

    def test_pounds_and_feet_are_sent_as_kilograms_and_metres(self):
        """Odoo stores weights in lb and package dimensions in ft when the Inventory settings
        say so (common in the US); Amazon must still get what was weighed and measured."""
        order = self._confirmed("PO000009", [(self._item(0), 6, "Eaches", 1)])
        picking = order.picking_ids
        self._pack_and_validate(picking, [order.order_line.product_id])
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("product.weight_in_lbs", "1")
        params.set_param("product.volume_in_cubic_feet", "1")
        self.box.write({"packaging_length": 2, "width": 1.5, "height": 1})  # feet
        picking.move_line_ids.result_package_id.shipping_weight = 10  # pounds
        carton = picking._amazon_vendor_shipment().loose_cartons[0]
        self.assertEqual(carton.weight_kg, Decimal("4.536"))
        self.assertEqual((carton.length_cm, carton.width_cm, carton.height_cm),
                         (Decimal("60.96"), Decimal("45.72"), Decimal("30.48")))
        sent = _measures(carton)
        self.assertEqual(sent["weight"], {"unitOfMeasure": "Kg", "value": "4.536"})
        self.assertEqual(sent["dimensions"]["length"], "0.6096")
        # the defaults (kg, mm) are read as they are
        params.set_param("product.weight_in_lbs", "0")
        params.set_param("product.volume_in_cubic_feet", "0")
        self.box.packaging_length = 400
        carton = picking._amazon_vendor_shipment().loose_cartons[0]
        self.assertEqual((carton.weight_kg, carton.length_cm), (Decimal("10"), Decimal("40")))

    def test_palletized_shipment_and_replace(self):
        item = self._item(0)
        self.account.default_shipment_type = "LessThanTruckLoad"
        order = self._confirmed("PO000001", [(item, 12, "Eaches", 1)])
        picking = order.picking_ids
        picking.write({"amazon_vendor_bol_number": "BOL778899",
                       "amazon_vendor_pro_number": "PRO12345"})
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity, move.picked = 12, True
        line = picking.move_line_ids
        part = line.copy({"quantity": 6})
        line.quantity = 6
        cartons = picking._put_in_pack(line) | picking._put_in_pack(part)
        pallet = self.env["stock.quant.package"].create({"name": "PAL1",
                                                         "amazon_vendor_is_pallet": True})
        cartons.write({"amazon_vendor_pallet_id": pallet.id, "package_type_id": self.box.id,
                       "shipping_weight": 8})
        picking.with_context(skip_backorder=True).button_validate()
        doc = picking.amazon_vendor_asn_document_id
        self.assertTrue(doc, picking.amazon_vendor_asn_issues)
        asn = doc._get_payload("payload_out")["shipmentConfirmations"][0]
        self.assertTrue(asn["shipmentStructure"].startswith("Palletized"))
        self.assertEqual(len(asn["pallets"]), 1)
        self.assertTrue(is_valid_sscc(pallet.amazon_vendor_sscc))
        doc._send_to_amazon()
        self._settle(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)
        picking.amazon_vendor_pro_number = "PRO99999"
        picking.action_amazon_vendor_send_asn()
        replace = doc._get_payload("payload_out")["shipmentConfirmations"][0]
        self.assertEqual(replace["shipmentConfirmationType"], "Replace")
        self.assertEqual(replace["shipmentIdentifier"], asn["shipmentIdentifier"])
        self._settle(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)

    def test_several_purchase_orders_in_one_shipment(self):
        self.account.asn_trigger = "before_pickup"
        one = self._confirmed("PO000001", [(self._item(0), 3, "Eaches", 1)])
        two = self._confirmed("PO000002", [(self._item(2), 5, "Eaches", 1)])
        for order in one | two:
            self._pack_and_validate(order.picking_ids,
                                    [order.order_line.product_id])
        pickings = (one | two).picking_ids
        self.assertFalse(pickings.amazon_vendor_asn_document_id, "queued only before pickup")
        pickings.action_amazon_vendor_send_asn()
        doc = pickings.amazon_vendor_asn_document_id
        self.assertEqual(len(doc), 1)
        items = doc._get_payload("payload_out")["shipmentConfirmations"][0]["shippedItems"]
        self.assertEqual({i["itemDetails"]["purchaseOrderNumber"] for i in items},
                         {"PO000001", "PO000002"})
        self._settle(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)

    def test_collect_account_requests_transport_then_quotes_the_arn(self):
        self.account.write({"freight_terms": "collect", "asn_trigger": "before_pickup",
                            "default_shipment_type": "LessThanTruckLoad"})
        item = self._item(0)
        order = self._confirmed("PO000001", [(item, 6, "Eaches", 1)])
        picking = order.picking_ids
        picking.write({"amazon_vendor_pickup_at": datetime.datetime.now()
                       + datetime.timedelta(days=1),
                       "amazon_vendor_bol_number": "BOL12345678"})
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity, move.picked = move.product_uom_qty, True
        picking._put_in_pack(picking.move_line_ids).package_type_id = self.box
        picking.action_amazon_vendor_request_transport()
        request = picking.amazon_vendor_transport_document_id
        self.assertEqual((request.kind, request.state), ("transport_request", "sent"),
                         request.error_message)
        body = request._get_payload("payload_out")["shipments"][0]
        self.assertEqual(body["shipmentFreightTerm"], "Collect")
        self._settle(request)
        self.assertEqual(request.state, "accepted", request.error_message)
        self.assertTrue(picking.amazon_vendor_arn and picking.amazon_vendor_arn.isdigit())
        labels = self.env["ir.attachment"].search([("res_model", "=", "stock.picking"),
                                                   ("res_id", "=", picking.id),
                                                   ("name", "like", "carrier-label")])
        self.assertTrue(labels)
        self.assertTrue(picking.amazon_vendor_tracking)
        picking.button_validate()
        picking.action_amazon_vendor_send_asn()
        asn = picking.amazon_vendor_asn_document_id
        self.assertTrue(asn, picking.amazon_vendor_asn_issues)
        sent = asn._get_payload("payload_out")["shipmentConfirmations"][0]
        self.assertEqual(sent["amazonReferenceNumber"], picking.amazon_vendor_arn)
        self._settle(asn)
        self.assertEqual(asn.state, "accepted", asn.error_message)

    def test_blocking_checks_in_plain_words(self):
        self.account.write({"default_shipment_type": "TruckLoad", "default_carrier_scac": False})
        order = self._confirmed("PO000001", [(self._item(0), 3, "Eaches", 1)])
        self._pack_and_validate(order.picking_ids, [[order.order_line.product_id]])
        picking = order.picking_ids
        self.assertFalse(picking.amazon_vendor_asn_document_id)
        self.assertIn("SCAC", picking.amazon_vendor_asn_issues)
        self.assertIn("bill of lading", picking.amazon_vendor_asn_issues.lower())
        self.assertTrue(picking.activity_ids)

    def test_unacknowledged_order_is_refused(self):
        order = self._confirmed("PO000001", [(self._item(0), 3, "Eaches", 1)])
        order.amazon_vendor_ack_state = "to_acknowledge"
        self._pack_and_validate(order.picking_ids, [[order.order_line.product_id]])
        self.assertIn("acknowledged", order.picking_ids.amazon_vendor_asn_issues)

    def test_late_asn_alert(self):
        self.account.write({"asn_trigger": "before_pickup", "asn_hours_before_pickup": 2})
        order = self._confirmed("PO000001", [(self._item(0), 3, "Eaches", 1)])
        picking = order.picking_ids
        picking.amazon_vendor_pickup_at = datetime.datetime.now() + datetime.timedelta(days=3)
        self._pack_and_validate(picking, [[order.order_line.product_id]])
        self.assertEqual(picking.amazon_vendor_asn_deadline,
                         picking.date_done + datetime.timedelta(minutes=30))
        Picking = self.env["stock.picking"]
        Picking._cron_amazon_vendor_asn_timing()
        self.assertFalse(picking.activity_ids, "not late yet")
        with freeze_time(picking.date_done + datetime.timedelta(hours=1)):
            Picking._cron_amazon_vendor_asn_timing()
        self.assertTrue(picking.amazon_vendor_asn_late_alerted)
        self.assertIn("chargebacks", picking.activity_ids.note)
        mail = self.env["mail.mail"].search([("model", "=", "stock.picking"),
                                             ("res_id", "=", picking.id)])
        self.assertEqual(mail.email_to, "ops@example.com")
        with freeze_time(picking.amazon_vendor_pickup_at - datetime.timedelta(hours=1)):
            Picking._cron_amazon_vendor_asn_timing()
        self.assertEqual(picking.amazon_vendor_asn_document_id.state, "to_send",
                         "queued once the pickup is near")


@tagged("post_install", "-at_install")
class TestCartonLabels(HttpCase, ShipmentCase):
    """PDF rendering fetches assets from the HTTP server: only an HttpCase shares its cursor."""

    def test_labels_pdf_and_zpl(self):
        first, second = self._item(0), self._item(2)
        order = self._confirmed("PO000001", [(first, 6, "Eaches", 1), (second, 4, "Eaches", 1)])
        picking = order.picking_ids
        cartons = self._pack_and_validate(picking, [[self.products[first["vendor_sku"]]],
                                                    [self.products[second["vendor_sku"]]]])
        pdf, _kind = self.env["ir.actions.report"].with_context(
            force_report_rendering=True)._render_qweb_pdf(
            "acorn_amazon_vendor.action_report_carton_labels", picking.ids)
        reader = PyPDF2.PdfReader(io.BytesIO(pdf))
        self.assertEqual(len(reader.pages), 2, "one 4x6 page per carton")
        box = reader.pages[0].mediabox
        self.assertAlmostEqual(float(box.width) / 72, 4.0, delta=0.1)
        text = " ".join(reader.pages[0].extract_text().split())
        self.assertIn("PO000001", text)
        self.assertIn("(00) " + cartons[0].amazon_vendor_sscc, text)
        action = picking.action_amazon_vendor_zpl_labels()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0]))
        zpl = attachment.raw.decode()
        self.assertEqual(zpl.count("^XA"), 2)
        for carton in cartons:
            self.assertIn(">;>800" + carton.amazon_vendor_sscc, zpl)
        self.assertIn("PO000001", zpl)
