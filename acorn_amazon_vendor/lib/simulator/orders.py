"""Vendor Orders v1: getPurchaseOrders, getPurchaseOrder, submitAcknowledgement,
getPurchaseOrdersStatus, and the business rules an acknowledgement must pass."""
import calendar
import datetime
from decimal import Decimal, InvalidOperation

from .errors import invalid_input, not_found, rule_error
from .params import Query, make_token, read_token
from .purchase_orders import to_eaches
from .submissions import submit_documents

MODULE = "vendor_orders_v1"
MAX_WINDOW = datetime.timedelta(days=7)
HISTORY_MONTHS = 6

ORDERS_QUERY = {
    "limit": ("int", 1, 100),
    "createdAfter": ("date-time",), "createdBefore": ("date-time",),
    "changedAfter": ("date-time",), "changedBefore": ("date-time",),
    "sortOrder": ("enum", ("ASC", "DESC")),
    "nextToken": ("str",),
    "includeDetails": ("bool",),
    "poItemState": ("enum", ("Cancelled",)),
    "isPOChanged": ("bool",),
    "purchaseOrderState": ("enum", ("New", "Acknowledged", "Closed")),
    "orderingVendorCode": ("str",),
}
STATUS_QUERY = {
    "limit": ("int", 1, 100),
    "sortOrder": ("enum", ("ASC", "DESC")),
    "nextToken": ("str",),
    "createdAfter": ("date-time",), "createdBefore": ("date-time",),
    "updatedAfter": ("date-time",), "updatedBefore": ("date-time",),
    "purchaseOrderNumber": ("str",),
    "purchaseOrderStatus": ("enum", ("OPEN", "CLOSED")),
    "itemConfirmationStatus": ("enum", ("ACCEPTED", "PARTIALLY_ACCEPTED", "REJECTED",
                                        "UNCONFIRMED")),
    "itemReceiveStatus": ("enum", ("NOT_RECEIVED", "PARTIALLY_RECEIVED", "RECEIVED")),
    "orderingVendorCode": ("str",),
    "shipToPartyId": ("str",),
}


def months_ago(when, months):
    month = when.month - months
    year = when.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


def date_range(query, after_name, before_name, now):
    """The [after, before] window of one filter pair under Amazon's 7-day and 6-month rules."""
    after, before = query.get(after_name), query.get(before_name)
    if after is None and before is None:
        return None
    before = before or now
    after = after or before - MAX_WINDOW
    if after > before:
        raise invalid_input("Invalid Input",
                            f"{after_name} must be earlier than {before_name}.")
    if before - after > MAX_WINDOW:
        raise invalid_input("Invalid Input",
                            f"The date range between {after_name} and {before_name} must not "
                            "exceed 7 days.")
    if after < months_ago(now, HISTORY_MONTHS):
        raise invalid_input("Invalid Input",
                            f"{after_name} must be within the last {HISTORY_MONTHS} months; "
                            "purchase orders are available for the past 6 months only.")
    return after, before


def _in(window, when):
    return when is not None and window[0] < when <= window[1]


def _page(state, query, candidates, form, list_key, limit_default=100):
    """Sort, paginate and encode a list of POs; nextToken is bound to the filters."""
    descending = query.get("sortOrder") == "DESC"
    candidates.sort(key=lambda po: (po.created, po.number), reverse=descending)
    limit = query.get("limit", limit_default)
    fingerprint = query.fingerprint()
    offset = read_token(query.get("nextToken"), fingerprint) if "nextToken" in query else 0
    page = candidates[offset:offset + limit]
    parts = [b'{"payload":{']
    if offset + limit < len(candidates):
        parts.append(b'"pagination":{"nextToken":"%s"},'
                     % make_token(offset + limit, fingerprint).encode())
    parts.append(b'"%s":[' % list_key.encode())
    parts.append(b",".join(po.encoded(form) for po in page))
    parts.append(b"]}}")
    return b"".join(parts)


