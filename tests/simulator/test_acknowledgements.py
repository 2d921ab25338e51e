"""submitAcknowledgement: accepted documents stay Processing; broken business rules fail."""
import copy
import datetime

import pytest

from odoo.addons.acorn_amazon_vendor.lib.amazon_schema import validate
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError, iso

from . import documents

ACKS = "/vendor/orders/v1/acknowledgements"


def new_po(sim, predicate=lambda po: True):
    return sim.po(lambda po: po.state == "New" and not any(i.cancelled for i in po.items)
                  and predicate(po))


def submit_and_settle(sim, api, body):
    tid = api.submit_acknowledgement(body)
    assert api.get_transaction(tid)["status"] == "Processing"
    sim.settle()
    return api.get_transaction(tid)


def test_accepted_acknowledgement_stays_processing_and_moves_the_po(sim, api):
    po = new_po(sim)
    status = submit_and_settle(sim, api, documents.acknowledgement(po, sim.now()))
    assert status == {"transactionId": status["transactionId"], "status": "Processing"}
    assert api.get_purchase_order(po.number)["purchaseOrderState"] == "Acknowledged"
    line = sim.get("/vendor/orders/v1/purchaseOrdersStatus",
                   purchaseOrderNumber=po.number).json()["payload"]["ordersStatus"][0]
    assert {i["acknowledgementStatus"]["confirmationStatus"] for i in line["itemStatus"]} == {
        "ACCEPTED"}
    sim.advance(3600 * 24)
    assert api.get_transaction(status["transactionId"])["status"] == "Processing"


def test_transaction_settles_after_the_delay_on_the_simulated_clock(sim, api):
    po = new_po(sim)
    tid = api.submit_acknowledgement(documents.acknowledgement(po, sim.now()))
    sim.advance(29)
    assert api.get_purchase_order(po.number)["purchaseOrderState"] == "New"
    sim.advance(2)
    assert api.get_purchase_order(po.number)["purchaseOrderState"] == "Acknowledged"
    assert api.get_transaction(tid)["status"] == "Processing"


def test_partial_acceptance_with_rejection_and_backorder(sim, api):
    po = new_po(sim, lambda p: any(i.back_order_allowed and i.ordered >= 2 * i.unit_size
                                   for i in p.items))
    item = next(i for i in po.items if i.back_order_allowed and i.ordered >= 2 * i.unit_size)
    half = item.ordered // item.unit_size // 2 * item.unit_size
    lines = {item.seq: [
        {"acknowledgementCode": "Backordered",
         "acknowledgedQuantity": documents.quantity(item, half),
         "scheduledShipDate": "2026-11-20T00:00:00Z"},
        {"acknowledgementCode": "Rejected",
         "acknowledgedQuantity": documents.quantity(item, item.ordered - half),
         "rejectionReason": "TemporarilyUnavailable"}]}
    status = submit_and_settle(sim, api, documents.acknowledgement(po, sim.now(), lines))
    assert status["status"] == "Processing"
    assert (item.accepted, item.rejected) == (half, item.ordered - half)


def failure_codes(sim, api, body):
    status = submit_and_settle(sim, api, body)
    assert status["status"] == "Failure"
    assert validate("vendor_transaction_status_v1", "Transaction", status) == []
    return {e["code"] for e in status["errors"]}


def test_unknown_po_and_unknown_item(sim, api):
    po = new_po(sim)
    body = documents.acknowledgement(po, sim.now())
    unknown_po = copy.deepcopy(body)
    unknown_po["acknowledgements"][0]["purchaseOrderNumber"] = "ZZZZ0000"
    assert failure_codes(sim, api, unknown_po) == {"InvalidPurchaseOrderNumber"}
    body["acknowledgements"][0]["items"][0]["amazonProductIdentifier"] = "B0NOTONPO1"
    assert failure_codes(sim, api, body) == {"InvalidItem"}
    assert po.state == "New"


def test_quantities_must_add_up_to_the_ordered_quantity(sim, api):
    po = new_po(sim)
    item = po.items[0]
    lines = {item.seq: [{"acknowledgementCode": "Accepted",
                         "acknowledgedQuantity": documents.quantity(
                             item, item.ordered - item.unit_size)}]}
    assert "AcknowledgedQuantityMismatch" in failure_codes(
        sim, api, documents.acknowledgement(po, sim.now(), lines))


def test_backorder_where_not_allowed(sim, api):
    po = new_po(sim, lambda p: not p.items[0].back_order_allowed)
    item = po.items[0]
    lines = {item.seq: [{"acknowledgementCode": "Backordered",
                         "acknowledgedQuantity": documents.quantity(item, item.ordered),
                         "scheduledShipDate": "2026-11-20T00:00:00Z"}]}
    assert failure_codes(sim, api, documents.acknowledgement(po, sim.now(), lines)) == {
        "BackorderNotAllowed"}


def test_net_cost_must_be_the_po_cost(sim, api):
    po = new_po(sim)
    body = documents.acknowledgement(po, sim.now())
    body["acknowledgements"][0]["items"][0]["netCost"]["amount"] = "0.01"
    assert failure_codes(sim, api, body) == {"NetCostMismatch"}
    del body["acknowledgements"][0]["items"][0]["netCost"]
    assert failure_codes(sim, api, body) == {"MissingNetCost"}


def test_rejection_needs_a_reason_and_selling_party_must_match(sim, api):
    po = new_po(sim)
    item = po.items[0]
    lines = {item.seq: [{"acknowledgementCode": "Rejected",
                         "acknowledgedQuantity": documents.quantity(item, item.ordered)}]}
    body = documents.acknowledgement(po, sim.now(), lines)
    body["acknowledgements"][0]["sellingParty"]["partyId"] = "OTHER"
    assert failure_codes(sim, api, body) == {"MissingRejectionReason", "InvalidSellingParty"}


def test_schema_errors_are_400_before_any_transaction(sim, api):
    po = new_po(sim)
    body = documents.acknowledgement(po, sim.now())
    body["acknowledgements"][0]["items"][0]["itemAcknowledgements"][0][
        "acknowledgementCode"] = "Accept"
    with pytest.raises(AmazonApiError) as info:
        api.submit_acknowledgement(body)
    assert info.value.status == 400 and info.value.code == "InvalidInput"
    assert info.value.details.endswith("itemAcknowledgements[0].acknowledgementCode")
    assert sim.control("documents")["documents"] == []
    reply = sim.post(ACKS, {"acknowledgements": []})
    assert reply.status_code == 400


def test_changed_po_must_be_acknowledged_with_the_new_quantity(sim, api):
    po = new_po(sim, lambda p: len(p.items) >= 2)
    old = documents.acknowledgement(po, sim.now())
    sim.control(f"purchase-orders/{po.number}/change",
                {"items": [{"itemSequenceNumber": po.items[1].seq, "cancel": True}]})
    changed = api.get_purchase_order(po.number)
    assert changed["orderDetails"]["purchaseOrderChangedDate"] == iso(sim.now())
    assert changed["orderDetails"]["items"][1]["orderedQuantity"]["amount"] == 0
    flagged = sim.get("/vendor/orders/v1/purchaseOrders", isPOChanged="true",
                      changedAfter=iso(sim.now() - datetime.timedelta(hours=1)),
                      poItemState="Cancelled").json()["payload"]["orders"]
    assert [o["purchaseOrderNumber"] for o in flagged] == [po.number]
    assert "OrderedQuantityMismatch" in failure_codes(sim, api, old)
    assert submit_and_settle(sim, api, documents.acknowledgement(po, sim.now()))[
        "status"] == "Processing"
