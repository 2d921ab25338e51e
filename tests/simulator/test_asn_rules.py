"""Amazon's shipment confirmation rules, checked by the simulator on its own: carrier
references, Collect/WePay ARN, shipped date, bill of lading, what the cartons and pallets hold
and the shipment structure. Each violating ASN ends in Failure with Amazon-style codes."""
import copy
import datetime

import pytest

from odoo.addons.acorn_amazon_vendor.lib.transport import iso

from . import documents

codes = documents.failure_codes
MINUTE = datetime.timedelta(minutes=1)


def live(po):
    return not any(i.cancelled for i in po.items)


def acknowledged(sim, api, predicate):
    """A new PO matching ``predicate``, acknowledged in full and settled."""
    po = sim.po(lambda p: p.state == "New" and live(p) and predicate(p))
    api.submit_acknowledgement(documents.acknowledgement(po, sim.now()))
    sim.settle()
    assert po.state == "Acknowledged"
    return po


@pytest.fixture
def us_po(sim, api):
    """A US Prepaid PO of two items or more, acknowledged."""
    return acknowledged(sim, api, lambda p: p.currency == "USD" and documents.prepaid(p)
                        and len(p.items) >= 2)


def new_collect_po(sim, api, **options):
    """A new US Collect PO (it carries a ship window), acknowledged."""
    created = sim.control("purchase-orders", dict(
        {"generate": 1, "currency": "USD", "freight_terms": "Collect"}, **options))
    number = created["purchaseOrders"][0]["purchaseOrderNumber"]
    return acknowledged(sim, api, lambda p: p.number == number)


@pytest.fixture
def collect_po(sim, api):
    return new_collect_po(sim, api)


def status(sim, api, body):
    return documents.settled_status(sim, api, api.submit_shipment_confirmations, body)


def asn(po, sim, ident, **kw):
    body = documents.shipment_confirmation(po, sim.now(), ident, **kw)
    return body, body["shipmentConfirmations"][0]


# -- carrier references ----------------------------------------------------------------------
def test_us_shipments_need_the_carriers_pro_number(sim, api, us_po):
    body, sc = asn(us_po, sim, "PRO-1")
    del sc["transportationDetails"]["carrierShipmentReferenceNumber"]
    result = status(sim, api, body)
    assert codes(result) == {"MissingCarrierShipmentReferenceNumber"}
    assert "PRO number" in result["errors"][0]["message"]


@pytest.mark.parametrize("bol", ["2026-11-04", "20261104", "04.11.2026", "11/04/2026 08:00",
                                 "2026-11-04T08:00:00Z", "X"])
def test_bill_of_lading_cannot_be_a_date_or_one_character(sim, api, us_po, bol):
    body, sc = asn(us_po, sim, "BOL-1", shipment_type="SmallParcel")
    sc["transportationDetails"]["billOfLadingNumber"] = bol
    result = status(sim, api, body)
    assert codes(result) == {"InvalidBillOfLading"}
    assert "cannot be a date" in result["errors"][0]["message"]


def test_a_bill_of_lading_that_merely_has_digits_is_fine(sim, api, us_po):
    body, sc = asn(us_po, sim, "BOL-2")
    sc["transportationDetails"]["billOfLadingNumber"] = "02440000"  # Amazon's own example
    assert status(sim, api, body)["status"] == "Success"


def test_european_shipments_always_need_a_bill_of_lading(sim, api):
    po = acknowledged(sim, api, lambda p: p.currency == "EUR" and documents.prepaid(p))
    body, sc = asn(po, sim, "EU-1", shipment_type="SmallParcel")
    del sc["transportationDetails"]["billOfLadingNumber"]
    assert codes(status(sim, api, copy.deepcopy(body))) == {"MissingBillOfLading"}
    sc["transportationDetails"]["billOfLadingNumber"] = "ACRNE0001234"
    assert status(sim, api, body)["status"] == "Success"


# -- shipped date ------------------------------------------------------------------------------
def test_shipped_date_cannot_be_in_the_future(sim, api, us_po):
    body, sc = asn(us_po, sim, "DATE-1")
    sc["shippedDate"] = iso(sim.now() + 60 * MINUTE)
    result = status(sim, api, body)
    assert codes(result) == {"InvalidShippedDate"}
    assert "in the future" in result["errors"][0]["message"]


