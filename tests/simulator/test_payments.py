"""Payments: the simulator's Amazon pays what was really shipped, received and invoiced, on the
simulated clock, through the Finance Remittance and Finances Invoices APIs, read with the
real transport and the parsers: to the cent, with quick-pay discounts, shortage claims and
their reversals, price claims, co-op, damage allowance, late-ASN chargebacks, other payment
currencies, pagination, and Amazon's limits and errors."""
import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from odoo.addons.acorn_amazon_vendor.lib import amazon_json, amazon_schema
from odoo.addons.acorn_amazon_vendor.lib.mapping.remittance import (
    lines_difference,
    parse_amazon_invoice,
    parse_remittance,
)
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError

from . import documents
from .conftest import NOW
from .fixtures import finance_sandbox_examples as ex

DAY = 86400
DAY_TD = datetime.timedelta(days=1)
REMITTANCES = "/finances/remittances/2026-03-17/remittances"
INVOICES = "/finances/invoices/2026-06-25/invoices"
REMITTANCE_MODULE = "finance_remittance_v2026_03_17"
INVOICE_MODULE = "finances_invoices_v2026_06_25"
US, DE = "ATVPDKIKX0DER", "A1PA6795UKMFR9"
CENT = Decimal("0.01")


def cents(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def iso(when):
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


# -- helpers -------------------------------------------------------------------------------
def new_po(sim, currency="USD", vendor_code="ACRN1", skus=None):
    """A fresh PO (future windows, nothing cancelled) from the control API."""
    body = {"generate": 1, "currency": currency, "vendor_code": vendor_code}
    if skus:
        body["skus"] = skus
    number = sim.control("purchase-orders", body)["purchaseOrders"][0]["purchaseOrderNumber"]
    return sim.state.orders[number]


def ship(sim, api, po, asn, *, shipped_minutes_ago=10):
    api.submit_acknowledgement(documents.acknowledgement(po, sim.now()))
    sim.settle()
    body = documents.shipment_confirmation(po, sim.now(), asn)
    shipped = sim.now() - datetime.timedelta(minutes=shipped_minutes_ago)
    body["shipmentConfirmations"][0]["shippedDate"] = iso(shipped)
    status = documents.settled_status(sim, api, api.submit_shipment_confirmations, body)
    assert status["status"] == "Success", status


def invoice(sim, api, po, number, *, terms=None, invoiced=None, tax_rate=Decimal(0),
            kind="invoice", **references):
    if kind == "credit_note":
        body = documents.credit_note(po, sim.now(), number, invoiced, **references)
    else:
        body = documents.invoice(po, sim.now(), number, invoiced, tax_rate=tax_rate)
    if terms:
        body["invoices"][0]["paymentTerms"] = terms
    status = documents.settled_status(sim, api, api.submit_invoices, body)
    assert status["status"] == "Success", status
    return body["invoices"][0]


def total_of(body):
    return Decimal(body["invoiceTotal"]["amount"])


def validated(sim, path, module, class_name, **params):
    """A raw GET whose 200 reply must fit Amazon's model, with Amazon's headers."""
    reply = sim.get(path, **params)
    assert reply.status_code == 200, reply.text
    body = amazon_json.loads(reply.content)
    assert amazon_schema.validate(module, class_name, body) == []
    assert "payload" not in body
    assert reply.headers["x-amzn-RateLimit-Limit"] == "0.5"
    assert reply.headers["x-amzn-RequestId"]
    return body


def remittances(sim, api, marketplace=None, days=89):
    """Every remittance of the last ``days`` days, read page by page through the transport,
    each checked against Amazon's model and parsed."""
    end = sim.now()
    found = []
    for header in api.iter_remittance_headers(end - datetime.timedelta(days=days), end,
                                              marketplace):
        detail = api.get_remittance(header["uniquePaymentId"], marketplace)
        assert amazon_schema.validate(REMITTANCE_MODULE, "GetRemittanceResponse", detail) == []
        remittance = parse_remittance(detail, header=header)
        assert lines_difference(remittance) == 0
        assert remittance.line_count == len(remittance.lines)
        found.append(remittance)
    return sorted(found, key=lambda r: (r.payment_date, r.unique_payment_id))


def amazon_invoice(sim, api, identifier, marketplace=None):
    detail = api.get_invoice(identifier, marketplace)
    assert amazon_schema.validate(INVOICE_MODULE, "GetInvoiceResponse", detail) == []
    return parse_amazon_invoice(detail)


def of_vendor(found, vendor):
    return [r for r in found if r.vendor_codes == (vendor,)]


# -- the full cycle --------------------------------------------------------------------------
def test_full_cycle_pays_the_invoice_to_the_cent(sim, api):
    po = new_po(sim)
    ship(sim, api, po, "ASN-PAY-1")
    body = invoice(sim, api, po, "INV-PAY-1")
    total = total_of(body)
    # Amazon's status before the due date: in progress, queued for payment.
    status = amazon_invoice(sim, api, "INV-PAY-1~ACRNP")
    assert (status.status, status.invoice_type) == ("IN_PROGRESS", "AP_INVENTORY")
    assert status.settlement == {"QueuedForPayment": total}
    assert status.due_date == datetime.date(2027, 1, 3)  # 4 November + Net 60
    assert status.payment_terms == "NET60"
    sim.advance(30 * DAY)
    assert remittances(sim, api) == []
    sim.advance(40 * DAY)
    [remittance] = remittances(sim, api)
    # The first Wednesday run on or after the due date (Sunday 3 January).
    assert remittance.payment_date == datetime.date(2027, 1, 6)
    assert (remittance.amount, remittance.currency, remittance.status) == \
        (total, "USD", "SUCCESSFUL")
    assert remittance.vendor_codes == ("ACRN1",) and remittance.payee_codes == ("ACRNP",)
    [line] = remittance.lines
    assert (line.invoice_number, line.invoice_amount, line.amount_paid, line.discount) == \
        ("INV-PAY-1", total, total, 0)
    assert line.invoice_date == NOW.date() and line.invoice_type == "Standard"
    assert line.payment_terms == "Net 60" and not line.is_deduction
    paid = amazon_invoice(sim, api, "INV-PAY-1~ACRNP")
    assert paid.status == "PAID" and paid.settlement == {"AmountPaid": total}
    assert paid.related["UNIQUE_PAYMENT_IDS"] == (remittance.unique_payment_id,)
    assert paid.related["PURCHASE_ORDER_IDS"] == (po.number,)
    assert paid.related["ASN_IDS"] == ("ASN-PAY-1",)
    assert paid.related["VENDOR_CODE"] == ("ACRN1",)
    assert paid.related["PAYEE_CODE"] == ("ACRNP",)
    assert sum(line.total for line in paid.lines) == total
    assert all(line.quantity_variance == 0 and line.matched_quantity == line.quantity
               for line in paid.lines)
    # Read again: nothing new, nothing changed (payment runs are played once).
    assert remittances(sim, api) == [remittance]


def test_raw_replies_fit_amazons_models(sim, api):
    po = new_po(sim)
    ship(sim, api, po, "ASN-RAW-1")
    invoice(sim, api, po, "INV-RAW-1")
    sim.advance(70 * DAY)
    start = iso(sim.now() - 60 * DAY_TD)
    headers = validated(sim, REMITTANCES, REMITTANCE_MODULE, "GetRemittancesResponse",
                        marketplaceId=US, startDate=start)
    assert headers["numOfRecords"] == 1 and "nextToken" not in headers
    unique_id = headers["remittances"][0]["uniquePaymentId"]
    validated(sim, f"{REMITTANCES}/{unique_id}", REMITTANCE_MODULE, "GetRemittanceResponse",
              marketplaceId=US)
    invoices = validated(sim, INVOICES, INVOICE_MODULE, "GetInvoicesResponse",
                         marketplaceId=US)
    assert [i["invoiceNumber"] for i in invoices["invoices"]] == ["INV-RAW-1"]
    validated(sim, f"{INVOICES}/INV-RAW-1~ACRNP", INVOICE_MODULE, "GetInvoiceResponse",
              marketplaceId=US)


# -- quick pay -------------------------------------------------------------------------------
def test_quick_pay_discount(sim, api):
    po = new_po(sim)
    ship(sim, api, po, "ASN-QP-1")
    terms = {"type": "Basic", "discountPercent": "2", "discountDueDays": 10, "netDueDays": 60}
    body = invoice(sim, api, po, "INV-QP-1", terms=terms)
    total = total_of(body)
    discount = cents(total * Decimal("0.02"))
    assert amazon_invoice(sim, api, "INV-QP-1~ACRNP").due_date == datetime.date(2026, 11, 14)
    sim.advance(14 * DAY)
    [remittance] = remittances(sim, api)
    # The last run before the discount date (14 November): Wednesday 11 November.
    assert remittance.payment_date == datetime.date(2026, 11, 11)
    [line] = remittance.lines
    assert (line.amount_paid, line.discount, line.settled) == (total - discount, discount,
                                                               total)
    assert line.payment_terms == "2% 10, Net 60"
    assert remittance.amount == total - discount
    status = amazon_invoice(sim, api, "INV-QP-1~ACRNP")
    assert status.status == "PAID"
    assert status.settlement == {"AmountPaid": total - discount, "QuickPayDiscount": -discount}
    assert status.payment_terms == "2% 10, NET 60"


def test_payment_run_weekday(sim, api):
    sim.control("settings", {"payment_run_weekday": 4})
    po = new_po(sim)
    ship(sim, api, po, "ASN-WD-1")
    invoice(sim, api, po, "INV-WD-1", terms={"type": "Basic", "netDueDays": 30})
    sim.advance(40 * DAY)
    [remittance] = remittances(sim, api)
    assert remittance.payment_date == datetime.date(2026, 12, 4)  # the Friday after 4 Dec
    assert remittance.payment_date.weekday() == 4


# -- shortages -------------------------------------------------------------------------------
def short_po(sim, api, number="INV-SH-1", currency="USD", vendor_code="ACRN1", tax_rate=0):
    sim.control("settings", {"shortage_rate": 1})
    po = new_po(sim, currency, vendor_code)
    ship(sim, api, po, f"ASN-{number}")
    short = {i.seq: i.shipped - i.received for i in po.items}
    assert all(short.values())  # every carton of the ASN arrived a few units short
    body = invoice(sim, api, po, number, tax_rate=Decimal(tax_rate))
    short_net = sum((Decimal(po.item(seq).net_cost) * eaches for seq, eaches in short.items()),
                    Decimal(0))
    return po, body, short, short_net


def test_shortage_becomes_a_shortage_claim(sim, api):
    po, body, short, short_net = short_po(sim, api)
    total = total_of(body)
    sim.advance(70 * DAY)
    [remittance] = remittances(sim, api)
    invoice_line, claim_line = remittance.lines
    assert (invoice_line.invoice_number, invoice_line.amount_paid) == ("INV-SH-1", total)
    assert claim_line.invoice_number == "INV-SH-1SC"
    assert claim_line.invoice_type == "Shortage Claim" and claim_line.is_deduction
    assert claim_line.invoice_amount == claim_line.amount_paid == -cents(short_net)
    assert f"{sum(short.values())} units not received" in claim_line.description
    assert remittance.amount == total - cents(short_net)
    status = amazon_invoice(sim, api, "INV-SH-1~ACRNP")
    assert status.status == "PARTIALLY_PAID"
    assert status.settlement == {"AmountPaid": total - cents(short_net),
                                 "QuantityVarianceAmount": -cents(short_net)}
    assert status.related["SHORTAGE_INVOICE_IDS"] == ("INV-SH-1SC",)
    by_sku = {dict(line.identifiers)["SKU"]: line for line in status.lines}
    for item in po.items:
        line = by_sku[item.vendor_sku]
        assert line.quantity_variance == short[item.seq]
        assert line.matched_quantity == line.paid_quantity == item.received
        assert [(r.variance_type, r.defect_types) for r in line.variance_reasons] == [
            ("PQV", ("SHORTAGES_IN_TRANSIT",))]
    claim = amazon_invoice(sim, api, "INV-SH-1SC")
    assert (claim.status, claim.invoice_type, claim.amount) == \
        ("DEDUCTED", "OTHER", cents(short_net))
    assert claim.related["PURCHASE_ORDER_IDS"] == (po.number,)
    assert claim.related["ASN_IDS"] == ("ASN-INV-SH-1",)
    assert sum(line.quantity for line in claim.lines) == sum(short.values())


def test_a_won_dispute_reverses_the_shortage_claim(sim, api):
    po, body, short, short_net = short_po(sim, api, "INV-RV-1")
    total = total_of(body)
    sim.advance(70 * DAY)
    [first] = remittances(sim, api)
    reply = sim.control("deductions/INV-RV-1SC/reverse", {})
    assert (reply["invoiceNumber"], reply["totalAmount"]["currencyAmount"]) == \
        ("INV-RV-1SCR", float(cents(short_net)))
    queued = amazon_invoice(sim, api, "INV-RV-1~ACRNP")
    assert queued.settlement["QueuedForPayment"] == cents(short_net)
    sim.advance(7 * DAY)
    first_again, second = remittances(sim, api)
    assert first_again == first
    [reversal] = second.lines
    assert reversal.invoice_number == "INV-RV-1SCR"
    assert reversal.invoice_type == "Shortage Claim Reversal" and not reversal.is_deduction
    assert reversal.amount_paid == cents(short_net) == second.amount
    assert "INV-RV-1SC" in reversal.description
    status = amazon_invoice(sim, api, "INV-RV-1~ACRNP")
    assert status.status == "PAID"
    assert status.settlement == {"AmountPaid": total, "QuantityVarianceAmount": 0}
    assert set(status.related["UNIQUE_PAYMENT_IDS"]) == {first.unique_payment_id,
                                                          second.unique_payment_id}
    claim = amazon_invoice(sim, api, "INV-RV-1SC")
    assert claim.status == "PARTIALLY_DEDUCTED"
    assert claim.settlement == {"AmountPaid": 0, "Other": -cents(short_net)}
    # Nothing is left to reverse; an unknown deduction is not found.
    again = sim.http.post("/_simulator/deductions/INV-RV-1SC/reverse", json={})
    assert again.status_code == 400 and "left to reverse" in again.text
    assert sim.http.post("/_simulator/deductions/NOPE/reverse", json={}).status_code == 404


def test_a_partial_reversal(sim, api):
    _po, _body, _short, short_net = short_po(sim, api, "INV-PR-1")
    sim.advance(70 * DAY)
    remittances(sim, api)
    sim.control("deductions/INV-PR-1SC/reverse", {"amount": "1.00", "reason": "POD accepted"})
    sim.advance(7 * DAY)
    reversal = remittances(sim, api)[-1].lines[0]
    assert (reversal.invoice_number, reversal.amount_paid) == ("INV-PR-1SCR", Decimal("1"))
    assert "POD accepted" in reversal.description
    assert amazon_invoice(sim, api, "INV-PR-1~ACRNP").settlement[
        "QuantityVarianceAmount"] == -(cents(short_net) - 1)
    too_much = sim.http.post("/_simulator/deductions/INV-PR-1SC/reverse",
                             json={"amount": str(short_net)})
    assert too_much.status_code == 400


def test_units_received_after_the_claim_reverse_it(sim, api):
    po, _body, _short, short_net = short_po(sim, api, "INV-LT-1")
    sim.advance(70 * DAY)
    remittances(sim, api)
    # The missing units turn up at the FC (booked in late): Amazon's review reverses the claim.
    sim.control(f"purchase-orders/{po.number}/receive", {"all": True})
    sim.advance(7 * DAY)
    reversal = remittances(sim, api)[-1].lines[0]
    assert (reversal.invoice_number, reversal.amount_paid) == ("INV-LT-1SCR", cents(short_net))
    assert "units received after the claim" in reversal.description


def test_a_credit_note_for_the_shortage_offsets_the_claim(sim, api):
    po, body, short, short_net = short_po(sim, api, "INV-CN-1", "EUR", "ACRNE",
                                          tax_rate="0.19")
    api_de = sim.api(marketplace_id=DE)
    sim.advance(70 * DAY)
    [paid] = remittances(sim, api_de)
    claim_line = paid.lines[1]
    assert claim_line.invoice_number == "INV-CN-1SC" and claim_line.tax_amount < 0
    # The vendor accepts the shortage: a credit note for the missing units.
    note = invoice(sim, api, po, "CN-CN-1", kind="credit_note", invoiced=short,
                   tax_rate=Decimal("0.19"), referenceInvoiceNumber="INV-CN-1")
    sim.advance(7 * DAY)
    # The credit and the reversal cancel out: no payment of nothing, the lines wait...
    assert len(remittances(sim, api_de)) == 1
    waiting = {line["invoiceNumber"] for line in sim.control("payments")["waiting"]}
    assert waiting == {"CN-CN-1", "INV-CN-1SCR"}
    # ... for the next payment Amazon owes.
    sim.control("settings", {"shortage_rate": 0})
    other = new_po(sim, "EUR", "ACRNE")
    ship(sim, api, other, "ASN-CN-2")
    invoice(sim, api, other, "INV-CN-2", terms={"type": "Basic", "netDueDays": 7})
    sim.advance(14 * DAY)
    offset = remittances(sim, api_de)[-1]
    lines = {line.invoice_number: line for line in offset.lines}
    assert set(lines) == {"INV-CN-2", "CN-CN-1", "INV-CN-1SCR"}
    credit, reversal = lines["CN-CN-1"], lines["INV-CN-1SCR"]
    assert (credit.invoice_number, credit.invoice_type) == ("CN-CN-1", "Credit Memo")
    assert credit.amount_paid == -total_of(note)
    assert reversal.invoice_number == "INV-CN-1SCR"
    assert reversal.amount_paid == min(total_of(note), -claim_line.amount_paid)
    assert amazon_invoice(sim, api_de, "CN-CN-1~ACRNQ").status == "PAID"
    assert amazon_invoice(sim, api_de, "INV-CN-1SC").status == "PARTIALLY_DEDUCTED"


# -- price claims ----------------------------------------------------------------------------
def test_amazons_lower_cost_short_pays_the_invoice(sim, api):
    po = new_po(sim)
    ship(sim, api, po, "ASN-PPV-1")
    body = invoice(sim, api, po, "INV-PPV-1")
    item = po.items[0]
    lower = Decimal(item.net_cost) - Decimal("0.50")
    sim.control(f"purchase-orders/{po.number}/cost",
                {"items": [{"itemSequenceNumber": item.seq, "netCost": str(lower)}]})
    ppv = cents(Decimal("0.50") * item.shipped)
    sim.advance(70 * DAY)
    [remittance] = remittances(sim, api)
    [line] = remittance.lines
    assert line.amount_paid == total_of(body) - ppv
    assert line.settled < line.invoice_amount  # short-paid: Odoo sees a partial payment
    status = amazon_invoice(sim, api, "INV-PPV-1~ACRNP")
    assert status.status == "PARTIALLY_PAID" and status.settlement["PriceVariance"] == -ppv
    varied = [line for line in status.lines if line.price_variance]
    assert [(line.price_variance, line.variance_reasons[0].defect_types) for line in varied] \
        == [(ppv, ("AMAZON_POC_LOWERING_COST_ON_PO",))]


# -- co-op, damage allowance, chargebacks ----------------------------------------------------
def november_receipts(sim, vendor):
    start = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    end = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    return sum((Decimal(item.net_cost) * eaches for po in sim.state.order_list
                if po.vendor_code == vendor for item in po.items
                for when, eaches in item.receipts if start <= when < end), Decimal(0))


def test_coop_and_damage_allowance_are_deducted_monthly(sim, api):
    sim.control("settings", {"coop_percent": 2, "damage_allowance_percent": "1.5"})
    po = new_po(sim, vendor_code="ACRN2")
    ship(sim, api, po, "ASN-COOP-1")
    body = invoice(sim, api, po, "INV-COOP-1")
    receipts = november_receipts(sim, "ACRN2")
    coop, damage = cents(receipts * Decimal("0.02")), cents(receipts * Decimal("0.015"))
    sim.advance(30 * DAY)
    # Issued on 1 December, but Amazon owes nothing yet: the debits wait (a debit balance).
    assert remittances(sim, api) == []
    waiting = sim.control("payments")["waiting"]
    assert {line["invoiceType"] for line in waiting} == {"Co-op"}
    sim.advance(40 * DAY)
    [remittance] = of_vendor(remittances(sim, api), "ACRN2")
    invoice_line, *allowances = remittance.lines
    assert invoice_line.invoice_number == "INV-COOP-1"
    by_kind = {("damage" if "damage allowance" in line.description else "coop"): line
               for line in allowances}
    assert by_kind["coop"].amount_paid == -coop and by_kind["damage"].amount_paid == -damage
    for line in allowances:
        assert re.fullmatch(r"\d{4}-\d{8}", line.invoice_number)
        assert line.invoice_type == "Co-op" and line.invoice_date == datetime.date(2026, 12, 1)
        assert "net receipts 2026-11" in line.description
    assert "marketing allowance 2%" in by_kind["coop"].description
    assert "damage allowance 1.5%" in by_kind["damage"].description
    assert remittance.amount == total_of(body) - coop - damage
    claim = amazon_invoice(sim, api, by_kind["damage"].invoice_number)
    assert claim.status == "DEDUCTED" and claim.related["AGREEMENT_IDS"]
    assert claim.lines[0].service_charge_type == "DAMAGE_ALLOWANCE"
    assert claim.lines[0].line_type == "SERVICES"


def test_a_late_asn_costs_a_chargeback(sim, api):
    sim.control("settings", {"late_asn_chargeback": 25})
    late, on_time = new_po(sim), new_po(sim)
    ship(sim, api, late, "ASN-LATE-1", shipped_minutes_ago=120)
    ship(sim, api, on_time, "ASN-ONTIME-1", shipped_minutes_ago=10)
    deductions = sim.control("payments")["deductions"]
    [chargeback] = deductions
    assert re.fullmatch(r"\d{9}VCBSINV", chargeback["invoiceNumber"])
    assert chargeback["amount"] == "25.00" and chargeback["kind"] == "chargeback"
    assert "ASN-LATE-1" in chargeback["description"]
    assert "120 minutes after the shipment left" in chargeback["description"]
    body = invoice(sim, api, on_time, "INV-CB-1")
    sim.advance(70 * DAY)
    [remittance] = remittances(sim, api)
    invoice_line, charge = remittance.lines
    assert (charge.invoice_number, charge.amount_paid, charge.invoice_type) == \
        (chargeback["invoiceNumber"], Decimal("-25"), "Chargeback")
    assert remittance.amount == total_of(body) - 25
    claim = amazon_invoice(sim, api, chargeback["invoiceNumber"])
    assert claim.related["ASN_IDS"] == ("ASN-LATE-1",)


def test_an_asn_after_the_po_window_costs_a_chargeback(sim, api):
    sim.control("settings", {"late_asn_chargeback": 10})
    po = new_po(sim)
    sim.control(f"purchase-orders/{po.number}/change", {
        "deliveryWindow": "2026-10-01T00:00:00Z--2026-10-05T00:00:00Z"})
    ship(sim, api, po, "ASN-WIN-1")
    [chargeback] = sim.control("payments")["deductions"]
    assert f"after purchase order {po.number}'s window closed" in chargeback["description"]


# -- other currencies ------------------------------------------------------------------------
def test_euro_invoices_paid_in_dollars(sim, api):
    sim.control("settings", {"payment_currencies": {
        "EUR": {"currency": "USD", "exchange_rate": "1.0842"}}})
    po = new_po(sim, "EUR", "ACRNE")
    ship(sim, api, po, "ASN-FX-1")
    body = invoice(sim, api, po, "INV-FX-1", tax_rate=Decimal("0.19"))
    total = total_of(body)
    tax = Decimal(body["taxDetails"][0]["taxAmount"]["amount"])
    sim.advance(70 * DAY)
    api_de = sim.api(marketplace_id=DE)
    [remittance] = remittances(sim, api_de)
    assert (remittance.currency, remittance.amount) == ("USD", cents(total * Decimal("1.0842")))
    assert (remittance.invoice_currency, remittance.amount_invoice_currency) == ("EUR", total)
    assert remittance.exchange_rate == Decimal("1.0842")
    assert remittance.country == "LU" and remittance.payee_codes == ("ACRNQ",)
    [line] = remittance.lines
    assert (line.currency, line.amount_paid, line.tax_amount) == ("EUR", total, tax)
    status = amazon_invoice(sim, api_de, "INV-FX-1~ACRNQ", DE)
    assert (status.currency, status.status) == ("EUR", "PAID")
    assert all(line.currency == "EUR" for line in status.lines)
    # The North American marketplace does not see the European business.
    assert remittances(sim, api) == []
    with pytest.raises(AmazonApiError) as caught:
        api.get_remittance(remittance.unique_payment_id, US)
    assert caught.value.status == 404 and caught.value.code == "NotFound"


# -- pagination ------------------------------------------------------------------------------
def test_headers_and_lines_are_paged(sim, api):
    sim.control("settings", {"finance_page_sizes": {
        "remittances": 1, "remittance_items": 2, "invoices": 1, "invoice_items": 1}})
    first = new_po(sim, vendor_code="ACRN1", skus=["ACN-1001", "ACN-1002", "ACN-1003"])
    second = new_po(sim, vendor_code="ACRN2", skus=["ACN-1004", "ACN-1005"])
    ship(sim, api, first, "ASN-PG-1")
    ship(sim, api, second, "ASN-PG-2")
    numbers = []
    for n, item in enumerate(first.items, 1):  # one invoice per item: several lines
        numbers.append(f"INV-PG-1-{n}")
        invoice(sim, api, first, numbers[-1], invoiced={item.seq: item.shipped})
    invoice(sim, api, second, "INV-PG-2")
    sim.advance(70 * DAY)
    found = remittances(sim, api)
    assert sorted(r.vendor_codes for r in found) == [("ACRN1",), ("ACRN2",)]
    [one] = of_vendor(found, "ACRN1")
    assert sorted(line.invoice_number for line in one.lines) == sorted(numbers)
    # Pages as Amazon sends them: one header each, the token bound to the filters.
    start = iso(sim.now() - 30 * DAY_TD)
    page = sim.get(REMITTANCES, marketplaceId=US, startDate=start).json()
    assert len(page["remittances"]) == 1 and page["numOfRecords"] == 2
    following = sim.get(REMITTANCES, marketplaceId=US, startDate=start,
                        nextToken=page["nextToken"]).json()
    assert len(following["remittances"]) == 1 and "nextToken" not in following
    moved = sim.get(REMITTANCES, marketplaceId=US, nextToken=page["nextToken"])
    assert moved.status_code == 400 and "nextToken" in moved.json()["errors"][0]["message"]
    lines = sim.get(f"{REMITTANCES}/{one.unique_payment_id}", marketplaceId=US).json()
    assert len(lines["remittanceItems"]) == 2 and lines["nextTokenForLineItems"]
    # Invoice headers one per page, invoice lines one per page.
    headers = list(api.iter_invoice_headers(US))
    assert sorted(h["invoiceNumber"] for h in headers) == sorted(numbers + ["INV-PG-2"])
    big = amazon_invoice(sim, api, "INV-PG-2~ACRNP")
    assert len(big.lines) == len(second.items)
    raw = sim.get(f"{INVOICES}/INV-PG-2~ACRNP", marketplaceId=US).json()
    assert len(raw["invoiceItems"]) == 1 and raw["nextTokenForLineItems"]


def test_invoices_changed_since(sim, api):
    po = new_po(sim)
    ship(sim, api, po, "ASN-MOD-1")
    invoice(sim, api, po, "INV-MOD-1")
    since = sim.now() + datetime.timedelta(seconds=1)
    assert list(api.iter_invoice_headers(US, modified_after=since)) == []
    sim.advance(70 * DAY)
    [changed] = api.iter_invoice_headers(US, modified_after=since,
                                         issued_from=since - datetime.timedelta(days=10),
                                         issued_to=sim.now())
    assert changed["invoiceNumber"] == "INV-MOD-1" and changed["invoiceStatus"] == "PAID"


# -- Amazon's limits and errors --------------------------------------------------------------
def refused(reply, details):
    assert reply.status_code == 400, reply.text
    assert reply.headers["x-amzn-RateLimit-Limit"] == "0.5"
    [error] = reply.json()["errors"]
    assert error["code"] == "InvalidInput"
    assert details in error["details"], error
    return error


def test_ninety_day_windows_are_enforced(sim, api):
    now = sim.now()
    error = refused(sim.get(REMITTANCES, marketplaceId=US, startDate=iso(now - 91 * DAY_TD),
                            endDate=iso(now)), "The maximum date range between startDate and "
                                               "endDate is 90 days.")
    assert error["message"] == "Invalid input provided."
    refused(sim.get(REMITTANCES, marketplaceId=US, startDate=iso(now - 400 * DAY_TD),
                    endDate=iso(now - 350 * DAY_TD)), "one year ago")
    refused(sim.get(REMITTANCES, marketplaceId=US, startDate=iso(now),
                    endDate=iso(now - DAY_TD)), "before endDate")
    refused(sim.get(INVOICES, marketplaceId=US, fromIssueDate=iso(now - 91 * DAY_TD),
                    toIssueDate=iso(now)), "must not exceed 90 days")
    refused(sim.get(INVOICES, marketplaceId=US, fromIssueDate=iso(now)), "or neither")
    refused(sim.get(REMITTANCES, marketplaceId=US, startDate="yesterday"), "ISO 8601")
    refused(sim.get(INVOICES, marketplaceId=US, limit="5"), "not a parameter")
    # Exactly 90 days pass; through the transport the refusal is an AmazonApiError.
    assert sim.get(REMITTANCES, marketplaceId=US, startDate=iso(now - 90 * DAY_TD),
                   endDate=iso(now)).status_code == 200
    with pytest.raises(AmazonApiError) as caught:
        api._finance_get("getRemittanceHeaders", REMITTANCES, {
            "marketplaceId": US, "startDate": iso(now - 100 * DAY_TD), "endDate": iso(now)})
    assert (caught.value.kind, caught.value.code) == ("bad_request", "InvalidInput")



def test_amazons_sandbox_requests(sim):
    # 400 examples: an empty marketplaceId, answered with Amazon's own envelope.
    reply = sim.get(REMITTANCES, **ex.BAD_GET_REMITTANCE_HEADERS_PARAMS)
    assert reply.status_code == 400
    assert {k: v for k, v in reply.json()["errors"][0].items() if k != "details"} == \
        ex.BAD_GET_REMITTANCE_HEADERS_RESPONSE["errors"][0]
    reply = sim.get(f"{REMITTANCES}/{ex.BAD_GET_REMITTANCE_ID}", **ex.BAD_GET_REMITTANCE_PARAMS)
    assert reply.status_code == 400
    assert {k: v for k, v in reply.json()["errors"][0].items() if k != "details"} == \
        ex.BAD_GET_REMITTANCE_RESPONSE["errors"][0]
    for path in (INVOICES, f"{INVOICES}/{ex.GET_INVOICE_ID}"):
        reply = sim.get(path, **ex.BAD_INVOICES_PARAMS)
        assert reply.status_code == 400 and reply.json()["errors"][0]["details"] == \
            "The marketplaceId field is required."
    # 200 examples. The remittance examples name a placeholder marketplace ("valid-id-123")
    # that production refuses, and so does the simulator; with a real marketplace they pass.
    assert sim.get(REMITTANCES, **ex.GET_REMITTANCE_HEADERS_PARAMS).status_code == 400
    reply = sim.get(REMITTANCES, **dict(ex.GET_REMITTANCE_HEADERS_PARAMS, marketplaceId=DE))
    assert reply.status_code == 200 and reply.json() == {"remittances": [], "numOfRecords": 0}
    reply = sim.get(INVOICES, **ex.GET_INVOICE_HEADERS_PARAMS)
    assert reply.status_code == 200 and reply.json() == {"invoices": [], "numOfRecords": 0}
    # Unknown payments and invoices are Amazon's 404.
    reply = sim.get(f"{REMITTANCES}/{ex.GET_REMITTANCE_ID}", marketplaceId=DE)
    assert reply.status_code == 404
    assert reply.json()["errors"][0] == {
        "code": "NotFound", "message": "The requested resource does not exist.",
        "details": "No remittance found for the specified identifier."}
    assert sim.get(f"{INVOICES}/{ex.GET_INVOICE_ID}", **ex.GET_INVOICE_PARAMS).status_code \
        == 404


def test_finance_reads_are_throttled_by_their_usage_plan(throttled):
    codes = [throttled.get(INVOICES, marketplaceId=US).status_code for _ in range(12)]
    assert codes[:10] == [200] * 10 and 429 in codes[10:]
    reply = throttled.get(INVOICES, marketplaceId=US)
    assert reply.status_code == 429
    assert reply.headers["x-amzn-RateLimit-Limit"] == "0.5"
    assert reply.json()["errors"][0]["code"] == "QuotaExceeded"


def test_payment_settings_are_checked(sim):
    for body in ({"shortage_rate": 1.5}, {"coop_percent": -1}, {"coop_percent": "x"},
                 {"damage_allowance_percent": True}, {"late_asn_chargeback": -5},
                 {"payment_run_weekday": 7}, {"payment_run_weekday": "2"},
                 {"payment_currencies": {"EUR": {"currency": "usd"}}},
                 {"payment_currencies": {"EUR": {"currency": "USD", "exchange_rate": "0"}}},
                 {"payment_currencies": ["EUR"]},
                 {"finance_page_sizes": {"invoices": 101}},
                 {"finance_page_sizes": {"lines": 5}}):
        reply = sim.http.post("/_simulator/settings", json=body)
        assert reply.status_code == 400, (body, reply.text)
    before = sim.control("health")["settings"]
    assert before["shortage_rate"] == 0 and before["payment_run_weekday"] == 2
    after = sim.control("settings", {"shortage_rate": "0.25", "payment_currencies": {
        "EUR": {"currency": "USD", "exchange_rate": 1.1}}})
    assert after["shortage_rate"] == 0.25
    assert after["payment_currencies"] == {"EUR": {"currency": "USD", "exchange_rate": "1.1"}}
    assert after["finance_page_sizes"]["invoice_items"] == 600
    bad_cost = sim.http.post(f"/_simulator/purchase-orders/{new_po(sim).number}/cost",
                             json={"items": [{"itemSequenceNumber": "99", "netCost": "1"}]})
    assert bad_cost.status_code == 400


def test_shortages_are_deterministic_per_seed(sim, api):
    sim.control("settings", {"shortage_rate": "0.5"})
    po = new_po(sim)
    ship(sim, api, po, "ASN-DET-1")
    received = [i.received for i in po.items]
    sim.control("reset", {"seed": 42})
    po = new_po(sim)
    ship(sim, api, po, "ASN-DET-1")
    assert [i.received for i in po.items] == received


def test_finance_reads_are_retried_after_a_server_error(sim):
    sim.control("faults", {"faults": [{"kind": "500", "count": 1,
                                       "operation": "getRemittanceHeaders"},
                                      {"kind": "malformed", "count": 1,
                                       "operation": "getInvoiceHeaders"}]})
    with sim.api(max_attempts=2) as api:
        assert remittances(sim, api) == []
        assert list(api.iter_invoice_headers()) == []
    assert sim.control("faults")["faults"] == []
