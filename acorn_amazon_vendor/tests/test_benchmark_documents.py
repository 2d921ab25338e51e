"""Benchmarks (printed, never asserted on time): building and validating ASNs and invoices.

ASNs: deliveries x 20 lines x 10 cartons; invoices: invoices x 20 lines. Sizes come from
ACORN_BENCH_DELIVERIES (default 200) and ACORN_BENCH_INVOICES (default 1000, capped by the
orders created). Run with: make bench.
"""
import logging
import os
import time

from odoo import Command, fields
from odoo.tests import tagged

from ..lib.mapping.invoice import build_invoice
from ..lib.mapping.shipment import build_shipment_confirmation
from .common_po import PurchaseOrderCase

_logger = logging.getLogger(__name__)
LINES, CARTONS = 20, 10


@tagged("post_install", "-at_install", "-standard", "acorn_benchmark")
class BenchmarkDocuments(PurchaseOrderCase):
    def _orders(self, count):
        products = list(self.products.values())[:LINES]
        for product in products:
            self._stock(product, count * 10)
        address = {"parent_id": self.amazon_partner.id, "street": "705 Boulder Drive",
                   "city": "Breinigsville", "zip": "18031",
                   "country_id": self.env.ref("base.us").id}
        ship_to = self.env["res.partner"].create(dict(
            address, name="ABE2", type="delivery", amazon_vendor_party_id="ABE2"))
        bill_to = self.env["res.partner"].create(dict(
            address, name="Amazon AP", type="invoice", amazon_vendor_party_id="AMZN-US"))
        orders = self.env["sale.order"].create([{
            "partner_id": self.amazon_partner.id, "partner_shipping_id": ship_to.id,
            "partner_invoice_id": bill_to.id, "client_order_ref": f"BM{n:06d}",
            "warehouse_id": self.warehouse.id, "pricelist_id": self.pricelist.id,
            "order_line": [Command.create({
                "product_id": p.id, "product_uom_qty": 4, "price_unit": 10.0 + i})
                for i, p in enumerate(products)]} for n in range(count)])
        orders.action_confirm()
        # Amazon's side of the orders, written after confirmation so no acknowledgement is sent.
        for order in orders:
            order.write({"amazon_vendor_account_id": self.account.id,
                         "amazon_vendor_po_number": order.client_order_ref,
                         "amazon_vendor_vendor_code": "ACRN1",
                         "amazon_vendor_ship_to_code": "ABE2",
                         "amazon_vendor_po_date": fields.Datetime.now(),
                         "amazon_vendor_ack_state": "accepted"})
        lines = orders.order_line
        for i, line in enumerate(lines):
            line.write({"amazon_vendor_item_sequence": str(i % LINES + 1),
                        "amazon_vendor_asin": line.product_id.amazon_vendor_asin,
                        "amazon_vendor_vendor_sku": line.product_id.default_code,
                        "amazon_vendor_ordered_qty": 4, "amazon_vendor_accepted_qty": 4,
                        "amazon_vendor_net_cost": line.price_unit, "amazon_vendor_uom": "Eaches",
                        "amazon_vendor_unit_size": 1})
        return orders

    def _measure(self, records, build):
        self.env.flush_all()
        self.env.invalidate_all()
        started, queries = time.perf_counter(), self.env.cr.sql_log_count
        for record in records:
            build(record)
        self.env.flush_all()
        elapsed = time.perf_counter() - started
        return elapsed / len(records) * 1000, (self.env.cr.sql_log_count - queries) / len(records)

    def test_build_and_validate_asns_and_invoices(self):
        self.env.company.amazon_vendor_gs1_prefix = "0614141"
        self.account.write({"asn_trigger": "before_pickup", "default_carrier_scac": "UPSN",
                            "default_shipment_type": "LessThanTruckLoad"})
        deliveries = int(os.environ.get("ACORN_BENCH_DELIVERIES", 200))
        invoices = min(int(os.environ.get("ACORN_BENCH_INVOICES", 1000)), deliveries)
        started = time.perf_counter()
        orders = self._orders(deliveries)
        pickings = orders.picking_ids
        pickings.action_assign()
        for picking in pickings:
            picking.write({"amazon_vendor_bol_number": f"BOL{picking.id:07d}",
                           "amazon_vendor_pro_number": f"PRO{picking.id:07d}"})
            lines = picking.move_line_ids
            for move in picking.move_ids:
                move.quantity, move.picked = move.product_uom_qty, True
            for start in range(0, len(lines), len(lines) // CARTONS):
                picking._put_in_pack(lines[start:start + len(lines) // CARTONS])
        pickings.button_validate()
        setup = time.perf_counter() - started
        cartons = pickings.move_line_ids.result_package_id
        sscc = self._measure([cartons], lambda c: c.action_amazon_vendor_assign_sscc())
        sscc = (sscc[0] / len(cartons), sscc[1] / len(cartons))
        self.assertEqual(set(pickings.mapped("state")), {"done"})
        self.assertEqual(len(pickings.move_line_ids.result_package_id), deliveries * CARTONS)

        def asn(picking):
            build_shipment_confirmation(picking._amazon_vendor_shipment(),
                                        picking._amazon_vendor_acknowledged(),
                                        fields.Datetime.now())

        small = self._measure(pickings[:max(deliveries // 4, 1)], asn)
        large = self._measure(pickings, asn)
        self.env.invalidate_all()
        per = []
        for picking in pickings:
            before = self.env.cr.sql_log_count
            asn(picking)
            per.append(self.env.cr.sql_log_count - before)
        steady = sorted(per)[len(per) // 2]
        moves = self.env["account.move"]
        for order in orders[:invoices]:
            moves |= order._create_invoices()
        moves.action_post()

        def invoice(move):
            built = move._amazon_vendor_invoice()
            self.assertFalse(move._amazon_vendor_problems(built))
            build_invoice(built, fields.Datetime.now())

        inv_small = self._measure(moves[:max(invoices // 4, 1)], invoice)
        inv_large = self._measure(moves, invoice)
        report = (
            f"BENCHMARK documents (setup {setup:.0f}s): SSCC for {len(cartons)} cartons "
            f"{sscc[0]:.2f} ms and {sscc[1]:.2f} queries each || ASN build+validate, "
            f"{LINES} lines x {CARTONS} cartons: {deliveries // 4} deliveries {small[0]:.1f} ms "
            f"and "
            f"{small[1]:.1f} queries each | {deliveries} deliveries {large[0]:.1f} ms and "
            f"{large[1]:.1f} queries each (one by one: first {per[0]}, median {steady}, last "
            f"{per[-1]}) || invoice build+check, {LINES} lines: "
            f"{invoices // 4} invoices {inv_small[0]:.1f} ms and {inv_small[1]:.1f} queries "
            f"each | {invoices} invoices {inv_large[0]:.1f} ms and {inv_large[1]:.1f} "
            f"queries each")
        print(report, flush=True)  # pylint: disable=print-used  # noqa: T201 - a benchmark prints its figures
        _logger.info(report)
