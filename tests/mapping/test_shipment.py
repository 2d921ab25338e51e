"""Pure mapping: what was picked and packed -> Amazon SubmitShipmentConfirmationsRequest."""
import dataclasses
import datetime
import json
from decimal import Decimal

import pytest

from odoo.addons.acorn_amazon_vendor.lib import amazon_schema
from odoo.addons.acorn_amazon_vendor.lib.mapping.shipment import (
    Carton,
    ImportDetails,
    Pallet,
    Party,
    Shipment,
    ShipmentError,
    ShippedLine,
    build_shipment_confirmation,
    check_shipment,
    structure,
)
from odoo.addons.acorn_amazon_vendor.lib.mapping.sscc import make_sscc

NOW = datetime.datetime(2026, 11, 20, 10, 0, 0)
PO1, PO2 = "2JK3S9VC", "3KQ7T2WX"
FROM = Party("WH01", name="Acorn DC", street="1 Warehouse Way", city="Edison",
             state_code="NJ", zip="08817", country_code="US")
TO = Party("ABE2", name="Amazon.com Services LLC", street="705 Boulder Drive",
           city="Breinigsville", state_code="PA", zip="18031", country_code="US")
# (po, item) -> product and the unit the item was ordered in
PRODUCTS = {
    (PO1, "1"): ("B0ACORN001", "ACN-1", "Cases", 12),
    (PO1, "2"): ("B0ACORN002", "ACN-2", "Eaches", 1),
    (PO2, "1"): ("B0ACORN003", "ACN-3", "Eaches", 1),
}
ACKED = {(PO1, "1"): 36, (PO1, "2"): 10, (PO2, "1"): 5}


def sscc(n):
    return make_sscc("0614141", 0, n)


def line(po=PO1, seq="1", qty=12, **overrides):
    asin, sku, unit, size = PRODUCTS[po, seq]
    return ShippedLine(po, seq, asin, sku, qty, unit, size, **overrides)


def carton(n, *lines, weight="6.5", dims=("40", "30", "25"), **overrides):
    return Carton(sscc(n), tuple(lines), Decimal(weight) if weight else None,
                  *(Decimal(d) if d else None for d in dims), **overrides)


def shipment(cartons=(), pallets=(), lines=None, **overrides):
    if lines is None:  # totals per PO item from what was packed
        totals = {}
        held = [c.lines for c in cartons] + [p.lines for p in pallets] + [
            c.lines for p in pallets for c in p.cartons]
        for container_lines in held:
            for li in container_lines:
                totals[li.detail_key] = totals.get(li.detail_key, 0) + li.quantity_eaches
        lines = [dataclasses.replace(line(po, seq), quantity_eaches=qty, lot=lot, expiry=exp,
                                     manufactured=mfd)
                 for (po, seq, lot, exp, mfd), qty in totals.items()]
    values = {
        "identifier": "ASN-0001", "transaction_type": "Original",
        "shipment_type": "LessThanTruckLoad", "ship_from": FROM, "ship_to": TO,
        "selling_party_id": "ACRN1", "shipped_at": NOW - datetime.timedelta(hours=1),
        "estimated_delivery": NOW + datetime.timedelta(days=3), "carrier_scac": "ABFS",
        "pro_number": "PRO123456", "bill_of_lading": "BOL-0001",
        "loose_cartons": tuple(cartons), "pallets": tuple(pallets), "shipped_lines": tuple(lines),
    }
    values.update(overrides)
    return Shipment(**values)


def build(ship, acknowledged=None):
    body = build_shipment_confirmation(ship, ACKED if acknowledged is None else acknowledged, NOW)
    assert amazon_schema.validate(
        "vendor_shipments_v1", "SubmitShipmentConfirmationsRequest", body) == []
    return body["shipmentConfirmations"][0]


def problems(ship, acknowledged=None):
    return check_shipment(ship, ACKED if acknowledged is None else acknowledged, NOW)