def get_purchase_orders(state, request):
    query = Query(request.params, ORDERS_QUERY)
    now = state.clock.now()
    created = date_range(query, "createdAfter", "createdBefore", now)
    changed = date_range(query, "changedAfter", "changedBefore", now)
    if created is None and changed is None:
        created = (now - MAX_WINDOW, now)
    po_state = query.get("purchaseOrderState")
    vendor = query.get("orderingVendorCode")
    changed_only = query.get("isPOChanged", False)
    cancelled_only = query.get("poItemState") == "Cancelled"
    with state.lock:
        candidates = [
            po for po in state.order_list
            if (created is None or _in(created, po.created))
            and (changed is None or _in(changed, po.changed))
            and (not po_state or po.state == po_state)
            and (not vendor or po.vendor_code == vendor)
            and (not changed_only or po.changed is not None)
            and (not cancelled_only or any(i.cancelled for i in po.items))
        ]
        form = "full" if query.get("includeDetails", True) else "summary"
        return 200, _page(state, query, candidates, form, "orders")


def get_purchase_order(state, request):
    number = request.path_args[0]
    Query(request.params, {})
    if not number or number == "null":
        raise invalid_input("Request is missing or has invalid parameters",
                            "purchaseOrderNumber cannot be null")
    with state.lock:
        po = state.orders.get(number)
        if po is None:
            raise not_found("The requested purchase order was not found.",
                            f"No purchase order {number} for this vendor group.")
        return 200, b'{"payload":%s}' % po.encoded("full")


def get_purchase_orders_status(state, request):
    query = Query(request.params, STATUS_QUERY)
    now = state.clock.now()
    created = date_range(query, "createdAfter", "createdBefore", now)
    updated = date_range(query, "updatedAfter", "updatedBefore", now)
    number = query.get("purchaseOrderNumber")
    if created is None and updated is None and not number:
        updated = (now - MAX_WINDOW, now)
    status = query.get("purchaseOrderStatus")
    confirmation = query.get("itemConfirmationStatus")
    receive = query.get("itemReceiveStatus")
    vendor, ship_to = query.get("orderingVendorCode"), query.get("shipToPartyId")
    with state.lock:
        pool = [state.orders[number]] if number in state.orders else [] if number else \
            state.order_list
        candidates = []
        for po in pool:
            if created and not _in(created, po.created):
                continue
            if updated and not _in(updated, po.last_updated):
                continue
            if status and ("CLOSED" if po.state == "Closed" else "OPEN") != status:
                continue
            if vendor and po.vendor_code != vendor or ship_to and po.ship_to != ship_to:
                continue
            items = [i.status_json() for i in po.items] if confirmation or receive else []
            if confirmation and not any(
                    i["acknowledgementStatus"]["confirmationStatus"] == confirmation
                    for i in items):
                continue
            if receive and not any(i["receivingStatus"]["receiveStatus"] == receive
                                   for i in items):
                continue
            candidates.append(po)
        return 200, _page(state, query, candidates, "status", "ordersStatus")


def submit_acknowledgement(state, request):
    return submit_documents(state, request, MODULE, "SubmitAcknowledgementRequest",
                            "acknowledgements", "acknowledgement")


# -- business rules (run when the transaction settles) ----------------------------------------
def decimal_or_none(value):
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def check_net_cost(errors, where, money, item):
    """The acknowledged/invoiced unit cost must be the PO's (Amazon rejects the file otherwise)."""
    if not money or money.get("amount") is None:
        errors.append(rule_error("MissingNetCost", f"{where}: netCost is required.",
                                 "Send the net cost per each from the purchase order."))
        return
    amount = decimal_or_none(money["amount"])
    if amount is None or amount <= 0:
        errors.append(rule_error("InvalidNetCost", f"{where}: netCost must be greater than zero."))
    elif amount != Decimal(item.net_cost) or money.get("currencyCode", item.currency) \
            != item.currency:
        errors.append(rule_error(
            "NetCostMismatch", f"{where}: netCost {money.get('currencyCode', '')} "
            f"{money['amount']} differs from the purchase order cost {item.currency} "
            f"{item.net_cost}."))


