from odoo.tests import tagged

from .common_po import PurchaseOrderCase


@tagged("post_install", "-at_install")
class TestDashboard(PurchaseOrderCase):
    def test_figures_and_rates_follow_the_business(self):
        self.env.company.amazon_vendor_gs1_prefix = "0614141"
        item, other = self._item(0), self._item(2)
        self._stock(self.products[item["vendor_sku"]], 100)
        self._po("PO000001", [(item, 10, "Eaches", 1)])
        self._po("PO000002", [(other, 4, "Eaches", 1)])
        orders = self._import()
        done = orders.filtered(lambda o: o.client_order_ref == "PO000001")
        pending = orders - done
        account = self.account
        self.assertEqual(account.dashboard_to_acknowledge, 2)
        done.action_amazon_vendor_propose()
        done.action_confirm()
        done.picking_ids.write({"amazon_vendor_tracking": "1Z999AA10123456784",
                                "amazon_vendor_carrier_scac": "UPSN"})
        self._deliver(done)
        asn = done.picking_ids.amazon_vendor_asn_document_id
        self.assertTrue(asn, done.picking_ids.amazon_vendor_asn_issues)
        asn._send_to_amazon()
        move = done._create_invoices()
        move.action_post()
        move.amazon_vendor_document_id._send_to_amazon()
        self.simulator_control("transactions/settle")
        self.env["amazon.vendor.document"].search([("state", "=", "sent")])._poll_amazon_status()
        account.invalidate_recordset()
        self.assertEqual(account.dashboard_to_acknowledge, 1)
        self.assertEqual(account.rate_confirmation, 100.0)
        self.assertEqual(account.rate_fill, 100.0)
        self.assertEqual(account.rate_ack_on_time, 100.0)
        self.assertEqual(account.rate_invoice_acceptance, 100.0)
        self.assertEqual(account.rate_asn_on_time, 100.0)
        self.assertEqual(account.dashboard_next_deadline, pending.amazon_vendor_ack_deadline)
        action = account.with_context(dashboard_figure="to_acknowledge").action_dashboard_open()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]), pending)
