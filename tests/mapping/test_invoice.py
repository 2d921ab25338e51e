"""Pure mapping: neutral invoices and credit notes -> Amazon submitInvoices bodies."""
import dataclasses
import datetime
from decimal import Decimal

import pytest

from odoo.addons.acorn_amazon_vendor.lib import amazon_schema
from odoo.addons.acorn_amazon_vendor.lib.mapping.invoice import (
    Allowance,
    Charge,
    CreditNoteDetails,
    Invoice,
    InvoiceError,
    InvoiceLine,
    Party,
    Tax,
    build_invoice,
    build_invoices,
    check_invoice,
    invoice_total,
)

NOW = datetime.datetime(2026, 11, 25, 10, 0, 0)
PO1, PO2 = "2JK3S9VC", "7HQ2M4XA"
REMIT = Party("ACRN1", "Acorn Trading Co. Ltd", "88 Keji Road", city="Shenzhen", zip="518057",
              country_code="CN")
D = Decimal


def line(seq=1, po=PO1, qty=5, cost="12.00", **kw):
    kw.setdefault("po_item_sequence", str(seq))
    return InvoiceLine(seq, po, f"B0ACORN00{seq}", f"ACN-{seq}", qty, kw.pop("uom", "Eaches"),
                       kw.pop("unit_size", 1), D(cost), **kw)


def invoice(*lines, **kw):
    values = {"number": "INV-1", "invoice_type": "Invoice",
              "date": NOW - datetime.timedelta(days=1), "currency": "USD", "remit_to": REMIT,
              "bill_to": Party("AMZN1"), "lines": lines or (line(),),
              "payment_terms": {"type": "Basic", "net_due_days": 60},
              "po_dates": {PO1: datetime.datetime(2026, 11, 19, 8, 30)}}
    values.update(kw)
    return Invoice(**values)


def item_json(body, index=0):
    return body["invoices"][0]["items"][index]


def valid(body):
    return amazon_schema.validate("vendor_invoices_v1", "SubmitInvoicesRequest", body) == []


# -- bodies ----------------------------------------------------------------------------------
def test_us_invoice_without_tax_follows_the_model():
    body = build_invoice(invoice(line(1, qty=5), line(2, qty=1, cost="4.5")), NOW)
    assert valid(body)
    doc = body["invoices"][0]
    assert doc == {
        "invoiceType": "Invoice", "id": "INV-1", "date": "2026-11-24T10:00:00Z",
        "remitToParty": {"partyId": "ACRN1", "address": {
            "name": "Acorn Trading Co. Ltd", "addressLine1": "88 Keji Road", "city": "Shenzhen",
            "postalOrZipCode": "518057", "countryCode": "CN"}},
        "billToParty": {"partyId": "AMZN1"},
        "paymentTerms": {"type": "Basic", "netDueDays": 60},
        "invoiceTotal": {"currencyCode": "USD", "amount": "64.50"},
        "items": [
            {"itemSequenceNumber": 1, "amazonProductIdentifier": "B0ACORN001",
             "vendorProductIdentifier": "ACN-1",
             "invoicedQuantity": {"amount": 5, "unitOfMeasure": "Eaches", "unitSize": 1},
             "netCost": {"currencyCode": "USD", "amount": "12.00"},
             "purchaseOrderNumber": PO1},
            {"itemSequenceNumber": 2, "amazonProductIdentifier": "B0ACORN002",
             "vendorProductIdentifier": "ACN-2",
             "invoicedQuantity": {"amount": 1, "unitOfMeasure": "Eaches", "unitSize": 1},
             "netCost": {"currencyCode": "USD", "amount": "4.50"},
             "purchaseOrderNumber": PO1}]}
    assert "taxDetails" not in doc and "creditNoteDetails" not in doc["items"][0]


