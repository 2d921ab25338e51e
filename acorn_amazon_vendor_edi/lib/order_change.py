"""Amazon's change to a purchase order (X12 860), applied to the order as last received.

An 860 carries what changed, not the whole order; the core addon compares whole orders (the
API's getPurchaseOrders gives the changed order whole). So the change is read into a neutral
dict and applied here to the order the ledger already holds, giving the order as the API would
show it after the change; the core then treats it like any changed purchase order.

The neutral change::

    {"purchaseOrderNumber": "...", "purpose": "Change" | "Replace" | "Cancel",
     "changeSequence": "1" or None, "purchaseOrderChangedDate": ISO or None,
     "orderDetails": {header fields the change restates: purchaseOrderType, windows, parties},
     "items": [{"itemSequenceNumber", "changeType" (X12 670 code), "orderedQuantity",
                "netCost" ({"amount"[, "currencyCode"]}), "listPrice",
                "amazonProductIdentifier", "vendorProductIdentifier"}]}

Quantities and prices in a line are the line's values after the change (X12: POC03 is the
quantity ordered), so applying the same change twice gives the same order. A line the change
does not name keeps its values, also when Amazon replaces the order (BCH01 05): nothing is
cancelled that Amazon did not name (its own 860 lists every line, unchanged ones as NC).
"""
import copy

from .envelope import EdiError

# X12 element 670 codes read: what each does to the line named in POC01.
ADD = "AI"
DELETE = "DI"
QUANTITY_UP, QUANTITY_DOWN, PRICE, NO_CHANGE = "QI", "QD", "PC", "NC"
CHANGE_TYPES = {ADD, DELETE, QUANTITY_UP, QUANTITY_DOWN, PRICE, NO_CHANGE,
                "CA",  # changes to line items
                "PQ",  # unit price / quantity change
                "CT",  # change of dates
                "RQ",  # reschedule / quantity change
                "RS",  # reschedule
                "RZ"}  # replace all values
PURPOSES = ("Change", "Replace", "Cancel")


def _fail(message, element=None, code="7"):
    return EdiError(message, "POC", None, element, code=code)


def _same_product(line, item, number):
    for key, what in (("amazonProductIdentifier", "ASIN"),
                      ("vendorProductIdentifier", "vendor SKU")):
        if line.get(key) and item.get(key) and line[key] != item[key]:
            raise _fail(f"line {line['itemSequenceNumber']} of purchase order {number} is "
                        f"{what} {item[key]}, the change names {line[key]}", 9)


def _money(value, like):
    """The change's amount in the currency of ``like`` (the line's own) when it names none."""
    money = dict(value)
    if not money.get("currencyCode"):
        money["currencyCode"] = (like or {}).get("currencyCode")
    return money


def _quantity(value, like):
    quantity = dict(value)
    if "unitSize" not in quantity and (like or {}).get("unitOfMeasure") == \
            quantity.get("unitOfMeasure") and (like or {}).get("unitSize") is not None:
        quantity["unitSize"] = like["unitSize"]
    return quantity


def _new_item(line, number, template):
    if not line.get("orderedQuantity"):
        raise _fail(f"added line {line['itemSequenceNumber']} of purchase order {number} has "
                    "no quantity", 3, code="1")
    if not (line.get("amazonProductIdentifier") or line.get("vendorProductIdentifier")):
        raise _fail(f"added line {line['itemSequenceNumber']} of purchase order {number} "
                    "names no product", 8, code="1")
    item = {"itemSequenceNumber": line["itemSequenceNumber"]}
    for key in ("amazonProductIdentifier", "vendorProductIdentifier", "orderedQuantity"):
        if line.get(key):
            item[key] = line[key]
    item["isBackOrderAllowed"] = bool(template.get("isBackOrderAllowed"))
    for key in ("netCost", "listPrice"):
        if line.get(key):
            item[key] = _money(line[key], template.get(key))
    return item


