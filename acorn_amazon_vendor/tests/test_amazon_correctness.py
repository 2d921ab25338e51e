"""Amazon correctness on the Odoo side: exact net costs, fulfilment-centre addresses, changes
to confirmed orders, approvals, corrected documents, documents Amazon leaves unanswered, and
states that tell the truth."""
import datetime
from decimal import Decimal

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from ..lib import amazon_schema
from .test_asn import ShipmentCase

SCRIPT = "<script>alert(1)</script>"


class CorrectnessCase(ShipmentCase):
    def _po_json(self, number, items, **kwargs):
        """The PO JSON ``_po`` would place, without placing it (to edit it first)."""
        self.simulator_control = lambda path, payload=None, method="POST": None
        try:
            return self._po(number, items, **kwargs)
        finally:
            del self.simulator_control

    def _place(self, order):
        self.simulator_control("purchase-orders", {"orders": [order]})
        return order

    def _order(self, number):
        return self.env["sale.order"].search([("amazon_vendor_po_number", "=", number)])

    def _feed(self, order, payload):
        """Amazon's new version of a PO, as the import stores and processes it."""
        doc = order.amazon_vendor_document_id
        Document = self.env["amazon.vendor.document"]
        doc._set_state("received", payload_in=Document._encode_payload(payload),
                       payload_hash=Document._hash_payload(payload))
        doc._amazon_vendor_process_purchase_orders()

    def _ack(self, number):
        return self.env["amazon.vendor.document"].search(
            [("kind", "=", "acknowledgement"), ("external_id", "=", number)])

    def _stay_processing(self, kinds):
        """Amazon leaves these documents Processing (simulator settings survive a reset)."""
        self.simulator_control("settings", {"stay_processing": kinds})
        self.addCleanup(self.simulator_control, "settings", {"stay_processing": []})

    def _accept_ack(self, doc):
        self.simulator_control("transactions/settle")
        with freeze_time(doc.sent_at + datetime.timedelta(minutes=20)):
            doc._poll_amazon_status()
        self.assertEqual(doc.state, "accepted", doc.error_message)