def test_cases_quantity_is_sent_in_cases_and_totalled_in_eaches():
    inv = invoice(line(1, qty=3, cost="4.10", uom="Cases", unit_size=12))
    assert invoice_total(inv) == D("147.60")
    body = build_invoice(inv, NOW)
    assert item_json(body)["invoicedQuantity"] == {"amount": 3, "unitOfMeasure": "Cases",
                                                   "unitSize": 12}
    assert body["invoices"][0]["invoiceTotal"]["amount"] == "147.60"
    assert check_invoice(inv, {(PO1, "1"): D("4.10")}, {(PO1, "1"): 36}) == []
    assert check_invoice(inv, {(PO1, "1"): D("4.10")}, {(PO1, "1"): 35}) == [
        f"{PO1} item 1: 36 units invoiced but only 35 shipped and not yet invoiced"]


def test_eu_vat_rounds_half_up_per_line_and_on_the_total():
    # 0.35 x 19 % = 0.0665: half-up gives 0.07 (banker's rounding would give 0.06).
    vat = [Tax.compute("VAT", 19, D("0.35"), "EUR") for _ in range(3)]
    assert [t.tax_amount for t in vat] == [D("0.07")] * 3
    with pytest.raises(TypeError, match="never float"):
        Tax.compute("VAT", 19, 0.35, "EUR")
    lines = [line(n, cost="0.35", qty=1, taxes=(vat[n - 1],)) for n in (1, 2, 3)]
    total_vat = Tax.compute("VAT", 19, D("1.05"), "EUR")  # 0.1995 -> 0.20, not 3 x 0.07
    assert total_vat.tax_amount == D("0.20")
    inv = invoice(*lines, currency="EUR", taxes=(total_vat,))
    assert invoice_total(inv) == D("1.25")  # invoice-level taxes win over the lines' 0.21
    costs = {(PO1, str(n)): D("0.35") for n in (1, 2, 3)}
    assert check_invoice(inv, costs, dict.fromkeys(costs, 1)) == []
    body = build_invoice(inv, NOW)
    doc = body["invoices"][0]
    assert doc["taxDetails"] == [{"taxType": "VAT", "taxRate": "19",
                                  "taxAmount": {"currencyCode": "EUR", "amount": "0.20"},
                                  "taxableAmount": {"currencyCode": "EUR", "amount": "1.05"}}]
    assert item_json(body)["taxDetails"][0]["taxAmount"] == {"currencyCode": "EUR",
                                                             "amount": "0.07"}
    assert doc["invoiceTotal"] == {"currencyCode": "EUR", "amount": "1.25"}


def test_thirds_sum_exactly_before_rounding():
    # 3 x 0.333 = 0.999 -> 1.00 (rounding each line first would give 0.99).
    inv = invoice(*(line(n, cost="0.333", qty=1) for n in (1, 2, 3)), currency="EUR",
                  taxes=(Tax.compute("VAT", 19, D("0.999"), "EUR"),))
    assert inv.taxes[0].tax_amount == D("0.19")
    assert invoice_total(inv) == D("1.19")
    body = build_invoice(inv, NOW)
    assert item_json(body)["netCost"]["amount"] == "0.333"  # the PO's precision is kept
    assert body["invoices"][0]["taxDetails"][0]["taxableAmount"]["amount"] == "1.00"


def test_several_purchase_orders_on_one_invoice():
    inv = invoice(line(1, PO1, 2, "10.00", po_item_sequence="1"),
                  line(2, PO2, 3, "7.25", po_item_sequence="1"),
                  line(3, PO2, 1, "3.00", po_item_sequence="00002"),
                  po_dates={PO1: NOW - datetime.timedelta(days=9),
                            PO2: NOW - datetime.timedelta(days=5)})
    costs = {(PO1, "1"): D("10"), (PO2, "1"): D("7.25"), (PO2, "2"): D("3.00")}
    shipped = {(PO1, "1"): 2, (PO2, "1"): 5, (PO2, "2"): 1}
    assert check_invoice(inv, costs, shipped, already_invoiced={(PO2, "1"): 2}) == []
    body = build_invoice(inv, NOW)
    assert valid(body)
    assert [i["purchaseOrderNumber"] for i in body["invoices"][0]["items"]] == [PO1, PO2, PO2]
    assert [i["itemSequenceNumber"] for i in body["invoices"][0]["items"]] == [1, 2, 3]
    assert body["invoices"][0]["invoiceTotal"]["amount"] == "44.75"
    # A third unit of PO2 item 1 was already invoiced elsewhere: now too much.
    assert check_invoice(inv, costs, shipped, already_invoiced={(PO2, "1"): 3}) == [
        f"{PO2} item 1: 3 units invoiced but only 2 shipped and not yet invoiced"]


