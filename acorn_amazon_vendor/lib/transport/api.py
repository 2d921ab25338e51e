"""Vendor operations for one account: pagination, 7-day windows, pacing, retries, errors.

Callers get plain dicts (Amazon's ``payload``) and AmazonApiError; nothing else of sp_api.
"""
import datetime
import logging
import time
from urllib.parse import quote, urlsplit

import httpx

from .. import pricing_usage_plans  # noqa: F401 - usage plans of the pricing operations
from ..amazon_dates import iso, to_utc
from .errors import AmazonApiError
from .factory import SpApiClientFactory
from .http import kind_for_status
from .lwa import forget_token
from .pacing import backoff_delay, memory_pacer

_logger = logging.getLogger(__name__)

MAX_WINDOW = datetime.timedelta(days=7)
PAGE_LIMIT = 100
# Finance Remittance 2026-03-17 and Finances Invoices 2026-06-25: date ranges of 90 days.
FINANCE_WINDOW = datetime.timedelta(days=90)
REMITTANCES_PATH = "/finances/remittances/2026-03-17/remittances"
INVOICES_PATH = "/finances/invoices/2026-06-25/invoices"
# Pricing (see the block at the end of VendorApi).
CATALOG_PATH = "/catalog/2022-04-01/items"
LISTINGS_PATH = "/listings/2021-08-01/items"
COMPETITIVE_PRICE_PATH = "/products/pricing/v0/competitivePrice"
CATALOG_INCLUDED = ("attributes", "summaries", "vendorDetails")
CATALOG_BATCH = 20  # searchCatalogItems: at most 20 identifiers per request


def windows(start, end, size=MAX_WINDOW):
    """Split [start, end) into consecutive windows no longer than ``size``."""
    if end <= start:
        return
    cursor = start
    while cursor < end:
        stop = min(cursor + size, end)
        yield cursor, stop
        cursor = stop