@tagged("post_install", "-at_install")
class TestNetCostPrecision(CorrectnessCase):
    def test_cost_finer_than_prices_is_flagged_and_never_invoiced_rounded(self):
        item = dict(self._item(0), net_cost="4.125")
        self._stock(self.products[item["vendor_sku"]], 30)
        self._po("PO000001", [(item, 3, "Eaches", 1)])
        order = self._import()
        line = order.order_line
        self.assertEqual(line.amazon_vendor_net_cost_text, "4.125", "Amazon's cost, as sent")
        self.assertEqual(line.amazon_vendor_net_cost, 4.125)
        self.assertEqual(line.price_unit, 4.13, "Odoo's prices keep 2 decimals here")
        self.assertIn("raise Product Price decimal accuracy to 3 digits",
                      order.amazon_vendor_issues)
        order.action_amazon_vendor_propose()
        # Only Odoo's rounding differs: the acknowledgement goes out in time with Amazon's
        # exact cost, the order says what to fix, and the invoice is what waits.
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        sent = self._ack("PO000001")._get_payload("payload_out")["acknowledgements"][0]["items"]
        self.assertEqual([i["netCost"]["amount"] for i in sent], ["4.125"])
        self.assertTrue(order.message_ids.filtered(
            lambda m: "decimal accuracy to 3 digits" in (m.body or "")))
        self.assertEqual(line.price_unit, 4.13)
        self._deliver(order)
        move = order._create_invoices()
        move.action_post()
        self.assertFalse(move.amazon_vendor_document_id, "nothing queued for Amazon")
        self.assertIn("decimal accuracy to 3 digits", move.amazon_vendor_issues)
        self.assertIn("4.125", move.amazon_vendor_issues)
        self.assertTrue(move.activity_ids)

    def test_a_price_edited_away_from_a_fine_cost_still_blocks(self):
        item = dict(self._item(0), net_cost="4.125")
        self._po("PO000001", [(item, 3, "Eaches", 1)])
        order = self._import()
        order.order_line.price_unit = 4.2
        order.action_amazon_vendor_propose()
        with self.assertRaisesRegex(UserError, "Then set the price to 4.125"):
            order.action_confirm()

    def test_three_decimal_cost_acknowledged_shipped_and_invoiced_exactly(self):
        self.env.ref("product.decimal_price").digits = 3
        first = dict(self._item(0), net_cost="4.125")
        second = dict(self._item(2), net_cost="7.335")
        order = self._confirmed("PO000001", [(first, 3, "Eaches", 1),
                                             (second, 3, "Eaches", 1)])
        self.assertEqual(order.state, "sale")
        self.assertNotIn("decimal accuracy", order.amazon_vendor_issues or "")
        self.assertEqual(sorted(order.order_line.mapped("price_unit")), [4.125, 7.335])
        ack = self._ack("PO000001")
        sent = ack._get_payload("payload_out")["acknowledgements"][0]["items"]
        self.assertEqual(sorted(i["netCost"]["amount"] for i in sent), ["4.125", "7.335"])
        self._accept_ack(ack)

        picking = order.picking_ids
        self._pack_and_validate(picking, [order.order_line.product_id])
        asn = picking.amazon_vendor_asn_document_id
        self.assertTrue(asn, picking.amazon_vendor_asn_issues)
        asn._send_to_amazon()
        self._settle(asn)
        self.assertEqual(asn.state, "accepted", asn.error_message)

        move = order._create_invoices()
        move.action_post()
        doc, body = move.amazon_vendor_document_id, None
        self.assertTrue(doc, move.amazon_vendor_issues)
        body = doc._get_payload("payload_out")
        invoice = body["invoices"][0]
        self.assertEqual(sorted(i["netCost"]["amount"] for i in invoice["items"]),
                         ["4.125", "7.335"], "Amazon's cost, never rounded to 4.13")
        self.assertFalse(amazon_schema.validate("vendor_invoices_v1", "SubmitInvoicesRequest",
                                                body))
        # Odoo rounds each line (12.38 + 22.01), Amazon the total (12.375 + 22.005): a cent
        # apart from rounding alone does not block the invoice, and it is said.
        items = Decimal("12.375") + Decimal("22.005")
        self.assertEqual(Decimal(invoice["invoiceTotal"]["amount"]) - items,
                         Decimal(str(move.amount_tax)).quantize(Decimal("0.01")),
                         "invoiceTotal = net cost x quantity + taxes")
        self.assertAlmostEqual(move.amount_untaxed, 34.39)
        self.assertIn("from rounding each line", "".join(move.message_ids.mapped("body")))
        doc._send_to_amazon()
        self.simulator_control("transactions/settle")
        doc._poll_amazon_status()
        self.assertEqual(doc.state, "accepted", doc.error_message)
        self.assertNotIn("NetCostMismatch", doc.error_message or "")
        match = self.env["amazon.vendor.match"].search([("order_id", "=", order.id)])
        self.assertEqual(match.invoiced_qty, 6)
        self.assertFalse(match.has_discrepancy, match.discrepancy)

    def test_totals_differing_beyond_line_rounding_still_block(self):
        self.env.ref("product.decimal_price").digits = 3
        item = dict(self._item(0), net_cost="4.125")
        order = self._confirmed("PO000001", [(item, 3, "Eaches", 1)])
        self._deliver(order)
        move = order._create_invoices()
        # A discount Amazon's invoice cannot carry: 10 % off is not rounding.
        move.invoice_line_ids.discount = 10
        move.action_post()
        self.assertFalse(move.amazon_vendor_document_id)
        self.assertIn("would differ from the invoice total", move.amazon_vendor_issues)
        self.assertNotIn("differs from the acknowledged", move.amazon_vendor_issues)