def test_loose_cartons():
    ship = shipment([carton(1, line(qty=24)), carton(2, line(qty=12)),
                     carton(3, line(seq="2", qty=10), weight="3")])
    sc = build(ship)
    assert sc["shipmentIdentifier"] == "ASN-0001"
    assert sc["shipmentConfirmationType"] == "Original"
    assert sc["shipmentType"] == "LessThanTruckLoad"
    assert sc["shipmentStructure"] == "LooseStandardCase"
    assert sc["transportationDetails"] == {
        "carrierScac": "ABFS", "carrierShipmentReferenceNumber": "PRO123456",
        "transportationMode": "Road", "billOfLadingNumber": "BOL-0001"}
    assert sc["shipmentConfirmationDate"] == "2026-11-20T10:00:00Z"
    assert sc["shippedDate"] == "2026-11-20T09:00:00Z"
    assert sc["estimatedDeliveryDate"] == "2026-11-23T10:00:00Z"
    assert sc["sellingParty"] == {"partyId": "ACRN1"}
    assert sc["shipFromParty"]["address"] == {
        "name": "Acorn DC", "addressLine1": "1 Warehouse Way", "city": "Edison",
        "stateOrRegion": "NJ", "postalCode": "08817", "countryCode": "US"}
    assert sc["shipToParty"]["partyId"] == "ABE2"
    # Cartons: 40 x 30 x 25 cm = 0.03 m3 each; weights 6.5 + 6.5 + 3.
    assert sc["shipmentMeasurements"] == {
        "grossShipmentWeight": {"unitOfMeasure": "Kg", "value": "16"},
        "shipmentVolume": {"unitOfMeasure": "CuM", "value": "0.09"}, "cartonCount": 3}
    assert sc["shippedItems"] == [
        {"itemSequenceNumber": "001", "amazonProductIdentifier": "B0ACORN001",
         "vendorProductIdentifier": "ACN-1",
         "shippedQuantity": {"amount": 3, "unitOfMeasure": "Cases", "unitSize": 12},
         "itemDetails": {"purchaseOrderNumber": PO1}},
        {"itemSequenceNumber": "002", "amazonProductIdentifier": "B0ACORN002",
         "vendorProductIdentifier": "ACN-2",
         "shippedQuantity": {"amount": 10, "unitOfMeasure": "Eaches", "unitSize": 1},
         "itemDetails": {"purchaseOrderNumber": PO1}}]
    first = sc["cartons"][0]
    assert first == {
        "cartonIdentifiers": [{"containerIdentificationType": "SSCC",
                               "containerIdentificationNumber": sscc(1)}],
        "cartonSequenceNumber": "001",
        "dimensions": {"length": "0.4", "width": "0.3", "height": "0.25",
                       "unitOfMeasure": "Meter"},
        "weight": {"unitOfMeasure": "Kg", "value": "6.5"},
        "items": [{"itemReference": "001", "shippedQuantity": {
            "amount": 2, "unitOfMeasure": "Cases", "unitSize": 12}}]}
    assert [c["cartonSequenceNumber"] for c in sc["cartons"]] == ["001", "002", "003"]
    assert sc["cartons"][2]["items"][0]["itemReference"] == "002"
    assert "pallets" not in sc and "amazonReferenceNumber" not in sc


def test_mixed_carton_is_an_assortment_and_unknown_measures_are_left_out():
    ship = shipment([carton(1, line(qty=12), line(seq="2", qty=4), weight=None),
                     carton(2, line(seq="2", qty=6), dims=(None, None, None))],
                    arn="8754321098")
    sc = build(ship)
    assert sc["shipmentStructure"] == "LooseAssortmentCase"
    assert sc["amazonReferenceNumber"] == "8754321098"
    assert sc["shipmentMeasurements"] == {"cartonCount": 2}
    assert "weight" not in sc["cartons"][0] and "dimensions" not in sc["cartons"][1]
    assert [i["itemReference"] for i in sc["cartons"][0]["items"]] == ["001", "002"]


def test_palletized():
    boxes = [carton(n, line(qty=12)) for n in (1, 2, 3)]
    pallet = Pallet(sscc(100), tuple(boxes), Decimal("48.25"), Decimal("120"), Decimal("80"),
                    Decimal("150"), tiers=1, blocks=3)
    ship = shipment(pallets=[pallet], shipment_type="TruckLoad")
    sc = build(ship)
    assert sc["shipmentType"] == "TruckLoad"
    assert sc["shipmentStructure"] == "PalletizedStandardCase"
    # Palletized: palletCount only; weight and volume of what stands on the truck.
    assert sc["shipmentMeasurements"] == {
        "grossShipmentWeight": {"unitOfMeasure": "Kg", "value": "48.25"},
        "shipmentVolume": {"unitOfMeasure": "CuM", "value": "1.44"}, "palletCount": 1}
    assert sc["pallets"] == [{
        "palletIdentifiers": [{"containerIdentificationType": "SSCC",
                               "containerIdentificationNumber": sscc(100)}],
        "tier": 1, "block": 3,
        "dimensions": {"length": "1.2", "width": "0.8", "height": "1.5",
                       "unitOfMeasure": "Meter"},
        "weight": {"unitOfMeasure": "Kg", "value": "48.25"},
        "cartonReferenceDetails": {"cartonCount": 3,
                                   "cartonReferenceNumbers": ["001", "002", "003"]}}]
    assert [c["cartonIdentifiers"][0]["containerIdentificationNumber"]
            for c in sc["cartons"]] == [sscc(1), sscc(2), sscc(3)]
    assert sc["shippedItems"][0]["shippedQuantity"]["amount"] == 3