class VendorApi:
    """``pacer`` shares Amazon's quota (``take(key, operation)``, ``observe(key, operation,
    rate)``); by default an in-process one, none when ``config.pace_requests`` is off."""

    def __init__(self, config, sleep=time.sleep, on_response=None, pacer=None):
        self.config = config
        self.sleep = sleep
        self.pacer = (pacer or memory_pacer()) if config.pace_requests else None
        self.factory = SpApiClientFactory(config, on_response=on_response,
                                          on_rate=self._observe_rate)

    def _observe_rate(self, operation, rate):
        if self.pacer:
            self.pacer.observe(self.config.cache_key, operation, rate)

    def close(self):
        self.factory.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- core -------------------------------------------------------------------------------
    def call(self, client_name, operation, func, *, idempotent=True):
        """Run ``func(client)`` with pacing and retries; return Amazon's payload as a dict.

        Non-idempotent POSTs are retried only on replies proving nothing was processed
        (429 and 503, or no connection at all), never after a timeout whose effect is unknown.
        Whatever goes wrong comes out as an AmazonApiError.
        """
        cfg = self.config
        client = self.factory.client(client_name)
        attempt = 0
        token_renewed = False
        while True:
            if self.pacer:
                self.pacer.take(cfg.cache_key, operation)
            client._transport.operation = operation
            try:
                response = func(client)
                payload = response.payload
            except AmazonApiError as exc:
                error = exc
            except Exception as exc:  # noqa: BLE001 - the library choking on an odd reply
                error = AmazonApiError(
                    "malformed", f"unexpected reply ({type(exc).__name__}: {exc})",
                    operation=operation, may_have_arrived=True)
            else:
                return payload if isinstance(payload, dict) else {"items": payload}
            error.operation = error.operation or operation
            if error.kind == "forbidden" and error.code == "Unauthorized" and not token_renewed:
                # Amazon may revoke an access token before its expiry: log in once more.
                token_renewed = True
                forget_token(cfg)
                continue
            attempt += 1
            retry = error.retryable and attempt < cfg.max_attempts and (
                idempotent or not error.outcome_unknown)
            if not retry:
                raise error
            delay = backoff_delay(attempt - 1, cfg.backoff_base, cfg.backoff_cap,
                                  error.retry_after)
            _logger.info("%s: %s, retry %d/%d in %.2fs", operation, error.kind, attempt,
                         cfg.max_attempts - 1, delay)
            self.sleep(delay)

    def _post(self, client_name, operation, path, body, idempotent=False):
        # The library injects marketplaceIds into POST bodies unless told not to; Amazon
        # rejects unknown elements, so every POST goes through here with add_marketplace=False.
        # The library pops "method" out of the dict it is given: build it afresh per attempt.
        return self.call(client_name, operation,
                         lambda c: c._request(path, data=dict(body, method="POST"),
                                              add_marketplace=False),
                         idempotent=idempotent)

    # -- connection -------------------------------------------------------------------------
    def test_connection(self, now=None):
        """Exchange the refresh token, then make one cheap vendor call. Returns timings."""
        now = now or datetime.datetime.now(datetime.UTC)
        client = self.factory.client("orders")
        start = time.monotonic()
        try:
            client.auth  # noqa: B018 - forces the LWA exchange
        except AmazonApiError as exc:
            exc.operation = "LWA token"
            raise
        lwa_ms = (time.monotonic() - start) * 1000
        start = time.monotonic()
        payload = self.call("orders", "getPurchaseOrders", lambda c: c.get_purchase_orders(
            limit=1, createdAfter=iso(now - datetime.timedelta(days=1)), createdBefore=iso(now),
            includeDetails="false"))
        api_ms = (time.monotonic() - start) * 1000
        return {"lwa_ms": round(lwa_ms), "api_ms": round(api_ms),
                "orders_seen": len(payload.get("orders") or [])}

    # -- orders -----------------------------------------------------------------------------
    def iter_purchase_order_pages(self, start, end, *, window_field="created", **filters):
        """Yield ``(window_start, window_end, orders)`` for every page of every 7-day window.

        ``window_field`` is ``created`` or ``changed``; other filters are Amazon's query
        parameters and are resent unchanged with each ``nextToken``.
        """
        after, before = f"{window_field}After", f"{window_field}Before"
        for w_start, w_end in windows(start, end):
            params = dict(filters, limit=filters.get("limit", PAGE_LIMIT))
            params[after], params[before] = iso(w_start), iso(w_end)
            token = None
            while True:
                query = dict(params, nextToken=token) if token else dict(params)
                payload = self.call("orders", "getPurchaseOrders",
                                    lambda c, q=query: c.get_purchase_orders(**q))
                yield w_start, w_end, payload.get("orders") or []
                token = (payload.get("pagination") or {}).get("nextToken")
                if not token:
                    break

    def get_purchase_order(self, number):
        return self.call("orders", "getPurchaseOrder", lambda c: c.get_purchase_order(number))

    def iter_purchase_order_status_pages(self, start, end, **filters):
        for w_start, w_end in windows(start, end):
            params = dict(filters, limit=filters.get("limit", PAGE_LIMIT),
                          updatedAfter=iso(w_start), updatedBefore=iso(w_end))
            token = None
            while True:
                query = dict(params, nextToken=token) if token else dict(params)
                payload = self.call("orders", "getPurchaseOrdersStatus",
                                    lambda c, q=query: c.get_purchase_orders_status(**q))
                yield w_start, w_end, payload.get("ordersStatus") or []
                token = (payload.get("pagination") or {}).get("nextToken")
                if not token:
                    break

    def get_purchase_order_status(self, number):
        """Amazon's status of one purchase order (acknowledged and received quantities)."""
        payload = self.call("orders", "getPurchaseOrdersStatus",
                            lambda c: c.get_purchase_orders_status(purchaseOrderNumber=number))
        return [s for s in payload.get("ordersStatus") or []
                if isinstance(s, dict) and s.get("purchaseOrderNumber") == number]

    def submit_acknowledgement(self, body):
        return self._transaction_id(self._post(
            "orders", "submitAcknowledgement", "/vendor/orders/v1/acknowledgements", body,
            idempotent=True))

    # -- shipments --------------------------------------------------------------------------
    def submit_shipment_confirmations(self, body):
        return self._transaction_id(self._post(
            "shipments", "SubmitShipmentConfirmations",
            "/vendor/shipping/v1/shipmentConfirmations", body))

    def submit_shipments(self, body):
        return self._transaction_id(self._post(
            "shipments", "SubmitShipments", "/vendor/shipping/v1/shipments", body))

    def get_shipment_details(self, **params):
        return self.call("shipments", "GetShipmentDetails",
                         lambda c: c.get_shipment_details(**params))

    def get_shipment_labels(self, **params):
        return self.call("shipments", "GetShipmentLabels",
                         lambda c: c.get_shipment_labels(**params))

    # -- invoices ---------------------------------------------------------------------------
    def submit_invoices(self, body):
        return self._transaction_id(self._post(
            "invoices", "submitInvoices", "/vendor/payments/v1/invoices", body))

    # -- transaction status -----------------------------------------------------------------
    def get_transaction(self, transaction_id):
        payload = self.call("transactions", "getTransaction",
                            lambda c: c.get_transaction(transaction_id))
        return payload.get("transactionStatus") or payload

    # -- reports ----------------------------------------------------------------------------
    def create_report(self, report_type, marketplace_ids, **options):
        body = dict(options, reportType=report_type, marketplaceIds=list(marketplace_ids))
        return self._post("reports", "createReport", "/reports/2021-06-30/reports", body,
                          idempotent=False).get("reportId")

    def get_report(self, report_id):
        return self.call("reports", "getReport", lambda c: c.get_report(report_id))

    def get_report_document(self, document_id):
        """The document's metadata (url, compressionAlgorithm); download is the caller's."""
        return self.call("reports", "getReportDocument", lambda c: c._request(
            f"/reports/2021-06-30/documents/{document_id}", params={}, add_marketplace=False))

    def download_report_document(self, document_id):
        """(bytes as delivered, compression algorithm) of a report document: its metadata, then
        the presigned URL (no SP-API credentials; S3 answers XML errors, e.g. once expired)."""
        meta = self.get_report_document(document_id)
        url = meta.get("url")
        if not url:
            raise AmazonApiError("malformed", "Amazon sent no download URL for report document "
                                 f"{document_id}", operation="getReportDocument")
        cfg = self.config
        trust_env = urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1")
        try:
            with httpx.Client(timeout=cfg.timeout, trust_env=trust_env) as http:
                response = http.get(url)
        except httpx.HTTPError as exc:
            raise AmazonApiError("connection", f"report document download failed: {exc}",
                                 operation="downloadReportDocument") from exc
        if response.status_code != 200:
            raise AmazonApiError(kind_for_status(response.status_code),
                                 f"report document download refused ({response.status_code}): "
                                 f"{response.text[:200]}", status=response.status_code,
                                 operation="downloadReportDocument")
        return response.content, meta.get("compressionAlgorithm")

    # -- finance: remittances and Amazon's invoices -----------------------------------------
    # Neither API is in python-amazon-sp-api: a generic client (factory.FinanceClient) calls
    # them through the same transport; their replies carry no payload envelope and keep their
    # pagination tokens (``nextToken``, ``nextTokenForLineItems``) in the body.
    def _finance_get(self, operation, path, params):
        params = {k: v for k, v in params.items() if v is not None}
        return self.call("finance", operation, lambda c: c._request(
            path, params=dict(params), add_marketplace=False))

    def _pages(self, operation, path, params, token_key, list_key):
        """Every page of one query, resending the same filters with each token."""
        token, seen = None, set()
        while True:
            query = dict(params, **{token_key: token}) if token else dict(params)
            payload = self._finance_get(operation, path, query)
            items = payload.get(list_key)
            if items is not None and not isinstance(items, list):
                raise AmazonApiError("malformed", f"{list_key} is not a list",
                                     operation=operation)
            yield payload, list(items or [])
            token = payload.get(token_key)  # the reply names it as the request does
            if not token:
                return
            if not isinstance(token, str):
                raise AmazonApiError("malformed", f"{token_key} {token!r} is not a token",
                                     operation=operation)
            if token in seen:
                raise AmazonApiError("malformed", f"Amazon sent the {token_key} {token!r} "
                                     "again: the pages would never end", operation=operation)
            seen.add(token)

    def iter_remittance_header_pages(self, start, end, marketplace_id=None):
        """Yield ``(window_start, window_end, remittance headers)`` for every page of every
        90-day window of payment dates in [start, end] (getRemittanceHeaders). Amazon keeps
        a year: ``start`` must not be more than a year back. Naive datetimes are UTC (Odoo's);
        the windows are yielded as aware UTC datetimes."""
        marketplace_id = marketplace_id or self.config.marketplace_id
        for w_start, w_end in windows(to_utc(start), to_utc(end), FINANCE_WINDOW):
            params = {"marketplaceId": marketplace_id, "startDate": iso(w_start),
                      "endDate": iso(w_end)}
            for _payload, items in self._pages("getRemittanceHeaders", REMITTANCES_PATH,
                                               params, "nextToken", "remittances"):
                yield w_start, w_end, items

    def iter_remittance_headers(self, start, end, marketplace_id=None):
        """Every remittance header (RemittanceHeader dict) paid in [start, end], once each
        (adjacent windows share their boundary, so a payment on it is not read twice)."""
        seen = set()
        for _start, _end, headers in self.iter_remittance_header_pages(start, end,
                                                                      marketplace_id):
            for header in headers:
                if not isinstance(header, dict):
                    continue  # nothing to identify it by: the parser would refuse it anyway
                key = header.get("uniquePaymentId")
                if key is not None and key in seen:
                    continue
                seen.add(key)
                yield header

    def get_remittance(self, unique_payment_id, marketplace_id=None):
        """One remittance with ALL its line items (getRemittance, every page):
        ``{"remittanceHeader": {...}, "remittanceItems": [...]}``."""
        marketplace_id = marketplace_id or self.config.marketplace_id
        path = f"{REMITTANCES_PATH}/{quote(str(unique_payment_id), safe='')}"
        header, items = None, []
        for payload, page in self._pages("getRemittance", path,
                                         {"marketplaceId": marketplace_id},
                                         "nextTokenForLineItems", "remittanceItems"):
            if header is None:
                header = payload.get("remittanceHeader")
            items.extend(page)
        result = {"remittanceItems": items}
        if header is not None:
            result["remittanceHeader"] = header
        return result

    def iter_invoice_header_pages(self, marketplace_id=None, *, issued_from=None,
                                  issued_to=None, modified_after=None):
        """Yield ``(window_start, window_end, invoice headers)`` for every page
        (getInvoiceHeaders). With ``issued_from`` the issue dates [issued_from, issued_to or
        now) are read in 90-day windows; without, Amazon's default applies (issued in the last
        90 days). ``modified_after`` keeps only the invoices Amazon changed since then: give
        ``issued_from`` too to reach older invoices that changed (a late shortage reversal)."""
        marketplace_id = marketplace_id or self.config.marketplace_id
        base = {"marketplaceId": marketplace_id,
                "invoicesModifiedAfter": iso(modified_after) if modified_after else None}
        if issued_from is None:
            if issued_to is not None:
                raise ValueError("issued_to needs issued_from: Amazon takes both dates or "
                                 "none")
            ranges = [(None, None)]
        else:
            ranges = windows(to_utc(issued_from),
                             to_utc(issued_to or datetime.datetime.now(datetime.UTC)),
                             FINANCE_WINDOW)
        for w_start, w_end in ranges:
            params = dict(base)
            if w_start is not None:
                params.update(fromIssueDate=iso(w_start), toIssueDate=iso(w_end))
            for _payload, items in self._pages("getInvoiceHeaders", INVOICES_PATH, params,
                                               "nextToken", "invoices"):
                yield w_start, w_end, items

    def iter_invoice_headers(self, marketplace_id=None, *, issued_from=None, issued_to=None,
                             modified_after=None):
        """Every invoice header (InvoiceHeader dict), once each by invoiceIdentifier."""
        seen = set()
        for _start, _end, headers in self.iter_invoice_header_pages(
                marketplace_id, issued_from=issued_from, issued_to=issued_to,
                modified_after=modified_after):
            for header in headers:
                if not isinstance(header, dict):
                    continue
                key = header.get("invoiceIdentifier") or header.get("invoiceNumber")
                if key is not None and key in seen:
                    continue
                seen.add(key)
                yield header

    def get_invoice(self, invoice_identifier, marketplace_id=None):
        """One invoice with ALL its line items (getInvoice, every page):
        ``{"invoiceHeader": {...}, "invoiceItems": [...]}``. The identifier is Amazon's
        ``invoiceIdentifier`` (``InvoiceNumber~PayeeCode`` for AP inventory invoices)."""
        marketplace_id = marketplace_id or self.config.marketplace_id
        path = f"{INVOICES_PATH}/{quote(str(invoice_identifier), safe='~')}"
        header, items = None, []
        for payload, page in self._pages("getInvoice", path, {"marketplaceId": marketplace_id},
                                         "nextTokenForLineItems", "invoiceItems"):
            if header is None:
                header = payload.get("invoiceHeader")
            items.extend(page)
        result = {"invoiceItems": items}
        if header is not None:
            result["invoiceHeader"] = header
        return result

    # == pricing: Catalog Items 2022-04-01, Listings Items 2021-08-01, Product Pricing v0 ====
    # Not used through python-amazon-sp-api's own classes: the generic client (the one the
    # finance APIs use) sends them through the same transport; these replies carry no payload
    # envelope either (Product Pricing v0 does: it is unwrapped). Usage plans:
    # lib/pricing_usage_plans.py.
    def _pricing_get(self, operation, path, params):
        params = {k: v for k, v in params.items() if v not in (None, "", [], ())}
        return self.call("finance", operation, lambda c: c._request(
            path, params=dict(params), add_marketplace=False))

    def get_catalog_item(self, asin, marketplace_id=None, included=CATALOG_INCLUDED):
        """One catalogue item (Item dict: attributes.list_price, vendorDetails...)."""
        return self._pricing_get("getCatalogItem", f"{CATALOG_PATH}/{quote(str(asin), safe='')}",
                                 {"marketplaceIds": marketplace_id or self.config.marketplace_id,
                                  "includedData": ",".join(included)})

    def iter_catalog_items(self, asins, marketplace_id=None, included=CATALOG_INCLUDED):
        """Every catalogue item of ``asins`` (searchCatalogItems, 20 identifiers a call);
        ASINs Amazon does not know are simply absent."""
        asins = list(dict.fromkeys(a for a in asins if a))
        for index in range(0, len(asins), CATALOG_BATCH):
            payload = self._pricing_get("searchCatalogItems", CATALOG_PATH, {
                "marketplaceIds": marketplace_id or self.config.marketplace_id,
                "identifiers": ",".join(asins[index:index + CATALOG_BATCH]),
                "identifiersType": "ASIN", "includedData": ",".join(included),
                "pageSize": CATALOG_BATCH})
            items = payload.get("items") or []
            if not isinstance(items, list):
                raise AmazonApiError("malformed", "items is not a list",
                                     operation="searchCatalogItems")
            yield from (item for item in items if isinstance(item, dict))

    def get_listings_item(self, seller_id, sku, marketplace_id=None,
                          included=("summaries", "procurement")):
        """One listing of a vendor code (``seller_id``) with its procurement data: the cost
        Amazon has on file (``procurement[].costPrice``)."""
        path = f"{LISTINGS_PATH}/{quote(str(seller_id), safe='')}/{quote(str(sku), safe='')}"
        return self._pricing_get("getListingsItem", path, {
            "marketplaceIds": marketplace_id or self.config.marketplace_id,
            "includedData": ",".join(included)})

    def get_competitive_pricing(self, asins, marketplace_id=None):
        """Competitor prices (Product Pricing v0 getCompetitivePricing). Needs the Pricing role,
        which Amazon does not grant to vendor-only applications: expect a 403 (kind
        ``forbidden``) unless the account is a seller authorization that has it."""
        payload = self._pricing_get("getCompetitivePricing", COMPETITIVE_PRICE_PATH, {
            "MarketplaceId": marketplace_id or self.config.marketplace_id,
            "Asins": ",".join(asins), "ItemType": "Asin"})
        return payload.get("payload", payload)
    # == end of pricing ======================================================================

    @staticmethod
    def _transaction_id(payload):
        tid = payload.get("transactionId")
        if not tid or not isinstance(tid, str):
            raise AmazonApiError("malformed", "Amazon accepted the request but sent no "
                                 "transactionId", operation="submit", may_have_arrived=True)
        return tid
