"""Pure mapping: Amazon purchase orders in, acknowledgements out (no database)."""
import datetime
from decimal import Decimal

import pytest

from odoo.addons.acorn_amazon_vendor.lib import amazon_schema
from odoo.addons.acorn_amazon_vendor.lib.mapping.acknowledgement import (
    AcknowledgementError,
    ItemDecision,
    Part,
    build_acknowledgement,
    confirmation_rate,
)
from odoo.addons.acorn_amazon_vendor.lib.mapping.purchase_order import (
    PurchaseOrderError,
    compare_items,
    parse_purchase_order,
)

NOW = datetime.datetime(2026, 11, 20, 10, 0, 0)


def order(**overrides):
    raw = {
        "purchaseOrderNumber": "2JK3S9VC",
        "purchaseOrderState": "New",
        "orderDetails": {
            "purchaseOrderDate": "2026-11-19T08:30:00Z",
            "purchaseOrderStateChangedDate": "2026-11-19T08:30:00Z",
            "purchaseOrderType": "RegularOrder",
            "paymentMethod": "Invoice",
            "importDetails": {"internationalCommercialTerms": "FreeOnBoard"},
            "sellingParty": {"partyId": "ACRN1"},
            "shipToParty": {"partyId": "ABE2", "address": {
                "name": "Amazon.com Services", "addressLine1": "705 Boulder Dr",
                "addressLine2": "Dock 4", "city": "Breinigsville", "stateOrRegion": "PA",
                "postalCode": "18031", "countryCode": "US"}},
            "shipWindow": "2026-11-22T07:00:00Z--2026-11-25T07:00:00Z",
            "items": [
                {"itemSequenceNumber": "1", "amazonProductIdentifier": "B0ACORN001",
                 "vendorProductIdentifier": "ACN-1", "isBackOrderAllowed": True,
                 "orderedQuantity": {"amount": 3, "unitOfMeasure": "Cases", "unitSize": 12},
                 "netCost": {"currencyCode": "USD", "amount": "4.10"},
                 "listPrice": {"currencyCode": "USD", "amount": "9.99"}},
                {"itemSequenceNumber": "2", "amazonProductIdentifier": "B0ACORN002",
                 "vendorProductIdentifier": "ACN-2", "isBackOrderAllowed": False,
                 "orderedQuantity": {"amount": 7, "unitOfMeasure": "Eaches", "unitSize": 1},
                 "netCost": {"currencyCode": "USD", "amount": "12.00"}},
            ],
        },
    }
    raw["orderDetails"].update(overrides)
    return raw


def test_purchase_order_is_read_exactly():
    po = parse_purchase_order(order())
    assert po.number == "2JK3S9VC"
    assert po.order_date == datetime.datetime(2026, 11, 19, 8, 30)
    assert po.ship_window == (datetime.datetime(2026, 11, 22, 7),
                              datetime.datetime(2026, 11, 25, 7))
    assert po.window == po.ship_window and po.delivery_window is None
    assert po.incoterms == "FreeOnBoard" and po.currency == "USD"
    assert po.ship_to.party_id == "ABE2" and po.ship_to.street2 == "Dock 4"
    cases, eaches = po.items
    assert (cases.quantity_eaches, cases.unit_of_measure, cases.unit_size) == (36, "Cases", 12)
    assert cases.net_cost == Decimal("4.10") and cases.list_price == Decimal("9.99")
    assert eaches.quantity_eaches == 7 and not eaches.backorder_allowed


def test_units_are_read_whatever_their_case_and_dat_is_dpu():
    """Amazon's own sandbox order (vendorOrders model, PO 3TRD2IAB) writes "CASES"."""
    raw = order(importDetails={"internationalCommercialTerms": "DeliveredAtTerminal"})
    raw["orderDetails"]["items"][0]["orderedQuantity"]["unitOfMeasure"] = "CASES"
    raw["orderDetails"]["items"][1]["orderedQuantity"]["unitOfMeasure"] = "eaches"
    po = parse_purchase_order(raw)
    assert [(i.unit_of_measure, i.quantity_eaches) for i in po.items] == [
        ("Cases", 36), ("Eaches", 7)]
    raw["orderDetails"]["items"][1]["orderedQuantity"]["unitOfMeasure"] = "Pallets"
    with pytest.raises(PurchaseOrderError, match="unknown unitOfMeasure 'Pallets'"):
        parse_purchase_order(raw)
    # Incoterms 2020 replaced DAT with DPU, and Odoo 18 knows only DPU
    from odoo.addons.acorn_amazon_vendor.lib.mapping.purchase_order import INCOTERMS
    assert INCOTERMS["DeliveredAtTerminal"] == "DPU"


@pytest.mark.parametrize("change,message", [
    ({"shipWindow": "2026-11-22T07:00:00Z"}, "start--end"),
    ({"purchaseOrderDate": "yesterday"}, "ISO 8601"),
    ({"shipToParty": None}, "shipToParty"),
])
def test_bad_purchase_orders_are_refused_in_plain_words(change, message):
    with pytest.raises(PurchaseOrderError, match=message):
        parse_purchase_order(order(**change))