def apply_change(order, change):
    """The order (getPurchaseOrders' Order) after ``change``; ``order`` is not modified.
    EdiError when the change does not fit the order (another order, an unknown line, another
    product on a line)."""
    number = order.get("purchaseOrderNumber")
    if change.get("purchaseOrderNumber") != number:
        raise EdiError(f"the change is for purchase order {change.get('purchaseOrderNumber')}, "
                       f"not {number}", "BCH", None, 3, code="7")
    if change.get("purpose") not in PURPOSES:
        raise EdiError(f"purpose {change.get('purpose')!r} is not one of "
                       f"{', '.join(PURPOSES)}", "BCH", None, 1, code="7")
    result = copy.deepcopy(order)
    details = result.setdefault("orderDetails", {})
    if change.get("purchaseOrderChangedDate"):
        details["purchaseOrderChangedDate"] = change["purchaseOrderChangedDate"]
    for key, value in (change.get("orderDetails") or {}).items():
        details[key] = copy.deepcopy(value)
    items = details.setdefault("items", [])
    by_sequence = {item.get("itemSequenceNumber"): item for item in items}
    if change["purpose"] == "Cancel":  # the whole order: every line to 0
        for item in items:
            item["orderedQuantity"] = dict(item.get("orderedQuantity") or {}, amount=0)
        return result
    for line in change.get("items") or []:
        sequence, kind = line.get("itemSequenceNumber"), line.get("changeType")
        if kind not in CHANGE_TYPES:
            raise _fail(f"change type {kind!r} of line {sequence} is not one of "
                        f"{', '.join(sorted(CHANGE_TYPES))}", 2)
        item = by_sequence.get(sequence)
        if item is None:
            if kind != ADD:
                raise _fail(f"line {sequence} is not on purchase order {number} (only an added "
                            "line, AI, may be new)", 1)
            item = _new_item(line, number, items[0] if items else {})
            items.append(item)
            by_sequence[sequence] = item
            continue
        _same_product(line, item, number)
        if kind == DELETE:
            item["orderedQuantity"] = dict(item.get("orderedQuantity") or {}, amount=0)
            continue
        if line.get("orderedQuantity"):
            item["orderedQuantity"] = _quantity(line["orderedQuantity"],
                                                item.get("orderedQuantity"))
        for key in ("netCost", "listPrice"):
            if line.get(key):
                item[key] = _money(line[key], item.get(key))
    return result


def _amount(item):
    return (item.get("orderedQuantity") or {}).get("amount", 0)


def _line_change(old, new):
    """The 670 code saying how line ``new`` differs from ``old`` (None: added)."""
    if old is None:
        return ADD
    if _amount(new) == 0 and _amount(old) != 0:
        return DELETE
    if _amount(new) > _amount(old):
        return QUANTITY_UP
    if _amount(new) < _amount(old):
        return QUANTITY_DOWN
    if (new.get("netCost") or {}).get("amount") != (old.get("netCost") or {}).get("amount"):
        return PRICE
    return NO_CHANGE


HEADER_KEYS = ("purchaseOrderType", "shipWindow", "deliveryWindow", "shipToParty")


def change_between(previous, order, sequence=None):
    """The change that turns ``previous`` into ``order`` (both whole Orders), every line
    named as Amazon's 860 does (unchanged ones as NC). Amazon's side: the simulator."""
    old_details = previous.get("orderDetails") or {}
    details = order.get("orderDetails") or {}
    old_items = {i.get("itemSequenceNumber"): i for i in old_details.get("items") or []}
    lines = []
    for item in details.get("items") or []:
        old = old_items.get(item.get("itemSequenceNumber"))
        line = {key: copy.deepcopy(item[key]) for key in (
            "itemSequenceNumber", "amazonProductIdentifier", "vendorProductIdentifier",
            "orderedQuantity", "netCost", "listPrice") if item.get(key) is not None}
        line["changeType"] = _line_change(old, item)
        lines.append(line)
    header = {key: copy.deepcopy(details[key]) for key in HEADER_KEYS if details.get(key)}
    for key in ("purchaseOrderDate", "purchaseOrderChangedDate"):
        if details.get(key):
            header[key] = details[key]
    return {"purchaseOrderNumber": order.get("purchaseOrderNumber"), "purpose": "Change",
            "changeSequence": sequence,
            "purchaseOrderChangedDate": header.pop("purchaseOrderChangedDate", None),
            "purchaseOrderDate": header.pop("purchaseOrderDate", None),
            "orderDetails": header, "items": lines}