def acknowledgement_rules(state, body, when):
    errors, effects = [], []
    for index, ack in enumerate(body["acknowledgements"]):
        number = ack["purchaseOrderNumber"]
        where = f"acknowledgements[{index}] ({number})"
        po = state.orders.get(number)
        if po is None:
            errors.append(rule_error("InvalidPurchaseOrderNumber",
                                     f"{where}: purchase order {number} does not exist."))
            continue
        if ack["sellingParty"].get("partyId") != po.vendor_code:
            errors.append(rule_error(
                "InvalidSellingParty", f"{where}: sellingParty {ack['sellingParty'].get('partyId')}"
                f" is not the ordering vendor code {po.vendor_code}."))
        if po.state == "Closed":
            errors.append(rule_error("PurchaseOrderClosed",
                                     f"{where}: the purchase order is closed."))
        seen = set()
        for i, line in enumerate(ack["items"]):
            line_where = f"{where} items[{i}]"
            item = po.item(line.get("itemSequenceNumber"), line.get("amazonProductIdentifier"),
                           line.get("vendorProductIdentifier"))
            if item is None:
                errors.append(rule_error("InvalidItem", f"{line_where}: no such item on purchase "
                                         f"order {number}.",
                                         "Identify the item by itemSequenceNumber, "
                                         "amazonProductIdentifier or vendorProductIdentifier as "
                                         "on the purchase order."))
                continue
            if item.seq in seen:
                errors.append(rule_error("DuplicateItem", f"{line_where}: item {item.seq} is "
                                         "acknowledged twice."))
            seen.add(item.seq)
            if to_eaches(line["orderedQuantity"], item.unit_size) != item.ordered:
                errors.append(rule_error(
                    "OrderedQuantityMismatch", f"{line_where}: orderedQuantity differs from the "
                    f"purchase order ({item.ordered} eaches)."))
            check_net_cost(errors, line_where, line.get("netCost"), item)
            accepted = rejected = 0
            for ia in line["itemAcknowledgements"]:
                code, qty = ia["acknowledgementCode"], ia["acknowledgedQuantity"]
                eaches = to_eaches(qty, item.unit_size)
                if eaches <= 0:
                    errors.append(rule_error("InvalidQuantity", f"{line_where}: "
                                             "acknowledgedQuantity must be greater than zero."))
                if code == "Backordered":
                    if not item.back_order_allowed:
                        errors.append(rule_error(
                            "BackorderNotAllowed", f"{line_where}: item {item.seq} does not "
                            "allow backorders (isBackOrderAllowed is false).",
                            "Accept or reject the quantity instead."))
                    if not (ia.get("scheduledShipDate") or ia.get("scheduledDeliveryDate")):
                        errors.append(rule_error(
                            "MissingScheduledDate", f"{line_where}: a Backordered quantity needs "
                            "scheduledShipDate or scheduledDeliveryDate."))
                if code == "Rejected":
                    rejected += eaches
                    if not ia.get("rejectionReason"):
                        errors.append(rule_error("MissingRejectionReason",
                                                 f"{line_where}: a Rejected quantity needs a "
                                                 "rejectionReason."))
                else:
                    accepted += eaches
            if accepted + rejected != item.ordered:
                errors.append(rule_error(
                    "AcknowledgedQuantityMismatch", f"{line_where}: acknowledged quantities "
                    f"add up to {accepted + rejected} eaches, the purchase order asks for "
                    f"{item.ordered}.", "The itemAcknowledgements of an item must cover its "
                    "whole ordered quantity."))
            effects.append((po, item, accepted, rejected))
    if errors:
        return errors
    for _po, item, accepted, rejected in effects:
        item.acknowledge(accepted, rejected, when)
    for po in {id(p): p for p, *_ in effects}.values():
        po.mark_acknowledged(when)
    return []
