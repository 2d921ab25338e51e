"""Benchmark (printed, never asserted on time): Direct Fulfillment at 5,000 orders a day.

A batch of orders goes through import (with the RDT address read and the acknowledgement
sent), Amazon labels and shipment confirmations, against the simulator; the figures per order
and the time a day of 5,000 orders would take are printed.

Run with: TEST_TAGS=/acorn_amazon_vendor_direct_fulfillment:BenchmarkDirectFulfillment
(tagged acorn_benchmark, not part of the default run). DF_BENCH_ORDERS sets the batch (200).
"""
import logging
import os
import time

from odoo.tests import tagged

from .common import DirectFulfillmentCase

_logger = logging.getLogger(__name__)
PER_DAY = 5000


@tagged("post_install", "-at_install", "-standard", "acorn_benchmark")
class BenchmarkDirectFulfillment(DirectFulfillmentCase):
    def _measure(self, label, func, count):
        self.env.flush_all()
        started, queries = time.perf_counter(), self.env.cr.sql_log_count
        func()
        self.env.flush_all()
        seconds = time.perf_counter() - started
        spent = self.env.cr.sql_log_count - queries
        line = (f"DF benchmark {label}: {count} orders in {seconds:.2f}s, "
                f"{seconds / count * 1000:.1f} ms and {spent / count:.1f} queries per order; "
                f"{PER_DAY} a day: {seconds / count * PER_DAY / 60:.1f} min")
        _logger.info(line)
        return seconds, spent

    def test_direct_fulfillment_5000_a_day(self):
        count = int(os.environ.get("DF_BENCH_ORDERS", "200"))
        self.simulator_control("throttling", {"enabled": False})
        self.stock(count * 4)
        skus = [self.usd_items[0]["vendor_sku"], self.usd_items[1]["vendor_sku"]]
        for start in range(0, count, 100):
            self.new_df_orders(min(100, count - start), skus=skus)
        orders = self.env["sale.order"]

        def run_import():
            nonlocal orders
            orders = self.account._amazon_df_import()
        self._measure("import+acknowledge", run_import, count)
        self.assertEqual(len(orders), count)
        self.poll(orders.amazon_df_ack_document_id)
        pickings = orders.picking_ids
        self._measure("labels", pickings.action_amazon_df_get_label, count)

        def validate():
            for move in pickings.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            pickings.button_validate()
            pickings.amazon_df_confirmation_id._send_to_amazon()
        self._measure("validate+confirm", validate, count)
        self.settle()
        self.assertEqual(set(pickings.amazon_df_confirmation_id.mapped("state")), {"sent"})