@tagged("post_install", "-at_install")
class TestFulfilmentCentreAddresses(CorrectnessCase):
    def test_known_address_is_never_blanked_by_a_bare_party_id(self):
        item = self._item(0)
        self._po("PO000001", [(item, 5, "Eaches", 1)])
        first = self._import()
        centre = first.partner_shipping_id
        name, street = centre.name, centre.street
        self.assertEqual(centre.city, "Breinigsville")
        order = self._po_json("PO000002", [(item, 5, "Eaches", 1)])
        order["orderDetails"]["shipToParty"] = {"partyId": "ABE2"}  # Amazon's usual form
        self._place(order)
        second = self._import() - first
        self.assertEqual(second.partner_shipping_id, centre)
        self.assertEqual((centre.name, centre.street, centre.city, centre.zip,
                          centre.state_id.code, centre.country_id.code),
                         (name, street, "Breinigsville", "18031", "PA", "US"))
        self.assertFalse(second.amazon_vendor_issues)
        # A reply carrying part of an address updates that part only.
        order = self._po_json("PO000003", [(item, 5, "Eaches", 1)])
        order["orderDetails"]["shipToParty"] = {"partyId": "ABE2", "address": {
            "name": "Amazon.com Services LLC", "addressLine1": "706 Boulder Drive",
            "city": "Breinigsville", "countryCode": "US"}}
        self._place(order)
        self._import()
        self.assertEqual((centre.street, centre.zip, centre.state_id.code),
                         ("706 Boulder Drive", "18031", "PA"))

    def test_new_centre_without_address_is_named_after_its_code_and_flagged(self):
        order = self._po_json("PO000001", [(self._item(0), 5, "Eaches", 1)])
        order["orderDetails"]["shipToParty"] = {"partyId": "XYZ9"}
        self._place(order)
        order = self._import()
        centre = order.partner_shipping_id
        self.assertEqual((centre.name, centre.amazon_vendor_party_id, centre.type),
                         ("XYZ9", "XYZ9", "delivery"))
        self.assertFalse(centre.street)
        self.assertIn("address of fulfilment centre XYZ9 is incomplete",
                      order.amazon_vendor_issues)


