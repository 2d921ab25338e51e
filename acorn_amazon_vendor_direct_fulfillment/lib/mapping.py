"""Direct Fulfillment JSON <-> neutral dicts <-> Odoo values: pure functions, no ORM.

Outbound documents are checked against Amazon's models (``amzn-sp-api`` classes through the
core's ``amazon_schema``) before they leave: ``SchemaError`` lists every problem.
"""
import base64
import binascii
import re
from decimal import Decimal, InvalidOperation

from odoo.addons.acorn_amazon_vendor.lib import amazon_schema
from odoo.addons.acorn_amazon_vendor.lib.amazon_dates import iso, parse_date_time

ORDERS_MODULE = "vendor_direct_fulfillment_orders_v2021_12_28"
SHIPPING_MODULE = "vendor_direct_fulfillment_shipping_v2021_12_28"
PAYMENTS_MODULE = "vendor_direct_fulfillment_payments_v1"
INVENTORY_MODULE = "vendor_direct_fulfillment_inventory_v1"
ACCEPT_CODE = "00"
INVALID_SKU_CODE = "02"
OUT_OF_STOCK_CODE = "03"
ACK_DESCRIPTIONS = {
    "00": "Shipping 100 percent of ordered product",
    "02": "Canceled due to missing/invalid SKU",
    "03": "Canceled out of stock",
}
ADDRESS_FIELDS = ("name", "attention", "addressLine1", "addressLine2", "addressLine3", "city",
                  "county", "district", "stateOrRegion", "postalCode", "countryCode", "phone")


class MappingError(ValueError):
    """An inbound document we cannot read (the reason names the field)."""


def _decimal(money, where):
    try:
        return Decimal(str((money or {})["amount"]))
    except (KeyError, InvalidOperation, TypeError):
        raise MappingError(f"{where}: amount missing or not a number") from None


def _date(value, where, required=True):
    parsed = parse_date_time(value) if value else None
    if parsed is None and required:
        raise MappingError(f"{where}: {value!r} is not an ISO 8601 date-time")
    return parsed


def parse_order(data):
    """A DF Order (2021-12-28) as a neutral dict; ``customer`` is None without an address."""
    if not isinstance(data, dict) or not data.get("purchaseOrderNumber"):
        raise MappingError("purchaseOrderNumber missing")
    number = str(data["purchaseOrderNumber"])
    od = data.get("orderDetails")
    if not isinstance(od, dict):
        raise MappingError(f"{number}: orderDetails missing")
    shipment = od.get("shipmentDetails") or {}
    dates = shipment.get("shipmentDates") or {}
    items, currency = [], None
    for index, item in enumerate(od.get("items") or []):
        where = f"{number} items[{index}]"
        qty = (item.get("orderedQuantity") or {}).get("amount")
        if not isinstance(qty, int) or qty <= 0:
            raise MappingError(f"{where}: orderedQuantity must be a positive integer")
        price = _decimal(item.get("netPrice"), f"{where} netPrice")
        item_currency = item["netPrice"].get("currencyCode")
        if currency and item_currency != currency:
            raise MappingError(f"{number}: items in several currencies")
        currency = item_currency
        gift = item.get("giftDetails") if isinstance(item.get("giftDetails"), dict) else {}
        items.append({"seq": str(item.get("itemSequenceNumber")),
                      "asin": item.get("buyerProductIdentifier"),
                      "vendor_sku": item.get("vendorProductIdentifier"),
                      "title": item.get("title") or "",
                      "quantity": qty, "net_price": price, "currency": item_currency,
                      "gift_message": str(gift.get("giftMessage") or ""),
                      "gift_wrap": str(gift.get("giftWrapId") or "")})
    if not items:
        raise MappingError(f"{number}: the order has no items")
    address = od.get("shipToParty")
    customer = {k: address[k] for k in ADDRESS_FIELDS if address.get(k)} \
        if isinstance(address, dict) else None
    return {
        "number": number,
        "customer_order": od.get("customerOrderNumber") or "",
        "order_date": _date(od.get("orderDate"), f"{number} orderDate"),
        "status": od.get("orderStatus") or "NEW",
        "selling_party": (od.get("sellingParty") or {}).get("partyId"),
        "ship_from": (od.get("shipFromParty") or {}).get("partyId"),
        "bill_to": (od.get("billToParty") or {}).get("partyId"),
        "ship_method": shipment.get("shipMethod") or "",
        "required_ship_date": _date(dates.get("requiredShipDate"), f"{number} requiredShipDate"),
        "promised_delivery_date": _date(dates.get("promisedDeliveryDate"),
                                        f"{number} promisedDeliveryDate", required=False),
        "priority": bool(shipment.get("isPriorityShipment")),
        "gift": bool(shipment.get("isGift")),
        "pslip_required": bool(shipment.get("isPslipRequired")),
        "message": shipment.get("messageToCustomer") or "",
        "scheduled_delivery": bool(shipment.get("isScheduledDeliveryShipment")),
        "customer": customer,
        "currency": currency,
        "items": items,
    }


