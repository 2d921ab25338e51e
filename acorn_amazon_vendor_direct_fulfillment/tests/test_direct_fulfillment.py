import base64
import datetime

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import tagged

from .common import DirectFulfillmentCase


@tagged("post_install", "-at_install")
class TestDirectFulfillment(DirectFulfillmentCase):

    def import_orders(self):
        return self.account._amazon_df_import()

    def test_import_creates_df_orders_and_acknowledges_them(self):
        numbers = self.new_df_orders(2)
        orders = self.import_orders()
        self.assertEqual(sorted(orders.mapped("amazon_df_number")), sorted(numbers))
        order = orders[0]
        self.assertTrue(order.amazon_df_order)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.partner_id, self.account.partner_id)
        self.assertEqual(order.partner_invoice_id, self.account.partner_id)
        shipping = order.partner_shipping_id
        sim = self.sim_order(order.amazon_df_number)
        self.assertEqual(shipping.zip, sim.customer["postalCode"])
        self.assertNotIn(sim.customer["name"], shipping.name)  # the name is personal data
        self.assertEqual(order.sudo().amazon_df_address_ids.name, sim.customer["name"])
        self.assertEqual(order.warehouse_id, self.warehouse)
        self.assertEqual(order.amazon_df_ship_by, sim.required_ship.replace(tzinfo=None))
        ledger = self.env["amazon.vendor.document"].search([
            ("kind", "=", "df_order"), ("external_id", "=", order.amazon_df_number)])
        self.assertEqual(ledger.direction, "in")
        self.assertNotIn("shipToParty", ledger._get_payload("payload_in")["orderDetails"])
        ack = order.amazon_df_ack_document_id
        self.assertEqual(ack.state, "sent")
        self.poll(ack)
        self.assertEqual(ack.state, "accepted")
        self.assertEqual(order.amazon_df_ack_state, "accepted")
        self.assertEqual(sim.status, "ACCEPTED")
        # A second import finds nothing new.
        self.assertFalse(self.import_orders())

    def test_unknown_product_waits_for_a_person(self):
        sku = self.usd_items[0]["vendor_sku"]
        self.products[sku].default_code = "OTHER"
        self.products[sku].amazon_vendor_asin = False
        self.new_df_orders(1, skus=[sku])
        order = self.import_orders()
        self.assertIn(sku, order.amazon_df_issues)
        self.assertEqual(order.amazon_df_ack_state, "to_decide")
        self.assertFalse(order.amazon_df_ack_document_id)
        with self.assertRaises(UserError):
            order.action_amazon_df_acknowledge()
        order.action_amazon_df_reject()
        ack = order.amazon_df_ack_document_id._get_payload("payload_out")
        self.assertEqual(ack["orderAcknowledgements"][0]["acknowledgementStatus"]["code"], "02")
        self.poll(order.amazon_df_ack_document_id)
        self.assertEqual(order.amazon_df_ack_state, "cancelled")
        self.assertEqual(self.sim_order(order.amazon_df_number).status, "CANCELLED")

    def test_a_product_mapped_after_the_import_lets_the_order_be_accepted(self):
        sku = self.usd_items[0]["vendor_sku"]
        product = self.products[sku]
        asin = product.amazon_vendor_asin
        product.write({"default_code": "OTHER", "amazon_vendor_asin": False})
        self.new_df_orders(1, skus=[sku])
        order = self.import_orders()
        self.assertIn(sku, order.amazon_df_issues)
        self.assertFalse(order.order_line)
        product.write({"default_code": sku, "amazon_vendor_asin": asin})  # mapped now
        self.stock()
        order.action_amazon_df_acknowledge()
        self.assertFalse(order.amazon_df_issues)
        self.assertFalse(order.amazon_df_unknown_sku)
        self.assertEqual(order.order_line.product_id, product)
        self.assertEqual(order.state, "sale")
        ack = order.amazon_df_ack_document_id._get_payload("payload_out")
        self.assertEqual(ack["orderAcknowledgements"][0]["acknowledgementStatus"]["code"], "00")

    def test_an_order_in_another_currency_than_the_pricelist_waits(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        pricelist = self.env["product.pricelist"].create({"name": "EUR", "currency_id": eur.id})
        self.account.pricelist_id = pricelist
        self.stock()
        self.new_df_orders(1)
        order = self.import_orders()
        self.assertIn("prices this order in USD", order.amazon_df_issues)
        with self.assertRaisesRegex(UserError, "prices this order in USD"):
            order.action_amazon_df_acknowledge()

    def test_package_weights_are_sent_in_kilograms(self):
        self.stock()
        self.new_df_orders(1)
        order = self.import_orders()
        picking = order.picking_ids
        picking.action_assign()
        self.env["ir.config_parameter"].sudo().set_param("product.weight_in_lbs", "1")
        picking.move_ids.product_id.write({"weight": 2.2})  # pounds
        packages = picking._amazon_df_packages(order._amazon_df_neutral())
        units = sum(picking.move_line_ids.mapped("quantity"))
        self.assertAlmostEqual(float(packages[0]["weight_kg"]), units * 2.2 * 0.45359237,
                               delta=0.01)

    def test_cancel_at_amazon_out_of_stock(self):
        self.account.df_auto_acknowledge = False
        self.new_df_orders(1)
        order = self.import_orders()
        self.assertFalse(order.amazon_df_unknown_sku)
        order.action_amazon_df_reject()
        ack = order.amazon_df_ack_document_id._get_payload("payload_out")
        self.assertEqual(ack["orderAcknowledgements"][0]["acknowledgementStatus"]["code"], "03")
        self.poll(order.amazon_df_ack_document_id)
        self.assertEqual(order.amazon_df_ack_state, "cancelled")
        self.assertEqual(order.state, "cancel")
        self.assertEqual(self.sim_order(order.amazon_df_number).status, "CANCELLED")

    def test_label_confirmation_invoice(self):
        self.stock()
        self.new_df_orders(1)
        order = self.import_orders()
        picking = order.picking_ids
        with self.assertRaises(UserError):  # label only after Amazon accepted the order
            picking.action_amazon_df_get_label()
        self.poll(order.amazon_df_ack_document_id)
        picking.action_amazon_df_get_label()
        labels = self.env["ir.attachment"].search([("res_model", "=", "stock.picking"),
                                                   ("res_id", "=", picking.id)])
        self.assertTrue(labels)
        zpl = labels.filtered(lambda a: a.name.endswith(".zpl"))
        self.assertTrue(zpl)  # ZPL from Amazon stays ZPL; the PDF setting only wraps PNG
        sim = self.sim_order(order.amazon_df_number)
        self.assertEqual(picking.amazon_df_tracking, sim.labels[0]["trackingNumber"])
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        doc = picking.amazon_df_confirmation_id
        self.assertEqual(doc.kind, "df_shipment_confirmation")
        body = doc._get_payload("payload_out")["shipmentConfirmations"][0]
        self.assertEqual(body["containers"][0]["trackingNumber"], sim.labels[0]["trackingNumber"])
        doc._send_to_amazon()
        self.poll(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)
        self.assertEqual(sim.status, "SHIPPED")
        self.assertEqual(order.amazon_df_status, "SHIPPED")
        invoice = order._create_invoices()
        invoice.action_post()
        inv_doc = invoice.amazon_df_document_id
        self.assertEqual(inv_doc.kind, "df_invoice")
        inv_doc._send_to_amazon()
        self.poll(inv_doc)
        self.assertEqual(inv_doc.state, "accepted", inv_doc.error_message)
        # Reset and posted again, the invoice number Amazon has is never sent twice
        invoice.button_draft()
        invoice.action_post()
        self.assertEqual((invoice.amazon_df_document_id, inv_doc.state), (inv_doc, "accepted"))
        self.assertIn("never sent twice", invoice.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "never sent twice"):
            invoice.action_amazon_df_send()

    def test_gift_wrap_is_charged_on_its_item_once_it_ships(self):
        self.stock()
        (plain,) = self.new_df_orders(1)
        self.sim_order(plain).gift = True
        order = self.import_orders()  # no gift wrap charge agreed: none
        self.assertEqual(len(order.order_line), len(self.sim_order(plain).items))
        wrap = self.env["product.product"].create({
            "name": "DF gift wrap", "type": "service", "invoice_policy": "delivery",
            "lst_price": 2.5, "taxes_id": False})
        self.account.df_gift_wrap_product_id = wrap
        (wrapped,) = self.new_df_orders(1)
        self.sim_order(wrapped).gift = True
        order = self.import_orders().filtered(lambda o: o.amazon_df_number == wrapped)
        gift = order.order_line.filtered(lambda ln: ln.product_id == wrap)
        item = self.sim_order(wrapped).items[0]  # the simulator wraps the first item
        self.assertEqual((gift.product_uom_qty, gift.price_unit, gift.amazon_df_gift_wrap_seq),
                         (item.quantity, 2.5, item.seq))
        self.assertIn("Gift wrap GW-RED", gift.name)
        self.assertEqual(gift.qty_to_invoice, 0, "not charged before its item ships")
        self.poll(order.amazon_df_ack_document_id)
        picking = order.picking_ids
        self.assertNotIn(wrap, picking.move_ids.product_id)
        picking.action_amazon_df_get_label()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        self.assertEqual(gift.qty_delivered, item.quantity, "delivered with its item")
        confirmation = picking.amazon_df_confirmation_id
        confirmation._send_to_amazon()
        self.poll(confirmation)
        self.assertEqual(confirmation.state, "accepted", confirmation.error_message)
        # the setting changed since: the order's gift wrap is still its item's charge
        self.account.df_gift_wrap_product_id = False
        lonely = order._create_invoices()  # a gift wrap without its item: never postable
        lonely.invoice_line_ids.filtered(lambda ln: ln.product_id != wrap).unlink()
        with self.assertRaisesRegex(UserError, "invoiced without the item"):
            lonely.action_post()
        lonely.unlink()
        invoice = order._create_invoices()
        self.assertIn(wrap, invoice.invoice_line_ids.product_id)
        invoice.action_post()
        doc = invoice.amazon_df_document_id
        body = doc._get_payload("payload_out")["invoices"][0]
        charge = [{"type": "GIFTWRAP", "chargeAmount": {
            "currencyCode": invoice.currency_id.name, "amount": f"{2.5 * item.quantity:.2f}"}}]
        wrapped_item = next(i for i in body["items"] if i["itemSequenceNumber"] == item.seq)
        self.assertEqual(wrapped_item["chargeDetails"], charge)
        self.assertEqual(body["chargeDetails"], charge, "the invoice's total of its items'")
        self.assertEqual(len(body["items"]), len(self.sim_order(wrapped).items),
                         "gift wrap is a charge, not an item")
        self.assertAlmostEqual(float(body["invoiceTotal"]["amount"]), invoice.amount_total)
        doc._send_to_amazon()
        self.poll(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)

    def test_confirmation_refused_is_recorded_and_alerted(self):
        self.stock()
        self.new_df_orders(1)
        order = self.import_orders()
        self.poll(order.amazon_df_ack_document_id)
        picking = order.picking_ids
        picking.action_amazon_df_get_label()
        picking.amazon_df_labels = '[{"identifier": "X", "tracking": "1Z-NOT-AMAZONS"}]'
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        doc = picking.amazon_df_confirmation_id
        doc._send_to_amazon()
        self.poll(doc)
        self.assertEqual(doc.state, "failed")
        self.assertIn("InvalidTrackingNumber", doc.error_message)
        self.assertTrue(self.env["mail.activity"].search([("res_model", "=", "stock.picking"),
                                                          ("res_id", "=", picking.id)]))

    def test_no_label_no_confirmation(self):
        self.stock()
        self.new_df_orders(1)
        order = self.import_orders()
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        self.assertFalse(picking.amazon_df_confirmation_id)
        self.assertTrue(picking.activity_ids)

    def test_inventory_full_then_partial(self):
        self.stock(20)
        product = self.products[self.usd_items[0]["vendor_sku"]]
        product.amazon_df_safety_stock = 5
        self.account.df_safety_buffer = 1
        self.account.action_amazon_df_push_inventory()
        doc = self.env["amazon.vendor.document"].search([("kind", "=", "df_inventory")])
        self.assertEqual(len(doc), 1)
        self.poll(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)
        stock = self.simulator.state.df.inventory["ACWH1"]
        self.assertEqual(stock[product.default_code], 14)
        self.assertEqual(len(stock), len(self.products))
        # Partial: only what moved since the last update.
        self.account.df_inventory_full = False
        self.env["stock.quant"]._update_available_quantity(
            product, self.warehouse.lot_stock_id, -10)
        move = self.env["stock.move"].create({
            "name": "out", "product_id": product.id, "product_uom_qty": 1,
            "location_id": self.warehouse.lot_stock_id.id,
            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
        })
        move._action_confirm()
        self.env.flush_all()
        self.account.df_warehouse_ids.last_inventory_at = move.write_date - \
            datetime.timedelta(seconds=1)
        self.account.action_amazon_df_push_inventory()
        doc2 = self.env["amazon.vendor.document"].search([("kind", "=", "df_inventory")]) - doc
        items = doc2._get_payload("payload_out")["inventory"]["items"]
        self.assertEqual([i["vendorProductIdentifier"] for i in items], [product.default_code])
        self.assertFalse(doc2._get_payload("payload_out")["inventory"]["isFullUpdate"])
        self.poll(doc2)
        self.assertEqual(stock[product.default_code], 3)

    def test_ship_by_alert(self):
        self.new_df_orders(1)
        order = self.import_orders()
        order.amazon_df_ship_by = fields.Datetime.now() + datetime.timedelta(hours=2)
        self.assertEqual(order.amazon_df_promise, "soon")
        self.env["amazon.vendor.account"]._cron_amazon_df_ship_alerts()
        self.assertTrue(order.amazon_df_ship_alerted)
        activity = order.activity_ids.filtered(lambda a: "ship" in (a.summary or "").lower())
        self.assertTrue(activity)
        self.env["amazon.vendor.account"]._cron_amazon_df_ship_alerts()  # once only
        self.assertEqual(len(order.activity_ids.filtered(
            lambda a: "ship" in (a.summary or "").lower())), 1)

    def test_purge_addresses_after_delivery(self):
        self.stock()
        number = self.new_df_orders(1)[0]
        self.sim_order(number).gift = True  # a gift message for the packer
        order = self.import_orders()
        self.poll(order.amazon_df_ack_document_id)
        picking = order.picking_ids
        self.assertTrue(picking.amazon_df_gift)
        self.assertIn("gift wrap GW-RED; message: Happy birthday", picking.amazon_df_gift_note)
        picking.action_amazon_df_get_label()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        Order = self.env["sale.order"]
        self.assertFalse(Order._amazon_df_purge_addresses())  # not yet due
        later = fields.Datetime.now() + datetime.timedelta(
            days=self.account.df_address_retention_days + 1)
        purged = Order._amazon_df_purge_addresses(now=later)
        self.assertEqual(purged.order_id, order)
        address = order.sudo().amazon_df_address_ids
        self.assertTrue(address.purged)
        self.assertFalse(address.street or address.phone)
        self.assertFalse(order.amazon_df_gift_note, "the gift message goes with the address")
        self.assertFalse(self.env["ir.attachment"].search([
            ("res_model", "=", "stock.picking"), ("res_id", "=", picking.id),
            ("description", "=", "amazon_df_personal")]))

    def test_addresses_hidden_from_non_managers(self):
        self.new_df_orders(1)
        order = self.import_orders()
        user = self.env["res.users"].create({
            "name": "DF clerk", "login": "df_clerk",
            "groups_id": [(6, 0, [self.env.ref("acorn_amazon_vendor.group_amazon_vendor_user").id,
                                  self.env.ref("sales_team.group_sale_salesman_all_leads").id,
                                  self.env.ref("stock.group_stock_user").id])]})
        as_user = order.with_user(user)
        self.assertTrue(as_user.amazon_df_number)
        with self.assertRaises(AccessError):
            as_user.amazon_df_address_ids.read(["name"])
        with self.assertRaises(AccessError):
            self.env["amazon.vendor.df.address"].with_user(user).search([]).read(["street"])
        other = self.env["res.company"].create({"name": "Other DF company"})
        manager = self.env["res.users"].create({
            "name": "Other manager", "login": "df_other", "company_id": other.id,
            "company_ids": [(6, 0, [other.id])],
            "groups_id": [(6, 0, [
                self.env.ref("acorn_amazon_vendor.group_amazon_vendor_manager").id])]})
        self.assertFalse(self.env["amazon.vendor.df.address"].with_user(manager).search([]))
        self.assertFalse(self.env["amazon.vendor.df.warehouse"].with_user(manager).search([]))

    def test_label_attachment_png_as_pdf(self):
        self.simulator_control("df", {"label_format": {"ACWH1": "PNG"}})
        self.stock()
        self.new_df_orders(1)
        order = self.import_orders()
        self.poll(order.amazon_df_ack_document_id)
        order.picking_ids.action_amazon_df_get_label()
        label = self.env["ir.attachment"].search([
            ("res_model", "=", "stock.picking"), ("res_id", "=", order.picking_ids.id),
            ("name", "like", "Amazon label")])
        self.assertEqual(label.mimetype, "application/pdf")
        self.assertTrue(base64.b64decode(label.datas).startswith(b"%PDF"))
        self.account.df_label_attachment = "zpl"
        self.simulator_control("df", {"label_format": {"ACWH1": "ZPL"}})
        self.new_df_orders(1)
        other = self.import_orders()  # labels are bought once per delivery: another order
        self.poll(other.amazon_df_ack_document_id)
        other.picking_ids.action_amazon_df_get_label()
        zpl = self.env["ir.attachment"].search([
            ("res_model", "=", "stock.picking"), ("res_id", "=", other.picking_ids.id),
            ("name", "like", ".zpl")])
        self.assertTrue(base64.b64decode(zpl.datas).startswith(b"^XA"))

    def test_import_queries_flat_per_order(self):
        """The import hot path (read, create, acknowledge, send) costs the same queries per
        order whatever the page size: measured on 2 and 4 orders, asserted on 6."""
        skus = [self.usd_items[0]["vendor_sku"], self.usd_items[1]["vendor_sku"]]
        self.new_df_orders(1, skus=skus)
        self.import_orders()  # warm caches (the LWA token, the RDT path, the registry)

        def new_orders(count, seed):
            self.simulator_control("reset", {"seed": seed, "default_data": False})
            self.new_df_orders(count, skus=skus)
            # The import writes its watermark (the run's second) unless unchanged: two imports
            # in one second would save a query. A fixed past watermark keeps every run's
            # queries (and its windows) the same, however fast the machine.
            self.account.df_import_watermark = self.env.cr.now() - datetime.timedelta(seconds=1)
            self.env.flush_all()
            self.env.invalidate_all()

        queries = {}
        for count in (2, 4):
            new_orders(count, seed=9 + count)
            before = self.env.cr.sql_log_count
            self.assertEqual(len(self.import_orders()), count)
            queries[count] = self.env.cr.sql_log_count - before
        per_order = (queries[4] - queries[2]) / 2
        new_orders(6, seed=20)
        with self.assertQueryCount(int(queries[4] + 2 * per_order) + 2):
            self.assertEqual(len(self.import_orders()), 6)

    def ship(self, order):
        picking = order.picking_ids
        picking.action_amazon_df_get_label()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        return picking

    def test_acknowledgement_refused_when_amazon_cancelled(self):
        number = self.new_df_orders(1)[0]
        self.account.df_auto_acknowledge = False
        order = self.import_orders()
        self.assertEqual(order.amazon_df_ack_state, "to_decide")
        self.simulator_control(f"df/{number}/cancel", {})
        order.action_amazon_df_acknowledge()
        doc = order.amazon_df_ack_document_id
        self.poll(doc)
        self.assertEqual(doc.state, "failed")
        self.assertIn("InvalidOrderStatus", doc.error_message)
        self.assertEqual(order.amazon_df_ack_state, "failed")
        self.assertTrue(order.activity_ids)  # the alert lands on the order

    def test_invoice_before_shipping_is_refused(self):
        self.stock()
        self.new_df_orders(1)
        order = self.import_orders()
        self.poll(order.amazon_df_ack_document_id)
        for line in order.order_line:
            line.qty_delivered = line.product_uom_qty  # invoiced as if shipped, but it is not
        invoice = order._create_invoices()
        invoice.action_post()
        doc = invoice.amazon_df_document_id
        doc._send_to_amazon()
        self.poll(doc)
        self.assertEqual(doc.state, "failed")
        self.assertIn("OrderNotShipped", doc.error_message)

    def test_packing_slip_attached_when_required(self):
        self.stock()
        number = self.new_df_orders(1)[0]
        self.sim_order(number).pslip = True
        order = self.import_orders()
        self.assertTrue(order.amazon_df_pslip_required)
        self.poll(order.amazon_df_ack_document_id)
        order.picking_ids.action_amazon_df_get_label()
        slip = self.env["ir.attachment"].search([
            ("res_model", "=", "stock.picking"), ("res_id", "=", order.picking_ids.id),
            ("name", "like", "packing slip")])
        self.assertTrue(base64.b64decode(slip.datas).startswith(b"%PDF"))

    def test_labels_bought_are_kept_when_the_packing_slip_fails_and_never_bought_twice(self):
        self.stock()
        number = self.new_df_orders(1)[0]
        self.sim_order(number).pslip = True
        order = self.import_orders()
        self.poll(order.amazon_df_ack_document_id)
        picking = order.picking_ids
        self.simulator_control("faults", {"faults": [
            {"kind": "503", "operation": "getPackingSlip", "count": 20}]})
        picking.action_amazon_df_get_label()  # no error: the labels are what matters

        def attachments(word):
            return self.env["ir.attachment"].search([
                ("res_model", "=", "stock.picking"), ("res_id", "=", picking.id),
                ("name", "like", word)])

        self.assertTrue(attachments("label"))
        self.assertTrue(picking.amazon_df_tracking)
        self.assertFalse(attachments("packing slip"))
        self.assertTrue(any("press Get Amazon label again" in (body or "")
                            for body in picking.message_ids.mapped("body")))
        bought = [label["trackingNumber"] for label in self.sim_order(number).labels]
        tracking = picking.amazon_df_tracking
        self.simulator_control("faults/clear", {})
        picking.action_amazon_df_get_label()  # again: the slip now, no second label
        self.assertEqual([label["trackingNumber"] for label in self.sim_order(number).labels],
                         bought)
        self.assertEqual(picking.amazon_df_tracking, tracking)
        self.assertEqual(len(attachments("label")), len(bought))
        self.assertEqual(len(attachments("packing slip")), 1)

    def test_confirmation_without_answer_is_settled_from_amazons_side(self):
        self.stock()
        self.new_df_orders(1)
        order = self.import_orders()
        self.poll(order.amazon_df_ack_document_id)
        picking = self.ship(order)
        doc = picking.amazon_df_confirmation_id
        self.simulator_control("faults", {"faults": [
            {"kind": "500_after", "operation": "submitShipmentConfirmations"}]})
        doc._send_to_amazon()
        self.assertEqual(doc.state, "unknown")
        self.settle()  # Amazon had it: the order is shipped there
        self.assertEqual(self.sim_order(order.amazon_df_number).status, "SHIPPED")
        doc.next_attempt_at = False
        doc._reconcile_with_amazon()  # the identical document again: refused as a duplicate
        self.poll(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)
        self.assertEqual(order.amazon_df_status, "SHIPPED")

    def test_rdt_refused_then_renewed(self):
        """An RDT Amazon no longer honours is requested again once."""
        self.new_df_orders(1)
        with self.account._amazon_df_api() as client:
            client.restricted_data_token()
            expired = self.simulator.state.clock.now() - datetime.timedelta(seconds=1)
            for rdt in self.simulator.state.rdts.values():  # Amazon no longer honours it
                rdt["expires"] = expired
            pages = list(client.iter_order_pages(
                fields.Datetime.now().replace(tzinfo=datetime.UTC) - datetime.timedelta(days=1),
                fields.Datetime.now().replace(tzinfo=datetime.UTC)))
            self.assertTrue(pages[0][2][0]["orderDetails"]["shipToParty"])
            self.assertEqual(client.rdt_requests, 2)

    def test_amazon_cancels_an_order_before_shipping(self):
        number = self.new_df_orders(1)[0]
        self.account.df_auto_acknowledge = False
        order = self.import_orders()
        self.sim_order(number).status = "CANCELLED"  # the customer cancelled at Amazon
        self.import_orders()
        self.assertEqual(order.amazon_df_status, "CANCELLED")
        self.assertEqual(order.state, "cancel")
        self.assertTrue(order.activity_ids)

    def test_amazon_cancels_an_order_days_after_it_was_placed(self):
        """getOrders filters by creation date: an order cancelled after this run's window
        started is still followed."""
        number = self.new_df_orders(1, age_seconds=3 * 86400)[0]
        self.account.df_auto_acknowledge = False
        now = fields.Datetime.now()
        order = self.account._amazon_df_import(start=now - datetime.timedelta(days=4))
        self.assertEqual(order.amazon_df_number, number)
        self.sim_order(number).status = "CANCELLED"
        self.import_orders()  # reads orders created since yesterday
        self.assertEqual(order.amazon_df_status, "CANCELLED")
        self.assertEqual(order.state, "cancel")

    def test_neutralized_copy_keeps_no_customer_data(self):
        self.stock()
        self.new_df_orders(1)
        order = self.import_orders()
        self.poll(order.amazon_df_ack_document_id)
        order.picking_ids.action_amazon_df_get_label()
        self.env.flush_all()
        for query in get_neutralization_queries(["acorn_amazon_vendor_direct_fulfillment"]):
            self.env.cr.execute(query)
        self.env.invalidate_all()
        address = order.sudo().amazon_df_address_ids
        self.assertTrue(address.purged)
        self.assertFalse(address.street or address.phone)
        self.assertFalse(order.amazon_df_gift_note, "the gift message goes with the address")
        self.assertEqual(address.name, "Neutralized")
        self.assertFalse(self.env["ir.attachment"].search([
            ("res_model", "=", "stock.picking"), ("res_id", "=", order.picking_ids.id),
            ("description", "=", "amazon_df_personal")]))
        # The test account points at its simulator through endpoint overrides: a copy must not
        # keep it running (acorn_amazon_vendor archives it, Direct Fulfillment is off).
        self.assertFalse(self.account.df_enabled)

    def test_only_the_mapped_warehouses_are_imported(self):
        self.new_df_orders(1)
        self.new_df_orders(1, warehouse="ACWH2")  # another account's warehouse
        orders = self.import_orders()
        self.assertEqual(orders.mapped("amazon_df_ship_from"), ["ACWH1"])
        self.account.df_warehouse_ids.active = False
        with self.assertRaises(UserError):
            self.import_orders()
