"""The /_simulator/ control API: reset, catalogue, purchase orders, clock, settings,
received documents."""
import datetime

from odoo.addons.acorn_amazon_vendor.lib.transport import iso

from . import documents
from .conftest import NOW

DAY = datetime.timedelta(days=1)

CATALOGUE = [
    {"vendor_sku": "SKU-A", "asin": "B0TESTAAAA", "ean": "6901234567892", "case_size": 6,
     "net_cost": "12.50", "list_price": "24.99", "currency": "USD"},
    {"vendor_sku": "SKU-B", "asin": "B0TESTBBBB", "ean": "6901234567885", "case_size": 1,
     "net_cost": "3.10", "list_price": "7.99", "currency": "USD"},
]


def test_health(sim):
    health = sim.control("health")
    assert health["simulator"] is True and health["status"] == "ok"
    assert health["now"] == iso(NOW) and health["clockFrozen"] is True
    assert health["purchaseOrders"] == len(sim.state.order_list) >= 150


def test_reset_with_another_seed(sim, api):
    po = sim.po(lambda p: p.state == "New")
    api.submit_acknowledgement(documents.acknowledgement(po, sim.now()))
    before = [p.number for p in sim.state.order_list]
    health = sim.control("reset", {"seed": 7})
    assert health["seed"] == 7 and health["pendingTransactions"] == 0
    assert [p.number for p in sim.state.order_list] != before
    assert sim.control("documents")["documents"] == []
    assert sim.control("reset", {"seed": 42})["purchaseOrders"] == len(before)
    assert [p.number for p in sim.state.order_list] == before


def test_catalogue_replace_regenerates_orders(sim, api):
    assert sim.control("catalogue", {"items": CATALOGUE})["items"] == CATALOGUE
    assert sim.control("catalogue")["items"] == CATALOGUE
    orders = [po for _s, _e, page in api.iter_purchase_order_pages(NOW - 31 * DAY, NOW)
              for po in page]
    assert len(orders) >= 150
    assert {i["vendorProductIdentifier"] for po in orders
            for i in po["orderDetails"]["items"]} == {"SKU-A", "SKU-B"}
    reply = sim.http.post("/_simulator/catalogue", json={"items": [{"vendor_sku": "X"}]})
    assert reply.status_code == 400 and "lacks" in reply.json()["errors"][0]["message"]


def test_generate_purchase_orders(sim, api):
    created = sim.control("purchase-orders", {"generate": 3, "currency": "EUR",
                                              "ship_to": "LEJ1", "vendor_code": "ACRNE"})
    numbers = [po["purchaseOrderNumber"] for po in created["purchaseOrders"]]
    assert len(numbers) == 3
    for number in numbers:
        po = api.get_purchase_order(number)
        assert po["purchaseOrderState"] == "New"
        assert po["orderDetails"]["purchaseOrderDate"] == iso(NOW)
        assert po["orderDetails"]["shipToParty"]["partyId"] == "LEJ1"
        assert {i["netCost"]["currencyCode"] for i in po["orderDetails"]["items"]} == {"EUR"}
    reply = sim.http.post("/_simulator/purchase-orders", json={"generate": 1, "ship_to": "NOPE"})
    assert reply.status_code == 400


def test_explicit_purchase_order(sim, api):
    order = {
        "purchaseOrderNumber": "7TESTPO1", "purchaseOrderState": "New",
        "orderDetails": {
            "purchaseOrderDate": iso(NOW - DAY), "purchaseOrderStateChangedDate": iso(NOW - DAY),
            "purchaseOrderType": "RushOrder", "paymentMethod": "Invoice",
            "buyingParty": {"partyId": "ABE2"}, "sellingParty": {"partyId": "ACRN1"},
            "shipToParty": {"partyId": "ABE2"}, "billToParty": {"partyId": "ABE2"},
            "shipWindow": f"{iso(NOW)}--{iso(NOW + 3 * DAY)}",
            "items": [{"itemSequenceNumber": "1", "amazonProductIdentifier": "B0TESTAAAA",
                       "vendorProductIdentifier": "SKU-A",
                       "orderedQuantity": {"amount": 4, "unitOfMeasure": "Cases", "unitSize": 6},
                       "isBackOrderAllowed": True,
                       "netCost": {"currencyCode": "USD", "amount": "12.50"},
                       "listPrice": {"currencyCode": "USD", "amount": "24.99"}}],
        },
    }
    sim.control("purchase-orders", {"orders": [order]})
    assert api.get_purchase_order("7TESTPO1") == order
    po = sim.state.orders["7TESTPO1"]
    assert po.items[0].ordered == 24
    again = sim.http.post("/_simulator/purchase-orders", json={"orders": [order]})
    assert again.status_code == 400
    order["purchaseOrderNumber"], order["purchaseOrderState"] = "7TESTPO2", "Pending"
    bad = sim.http.post("/_simulator/purchase-orders", json={"orders": [order]})
    assert bad.status_code == 400 and "purchaseOrderState" in bad.json()["errors"][0]["message"]


def test_change_purchase_order(sim, api):
    po = sim.po(lambda p: p.state == "New" and p.changed is None)
    item = po.items[0]
    window = f"{iso(NOW + 2 * DAY)}--{iso(NOW + 6 * DAY)}"
    sim.control("clock", {"advance": 60})
    changed = sim.control(f"purchase-orders/{po.number}/change", {
        "items": [{"itemSequenceNumber": item.seq, "quantity": 1}], "shipWindow": window})
    details = changed["orderDetails"]
    assert details["purchaseOrderChangedDate"] == iso(NOW + datetime.timedelta(seconds=60))
    assert details["shipWindow"] == window
    assert details["items"][0]["orderedQuantity"]["amount"] == 1
    flagged = [o["purchaseOrderNumber"] for _s, _e, page in api.iter_purchase_order_pages(
        NOW - DAY, NOW + DAY, window_field="changed") for o in page]
    assert po.number in flagged
    reply = sim.http.post(f"/_simulator/purchase-orders/{po.number}/change",
                          json={"shipWindow": "next week"})
    assert reply.status_code == 400


