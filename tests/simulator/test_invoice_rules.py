"""Amazon's invoice and credit note rules, checked by the simulator on its own: who is paid,
what was received, credit note references, currencies, dates and totals."""
import datetime
from decimal import Decimal

import pytest

from odoo.addons.acorn_amazon_vendor.lib.transport import iso

from . import documents

codes = documents.failure_codes
prepaid = documents.prepaid
HOUR = datetime.timedelta(hours=1)


def status(sim, api, body):
    return documents.settled_status(sim, api, api.submit_invoices, body)


def received(sim, currency, predicate=lambda po: True):
    """A closed PO (everything accepted was received by Amazon) in ``currency``."""
    return sim.po(lambda p: p.state == "Closed" and p.currency == currency and predicate(p))


@pytest.fixture
def us_po(sim):
    return received(sim, "USD")


@pytest.fixture
def eu_po(sim):
    return received(sim, "EUR", lambda p: sum(1 for i in p.items if i.accepted) >= 2)


# -- who is paid ---------------------------------------------------------------------------
def test_remit_to_party_is_the_vendor_code_of_the_purchase_order(sim, api, us_po):
    body = documents.invoice(us_po, sim.now(), "REM-1")
    other = "ACRN2" if us_po.vendor_code == "ACRN1" else "ACRN1"
    body["invoices"][0]["remitToParty"]["partyId"] = other
    result = status(sim, api, body)
    assert codes(result) == {"InvalidRemitToParty"}
    assert f"vendor code {us_po.vendor_code}" in result["errors"][0]["message"]


def test_remit_to_party_of_a_credit_note_without_po_is_a_known_vendor_code(sim, api, eu_po):
    body = documents.credit_note(eu_po, sim.now(), "REM-CN", coopReferenceNumber="COOP-1")
    for item in body["invoices"][0]["items"]:
        del item["purchaseOrderNumber"]
    body["invoices"][0]["remitToParty"]["partyId"] = "NOBODY"
    assert codes(status(sim, api, body)) == {"InvalidRemitToParty"}


# -- what was shipped ------------------------------------------------------------------------
# Amazon's guide: "Items should be invoiced only after they are confirmed and shipped to
# Amazon. Otherwise the invoice will be rejected." The rule used to stop at what the FC had
# received; Amazon refuses only what was not shipped (ASN-confirmed), pays the invoice and
# claims units shipped but not received as a shortage (PQV) at payment (test_payments.py).
def test_invoiced_quantity_cannot_exceed_what_was_shipped(sim, api, us_po):
    item = next(i for i in us_po.items if i.accepted)
    body = documents.invoice(us_po, sim.now(), "QTY-1", {item.seq: item.shipped + 1})
    result = status(sim, api, body)
    assert codes(result) == {"InvoicedQuantityExceedsShipped"}
    assert f"{item.shipped} shipped (confirmed by ASNs)" in result["errors"][0]["message"]


def test_shipped_goods_are_invoiced_once_across_invoices(sim, api, us_po):
    item = next(i for i in us_po.items if i.shipped >= 2)
    half = item.shipped // 2
    first = documents.invoice(us_po, sim.now(), "QTY-2", {item.seq: half})
    assert status(sim, api, first)["status"] == "Success"
    rest = documents.invoice(us_po, sim.now(), "QTY-3", {item.seq: item.shipped - half})
    again = documents.invoice(us_po, sim.now(), "QTY-4", {item.seq: item.shipped - half + 1})
    assert codes(status(sim, api, again)) == {"InvoicedQuantityExceedsShipped"}
    assert status(sim, api, rest)["status"] == "Success"
    assert item.invoiced == item.shipped


def test_an_acknowledged_po_is_invoiced_after_its_goods_are_shipped(sim, api):
    po = sim.po(lambda p: p.state == "New" and p.currency == "USD"
                and not any(i.cancelled for i in p.items))
    api.submit_acknowledgement(documents.acknowledgement(po, sim.now()))
    sim.settle()
    body = documents.invoice(po, sim.now(), "REC-1")
    assert codes(status(sim, api, body)) == {"InvoicedQuantityExceedsShipped"}
    # Goods announced outside the API (a Vendor Central ASN, say): shipped and received.
    sim.control(f"purchase-orders/{po.number}/receive", {"all": True})
    assert status(sim, api, body)["status"] == "Success"


