"""Golden payloads: one reviewable JSON file per outbound document type, built by the payload
builders of lib/mapping from fixed inputs and compared exactly (in the spirit of Odoo's
account_edi_ubl_cii/tests/test_files).

A change in a builder shows up as a diff of tests/mapping/golden/*.json. When the change is
intended, regenerate the files and review the diff before committing it:

    ACORN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/mapping/test_golden_payloads.py
    git diff tests/mapping/golden/

The run that rewrites the files fails on purpose ("golden files rewritten: review the diff");
the next plain run passes. Every golden document is also sent to the simulator through the
real transport and must settle without errors, so the files stay valid for Amazon's rules.
"""
import datetime
import json
import os
import pathlib
from decimal import Decimal

import pytest

from odoo.addons.acorn_amazon_vendor.lib.mapping.acknowledgement import (
    ItemDecision,
    Part,
    build_acknowledgement,
)
from odoo.addons.acorn_amazon_vendor.lib.mapping.invoice import (
    Charge,
    Invoice,
    InvoiceLine,
    Tax,
    build_invoice,
)
from odoo.addons.acorn_amazon_vendor.lib.mapping.invoice import Party as InvoiceParty
from odoo.addons.acorn_amazon_vendor.lib.mapping.purchase_order import parse_purchase_order
from odoo.addons.acorn_amazon_vendor.lib.mapping.shipment import (
    Carton,
    Pallet,
    Party,
    Shipment,
    ShippedLine,
    build_shipment_confirmation,
)
from odoo.addons.acorn_amazon_vendor.lib.mapping.sscc import make_sscc
from odoo.addons.acorn_amazon_vendor.lib.mapping.transport_request import (
    build_transport_request,
)
from odoo.addons.acorn_amazon_vendor.lib.transport import iso

from ..simulator.conftest import NOW, running_simulator

GOLDEN = pathlib.Path(__file__).parent / "golden"
UPDATE = os.environ.get("ACORN_UPDATE_GOLDEN") == "1"
D = Decimal
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
ORDERED_AT = NOW - 2 * DAY

# -- fixed inputs ----------------------------------------------------------------------------
PO_US, PO_COLLECT, PO_EU = "4GOLDUS1", "4GOLDUS2", "4GOLDEU1"
ABE2 = {"name": "Amazon.com Services LLC", "addressLine1": "705 Boulder Drive",
        "city": "Breinigsville", "stateOrRegion": "PA", "postalCode": "18031",
        "countryCode": "US"}
LEJ1 = {"name": "Amazon Fulfillment Germany GmbH", "addressLine1": "Amazonstrasse 1",
        "city": "Leipzig", "stateOrRegion": "Sachsen", "postalCode": "04347",
        "countryCode": "DE"}
US_BILL_TO = {"partyId": "AMZN-US", "address": {
    "name": "Amazon.com Services LLC", "addressLine1": "PO Box 80463", "city": "Seattle",
    "stateOrRegion": "WA", "postalCode": "98108-0463", "countryCode": "US"}}
EU_BILL_TO = {"partyId": "AMZN-EU", "address": {
    "name": "Amazon EU S.a r.l.", "addressLine1": "38 avenue John F. Kennedy",
    "city": "Luxembourg", "postalCode": "L-1855", "countryCode": "LU"}}
# (asin, vendor sku, unit, unit size, amount in that unit, net cost, list price, currency)
PRODUCTS = {
    "G1": ("B0GOLD0001", "ACN-G1", "Cases", 6, 4, "4.125", "8.99", "USD"),
    "G2": ("B0GOLD0002", "ACN-G2", "Eaches", 1, 10, "12.50", "24.99", "USD"),
    "G3": ("B0GOLD0003", "ACN-G3", "Eaches", 1, 12, "7.30", "14.99", "EUR"),
}
WAREHOUSE = Party("WH01", name="Acorn DC", street="1 Warehouse Way", city="Edison",
                  state_code="NJ", zip="08817", country_code="US")
WAREHOUSE_EU = Party("WHDE", name="Acorn Europe GmbH", street="Hafenstrasse 12",
                     city="Hamburg", zip="20457", country_code="DE")