def test_changes_between_versions():
    old = parse_purchase_order(order()).items
    raw = order()
    raw["orderDetails"]["items"][1]["orderedQuantity"]["amount"] = 0
    new = parse_purchase_order(raw).items
    assert compare_items(old, new) == [("2", "quantity_eaches", 7, 0)]
    assert new[1].cancelled


def decisions(po, first, second):
    return [ItemDecision(po.items[0], tuple(first)), ItemDecision(po.items[1], tuple(second))]


def test_acknowledgement_in_the_orders_units_and_valid_for_amazon():
    po = parse_purchase_order(order())
    ship = datetime.datetime(2026, 12, 1, 7)
    body = build_acknowledgement(po, decisions(
        po, [Part("Accepted", 24), Part("Backordered", 12, scheduled_ship=ship,
                                        scheduled_delivery=ship + datetime.timedelta(days=3))],
        [Part("Rejected", 7, rejection_reason="ObsoleteProduct")]), NOW)
    assert not amazon_schema.validate("vendor_orders_v1", "SubmitAcknowledgementRequest", body)
    ack = body["acknowledgements"][0]
    assert ack["acknowledgementDate"] == "2026-11-20T10:00:00Z"
    assert ack["sellingParty"] == {"partyId": "ACRN1"}
    first, second = ack["items"]
    assert first["itemAcknowledgements"][0]["acknowledgedQuantity"] == {
        "amount": 2, "unitOfMeasure": "Cases", "unitSize": 12}
    assert first["itemAcknowledgements"][1]["scheduledShipDate"] == "2026-12-01T07:00:00Z"
    assert first["netCost"] == {"currencyCode": "USD", "amount": "4.10"}
    assert second["itemAcknowledgements"] == [{
        "acknowledgementCode": "Rejected", "rejectionReason": "ObsoleteProduct",
        "acknowledgedQuantity": {"amount": 7, "unitOfMeasure": "Eaches", "unitSize": 1}}]


def test_a_cost_per_weight_unit_is_read_and_confirmed_as_such():
    """Money.unitOfMeasure: "If this field is absent, the item is sold by eaches"."""
    raw = order()
    raw["orderDetails"]["items"][1]["netCost"]["unitOfMeasure"] = "POUNDS"
    po = parse_purchase_order(raw)
    assert [i.cost_unit for i in po.items] == ["", "POUNDS"]
    body = build_acknowledgement(po, decisions(po, [Part("Accepted", 36)],
                                               [Part("Accepted", 7)]), NOW)
    assert not amazon_schema.validate("vendor_orders_v1", "SubmitAcknowledgementRequest", body)
    first, second = body["acknowledgements"][0]["items"]
    assert "unitOfMeasure" not in first["netCost"]
    assert second["netCost"] == {"currencyCode": "USD", "amount": "12.00",
                                 "unitOfMeasure": "POUNDS"}
    raw["orderDetails"]["items"][1]["netCost"]["unitOfMeasure"] = "STONES"
    with pytest.raises(PurchaseOrderError, match="unknown unitOfMeasure 'STONES'"):
        parse_purchase_order(raw)


def test_a_partys_tax_number_is_read():
    raw = order(billToParty={"partyId": "AMZN-EU", "taxInfo": {
        "taxRegistrationType": "VAT", "taxRegistrationNumber": "LU20260743"}})
    po = parse_purchase_order(raw)
    assert (po.bill_to.tax_registration, po.bill_to.tax_registration_type) == (
        "LU20260743", "VAT")
    assert po.ship_to.tax_registration == ""


def test_acknowledgement_names_a_selling_party_even_when_the_order_does_not():
    """sellingParty is optional on Amazon's order, required on the acknowledgement."""
    raw = order()
    del raw["orderDetails"]["sellingParty"]
    po = parse_purchase_order(raw)
    parts = decisions(po, [Part("Accepted", 36)], [Part("Accepted", 7)])
    with pytest.raises(AcknowledgementError, match="names no selling party"):
        build_acknowledgement(po, parts, NOW)
    body = build_acknowledgement(po, parts, NOW, selling_party_id="ACRN2")
    assert body["acknowledgements"][0]["sellingParty"] == {"partyId": "ACRN2"}


@pytest.mark.parametrize("first,second,message", [
    ([Part("Accepted", 30)], [Part("Accepted", 7)], "= 30, but Amazon ordered 36"),
    ([Part("Accepted", 36)], [Part("Backordered", 7, scheduled_ship=NOW,
                                   scheduled_delivery=NOW)], "does not allow a backorder"),
    ([Part("Backordered", 36)], [Part("Accepted", 7)], "scheduled ship and delivery"),
    ([Part("Accepted", 36)], [Part("Rejected", 7)], "needs a reason"),
    ([Part("Accepted", 30), Part("Rejected", 6, rejection_reason="ObsoleteProduct")],
     [Part("Accepted", 7)], "whole number of cases"),
])
def test_amazons_rules_are_checked_before_sending(first, second, message):
    po = parse_purchase_order(order())
    with pytest.raises(AcknowledgementError, match=message):
        build_acknowledgement(po, decisions(po, first, second), NOW)


def test_confirmation_rate_counts_units():
    po = parse_purchase_order(order())
    rate = confirmation_rate(decisions(po, [Part("Accepted", 36)],
                                       [Part("Rejected", 7, rejection_reason="ObsoleteProduct")]))
    assert rate == pytest.approx(36 / 43)
