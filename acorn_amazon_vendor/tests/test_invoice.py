import datetime
import io

import openpyxl

from odoo import Command
from odoo.tests import freeze_time, tagged

from ..lib import amazon_schema
from .common_po import PurchaseOrderCase


@tagged("post_install", "-at_install")
class TestAmazonInvoices(PurchaseOrderCase):
    def _shipped_order(self, number, items, quantities=None):
        for item, amount, _unit, _size in items:
            self._stock(self.products[item["vendor_sku"]], amount * 10)
        self._po(number, items)
        order = self.env["sale.order"].browse(
            self._import().filtered(lambda o: o.client_order_ref == number).id)
        order.action_amazon_vendor_propose()
        order.action_confirm()
        self._deliver(order, quantities)
        # Amazon pays what it received: its fulfilment centre books the goods in.
        self.simulator_control(f"purchase-orders/{number}/receive", {"all": True})
        return order

    def _invoice(self, orders, post=True, edit=None):
        move = orders._create_invoices()
        if edit:
            edit(move)
        if post:
            move.action_post()
        return move

    def _sent_body(self, move):
        doc = move.amazon_vendor_document_id
        self.assertTrue(doc, move.amazon_vendor_issues)
        return doc, doc._get_payload("payload_out")

    def test_posted_invoice_is_sent_and_accepted(self):
        item = self._item(0)
        order = self._shipped_order("PO000001", [(item, 6, "Eaches", 1)])
        move = self._invoice(order)
        doc, body = self._sent_body(move)
        self.assertEqual((doc.kind, doc.state, doc.external_id), ("invoice", "to_send", move.name))
        self.assertFalse(amazon_schema.validate("vendor_invoices_v1", "SubmitInvoicesRequest",
                                                body))
        invoice = body["invoices"][0]
        self.assertEqual(invoice["invoiceType"], "Invoice")
        self.assertEqual(invoice["invoiceTotal"], {"currencyCode": "USD",
                                                   "amount": f"{move.amount_total:.2f}"})
        line = invoice["items"][0]
        self.assertEqual(line["purchaseOrderNumber"], "PO000001")
        self.assertEqual(line["netCost"]["amount"], item["net_cost"])
        self.assertEqual(line["invoicedQuantity"]["amount"], 6)
        self.assertEqual(invoice["remitToParty"]["partyId"], "ACRN1")
        self.assertEqual(invoice["shipToParty"]["partyId"], "ABE2")
        self.env["amazon.vendor.document"]._cron_send_documents()
        self.assertEqual(doc.state, "sent", doc.error_message)
        self.simulator_control("transactions/settle")
        doc._poll_amazon_status()
        self.assertEqual(doc.state, "accepted")
        self.assertEqual(move.amazon_vendor_state, "accepted")
        self.assertIn("Amazon accepted", move.message_ids[0].body)

    def _order_as_sent(self, raw):
        """The quotation of Amazon's order ``raw`` as Amazon sent it (read, not fetched)."""
        self.account._upsert_purchase_orders([raw])
        self.env["amazon.vendor.document"].search([
            ("kind", "=", "purchase_order"), ("external_id", "=", raw["purchaseOrderNumber"])
        ])._amazon_vendor_process_purchase_orders()
        return self.env["sale.order"].search([
            ("client_order_ref", "=", raw["purchaseOrderNumber"])])

    def test_amazons_vat_number_from_its_order_is_on_the_invoice(self):
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], 60)
        raw = self._po("PO000010", [(item, 6, "Eaches", 1)])
        vat = {"taxRegistrationType": "VAT", "taxRegistrationNumber": "LU20260743"}
        raw["orderDetails"]["billToParty"]["taxInfo"] = vat
        order = self._order_as_sent(raw)
        order.action_amazon_vendor_propose()
        order.action_confirm()
        self._deliver(order)
        _doc, body = self._sent_body(self._invoice(order))
        self.assertEqual(body["invoices"][0]["billToParty"]["taxRegistrationDetails"], [vat])

    def test_an_item_priced_by_weight_is_confirmed_per_weight_and_not_invoiced(self):
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], 60)
        raw = self._po("PO000009", [(item, 6, "Eaches", 1)])
        raw["orderDetails"]["items"][0]["netCost"]["unitOfMeasure"] = "POUNDS"
        order = self._order_as_sent(raw)
        self.assertIn("per POUNDS", order.amazon_vendor_issues)
        self.assertEqual(order.order_line.amazon_vendor_cost_unit, "POUNDS")
        order.action_amazon_vendor_propose()
        order.action_confirm()
        ack = self.env["amazon.vendor.document"].search([
            ("kind", "=", "acknowledgement"), ("external_id", "=", "PO000009")])
        sent = ack._get_payload("payload_out")["acknowledgements"][0]["items"][0]
        self.assertEqual(sent["netCost"]["unitOfMeasure"], "POUNDS")
        self._deliver(order)
        move = self._invoice(order)
        self.assertFalse(move.amazon_vendor_document_id, "never sent per unit")
        self.assertIn("invoice it in Vendor Central", move.amazon_vendor_issues)

    def test_eu_vat_charges_and_allowances_add_up(self):
        vat = self.env["account.tax"].create({
            "name": "VAT 19%", "amount": 19, "amount_type": "percent", "type_tax_use": "sale",
            "amazon_vendor_tax_type": "VAT"})
        for product in self.products.values():
            product.taxes_id = vat
        freight = self.env["product.product"].create({
            "name": "Freight", "type": "service", "amazon_vendor_charge_type": "Freight",
            "taxes_id": [Command.set(vat.ids)]})
        discount = self.env["product.product"].create({
            "name": "Early payment", "type": "service", "amazon_vendor_allowance_type": "Discount",
            "taxes_id": [Command.set(vat.ids)]})
        order = self._shipped_order("PO000001", [(self._item(0), 3, "Eaches", 1),
                                                 (self._item(2), 7, "Eaches", 1)])

        def add_lines(move):
            move.write({"invoice_line_ids": [
                Command.create({"product_id": freight.id, "quantity": 1, "price_unit": 25.0}),
                Command.create({"product_id": discount.id, "quantity": 1,
                                "price_unit": -10.0})]})
        move = self._invoice(order, edit=add_lines)
        _doc, body = self._sent_body(move)
        invoice = body["invoices"][0]
        self.assertEqual(invoice["invoiceTotal"]["amount"], f"{move.amount_total:.2f}")
        tax = invoice["taxDetails"][0]
        self.assertEqual((tax["taxType"], tax["taxAmount"]["amount"]),
                         ("VAT", f"{move.amount_tax:.2f}"))
        self.assertEqual(invoice["chargeDetails"][0]["type"], "Freight")
        self.assertEqual(invoice["chargeDetails"][0]["chargeAmount"]["amount"], "25.00")
        self.assertEqual(invoice["allowanceDetails"][0]["type"], "Discount")
        self.assertEqual(len(invoice["items"]), 2)
        self.assertFalse(amazon_schema.validate("vendor_invoices_v1", "SubmitInvoicesRequest",
                                                body))

    def test_several_purchase_orders_on_one_invoice(self):
        first = self._shipped_order("PO000001", [(self._item(0), 4, "Eaches", 1)])
        second = self._shipped_order("PO000002", [(self._item(2), 5, "Eaches", 1)])
        move = self._invoice(first | second)
        self.assertEqual(len(move), 1)
        _doc, body = self._sent_body(move)
        numbers = {i["purchaseOrderNumber"] for i in body["invoices"][0]["items"]}
        self.assertEqual(numbers, {"PO000001", "PO000002"})
        self.assertEqual(move.amazon_vendor_po_numbers, "PO000001, PO000002")
        move.amazon_vendor_document_id._send_to_amazon()
        self.simulator_control("transactions/settle")
        move.amazon_vendor_document_id._poll_amazon_status()
        self.assertEqual(move.amazon_vendor_state, "accepted")

    def _refund(self, invoice, quantity):
        wizard = self.env["account.move.reversal"].with_context(
            active_model="account.move", active_ids=invoice.ids).create({
                "reason": "Price correction", "journal_id": invoice.journal_id.id})
        refund = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        refund.invoice_line_ids.quantity = quantity
        refund.action_post()
        return refund

    def test_us_credit_notes_stay_in_odoo(self):
        order = self._shipped_order("PO000001", [(self._item(0), 6, "Eaches", 1)])
        refund = self._refund(self._invoice(order), 2)
        self.assertFalse(refund.amazon_vendor_document_id)
        self.assertIn("only for BE, DE", refund.amazon_vendor_issues)
        self.assertIn("this one is for US", refund.amazon_vendor_issues)

    def test_credit_note_references_the_invoice(self):
        order = self._shipped_order("PO000001", [(self._item(0), 6, "Eaches", 1)])
        invoice = self._invoice(order)
        # A fulfilment centre in a country where Amazon takes credit notes through the API.
        order.partner_shipping_id.country_id = self.env.ref("base.de")
        refund = self._refund(invoice, 2)
        doc, body = self._sent_body(refund)
        self.assertEqual(doc.kind, "credit_note")
        credit = body["invoices"][0]
        self.assertEqual(credit["invoiceType"], "CreditNote")
        self.assertEqual(credit["items"][0]["creditNoteDetails"]["referenceInvoiceNumber"],
                         invoice.name)
        self.assertFalse(amazon_schema.validate("vendor_invoices_v1", "SubmitInvoicesRequest",
                                                body))

    def test_blocking_checks_keep_the_invoice_home(self):
        order = self._shipped_order("PO000001", [(self._item(0), 10, "Eaches", 1)])
        item_product = self.products[self._item(0)["vendor_sku"]]

        def wrong(move):
            line = move.invoice_line_ids.filtered(lambda ln: ln.product_id == item_product)
            line.write({"price_unit": line.price_unit + 1, "quantity": 12})
        move = self._invoice(order, edit=wrong)
        self.assertFalse(move.amazon_vendor_document_id)
        self.assertIn("net cost 23.01 differs", move.amazon_vendor_issues.replace(
            str(float(self._item(0)["net_cost"]) + 1), "23.01"))
        self.assertIn("shipped", move.amazon_vendor_issues)
        self.assertTrue(move.activity_ids)

    def test_refused_invoice_is_explained(self):
        order = self._shipped_order("PO000001", [(self._item(0), 2, "Eaches", 1)])
        move = self._invoice(order)
        self.simulator_control("faults", {"transaction_failure_rate": 1})
        move.amazon_vendor_document_id._send_to_amazon()
        self.simulator_control("transactions/settle")
        move.amazon_vendor_document_id._poll_amazon_status()
        self.assertEqual(move.amazon_vendor_state, "failed")
        self.assertTrue(move.amazon_vendor_error)
        self.assertIn("Amazon refused invoice", move.message_ids[0].body)
        self.assertTrue(move.activity_ids)

    def test_invoice_processing_too_long_raises_one_alert(self):
        order = self._shipped_order("PO000001", [(self._item(0), 2, "Eaches", 1)])
        move = self._invoice(order)
        doc = move.amazon_vendor_document_id
        self.simulator_control("settings", {"transaction_delay": 10 ** 6})
        doc._send_to_amazon()
        self.account.processing_alert_hours = 4
        with freeze_time(doc.sent_at + datetime.timedelta(hours=5)):
            doc._poll_amazon_status()
            doc._poll_amazon_status()
        self.assertEqual((doc.state, doc.amazon_status), ("sent", "Processing"))
        self.assertTrue(doc.stuck_alerted)
        self.assertEqual(len(move.activity_ids), 1, "alerted once, not at every poll")
        self.assertIn("4 hours ago", move.activity_ids.note)
        self.assertIn("not refused", move.activity_ids.note)

    def test_three_way_match_and_xlsx_export(self):
        full = self._shipped_order("PO000001", [(self._item(0), 10, "Eaches", 1)])
        item = self._item(2)
        short = self._shipped_order("PO000002", [(item, 8, "Eaches", 1)],
                                    quantities={self.products[item["vendor_sku"]]: 5})
        self._invoice(full)
        Match = self.env["amazon.vendor.match"]
        rows = Match.search([("account_id", "=", self.account.id)])
        by_po = {r.po_number: r for r in rows}
        self.assertEqual((by_po["PO000001"].ordered_qty, by_po["PO000001"].shipped_qty,
                          by_po["PO000001"].invoiced_qty), (10, 10, 10))
        self.assertFalse(by_po["PO000001"].has_discrepancy)
        self.assertEqual(by_po["PO000002"].shipped_qty, 5)
        self.assertEqual(short.order_line.qty_delivered, 5)
        action = rows.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3]
                                                          .split("?")[0]))
        book = openpyxl.load_workbook(io.BytesIO(attachment.raw))
        sheet = book.active
        header = [c.value for c in sheet[1]]
        self.assertEqual(header[:4], ["Amazon PO", "Sale Order", "Account", "Fulfilment Centre"])
        values = {sheet.cell(r, 1).value: [c.value for c in sheet[r]]
                  for r in range(2, sheet.max_row)}
        shipped_col = header.index("Shipped")
        self.assertEqual(values["PO000001"][shipped_col], 10)
        self.assertEqual(values["PO000002"][shipped_col], 5)
        total_row = sheet.max_row
        self.assertEqual(sheet.cell(total_row, 1).value, "Total")
        self.assertTrue(str(sheet.cell(total_row, shipped_col + 1).value).startswith("=SUM("))
        self.assertEqual(sheet.cell(2, shipped_col + 1).number_format, "#,##0")
