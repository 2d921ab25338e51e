import base64
import datetime

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import DirectFulfillmentCase


@tagged("post_install", "-at_install")
class TestDfOwnCarrier(DirectFulfillmentCase):
    """Vendor Own Carrier: the carrier's tracking numbers on the delivery, its scans sent to
    Amazon as status updates, the delivery promise followed; PNG labels for thermal printers."""

    def setUp(self):
        super().setUp()
        self.account.df_warehouse_ids.own_carrier = True
        self.simulator_control("df", {"own_carrier": {"ACWH1": True}})
        self.stock()

    def accepted_order(self):
        self.new_df_orders(1)
        order = self.account._amazon_df_import()
        self.poll(order.amazon_df_ack_document_id)
        return order

    def validate(self, picking):
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()

    def shipped(self, tracking="1ZVOC0001"):
        order = self.accepted_order()
        picking = order.picking_ids
        picking.amazon_df_tracking = tracking
        self.validate(picking)
        picking.amazon_df_confirmation_id._send_to_amazon()
        self.poll(picking.amazon_df_confirmation_id)
        self.assertEqual(picking.amazon_df_confirmation_state, "accepted")
        return order, picking

    def status_form(self, picking, code):
        form = Form(self.env["amazon.vendor.df.status.wizard"].with_context(
            default_picking_id=picking.id))
        form.status_code = code
        customer = picking.sale_id.partner_shipping_id
        if code == "D1":  # at the customer's: the area is known, the street is typed
            self.assertEqual((form.location_zip, form.location_country_id),
                             (customer.zip, customer.country_id))
            self.assertFalse(form.location_street)
            form.location_street = "Front door"
        else:
            form.location_name = "Reno depot"
            form.location_street = "1 Freight Way"
            form.location_city = "Reno"
            form.location_country_id = self.env.ref("base.us")
        return form.save()

    def test_tracking_numbers_entered_then_confirmed(self):
        order = self.accepted_order()
        picking = order.picking_ids
        self.validate(picking)  # no tracking number yet: a person is asked for it
        self.assertFalse(picking.amazon_df_confirmation_id)
        self.assertIn("tracking numbers on the delivery",
                      "".join(picking.activity_ids.mapped("note")))
        picking.amazon_df_tracking = "1ZVOC0042, 1ZVOC0043"  # one package: one too many
        picking.action_amazon_df_send_confirmation()
        self.assertFalse(picking.amazon_df_confirmation_id)
        self.assertIn("one tracking number per package",
                      "".join(picking.activity_ids.mapped("note")))
        picking.amazon_df_tracking = "1ZVOC0042"
        picking.action_amazon_df_send_confirmation()
        doc = picking.amazon_df_confirmation_id
        container = doc._get_payload("payload_out")["shipmentConfirmations"][0]["containers"][0]
        self.assertEqual(container["trackingNumber"], "1ZVOC0042")
        self.assertEqual(container["shipMethod"], order.amazon_df_ship_method)
        self.poll(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)
        self.assertEqual(self.sim_order(order.amazon_df_number).tracking, {"1ZVOC0042"})

    def test_carrier_scans_reach_amazon_and_the_delivery_is_recorded(self):
        order, picking = self.shipped()
        self.assertEqual(order.amazon_df_promise, "in_transit")
        wizard = self.status_form(picking, "X6")
        self.assertEqual(wizard.tracking_numbers, "1ZVOC0001")
        wizard.action_send()
        doc = self.env["amazon.vendor.document"].search([
            ("kind", "=", "df_status_update"), ("res_id", "=", picking.id)])
        self.assertEqual(doc.state, "sent")
        self.poll(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)
        self.assertEqual(picking.amazon_df_last_status, "X6")
        self.assertEqual(picking.amazon_df_last_reason, "NS")
        self.assertFalse(picking.amazon_df_delivered_at)
        self.status_form(picking, "D1").action_send()
        self.poll(self.env["amazon.vendor.document"].search([
            ("kind", "=", "df_status_update"), ("state", "=", "sent")]))
        self.assertTrue(picking.amazon_df_delivered_at)
        self.assertEqual(order.amazon_df_promise, "delivered")
        sim = self.sim_order(order.amazon_df_number)
        self.assertEqual([u["statusCode"] for u in sim.status_updates], ["X6", "D1"])
        # A connector replaying the same event does not send it twice.
        event = {"tracking": "1ZVOC0001", "status_code": "D1",
                 "when": picking.amazon_df_delivered_at,
                 "location": {"name": "Door", "addressLine1": "-", "countryCode": "US"}}
        first = picking._amazon_df_queue_status_updates([event])
        self.assertEqual(picking._amazon_df_queue_status_updates([event]), first)

    def test_status_updates_refused(self):
        order, picking = self.shipped()
        event = {"tracking": "1ZOTHER", "status_code": "D1", "when": fields.Datetime.now(),
                 "location": {"name": "Door", "addressLine1": "-", "countryCode": "US"}}
        with self.assertRaisesRegex(UserError, "not one confirmed"):
            picking._amazon_df_queue_status_updates([event])
        with self.assertRaisesRegex(UserError, "status code"):
            picking._amazon_df_queue_status_updates([dict(event, tracking="1ZVOC0001",
                                                          status_code="ZZ")])
        # Amazon does not take scans for a warehouse it ships with its own carrier.
        self.simulator_control("df", {"own_carrier": {"ACWH1": False}})
        self.status_form(picking, "D1").action_send()
        doc = self.env["amazon.vendor.document"].search([("kind", "=", "df_status_update")])
        self.poll(doc)
        self.assertEqual(doc.state, "failed")
        self.assertIn("NotVendorOwnCarrier", doc.error_message)
        self.assertFalse(picking.amazon_df_delivered_at)
        self.assertTrue(any("refused the carrier status update" in body
                            for body in picking.message_ids.mapped("body")))
        # Shipping with Amazon's labels: nothing to send.
        self.account.df_warehouse_ids.own_carrier = False
        with self.assertRaisesRegex(UserError, "own carrier"):
            picking._amazon_df_queue_status_updates([dict(event, tracking="1ZVOC0001")])
        self.assertFalse(order.amazon_df_promise)  # Amazon's carrier follows the parcel

    def test_deliver_by_alerts(self):
        Account = self.env["amazon.vendor.account"]
        waiting = self.accepted_order()  # not shipped, promised to the customer tomorrow
        waiting.amazon_df_deliver_by = fields.Datetime.now() + datetime.timedelta(hours=3)
        order, _picking = self.shipped()
        order.amazon_df_deliver_by = fields.Datetime.now() - datetime.timedelta(hours=1)
        self.assertEqual(order.amazon_df_promise, "deliver_late")
        other, _p = self.shipped("1ZVOC0002")
        Account._cron_amazon_df_ship_alerts()
        for sale, words in ((waiting, "not shipped yet"), (order, "no delivery was reported")):
            self.assertTrue(sale.amazon_df_deliver_alerted)
            activity = sale.activity_ids.filtered(lambda a: "delivery promise" in a.summary)
            self.assertEqual(len(activity), 1)
            self.assertIn(words, activity.note)
        Account._cron_amazon_df_ship_alerts()  # once only
        self.assertEqual(len(order.activity_ids.filtered(
            lambda a: "delivery promise" in a.summary)), 1)
        # Not the vendor's carrier: Amazon follows the parcel, no alert.
        self.account.df_warehouse_ids.own_carrier = False
        other.amazon_df_deliver_by = fields.Datetime.now() - datetime.timedelta(hours=1)
        Account._cron_amazon_df_ship_alerts()
        self.assertFalse(other.amazon_df_deliver_alerted)
        # A promise missed long ago is Amazon's claims' business, not an alert any more.
        self.account.df_warehouse_ids.own_carrier = True
        other.amazon_df_deliver_by = fields.Datetime.now() - datetime.timedelta(days=40)
        Account._cron_amazon_df_ship_alerts()
        self.assertFalse(other.amazon_df_deliver_alerted)
        other.amazon_df_deliver_by = fields.Datetime.now() - datetime.timedelta(days=2)
        Account._cron_amazon_df_ship_alerts()
        self.assertTrue(other.amazon_df_deliver_alerted)

    def test_png_labels_for_a_thermal_printer(self):
        self.account.df_warehouse_ids.own_carrier = False
        self.account.df_label_attachment = "zpl"
        self.simulator_control("df", {"label_format": {"ACWH1": "PNG"}})
        picking = self.accepted_order().picking_ids
        picking.action_amazon_df_get_label()
        label = self.env["ir.attachment"].search([
            ("res_model", "=", "stock.picking"), ("res_id", "=", picking.id),
            ("name", "like", "Amazon label")])
        self.assertEqual(label.mimetype, "application/x-zpl")
        content = base64.b64decode(label.datas)
        self.assertTrue(content.startswith(b"^XA^PW"))
        self.assertIn(b"^GFA,", content)