def test_charges_and_allowances_with_their_tax():
    freight_vat = Tax.compute("VAT", 19, D("25.00"), "EUR")
    goods_vat = Tax.compute("VAT", 19, D("55.00"), "EUR")  # 60 - 5 discount
    inv = invoice(line(1, qty=5, cost="12.00"), currency="EUR",
                  charges=(Charge("Freight", D("25.00"), "Pallet freight",
                                  taxes=(freight_vat,)),),
                  allowances=(Allowance("Discount", D("5.00"), "Launch discount"),),
                  taxes=(Tax("VAT", D(19), D("80.00"), freight_vat.tax_amount
                             + goods_vat.tax_amount),))
    assert invoice_total(inv) == D("60") + D("25") - D("5") + D("15.20")
    doc = build_invoice(inv, NOW)["invoices"][0]
    assert doc["chargeDetails"] == [{
        "type": "Freight", "description": "Pallet freight",
        "chargeAmount": {"currencyCode": "EUR", "amount": "25.00"},
        "taxDetails": [{"taxType": "VAT", "taxRate": "19",
                        "taxAmount": {"currencyCode": "EUR", "amount": "4.75"},
                        "taxableAmount": {"currencyCode": "EUR", "amount": "25.00"}}]}]
    assert doc["allowanceDetails"] == [{"type": "Discount", "description": "Launch discount",
                                        "allowanceAmount": {"currencyCode": "EUR",
                                                            "amount": "5.00"}}]
    assert doc["invoiceTotal"]["amount"] == "95.20"
    # The freight's VAT must also appear in the invoice's tax totals, or the total misses it.
    with pytest.raises(InvoiceError, match="tax on charges"):
        build_invoice(dataclasses.replace(inv, taxes=()), NOW)


def test_line_level_charges_are_totalled_when_the_invoice_has_none():
    inv = invoice(line(1, qty=2, cost="10.00", charges=(Charge("Packing", D("1.50")),),
                       allowances=(Allowance("Promotional", D("0.50")),)))
    assert invoice_total(inv) == D("21.00")
    item = item_json(build_invoice(inv, NOW))
    assert item["chargeDetails"][0]["type"] == "Packing"
    assert item["allowanceDetails"][0]["allowanceAmount"]["amount"] == "0.50"
    both = dataclasses.replace(inv, charges=(Charge("Packing", D("2.00")),))
    assert check_invoice(both, {(PO1, "1"): D(10)}, {(PO1, "1"): 2}) == [
        "invoice charge total 2.00 differs from the lines' charges (1.50)"]


def test_credit_note_is_positive_and_references_the_invoice():
    note = invoice(line(1, qty=2, cost="12.00"), number="CN-1", invoice_type="CreditNote",
                   reference_invoice_number="INV-1",
                   credit_note=CreditNoteDetails(rma_id="RMA-9"))
    body = build_invoice(note, NOW)
    assert valid(body)
    doc = body["invoices"][0]
    assert doc["invoiceType"] == "CreditNote" and doc["invoiceTotal"]["amount"] == "24.00"
    item = doc["items"][0]
    assert item["invoicedQuantity"]["amount"] == 2 and item["netCost"]["amount"] == "12.00"
    assert item["creditNoteDetails"] == {"referenceInvoiceNumber": "INV-1", "rmaId": "RMA-9"}
    # The purchase order number is optional on credit notes, and their cost is not the PO's.
    no_po = dataclasses.replace(note, lines=(line(1, po="", qty=2, cost="1.00"),))
    assert check_invoice(no_po, {}, {}) == []
    assert "purchaseOrderNumber" not in item_json(build_invoice(no_po, NOW))
    # Cannot credit more than was invoiced.
    assert check_invoice(note, {}, {}, already_invoiced={(PO1, "1"): 1}) == [
        f"{PO1} item 1: 2 units credited but only 1 were invoiced"]


