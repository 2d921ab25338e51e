"""Vendor Direct Fulfillment Orders 2021-12-28: Amazon's drop-ship orders (one customer order,
shipped by the vendor from its own warehouse straight to the customer).

getOrders needs ``createdAfter`` and ``createdBefore`` (at most 7 days apart), ``limit`` 1..100,
``nextToken`` bound to the filters, optional ``shipFromPartyId``, ``status`` (NEW, ACCEPTED,
SHIPPED, CANCELLED), ``sortOrder`` and ``includeDetails``. The customer's address
(``shipToParty``) is personal data: it is in the reply only when the call carries a Restricted
Data Token for the path (tokens.py); with a plain LWA token the order comes without it.

Acknowledgements (``orderAcknowledgements``) settle as transactions: the order must be NEW (or
already ACCEPTED with the same answer), belong to the selling party and ship-from warehouse,
and every item must be acknowledged with its ordered quantity. ``acknowledgementStatus.code``
``00`` (Shipping 100 percent of ordered product) accepts the order, ``02``..``11`` (cancelled:
invalid SKU, out of stock...) cancel it.
"""
import datetime

from . import tokens
from .clock import iso
from .errors import invalid_input, not_found, rule_error
from .params import Query, make_token, read_token
from .submissions import submit_documents

MODULE = "vendor_direct_fulfillment_orders_v2021_12_28"
MAX_WINDOW = datetime.timedelta(days=7)
STATUSES = ("NEW", "SHIPPED", "ACCEPTED", "CANCELLED")
# The Vendor Direct Fulfillment use case guide's acknowledgement codes: 00 ships the whole
# order; the others cancel it (02 missing/invalid SKU, 03 out of stock, 04 duplicate Amazon
# ship id, 05 bill-to, 06 ship-from, 07 customer name, 08 address, 09 ship method,
# 10 unit cost, 11 pending cancellation).
ACK_CODES = {"00": "ACCEPTED", **{f"{n:02d}": "CANCELLED" for n in range(2, 12)}}
ORDERS_QUERY = {
    "shipFromPartyId": ("str",), "status": ("enum", STATUSES), "limit": ("int", 1, 100),
    "createdAfter": ("date-time",), "createdBefore": ("date-time",),
    "sortOrder": ("enum", ("ASC", "DESC")), "nextToken": ("str",), "includeDetails": ("bool",),
}
# Direct Fulfillment warehouses per currency (the vendor's own, as set up with Amazon).
DF_WAREHOUSES = {"USD": ("ACWH1", "ACWH2"), "EUR": ("ACWHE",)}
WAREHOUSE_ADDRESSES = {
    "ACWH1": {"name": "Acorn Fulfilment West", "addressLine1": "4500 Industrial Parkway",
              "city": "Ontario", "stateOrRegion": "CA", "postalCode": "91761",
              "countryCode": "US"},
    "ACWH2": {"name": "Acorn Fulfilment East", "addressLine1": "12 Logistics Drive",
              "city": "Edison", "stateOrRegion": "NJ", "postalCode": "08817",
              "countryCode": "US"},
    "ACWHE": {"name": "Acorn Fulfilment Europe", "addressLine1": "Lagerstrasse 7",
              "city": "Hamburg", "stateOrRegion": "HH", "postalCode": "20539",
              "countryCode": "DE"},
}
SHIP_METHODS = {"USD": ("UPS_GR_RES", "FEDEX_HOME", "USPS_PRIORITY"),
                "EUR": ("DHL_PAKET", "DPD_CLASSIC")}
FIRST = ("Mei", "John", "Aisha", "Carlos", "Lena", "Hiro", "Priya", "Tom", "Sofia", "Wei")
LAST = ("Chen", "Smith", "Khan", "Garcia", "Muller", "Tanaka", "Patel", "Brown", "Rossi", "Li")
STREETS = ("Maple Street", "Oak Avenue", "Pine Road", "Cedar Lane", "Elm Court", "Birch Way")
US_CITIES = (("Seattle", "WA", "98101"), ("Austin", "TX", "73301"), ("Denver", "CO", "80202"),
             ("Boston", "MA", "02108"), ("Miami", "FL", "33101"))
