"""Vendor Direct Fulfillment in the simulator: the state it keeps (``state.df``), its routes
and transaction rules, its default data, and its control endpoints.

Control API (JSON, no token):
GET  df                      orders per status, labels, inventory per warehouse, settings
POST df                      {"generate": 5, "currency": "USD", "warehouse": "ACWH1",
                              "skus": [...], "age_seconds": 3600}: new DF orders;
                             {"label_format": {"ACWH1": "PNG"}}: the warehouses' label format
                             {"own_carrier": {"ACWH1": true}}: the warehouse ships with the
                             vendor's own carrier (status updates allowed)
POST df/<n>/cancel           Amazon cancels a NEW order (the customer cancelled)
"""
import datetime
import random

from ..usage_plans import USAGE_PLANS
from . import df_inventory, df_orders, df_payments, df_shipping, df_transactions, tokens
from .errors import ApiError

DEFAULT_DF_ORDERS = 60
DF_SPAN_DAYS = 10
DF = "/vendor/directFulfillment"

# Amazon's usage plans (rate/s, burst): every DF operation 10/10; createRestrictedDataToken 1/10.
DF_OPERATIONS = (
    "getOrders", "getOrder", "dfSubmitAcknowledgement", "getTransactionStatus",
    "submitShippingLabelRequest", "getShippingLabels", "getShippingLabel",
    "createShippingLabels", "submitShipmentConfirmations", "submitShipmentStatusUpdates",
    "getPackingSlips", "getPackingSlip", "getCustomerInvoices", "getCustomerInvoice",
    "submitInvoice", "submitInventoryUpdate")
USAGE_PLANS.update(dict.fromkeys(DF_OPERATIONS, (10.0, 10)))
USAGE_PLANS["createRestrictedDataToken"] = (1.0, 10)

ROUTES = (
    ("GET", rf"^{DF}/orders/2021-12-28/purchaseOrders$", "getOrders", df_orders.get_orders),
    ("GET", rf"^{DF}/orders/2021-12-28/purchaseOrders/([^/]+)$", "getOrder",
     df_orders.get_order),
    ("POST", rf"^{DF}/orders/2021-12-28/acknowledgements$", "dfSubmitAcknowledgement",
     df_orders.submit_acknowledgement),
    ("GET", rf"^{DF}/transactions/2021-12-28/transactions/([^/]+)$", "getTransactionStatus",
     df_transactions.get_transaction_status),
    ("POST", rf"^{DF}/shipping/2021-12-28/shippingLabels$", "submitShippingLabelRequest",
     df_shipping.submit_shipping_label_request),
    ("GET", rf"^{DF}/shipping/2021-12-28/shippingLabels$", "getShippingLabels",
     df_shipping.get_shipping_labels),
    ("GET", rf"^{DF}/shipping/2021-12-28/shippingLabels/([^/]+)$", "getShippingLabel",
     df_shipping.get_shipping_label),
    ("POST", rf"^{DF}/shipping/2021-12-28/shippingLabels/([^/]+)$", "createShippingLabels",
     df_shipping.create_shipping_labels),
    ("POST", rf"^{DF}/shipping/2021-12-28/shipmentConfirmations$",
     "submitShipmentConfirmations", df_shipping.submit_shipment_confirmations),
    ("POST", rf"^{DF}/shipping/2021-12-28/shipmentStatusUpdates$",
     "submitShipmentStatusUpdates", df_shipping.submit_shipment_status_updates),
    ("GET", rf"^{DF}/shipping/2021-12-28/packingSlips$", "getPackingSlips",
     df_shipping.get_packing_slips),
    ("GET", rf"^{DF}/shipping/2021-12-28/packingSlips/([^/]+)$", "getPackingSlip",
     df_shipping.get_packing_slips),
    ("GET", rf"^{DF}/shipping/2021-12-28/customerInvoices$", "getCustomerInvoices",
     df_shipping.get_customer_invoices),
    ("GET", rf"^{DF}/shipping/2021-12-28/customerInvoices/([^/]+)$", "getCustomerInvoice",
     df_shipping.get_customer_invoices),
    ("POST", rf"^{DF}/payments/v1/invoices$", "submitInvoice", df_payments.submit_invoice),
    ("POST", rf"^{DF}/inventory/v1/warehouses/([^/]+)/items$", "submitInventoryUpdate",
     df_inventory.submit_inventory_update),
    ("POST", r"^/tokens/2021-03-01/restrictedDataToken$", "createRestrictedDataToken",
     tokens.create_restricted_data_token),
)