@tagged("post_install", "-at_install")
class TestAmazonChangesToConfirmedOrders(CorrectnessCase):
    def _confirmed_with_two_items(self):
        self.account.alert_user_ids = self.env.ref("base.user_admin")
        order = self._confirmed("PO000001", [(self._item(0), 10, "Eaches", 1),
                                             (self._item(2), 6, "Eaches", 1)])
        self.assertEqual(order.state, "sale")
        return order

    def test_window_change_is_shown_and_applied(self):
        order = self._confirmed_with_two_items()
        old_end = order.amazon_vendor_window_end
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        window = "{}--{}".format(*((now + datetime.timedelta(days=d)).strftime(
            "%Y-%m-%dT%H:%M:%SZ") for d in (5, 12)))
        self.simulator_control("purchase-orders/PO000001/change", {"deliveryWindow": window})
        self._import()
        self.assertTrue(order.amazon_vendor_changed)
        summary = str(order.amazon_vendor_change_summary)
        self.assertIn("Delivery window", summary)
        self.assertIn(str(old_end), summary)
        order.action_amazon_vendor_apply_changes()
        new_start = (now + datetime.timedelta(days=5)).replace(tzinfo=None)
        self.assertEqual(order.amazon_vendor_window_start, new_start)
        self.assertEqual(order.commitment_date, new_start)
        self.assertFalse(order.amazon_vendor_changed)
        self.assertEqual(self._ack("PO000001").state, "sent")

    def test_cost_ship_to_added_and_cancelled_items_are_shown_then_applied(self):
        order = self._confirmed_with_two_items()
        ack = self._ack("PO000001")
        first_transaction = ack.transaction_id
        picking = order.picking_ids
        payload = order.amazon_vendor_document_id._get_payload("payload_in")
        details = payload["orderDetails"]
        details["shipToParty"] = {"partyId": "TEB3", "address": {
            "name": "Amazon.com Services LLC", "addressLine1": "2 Ames Drive",
            "city": "Carlisle", "stateOrRegion": "PA", "postalCode": "17015",
            "countryCode": "US"}}
        items = details["items"]
        items[0]["netCost"]["amount"] = "19.5"
        items[1]["orderedQuantity"]["amount"] = 0  # cancelled
        added, hostile = self._item(3), dict(items[0])
        self._stock(self.products[added["vendor_sku"]], 50)
        items.append(dict(items[0], itemSequenceNumber="3",
                          amazonProductIdentifier=added["asin"],
                          vendorProductIdentifier=added["vendor_sku"],
                          orderedQuantity={"amount": 5, "unitOfMeasure": "Eaches",
                                           "unitSize": 1},
                          netCost={"currencyCode": "USD", "amount": added["net_cost"]}))
        items.append(dict(hostile, itemSequenceNumber="4", amazonProductIdentifier="B0XSS00001",
                          vendorProductIdentifier=SCRIPT,
                          orderedQuantity={"amount": 2, "unitOfMeasure": "Eaches",
                                           "unitSize": 1}))
        self._feed(order, payload)

        self.assertTrue(order.amazon_vendor_changed)
        summary = str(order.amazon_vendor_change_summary)
        for text in ("Ship-to fulfilment centre", "ABE2 → TEB3", "Net cost", "→ 19.5",
                     "Cancelled item", "6 → 0", "Added item", "5 units at " + added["net_cost"]):
            self.assertIn(text, summary)
        self.assertNotIn(SCRIPT, summary)
        self.assertIn("&lt;script&gt;", summary, "Amazon's values are escaped")
        self.assertEqual(len(order.order_line), 2, "nothing changes before a person applies")
        self.assertEqual(order.partner_shipping_id.amazon_vendor_party_id, "ABE2")

        manager = new_test_user(self.env, "changes_manager", groups=(
            "sales_team.group_sale_salesman_all_leads,"
            "acorn_amazon_vendor.group_amazon_vendor_manager"))
        # a person applies them; Amazon's item fields, guarded against people, still change
        order.with_user(manager).action_amazon_vendor_apply_changes()
        lines = {ln.amazon_vendor_item_sequence: ln for ln in order.order_line}
        self.assertEqual((lines["1"].amazon_vendor_net_cost_text, lines["1"].price_unit),
                         ("19.5", 19.5))
        self.assertEqual((lines["2"].amazon_vendor_ordered_qty, lines["2"].product_uom_qty,
                          lines["2"].amazon_vendor_ack_code), (0, 0, "reject"))
        new = lines["3"]
        self.assertEqual(new.product_id, self.products[added["vendor_sku"]])
        self.assertEqual((new.amazon_vendor_ordered_qty, new.amazon_vendor_accepted_qty,
                          new.product_uom_qty, new.amazon_vendor_net_cost_text),
                         (5, 5, 5, added["net_cost"]))
        self.assertTrue(lines["4"].amazon_vendor_unmatched)
        self.assertEqual(lines["4"].amazon_vendor_rejection_reason, "InvalidProductIdentifier")
        self.assertEqual(order.partner_shipping_id.amazon_vendor_party_id, "TEB3")
        self.assertEqual(order.amazon_vendor_ship_to_code, "TEB3")
        self.assertEqual(picking.partner_id, order.partner_shipping_id, "the open delivery too")
        self.assertIn(self.products[added["vendor_sku"]], order.picking_ids.move_ids.product_id)
        self.assertFalse(order.amazon_vendor_changed)
        self.assertNotEqual(ack.transaction_id, first_transaction, "acknowledged again")
        sent = {i["itemSequenceNumber"]: i
                for i in ack._get_payload("payload_out")["acknowledgements"][0]["items"]}
        self.assertEqual(sent["1"]["netCost"]["amount"], "19.5")
        self.assertEqual(sent["3"]["itemAcknowledgements"][0]["acknowledgementCode"],
                         "Accepted")
        self.assertNotIn("2", sent, "a cancelled item has nothing to acknowledge")

    def test_ship_to_change_after_goods_left_is_flagged_not_applied(self):
        order = self._confirmed_with_two_items()
        product = order.order_line[0].product_id
        self._deliver(order, {product: 4})
        centre = order.partner_shipping_id
        payload = order.amazon_vendor_document_id._get_payload("payload_in")
        payload["orderDetails"]["shipToParty"] = {"partyId": "TEB3"}
        self._feed(order, payload)
        self.assertIn("ABE2 → TEB3", str(order.amazon_vendor_change_summary))
        order.action_amazon_vendor_apply_changes()
        self.assertEqual(order.partner_shipping_id, centre)
        self.assertIn("already left for ABE2", order.amazon_vendor_issues)


