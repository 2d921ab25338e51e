"""Benchmark (printed, never asserted on time): 850 files read and imported into quotations, and
856 / 810 files written, per document, at two volumes so the figures show whether the cost per
document holds. Size from ACORN_BENCH_EDI_ORDERS (default 1000). Run with: make bench."""
import copy
import json
import logging
import os
import pathlib
import time

from odoo.tests import tagged

from ..lib import codecs
from .common import EdiCase

_logger = logging.getLogger(__name__)
LINES = 20
PER_FILE = 100
GOLDEN = pathlib.Path(__file__).resolve().parents[2] / "tests" / "mapping" / "golden"


@tagged("post_install", "-at_install", "-standard", "acorn_benchmark")
class BenchmarkEdi(EdiCase):
    def _orders(self, count, prefix):
        items = [i for i in self.catalogue if i["currency"] == "USD"
                 and i["vendor_sku"] in self.products][:LINES]
        template = self._po(f"{prefix}000000", [(item, 4, "Eaches", 1) for item in items])
        orders = []
        for n in range(count):
            order = copy.deepcopy(template)
            order["purchaseOrderNumber"] = f"{prefix}{n:06d}"
            orders.append(order)
        return orders

    def _import(self, count, prefix):
        orders = self._orders(count, prefix)
        for start in range(0, count, PER_FILE):
            self.amazon_sends(codecs.MODULES["x12"].write_purchase_orders(
                orders[start:start + PER_FILE], self.amazon_envelope()))
        self.env.flush_all()
        self.env.invalidate_all()
        queries, started = self.env.cr.sql_log_count, time.perf_counter()
        fetched = self.account._edi_receive()
        self.env.flush_all()
        elapsed = time.perf_counter() - started
        self.assertEqual(set(fetched.mapped("state")), {"processed"}, fetched.mapped("result"))
        created = self.env["sale.order"].search_count(
            [("client_order_ref", "=like", f"{prefix}%")])
        self.assertEqual(created, count)
        return {"orders": count, "lines": count * LINES, "seconds": round(elapsed, 2),
                "ms per order": round(elapsed / count * 1000, 1),
                "queries per order": round((self.env.cr.sql_log_count - queries) / count, 2)}

    def _write(self, count, name, kind):
        document = json.loads((GOLDEN / f"{name}.json").read_text())
        key = {"shipment_confirmation": "shipmentConfirmations", "invoice": "invoices"}[kind]
        document = document[key][0] if key in document else document
        started = time.perf_counter()
        for _n in range(count):
            codecs.write_document("x12", kind, document, self.amazon_envelope())
        return round((time.perf_counter() - started) / count * 1000, 2)

    def test_edi_volumes(self):
        size = int(os.environ.get("ACORN_BENCH_EDI_ORDERS", 1000))
        small, large = self._import(max(size // 4, 1), "BQ"), self._import(size, "BL")
        figures = {
            "850 import": [small, large],
            "856 written (ms each)": self._write(size, "shipment_confirmation_cartons",
                                                 "shipment_confirmation"),
            "810 written (ms each)": self._write(size, "invoice", "invoice")}
        print(f"EDI benchmark: {figures}", flush=True)  # pylint: disable=print-used  # figures shown, never asserted
        _logger.info("EDI benchmark: %s", figures)