def test_shipped_date_allows_a_few_minutes_of_clock_difference(sim, api, us_po):
    body, sc = asn(us_po, sim, "DATE-2")
    sc["shippedDate"] = iso(sim.now() + 2 * MINUTE)
    assert status(sim, api, body)["status"] == "Success"


def test_shipped_date_is_mandatory(sim, api, us_po):
    body, sc = asn(us_po, sim, "DATE-3")
    del sc["shippedDate"]
    assert codes(status(sim, api, body)) == {"MissingShippedDate"}


# -- Collect / WePay: the Amazon reference number ------------------------------------------------
def test_collect_po_needs_the_arn_of_its_routing_request(sim, api, collect_po):
    body, sc = asn(collect_po, sim, "COL-1")
    result = status(sim, api, copy.deepcopy(body))
    assert codes(result) == {"MissingAmazonReferenceNumber"}
    assert "Collect" in result["errors"][0]["message"]
    sc["amazonReferenceNumber"] = "1234567890"
    assert codes(status(sim, api, copy.deepcopy(body))) == {"InvalidAmazonReferenceNumber"}
    tid = api.submit_shipments(documents.transport_request(collect_po, sim.now(), "ROUTE-1"))
    sim.settle()
    assert api.get_transaction(tid)["status"] == "Success"
    arn = api.get_shipment_details(vendorShipmentIdentifier="ROUTE-1")["shipments"][0][
        "buyerReferenceNumber"]
    sc["amazonReferenceNumber"] = arn
    assert status(sim, api, body)["status"] == "Success"


def test_arn_must_be_issued_for_the_purchase_orders_shipped(sim, api, collect_po):
    other = new_collect_po(sim, api, vendor_code=collect_po.vendor_code,
                           ship_to=collect_po.ship_to)
    api.submit_shipments(documents.transport_request(other, sim.now(), "ROUTE-2"))
    sim.settle()
    arn = api.get_shipment_details(vendorShipmentIdentifier="ROUTE-2")["shipments"][0][
        "buyerReferenceNumber"]
    body, sc = asn(collect_po, sim, "COL-2")
    sc["amazonReferenceNumber"] = arn
    result = status(sim, api, body)
    assert codes(result) == {"InvalidAmazonReferenceNumber"}
    assert collect_po.number in result["errors"][0]["message"]


def test_prepaid_po_needs_no_arn_until_made_collect(sim, api, us_po):
    body, _sc = asn(us_po, sim, "PRE-1")
    sim.control(f"purchase-orders/{us_po.number}/change", {"freightTerms": "Collect"})
    assert codes(status(sim, api, copy.deepcopy(body))) == {"MissingAmazonReferenceNumber"}
    sim.control(f"purchase-orders/{us_po.number}/change", {"freightTerms": None})
    assert status(sim, api, body)["status"] == "Success"


# -- what the cartons and pallets hold ---------------------------------------------------------
def test_everything_shipped_is_packed(sim, api, us_po):
    body, sc = asn(us_po, sim, "PACK-1")
    sc["cartons"].pop()
    sc["shipmentMeasurements"]["cartonCount"] -= 1
    result = status(sim, api, body)
    assert codes(result) == {"PackedQuantityMismatch"}
    assert "but the cartons and pallets hold 0" in result["errors"][0]["message"]


def test_a_carton_holds_no_more_than_shipped(sim, api, us_po):
    body, sc = asn(us_po, sim, "PACK-4")
    line = sc["cartons"][0]["items"][0]
    line["shippedQuantity"] = dict(line["shippedQuantity"],
                                   amount=line["shippedQuantity"]["amount"] + 1)
    assert codes(status(sim, api, body)) == {"PackedQuantityMismatch"}


def test_nothing_packed_that_was_not_shipped(sim, api, us_po):
    body, sc = asn(us_po, sim, "PACK-2")
    extra = copy.deepcopy(sc["cartons"][0])
    extra["cartonSequenceNumber"] = "099"
    extra["cartonIdentifiers"][0]["containerIdentificationNumber"] = documents.sscc(99)
    sc["cartons"].append(extra)
    sc["shipmentMeasurements"]["cartonCount"] += 1
    assert codes(status(sim, api, body)) == {"PackedQuantityMismatch"}


def test_an_asn_without_cartons_is_not_checked_for_packing(sim, api, us_po):
    body, sc = asn(us_po, sim, "PACK-3")
    for key in ("cartons", "shipmentStructure", "shipmentMeasurements"):
        del sc[key]
    assert status(sim, api, body)["status"] == "Success"


