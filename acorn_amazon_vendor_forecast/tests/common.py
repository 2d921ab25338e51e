import datetime

import numpy as np

from odoo import Command, fields
from odoo.addons.acorn_amazon_vendor.tests.common import AmazonVendorCase


class ForecastCase(AmazonVendorCase):
    """A warehouse resupplied by sea freight (a 35-day transit rule) and helpers to give
    products a weekly Amazon demand history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1)
        cls.account.warehouse_id = cls.warehouse
        supplier = cls.env.ref("stock.stock_location_suppliers")
        cls.sea_route = cls.env["stock.route"].create({
            "name": "Sea freight from the factory", "product_selectable": True,
            "rule_ids": [Command.create({
                "name": "Factory -> WH (sea)", "action": "pull", "delay": 35,
                "procure_method": "make_to_stock", "location_src_id": supplier.id,
                "location_dest_id": cls.warehouse.lot_stock_id.id,
                "picking_type_id": cls.warehouse.in_type_id.id,
                "company_id": cls.company.id})],
        })
        cls.customer = cls.env["res.partner"].create({"name": "Amazon FC ABE2"})

    @classmethod
    def _product(cls, name, **values):
        return cls.env["product.product"].create(dict({
            "name": name, "is_storable": True, "list_price": 20.0,
            "route_ids": [Command.link(cls.sea_route.id)]}, **values))

    @classmethod
    def _demand(cls, product, weekly, last_week_start, warehouse=None):
        """Weekly demand rows ending with the week starting ``last_week_start``."""
        warehouse = warehouse or cls.warehouse
        n = len(weekly)
        cls.env["amazon.vendor.demand.week"].create([{
            "company_id": cls.company.id, "product_id": product.id,
            "warehouse_id": warehouse.id, "ordered_qty": float(qty),
            "week_start": last_week_start - datetime.timedelta(weeks=n - 1 - i),
        } for i, qty in enumerate(weekly) if qty or i == 0])

    @classmethod
    def _amazon_order(cls, product, qty, po_date, state="sale", rejected=0):
        # confirmed as a plain order (no PO document to acknowledge), then tied to Amazon
        order = cls.env["sale.order"].create({
            "partner_id": cls.customer.id, "warehouse_id": cls.warehouse.id,
            "amazon_vendor_po_date": po_date,
            "amazon_vendor_po_number": f"PO{product.id}{po_date:%y%m%d%H%M%S}{qty}",
            "order_line": [Command.create({
                "product_id": product.id, "product_uom_qty": qty,
                "amazon_vendor_ordered_qty": qty, "amazon_vendor_rejected_qty": rejected,
                "price_unit": 10.0})],
        })
        if state == "sale":
            order.action_confirm()
        elif state == "cancel":
            order.action_cancel()
        order.amazon_vendor_account_id = cls.account
        return order

    @staticmethod
    def poisson(mean, weeks, seed):
        return np.random.default_rng(seed).poisson(mean, weeks).astype(float)

    def run_forecast(self, **kwargs):
        return self.env["amazon.vendor.forecast.run"]._run_forecast(self.company, **kwargs)

    def plan(self, product, warehouse=None):
        return self.env["amazon.vendor.forecast.plan"].search(
            [("product_id", "=", product.id), ("warehouse_id", "=", (warehouse or
                                                                     self.warehouse).id)])

    def orderpoint(self, product):
        return self.env["stock.warehouse.orderpoint"].search(
            [("product_id", "=", product.id),
             ("location_id", "=", self.warehouse.lot_stock_id.id)])

    @staticmethod
    def today():
        return fields.Date.today()