class DirectFulfillmentBook:
    def __init__(self):
        self.orders, self.order_list = {}, []
        self.label_format = {}  # warehouse -> "ZPL" | "PNG"
        self.own_carrier = set()  # warehouses shipping with the vendor's own carrier (VOC)
        self.tracking_seq = 0
        self.invoices = {}  # (vendor code, invoice number) -> when
        self.inventory = {}  # warehouse -> {vendor_sku: available}
        self.inventory_updates = 0

    def add(self, order):
        if order.number in self.orders:
            raise ValueError(f"DF order {order.number} already exists")
        self.orders[order.number] = order
        self.order_list.append(order)
        self.order_list.sort(key=lambda o: (o.created, o.number))

    def describe(self):
        statuses = {}
        for order in self.order_list:
            statuses[order.status] = statuses.get(order.status, 0) + 1
        return {"orders": len(self.order_list), "statuses": statuses,
                "labels": sum(1 for o in self.order_list if o.labels),
                "invoices": len(self.invoices), "inventory": self.inventory,
                "inventoryUpdates": self.inventory_updates, "labelFormat": self.label_format,
                "ownCarrier": sorted(self.own_carrier),
                "statusUpdates": sum(len(o.status_updates) for o in self.order_list)}


def install(state, default_data=True):
    """Give a (re)set simulator state its DF book, rules and default orders."""
    state.df = DirectFulfillmentBook()
    state.transactions.rules.update({
        "df_acknowledgement": lambda body, when, submitted=None:
            df_orders.acknowledgement_rules(state, body, when),
        "df_label_request": lambda body, when, submitted=None:
            df_shipping.label_request_rules(state, body, when),
        "df_confirmation": lambda body, when, submitted=None:
            df_shipping.confirmation_rules(state, body, when),
        "df_status_update": lambda body, when, submitted=None:
            df_shipping.status_update_rules(state, body, when),
        "df_invoice": lambda body, when, submitted=None:
            df_payments.invoice_rules(state, body, when),
        "df_inventory": lambda body, when, submitted=None:
            df_inventory.inventory_rules(state, body, when),
    })
    if default_data:
        rng = random.Random(f"{state.seed}-direct-fulfillment")
        now = state.clock.now()
        for _ in range(DEFAULT_DF_ORDERS):
            created = (now - datetime.timedelta(
                seconds=rng.randint(1800, DF_SPAN_DAYS * 86400))).replace(microsecond=0)
            order = df_orders.generate_df_order(rng, state.catalogue, created, state.df.orders)
            age = (now - created).days
            if age >= 2:
                order.status, order.acknowledged = "ACCEPTED", created + datetime.timedelta(
                    hours=2)
                if age >= 4 and rng.random() < 0.8:
                    order.status, order.shipped_at = "SHIPPED", created + datetime.timedelta(
                        days=1)
                    for item in order.items:
                        item.shipped = item.quantity
            state.df.add(order)


# -- control ----------------------------------------------------------------------------------
def _bad(message):
    return ApiError(400, "InvalidInput", message)


def control_df(state, request):
    if request.method == "GET":
        with state.lock:
            return 200, state.df.describe()
    body = request.json_body(required=False) or {}
    created = []
    with state.lock:
        for warehouse, fmt in (body.get("label_format") or {}).items():
            if fmt not in ("ZPL", "PNG"):
                raise _bad("label_format values are ZPL or PNG")
            state.df.label_format[warehouse] = fmt
        for warehouse, own in (body.get("own_carrier") or {}).items():
            (state.df.own_carrier.add if own else state.df.own_carrier.discard)(warehouse)
        count = int(body.get("generate") or 0)
        if count:
            rng = random.Random(f"{state.seed}-df-{len(state.df.order_list)}")
            when = state.clock.now() - datetime.timedelta(
                seconds=float(body.get("age_seconds", 60)))
            try:
                for _ in range(count):
                    order = df_orders.generate_df_order(
                        rng, state.catalogue, when.replace(microsecond=0), state.df.orders,
                        currency=body.get("currency"), warehouse=body.get("warehouse"),
                        skus=body.get("skus"), vendor_code=body.get("vendor_code"))
                    state.df.add(order)
                    created.append(order.number)
            except (ValueError, KeyError) as exc:
                raise _bad(str(exc)) from None
        return 200, dict(state.df.describe(), created=created)


def control_cancel(state, request):
    with state.lock:
        order = state.df.orders.get(request.path_args[0])
        if order is None:
            raise ApiError(404, "NotFound", "no such DF order")
        if order.status != "NEW":
            raise _bad(f"the order is {order.status}; Amazon cancels NEW orders only")
        order.status = "CANCELLED"
        return 200, {"purchaseOrderNumber": order.number, "status": order.status}


CONTROL_ROUTES = [
    ("GET|POST", r"df", control_df),
    ("POST", r"df/([^/]+)/cancel", control_cancel),
]
