"""Direct Fulfillment operations for one account, through the core's transport (VendorApi:
pacing, retries, error translation, token renewal) and its client factory.

python-amazon-sp-api's versioned DF clients (Orders, Shipping and Transactions 2021-12-28,
Payments and Inventory v1) and its Tokens client are registered with the core's factory under
``df_*`` names. Their replies are read whole, with Amazon's numbers exact (the 2021-12-28 APIs
have no ``payload`` envelope and keep ``pagination`` in the body; the library would pop it).

Restricted operations (the customer's address: getOrders/getOrder with it, labels, packing
slips, customer invoices) are called as Amazon documents it: createRestrictedDataToken for the
operation's path, then the call with that Restricted Data Token in ``x-amz-access-token``. RDTs
are cached per path until a minute before they expire, and requested again once if Amazon
refuses one (revoked, expired early).
"""
import functools
import time
from urllib.parse import quote

from sp_api.api import (
    Tokens,
    VendorDirectFulfillmentInventory,
    VendorDirectFulfillmentPayments,
)
from sp_api.api.vendor_direct_fulfillment_orders import (
    vendor_direct_fulfillment_orders_2021_12_28 as orders_2021,
)
from sp_api.api.vendor_direct_fulfillment_shipping import (
    vendor_direct_fulfillment_shipping_2021_12_28 as shipping_2021,
)
from sp_api.api.vendor_direct_fulfillment_transactions import (
    vendor_direct_fulfillment_transactions_2021_12_28 as transactions_2021,
)

from odoo.addons.acorn_amazon_vendor.lib import usage_plans
from odoo.addons.acorn_amazon_vendor.lib.amazon_dates import iso
from odoo.addons.acorn_amazon_vendor.lib.transport import factory
from odoo.addons.acorn_amazon_vendor.lib.transport.api import VendorApi, windows
from odoo.addons.acorn_amazon_vendor.lib.transport.errors import AmazonApiError

DF = "/vendor/directFulfillment"
ORDERS_PATH = f"{DF}/orders/2021-12-28/purchaseOrders"
LABELS_PATH = f"{DF}/shipping/2021-12-28/shippingLabels"
SLIPS_PATH = f"{DF}/shipping/2021-12-28/packingSlips"
CUSTOMER_INVOICES_PATH = f"{DF}/shipping/2021-12-28/customerInvoices"
RDT_PATH = "/tokens/2021-03-01/restrictedDataToken"
ONE = "/{purchaseOrderNumber}"
# Every restricted DF operation we call, in one token (personal: the shipping address).
RDT_RESOURCES = (
    ("GET", ORDERS_PATH, True), ("GET", ORDERS_PATH + ONE, True),
    ("GET", LABELS_PATH, False), ("GET", LABELS_PATH + ONE, False),
    ("POST", LABELS_PATH + ONE, False),
    ("GET", SLIPS_PATH, False), ("GET", SLIPS_PATH + ONE, False),
    ("GET", CUSTOMER_INVOICES_PATH, False), ("GET", CUSTOMER_INVOICES_PATH + ONE, False),
)
RDT_MARGIN = 60  # seconds: an RDT this close to its expiry is renewed before use
PAGE_LIMIT = 100
# Amazon's usage plans of the DF operations (10/s, burst 10) and the Tokens API (1/s, 10).
DF_PLANS = dict.fromkeys((
    "getOrders", "getOrder", "dfSubmitAcknowledgement", "getTransactionStatus",
    "submitShippingLabelRequest", "getShippingLabels", "getShippingLabel",
    "createShippingLabels", "submitShipmentConfirmations", "submitShipmentStatusUpdates",
    "getPackingSlips", "getPackingSlip", "getCustomerInvoices", "getCustomerInvoice",
    "submitInvoice", "submitInventoryUpdate"), (10.0, 10))
DF_PLANS["createRestrictedDataToken"] = (1.0, 10)
for _op, _plan in DF_PLANS.items():
    usage_plans.USAGE_PLANS.setdefault(_op, _plan)


def _whole_body(cls):
    """The library class with FinanceClient's reading of replies (whole body, exact numbers)."""
    return type(f"Acorn{cls.__name__}", (cls,),
                {"_check_response": factory.FinanceClient._check_response})