def test_units_shipped_but_not_received_are_invoiced(sim, api):
    """The FC receives less than the ASN said: the invoice of what was shipped passes (the
    difference becomes a shortage claim when Amazon pays, not a refused invoice)."""
    sim.control("settings", {"shortage_rate": 1})
    po = sim.po(lambda p: p.state == "New" and p.currency == "USD" and prepaid(p)
                and not any(i.cancelled for i in p.items))
    api.submit_acknowledgement(documents.acknowledgement(po, sim.now()))
    sim.settle()
    api.submit_shipment_confirmations(documents.shipment_confirmation(po, sim.now(), "ASN-S1"))
    sim.settle()
    assert all(i.received < i.shipped for i in po.items if i.accepted)
    assert status(sim, api, documents.invoice(po, sim.now(), "SHORT-1"))["status"] == "Success"


# -- credit notes ---------------------------------------------------------------------------
@pytest.fixture
def invoiced_eu(sim, api, eu_po):
    """``eu_po`` with its items invoiced one per invoice: INV-E1, INV-E2..."""
    numbers = []
    for n, item in enumerate((i for i in eu_po.items if i.accepted), start=1):
        numbers.append(f"INV-E{n}")
        body = documents.invoice(eu_po, sim.now(), numbers[-1], {item.seq: item.accepted})
        assert status(sim, api, body)["status"] == "Success"
    return eu_po, numbers


def credited(po, count=1):
    """The first ``count`` accepted items, two eaches each (or fewer when fewer were taken)."""
    return {i.seq: min(2, i.accepted) for i in [i for i in po.items if i.accepted][:count]}


def test_ap_credit_note_references_an_accepted_invoice(sim, api, invoiced_eu):
    po, numbers = invoiced_eu
    body = documents.credit_note(po, sim.now(), "CN-1", credited(po),
                                 referenceInvoiceNumber=numbers[0])
    assert status(sim, api, body)["status"] == "Success"
    unknown = documents.credit_note(po, sim.now(), "CN-2", credited(po),
                                    referenceInvoiceNumber="INV-NEVER")
    result = status(sim, api, unknown)
    assert codes(result) == {"InvalidReferenceInvoiceNumber"}
    assert "not an invoice Amazon has accepted" in result["errors"][0]["message"]


def test_credit_note_needs_its_references(sim, api, invoiced_eu):
    po, _numbers = invoiced_eu
    body = documents.credit_note(po, sim.now(), "CN-3", credited(po))
    assert codes(status(sim, api, body)) == {"MissingCreditNoteDetails"}
    body = documents.credit_note(po, sim.now(), "CN-4", credited(po), rmaId="RMA-77")
    result = status(sim, api, body)
    assert codes(result) == {"MissingCreditNoteReference"}
    assert "referenceInvoiceNumber" in result["errors"][0]["details"]


def test_returns_credit_note_needs_notice_and_return_date(sim, api, invoiced_eu):
    po, _numbers = invoiced_eu
    returned = iso(sim.now() - 24 * HOUR)
    body = documents.credit_note(po, sim.now(), "CN-5", credited(po),
                                 returnsReferenceNumber="RN-12345")
    assert codes(status(sim, api, body)) == {"MissingGoodsReturnDate"}
    body = documents.credit_note(po, sim.now(), "CN-6", credited(po), goodsReturnDate=returned)
    assert codes(status(sim, api, body)) == {"MissingReturnsReferenceNumber"}
    body = documents.credit_note(po, sim.now(), "CN-7", credited(po),
                                 returnsReferenceNumber="RN-12345", goodsReturnDate=returned)
    assert status(sim, api, body)["status"] == "Success"


def test_coop_credit_note_names_its_agreement(sim, api, invoiced_eu):
    po, _numbers = invoiced_eu
    body = documents.credit_note(po, sim.now(), "CN-8", credited(po),
                                 coopReferenceNumber="COOP-2026-11")
    for item in body["invoices"][0]["items"]:
        del item["purchaseOrderNumber"]  # "not required when invoiceType is CreditNote"
    assert status(sim, api, body)["status"] == "Success"
    body = documents.credit_note(po, sim.now(), "CN-9", credited(po), debitNoteNumber="DN-1")
    assert status(sim, api, body)["status"] == "Success"


def test_one_credit_note_credits_one_invoice(sim, api, invoiced_eu):
    po, numbers = invoiced_eu
    body = documents.credit_note(po, sim.now(), "CN-10", credited(po, 2),
                                 referenceInvoiceNumber=numbers[0])
    body["invoices"][0]["items"][1]["creditNoteDetails"]["referenceInvoiceNumber"] = numbers[1]
    result = status(sim, api, body)
    assert codes(result) == {"MultipleReferenceInvoices"}
    assert "one credit note credits one invoice only" in result["errors"][0]["message"]


