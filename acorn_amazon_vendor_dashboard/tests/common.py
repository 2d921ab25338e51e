import datetime

from odoo import fields
from odoo.addons.acorn_amazon_vendor.tests.test_asn import ShipmentCase


class DashboardCase(ShipmentCase):
    """Three Amazon purchase orders through the simulator, with figures known by hand:

    - PO000001 (centre ABE2): 10 units accepted, acknowledged on time, 6 shipped with an ASN
      Amazon accepts, invoiced (6 units) and accepted by Amazon, not paid;
    - PO000002 (ABE2): 4 units, not acknowledged yet;
    - PO000003 (LAX9): 5 units, 3 in stock and no backorder allowed: 3 accepted, 2 rejected,
      acknowledged 30 hours after the PO date (the deadline is 24 hours), nothing shipped.

    And one stock-out risk of the forecast, running out in ten days.
    """

    def _build_scenario(self):
        first, second, third = self._item(0), self._item(2), self._item(1)
        product_a = self.products[first["vendor_sku"]]
        product_c = self.products[third["vendor_sku"]]
        self._stock(product_a, 100)
        self._stock(product_c, 3)
        self._po("PO000001", [(first, 10, "Eaches", 1)])
        self._po("PO000002", [(second, 4, "Eaches", 1)])
        self._po("PO000003", [(third, 5, "Eaches", 1)], age_hours=30, ship_to="LAX9",
                 backorder=False)
        orders = self._import()
        by_number = {o.amazon_vendor_po_number: o for o in orders}
        on_time, late = by_number["PO000001"], by_number["PO000003"]
        (on_time | late).action_amazon_vendor_propose()
        on_time.action_confirm()
        late.action_confirm()
        picking = on_time.picking_ids
        self._pack_and_validate(picking, [[product_a]], {product_a: 6})
        asn = picking.amazon_vendor_asn_document_id
        self.assertTrue(asn, picking.amazon_vendor_asn_issues)
        asn._send_to_amazon()
        invoice = on_time._create_invoices()
        invoice.action_post()
        invoice.amazon_vendor_document_id._send_to_amazon()
        self.simulator_control("transactions/settle")
        self.env["amazon.vendor.document"].search(
            [("account_id", "=", self.account.id), ("state", "=", "sent")])._poll_amazon_status()
        plan = self.env["amazon.vendor.forecast.plan"].create({
            "company_id": self.env.company.id, "product_id": product_a.id,
            "warehouse_id": self.warehouse.id, "stockout_risk": True, "shortage_qty": 42.0,
            "stockout_date": fields.Date.today() + datetime.timedelta(days=10)})
        self.env.flush_all()
        return {"orders": by_number, "picking": picking, "invoice": invoice, "plan": plan,
                "asn": asn}
