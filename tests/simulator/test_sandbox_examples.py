"""Amazon's own sandbox requests: what Amazon accepts is accepted, what it refuses is refused.

Business data in the examples (PO numbers, parties, products) does not exist here, so each
accepted example is checked twice: verbatim (schema accepted: 2xx, then the transaction fails
on business rules) and adapted to a simulated PO (the transaction passes).
"""
import copy
import datetime

from .conftest import NOW
from .fixtures import sandbox_examples as ex

ORDERS = "/vendor/orders/v1/purchaseOrders"
DAY = datetime.timedelta(days=1)


def naive(value):
    # The examples send local-looking date-times without an offset.
    return value.strftime("%Y-%m-%dT%H:%M:%S")


def transaction(sim, reply):
    assert reply.status_code == 202, reply.text
    sim.settle()
    tid = reply.json()["payload"]["transactionId"]
    return sim.get(f"/vendor/transactions/v1/transactions/{tid}").json()[
        "payload"]["transactionStatus"]


def test_get_purchase_orders_examples(sim):
    params = dict(ex.GET_PURCHASE_ORDERS_PARAMS, createdAfter=naive(NOW - 6 * DAY),
                  createdBefore=naive(NOW))
    first = sim.get(ORDERS, **params)
    assert first.status_code == 200
    payload = first.json()["payload"]
    assert len(payload["orders"]) == 2 and "orderDetails" in payload["orders"][0]
    dates = [o["orderDetails"]["purchaseOrderDate"] for o in payload["orders"]]
    assert dates == sorted(dates, reverse=True)
    second = sim.get(ORDERS, nextToken=payload["pagination"]["nextToken"], **params)
    assert second.status_code == 200 and len(second.json()["payload"]["orders"]) == 2
    for example in (ex.GET_PURCHASE_ORDERS_CHANGED_PARAMS,
                    ex.GET_PURCHASE_ORDERS_IS_CHANGED_PARAMS,
                    ex.GET_PURCHASE_ORDERS_STATE_PARAMS):
        moved = dict(example)
        for key in moved:
            if key.endswith("After"):
                moved[key] = naive(NOW - 5 * DAY)
            elif key.endswith("Before"):
                moved[key] = naive(NOW - DAY)
        if "orderingVendorCode" in moved:
            moved["orderingVendorCode"] = "ACRN1"
        reply = sim.get(ORDERS, **moved)
        assert reply.status_code == 200, (example, reply.text)
    cancelled = sim.get(ORDERS, createdAfter=naive(NOW - 7 * DAY),
                        **ex.GET_PURCHASE_ORDERS_CANCELLED_PARAMS)
    assert cancelled.status_code == 200


def test_get_purchase_orders_bad_example(sim):
    reply = sim.get(ORDERS, **ex.BAD_GET_PURCHASE_ORDERS_PARAMS)
    assert reply.status_code == 400
    assert reply.json()["errors"][0]["code"] == "InvalidInput"
    assert reply.json()["errors"][0]["message"] == "The request is invalid."


def test_submit_acknowledgement_example(sim):
    verbatim = transaction(sim, sim.post("/vendor/orders/v1/acknowledgements",
                                         ex.SUBMIT_ACKNOWLEDGEMENT))
    assert verbatim["status"] == "Failure"
    assert verbatim["errors"][0]["code"] == "InvalidPurchaseOrderNumber"
    po = sim.po(lambda p: p.state == "New" and len(p.items) == 1 and p.items[0].unit == "Eaches")
    item = po.items[0]
    body = copy.deepcopy(ex.SUBMIT_ACKNOWLEDGEMENT)
    ack = body["acknowledgements"][0]
    ack["purchaseOrderNumber"], ack["sellingParty"]["partyId"] = po.number, po.vendor_code
    line = ack["items"][0]
    line["vendorProductIdentifier"] = item.vendor_sku
    line["orderedQuantity"]["amount"] = item.ordered
    line["netCost"]["amount"] = item.net_cost
    line["itemAcknowledgements"][0]["acknowledgedQuantity"]["amount"] = item.ordered
    adapted = transaction(sim, sim.post("/vendor/orders/v1/acknowledgements", body))
    assert adapted["status"] == "Processing"
    assert po.state == "Acknowledged"


def test_submit_acknowledgement_bad_example(sim):
    reply = sim.post("/vendor/orders/v1/acknowledgements", ex.BAD_SUBMIT_ACKNOWLEDGEMENT)
    assert reply.status_code == 400
    messages = [e["message"] for e in reply.json()["errors"]]
    assert any(m.startswith(ex.BAD_SUBMIT_ACKNOWLEDGEMENT_MESSAGE) for m in messages)
    assert {e["code"] for e in reply.json()["errors"]} == {"InvalidInput"}


def test_submit_shipment_confirmations_example(sim, api):
    path = "/vendor/shipping/v1/shipmentConfirmations"
    verbatim = transaction(sim, sim.post(path, ex.SUBMIT_SHIPMENT_CONFIRMATIONS))
    assert verbatim["status"] == "Failure"
    assert {e["code"] for e in verbatim["errors"]} >= {"InvalidPurchaseOrderNumber"}
    po = sim.po(lambda p: p.state == "Acknowledged" and p.currency == "USD"
                and p.freight_terms == "Prepaid"
                and sum(1 for i in p.items if i.accepted > i.shipped) >= 2)
    first, second = [i for i in po.items if i.accepted > i.shipped][:2]
    body = copy.deepcopy(ex.SUBMIT_SHIPMENT_CONFIRMATIONS)
    confirmation = body["shipmentConfirmations"][0]
    confirmation["sellingParty"]["partyId"] = po.vendor_code
    confirmation["shipToParty"]["partyId"] = po.ship_to
    # Production Amazon also needs the product, the shipped date and, for US destinations,
    # the carrier SCAC and PRO number (a Collect PO would need the ARN: the PO is Prepaid).
    confirmation["transportationDetails"] = {"carrierScac": "UPSN",
                                             "carrierShipmentReferenceNumber": "1Z999AA10123"}
    confirmation["shippedDate"] = naive(sim.now() - datetime.timedelta(minutes=30))
    for shipped, item in zip(confirmation["shippedItems"], (first, second), strict=True):
        shipped["itemDetails"]["purchaseOrderNumber"] = po.number
        shipped["vendorProductIdentifier"] = item.vendor_sku
        shipped["shippedQuantity"].update(amount=1, unitOfMeasure=item.unit,
                                          unitSize=item.unit_size)
    adapted = transaction(sim, sim.post(path, body))
    assert adapted == {"transactionId": adapted["transactionId"], "status": "Success"}


def test_submit_invoices_examples(sim):
    verbatim = transaction(sim, sim.post("/vendor/payments/v1/invoices", ex.SUBMIT_INVOICES))
    assert verbatim["status"] == "Failure"
    assert verbatim["errors"][0]["code"] == "MissingItems"
    reply = sim.post("/vendor/payments/v1/invoices", ex.BAD_SUBMIT_INVOICES)
    assert reply.status_code == 400
    errors = reply.json()["errors"]
    assert errors[0] == {"code": "InvalidInput", "message": ex.BAD_SUBMIT_INVOICES_MESSAGE,
                         "details": "$.invoices[0].invoiceType"}