@tagged("post_install", "-at_install")
class TestApprovalAndAcknowledgementStates(CorrectnessCase):
    def test_waiting_for_approval_is_saved_and_the_managers_asked(self):
        self.account.ack_requires_approval = True
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], 50)
        self._po("PO000001", [(item, 10, "Eaches", 1)])
        self._po("PO000002", [(item, 5, "Eaches", 1)])
        orders = self._import()
        held = self._order("PO000001")
        approved = self._order("PO000002")
        orders.action_amazon_vendor_propose()
        approved.action_amazon_vendor_approve()
        action = orders.action_confirm()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("PO000001", action["params"]["message"])
        self.assertEqual((approved.state, approved.amazon_vendor_ack_state), ("sale", "sent"))
        self.assertEqual((held.state, held.amazon_vendor_ack_state), ("draft", "to_approve"))
        # Saved, not rolled back: read back from the database.
        self.env.flush_all()
        self.env.invalidate_all()
        self.env.cr.execute("SELECT amazon_vendor_ack_state, state FROM sale_order WHERE id = %s",
                            (held.id,))
        self.assertEqual(self.env.cr.fetchone(), ("to_approve", "draft"))
        self.assertEqual(held.read(["amazon_vendor_ack_state"])[0]["amazon_vendor_ack_state"],
                         "to_approve")
        self.assertEqual(Form(held).amazon_vendor_ack_state, "to_approve")
        approval = self.env.ref("acorn_amazon_vendor.mail_activity_type_amazon_vendor_approval")
        activities = held.activity_ids.filtered(lambda a: a.activity_type_id == approval)
        self.assertEqual(activities.user_id, self.env.ref("base.user_admin"))
        held.action_confirm()
        self.assertEqual(len(held.activity_ids.filtered(
            lambda a: a.activity_type_id == approval)), 1, "asked once")

        held.action_amazon_vendor_approve()
        self.assertEqual(held.amazon_vendor_ack_state, "to_acknowledge")
        self.assertFalse(held.activity_ids.filtered(lambda a: a.activity_type_id == approval))
        held.action_confirm()
        self.assertEqual((held.state, held.amazon_vendor_ack_state), ("sale", "sent"))

    def test_what_amazon_sent_and_a_managers_approval_cannot_be_written_by_others(self):
        self.account.ack_requires_approval = True
        item = self._item(0)
        self._po("PO000003", [(item, 5, "Eaches", 1)])
        self._import()
        order = self._order("PO000003")
        salesman = new_test_user(self.env, "ack_salesman", groups=(
            "sales_team.group_sale_salesman_all_leads,"
            "acorn_amazon_vendor.group_amazon_vendor_user"))
        as_salesman = order.with_user(salesman)
        with self.assertRaises(AccessError):
            as_salesman.write({"amazon_vendor_ack_approved": True})
        for values in ({"amazon_vendor_po_number": "PO999999"},
                       {"amazon_vendor_account_id": False}):
            with self.assertRaises(AccessError):
                as_salesman.write(values)
        as_salesman.write({"note": "Checked with the warehouse"})  # the rest stays theirs
        self.assertFalse(order.amazon_vendor_ack_approved)
        self.assertEqual(order.amazon_vendor_po_number, "PO000003")
        # the lines keep Amazon's item, quantity and cost (acknowledgements and invoices are
        # checked against them); the decision is the salesman's
        line = order.order_line.with_user(salesman)
        cost = order.order_line.amazon_vendor_net_cost_text
        for values in ({"amazon_vendor_net_cost_text": "0.01"},
                       {"amazon_vendor_net_cost": 0.01}, {"amazon_vendor_ordered_qty": 1},
                       {"amazon_vendor_item_sequence": "9"}, {"amazon_vendor_asin": False}):
            with self.assertRaises(AccessError, msg=str(values)):
                line.write(values)
        line.write({"amazon_vendor_net_cost_text": cost,  # unchanged: a form saving it back
                    "amazon_vendor_accepted_qty": 2, "amazon_vendor_backordered_qty": 3})
        self.assertEqual((order.order_line.amazon_vendor_net_cost_text,
                          order.order_line.amazon_vendor_ordered_qty,
                          order.order_line.amazon_vendor_accepted_qty),
                         (cost, 5, 2))
        # they may add a note or a product of their own, never an Amazon item
        with self.assertRaises(AccessError):
            self.env["sale.order.line"].with_user(salesman).create({
                "order_id": order.id, "product_id": order.order_line.product_id.id,
                "amazon_vendor_item_sequence": "9", "amazon_vendor_net_cost_text": "0.01"})
        as_salesman.write({"order_line": [Command.create({
            "display_type": "line_note", "name": "Pack in two cartons"})]})
        self.assertEqual(len(order.order_line), 2)
        # rebuilding from Amazon's purchase order (after a mapping) is Amazon's, not theirs
        as_salesman.action_amazon_vendor_reprocess()
        self.assertEqual(order.order_line.filtered("amazon_vendor_item_sequence")
                         .mapped("amazon_vendor_ordered_qty"), [5])

    def test_wizard_leaves_an_order_waiting_for_approval(self):
        self.account.ack_requires_approval = True
        self._po("PO000001", [(self._item(0), 10, "Eaches", 1)])
        order = self._import()
        action = order.action_amazon_vendor_acknowledge()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        result = wizard.action_send()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(result["params"]["next"], {"type": "ir.actions.act_window_close"})
        self.assertEqual((order.state, order.amazon_vendor_ack_state), ("draft", "to_approve"))

    def test_acknowledgement_only_queued_is_not_called_sent(self):
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], 50)
        self._po("PO000001", [(item, 10, "Eaches", 1)])
        order = self._import()
        order.action_amazon_vendor_propose()
        # Amazon answers 503 (nothing processed) to every try: the acknowledgement waits.
        self.simulator_control("faults", {"faults": [
            {"kind": "503", "operation": "submitAcknowledgement", "count": 20}]})
        order.action_confirm()
        ack = self._ack("PO000001")
        self.assertEqual(ack.state, "to_send", ack.error_message)
        self.assertEqual(order.amazon_vendor_ack_state, "queued")
        labels = dict(order._fields["amazon_vendor_ack_state"]._description_selection(self.env))
        self.assertEqual(labels["queued"], "Waiting to Be Sent")
        # The deadline alert covers it: confirmed, but Amazon has nothing yet.
        with freeze_time(order.amazon_vendor_ack_deadline - datetime.timedelta(hours=1)):
            self.env["sale.order"]._cron_amazon_vendor_ack_deadlines()
        self.assertTrue(order.amazon_vendor_deadline_alerted)
        self.simulator_control("faults/clear")
        ack.next_attempt_at = False
        self.env["amazon.vendor.document"]._cron_send_documents()
        self.assertEqual(ack.state, "sent", ack.error_message)
        self.assertEqual(order.amazon_vendor_ack_state, "sent")

    def test_purchase_order_without_items_is_a_flagged_draft(self):
        payload = self._po_json("PO000001", [])
        self.assertEqual(payload["orderDetails"]["items"], [])
        Document = self.env["amazon.vendor.document"]
        doc = Document.create({"account_id": self.account.id, "kind": "purchase_order",
                               "external_id": "PO000001",
                               "payload_in": Document._encode_payload(payload)})
        doc._amazon_vendor_process_purchase_orders()
        order = self._order("PO000001")
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.order_line)
        self.assertFalse(order.amazon_vendor_ack_state, "nothing to acknowledge")
        self.assertIn("Amazon sent this purchase order without items",
                      order.amazon_vendor_issues)
        self.assertIn("without items", order.activity_ids.summary)
        self.assertEqual(self.account.dashboard_to_acknowledge, 0)
        with self.assertRaisesRegex(UserError, "without items"):
            order.action_confirm()