def order_json(number, vendor_code, ship_to, address, bill_to, products, window_key):
    """Amazon's Order JSON of a fixed purchase order (as getPurchaseOrder returns it)."""
    items = []
    for seq, key in enumerate(products, start=1):
        asin, sku, unit, size, amount, cost, price, currency = PRODUCTS[key]
        items.append({
            "itemSequenceNumber": str(seq), "amazonProductIdentifier": asin,
            "vendorProductIdentifier": sku,
            "orderedQuantity": {"amount": amount, "unitOfMeasure": unit, "unitSize": size},
            "isBackOrderAllowed": False,
            "netCost": {"currencyCode": currency, "amount": cost},
            "listPrice": {"currencyCode": currency, "amount": price}})
    return {"purchaseOrderNumber": number, "purchaseOrderState": "New", "orderDetails": {
        "purchaseOrderDate": iso(ORDERED_AT), "purchaseOrderStateChangedDate": iso(ORDERED_AT),
        "purchaseOrderType": "RegularOrder", "paymentMethod": "Invoice",
        "buyingParty": {"partyId": ship_to}, "sellingParty": {"partyId": vendor_code},
        "shipToParty": {"partyId": ship_to, "address": address}, "billToParty": bill_to,
        # A delivery window makes a Prepaid PO, a ship window a Collect one.
        window_key: f"{iso(NOW + 2 * DAY)}--{iso(NOW + 6 * DAY)}",
        "items": items}}


ORDERS = [
    order_json(PO_US, "ACRN1", "ABE2", ABE2, US_BILL_TO, ("G1", "G2"), "deliveryWindow"),
    order_json(PO_COLLECT, "ACRN1", "ABE2", ABE2, US_BILL_TO, ("G2",), "shipWindow"),
    order_json(PO_EU, "ACRNE", "LEJ1", LEJ1, EU_BILL_TO, ("G3",), "deliveryWindow"),
]


def party(party_id, address):
    return Party(party_id, name=address["name"], street=address["addressLine1"],
                 city=address["city"], state_code=address.get("stateOrRegion", ""),
                 zip=address["postalCode"], country_code=address["countryCode"])


def line(po, seq, key, eaches):
    asin, sku, unit, size, *_ = PRODUCTS[key]
    return ShippedLine(po, seq, asin, sku, eaches, unit, size)


def carton(serial, *lines, weight="7.5", tracking=""):
    return Carton(make_sscc("0614141", 0, serial), tuple(lines), D(weight), D("40"), D("30"),
                  D("30"), tracking_number=tracking)


def shipment(ident, kind, ship_to, lines, *, cartons=(), pallets=(), ship_from=WAREHOUSE,
             selling_party="ACRN1", **values):
    return Shipment(
        identifier=ident, transaction_type="Original", shipment_type=kind, ship_from=ship_from,
        ship_to=ship_to, selling_party_id=selling_party, shipped_at=NOW - 5 * HOUR,
        estimated_delivery=NOW + 3 * DAY, loose_cartons=tuple(cartons), pallets=tuple(pallets),
        shipped_lines=tuple(lines), **values)


REMIT_US = InvoiceParty("ACRN1", "Acorn Trading Co. Ltd", "88 Keji Road", city="Shenzhen",
                        zip="518057", country_code="CN")
REMIT_EU = InvoiceParty("ACRNE", "Acorn Europe GmbH", "Hafenstrasse 12", city="Hamburg",
                        zip="20457", country_code="DE", tax_registration="DE123456789")


# -- the documents ---------------------------------------------------------------------------
def acknowledgement():
    """PO_US: item 1 (cases of 6 at 4.125 a unit) accepted, item 2 8 accepted 2 rejected."""
    order = parse_purchase_order(ORDERS[0])
    first, second = order.items
    decisions = (
        ItemDecision(first, (Part("Accepted", first.quantity_eaches),)),
        ItemDecision(second, (Part("Accepted", 8),
                              Part("Rejected", 2, rejection_reason="TemporarilyUnavailable"))))
    return build_acknowledgement(order, decisions, NOW - 6 * HOUR)