def test_returns_credit_note_needs_the_return_date():
    returned = CreditNoteDetails(returns_reference_number="RN-77")
    note = invoice(number="CN-2", invoice_type="CreditNote", credit_note=returned)
    with pytest.raises(InvoiceError, match="date the goods came back"):
        build_invoice(note, NOW)
    note = dataclasses.replace(note, credit_note=dataclasses.replace(
        returned, goods_return_date=datetime.datetime(2026, 11, 20)))
    assert item_json(build_invoice(note, NOW))["creditNoteDetails"] == {
        "returnsReferenceNumber": "RN-77", "goodsReturnDate": "2026-11-20T00:00:00Z"}


def test_jpy_has_no_decimals():
    tax = Tax.compute("Consumption", 10, D("1234"), "JPY")
    assert tax.tax_amount == D("123")  # 123.4
    inv = invoice(line(1, qty=1, cost="1234"), currency="JPY", taxes=(tax,))
    assert invoice_total(inv) == D("1357")
    doc = build_invoice(inv, NOW)["invoices"][0]
    assert doc["invoiceTotal"] == {"currencyCode": "JPY", "amount": "1357"}
    assert doc["taxDetails"][0]["taxAmount"]["amount"] == "123"
    assert doc["items"][0]["netCost"]["amount"] == "1234"
    # The precision can be overridden per call (an int or a {currency: digits} map).
    assert invoice_total(invoice(line(qty=1, cost="0.125")), decimals=3) == D("0.125")
    assert invoice_total(invoice(line(qty=1, cost="0.125")), decimals={"USD": 1}) == D("0.1")


def test_everything_optional_is_mapped():
    ship_from = Party("WH01", "Acorn DC", "1 Warehouse Way", "Bay 3", "Edison", "NJ", "08817",
                      "US", tax_registration="US123", phone="+1 555 0100")
    inv = invoice(date=None, ship_from=ship_from, ship_to=Party("ABE2"),
                  reference_number="REG-1", additional_details=(("CartonCount", "4"),
                                                                ("SUR", "Note", "en")),
                  payment_terms={"type": "Basic", "discount_percent": D("2"),
                                 "discount_due_days": 10, "net_due_days": 60})
    body = build_invoice(inv, NOW)
    assert valid(body)
    doc = body["invoices"][0]
    assert doc["date"] == "2026-11-25T10:00:00Z" and doc["referenceNumber"] == "REG-1"
    assert doc["shipFromParty"] == {"partyId": "WH01", "address": {
        "name": "Acorn DC", "addressLine1": "1 Warehouse Way", "addressLine2": "Bay 3",
        "city": "Edison", "stateOrRegion": "NJ", "postalOrZipCode": "08817",
        "countryCode": "US", "phone": "+1 555 0100"}, "taxRegistrationDetails": [
        {"taxRegistrationType": "VAT", "taxRegistrationNumber": "US123"}]}
    assert doc["shipToParty"] == {"partyId": "ABE2"}
    assert doc["paymentTerms"] == {"type": "Basic", "discountPercent": "2",
                                   "discountDueDays": 10, "netDueDays": 60}
    assert doc["additionalDetails"] == [{"type": "CartonCount", "detail": "4"},
                                        {"type": "SUR", "detail": "Note", "languageCode": "en"}]


def test_batches_carry_several_invoices_with_distinct_numbers():
    first, second = invoice(), invoice(number="INV-2")
    body = build_invoices([first, second], NOW)
    assert valid(body) and [i["id"] for i in body["invoices"]] == ["INV-1", "INV-2"]
    with pytest.raises(InvoiceError, match="INV-1: the number is used twice"):
        build_invoices([first, first], NOW)
    with pytest.raises(InvoiceError, match="no invoice"):
        build_invoices([], NOW)


