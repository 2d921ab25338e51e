"""Purchase orders Amazon's model allows but Odoo cannot hold: refused per order, in plain
words, naming the field; unusual but valid values read correctly."""
import copy
import datetime
from decimal import Decimal

import pytest

from odoo.addons.acorn_amazon_vendor.lib.mapping.acknowledgement import (
    AcknowledgementError,
    ItemDecision,
    Part,
    build_acknowledgement,
)
from odoo.addons.acorn_amazon_vendor.lib.mapping.purchase_order import (
    PurchaseOrderError,
    compare_items,
    parse_purchase_order,
)

from .test_mapping import order

NOW = datetime.datetime(2026, 11, 20, 10, 0, 0)


def with_item(**changes):
    raw = order()
    item = raw["orderDetails"]["items"][1]
    for path, value in changes.items():
        target = item
        keys = path.split("__")
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
    return raw


@pytest.mark.parametrize("changes,message", [
    ({"orderedQuantity__amount": "ten"}, "orderedQuantity.amount: 'ten' is not a whole number"),
    ({"orderedQuantity__amount": 10.5}, "is not a whole number"),
    ({"orderedQuantity__amount": True}, "is not a whole number"),
    ({"orderedQuantity__amount": None}, "orderedQuantity.amount is missing"),
    ({"orderedQuantity__amount": 2 ** 40}, "larger than Odoo can store"),
    ({"orderedQuantity__amount": -3}, "below 0"),
    ({"orderedQuantity__amount": 400_000_000, "orderedQuantity__unitOfMeasure": "Cases",
      "orderedQuantity__unitSize": 24}, "cases of 24 is larger than Odoo can store"),
    ({"orderedQuantity__unitSize": "a dozen"}, "unitSize: 'a dozen' is not a whole number"),
    ({"orderedQuantity": "7 eaches"}, "orderedQuantity: '7 eaches' is not an object"),
    ({"netCost__amount": "1e400"}, "not an amount Odoo can keep exactly"),
    ({"netCost__amount": "NaN"}, "not an amount Odoo can keep exactly"),
    ({"netCost__amount": "Infinity"}, "not an amount Odoo can keep exactly"),
    ({"netCost__amount": "0.1234567891"}, "at most 8 decimals"),
    ({"netCost__amount": "-4.10"}, "is negative"),
    ({"netCost__amount": "four dollars"}, "is not an amount"),
    ({"netCost__amount": ["4.10"]}, "is not an amount"),
    ({"netCost__currencyCode": "dollars"}, "characters long"),
    ({"netCost__currencyCode": "usd"}, "is not a currency code"),
    ({"vendorProductIdentifier": "X" * 10_000}, "10000 characters long"),
    ({"vendorProductIdentifier": {"sku": "ACN-2"}}, "is not text"),
    ({"amazonProductIdentifier": "B0\x00EVIL"}, "control characters"),
    ({"isBackOrderAllowed": "yes"}, "isBackOrderAllowed: 'yes' is not true or false"),
])
def test_hostile_items_are_refused_naming_the_field(changes, message):
    with pytest.raises(PurchaseOrderError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_purchase_order(with_item(**changes))


@pytest.mark.parametrize("change,message", [
    ({"items": "everything"}, "items is not a list"),
    ({"items": [1, 2]}, "item 1: 1 is not an item"),
    ({"purchaseOrderDate": "2026-13-45T00:00:00Z"}, "is not an ISO 8601 date-time"),
    ({"purchaseOrderDate": "0000-01-01T00:00:00Z"}, "is not an ISO 8601 date-time"),
    ({"purchaseOrderDate": "0001-01-01T00:30:00+01:00"}, "is not an ISO 8601 date-time"),
    ({"purchaseOrderDate": 1763542200}, "is not an ISO 8601 date-time"),
    ({"shipWindow": "2026-11-25T07:00:00Z--2026-11-22T07:00:00Z"}, "ends before it starts"),
    ({"shipWindow": ["2026-11-22T07:00:00Z"]}, "is not a start--end window"),
    ({"shipToParty": "ABE2"}, "shipToParty: 'ABE2' is not an object"),
    ({"shipToParty": {"partyId": "ABE2", "address": {"name": "N" * 100_000}}},
     "shipToParty name: the value is 100000 characters long"),
    ({"importDetails": "FOB"}, "importDetails: 'FOB' is not an object"),
])
def test_hostile_orders_are_refused_naming_the_field(change, message):
    with pytest.raises(PurchaseOrderError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_purchase_order(order(**change))


def test_not_an_order_at_all():
    for raw, message in (("PO", "not an object"), ({"orderDetails": {}}, "purchaseOrderNumber "
                         "is missing"), ({"purchaseOrderNumber": "X" * 500}, "characters long"),
                         ({"purchaseOrderNumber": "2JK3S9VC", "orderDetails": []},
                          "orderDetails is missing")):
        with pytest.raises(PurchaseOrderError, match=message):
            parse_purchase_order(raw)


@pytest.mark.parametrize("value,expected", [
    ("2026-11-19T08:30:00.123456789+05:30", datetime.datetime(2026, 11, 19, 3, 0)),
    ("2026-11-19T08:30", datetime.datetime(2026, 11, 19, 8, 30)),
    ("2026-11-19T08:30:00-0800", datetime.datetime(2026, 11, 19, 16, 30)),
    ("2026-11-19T23:30:00-05:00", datetime.datetime(2026, 11, 20, 4, 30)),
])
def test_unusual_but_valid_dates_are_read_in_utc(value, expected):
    assert parse_purchase_order(order(purchaseOrderDate=value)).order_date == expected


def test_quantities_and_costs_are_read_exactly_whatever_their_json_type():
    po = parse_purchase_order(with_item(orderedQuantity__amount="7", netCost__amount=4.125))
    assert po.items[1].quantity_eaches == 7
    assert po.items[1].net_cost == Decimal("4.125")
    po = parse_purchase_order(with_item(netCost__amount="4.12500000"))
    assert str(po.items[1].net_cost) == "4.12500000", "Amazon's digits are kept as sent"


def test_duplicate_item_sequences_are_marked_and_never_acknowledged_twice():
    raw = order()
    items = raw["orderDetails"]["items"]
    twin = copy.deepcopy(items[1])
    twin["itemSequenceNumber"] = "0002"  # Amazon writes "2" or "0002": the same item
    twin["amazonProductIdentifier"] = "B0ACORN099"
    items.append(twin)
    po = parse_purchase_order(raw)
    assert [i.duplicate for i in po.items] == [False, False, True]
    assert po.duplicate_sequences == ["0002"]
    assert compare_items(po.items, po.items) == []
    accept = [ItemDecision(i, (Part("Accepted", i.quantity_eaches),)) for i in po.items]
    with pytest.raises(AcknowledgementError, match="more than once"):
        build_acknowledgement(po, accept, NOW)
    body = build_acknowledgement(po, accept[:2], NOW)
    assert [i["itemSequenceNumber"] for i in body["acknowledgements"][0]["items"]] == ["1", "2"]
    with pytest.raises(AcknowledgementError, match="more than once"):
        build_acknowledgement(po, [accept[0], accept[1], accept[1]], NOW)


def test_an_order_without_items_is_read_so_that_it_can_be_flagged():
    po = parse_purchase_order(order(items=[]))
    assert po.items == ()
    assert parse_purchase_order(order(items=None)).items == ()