# -- outbound ---------------------------------------------------------------------------------
def acknowledgement(order, vendor_order_number, when, code=ACCEPT_CODE):
    """One OrderAcknowledgementItem: every item with its ordered quantity (DF orders are
    accepted or cancelled whole; the code says which)."""
    return {
        "purchaseOrderNumber": order["number"],
        "vendorOrderNumber": vendor_order_number[:64],
        "acknowledgementDate": iso(when),
        "acknowledgementStatus": {"code": code,
                                  "description": ACK_DESCRIPTIONS.get(code, "Canceled")},
        "sellingParty": {"partyId": order["selling_party"]},
        "shipFromParty": {"partyId": order["ship_from"]},
        "itemAcknowledgements": [{
            "itemSequenceNumber": item["seq"],
            # the order's own identifiers, as sent (none is ever sent empty)
            **_identifiers(order, item["seq"]),
            "acknowledgedQuantity": {"amount": item["quantity"], "unitOfMeasure": "Each"},
        } for item in order["items"]],
    }


def acknowledgement_request(acks):
    body = {"orderAcknowledgements": list(acks)}
    return amazon_schema.check(ORDERS_MODULE, "SubmitAcknowledgementRequest", body)


def _container(order, package, index, pieces=None):
    """``pieces``: {seq: piece number in this container} of the items split across
    containers (pieceNumber "is required when the item is split across different
    containers")."""
    pieces = pieces or {}
    container = {
        "containerType": "Carton",
        "containerIdentifier": package["identifier"],
        "containerSequenceNumber": index,
        "weight": {"unitOfMeasure": "KG", "value": str(package.get("weight_kg") or "0.5")},
        "packedItems": [{
            "itemSequenceNumber": int(seq),
            **({"pieceNumber": pieces[str(seq)]} if str(seq) in pieces else {}),
            "packedQuantity": {"amount": qty, "unitOfMeasure": "Each"},
            **_identifiers(order, seq),
        } for seq, qty in package["items"].items() if qty],
    }
    if package.get("tracking"):
        container["trackingNumber"] = package["tracking"]
    # "required when calling submitShipmentConfirmations": the label's, else the order's
    if package.get("ship_method") or order.get("ship_method"):
        container["shipMethod"] = package.get("ship_method") or order["ship_method"]
    return container


def _identifiers(order, seq):
    item = next((i for i in order["items"] if i["seq"] == str(seq)), None)
    if item is None:
        raise MappingError(f"{order['number']}: no item {seq}")
    out = {}
    if item.get("asin"):
        out["buyerProductIdentifier"] = item["asin"]
    if item.get("vendor_sku"):
        out["vendorProductIdentifier"] = item["vendor_sku"]
    return out


def label_request(order, packages=()):
    """ShippingLabelRequest (submitShippingLabelRequest); ``packages`` as for confirmations."""
    req = {"purchaseOrderNumber": order["number"],
           "sellingParty": {"partyId": order["selling_party"]},
           "shipFromParty": {"partyId": order["ship_from"]}}
    if packages:
        req["containers"] = [_container(order, p, i) for i, p in enumerate(packages, 1)]
    return req