def shipment_confirmation_cartons():
    """PO_US, first delivery by small parcel: two cases of item 1, eight units of item 2."""
    cartons = (carton(1, line(PO_US, "1", "G1", 6), tracking="1Z999AA10000000001"),
               carton(2, line(PO_US, "1", "G1", 6), tracking="1Z999AA10000000002"),
               carton(3, line(PO_US, "2", "G2", 8), weight="4.25",
                      tracking="1Z999AA10000000003"))
    ship = shipment("GOLD-ASN-1", "SmallParcel", party("ABE2", ABE2),
                    (line(PO_US, "1", "G1", 12), line(PO_US, "2", "G2", 8)), cartons=cartons,
                    carrier_scac="UPSN")
    return build_shipment_confirmation(ship, {(PO_US, "1"): 24, (PO_US, "2"): 8},
                                       NOW - 4 * HOUR)


def shipment_confirmation_pallets():
    """PO_US, the rest of item 1 by truck: two cartons of one case on one pallet."""
    pallet = Pallet(make_sscc("0614141", 0, 10),
                    (carton(11, line(PO_US, "1", "G1", 6)), carton(12, line(PO_US, "1", "G1", 6))),
                    D("32.5"), D("120"), D("80"), D("95"), tiers=1, blocks=2)
    ship = shipment("GOLD-ASN-2", "LessThanTruckLoad", party("ABE2", ABE2),
                    (line(PO_US, "1", "G1", 12),), pallets=(pallet,), carrier_scac="ABFS",
                    pro_number="PRO7788990", bill_of_lading="ACRN1-BOL-000123")
    return build_shipment_confirmation(ship, {(PO_US, "1"): 12, (PO_US, "2"): 0},
                                       NOW - 4 * HOUR)


def transport_request():
    """PO_COLLECT (Collect): a routing request for six units in one carton."""
    ship = shipment("GOLD-ROUTE-1", "SmallParcel", party("ABE2", ABE2),
                    (line(PO_COLLECT, "1", "G2", 6),),
                    cartons=(carton(21, line(PO_COLLECT, "1", "G2", 6), weight="3.8"),))
    return build_transport_request(ship, {PO_COLLECT: ORDERED_AT}, NOW + DAY, NOW - 3 * HOUR)


def invoice():
    """PO_US, everything shipped: 4 cases of 6 at 4.125, 8 units at 12.50, freight."""
    lines = (InvoiceLine(1, PO_US, "B0GOLD0001", "ACN-G1", 4, "Cases", 6, D("4.125"),
                         po_item_sequence="1"),
             InvoiceLine(2, PO_US, "B0GOLD0002", "ACN-G2", 8, "Eaches", 1, D("12.50"),
                         po_item_sequence="2"))
    doc = Invoice("GOLD-INV-1", "Invoice", NOW - 2 * HOUR, "USD", remit_to=REMIT_US,
                  bill_to=InvoiceParty("AMZN-US"), lines=lines,
                  payment_terms={"type": "Basic", "net_due_days": 60},
                  charges=(Charge("Freight", D("15.00"), "Small parcel freight"),),
                  po_dates={PO_US: ORDERED_AT})
    return build_invoice(doc, NOW - HOUR)


def eu_invoice():
    """PO_EU, twelve units at 7.30 with 19 % VAT (not golden: what the credit note credits)."""
    net = D("7.30") * 12
    doc = Invoice("GOLD-INV-EU1", "Invoice", NOW - 2 * HOUR, "EUR", remit_to=REMIT_EU,
                  bill_to=InvoiceParty("AMZN-EU"),
                  lines=(InvoiceLine(1, PO_EU, "B0GOLD0003", "ACN-G3", 12, "Eaches", 1,
                                     D("7.30"), po_item_sequence="1"),),
                  taxes=(Tax.compute("VAT", D(19), net, "EUR"),), po_dates={PO_EU: ORDERED_AT})
    return build_invoice(doc, NOW - HOUR)


def credit_note():
    """An AP credit note on GOLD-INV-EU1: two units of PO_EU credited, with their VAT."""
    net = D("7.30") * 2
    doc = Invoice("GOLD-CN-1", "CreditNote", NOW - HOUR, "EUR", remit_to=REMIT_EU,
                  bill_to=InvoiceParty("AMZN-EU"),
                  lines=(InvoiceLine(1, PO_EU, "B0GOLD0003", "ACN-G3", 2, "Eaches", 1,
                                     D("7.30"), po_item_sequence="1"),),
                  taxes=(Tax.compute("VAT", D(19), net, "EUR"),),
                  reference_invoice_number="GOLD-INV-EU1", po_dates={PO_EU: ORDERED_AT})
    return build_invoice(doc, NOW - HOUR)