EU_CITIES = (("Berlin", "BE", "10115", "DE"), ("Lyon", "ARA", "69001", "FR"),
             ("Milano", "MI", "20121", "IT"))


class DfItem:
    def __init__(self, seq, product, quantity):
        self.seq = str(seq)
        self.asin = product["asin"]
        self.vendor_sku = product["vendor_sku"]
        self.title = f"Acorn product {product['vendor_sku']}"
        self.quantity = quantity
        self.net_price = product["net_cost"]
        self.currency = product["currency"]
        self.shipped = 0
        self.invoiced = 0

    def json(self):
        total = f"{float(self.net_price) * self.quantity:.2f}"
        return {"itemSequenceNumber": self.seq, "buyerProductIdentifier": self.asin,
                "vendorProductIdentifier": self.vendor_sku, "title": self.title,
                "orderedQuantity": {"amount": self.quantity, "unitOfMeasure": "Each"},
                "netPrice": {"currencyCode": self.currency, "amount": self.net_price},
                "totalPrice": {"currencyCode": self.currency, "amount": total}}


class DfOrder:
    def __init__(self, number, created, *, vendor_code, warehouse, customer, items, currency,
                 ship_method, required_ship, promised_delivery, priority=False, gift=False,
                 pslip=False, customer_invoice=False):
        self.number = number
        self.customer_order = f"{created:%y%m}-{number[:3]}-{number[3:]}"
        self.created = created
        self.status = "NEW"
        self.vendor_code = vendor_code
        self.warehouse = warehouse
        self.customer = customer
        self.items = items
        self.currency = currency
        self.ship_method = ship_method
        self.required_ship = required_ship
        self.promised_delivery = promised_delivery
        self.priority, self.gift, self.pslip = priority, gift, pslip
        self.customer_invoice = customer_invoice
        self.acknowledged = None  # when
        self.labels = []  # [{"packageIdentifier", "trackingNumber", "items"}]
        self.tracking = set()  # confirmed tracking numbers
        self.shipped_at = None
        self.status_updates = []

    def gift_wrapped(self, item):
        """Whether the customer asked for ``item`` to be gift-wrapped (the first item of a
        gift order, as json() writes it)."""
        return self.gift and bool(self.items) and item is self.items[0]

    def item(self, seq=None, asin=None, sku=None):
        for item in self.items:
            if seq is not None and str(seq).lstrip("0") != item.seq.lstrip("0"):
                continue
            if asin is not None and asin != item.asin:
                continue
            if sku is not None and sku != item.vendor_sku:
                continue
            return item
        return None

    def json(self, details=True, with_address=False):
        payload = {"purchaseOrderNumber": self.number}
        if not details:
            return payload
        od = {
            "customerOrderNumber": self.customer_order,
            "orderDate": iso(self.created),
            "orderStatus": self.status,
            "shipmentDetails": {
                "isPriorityShipment": self.priority,
                "isScheduledDeliveryShipment": False,
                "isPslipRequired": self.pslip,
                "isGift": self.gift,
                "shipMethod": self.ship_method,
                "shipmentDates": {"requiredShipDate": iso(self.required_ship),
                                  "promisedDeliveryDate": iso(self.promised_delivery)},
                "messageToCustomer": "Thank you for shopping with Amazon." if not self.gift
                else "A gift for you: enjoy!",
            },
            "sellingParty": {"partyId": self.vendor_code},
            "shipFromParty": {"partyId": self.warehouse},
            "billToParty": {"partyId": "AMZN-US" if self.currency == "USD" else "AMZN-EU"},
            "items": [item.json() for item in self.items],
        }
        if self.gift:  # OrderItem.giftDetails: the message and wrap the packer includes
            od["items"][0]["giftDetails"] = {"giftMessage": "Happy birthday, from all of us!",
                                             "giftWrapId": "GW-RED"}
        if with_address:
            od["shipToParty"] = dict(self.customer)
        payload["orderDetails"] = od
        return payload