def test_pallets_and_loose_cartons_together():
    mixed = Pallet(sscc(100), (carton(1, line(qty=12), line(seq="2", qty=5)),
                               carton(2, line(qty=12))), Decimal("30"))
    ship = shipment([carton(3, line(seq="2", qty=5))], [mixed])
    sc = build(ship)
    assert sc["shipmentStructure"] == "PalletizedAssortmentCase"
    # Palletized cartons first, so pallet references and sequence numbers line up.
    assert [c["cartonSequenceNumber"] for c in sc["cartons"]] == ["001", "002", "003"]
    assert sc["cartons"][2]["cartonIdentifiers"][0]["containerIdentificationNumber"] == sscc(3)
    assert sc["pallets"][0]["cartonReferenceDetails"]["cartonReferenceNumbers"] == ["001", "002"]
    assert sc["shipmentMeasurements"]["palletCount"] == 1
    assert "cartonCount" not in sc["shipmentMeasurements"]


def test_pallet_of_items():
    pallet = Pallet(sscc(100), weight_kg=Decimal("210"), lines=(line(qty=36),))
    sc = build(shipment(pallets=[pallet]))
    assert sc["shipmentStructure"] == "PalletOfItems"
    assert "cartons" not in sc
    assert sc["pallets"][0]["items"] == [{"itemReference": "001", "shippedQuantity": {
        "amount": 3, "unitOfMeasure": "Cases", "unitSize": 12}}]


def test_several_pos_in_one_shipment():
    ship = shipment([carton(1, line(qty=12)), carton(2, line(seq="2", qty=10)),
                     carton(3, line(PO2, "1", qty=5))])
    sc = build(ship)
    assert sc["shipmentStructure"] == "LooseStandardCase"
    # Item 1 of both POs: the ASN numbers its own items so references stay unambiguous.
    assert [(i["itemSequenceNumber"], i["itemDetails"]["purchaseOrderNumber"],
             i["amazonProductIdentifier"]) for i in sc["shippedItems"]] == [
        ("001", PO1, "B0ACORN001"), ("002", PO1, "B0ACORN002"), ("003", PO2, "B0ACORN003")]
    assert [c["items"][0]["itemReference"] for c in sc["cartons"]] == ["001", "002", "003"]


def test_containers_mixing_purchase_orders_are_master_structures():
    box = carton(1, line(qty=12), line(PO2, "1", qty=5))
    assert structure(shipment([box])) == "MasterCase"
    build(shipment([box]))
    pallet = Pallet(sscc(100), (carton(2, line(qty=12)), carton(3, line(PO2, "1", qty=5))))
    assert structure(shipment(pallets=[pallet])) == "MasterPallet"
    assert build(shipment(pallets=[pallet]))["shipmentStructure"] == "MasterPallet"


def test_partial_deliveries_of_one_po():
    # 36 acknowledged; a first ASN ships one case, the caller then passes what remains.
    first = build(shipment([carton(1, line(qty=12))], identifier="ASN-1"))
    assert first["shippedItems"][0]["shippedQuantity"]["amount"] == 1
    remaining = {**ACKED, (PO1, "1"): 36 - 12}
    too_much = shipment([carton(2, line(qty=36))], identifier="ASN-2")
    assert problems(too_much, remaining) == [
        f"PO {PO1} item 1: 36 units shipped but only 24 acknowledged and not yet shipped"]
    with pytest.raises(ShipmentError, match="only 24 acknowledged"):
        build_shipment_confirmation(too_much, remaining, NOW)
    rest = build(shipment([carton(2, line(qty=12)), carton(3, line(qty=12))],
                          identifier="ASN-2"), remaining)
    assert rest["shippedItems"][0]["shippedQuantity"]["amount"] == 2
    assert problems(shipment([carton(4, line(qty=12))], identifier="ASN-3"),
                    {**ACKED, (PO1, "1"): 0}) != []


