"""Vendor Orders: the default data set, getPurchaseOrders filters, windows and pagination,
getPurchaseOrder, getPurchaseOrdersStatus."""
import datetime
import re

import pytest

from odoo.addons.acorn_amazon_vendor.lib.amazon_schema import validate
from odoo.addons.acorn_amazon_vendor.lib.simulator import SimulatorServer
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError, iso

from .conftest import NOW

ORDERS = "/vendor/orders/v1/purchaseOrders"
STATUS = "/vendor/orders/v1/purchaseOrdersStatus"
DAY = datetime.timedelta(days=1)
WINDOW_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ--\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def all_orders(api, start, end, **filters):
    return [po for _s, _e, page in api.iter_purchase_order_pages(start, end, **filters)
            for po in page]


def test_default_data_set_covers_the_lifecycle(api):
    orders = all_orders(api, NOW - 31 * DAY, NOW)
    assert len(orders) >= 150
    assert len({po["purchaseOrderNumber"] for po in orders}) == len(orders)
    assert all(re.fullmatch(r"[0-9A-Z]{8}", po["purchaseOrderNumber"]) for po in orders)
    details = [po["orderDetails"] for po in orders]
    assert {po["purchaseOrderState"] for po in orders} == {"New", "Acknowledged", "Closed"}
    assert {d["purchaseOrderType"] for d in details} == {
        "RegularOrder", "RushOrder", "NewProductIntroduction"}
    assert len({d["sellingParty"]["partyId"] for d in details}) >= 2
    centres = {d["shipToParty"]["partyId"]: d["shipToParty"]["address"]["countryCode"]
               for d in details}
    assert len(centres) >= 5 and {"US", "DE"} <= set(centres.values())
    assert any("dealCode" in d for d in details) and any("importDetails" in d for d in details)
    assert all(d["paymentMethod"] == "Invoice" and d["billToParty"]["partyId"]
               and d["buyingParty"]["partyId"] for d in details)
    changed = [d for d in details if "purchaseOrderChangedDate" in d]
    assert changed and all(d["purchaseOrderChangedDate"] > d["purchaseOrderDate"]
                           for d in changed)
    items = [i for d in details for i in d["items"]]
    assert {i["orderedQuantity"]["unitOfMeasure"] for i in items} == {"Cases", "Eaches"}
    assert any(i["orderedQuantity"]["amount"] == 0 for i in items)  # cancelled items
    assert {i["isBackOrderAllowed"] for i in items} == {True, False}
    assert all(isinstance(i["itemSequenceNumber"], str) and
               isinstance(i["netCost"]["amount"], str) for i in items)
    cases = [i for i in items if i["orderedQuantity"]["unitOfMeasure"] == "Cases"]
    assert all(i["orderedQuantity"]["unitSize"] > 1 for i in cases)
    windows = [d.get("shipWindow") or d.get("deliveryWindow") for d in details]
    assert all(WINDOW_RE.match(w) for w in windows)
    # Freight terms follow the vendor agreement: the default vendor codes are Prepaid, so
    # their POs carry a delivery window (a ship window would make them Collect).
    assert all("deliveryWindow" in d and "shipWindow" not in d for d in details)
    dates = sorted(d["purchaseOrderDate"] for d in details)
    assert dates[0] >= iso(NOW - 30 * DAY) and dates[-1] <= iso(NOW)


def test_data_set_is_deterministic_per_seed():
    def numbers(seed):
        server = SimulatorServer(port=0, seed=seed, now=NOW)
        return [po.number for po in server.state.order_list]

    assert numbers(7) == numbers(7)
    assert numbers(7) != numbers(8)


def test_responses_fit_amazons_models(sim):
    reply = sim.get(ORDERS, createdAfter=iso(NOW - 7 * DAY), createdBefore=iso(NOW), limit=100)
    assert reply.status_code == 200
    assert validate("vendor_orders_v1", "GetPurchaseOrdersResponse", reply.json()) == []
    assert reply.json()["payload"]["orders"]
    number = reply.json()["payload"]["orders"][0]["purchaseOrderNumber"]
    one = sim.get(f"{ORDERS}/{number}").json()
    assert validate("vendor_orders_v1", "GetPurchaseOrderResponse", one) == []
    assert one["payload"] == reply.json()["payload"]["orders"][0]
    status = sim.get(STATUS, updatedAfter=iso(NOW - 7 * DAY), updatedBefore=iso(NOW)).json()
    assert status["payload"]["ordersStatus"]
    assert validate("vendor_orders_v1", "GetPurchaseOrdersStatusResponse", status) == []


