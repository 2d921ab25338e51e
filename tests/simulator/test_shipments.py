"""Vendor Shipments: ASNs (shipment confirmations), transport requests, details and labels."""
import copy

import pytest

from odoo.addons.acorn_amazon_vendor.lib.amazon_schema import validate
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError, iso

from . import documents

codes = documents.failure_codes

STATUS = "/vendor/orders/v1/purchaseOrdersStatus"


@pytest.fixture
def acked(sim, api):
    """A US Prepaid purchase order acknowledged in full (settled)."""
    po = sim.po(lambda p: p.state == "New" and p.currency == "USD" and documents.prepaid(p)
                and not any(i.cancelled for i in p.items))
    api.submit_acknowledgement(documents.acknowledgement(po, sim.now()))
    sim.settle()
    assert po.state == "Acknowledged"
    return po


def asn_status(sim, api, body):
    return documents.settled_status(sim, api, api.submit_shipment_confirmations, body)


def test_asn_succeeds_and_receipts_close_the_po(sim, api, acked):
    status = asn_status(sim, api, documents.shipment_confirmation(acked, sim.now(), "ASN-1"))
    assert status["status"] == "Success" and "errors" not in status
    reply = sim.get(STATUS, purchaseOrderNumber=acked.number).json()
    assert validate("vendor_orders_v1", "GetPurchaseOrdersStatusResponse", reply) == []
    order = reply["payload"]["ordersStatus"][0]
    assert order["purchaseOrderStatus"] == "CLOSED"
    for line, item in zip(order["itemStatus"], acked.items, strict=True):
        receiving = line["receivingStatus"]
        assert receiving["receiveStatus"] == "RECEIVED"
        assert receiving["receivedQuantity"] == documents.quantity(item, item.ordered)
        assert receiving["lastReceiveDate"] == iso(sim.now())
    assert api.get_purchase_order(acked.number)["purchaseOrderState"] == "Closed"


def test_partial_asn_leaves_the_po_open(sim, api, acked):
    item = acked.items[0]
    part = {item.seq: item.unit_size}
    status = asn_status(sim, api, documents.shipment_confirmation(acked, sim.now(), "A2", part))
    assert status["status"] == "Success"
    line = sim.get(STATUS, purchaseOrderNumber=acked.number).json()["payload"][
        "ordersStatus"][0]["itemStatus"][0]["receivingStatus"]
    expected = "RECEIVED" if item.ordered == item.unit_size else "PARTIALLY_RECEIVED"
    assert line["receiveStatus"] == expected
    assert acked.state == ("Closed" if len(acked.items) == 1 and expected == "RECEIVED"
                           else "Acknowledged")


def test_shipping_more_than_acknowledged(sim, api, acked):
    item = acked.items[0]
    body = documents.shipment_confirmation(acked, sim.now(), "A3",
                                           {item.seq: item.ordered + item.unit_size})
    assert codes(asn_status(sim, api, body)) == {"ShippedQuantityExceedsAcknowledged"}


def test_asn_for_an_unacknowledged_po_ships_above_acknowledged(sim, api):
    po = sim.po(lambda p: p.state == "New" and p.currency == "USD" and documents.prepaid(p))
    item = next(i for i in po.items if not i.cancelled)
    body = documents.shipment_confirmation(po, sim.now(), "A4", {item.seq: item.ordered})
    assert codes(asn_status(sim, api, body)) == {"ShippedQuantityExceedsAcknowledged"}


def test_shipment_identifier_is_unique_and_replace_reuses_it(sim, api, acked):
    item = acked.items[0]
    one = {item.seq: item.unit_size}
    assert asn_status(sim, api, documents.shipment_confirmation(
        acked, sim.now(), "SAME", one))["status"] == "Success"
    again = documents.shipment_confirmation(acked, sim.now(), "SAME", one, serial=50)
    assert codes(asn_status(sim, api, again)) == {"DuplicateShipmentIdentifier"}
    unknown = documents.shipment_confirmation(acked, sim.now(), "NEVER", one, kind="Replace")
    assert codes(asn_status(sim, api, unknown)) == {"UnknownShipmentIdentifier"}
    # A Replace corrects the quantity instead of adding to it.
    replace = documents.shipment_confirmation(acked, sim.now(), "SAME", one, kind="Replace",
                                              serial=80)
    assert asn_status(sim, api, replace)["status"] == "Success"
    assert item.shipped == item.unit_size


def test_sscc_check_digit(sim, api, acked):
    body = documents.shipment_confirmation(acked, sim.now(), "A5")
    ident = body["shipmentConfirmations"][0]["cartons"][0]["cartonIdentifiers"][0]
    number = ident["containerIdentificationNumber"]
    ident["containerIdentificationNumber"] = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert codes(asn_status(sim, api, body)) == {"InvalidSSCC"}


