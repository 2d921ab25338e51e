from odoo.tests import tagged

from ..models.amazon_vendor_document_failure import failure_code, failure_reason
from . import test_ledger
from .common import AmazonVendorCase


@tagged("post_install", "-at_install")
class TestLedgerAnalysis(AmazonVendorCase):
    """Failures grouped by a reason read from Amazon's error code; graph and pivot views."""

    # the ledger tests' helpers (not their class: its tests would run twice)
    _document = test_ledger.TestLedger._document
    _open_purchase_order = test_ledger.TestLedger._open_purchase_order
    _acknowledgement = test_ledger.TestLedger._acknowledgement

    def test_reason_from_amazon_error_codes(self):
        cases = [
            ("HTTP 400 InvalidInput: Request has missing or invalid parameters", "InvalidInput",
             "invalid_data"),
            ("NetCostMismatch: item 1: netCost USD 0.01 differs", "NetCostMismatch",
             "invalid_data"),
            ("MissingCarrierScac: carrier required\nInvalidItem: item 2", "MissingCarrierScac",
             "invalid_data"),
            ("NotAvailable: NotAvailable\nAmazon answers NotAvailable when ...", "NotAvailable",
             "not_available"),
            ("DuplicateInvoiceNumber: INV/2026/0001 was already submitted",
             "DuplicateInvoiceNumber", "duplicate"),
            ("HTTP 429 QuotaExceeded: You exceeded your quota", "QuotaExceeded", "throttled"),
            ("HTTP 403 Unauthorized: Access to requested resource is denied", "Unauthorized",
             "access"),
            ("InternalFailure: We encountered an internal error", "InternalFailure",
             "unavailable"),
            ("PurchaseOrderClosed: the order is closed", "PurchaseOrderClosed", "other"),
            ("getReportDocument HTTP 404 NotFound: document gone", "NotFound", "not_found"),
            ("downloadReportDocument timeout: read timed out", "timeout", "unavailable"),
            ("Amazon answered: nothing", None, "odoo_check"),
            ("Nothing to send: this document has no payload.", None, "odoo_check"),
            ("没有可发送的内容：此单据没有载荷。", None, "odoo_check"),
        ]
        for message, code, reason in cases:
            with self.subTest(message=message):
                self.assertEqual(failure_code(message), code)
                self.assertEqual(failure_reason(code), reason)
        self.assertEqual(failure_reason(None, "FATAL"), "report_not_done")
        self.assertEqual(failure_reason(None, "Failure"), "other")

    def test_failures_group_by_reason_and_code(self):
        order = self._open_purchase_order()
        bad = self._document(external_id="BAD", payload={"acknowledgements": [
            {"purchaseOrderNumber": "BAD", "marketplaceIds": ["ATVPDKIKX0DER"]}]})
        empty = self._document(external_id="EMPTY")
        good = self._document(external_id=order["purchaseOrderNumber"],
                              payload=self._acknowledgement(order))
        (bad | empty | good)._send_to_amazon()
        self.assertEqual((bad.state, bad.failure_reason), ("failed", "invalid_data"))
        self.assertTrue(bad.failure_code, bad.error_message)
        self.assertEqual((empty.state, empty.failure_reason, empty.failure_code),
                         ("failed", "odoo_check", False))
        self.assertEqual((good.state, good.failure_reason, good.failure_code),
                         ("sent", False, False))
        groups = self.env["amazon.vendor.document"].read_group(
            [("state", "=", "failed"), ("account_id", "=", self.account.id)],
            ["failure_reason"], ["failure_reason", "create_date:week"], lazy=False)
        self.assertEqual({(g["failure_reason"], g["__count"]) for g in groups},
                         {("invalid_data", 1), ("odoo_check", 1)})
        # A failed document sent again no longer counts as a failure.
        empty.action_resend()
        self.assertEqual((empty.state, empty.failure_reason), ("to_send", False))

    def test_ledger_actions_offer_graph_and_pivot(self):
        for xmlid in ("action_amazon_vendor_document", "action_amazon_vendor_document_analysis",
                      "action_amazon_vendor_document_failures"):
            action = self.env.ref(f"acorn_amazon_vendor.{xmlid}")
            self.assertIn("graph", action.view_mode)
            self.assertIn("pivot", action.view_mode)
        views = self.env["amazon.vendor.document"].get_views(
            [(False, "graph"), (False, "pivot"), (False, "search")])["views"]
        self.assertIn('interval="week"', views["graph"]["arch"])
        search = views["search"]["arch"]
        for name in ("this_week", "group_week", "group_reason", "group_kind", "group_account"):
            self.assertIn(f'name="{name}"', search)