def test_created_window_and_sort_order(api, sim):
    start, end = NOW - 10 * DAY, NOW - 4 * DAY
    expected = [po.number for po in sim.state.order_list if start < po.created <= end]
    asc = all_orders(api, start, end, sortOrder="ASC", limit=7)
    assert [po["purchaseOrderNumber"] for po in asc] == expected
    desc = [po for _s, _e, page in api.iter_purchase_order_pages(
        start, end, sortOrder="DESC", limit=100) for po in page]
    assert [po["purchaseOrderNumber"] for po in desc] == expected[::-1]


def test_changed_window_and_is_po_changed(api, sim):
    changed = [po.number for po in sim.state.order_list if po.changed]
    by_changed = all_orders(api, NOW - 31 * DAY, NOW, window_field="changed")
    assert sorted(po["purchaseOrderNumber"] for po in by_changed) == sorted(changed)
    flagged = all_orders(api, NOW - 31 * DAY, NOW, isPOChanged="true")
    assert sorted(po["purchaseOrderNumber"] for po in flagged) == sorted(changed)
    assert len(all_orders(api, NOW - 31 * DAY, NOW, isPOChanged="false")) == \
        len(sim.state.order_list)


def test_cancelled_items_state_and_vendor_filters(api, sim):
    cancelled = all_orders(api, NOW - 31 * DAY, NOW, poItemState="Cancelled")
    assert cancelled and all(any(i["orderedQuantity"]["amount"] == 0
                                 for i in po["orderDetails"]["items"]) for po in cancelled)
    assert len(cancelled) == sum(any(i.cancelled for i in po.items)
                                 for po in sim.state.order_list)
    for state in ("New", "Acknowledged", "Closed"):
        got = all_orders(api, NOW - 31 * DAY, NOW, purchaseOrderState=state)
        assert len(got) == sum(po.state == state for po in sim.state.order_list)
        assert {po["purchaseOrderState"] for po in got} == {state}
    acrn2 = all_orders(api, NOW - 31 * DAY, NOW, orderingVendorCode="ACRN2")
    assert acrn2 and {po["orderDetails"]["sellingParty"]["partyId"] for po in acrn2} == {"ACRN2"}


def test_include_details_false_gives_numbers_and_states_only(api):
    orders = all_orders(api, NOW - 7 * DAY, NOW, includeDetails="false")
    assert orders and all(set(po) == {"purchaseOrderNumber", "purchaseOrderState"}
                          for po in orders)


def test_next_token_must_come_back_with_the_same_filters(sim):
    params = {"createdAfter": iso(NOW - 7 * DAY), "createdBefore": iso(NOW), "limit": 5}
    first = sim.get(ORDERS, **params).json()["payload"]
    token = first["pagination"]["nextToken"]
    second = sim.get(ORDERS, nextToken=token, **params).json()["payload"]
    assert len(second["orders"]) == 5
    assert not {po["purchaseOrderNumber"] for po in first["orders"]} & {
        po["purchaseOrderNumber"] for po in second["orders"]}
    for changed in ({"limit": 6}, {"sortOrder": "DESC"}, {"createdAfter": iso(NOW - 6 * DAY)}):
        reply = sim.get(ORDERS, nextToken=token, **dict(params, **changed))
        assert reply.status_code == 400
        assert reply.json()["errors"][0]["code"] == "InvalidInput"
    assert sim.get(ORDERS, nextToken="bm90LWEtdG9rZW4=", **params).status_code == 400


@pytest.mark.parametrize("params, details", [
    ({"createdAfter": NOW - 8 * DAY, "createdBefore": NOW}, "must not exceed 7 days"),
    ({"createdAfter": NOW - 8 * DAY}, "must not exceed 7 days"),
    ({"changedAfter": NOW - 3 * DAY, "changedBefore": NOW + 5 * DAY},
     "must not exceed 7 days"),
    ({"createdAfter": NOW - 200 * DAY, "createdBefore": NOW - 195 * DAY}, "6 months"),
    ({"createdAfter": NOW - 2 * DAY, "createdBefore": NOW - 3 * DAY}, "must be earlier"),
])
def test_window_rules(sim, params, details):
    reply = sim.get(ORDERS, **{k: iso(v) for k, v in params.items()})
    assert reply.status_code == 400
    error = reply.json()["errors"][0]
    assert error["code"] == "InvalidInput" and details in error["details"]