def test_freight_needs_scac_and_bill_of_lading(sim, api, acked):
    body = documents.shipment_confirmation(acked, sim.now(), "A6", shipment_type="TruckLoad")
    del body["shipmentConfirmations"][0]["transportationDetails"]["carrierScac"]
    body["shipmentConfirmations"][0]["transportationDetails"]["billOfLadingNumber"] = "1"
    assert codes(asn_status(sim, api, body)) == {"MissingCarrierScac", "MissingBillOfLading"}


def test_small_parcel_cartons_need_tracking_numbers(sim, api, acked):
    body = documents.shipment_confirmation(acked, sim.now(), "A7", shipment_type="SmallParcel")
    assert asn_status(sim, api, copy.deepcopy(body))["status"] == "Success"
    body["shipmentConfirmations"][0]["shipmentIdentifier"] = "A7b"
    del body["shipmentConfirmations"][0]["cartons"][0]["trackingNumber"]
    assert "MissingTrackingNumber" in codes(asn_status(sim, api, body))


def test_unknown_po_item_and_wrong_destination(sim, api, acked):
    body = documents.shipment_confirmation(acked, sim.now(), "A8")
    shipment = body["shipmentConfirmations"][0]
    shipment["shippedItems"][0]["itemDetails"]["purchaseOrderNumber"] = "ZZZZ0000"
    del shipment["shippedItems"][-1]["itemDetails"]
    shipment["shipToParty"]["partyId"] = "XXX1"
    found = codes(asn_status(sim, api, body))
    assert {"InvalidPurchaseOrderNumber", "MissingPurchaseOrderNumber"} <= found
    body = documents.shipment_confirmation(acked, sim.now(), "A9")
    body["shipmentConfirmations"][0]["shippedItems"][0]["amazonProductIdentifier"] = "B0XXXXXXXX"
    body["shipmentConfirmations"][0]["cartons"][0]["items"][0]["itemReference"] = "999"
    # The carton no longer holds item 001: shipped but not packed.
    assert codes(asn_status(sim, api, body)) == {"InvalidItem", "InvalidItemReference",
                                                 "PackedQuantityMismatch"}


def test_asn_schema_errors_are_400(sim, api, acked):
    body = documents.shipment_confirmation(acked, sim.now(), "A10")
    body["shipmentConfirmations"][0]["shipmentType"] = "Pallet"
    body["shipmentConfirmations"][0]["marketplaceIds"] = ["ATVPDKIKX0DER"]
    with pytest.raises(AmazonApiError) as info:
        api.submit_shipment_confirmations(body)
    assert info.value.status == 400
    assert {e["details"] for e in info.value.errors} == {
        "$.shipmentConfirmations[0].shipmentType", "$.shipmentConfirmations[0].marketplaceIds"}


def test_transport_request_details_labels_and_cancel(sim, api, acked):
    tid = api.submit_shipments(documents.transport_request(acked, sim.now(), "TR-1"))
    sim.settle()
    assert api.get_transaction(tid)["status"] == "Success"
    details = sim.get("/vendor/shipping/v1/shipments", vendorShipmentIdentifier="TR-1").json()
    assert validate("vendor_shipments_v1", "GetShipmentDetailsResponse", details) == []
    shipment = details["payload"]["shipments"][0]
    assert shipment["currentShipmentStatus"] == "CarrierAssigned"
    assert api.get_shipment_details(buyerWarehouseCode=acked.ship_to)["shipments"]
    labels = sim.get("/vendor/shipping/v1/transportLabels", vendorShipmentIdentifier="TR-1")
    assert validate("vendor_shipments_v1", "GetShipmentLabels", labels.json()) == []
    label = labels.json()["payload"]["transportLabels"][0]
    assert label["shipmentInformation"]["totalLabelCount"] == 2
    assert [d["labelFormat"] for d in label["labelData"]] == ["PDF", "PDF"]
    assert api.get_shipment_labels(limit=1)["transportLabels"]
    assert sim.get("/vendor/shipping/v1/transportLabels", limit=51).status_code == 400
    duplicate = api.submit_shipments(documents.transport_request(acked, sim.now(), "TR-1"))
    cancel = api.submit_shipments(documents.transport_request(acked, sim.now(), "TR-1", "Cancel"))
    sim.settle()
    assert codes(api.get_transaction(duplicate)) == {"DuplicateVendorShipmentIdentifier"}
    assert api.get_transaction(cancel)["status"] == "Success"
    assert api.get_shipment_details(vendorShipmentIdentifier="TR-1")["shipments"] == []
    unknown = api.submit_shipments(documents.transport_request(acked, sim.now(), "TR-9", "Cancel"))
    sim.settle()
    assert codes(api.get_transaction(unknown)) == {"UnknownVendorShipmentIdentifier"}