def test_palletized_asn_succeeds(sim, api, us_po):
    body = documents.palletize(documents.shipment_confirmation(us_po, sim.now(), "PAL-1"))
    assert status(sim, api, body)["status"] == "Success"
    assert us_po.state == "Closed"


def test_pallets_reference_real_cartons_once(sim, api, us_po):
    body = documents.palletize(documents.shipment_confirmation(us_po, sim.now(), "PAL-2"))
    sc = body["shipmentConfirmations"][0]
    references = sc["pallets"][0]["cartonReferenceDetails"]
    references["cartonReferenceNumbers"][0] = "077"
    references["cartonCount"] += 1
    second = {"palletIdentifiers": [{"containerIdentificationType": "SSCC",
                                     "containerIdentificationNumber": documents.sscc(96)}],
              "cartonReferenceDetails": {"cartonReferenceNumbers": ["002"]}}
    empty = {"palletIdentifiers": [{"containerIdentificationType": "SSCC",
                                    "containerIdentificationNumber": documents.sscc(97)}]}
    sc["pallets"] += [second, empty]
    sc["shipmentMeasurements"]["palletCount"] = 3
    found = status(sim, api, body)
    assert codes(found) == {"InvalidCartonReference", "CartonCountMismatch", "EmptyPallet"}
    messages = " ".join(e["message"] for e in found["errors"])
    assert "077 is not a cartonSequenceNumber" in messages
    assert "already on pallet 1" in messages


def test_carton_and_pallet_counts_match_what_is_listed(sim, api, us_po):
    body, sc = asn(us_po, sim, "CNT-1")
    sc["shipmentMeasurements"]["cartonCount"] += 1
    assert codes(status(sim, api, body)) == {"ShipmentMeasurementsMismatch"}
    body = documents.palletize(documents.shipment_confirmation(us_po, sim.now(), "CNT-2"))
    body["shipmentConfirmations"][0]["shipmentMeasurements"]["palletCount"] = 2
    assert codes(status(sim, api, body)) == {"ShipmentMeasurementsMismatch"}


# -- shipment structure ------------------------------------------------------------------------
def mixed_carton(sc):
    """Both shipped items in the first carton (one carton fewer)."""
    first, second = sc["cartons"][:2]
    first["items"] += second["items"]
    sc["cartons"].remove(second)
    sc["shipmentMeasurements"]["cartonCount"] -= 1


def test_standard_case_cartons_hold_one_item(sim, api, us_po):
    body, sc = asn(us_po, sim, "STR-1")
    mixed_carton(sc)
    result = status(sim, api, copy.deepcopy(body))
    assert codes(result) == {"InvalidShipmentStructure"}
    assert "a standard case holds one item" in result["errors"][0]["message"]
    sc["shipmentStructure"] = "LooseAssortmentCase"
    assert status(sim, api, body)["status"] == "Success"


@pytest.mark.parametrize("structure,message", [
    ("PalletizedStandardCase", "no pallets were sent"),
    ("MasterPallet", "no pallets were sent"),
    ("PalletOfItems", "no pallets were sent"),
])
def test_pallet_structures_need_pallets(sim, api, us_po, structure, message):
    body, sc = asn(us_po, sim, "STR-2")
    sc["shipmentStructure"] = structure
    result = status(sim, api, body)
    assert codes(result) == {"InvalidShipmentStructure"}
    assert message in result["errors"][0]["message"]


def test_loose_structures_have_no_pallets(sim, api, us_po):
    body = documents.palletize(documents.shipment_confirmation(us_po, sim.now(), "STR-3"),
                               structure="LooseStandardCase")
    result = status(sim, api, body)
    assert codes(result) == {"InvalidShipmentStructure"}
    assert "no pallet level" in result["errors"][0]["message"]


def test_a_pallet_of_items_carries_no_cartons(sim, api, us_po):
    body = documents.palletize(documents.shipment_confirmation(us_po, sim.now(), "STR-4"),
                               structure="PalletOfItems")
    result = status(sim, api, copy.deepcopy(body))
    assert codes(result) == {"InvalidShipmentStructure"}
    assert "not cartons" in result["errors"][0]["message"]
    # The same goods stacked on the pallet without cartons.
    sc = body["shipmentConfirmations"][0]
    sc["pallets"][0]["items"] = [line for c in sc.pop("cartons") for line in c["items"]]
    del sc["pallets"][0]["cartonReferenceDetails"]
    assert status(sim, api, body)["status"] == "Success"