@pytest.mark.parametrize("params", [
    {"limit": "0"}, {"limit": "101"}, {"limit": "ten"}, {"includeDetails": "True"},
    {"isPOChanged": "1"}, {"sortOrder": "asc"}, {"poItemState": "Open"},
    {"purchaseOrderState": "Shipped"}, {"createdAfter": "2026-11-01"},
])
def test_parameter_validation(sim, params):
    reply = sim.get(ORDERS, **params)
    assert reply.status_code == 400
    assert reply.json()["errors"][0]["code"] == "InvalidInput"


def test_limit_bounds_accepted(sim):
    assert len(sim.get(ORDERS, limit=1).json()["payload"]["orders"]) == 1
    assert sim.get(ORDERS, limit=100).status_code == 200


def test_without_dates_the_last_seven_days(sim):
    orders = sim.get(ORDERS, limit=100).json()["payload"]["orders"]
    expected = [po.number for po in sim.state.order_list if po.created > NOW - 7 * DAY]
    assert [po["purchaseOrderNumber"] for po in orders] == expected


def test_get_purchase_order(api, sim):
    po = sim.po(lambda p: p.state == "Closed")
    payload = api.get_purchase_order(po.number)
    assert payload["purchaseOrderNumber"] == po.number
    assert payload["purchaseOrderState"] == "Closed"
    with pytest.raises(AmazonApiError) as info:
        api.get_purchase_order("ZZZZ9999")
    assert info.value.kind == "not_found" and info.value.code == "NotFound"
    reply = sim.get(f"{ORDERS}/null")
    assert reply.status_code == 400
    assert reply.json()["errors"][0]["details"] == "purchaseOrderNumber cannot be null"


def test_status_filters(api, sim):
    pages = list(api.iter_purchase_order_status_pages(NOW - 7 * DAY, NOW))
    statuses = [s for _a, _b, page in pages for s in page]
    expected = {po.number for po in sim.state.order_list if po.last_updated > NOW - 7 * DAY}
    assert {s["purchaseOrderNumber"] for s in statuses} == expected
    closed = sim.get(STATUS, updatedAfter=iso(NOW - 7 * DAY), purchaseOrderStatus="CLOSED")
    assert {s["purchaseOrderStatus"] for s in closed.json()["payload"]["ordersStatus"]} <= {
        "CLOSED"}
    unconfirmed = sim.get(STATUS, createdAfter=iso(NOW - 3 * DAY),
                          itemConfirmationStatus="UNCONFIRMED").json()["payload"]["ordersStatus"]
    assert unconfirmed and all(
        any(i["acknowledgementStatus"]["confirmationStatus"] == "UNCONFIRMED"
            for i in s["itemStatus"]) for s in unconfirmed)
    po = sim.po(lambda p: p.state == "Closed")
    one = sim.get(STATUS, purchaseOrderNumber=po.number).json()["payload"]["ordersStatus"]
    assert [s["purchaseOrderNumber"] for s in one] == [po.number]
    assert one[0]["purchaseOrderStatus"] == "CLOSED"
    assert all(i["receivingStatus"]["receiveStatus"] in ("RECEIVED", "NOT_RECEIVED")
               for i in one[0]["itemStatus"])
    ship_to = sim.get(STATUS, updatedAfter=iso(NOW - 7 * DAY), shipToPartyId="LEJ1").json()
    assert {s["shipToParty"]["partyId"] for s in ship_to["payload"]["ordersStatus"]} <= {"LEJ1"}
    assert sim.get(STATUS, updatedAfter=iso(NOW - 9 * DAY)).status_code == 400
    assert sim.get(STATUS, itemReceiveStatus="DONE").status_code == 400


def test_status_shows_cancellations_in_ordered_quantity_details(sim):
    po = sim.po(lambda p: any(i.cancelled for i in p.items))
    status = sim.get(STATUS, purchaseOrderNumber=po.number).json()["payload"]["ordersStatus"][0]
    item = next(i for i in status["itemStatus"]
                if i["orderedQuantity"]["orderedQuantity"]["amount"] == 0)
    details = item["orderedQuantity"]["orderedQuantityDetails"]
    assert "cancelledQuantity" in details[0] and "orderedQuantity" in details[-1]