# -- blocking checks -------------------------------------------------------------------------
COSTS = {(PO1, "1"): D("12.00")}
SHIPPED = {(PO1, "1"): 5}


# Checks that need outside data (PO costs, ASNs, Amazon's numbers): the builder cannot know.
OUTSIDE_FACTS = ("differs from the acknowledged", "shipped", "not on purchase order", "is in USD",
                 "already accepted")


@pytest.mark.parametrize("change,expected", [
    ({"lines": (line(cost="12.50"),)},
     "line 1: net cost 12.50 differs from the acknowledged purchase order cost 12.00"),
    ({"lines": (line(qty=6),)}, f"{PO1} item 1: 6 units invoiced but only 5 shipped"),
    ({"lines": (line(po=""),)}, "line 1: the Amazon purchase order number is missing"),
    ({"lines": (line(po="PO-1"),)}, "'PO-1' is not an Amazon purchase order number"),
    ({"lines": (line(po_item_sequence="9"),)}, f"item 9 is not on purchase order {PO1}"),
    ({"currency": "EUR"}, f"purchase order {PO1} is in USD, the invoice in EUR"),
    ({"number": "INV-OLD"}, "invoice number INV-OLD was already accepted by Amazon"),
    ({"date": datetime.datetime(2026, 11, 19, 8, 0)},
     f"is before the date of purchase order {PO1} (2026-11-19T08:30:00Z)"),
    ({"taxes": (Tax("VAT", D(19), D("60.00"), D("11.42")),)},
     "invoice: VAT 19% of 60.00 is 11.40, not 11.42"),
    ({"invoice_type": "CreditNote", "number": "CN-9"}, "a credit note must name the invoice"),
    ({"invoice_type": "CreditNote", "reference_invoice_number": "INV-1", "number": "INV-1"},
     "a credit note cannot reference itself"),
    ({"lines": (line(qty=-2),)}, "line 1: the quantity must be greater than zero"),
    ({"lines": (line(cost="0"),)}, "line 1: the net cost must be greater than zero"),
    ({"lines": (line(1), line(1))}, "line 1: the line number is used twice"),
    ({"lines": ()}, "an invoice must list the purchase order items"),
    ({"allowances": (Allowance("Discount", D("-1")),)}, "allowance amount cannot be negative"),
    ({"allowances": (Allowance("Discount", D("100")),)}, "the total would be negative"),
    ({"remit_to": Party("ACRN1", name="Acorn")}, "an address needs a name, a street"),
    ({"remit_to": None}, "the remit-to party (who gets paid) is missing"),
    ({"date": NOW + datetime.timedelta(days=3)}, "dated in the future"),
])
def test_blocking_problems_are_named_in_plain_words(change, expected):
    inv = invoice(**change)
    costs = {(PO1, "1"): (D("12.00"), "USD")} if "currency" in change else COSTS
    problems = check_invoice(inv, costs, SHIPPED, accepted_numbers={"INV-OLD"}, now=NOW)
    assert any(expected in p for p in problems), problems
    if not any(fact in expected for fact in OUTSIDE_FACTS):
        # Problems visible in the invoice itself also stop the builder.
        with pytest.raises(InvoiceError) as info:
            build_invoice(inv, NOW)
        assert any(expected in p for p in info.value.problems)


def test_a_good_invoice_passes_every_check():
    assert check_invoice(invoice(), COSTS, SHIPPED, {(PO1, "1"): 0}, {"INV-0"}, now=NOW) == []


def test_amazon_model_problems_are_refused_before_sending():
    bad = invoice(charges=(Charge("Handling", D("1.00")),),
                  taxes=(Tax("SalesTax", None, None, D("0")),))
    with pytest.raises(InvoiceError) as info:
        build_invoice(bad, NOW)
    assert any("chargeDetails[0].type" in p for p in info.value.problems)
    assert any("taxDetails[0].taxType" in p for p in info.value.problems)