def test_a_carton_mixing_purchase_orders_is_a_master_case(sim, api):
    groups = {}
    for po in sim.state.order_list:
        if po.state == "New" and po.currency == "USD" and documents.prepaid(po) and live(po):
            groups.setdefault((po.vendor_code, po.ship_to), []).append(po)
    pair = next(pos[:2] for pos in groups.values() if len(pos) >= 2)
    pos = [acknowledged(sim, api, lambda p, po=po: p is po) for po in pair]
    body, sc = asn(pos[0], sim, "MIX-1")
    other = documents.shipment_confirmation(pos[1], sim.now(), "X", serial=60)[
        "shipmentConfirmations"][0]
    offset = len(sc["shippedItems"])
    for n, line in enumerate(other["shippedItems"], start=offset + 1):
        line["itemSequenceNumber"] = f"{n:03d}"
        sc["shippedItems"].append(line)
    # Everything in one carton.
    sc["cartons"] = [{"cartonIdentifiers": sc["cartons"][0]["cartonIdentifiers"],
                      "cartonSequenceNumber": "001",
                      "items": [{"itemReference": line["itemSequenceNumber"],
                                 "shippedQuantity": line["shippedQuantity"]}
                                for line in sc["shippedItems"]]}]
    sc["shipmentMeasurements"]["cartonCount"] = 1
    sc["shipmentStructure"] = "LooseAssortmentCase"
    result = status(sim, api, copy.deepcopy(body))
    assert codes(result) == {"InvalidShipmentStructure"}
    assert "mixes purchase orders" in result["errors"][0]["message"]
    sc["shipmentStructure"] = "MasterCase"
    assert status(sim, api, body)["status"] == "Success"
    assert [po.state for po in pos] == ["Closed", "Closed"]


def test_carton_structures_need_cartons(sim, api, us_po):
    body, sc = asn(us_po, sim, "STR-5")
    del sc["cartons"], sc["shipmentMeasurements"]
    result = status(sim, api, body)
    assert codes(result) == {"InvalidShipmentStructure"}
    assert "no cartons were sent" in result["errors"][0]["message"]


def test_palletized_cases_stand_on_pallets(sim, api, us_po):
    body = documents.palletize(documents.shipment_confirmation(us_po, sim.now(), "STR-6"))
    sc = body["shipmentConfirmations"][0]
    # The units stacked on the pallet without cartons: a pallet of items, not of cases.
    sc["pallets"][0]["items"] = [line for c in sc.pop("cartons") for line in c["items"]]
    del sc["pallets"][0]["cartonReferenceDetails"]
    result = status(sim, api, copy.deepcopy(body))
    assert codes(result) == {"InvalidShipmentStructure"}
    messages = " ".join(e["message"] for e in result["errors"])
    assert "no cartons were sent" in messages and "no pallet carries cartons" in messages
    sc["shipmentStructure"] = "PalletOfItems"
    assert status(sim, api, body)["status"] == "Success"


# -- direct imports ----------------------------------------------------------------------------
def test_import_details_only_for_a_direct_import_paid_as_ordered(sim, api, us_po):
    """importDetails: "Provide these fields only if this shipment is a direct import"; the
    method of payment is the purchase order's."""
    voyage = {"methodOfPayment": "PaidBySeller", "importContainers": "40HC MSCU1234565",
              "sealNumber": "SEAL778899"}
    body, sc = asn(us_po, sim, "DI-1")
    sc["importDetails"] = dict(voyage)
    result = status(sim, api, body)
    assert codes(result) == {"InvalidImportDetails"}
    assert "only for direct imports" in result["errors"][0]["message"]
    us_po.import_details = {"methodOfPayment": "PaidByBuyer", "importContainers": "1-40'HC"}
    body, sc = asn(us_po, sim, "DI-2")
    sc["importDetails"] = dict(voyage)
    result = status(sim, api, body)
    assert codes(result) == {"InvalidImportDetails"}
    assert "is paid PaidByBuyer, not PaidBySeller" in result["errors"][0]["message"]
    body, sc = asn(us_po, sim, "DI-3")
    sc["importDetails"] = dict(voyage, methodOfPayment="PaidByBuyer")
    assert status(sim, api, body)["status"] == "Success"