def _customer(rng, currency):
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    street = f"{rng.randint(1, 9999)} {rng.choice(STREETS)}"
    if currency == "USD":
        city, region, postal = rng.choice(US_CITIES)
        country = "US"
    else:
        city, region, postal, country = rng.choice(EU_CITIES)
    return {"name": name, "addressLine1": street, "city": city, "stateOrRegion": region,
            "postalCode": postal, "countryCode": country,
            "phone": f"+1 206 555 {rng.randint(1000, 9999)}"}


def generate_df_order(rng, catalogue, created, taken, *, currency=None, vendor_code=None,
                      warehouse=None, skus=None):
    """One DF order for 1-3 catalogue products (the same catalogue as the retail POs)."""
    from .catalogue import REGIONS  # noqa: PLC0415 - reference data, imported late
    currency = currency or rng.choice(sorted({p["currency"] for p in catalogue}))
    pool = [p for p in catalogue if p["currency"] == currency]
    if not pool:
        raise ValueError(f"no catalogue item in {currency}")
    vendor_code = vendor_code or REGIONS[currency]["vendor_codes"][0]
    warehouse = warehouse or rng.choice(DF_WAREHOUSES[currency])
    if warehouse not in WAREHOUSE_ADDRESSES:
        raise ValueError(f"unknown Direct Fulfillment warehouse {warehouse}")
    if skus:
        by_sku = {p["vendor_sku"]: p for p in catalogue}
        missing = [s for s in skus if s not in by_sku]
        if missing:
            raise ValueError(f"unknown vendor_sku {', '.join(missing)}")
        products = [by_sku[s] for s in skus]
    else:
        products = rng.sample(pool, rng.randint(1, min(3, len(pool))))
    while True:
        number = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(8))
        if number not in taken and not number[0].isdigit():
            break
    items = [DfItem(i, p, rng.choice((1, 1, 1, 2, 3))) for i, p in enumerate(products, 1)]
    priority = rng.random() < 0.1
    ship_days = 1 if priority else rng.choice((1, 2, 2, 3))
    required = (created + datetime.timedelta(days=ship_days)).replace(
        hour=23, minute=59, second=0, microsecond=0)
    return DfOrder(number, created, vendor_code=vendor_code, warehouse=warehouse,
                   customer=_customer(rng, currency), items=items, currency=currency,
                   ship_method=rng.choice(SHIP_METHODS[currency]), required_ship=required,
                   promised_delivery=required + datetime.timedelta(days=rng.randint(2, 5)),
                   priority=priority, gift=rng.random() < 0.1,
                   pslip=rng.random() < 0.3, customer_invoice=currency == "EUR")


# -- endpoints --------------------------------------------------------------------------------
def _window(query, now):
    after, before = query.get("createdAfter"), query.get("createdBefore")
    if after is None or before is None:
        raise invalid_input("Request is missing or has invalid parameters",
                            "createdAfter and createdBefore are required.")
    if after > before:
        raise invalid_input("Invalid Input", "createdAfter must be earlier than createdBefore.")
    if before - after > MAX_WINDOW:
        raise invalid_input("Invalid Input", "The date range between createdAfter and "
                            "createdBefore must not exceed 7 days.")
    return after, before


def page(query, candidates, encode, list_key):
    """Sort by creation, cut the page, bind the nextToken to the filters."""
    candidates.sort(key=lambda o: (o.created, o.number),
                    reverse=query.get("sortOrder") == "DESC")
    limit = query.get("limit", 50)
    fingerprint = query.fingerprint()
    offset = read_token(query.get("nextToken"), fingerprint) if "nextToken" in query else 0
    chunk = candidates[offset:offset + limit]
    payload = {list_key: [encode(o) for o in chunk]}
    if offset + limit < len(candidates):
        payload["pagination"] = {"nextToken": make_token(offset + limit, fingerprint)}
    return payload