DF_CLIENTS = {
    "df_orders": _whole_body(orders_2021.VendorDirectFulfillmentOrdersV20211228),
    "df_shipping": _whole_body(shipping_2021.VendorDirectFulfillmentShippingV20211228),
    "df_transactions": _whole_body(
        transactions_2021.VendorDirectFulfillmentTransactionsV20211228),
    "df_payments": _whole_body(VendorDirectFulfillmentPayments),
    "df_inventory": _whole_body(VendorDirectFulfillmentInventory),
    "tokens": _whole_body(Tokens),
}
for _name, _cls in DF_CLIENTS.items():
    factory.CLIENT_CLASSES.setdefault(_name, _cls)


def _get_orders(client, query):
    return client.get_orders(**query)


def _call(method, query, client):
    return getattr(client, method)(**query)


class DirectFulfillmentApi:
    """DF calls of one account over a VendorApi (``DirectFulfillmentApi(config)`` or
    ``DirectFulfillmentApi(api=existing)``); plain dicts in and out, AmazonApiError on
    failure. ``clock`` gives the time used for RDT expiry."""

    def __init__(self, config=None, *, api=None, clock=time.monotonic, **options):
        self.api = api or VendorApi(config, **options)
        self._own = api is None
        self.clock = clock
        self._rdts = {}  # (method, path) -> (token, expires at clock())
        self.rdt_requests = 0

    def close(self):
        if self._own:
            self.api.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- Restricted Data Tokens -----------------------------------------------------------
    def restricted_data_token(self, resources=RDT_RESOURCES):
        """One RDT for ``resources`` (``(method, path, personal)``; generic paths with a
        ``{purchaseOrderNumber}`` placeholder), cached until a minute before it expires: the
        Tokens API allows one request a second, so a batch of labels shares one token."""
        key = tuple(resources)
        cached = self._rdts.get(key)
        if cached and cached[1] - RDT_MARGIN > self.clock():
            return cached[0]
        wanted = []
        for method, path, personal in resources:
            resource = {"method": method, "path": path}
            if personal:
                resource["dataElements"] = ["shippingAddress"]
            wanted.append(resource)
        payload = self.api._post("tokens", "createRestrictedDataToken", RDT_PATH,
                                 {"restrictedResources": wanted}, idempotent=True)
        token = payload.get("restrictedDataToken")
        if not token or not isinstance(token, str):
            raise AmazonApiError("malformed", "Amazon sent no restrictedDataToken",
                                 operation="createRestrictedDataToken")
        self.rdt_requests += 1
        self._rdts[key] = (token, self.clock() + float(payload.get("expiresIn") or 3600))
        return token

    def _restricted(self, client_name, operation, func, method="GET"):
        """``func(client)`` with the RDT in place of the access token; a refused RDT (revoked,
        expired early) is requested again once."""
        for attempt in (1, 2):
            token = self.restricted_data_token()

            def run(client, token=token):
                client.restricted_data_token = token
                try:
                    return func(client)
                finally:
                    client.restricted_data_token = None
            try:
                return self.api.call(client_name, operation, run, idempotent=method == "GET")
            except AmazonApiError as exc:
                if exc.kind != "forbidden" or attempt == 2:
                    raise
                self._rdts.pop(tuple(RDT_RESOURCES), None)
        raise AssertionError("unreachable")

    # -- orders -----------------------------------------------------------------------------
    def iter_order_pages(self, start, end, *, ship_from=None, status=None, with_address=True,
                         include_details=True):
        """Yield ``(window_start, window_end, orders)`` per page of every 7-day window of
        creation dates in [start, end)."""
        for w_start, w_end in windows(start, end):
            params = {"createdAfter": iso(w_start), "createdBefore": iso(w_end),
                      "limit": PAGE_LIMIT, "includeDetails": "true" if include_details
                      else "false"}
            if ship_from:
                params["shipFromPartyId"] = ship_from
            if status:
                params["status"] = status
            token = None
            while True:
                query = dict(params, nextToken=token) if token else dict(params)
                get = functools.partial(_get_orders, query=query)
                payload = (self._restricted("df_orders", "getOrders", get)
                           if with_address else self.api.call("df_orders", "getOrders", get))
                orders = payload.get("orders") or []
                if not isinstance(orders, list):
                    raise AmazonApiError("malformed", "orders is not a list",
                                         operation="getOrders")
                yield w_start, w_end, orders
                token = (payload.get("pagination") or {}).get("nextToken")
                if not token:
                    break

    def get_order(self, number, with_address=True):
        def get(client):
            return client.get_order(number)
        if not with_address:
            return self.api.call("df_orders", "getOrder", get)
        return self._restricted("df_orders", "getOrder", get)

    def submit_acknowledgement(self, body):
        return VendorApi._transaction_id(self.api._post(
            "df_orders", "dfSubmitAcknowledgement", f"{DF}/orders/2021-12-28/acknowledgements",
            body, idempotent=False))

    # -- transactions -----------------------------------------------------------------------
    def get_transaction_status(self, transaction_id):
        payload = self.api.call("df_transactions", "getTransactionStatus",
                                lambda c: c.get_transaction_status(transaction_id))
        status = payload.get("transactionStatus") or {}
        errors = status.get("errors")
        if isinstance(errors, dict):
            status = dict(status, errors=errors.get("errors") or [])
        return status

    # -- shipping ---------------------------------------------------------------------------
    def submit_shipping_label_request(self, body):
        return VendorApi._transaction_id(self.api._post(
            "df_shipping", "submitShippingLabelRequest", LABELS_PATH, body))

    def create_shipping_labels(self, number, body):
        """The labels at once (createShippingLabels): a ShippingLabel dict."""
        path = f"{LABELS_PATH}/{quote(number)}"
        return self._restricted("df_shipping", "createShippingLabels", lambda c: c._request(
            path, data=dict(body, method="POST"), add_marketplace=False), method="POST")

    def get_shipping_label(self, number):
        return self._restricted("df_shipping", "getShippingLabel",
                                lambda c: c.get_shipping_label(number))

    def get_packing_slip(self, number):
        return self._restricted("df_shipping", "getPackingSlip",
                                lambda c: c.get_packing_slip(number))

    def get_customer_invoice(self, number):
        return self._restricted("df_shipping", "getCustomerInvoice",
                                lambda c: c.get_customer_invoice(number))

    def iter_list(self, kind, start, end, ship_from=None):
        """Every shipping label / packing slip / customer invoice created in [start, end)."""
        operation, path, key, method = {
            "labels": ("getShippingLabels", LABELS_PATH, "shippingLabels",
                       "get_shipping_labels"),
            "packing_slips": ("getPackingSlips", SLIPS_PATH, "packingSlips",
                              "get_packing_slips"),
            "customer_invoices": ("getCustomerInvoices", CUSTOMER_INVOICES_PATH,
                                  "customerInvoices", "get_customer_invoices")}[kind]
        for w_start, w_end in windows(start, end):
            params = {"createdAfter": iso(w_start), "createdBefore": iso(w_end),
                      "limit": PAGE_LIMIT}
            if ship_from:
                params["shipFromPartyId"] = ship_from
            token = None
            while True:
                query = dict(params, nextToken=token) if token else dict(params)
                payload = self._restricted("df_shipping", operation,
                                           functools.partial(_call, method, query))
                yield from payload.get(key) or []
                token = (payload.get("pagination") or {}).get("nextToken")
                if not token:
                    break

    def submit_shipment_confirmations(self, body):
        return VendorApi._transaction_id(self.api._post(
            "df_shipping", "submitShipmentConfirmations",
            f"{DF}/shipping/2021-12-28/shipmentConfirmations", body))

    def submit_shipment_status_updates(self, body):
        return VendorApi._transaction_id(self.api._post(
            "df_shipping", "submitShipmentStatusUpdates",
            f"{DF}/shipping/2021-12-28/shipmentStatusUpdates", body))

    # -- payments and inventory (v1: {"payload": {"transactionId"}}) -------------------------
    def submit_invoice(self, body):
        payload = self.api._post("df_payments", "submitInvoice", f"{DF}/payments/v1/invoices",
                                 body)
        return VendorApi._transaction_id(payload.get("payload") or {})

    def submit_inventory_update(self, warehouse_id, body):
        path = f"{DF}/inventory/v1/warehouses/{quote(warehouse_id, safe='')}/items"
        payload = self.api._post("df_inventory", "submitInventoryUpdate", path, body)
        return VendorApi._transaction_id(payload.get("payload") or {})