@tagged("post_install", "-at_install")
class TestCorrectedDocuments(CorrectnessCase):
    def _refuse(self, doc):
        self.simulator_control("transactions/settle")  # what came before goes through
        self.simulator_control("faults", {"transaction_failure_rate": 1})
        doc._send_to_amazon()
        self.simulator_control("transactions/settle")
        doc._poll_amazon_status()
        self.simulator_control("faults/clear")
        self.assertEqual(doc.state, "failed")

    def test_refused_original_asn_is_corrected_and_sent_as_original(self):
        order = self._confirmed("PO000001", [(self._item(0), 3, "Eaches", 1)])
        picking = order.picking_ids
        self._pack_and_validate(picking, [order.order_line.product_id])
        doc = picking.amazon_vendor_asn_document_id
        self._refuse(doc)
        self.assertFalse(doc.ever_accepted)
        self.assertIn("as an Original", picking.message_ids[0].body)
        picking.amazon_vendor_carrier_scac = "FDEG"  # the correction
        picking.action_amazon_vendor_send_asn()
        asn = doc._get_payload("payload_out")["shipmentConfirmations"][0]
        self.assertEqual(asn["shipmentConfirmationType"], "Original",
                         "Amazon never registered the refused one: no Replace")
        self.assertEqual(doc.state, "sent", doc.error_message)
        self._settle(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)
        self.assertTrue(doc.ever_accepted)
        # Once accepted, a correction replaces it; a refused Replace stays a Replace.
        picking.amazon_vendor_pro_number = "PRO42"
        picking.action_amazon_vendor_send_asn()
        self.assertEqual(doc._get_payload("payload_out")["shipmentConfirmations"][0][
            "shipmentConfirmationType"], "Replace")
        with self.assertRaisesRegex(UserError, "not answered"):
            picking.action_amazon_vendor_send_asn()
        self._settle(doc)
        self.assertEqual(doc.state, "accepted", doc.error_message)

    def test_refused_invoice_keeps_its_number_accepted_one_is_never_resent(self):
        order = self._confirmed("PO000001", [(self._item(0), 4, "Eaches", 1)])
        self._pack_and_validate(order.picking_ids, [order.order_line.product_id])
        asn = order.picking_ids.amazon_vendor_asn_document_id
        asn._send_to_amazon()
        self._settle(asn)
        move = order._create_invoices()
        move.action_post()
        doc = move.amazon_vendor_document_id
        self._refuse(doc)
        move.action_amazon_vendor_send()
        self.assertEqual(move.amazon_vendor_document_id, doc)
        self.assertEqual((doc.external_id, doc._get_payload("payload_out")["invoices"][0]["id"]),
                         (move.name, move.name), "the same number: Amazon never registered it")
        self.assertEqual(doc.state, "sent", doc.error_message)
        self.simulator_control("transactions/settle")
        doc._poll_amazon_status()
        self.assertEqual(doc.state, "accepted", doc.error_message)
        with self.assertRaisesRegex(UserError, "can never be sent again"):
            move.action_amazon_vendor_send()
        # Reset, edited and posted again: flagged, never queued under the used number.
        move.button_draft()
        move.action_post()
        self.assertEqual(doc.state, "accepted")
        self.assertIn("credit note", move.amazon_vendor_issues)


