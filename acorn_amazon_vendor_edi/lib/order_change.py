"""Amazon's change to a purchase order (X12 860, EDIFACT ORDCHG), applied to the order as last
received.

A change carries what changed, not the whole order; the core addon compares whole orders (the
API's getPurchaseOrders gives the changed order whole). So the change is read into a neutral
dict and applied here to the order the ledger already holds, giving the order as the API would
show it after the change; the core then treats it like any changed purchase order.

The neutral change::

    {"purchaseOrderNumber": "...", "purpose": "Change" | "Replace" | "Cancel",
     "changeSequence": "1" or None, "purchaseOrderChangedDate": ISO or None,
     "orderDetails": {header fields the change restates: purchaseOrderType, windows, parties},
     "items": [{"itemSequenceNumber", "changeType" (X12 670 code; ORDCHG's actions mapped
                onto them), "orderedQuantity",
                "netCost" ({"amount"[, "currencyCode"]}), "listPrice",
                "amazonProductIdentifier", "vendorProductIdentifier"}]}

The X12 reader adds ``"_segment"`` (the POC's position in its transaction set) to a line, so
that a refusal names the segment. A party the change restates under the same id keeps what
the change leaves out (address lines, tax registration).

Quantities and prices in a line are the line's values after the change (X12: POC03 is the
quantity ordered), so applying the same change twice gives the same order. A line the change
does not name keeps its values, also when Amazon replaces the order (BCH01 05): nothing is
cancelled that Amazon did not name (its own 860 lists every line, unchanged ones as NC).
"""
import copy
import datetime

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


def _fail(message, line=None, element=None, code="7"):
    position = (line or {}).get("_segment") or None
    return EdiError(message, "POC", position, element, code=code)


def sequence_key(sequence):
    """Amazon writes line numbers as "1" or "00001": the same line either way (as the core)."""
    text = str(sequence or "").strip()
    return text.lstrip("0") or "0"


def _same_product(line, item, number):
    for key, what in (("amazonProductIdentifier", "ASIN"),
                      ("vendorProductIdentifier", "vendor SKU")):
        if line.get(key) and item.get(key) and line[key] != item[key]:
            raise _fail(f"line {line['itemSequenceNumber']} of purchase order {number} is "
                        f"{what} {item[key]}, the change names {line[key]}", line, 9)


def _money(value, like):
    """The change's amount in the currency of ``like`` (the line's own) when it names none."""
    money = dict(value)
    if not money.get("currencyCode"):
        money["currencyCode"] = (like or {}).get("currencyCode")
    return money


def _quantity(line, like, number):
    """The line's new quantity; a pack size the change does not give is the line's own, and
    cases without one are refused (each case would count as one unit)."""
    quantity = dict(line["orderedQuantity"])
    like = like or {}
    if not quantity.get("unitOfMeasure") and like.get("unitOfMeasure"):
        quantity["unitOfMeasure"] = like["unitOfMeasure"]  # a change naming no unit keeps it
    if quantity.get("unitSize") is None and like.get("unitOfMeasure") == \
            quantity.get("unitOfMeasure") and like.get("unitSize") is not None:
        quantity["unitSize"] = like["unitSize"]
    if quantity.get("unitOfMeasure") == "Cases" and not quantity.get("unitSize"):
        raise _fail(f"line {line['itemSequenceNumber']} of purchase order {number} is in cases "
                    "without a pack size (PO4)", line, 5, code="2")
    return quantity