def label_request_body(requests):
    body = {"shippingLabelRequests": list(requests)}
    return amazon_schema.check(SHIPPING_MODULE, "SubmitShippingLabelsRequest", body)


def create_labels_body(order, packages=()):
    body = label_request(order, packages)
    body.pop("purchaseOrderNumber")
    return amazon_schema.check(SHIPPING_MODULE, "CreateShippingLabelsRequest", body)


def parse_labels(data):
    """A ShippingLabel as ``{"format", "packages": [{identifier, tracking, ship_method,
    content (bytes)}]}``."""
    fmt = data.get("labelFormat")
    if fmt not in ("ZPL", "PNG"):
        raise MappingError(f"labelFormat {fmt!r} is neither ZPL nor PNG")
    packages = []
    for index, label in enumerate(data.get("labelData") or []):
        try:
            content = base64.b64decode(label.get("content") or "", validate=True)
        except (binascii.Error, ValueError):
            raise MappingError(f"labelData[{index}].content is not base64") from None
        packages.append({"identifier": label.get("packageIdentifier") or str(index + 1),
                         "tracking": label.get("trackingNumber") or "",
                         "ship_method": label.get("shipMethod") or "", "content": content})
    if not packages:
        raise MappingError("the label has no labelData")
    return {"number": data.get("purchaseOrderNumber"), "format": fmt, "packages": packages}


def parse_document(data):
    """A PackingSlip or CustomerInvoice: (bytes, mimetype)."""
    try:
        content = base64.b64decode(data.get("content") or "", validate=True)
    except (binascii.Error, ValueError):
        raise MappingError("content is not base64") from None
    if not content:
        raise MappingError("the document is empty")
    return content, data.get("contentType") or "application/pdf"


def shipment_confirmation(order, shipped_at, packages, vendor_order_number=None):
    """ShipmentConfirmation from what was really packed: ``packages`` is a list of
    ``{"identifier", "tracking", "weight_kg", "items": {seq: quantity}}``."""
    shipped, containers_of = {}, {}
    for index, package in enumerate(packages):
        for seq, qty in package["items"].items():
            shipped[str(seq)] = shipped.get(str(seq), 0) + qty
            if qty:
                containers_of.setdefault(str(seq), []).append(index)
    # an item split across containers: its piece 1, 2, ... in container order
    pieces = [{seq: where.index(index) + 1 for seq, where in containers_of.items()
               if len(where) > 1 and index in where} for index in range(len(packages))]
    details = {"shippedDate": iso(shipped_at), "shipmentStatus": "SHIPPED",
               "isPriorityShipment": order.get("priority", False)}
    if vendor_order_number:
        details["vendorOrderNumber"] = vendor_order_number[:64]
    return {
        "purchaseOrderNumber": order["number"],
        "shipmentDetails": details,
        "sellingParty": {"partyId": order["selling_party"]},
        "shipFromParty": {"partyId": order["ship_from"]},
        "items": [{"itemSequenceNumber": int(seq), **_identifiers(order, seq),
                   "shippedQuantity": {"amount": qty, "unitOfMeasure": "Each"}}
                  for seq, qty in sorted(shipped.items(), key=lambda kv: int(kv[0])) if qty],
        "containers": [_container(order, p, i, pieces[i - 1])
                       for i, p in enumerate(packages, 1)],
    }


def confirmations_body(confirmations):
    body = {"shipmentConfirmations": list(confirmations)}
    return amazon_schema.check(SHIPPING_MODULE, "SubmitShipmentConfirmationsRequest", body)