def test_credit_notes_are_not_accepted_for_the_us(sim, api, us_po):
    assert status(sim, api, documents.invoice(us_po, sim.now(), "INV-U1"))["status"] == \
        "Success"
    body = documents.credit_note(us_po, sim.now(), "CN-U1", credited(us_po),
                                 referenceInvoiceNumber="INV-U1")
    result = status(sim, api, body)
    assert codes(result) == {"CreditNoteNotSupported"}
    assert "US" in result["errors"][0]["message"]


# -- currencies ------------------------------------------------------------------------------
def test_invoice_total_needs_its_currency(sim, api, us_po):
    body = documents.invoice(us_po, sim.now(), "CUR-1")
    del body["invoices"][0]["invoiceTotal"]["currencyCode"]
    result = status(sim, api, body)
    assert codes(result) == {"MissingCurrencyCode"}
    assert "invoiceTotal.currencyCode is required" in result["errors"][0]["message"]


def test_every_amount_carries_the_invoice_currency(sim, api, us_po):
    body = documents.invoice(us_po, sim.now(), "CUR-2", tax_rate=Decimal("0.1"))
    invoice = body["invoices"][0]
    del invoice["items"][0]["netCost"]["currencyCode"]
    invoice["taxDetails"][0]["taxAmount"]["currencyCode"] = "EUR"
    result = status(sim, api, body)
    assert codes(result) == {"MissingCurrencyCode", "CurrencyMismatch"}
    details = {e["code"]: e["message"] for e in result["errors"]}
    assert "items[0].netCost: currencyCode is missing" in details["MissingCurrencyCode"]
    assert "taxDetails[0].taxAmount: EUR differs" in details["CurrencyMismatch"]


def test_invoice_currency_is_the_purchase_order_currency(sim, api, us_po):
    body = documents.invoice(us_po, sim.now(), "CUR-3")
    invoice = body["invoices"][0]
    invoice["invoiceTotal"]["currencyCode"] = "EUR"
    for item in invoice["items"]:
        item["netCost"]["currencyCode"] = "EUR"
    found = codes(status(sim, api, body))
    assert "CurrencyMismatch" in found and found <= {"CurrencyMismatch", "NetCostMismatch"}


def test_currency_code_is_iso_4217(sim, api, us_po):
    body = documents.invoice(us_po, sim.now(), "CUR-4")
    body["invoices"][0]["invoiceTotal"]["currencyCode"] = "usd"
    assert codes(status(sim, api, body)) == {"InvalidCurrencyCode"}


# -- dates and totals -----------------------------------------------------------------------
def test_invoice_date_is_now_or_before(sim, api, us_po):
    body = documents.invoice(us_po, sim.now() + 24 * HOUR, "DAT-1")
    result = status(sim, api, body)
    assert codes(result) == {"InvalidInvoiceDate"}
    assert "in the future" in result["errors"][0]["message"]
    # Dated in the vendor's own day (east of UTC): accepted.
    body = documents.invoice(us_po, sim.now() + 10 * HOUR, "DAT-2")
    assert status(sim, api, body)["status"] == "Success"


def test_an_invoice_of_zero_is_refused(sim, api, us_po):
    body = documents.invoice(us_po, sim.now(), "ZERO-1")
    invoice = body["invoices"][0]
    total = invoice["invoiceTotal"]["amount"]
    invoice["allowanceDetails"] = [{"type": "Discount", "allowanceAmount": {
        "currencyCode": us_po.currency, "amount": total}}]
    invoice["invoiceTotal"]["amount"] = "0.00"
    result = status(sim, api, body)
    assert codes(result) == {"ZeroInvoiceTotal"}


def test_amounts_no_one_can_pay_are_refused(sim, api, us_po):
    """Money's pattern allows any exponent, and with 28 digits 1E+99999 plus the lines
    "adds up" to 1E+99999: refused rather than paid."""
    body = documents.invoice(us_po, sim.now(), "HUGE-1")
    invoice = body["invoices"][0]
    invoice["taxDetails"] = [{"taxType": "VAT", "taxAmount": {
        "currencyCode": us_po.currency, "amount": "1E+99999"}}]
    invoice["invoiceTotal"]["amount"] = "1E+99999"
    result = status(sim, api, body)
    assert codes(result) == {"InvalidAmount"}
    assert "invoiceTotal: 1E+99999" in result["errors"][0]["message"]