GOLDEN_DOCUMENTS = {
    "acknowledgement": acknowledgement,
    "shipment_confirmation_cartons": shipment_confirmation_cartons,
    "shipment_confirmation_pallets": shipment_confirmation_pallets,
    "transport_request": transport_request,
    "invoice": invoice,
    "credit_note": credit_note,
}


def dumps(body):
    return json.dumps(body, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# -- the files -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(GOLDEN_DOCUMENTS))
def test_golden_payload(name):
    path = GOLDEN / f"{name}.json"
    text = dumps(GOLDEN_DOCUMENTS[name]())
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        path.write_text(text, encoding="utf-8")
        pytest.fail(f"golden files rewritten: review the diff ({path.name} "
                    f"{'changed' if changed else 'unchanged'})")
    assert path.exists(), f"{path} is missing: run with ACORN_UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, (f"{name} differs from {path.name}; if the change is intended, "
                              "regenerate with ACORN_UPDATE_GOLDEN=1 and review the diff")


def test_golden_files_pin_amazons_precision():
    """The 3-decimal net cost stays 3 decimals from the PO to the acknowledgement and invoice."""
    ack = json.loads((GOLDEN / "acknowledgement.json").read_text(encoding="utf-8"))
    inv = json.loads((GOLDEN / "invoice.json").read_text(encoding="utf-8"))
    assert ack["acknowledgements"][0]["items"][0]["netCost"] == {"currencyCode": "USD",
                                                                 "amount": "4.125"}
    assert inv["invoices"][0]["items"][0]["netCost"] == {"currencyCode": "USD",
                                                         "amount": "4.125"}
    # 4 cases x 6 x 4.125 + 8 x 12.50 + 15.00 freight
    assert inv["invoices"][0]["invoiceTotal"] == {"currencyCode": "USD", "amount": "214.00"}
    assert sorted(p.name for p in GOLDEN.glob("*.json")) == sorted(
        f"{name}.json" for name in GOLDEN_DOCUMENTS), "a golden file without its document"


# -- the simulator accepts them --------------------------------------------------------------
@pytest.fixture
def sim():
    yield from running_simulator(throttling=False)


def test_golden_documents_settle_without_errors(sim):
    sim.control("reset", {"default_data": False})
    sim.control("purchase-orders", {"orders": ORDERS})
    with sim.api() as api:
        def settled(submit, body, expected="Success"):
            tid = submit(body)
            sim.settle()
            status = api.get_transaction(tid)
            assert status == {"transactionId": tid, "status": expected}, status

        # Amazon never reports Success for an acknowledgement: Processing without errors.
        settled(api.submit_acknowledgement, acknowledgement(), "Processing")
        settled(api.submit_shipment_confirmations, shipment_confirmation_cartons())
        settled(api.submit_shipment_confirmations, shipment_confirmation_pallets())
        settled(api.submit_shipments, transport_request())
        settled(api.submit_invoices, invoice())
        # The credit note's history: acknowledged, shipped, invoiced.
        order = parse_purchase_order(ORDERS[2])
        settled(api.submit_acknowledgement, build_acknowledgement(
            order, [ItemDecision(i, (Part("Accepted", i.quantity_eaches),))
                    for i in order.items], NOW - 6 * HOUR), "Processing")
        eu_lines = (line(PO_EU, "1", "G3", 12),)
        settled(api.submit_shipment_confirmations, build_shipment_confirmation(
            shipment("GOLD-ASN-EU1", "SmallParcel", party("LEJ1", LEJ1), eu_lines,
                     cartons=(carton(31, *eu_lines, tracking="1Z999AA10000000031"),),
                     ship_from=WAREHOUSE_EU, selling_party="ACRNE",
                     bill_of_lading="ACRNE-DN-000456"),
            {(PO_EU, "1"): 12}, NOW - 4 * HOUR))
        settled(api.submit_invoices, eu_invoice())
        settled(api.submit_invoices, credit_note())
    us = sim.state.orders[PO_US]
    assert [(i.shipped, i.received, i.invoiced) for i in us.items] == [(24, 24, 24), (8, 8, 8)]
    assert us.state == "Closed"