def test_clock_and_settings(sim, api):
    assert sim.control("clock")["now"] == iso(NOW)
    assert sim.control("clock", {"advance": 90})["now"] == iso(NOW + datetime.timedelta(
        seconds=90))
    assert sim.control("clock", {"set": "2026-11-05T00:00:00Z"})["now"] == \
        "2026-11-05T00:00:00Z"
    sim.control("settings", {"transaction_delay": 0})
    po = sim.po(lambda p: p.state == "New" and not any(i.cancelled for i in p.items))
    tid = api.submit_acknowledgement(documents.acknowledgement(po, sim.now()))
    api.get_transaction(tid)
    assert po.state == "Acknowledged"
    assert sim.http.post("/_simulator/settings", json={"speed": 2}).status_code == 400


def test_received_documents(sim, api):
    po = sim.po(lambda p: p.state == "New" and not any(i.cancelled for i in p.items))
    ack = api.submit_acknowledgement(documents.acknowledgement(po, sim.now()))
    closed = sim.po(lambda p: p.state == "Closed" and p.currency == "USD")
    invoice = api.submit_invoices(documents.invoice(closed, sim.now(), "INV-D1"))
    listed = sim.control("documents")["documents"]
    assert [(d["transactionId"], d["kind"], d["status"], d["settled"]) for d in listed] == [
        (ack, "acknowledgement", "Processing", False), (invoice, "invoice", "Processing", False)]
    sim.settle()
    invoices = sim.control("documents?kind=invoice")["documents"]
    assert [(d["transactionId"], d["status"]) for d in invoices] == [(invoice, "Success")]
    assert invoices[0]["document"]["invoices"][0]["id"] == "INV-D1"


def test_unknown_control_endpoint(sim):
    reply = sim.http.get("/_simulator/nothing")
    assert reply.status_code == 404 and reply.json()["errors"][0]["code"] == "NotFound"


def test_bad_control_values_are_400(sim):
    assert sim.http.post("/_simulator/clock", json={"advance": "soon"}).status_code == 400
    assert sim.http.post("/_simulator/reset", json={"catalogue": []}).status_code == 400
    assert sim.http.post("/_simulator/clock", json={}).status_code == 400
    assert sim.http.delete("/_simulator/health").status_code == 405


def test_settings_are_numbers_of_seconds(sim):
    for bad in ({"transaction_delay": "soon"}, {"report_delay": -1}, {"speed": 2}):
        reply = sim.http.post("/_simulator/settings", json=bad)
        assert reply.status_code == 400, bad
    assert sim.control("settings", {"report_delay": 2})["report_delay"] == 2.0


def test_freight_terms_follow_the_window_unless_set(sim, api):
    created = sim.control("purchase-orders", {"generate": 1, "freight_terms": "Collect"})
    number = created["purchaseOrders"][0]["purchaseOrderNumber"]
    assert "shipWindow" in api.get_purchase_order(number)["orderDetails"]
    assert sim.state.orders[number].freight_terms == "Collect"
    assert sim.http.post("/_simulator/purchase-orders",
                         json={"generate": 1, "freight_terms": "WePay"}).status_code == 400
    prepaid = sim.po(lambda p: p.state == "New" and p.delivery_window)
    assert prepaid.freight_terms == "Prepaid"
    changed = sim.control(f"purchase-orders/{prepaid.number}/change", {"freightTerms": "Collect"})
    assert changed["freightTerms"] == "Collect" and prepaid.freight_terms == "Collect"
    reply = sim.http.post(f"/_simulator/purchase-orders/{prepaid.number}/change",
                          json={"freightTerms": "WePay"})
    assert reply.status_code == 400 and "Collect, Prepaid" in reply.json()["errors"][0]["message"]
    window = f"{iso(NOW + 2 * DAY)}--{iso(NOW + 6 * DAY)}"
    sim.control(f"purchase-orders/{prepaid.number}/change",
                {"freightTerms": None, "deliveryWindow": None, "shipWindow": window})
    assert prepaid.freight_terms == "Collect"


def test_receiving_goods_without_an_api_asn(sim, api):
    po = sim.po(lambda p: p.state == "New" and len(p.items) >= 2
                and not any(i.cancelled for i in p.items))
    first, second = po.items[:2]
    status = sim.control(f"purchase-orders/{po.number}/receive",
                         {"items": [{"itemSequenceNumber": first.seq, "quantity": 1}]})
    line = next(i for i in status["itemStatus"] if i["itemSequenceNumber"] == first.seq)
    assert line["receivingStatus"]["receivedQuantity"]["amount"] == 1
    assert first.received == first.unit_size and second.received == 0
    sim.control(f"purchase-orders/{po.number}/receive", {"all": True})
    assert [i.received for i in po.items] == [i.ordered for i in po.items]
    for bad in ({}, {"items": [{"itemSequenceNumber": "99", "quantity": 1}]},
                {"items": [{"itemSequenceNumber": first.seq, "quantity": 0}]}):
        reply = sim.http.post(f"/_simulator/purchase-orders/{po.number}/receive", json=bad)
        assert reply.status_code == 400, bad
    assert sim.http.post("/_simulator/purchase-orders/ZZZZ0000/receive",
                         json={"all": True}).status_code == 404