# Shipment status codes (ANSI X12 214 element 1650) of Vendor Own Carrier scans, and the
# reason codes (element 1651) that go with them; NS is a normal status.
STATUS_CODES = (
    ("AF", "Departed pickup location"), ("X4", "Arrived at terminal"),
    ("X6", "En route to delivery location"), ("OD", "Out for delivery"),
    ("X1", "Arrived at delivery location"), ("D1", "Delivered"),
    ("AP", "Delivery not completed"), ("AG", "Estimated delivery"),
    ("SD", "Shipment delayed"), ("A7", "Refused by consignee"),
    ("A9", "Shipment damaged"), ("A3", "Returned to shipper"),
)
REASON_CODES = (
    ("NS", "Normal status"), ("A1", "Missed delivery"), ("A2", "Incorrect address"),
    ("AG", "Consignee related"), ("AH", "Driver related"), ("AJ", "Other carrier related"),
    ("AM", "Shipper related"), ("AO", "Weather or natural disaster"),
    ("AQ", "Recipient unavailable, delivery delayed"), ("B1", "Consignee closed"),
)
DELIVERED = "D1"
# Last-mile events: they happen at the customer's address.
CUSTOMER_SIDE_STATUSES = frozenset({"OD", "X1", "D1", "AP", "A7"})
ADDRESS_KEYS = ("name", "addressLine1", "addressLine2", "city", "stateOrRegion", "postalCode",
                "countryCode")


def split_tracking_numbers(text):
    """Tracking numbers typed one per package, separated by spaces, commas or semicolons."""
    return [number for number in re.split(r"[\s,;]+", text or "") if number]


def status_update(order, tracking, status_code, when, location, reason_code="NS",
                  estimated_delivery=None):
    """ShipmentStatusUpdate of one package (Vendor Own Carrier): ``location`` is where the
    event happened, ``{name, addressLine1, city, stateOrRegion, postalCode, countryCode}``."""
    if status_code not in dict(STATUS_CODES):
        raise MappingError(f"unknown shipment status code {status_code!r}")
    if reason_code not in dict(REASON_CODES):
        raise MappingError(f"unknown shipment status reason code {reason_code!r}")
    if not tracking:
        raise MappingError("a status update needs the package's tracking number")
    address = {k: str(location[k]).strip() for k in ADDRESS_KEYS if location.get(k)}
    missing = [k for k in ("name", "addressLine1", "countryCode") if not address.get(k)]
    if missing:
        raise MappingError(f"the status location needs {', '.join(missing)}")
    details = {"trackingNumber": tracking, "statusCode": status_code,
               "reasonCode": reason_code, "statusDateTime": iso(when),
               "statusLocationAddress": address}
    if estimated_delivery:
        details["shipmentSchedule"] = {"estimatedDeliveryDateTime": iso(estimated_delivery)}
    return {"purchaseOrderNumber": order["number"],
            "sellingParty": {"partyId": order["selling_party"]},
            "shipFromParty": {"partyId": order["ship_from"]},
            "statusUpdateDetails": details}


def status_updates_body(updates):
    body = {"shipmentStatusUpdates": list(updates)}
    return amazon_schema.check(SHIPPING_MODULE, "SubmitShipmentStatusUpdatesRequest", body)


def gift_note(order):
    """What the packer must do for the gifts of ``order``: one line per item with a gift
    message or a gift wrap (Amazon: "include the gift message and gift wrap information")."""
    lines = []
    for item in order["items"]:
        if item.get("gift_message") or item.get("gift_wrap"):
            what = item.get("vendor_sku") or item.get("asin") or item["seq"]
            parts = [f"gift wrap {item['gift_wrap']}"] if item.get("gift_wrap") else []
            if item.get("gift_message"):
                parts.append(f"message: {item['gift_message']}")
            lines.append(f"{what}: {'; '.join(parts)}")
    return "\n".join(lines)


def _money(amount, currency):
    return {"currencyCode": currency, "amount": str(amount)}


