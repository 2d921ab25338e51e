import datetime

from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, tagged

from ..lib import amazon_schema
from .common_po import UTC, PurchaseOrderCase


@tagged("post_install", "-at_install")
class TestPurchaseOrdersToSaleOrders(PurchaseOrderCase):
    # -- mapping ----------------------------------------------------------------------------
    def test_purchase_order_becomes_a_priced_dated_addressed_quotation(self):
        item, case_item = self._item(0), self._item(1)
        self._po("PO000001", [(item, 10, "Eaches", 1),
                              (case_item, 3, "Cases", case_item["case_size"])])
        order = self._import()
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.client_order_ref, "PO000001")
        self.assertEqual(order.partner_id, self.amazon_partner)
        self.assertEqual(order.partner_shipping_id.amazon_vendor_party_id, "ABE2")
        self.assertEqual(order.partner_shipping_id.city, "Breinigsville")
        self.assertEqual(order.partner_shipping_id.state_id.code, "PA")
        self.assertEqual(order.partner_invoice_id.type, "invoice")
        self.assertEqual(order.amazon_vendor_window_kind, "delivery")
        self.assertEqual(order.commitment_date, order.amazon_vendor_window_start)
        self.assertEqual(order.amazon_vendor_ack_state, "to_acknowledge")
        self.assertEqual(order.amazon_vendor_ack_deadline,
                         order.amazon_vendor_po_date + datetime.timedelta(hours=24))
        lines = order.order_line.sorted("amazon_vendor_item_sequence")
        self.assertEqual(lines.product_id, self.products[item["vendor_sku"]]
                         | self.products[case_item["vendor_sku"]])
        self.assertEqual(lines[0].product_uom_qty, 10)
        self.assertEqual(lines[1].product_uom_qty, 3 * case_item["case_size"],
                         "cases are converted to units exactly")
        self.assertEqual(lines[1].amazon_vendor_uom, "Cases")
        self.assertAlmostEqual(lines[0].price_unit, float(item["net_cost"]))
        self.assertAlmostEqual(lines[0].amazon_vendor_list_price, float(item["list_price"]))
        self.assertTrue(lines[0].amazon_vendor_backorder_allowed)
        self.assertIn("Fulfilment centre ABE2 was not known", order.amazon_vendor_issues)
        doc = order.amazon_vendor_document_id
        self.assertEqual((doc.state, doc.res_model, doc.res_id), ("processed", "sale.order",
                                                                  order.id))

    def test_second_import_creates_nothing_and_known_centre_is_not_flagged(self):
        self._po("PO000001", [(self._item(0), 5, "Eaches", 1)])
        first = self._import()
        self._po("PO000002", [(self._item(2), 5, "Eaches", 1)])
        orders = self._import()
        self.assertEqual(len(orders), 2)
        second = orders - first
        self.assertFalse(second.amazon_vendor_issues)
        self.assertEqual(second.partner_shipping_id, first.partner_shipping_id)
        self.assertEqual(len(self._import()), 2, "running again creates nothing")

    def test_matching_by_asin_or_barcode_in_configured_order(self):
        item = self._item(0)
        product = self.products[item["vendor_sku"]]
        product.default_code = "OWN-REF"  # SKU no longer matches: the ASIN does
        order_item = dict(item)
        self._po("PO000001", [(order_item, 5, "Eaches", 1)])
        self.assertEqual(self._import().order_line.product_id, product)
        other = self._item(2)
        by_ean = dict(other, vendor_sku=other["ean"], asin="B000000000")
        self._po("PO000002", [(by_ean, 5, "Eaches", 1)])
        order = self._import().filtered(lambda o: o.client_order_ref == "PO000002")
        self.assertEqual(order.order_line.product_id, self.products[other["vendor_sku"]])

    def test_unmatched_line_is_visible_and_reprocessed_once_mapped(self):
        self._po("PO000001", [(self._item(0), 5, "Eaches", 1), (self.unmapped, 7, "Eaches", 1)])
        order = self._import()
        self.assertEqual(order.amazon_vendor_unmatched_count, 1)
        note = order.order_line.filtered("amazon_vendor_unmatched")
        self.assertEqual(note.display_type, "line_note")
        self.assertIn(self.unmapped["asin"], note.name)
        self.assertIn("no product matches", order.amazon_vendor_issues)
        self.assertIn("needs attention", order.message_ids[0].body)
        self.assertEqual(order.activity_ids.user_id, self.account.responsible_user_id)
        product = self.env["product.product"].create({
            "name": "Late mapping", "is_storable": True,
            "amazon_vendor_asin": self.unmapped["asin"]})
        order.action_amazon_vendor_reprocess()
        self.assertEqual(order.amazon_vendor_unmatched_count, 0)
        self.assertIn(product, order.order_line.product_id)
        self.assertEqual(order.order_line.filtered(
            lambda ln: ln.product_id == product).product_uom_qty, 7)
        self.assertFalse(order.activity_ids)

    def test_price_currency_and_past_window_are_flagged(self):
        item = self._item(0)
        self.products[item["vendor_sku"]].amazon_vendor_net_cost = float(item["net_cost"]) + 1
        self.pricelist.currency_id = self.env.ref("base.EUR")
        self._po("PO000001", [(item, 5, "Eaches", 1)], window_days=(-10, -3), age_hours=300)
        order = self._import()
        issues = order.amazon_vendor_issues
        self.assertIn("differs from the agreed cost", issues)
        self.assertIn("is in USD but the pricelist", issues)
        self.assertIn("window ended", issues)
        self.assertTrue(order.amazon_vendor_has_issues)
        self.account.price_tolerance = 50
        order.action_amazon_vendor_reprocess()
        self.assertNotIn("agreed cost", order.amazon_vendor_issues)

    # -- acknowledgement --------------------------------------------------------------------
    def test_rules_propose_accept_backorder_and_reject(self):
        stocked, short, unknown = self._item(0), self._item(2), self.unmapped
        self._stock(self.products[stocked["vendor_sku"]], 50)
        self._stock(self.products[short["vendor_sku"]], 4)
        self._po("PO000001", [(stocked, 20, "Eaches", 1), (short, 10, "Eaches", 1),
                              (unknown, 3, "Eaches", 1)])
        order = self._import()
        order.action_amazon_vendor_propose()
        lines = {ln.amazon_vendor_item_sequence: ln for ln in order.order_line}
        self.assertEqual((lines["1"].amazon_vendor_ack_code, lines["1"].amazon_vendor_accepted_qty),
                         ("accept", 20))
        self.assertEqual((lines["2"].amazon_vendor_accepted_qty,
                          lines["2"].amazon_vendor_backordered_qty), (4, 6))
        self.assertTrue(lines["2"].amazon_vendor_backorder_date)
        self.assertEqual((lines["3"].amazon_vendor_rejected_qty,
                          lines["3"].amazon_vendor_rejection_reason),
                         (3, "InvalidProductIdentifier"))

    def test_no_backorder_allowed_rejects_the_shortfall(self):
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], 4)
        self._po("PO000001", [(item, 10, "Eaches", 1)], backorder=False)
        order = self._import()
        order.action_amazon_vendor_propose()
        line = order.order_line
        self.assertEqual((line.amazon_vendor_accepted_qty, line.amazon_vendor_rejected_qty,
                          line.amazon_vendor_rejection_reason), (4, 6, "TemporarilyUnavailable"))

    def test_wizard_confirms_and_acknowledgement_is_accepted_by_amazon(self):
        item, short = self._item(0), self._item(2)
        self._stock(self.products[item["vendor_sku"]], 100)
        self._po("PO000001", [(item, 10, "Eaches", 1), (short, 8, "Eaches", 1)])
        order = self._import()
        action = order.action_amazon_vendor_acknowledge()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(len(wizard.line_ids), 2)
        with Form(wizard) as form:
            with form.line_ids.edit(1) as line:
                line.code = "reject"
                line.rejection_reason = "ObsoleteProduct"
        self.assertLess(wizard.confirmation_rate, 80)
        self.assertIn("confirmation rate", wizard.rate_warning)
        wizard.action_send()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.amazon_vendor_ack_state, "sent")
        shipped = order.order_line.filtered(lambda ln: ln.amazon_vendor_item_sequence == "2")
        self.assertEqual(shipped.product_uom_qty, 0, "rejected units never ship")
        self.assertIn("confirmation rate", order.message_ids.mapped("body")[1] + "".join(
            order.message_ids.mapped("body")))
        doc = self.env["amazon.vendor.document"].search([("kind", "=", "acknowledgement"),
                                                         ("external_id", "=", "PO000001")])
        self.assertEqual(doc.state, "sent", doc.error_message)
        body = doc._get_payload("payload_out")
        self.assertFalse(amazon_schema.validate("vendor_orders_v1",
                                                "SubmitAcknowledgementRequest", body))
        items = body["acknowledgements"][0]["items"]
        self.assertEqual(items[1]["itemAcknowledgements"][0]["rejectionReason"],
                         "ObsoleteProduct")
        self.simulator_control("transactions/settle")
        doc._poll_amazon_status()
        self.assertEqual(doc.amazon_status, "Processing", doc.error_message)
        with freeze_time(doc.sent_at + datetime.timedelta(minutes=20)):
            doc._poll_amazon_status()
        self.assertEqual(doc.state, "accepted")

    def test_guards_block_price_changes_and_require_approval(self):
        self.account.ack_requires_approval = True
        self._po("PO000001", [(self._item(0), 10, "Eaches", 1)])
        order = self._import()
        order.action_amazon_vendor_propose()
        action = order.action_confirm()
        self.assertIn("manager must approve", action["params"]["message"])
        self.assertEqual((order.state, order.amazon_vendor_ack_state), ("draft", "to_approve"))
        order.action_amazon_vendor_approve()
        order.order_line.price_unit += 1
        with self.assertRaisesRegex(UserError, "acknowledged cost must equal"):
            order.action_confirm()
        order.order_line.price_unit -= 1
        order.order_line.amazon_vendor_accepted_qty = 3
        with self.assertRaisesRegex(UserError, "must equal the 10 units ordered"):
            order.action_confirm()

    def test_deadline_alert_before_it_passes(self):
        self.account.write({"alert_emails": "ops@example.com", "ack_alert_hours": 4})
        self._po("PO000001", [(self._item(0), 10, "Eaches", 1)], age_hours=2)
        order = self._import()
        SaleOrder = self.env["sale.order"]
        SaleOrder._cron_amazon_vendor_ack_deadlines()
        self.assertFalse(order.activity_ids, "22 hours left: no alert yet")
        with freeze_time(order.amazon_vendor_ack_deadline - datetime.timedelta(hours=3)):
            SaleOrder._cron_amazon_vendor_ack_deadlines()
            SaleOrder._cron_amazon_vendor_ack_deadlines()
        self.assertEqual(len(order.activity_ids), 1, "warned once")
        self.assertIn("3 h 0 min left", order.activity_ids.note)
        mail = self.env["mail.mail"].search([("model", "=", "sale.order"),
                                             ("res_id", "=", order.id)])
        self.assertEqual(mail.email_to, "ops@example.com")

    def test_refused_acknowledgement_flags_the_order(self):
        self._po("PO000001", [(self._item(0), 10, "Eaches", 1)])
        order = self._import()
        order.action_amazon_vendor_propose()
        self.simulator_control("faults", {"transaction_failure_rate": 1})
        order.action_confirm()
        doc = self.env["amazon.vendor.document"].search([("kind", "=", "acknowledgement")])
        self.simulator_control("transactions/settle")
        doc._poll_amazon_status()
        self.assertEqual(doc.state, "failed")
        self.assertEqual(order.amazon_vendor_ack_state, "failed")
        self.assertTrue(order.activity_ids)

    # -- changes ----------------------------------------------------------------------------
    def test_changes_to_a_confirmed_order_are_shown_then_applied(self):
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], 100)
        self._po("PO000001", [(item, 10, "Eaches", 1), (self._item(2), 6, "Eaches", 1)])
        order = self._import()
        order.action_amazon_vendor_propose()
        order.action_confirm()
        self.simulator_control("purchase-orders/PO000001/change", {"items": [
            {"itemSequenceNumber": "1", "quantity": 4},
            {"itemSequenceNumber": "2", "cancel": True}]})
        self._import()
        self.assertTrue(order.amazon_vendor_changed)
        self.assertIn("10 → 4", order.amazon_vendor_change_summary)
        self.assertEqual(order.order_line.filtered(
            lambda ln: ln.amazon_vendor_item_sequence == "1").product_uom_qty, 10,
            "a confirmed order is never rewritten without a person")
        ack = self.env["amazon.vendor.document"].search([("kind", "=", "acknowledgement")])
        first_transaction = ack.transaction_id
        order.action_amazon_vendor_apply_changes()
        lines = {ln.amazon_vendor_item_sequence: ln for ln in order.order_line}
        self.assertEqual(lines["1"].product_uom_qty, 4)
        self.assertEqual(lines["2"].product_uom_qty, 0)
        self.assertFalse(order.amazon_vendor_changed)
        self.assertEqual(ack.state, "sent", ack.error_message)
        self.assertNotEqual(ack.transaction_id, first_transaction, "a new acknowledgement")
        self.assertIn(first_transaction, "".join(ack.message_ids.mapped("body")))
        sent = ack._get_payload("payload_out")["acknowledgements"][0]["items"]
        self.assertEqual(sent[0]["orderedQuantity"]["amount"], 4)

    def test_changes_to_a_quotation_are_followed(self):
        self._po("PO000001", [(self._item(0), 10, "Eaches", 1)])
        order = self._import()
        self.simulator_control("purchase-orders/PO000001/change", {"items": [
            {"itemSequenceNumber": "1", "quantity": 12}]})
        self._import()
        self.assertEqual(order.order_line.product_uom_qty, 12)
        self.assertFalse(order.amazon_vendor_changed)

    # -- performance ------------------------------------------------------------------------
    def test_queries_per_order_stay_flat(self):
        items = [(self._item(i), 5, "Eaches", 1) for i in range(4)]
        for n in range(12):
            self._po(f"PQ{n:06d}", items)
        self.account.write({"import_watermark": False})
        with self.account._amazon_vendor_api() as api:
            now = datetime.datetime.now(UTC)
            orders = [o for _s, _e, page in api.iter_purchase_order_pages(
                now - datetime.timedelta(days=2), now) for o in page]
        self.account._upsert_purchase_orders(orders)
        docs = self.env["amazon.vendor.document"].search([("kind", "=", "purchase_order")])
        SaleOrder = self.env["sale.order"]
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        SaleOrder._amazon_vendor_create_from_documents(docs[:2])
        self.env.flush_all()
        per_order_small = (self.env.cr.sql_log_count - before) / 2
        self.env.invalidate_all()
        # Hot path guard: 10 orders of 4 lines (2 orders cost about 108 queries).
        with self.assertQueryCount(175):
            SaleOrder._amazon_vendor_create_from_documents(docs[2:12])
            self.env.flush_all()
        self.assertEqual(len(SaleOrder.search([("amazon_vendor_document_id", "in", docs.ids)])),
                         12)
        self.assertLess(175 / 10, per_order_small, "queries per order fall as the batch grows")