def _party(new, old):
    """The same party restated keeps what the change leaves out (address lines, tax
    registration); another party id replaces it."""
    if not isinstance(old, dict) or old.get("partyId") != new.get("partyId"):
        return copy.deepcopy(new)
    merged = copy.deepcopy(old)
    for key, value in new.items():
        if key == "address" and isinstance(value, dict):
            merged["address"] = dict(merged.get("address") or {}, **value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _new_item(line, number, template):
    if not line.get("orderedQuantity"):
        raise _fail(f"added line {line['itemSequenceNumber']} of purchase order {number} has "
                    "no quantity", line, 3, code="1")
    if not (line.get("amazonProductIdentifier") or line.get("vendorProductIdentifier")):
        raise _fail(f"added line {line['itemSequenceNumber']} of purchase order {number} "
                    "names no product", line, 8, code="1")
    item = {"itemSequenceNumber": line["itemSequenceNumber"]}
    for key in ("amazonProductIdentifier", "vendorProductIdentifier"):
        if line.get(key):
            item[key] = line[key]
    item["orderedQuantity"] = _quantity(line, None, number)
    item["isBackOrderAllowed"] = bool(template.get("isBackOrderAllowed"))
    for key in ("netCost", "listPrice"):
        if line.get(key):
            item[key] = _money(line[key], template.get(key))
    return item


def _items(order, number):
    """The order's lines, checked to be what the ledger stores (an EdiError otherwise)."""
    details = order.get("orderDetails")
    items = details.get("items") if isinstance(details, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise EdiError(f"purchase order {number} as last received has no readable lines: "
                       "its change cannot be applied", "BCH", 2, 3, code="7")
    return items


def apply_change(order, change):
    """The order (getPurchaseOrders' Order) after ``change``; ``order`` is not modified.
    EdiError when the change does not fit the order (another order, an unknown line, another
    product on a line, cases without a pack size)."""
    number = order.get("purchaseOrderNumber") if isinstance(order, dict) else None
    if change.get("purchaseOrderNumber") != number:
        raise EdiError(f"the change is for purchase order {change.get('purchaseOrderNumber')}, "
                       f"not {number}", "BCH", 2, 3, code="7")
    if change.get("purpose") not in PURPOSES:
        raise EdiError(f"purpose {change.get('purpose')!r} is not one of "
                       f"{', '.join(PURPOSES)}", "BCH", 2, 1, code="7")
    _items(order, number)
    result = copy.deepcopy(order)
    details = result["orderDetails"]
    items = details["items"]
    if change.get("purchaseOrderChangedDate"):
        details["purchaseOrderChangedDate"] = change["purchaseOrderChangedDate"]
    for key, value in (change.get("orderDetails") or {}).items():
        details[key] = _party(value, details.get(key)) if key.endswith("Party") \
            else copy.deepcopy(value)
    restated = {"shipWindow", "deliveryWindow"} & set(change.get("orderDetails") or {})
    if len(restated) == 1:  # Amazon moved the order to the other kind of window
        details.pop(({"shipWindow", "deliveryWindow"} - restated).pop(), None)
    if change["purpose"] == "Cancel":  # the whole order: every line to 0
        for item in items:
            item["orderedQuantity"] = dict(item.get("orderedQuantity") or {}, amount=0)
        return result
    by_sequence = {sequence_key(item.get("itemSequenceNumber")): item for item in items}
    for line in change.get("items") or []:
        sequence, kind = line.get("itemSequenceNumber"), line.get("changeType")
        if kind not in CHANGE_TYPES:
            raise _fail(f"change type {kind!r} of line {sequence} is not one of "
                        f"{', '.join(sorted(CHANGE_TYPES))}", line, 2)
        item = by_sequence.get(sequence_key(sequence))
        if item is None:
            if kind != ADD:
                raise _fail(f"line {sequence} is not on purchase order {number} (only an added "
                            "line, AI, may be new)", line, 1)
            item = _new_item(line, number, items[0] if items else {})
            items.append(item)
            by_sequence[sequence_key(sequence)] = item
            continue
        _same_product(line, item, number)
        if kind == DELETE:
            item["orderedQuantity"] = dict(item.get("orderedQuantity") or {}, amount=0)
            continue
        if line.get("orderedQuantity"):
            item["orderedQuantity"] = _quantity(line, item.get("orderedQuantity"), number)
        for key in ("netCost", "listPrice"):
            if line.get(key):
                item[key] = _money(line[key], item.get(key))
    return result


def lines_not_named(order, change):
    """Line numbers of ``order`` a change does not name (they keep their values)."""
    if change.get("purpose") == "Cancel":
        return []
    named = {sequence_key(line.get("itemSequenceNumber")) for line in change.get("items") or []}
    return [item.get("itemSequenceNumber") for item in _items(order, order.get(
        "purchaseOrderNumber")) if sequence_key(item.get("itemSequenceNumber")) not in named]


def changes_anything(before, after):
    """Whether ``after`` differs from ``before`` in more than the change date (a change that
    restates the order as it was changes nothing Odoo should redo)."""
    def without_date(order):
        copied = copy.deepcopy(order)
        (copied.get("orderDetails") or {}).pop("purchaseOrderChangedDate", None)
        return copied
    return without_date(before) != without_date(after)


def is_older(change, last_sequence, last_date):
    """Whether ``change`` comes before the change already applied: quantities are totals, so
    an older change read late would undo a newer one. Sequence numbers (BCH05) decide when
    they differ (Amazon may number every change 1: equal ones say nothing); else the dates,
    by day when the change's has no time (BCH11 is a date: a later change of the same day
    is not older). When in doubt the change is applied: the same change again is harmless."""
    sequence, last = str(change.get("changeSequence") or ""), str(last_sequence or "")
    if sequence.isdigit() and last.isdigit() and int(sequence) != int(last):
        return int(sequence) < int(last)
    changed, before = _moment(change.get("purchaseOrderChangedDate")), _moment(last_date)
    if not (changed and before):
        return False
    if changed.time() == datetime.time(0):
        return changed.date() < before.date()
    return changed < before


def _moment(value):
    """An ISO 8601 date-time as an aware datetime (None when absent or unreadable)."""
    try:
        moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


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