def test_lots_and_expiry():
    lot_a = {"lot": "L-A", "expiry": datetime.date(2027, 6, 30),
             "manufactured": datetime.date(2026, 6, 30)}
    ship = shipment([carton(1, line(qty=12, **lot_a)), carton(2, line(qty=12, lot="L-B"))])
    sc = build(ship)
    assert [i["itemDetails"] for i in sc["shippedItems"]] == [
        {"purchaseOrderNumber": PO1, "lotNumber": "L-A", "expiry": {
            "manufacturerDate": "2026-06-30T00:00:00Z", "expiryDate": "2027-06-30T00:00:00Z"}},
        {"purchaseOrderNumber": PO1, "lotNumber": "L-B"}]
    assert [c["items"][0]["itemReference"] for c in sc["cartons"]] == ["001", "002"]


def test_lots_known_only_per_carton():
    # One total line for the PO item, lots on the cartons: the lot goes on the container item.
    ship = shipment([carton(1, line(qty=12, lot="L-A"), line(qty=12, lot="L-B"))],
                    lines=[line(qty=24)])
    sc = build(ship)
    assert sc["shippedItems"][0]["itemDetails"] == {"purchaseOrderNumber": PO1}
    assert sc["cartons"][0]["items"] == [
        {"itemReference": "001", "shippedQuantity": {
            "amount": 1, "unitOfMeasure": "Cases", "unitSize": 12},
         "itemDetails": {"lotNumber": lot}} for lot in ("L-A", "L-B")]


def test_unpacked_shipment_has_no_structure():
    ship = shipment(lines=[line(qty=24)])
    assert structure(ship) is None
    sc = build(ship)
    assert "shipmentStructure" not in sc and "cartons" not in sc
    assert "shipmentMeasurements" not in sc


def test_replace_and_timezones():
    cet = datetime.timezone(datetime.timedelta(hours=1))
    ship = shipment([carton(1, line(qty=12))], transaction_type="Replace",
                    shipped_at=datetime.datetime(2026, 11, 20, 10, 30, tzinfo=cet),
                    estimated_delivery=None)
    sc = build(ship)
    assert sc["shipmentConfirmationType"] == "Replace"
    assert sc["shippedDate"] == "2026-11-20T09:30:00Z"
    assert "estimatedDeliveryDate" not in sc


def test_output_is_deterministic():
    ship = shipment([carton(1, line(qty=12)), carton(2, line(PO2, "1", qty=5))])
    one = json.dumps(build_shipment_confirmation(ship, ACKED, NOW), sort_keys=True)
    assert one == json.dumps(build_shipment_confirmation(ship, ACKED, NOW), sort_keys=True)


# -- blocking checks ------------------------------------------------------------------------
def test_a_direct_import_says_its_voyage_and_others_do_not():
    """importDetails: "Provide these fields only if this shipment is a direct import"."""
    packed = [carton(1, line(qty=24))]
    assert "importDetails" not in build(shipment(packed))
    voyage = ImportDetails(method_of_payment="PaidByBuyer", containers=" 40HC MSCU1234565 ",
                           seal_number="SEAL778899", handling="Fragile")
    sc = build(shipment(packed, import_details=voyage, transportation_mode="Ocean"))
    assert sc["importDetails"] == {"methodOfPayment": "PaidByBuyer",
                                   "sealNumber": "SEAL778899",
                                   "importContainers": "40HC MSCU1234565",
                                   "handlingInstructions": "Fragile"}
    assert sc["transportationDetails"]["transportationMode"] == "Ocean"
    # a direct import whose delivery names nothing of its voyage: no empty object
    assert "importDetails" not in build(shipment(packed, import_details=ImportDetails()))
    wrong = ImportDetails(method_of_payment="Cash", containers="4" * 65, handling="Heavy")
    assert problems(shipment(packed, import_details=wrong)) == [
        "Method of payment 'Cash' is not one Amazon knows (PaidByBuyer, CollectOnDelivery, "
        "DefinedByBuyerAndSeller, FOBPortOfCall, PrepaidBySeller, PaidBySeller)",
        "Handling instruction 'Heavy' is not one Amazon knows (Oversized, Fragile, Food, "
        "HandleWithCare)",
        f"The containers ({'4' * 65!r}) take more than 64 characters: Amazon takes at most "
        "that"]


