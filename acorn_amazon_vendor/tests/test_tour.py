from odoo.tests import HttpCase, tagged

from .common import create_simulation_account, reset_simulator, simulator_control, simulator_url
from .test_asn import ShipmentCase


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    def test_test_connection_tour(self):
        reset_simulator()
        account = create_simulation_account(self.env, "Amazon US (tour)", simulator_url())
        self.start_tour("/odoo/action-acorn_amazon_vendor.action_amazon_vendor_account",
                        "acorn_amazon_vendor_test_connection", login="admin")
        self.assertEqual(account.connection_state, "ok")
        self.assertIn("Connected to 127.0.0.1", account.connection_message)


@tagged("post_install", "-at_install")
class TestBusinessTours(HttpCase, ShipmentCase):
    """A person follows one PO through the UI: sync, acknowledge, ship, invoice."""

    def test_purchase_order_to_accepted_invoice(self):
        self.account.name = "Amazon US (tour)"
        item = self._item(0)
        product = self.products[item["vendor_sku"]]
        self._stock(product, 50)
        self._po("PT000001", [(item, 5, "Eaches", 1)])
        self.start_tour("/odoo/action-acorn_amazon_vendor.action_amazon_vendor_account",
                        "acorn_amazon_vendor_sync", login="admin")
        order = self.env["sale.order"].search([("amazon_vendor_po_number", "=", "PT000001")])
        self.assertEqual(order.state, "draft")
        self.start_tour("/odoo/action-acorn_amazon_vendor.action_amazon_vendor_orders",
                        "acorn_amazon_vendor_acknowledge", login="admin")
        self.assertEqual((order.state, order.amazon_vendor_ack_state), ("sale", "sent"))

        picking = order.picking_ids
        picking.write({"amazon_vendor_tracking": "1Z999AA10123456784"})
        picking.action_assign()
        self.start_tour(f"/odoo/action-stock.action_picking_tree_all/{picking.id}",
                        "acorn_amazon_vendor_validate_delivery", login="admin")
        asn = picking.amazon_vendor_asn_document_id
        self.assertTrue(asn, picking.amazon_vendor_asn_issues)
        asn._send_to_amazon()
        simulator_control("transactions/settle")
        asn._poll_amazon_status()
        self.start_tour(f"/odoo/action-stock.action_picking_tree_all/{picking.id}",
                        "acorn_amazon_vendor_asn_accepted", login="admin")

        invoice = order._create_invoices()
        self.start_tour(f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
                        "acorn_amazon_vendor_post_invoice", login="admin")
        doc = invoice.amazon_vendor_document_id
        self.assertEqual(doc.state, "to_send", invoice.amazon_vendor_issues)
        doc._send_to_amazon()
        simulator_control("transactions/settle")
        doc._poll_amazon_status()
        self.start_tour(f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
                        "acorn_amazon_vendor_invoice_accepted", login="admin")
        self.assertEqual(invoice.amazon_vendor_state, "accepted")