def get_orders(state, request):
    query = Query(request.params, ORDERS_QUERY)
    after, before = _window(query, state.clock.now())
    with_address = tokens.grant(state, request) is not None
    ship_from, status = query.get("shipFromPartyId"), query.get("status")
    details = query.get("includeDetails", True)
    with state.lock:
        book = state.df
        candidates = [o for o in book.order_list
                      if after <= o.created <= before
                      and (not ship_from or o.warehouse == ship_from)
                      and (not status or o.status == status)]
        return 200, page(query, candidates, lambda o: o.json(details, with_address), "orders")


def get_order(state, request):
    Query(request.params, {})
    number = request.path_args[0]
    with_address = tokens.grant(state, request) is not None
    with state.lock:
        order = state.df.orders.get(number)
        if order is None:
            raise not_found("The requested purchase order was not found.",
                            f"No Direct Fulfillment order {number}.")
        return 200, order.json(True, with_address)


def submit_acknowledgement(state, request):
    # 2021-12-28 answers the TransactionReference itself, without a payload envelope.
    status, reply = submit_documents(state, request, MODULE, "SubmitAcknowledgementRequest",
                                     "orderAcknowledgements", "df_acknowledgement")
    return status, reply["payload"]


def owned(state, number, where, selling, ship_from, errors):
    """The order, checked against the selling party and warehouse a document names."""
    order = state.df.orders.get(number)
    if order is None:
        errors.append(rule_error("InvalidPurchaseOrderNumber",
                                 f"{where}: purchase order {number} does not exist."))
        return None
    if (selling or {}).get("partyId") != order.vendor_code:
        errors.append(rule_error("InvalidSellingParty", f"{where}: sellingParty "
                                 f"{(selling or {}).get('partyId')} is not {order.vendor_code}."))
    if (ship_from or {}).get("partyId") != order.warehouse:
        errors.append(rule_error("InvalidShipFromParty", f"{where}: shipFromParty "
                                 f"{(ship_from or {}).get('partyId')} is not the order's "
                                 f"warehouse {order.warehouse}."))
    return order


def acknowledgement_rules(state, body, when):
    errors, effects = [], []
    for index, ack in enumerate(body["orderAcknowledgements"]):
        number = ack["purchaseOrderNumber"]
        where = f"orderAcknowledgements[{index}] ({number})"
        order = owned(state, number, where, ack["sellingParty"], ack["shipFromParty"], errors)
        if order is None:
            continue
        code = (ack.get("acknowledgementStatus") or {}).get("code")
        if code not in ACK_CODES:
            errors.append(rule_error("InvalidAcknowledgementCode", f"{where}: acknowledgement"
                                     f"Status.code {code!r} must be one of "
                                     f"{', '.join(ACK_CODES)}."))
            continue
        target = ACK_CODES[code]
        if order.status not in ("NEW", target):
            errors.append(rule_error("InvalidOrderStatus", f"{where}: the order is "
                                     f"{order.status} and cannot be acknowledged as {target}."))
        seen = set()
        for i, line in enumerate(ack["itemAcknowledgements"]):
            item = order.item(line.get("itemSequenceNumber"),
                              line.get("buyerProductIdentifier"),
                              line.get("vendorProductIdentifier"))
            if item is None:
                errors.append(rule_error("InvalidItem", f"{where} itemAcknowledgements[{i}]: "
                                         "no such item on the order."))
                continue
            seen.add(item.seq)
            qty = line["acknowledgedQuantity"]
            if qty.get("amount") != item.quantity:
                errors.append(rule_error("AcknowledgedQuantityMismatch",
                                         f"{where} item {item.seq}: acknowledgedQuantity "
                                         f"{qty.get('amount')} differs from the ordered "
                                         f"{item.quantity}."))
        missing = [i.seq for i in order.items if i.seq not in seen]
        if missing:
            errors.append(rule_error("MissingItems", f"{where}: items {', '.join(missing)} "
                                     "are not acknowledged; acknowledge every item."))
        effects.append((order, target))
    if errors:
        return errors
    for order, target in effects:
        order.status = target
        order.acknowledged = when
    return []