def test_shipped_lines_must_equal_what_was_packed():
    ship = shipment([carton(1, line(qty=12))], lines=[line(qty=24)])
    assert problems(ship) == [f"PO {PO1} item 1: 24 units shipped but the cartons and "
                              "pallets hold 12"]
    stray = shipment([carton(1, line(qty=12), line(seq="2", qty=1))], lines=[line(qty=12)])
    assert problems(stray) == [
        f"carton {sscc(1)}: PO {PO1} item 2 is not among the shipped lines (or matches several "
        "of them)"]


def test_unacknowledged_po_and_item():
    ship = shipment([carton(1, line(qty=12), line(seq="2", qty=2))])
    assert problems(ship, {}) == [f"PO {PO1} was not acknowledged: Amazon refuses an ASN for it"]
    assert problems(ship, {(PO1, "1"): 12}) == [
        f"PO {PO1} item 2 was not acknowledged: Amazon refuses an ASN for it"]


def test_sscc_must_be_valid_and_unique():
    bad = sscc(1)[:-1] + str((int(sscc(1)[-1]) + 1) % 10)
    ship = shipment([Carton(bad, (line(qty=12),)), carton(2, line(qty=12)),
                     carton(2, line(qty=12))])
    assert problems(ship) == [
        f"carton SSCC '{bad}' is not 18 digits with a valid GS1 check digit",
        f"SSCC {sscc(2)} is used on two containers"]
    pallet = Pallet("123", (carton(3, line(qty=12)),))
    assert problems(shipment(pallets=[pallet])) == [
        "pallet SSCC '123' is not 18 digits with a valid GS1 check digit"]


def test_freight_needs_scac_and_bill_of_lading():
    for kind in ("TruckLoad", "LessThanTruckLoad"):
        ship = shipment([carton(1, line(qty=12))], shipment_type=kind, carrier_scac="",
                        bill_of_lading="1")
        assert problems(ship) == [
            f"The carrier's SCAC is required for {kind} shipments to US",
            f"The bill of lading number is required for {kind} shipments (and cannot be a "
            "single character)"]
    eu = dataclasses.replace(TO, party_id="LEJ1", country_code="DE")
    ship = shipment([carton(1, line(qty=12))], ship_to=eu, carrier_scac="", pro_number="")
    assert problems(ship) == ["The carrier's SCAC is required for LessThanTruckLoad shipments"]
    assert problems(shipment([carton(1, line(qty=12))], carrier_scac="abf1")) == [
        "SCAC 'abf1' is not a two to four capital letter carrier code"]


def test_us_and_indian_shipments_need_the_pro_number():
    assert problems(shipment([carton(1, line(qty=12))], pro_number="")) == [
        "The carrier's PRO (shipment reference) number is required for shipments to US"]
    # Amazon's use case guide adds India (the simulator refuses it too)
    india = dataclasses.replace(TO, party_id="BOM7", country_code="IN")
    assert problems(shipment([carton(1, line(qty=12))], ship_to=india, pro_number="")) == [
        "The carrier's PRO (shipment reference) number is required for shipments to IN"]


def test_small_parcel_needs_a_tracking_number_per_carton():
    boxes = [carton(1, line(qty=12)), carton(2, line(qty=12))]
    parcel = {"shipment_type": "SmallParcel", "carrier_scac": "UPSN", "pro_number": "",
              "bill_of_lading": ""}
    assert problems(shipment(boxes, **parcel)) == [
        "Every carton of a small parcel shipment needs a tracking number (0 of 2 have one)",
        "The carrier's PRO (shipment reference) number is required for shipments to US"]
    # One per carton, in order; the first doubles as the carrier's reference.
    sc = build(shipment(boxes, tracking_numbers=("1Z001", "1Z002"), **parcel))
    assert [c["trackingNumber"] for c in sc["cartons"]] == ["1Z001", "1Z002"]
    assert sc["transportationDetails"] == {
        "carrierScac": "UPSN", "carrierShipmentReferenceNumber": "1Z001",
        "transportationMode": "Road"}
    own = [carton(1, line(qty=12), tracking_number="1Z111"),
           carton(2, line(qty=12), tracking_number="1Z222")]
    assert [c["trackingNumber"] for c in build(shipment(own, **parcel))["cartons"]] == [
        "1Z111", "1Z222"]
    assert "2 have one" in problems(shipment(boxes, tracking_numbers=("1", "2", "3"),
                                             **parcel))[0]
    unpacked = shipment(lines=[line(qty=12)], **parcel)
    assert problems(unpacked)[0] == "A small parcel shipment needs its tracking number"


