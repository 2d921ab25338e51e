"""Benchmark (printed, never asserted on time): 500 Amazon POs x 20 lines imported from the
simulator into sale orders, beside the ORM floor of one batched sale.order.create.

Run with: make bench (TEST_TAGS=acorn_benchmark); not part of the default test run.
"""
import datetime
import logging
import time

from odoo import Command
from odoo.tests import tagged

from .common import AmazonVendorCase

_logger = logging.getLogger(__name__)
ORDERS, LINES = 500, 20


@tagged("post_install", "-at_install", "-standard", "acorn_benchmark")
class BenchmarkPurchaseOrderImport(AmazonVendorCase):
    def test_import_500_orders_of_20_lines(self):
        catalogue = [{"vendor_sku": f"BEN-{i:03d}", "asin": f"B0BENCH{i:03d}",
                      "ean": f"{4006381333900 + i}", "case_size": 6,
                      "net_cost": f"{5 + i}.25", "list_price": f"{10 + i}.50",
                      "currency": "USD"} for i in range(LINES)]
        self.simulator_control("reset", {"seed": 1, "default_data": False})
        self.simulator_control("catalogue", {"items": catalogue, "regenerate": False})
        self.simulator_control("throttling", {"enabled": False})
        self.env["product.product"].create([{
            "name": f"Bench {c['vendor_sku']}", "is_storable": True,
            "default_code": c["vendor_sku"], "amazon_vendor_asin": c["asin"]}
            for c in catalogue])
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        stamp = (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        window = "{}--{}".format(*(
            (now + datetime.timedelta(days=d)).strftime("%Y-%m-%dT%H:%M:%SZ") for d in (3, 9)))
        orders = [{"purchaseOrderNumber": f"BN{n:06d}", "purchaseOrderState": "New",
                   "orderDetails": {
                       "purchaseOrderDate": stamp, "purchaseOrderStateChangedDate": stamp,
                       "purchaseOrderType": "RegularOrder", "sellingParty": {"partyId": "ACRN1"},
                       "shipToParty": {"partyId": f"FC{n % 7}", "address": {
                           "name": "Amazon", "addressLine1": "1 Dock", "city": "Reno",
                           "stateOrRegion": "NV", "postalCode": "89506", "countryCode": "US"}},
                       "deliveryWindow": window,
                       "items": [{
                           "itemSequenceNumber": str(i + 1),
                           "amazonProductIdentifier": c["asin"],
                           "vendorProductIdentifier": c["vendor_sku"],
                           "orderedQuantity": {"amount": 2, "unitOfMeasure": "Cases",
                                               "unitSize": 6},
                           "isBackOrderAllowed": True,
                           "netCost": {"currencyCode": "USD", "amount": c["net_cost"]}}
                           for i, c in enumerate(catalogue)]}} for n in range(ORDERS)]
        for start in range(0, ORDERS, 100):
            self.simulator_control("purchase-orders", {"orders": orders[start:start + 100]})
        self.env.flush_all()

        started, queries = time.perf_counter(), self.env.cr.sql_log_count
        self.account._import_purchase_orders()
        self.env.flush_all()
        total = time.perf_counter() - started
        total_queries = self.env.cr.sql_log_count - queries
        created = self.env["sale.order"].search([("amazon_vendor_account_id", "=",
                                                  self.account.id)])
        self.assertEqual(len(created), ORDERS)
        self.assertEqual(len(created.order_line), ORDERS * LINES)

        # The same conversion alone (ledger -> sale orders), then the ORM floor.
        docs = created.amazon_vendor_document_id
        created.order_line.unlink()
        created.unlink()
        docs.write({"state": "received", "res_model": False, "res_id": False})
        self.env.flush_all()
        started, queries = time.perf_counter(), self.env.cr.sql_log_count
        converted = docs._amazon_vendor_process_purchase_orders()
        self.env.flush_all()
        convert = time.perf_counter() - started
        convert_queries = self.env.cr.sql_log_count - queries
        values = [{
            "partner_id": o.partner_id.id, "partner_shipping_id": o.partner_shipping_id.id,
            "client_order_ref": o.client_order_ref, "order_line": [Command.create({
                "product_id": ln.product_id.id, "product_uom_qty": ln.product_uom_qty,
                "price_unit": ln.price_unit}) for ln in o.order_line]} for o in converted]
        started = time.perf_counter()
        self.env["sale.order"].create(values)
        self.env.flush_all()
        floor = time.perf_counter() - started
        lines = ORDERS * LINES
        report = (
            f"BENCHMARK po-import: {ORDERS} POs x {LINES} lines = {lines} lines | "
            f"end to end (HTTP + ledger + sale orders) {total:.2f}s, {lines / total:.0f} lines/s, "
            f"{total_queries / lines:.2f} queries/line | conversion {convert:.2f}s, "
            f"{convert_queries / lines:.2f} queries/line | ORM floor {floor:.2f}s | "
            f"conversion/floor {convert / floor:.2f}x")
        print(report, flush=True)  # pylint: disable=print-used  # noqa: T201 - a benchmark prints its figures
        _logger.info(report)