@tagged("post_install", "-at_install")
class TestUnansweredDocuments(CorrectnessCase):
    def _shipped(self, number, send=True):
        self.account.alert_emails = False
        order = self._confirmed(number, [(self._item(0), 3, "Eaches", 1)])
        picking = order.picking_ids
        self._pack_and_validate(picking, [order.order_line.product_id])
        doc = picking.amazon_vendor_asn_document_id
        self.assertTrue(doc, picking.amazon_vendor_asn_issues)
        if send:
            doc._send_to_amazon()
            self.assertEqual(doc.state, "sent", doc.error_message)
        return picking, doc

    def test_asn_submitted_in_time_without_answer_is_not_late(self):
        self._stay_processing(["shipment_confirmation"])
        picking, doc = self._shipped("PO000001")
        self.simulator_control("transactions/settle")
        doc._poll_amazon_status()
        self.assertEqual((doc.state, doc.amazon_status), ("sent", "Processing"))
        labels = dict(doc._fields["state"]._description_selection(self.env))
        self.assertEqual(labels[doc.state], "Submitted, No Answer Yet")
        with freeze_time(picking.amazon_vendor_asn_deadline + datetime.timedelta(hours=3)):
            self.env["stock.picking"]._cron_amazon_vendor_asn_timing()
            self.account.invalidate_recordset()
            self.assertEqual(self.account.dashboard_asn_late, 0)
        self.assertFalse(picking.amazon_vendor_asn_late_alerted)
        self.assertFalse(picking.activity_ids.filtered(lambda a: "Late ASN" in a.summary))

    def test_asn_not_submitted_or_refused_by_the_deadline_is_late(self):
        picking, doc = self._shipped("PO000001", send=False)
        self.simulator_control("transactions/settle")
        refused, refused_doc = self._shipped("PO000002")
        self.simulator_control("faults", {"transaction_failure_rate": 1})
        self.simulator_control("transactions/settle")
        refused_doc._poll_amazon_status()
        self.simulator_control("faults/clear")
        self.assertEqual(refused_doc.state, "failed")
        Picking = self.env["stock.picking"]
        Picking._cron_amazon_vendor_asn_timing()
        self.assertFalse(picking.amazon_vendor_asn_late_alerted, "not due yet")
        with freeze_time(picking.amazon_vendor_asn_deadline + datetime.timedelta(hours=1)):
            self.account.invalidate_recordset()
            self.assertEqual(self.account.dashboard_asn_late, 2)
            Picking._cron_amazon_vendor_asn_timing()
        self.assertTrue(picking.amazon_vendor_asn_late_alerted)
        self.assertTrue(refused.amazon_vendor_asn_late_alerted)
        self.assertIn("Late ASN", picking.activity_ids.mapped("summary")[0])

    def test_asn_submitted_after_its_deadline_is_late(self):
        picking, doc = self._shipped("PO000001", send=False)
        with freeze_time(picking.amazon_vendor_asn_deadline + datetime.timedelta(hours=2)):
            doc._send_to_amazon()
            self.assertEqual(doc.state, "sent", doc.error_message)
            self.env["stock.picking"]._cron_amazon_vendor_asn_timing()
        self.assertTrue(picking.amazon_vendor_asn_late_alerted)

    def test_dashboard_counts_refused_apart_from_no_answer(self):
        self._stay_processing(["invoice"])
        waiting = self._confirmed("PO000001", [(self._item(0), 2, "Eaches", 1)])
        refused = self._confirmed("PO000002", [(self._item(2), 2, "Eaches", 1)])
        moves = self.env["account.move"]
        for order in waiting | refused:
            self._pack_and_validate(order.picking_ids, [order.order_line.product_id])
            asn = order.picking_ids.amazon_vendor_asn_document_id
            asn._send_to_amazon()
            self._settle(asn)
            move = order._create_invoices()
            move.action_post()
            moves |= move
        waiting_move = moves.filtered(lambda m: m.amazon_vendor_po_numbers == "PO000001")
        refused_move = moves - waiting_move
        waiting_move.amazon_vendor_document_id._send_to_amazon()
        self.simulator_control("transactions/settle")
        waiting_move.amazon_vendor_document_id._poll_amazon_status()
        self.simulator_control("faults", {"transaction_failure_rate": 1})
        refused_move.amazon_vendor_document_id._send_to_amazon()
        self.simulator_control("transactions/settle")
        refused_move.amazon_vendor_document_id._poll_amazon_status()
        self.assertEqual(waiting_move.amazon_vendor_state, "sent")
        self.assertEqual(refused_move.amazon_vendor_state, "failed")
        self.account.invalidate_recordset()
        self.assertEqual(self.account.dashboard_invoices_refused, 1)
        self.assertEqual(self.account.dashboard_invoices_no_answer, 1)
        action = self.account.with_context(
            dashboard_figure="invoices_refused").action_dashboard_open()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]), refused_move)

    def test_dashboard_counts_what_still_needs_a_person(self):
        Document = self.env["amazon.vendor.document"]
        self.account.invalidate_recordset()
        before = (self.account.dashboard_orders_failed, self.account.dashboard_documents_unknown,
                  self.account.dashboard_to_acknowledge)
        failed_po = Document.create({"account_id": self.account.id, "kind": "purchase_order",
                                     "external_id": "PO0BAD01",
                                     "state": "failed"})
        unknown = Document.create({"account_id": self.account.id, "kind": "invoice",
                                   "external_id": "INV/UNKNOWN", "state": "unknown"})
        order = self._confirmed("PO000003", [(self._item(0), 2, "Eaches", 1)])
        self.assertEqual(order.state, "sale")
        order.amazon_vendor_ack_state = "failed"  # Amazon refused the acknowledgement
        self.account.invalidate_recordset()
        self.assertEqual((self.account.dashboard_orders_failed,
                          self.account.dashboard_documents_unknown,
                          self.account.dashboard_to_acknowledge),
                         (before[0] + 1, before[1] + 1, before[2] + 1))
        for figure, record in (("orders_failed", failed_po), ("documents_unknown", unknown),
                               ("to_acknowledge", order)):
            action = self.account.with_context(dashboard_figure=figure).action_dashboard_open()
            self.assertIn(record, self.env[action["res_model"]].search(action["domain"]))