def invoice(number, when, remit_to, ship_from, currency, lines, taxes=(), charges=(),
            bill_to=None):
    """InvoiceDetail: ``lines`` are ``{order, seq, asin, vendor_sku, quantity, net_cost}``
    with their own ``charges`` ``[{type, amount}]`` when they have some (a gift wrap);
    ``taxes`` ``{type, rate, amount, taxable}``; ``charges`` ``{type, amount}`` the invoice's.
    The items' charges are added up per type into the invoice's, counted once: the total is
    the lines (net cost x quantity) plus the invoice's charges plus taxes, as Amazon adds it
    up."""
    total = Decimal(0)
    items, totals = [], {}
    for index, line in enumerate(lines, 1):
        cost = Decimal(str(line["net_cost"]))
        total += cost * line["quantity"]
        item = {"itemSequenceNumber": str(line.get("seq") or index),
                "invoicedQuantity": {"amount": int(line["quantity"]), "unitOfMeasure": "Each"},
                "netCost": _money(cost, currency),
                "purchaseOrderNumber": line["order"]}
        if line.get("asin"):
            item["buyerProductIdentifier"] = line["asin"]
        if line.get("vendor_sku"):
            item["vendorProductIdentifier"] = line["vendor_sku"]
        if line.get("charges"):
            item["chargeDetails"] = [
                {"type": c["type"], "chargeAmount": _money(Decimal(str(c["amount"])), currency)}
                for c in line["charges"]]
            for c in line["charges"]:
                totals[c["type"]] = totals.get(c["type"], Decimal(0)) + Decimal(str(c["amount"]))
        items.append(item)
    detail = {"invoiceNumber": number,
              "invoiceDate": iso(when),
              "remitToParty": {"partyId": remit_to}, "shipFromParty": {"partyId": ship_from},
              "items": items}
    if bill_to:
        detail["billToParty"] = {"partyId": bill_to}
    charges = list(charges) + [{"type": kind, "amount": amount}
                               for kind, amount in totals.items()]
    if charges:
        detail["chargeDetails"] = [{"type": c["type"],
                                    "chargeAmount": _money(Decimal(str(c["amount"])), currency)}
                                   for c in charges]
        total += sum(Decimal(str(c["amount"])) for c in charges)
    if taxes:
        detail["taxTotals"] = []
        for tax in taxes:
            entry = {"taxType": tax["type"],
                     "taxAmount": _money(Decimal(str(tax["amount"])), currency)}
            if tax.get("rate") is not None:
                entry["taxRate"] = str(tax["rate"])
            if tax.get("taxable") is not None:
                entry["taxableAmount"] = _money(Decimal(str(tax["taxable"])), currency)
            detail["taxTotals"].append(entry)
            total += Decimal(str(tax["amount"]))
    detail["invoiceTotal"] = _money(total, currency)
    return detail


def invoice_body(invoices):
    body = {"invoices": list(invoices)}
    return amazon_schema.check(PAYMENTS_MODULE, "SubmitInvoiceRequest", body)


def inventory_update(selling_party, levels, full):
    """SubmitInventoryUpdateRequest: ``levels`` ``[{asin, vendor_sku, quantity}]``."""
    items = []
    for level in levels:
        item = {"availableQuantity": {"amount": max(0, int(level["quantity"])),
                                      "unitOfMeasure": "Each"}}
        if level.get("asin"):
            item["buyerProductIdentifier"] = level["asin"]
        if level.get("vendor_sku"):
            item["vendorProductIdentifier"] = level["vendor_sku"]
        items.append(item)
    body = {"inventory": {"sellingParty": {"partyId": selling_party},
                          "isFullUpdate": bool(full), "items": items}}
    return amazon_schema.check(INVENTORY_MODULE, "SubmitInventoryUpdateRequest", body)


# -- Odoo values ------------------------------------------------------------------------------
def partner_vals(customer, country_id=None, state_id=None):
    """res.partner values of the end customer (a delivery address), from a neutral address."""
    customer = customer or {}
    street2 = ", ".join(v for v in (customer.get("addressLine2"), customer.get("addressLine3"))
                        if v)
    return {"name": (customer.get("name") or "").strip()[:128] or "Amazon customer",
            "street": customer.get("addressLine1") or False, "street2": street2 or False,
            "city": customer.get("city") or False, "zip": customer.get("postalCode") or False,
            "phone": customer.get("phone") or False, "country_id": country_id or False,
            "state_id": state_id or False, "type": "delivery"}


def json_dumps(value):
    import json  # noqa: PLC0415
    return json.dumps(value, separators=(",", ":"))


def json_loads(text):
    import json  # noqa: PLC0415
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return value if isinstance(value, list) else []