def test_shipped_date_not_in_the_future():
    ship = shipment([carton(1, line(qty=12))], shipped_at=NOW + datetime.timedelta(minutes=5))
    assert problems(ship) == ["The shipped date 2026-11-20T10:05:00Z is in the future"]
    late = shipment([carton(1, line(qty=12))],
                    estimated_delivery=NOW - datetime.timedelta(days=1))
    assert problems(late) == ["The estimated delivery is before the shipped date"]


def test_at_least_one_line():
    assert problems(shipment(lines=[])) == ["The shipment has no lines: nothing to confirm"]


def test_quantities_positive():
    assert problems(shipment(lines=[line(seq="2", qty=0)])) == [
        f"PO {PO1} item 2: the quantity must be a positive whole number of units, not 0"]
    ship = shipment([carton(1, line(seq="2", qty=5), line(seq="2", qty=-1, lot="X"))],
                    lines=[line(seq="2", qty=4)])
    assert f"carton {sscc(1)}: PO {PO1} item 2: the quantity must be a positive whole number " \
           "of units, not -1" in problems(ship)


def test_cases_must_be_whole_cases():
    assert problems(shipment(lines=[line(qty=18)])) == [
        f"PO {PO1} item 1: 18 units is not a whole number of cases of 12"]
    # The total is whole cases, but a carton cannot hold half a case.
    ship = shipment([carton(1, line(qty=6)), carton(2, line(qty=18))], lines=[line(qty=24)])
    assert problems(ship) == [
        f"carton {sscc(1)}: PO {PO1} item 1: 6 units is not a whole number of cases of 12",
        f"carton {sscc(2)}: PO {PO1} item 1: 18 units is not a whole number of cases of 12"]


def test_empty_containers_and_missing_parties():
    ship = shipment([carton(1, line(qty=12)), Carton(sscc(2))],
                    [Pallet(sscc(3))], selling_party_id="")
    assert problems(ship) == ["The selling party code is missing", f"carton {sscc(2)} is empty",
                              f"pallet {sscc(3)} is empty"]


def test_builder_refuses_with_every_problem():
    ship = shipment([carton(1, line(qty=12))], carrier_scac="", identifier="")
    with pytest.raises(ShipmentError) as info:
        build_shipment_confirmation(ship, ACKED, NOW)
    assert info.value.problems == ["The shipment needs an identifier",
                                   "The carrier's SCAC is required for LessThanTruckLoad "
                                   "shipments to US"]
    assert isinstance(info.value, ValueError)


def test_builder_reports_amazon_schema_errors():
    pallet = Pallet(sscc(100), (carton(1, line(qty=12)),), tiers="2")
    with pytest.raises(ShipmentError, match=r"pallets\[0\]\.tier: expected an integer"):
        build_shipment_confirmation(shipment(pallets=[pallet]), ACKED, NOW)


DE = Party("DTM2", name="Amazon EU SARL", street="Kaltbandstrasse 4", city="Dortmund",
           zip="44145", country_code="DE")


def test_europe_needs_a_bill_of_lading_even_for_small_parcels():
    parcel = shipment([carton(1, line(qty=12), tracking_number="JJD0001")],
                      shipment_type="SmallParcel", ship_to=DE, bill_of_lading="",
                      pro_number="", carrier_scac="")
    sc = build(parcel)
    assert sc["transportationDetails"]["billOfLadingNumber"] == "JJD0001", \
        "a parcel's consignment number serves as its bill of lading"
    freight = shipment([carton(1, line(qty=12))], ship_to=DE, bill_of_lading="",
                       shipment_type="LessThanTruckLoad")
    assert any("bill of lading number is required" in p for p in problems(freight))
    untracked = dataclasses.replace(parcel, loose_cartons=(carton(1, line(qty=12)),),
                                    tracking_numbers=())
    assert any("shipments to DE" in p for p in problems(untracked))


@pytest.mark.parametrize("bill", ["2026-11-30", "30/11/2026", "30.11.26", "20261130", "10:30"])
def test_a_bill_of_lading_that_looks_like_a_date_is_refused(bill):
    assert any("looks like a date" in p for p in problems(shipment(
        [carton(1, line(qty=12))], bill_of_lading=bill)))
    assert not any("looks like a date" in p for p in problems(shipment(
        [carton(1, line(qty=12))], bill_of_lading="BOL-2026-11")))
