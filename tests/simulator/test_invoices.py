"""submitInvoices: invoices reach Success, or Failure on Amazon's invoice rules."""
import copy
from decimal import Decimal

import pytest

from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError

from . import documents

codes = documents.failure_codes


@pytest.fixture
def closed(sim):
    return sim.po(lambda p: p.state == "Closed" and p.currency == "USD")


def invoice_status(sim, api, body):
    return documents.settled_status(sim, api, api.submit_invoices, body)


def test_invoice_success_with_tax(sim, api, closed):
    body = documents.invoice(closed, sim.now(), "INV-1", tax_rate=Decimal("0.2"))
    status = invoice_status(sim, api, body)
    assert status["status"] == "Success"
    assert sum(i.invoiced for i in closed.items) == sum(i.accepted for i in closed.items)


def test_invoice_number_cannot_be_reused(sim, api, closed):
    assert invoice_status(sim, api, documents.invoice(closed, sim.now(), "INV-2"))[
        "status"] == "Success"
    assert codes(invoice_status(sim, api, documents.invoice(closed, sim.now(), "INV-2"))) == {
        "DuplicateInvoiceNumber"}


def test_net_cost_must_be_the_po_cost(sim, api, closed):
    body = documents.invoice(closed, sim.now(), "INV-3")
    line = body["invoices"][0]["items"][0]
    line["netCost"]["amount"] = str(Decimal(line["netCost"]["amount"]) + 1)
    found = codes(invoice_status(sim, api, body))
    # The total no longer adds up either: it was computed from the PO cost.
    assert found == {"NetCostMismatch", "InvoiceTotalMismatch"}


def test_missing_po_number_and_unknown_po(sim, api, closed):
    body = documents.invoice(closed, sim.now(), "INV-4")
    del body["invoices"][0]["items"][0]["purchaseOrderNumber"]
    assert "MissingPurchaseOrderNumber" in codes(invoice_status(sim, api, body))
    body = documents.invoice(closed, sim.now(), "INV-5")
    body["invoices"][0]["items"][0]["purchaseOrderNumber"] = "ZZZZ0000"
    assert codes(invoice_status(sim, api, body)) == {"InvalidPurchaseOrderNumber"}


def test_totals_must_add_up(sim, api, closed):
    body = documents.invoice(closed, sim.now(), "INV-6", tax_rate=Decimal("0.1"))
    total = body["invoices"][0]["invoiceTotal"]
    total["amount"] = str(Decimal(total["amount"]) + Decimal("0.05"))
    status = invoice_status(sim, api, body)
    assert codes(status) == {"InvoiceTotalMismatch"}
    assert "does not add up" in status["errors"][0]["message"]


def test_charges_and_allowances_count_in_the_total(sim, api, closed):
    body = documents.invoice(closed, sim.now(), "INV-7")
    invoice = body["invoices"][0]
    currency = invoice["invoiceTotal"]["currencyCode"]
    invoice["chargeDetails"] = [{"type": "Freight", "chargeAmount": {
        "currencyCode": currency, "amount": "25.00"}}]
    invoice["allowanceDetails"] = [{"type": "Discount", "allowanceAmount": {
        "currencyCode": currency, "amount": "5.00"}}]
    wrong = copy.deepcopy(body)
    invoice["invoiceTotal"]["amount"] = str(Decimal(invoice["invoiceTotal"]["amount"]) + 20)
    wrong["invoices"][0]["id"] = "INV-8"
    # The wrong total first: once the right one is accepted, the goods are billed.
    assert codes(invoice_status(sim, api, wrong)) == {"InvoiceTotalMismatch"}
    assert invoice_status(sim, api, body)["status"] == "Success"


def test_invoice_without_items_or_before_the_po(sim, api, closed):
    body = documents.invoice(closed, sim.now(), "INV-9")
    body["invoices"][0]["date"] = "2020-01-01T00:00:00Z"
    assert codes(invoice_status(sim, api, body)) == {"InvalidInvoiceDate"}
    del body["invoices"][0]["items"]
    body["invoices"][0]["id"] = "INV-10"
    assert codes(invoice_status(sim, api, body)) == {"MissingItems"}


def test_invoice_schema_uses_postal_or_zip_code_and_integer_sequence(sim, api, closed):
    body = documents.invoice(closed, sim.now(), "INV-11")
    address = body["invoices"][0]["remitToParty"]["address"]
    address["postalCode"] = address.pop("postalOrZipCode")
    body["invoices"][0]["items"][0]["itemSequenceNumber"] = "1"
    with pytest.raises(AmazonApiError) as info:
        api.submit_invoices(body)
    assert {e["details"] for e in info.value.errors} == {
        "$.invoices[0].remitToParty.address.postalCode",
        "$.invoices[0].items[0].itemSequenceNumber"}
