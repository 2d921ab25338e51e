"""Amazon's remittance and finance-invoice replies -> the neutral structures: Amazon's own
examples read exactly, every way Amazon may sign a discount read alike, and hostile replies
refused with the field named, never a crash."""
import copy
import datetime
import json
import random
from decimal import Decimal

import pytest

from odoo.addons.acorn_amazon_vendor.lib import amazon_json, amazon_schema
from odoo.addons.acorn_amazon_vendor.lib.mapping.remittance import (
    RemittanceError,
    lines_difference,
    parse_amazon_invoice,
    parse_remittance,
    parse_remittance_header,
)

from ..simulator.fixtures import finance_sandbox_examples as ex


def as_received(document):
    """What the transport hands over: the JSON text read with exact numbers."""
    return amazon_json.loads(json.dumps(document))


def remittance_detail():
    return as_received(ex.GET_REMITTANCE_RESPONSE)


# -- Amazon's examples -------------------------------------------------------------------------
@pytest.mark.parametrize("module,class_name,example", [
    ("finance_remittance_v2026_03_17", "GetRemittancesResponse",
     ex.GET_REMITTANCE_HEADERS_RESPONSE),
    ("finance_remittance_v2026_03_17", "GetRemittanceResponse", ex.GET_REMITTANCE_RESPONSE),
    ("finance_remittance_v2026_03_17", "ErrorList", ex.BAD_GET_REMITTANCE_HEADERS_RESPONSE),
    ("finances_invoices_v2026_06_25", "GetInvoicesResponse", ex.GET_INVOICE_HEADERS_RESPONSE),
    ("finances_invoices_v2026_06_25", "GetInvoiceResponse", ex.GET_INVOICE_RESPONSE),
    ("finances_invoices_v2026_06_25", "GetInvoiceResponse", ex.INVOICE_RESPONSE_EXAMPLE),
    ("finances_invoices_v2026_06_25", "ErrorList", ex.BAD_INVOICES_RESPONSE),
])
def test_the_examples_fit_amazons_models(module, class_name, example):
    """The literals are Amazon's examples as its models define them (a transcription check)."""
    assert amazon_schema.validate(module, class_name, as_received(example)) == []


def test_remittance_example_reads_exactly():
    header = as_received(ex.GET_REMITTANCE_HEADERS_RESPONSE)["remittances"][0]
    remittance = parse_remittance(remittance_detail(), header=header)
    assert remittance.unique_payment_id == "756473657"
    assert remittance.payment_number == "355522363"
    assert remittance.payment_date == datetime.date(2026, 1, 14)
    assert (remittance.amount, remittance.currency) == (Decimal("3.5"), "EUR")
    assert remittance.amount_invoice_currency == Decimal("3.5")
    assert remittance.exchange_rate == Decimal("1.0")
    assert (remittance.method, remittance.status, remittance.country) == \
        ("EFT", "SUCCESSFUL", "DE")
    assert remittance.vendor_codes == ("VENDOR01",) and remittance.payee_codes == ("ABC12",)
    assert remittance.line_count == 1
    [line] = remittance.lines
    assert line.invoice_number == "INV-2026-00142"
    assert line.invoice_date == datetime.date(2026, 1, 10)
    assert (line.invoice_amount, line.amount_paid, line.discount, line.withholding,
            line.tax_amount) == (Decimal("3.5"), Decimal("3.5"), 0, 0, 0)
    assert (line.description, line.payment_terms, line.invoice_type) == \
        ("Payment for goods received", "Net 30", "Standard")
    assert line.vendor_codes == ("VENDOR01",) and line.currency == "EUR"
    assert not line.is_deduction and line.settled == Decimal("3.5")
    assert lines_difference(remittance) == 0


def test_remittance_headers_example_reads_exactly():
    headers = as_received(ex.GET_REMITTANCE_HEADERS_RESPONSE)["remittances"]
    parsed = [parse_remittance_header(h) for h in headers]
    assert [(r.unique_payment_id, r.amount, r.line_count) for r in parsed] == [
        ("756473657", Decimal("3.5"), 1), ("756473658", Decimal("3386.79"), 5)]


def test_numbers_keep_amazons_digits():
    detail = remittance_detail()
    text = json.dumps(detail).replace('"currencyAmount": 3.5', '"currencyAmount": 3.510')
    detail = amazon_json.loads(text)
    line = parse_remittance(detail).lines[0]
    assert str(line.invoice_amount) == "3.510"
    # The reply as received is still plain JSON for the ledger.
    assert json.loads(json.dumps(detail)) == json.loads(text)


def test_header_from_the_list_when_the_detail_has_none():
    detail = remittance_detail()
    header = detail.pop("remittanceHeader")
    assert parse_remittance(detail, header=header).unique_payment_id == "756473657"


def test_invoice_sandbox_examples_read_exactly():
    header = as_received(ex.GET_INVOICE_HEADERS_RESPONSE)["invoices"][0]
    invoice = parse_amazon_invoice(header)
    assert (invoice.invoice_number, invoice.identifier, invoice.status, invoice.invoice_type) \
        == ("INV-202505001", "INV-202505001~ABCDEF", "IN_PROGRESS", "AP_INVENTORY")
    assert (invoice.amount, invoice.currency) == (Decimal("2500.0"), "USD")
    assert invoice.issue_date == datetime.date(2025, 6, 18)
    assert invoice.due_date == datetime.date(2025, 7, 18)
    assert invoice.payment_terms == "NET30"
    assert invoice.related == {"PURCHASE_ORDER_IDS": ("PO123456", "PO789012")}
    assert invoice.last_updated == datetime.datetime(2025, 9, 27, 9, 0)
    assert invoice.lines == ()
    detail = parse_amazon_invoice(as_received(ex.GET_INVOICE_RESPONSE))
    assert detail.settlement == {"AmountPaid": Decimal("540.0")}
    [line] = detail.lines
    assert (line.line_id, line.quantity, line.unit_cost, line.total) == \
        ("LI-001", 10, Decimal("50.0"), Decimal("540.0"))
    assert line.identifiers == (("ASIN", "B0EXAMPLE1"),)
    assert (line.line_type, line.description) == ("GOODS", "Widget A")
    assert line.related == {"PURCHASE_ORDER_IDS": ("PO123456",)}
    assert line.matched_quantity is None and line.variance_reasons == ()


def test_invoice_example_with_variances():
    invoice = parse_amazon_invoice(as_received(ex.INVOICE_RESPONSE_EXAMPLE))
    assert invoice.settlement == {
        "AmountPaid": Decimal("530.0"), "QuickPayDiscount": Decimal("-5.0"),
        "PriceVariance": Decimal("-10.0"), "QueuedForPayment": Decimal("25.0")}
    assert invoice.related["UNIQUE_PAYMENT_IDS"] == ("PMT-98765",)
    [line] = invoice.lines
    assert (line.matched_quantity, line.matched_amount, line.paid_quantity, line.paid_amount) \
        == (8, Decimal("400.0"), 8, Decimal("385.0"))
    assert (line.quantity_variance, line.price_variance) == (2, Decimal("15.0"))
    assert [(r.variance_type, r.defect_types) for r in line.variance_reasons] == [
        ("PQV", ("SHORTAGES_IN_TRANSIT",)), ("PPV", ("PRODUCT_COST_NOT_ACTIVE",))]
    assert line.identifiers == (("ASIN", "B0EXAMPLE1"), ("EXTERNAL_ID", "EXT-99887"))
    assert line.related == {"PURCHASE_ORDER_IDS": ("PO123456",), "ASN_IDS": ("ASN-5678",)}


# -- sign conventions ------------------------------------------------------------------------
def money(amount, currency="EUR"):
    return {"currencyCode": currency, "currencyAmount": amount}


def line_with(net, paid, discount, total=100.0):
    detail = remittance_detail()
    item = detail["remittanceItems"][0]
    item["totalAmount"] = money(total)
    item["totalAmountBreakdown"] = [
        {"breakdownType": "InvoiceAmount", "breakdownAmount": money(total)},
        {"breakdownType": "TaxAmount", "breakdownAmount": money(0.0)}]
    item["netAmountPaid"] = money(net)
    item["netAmountPaidBreakdown"] = [
        {"breakdownType": "AmountPaid", "breakdownAmount": money(paid)},
        {"breakdownType": "TermsDiscountTaken", "breakdownAmount": money(discount)}]
    return parse_remittance(as_received(detail)).lines[0]


@pytest.mark.parametrize("net,paid,discount", [
    (98.0, 98.0, 2.0),  # AmountPaid is the cash, the discount shown apart (the simulator's)
    (98.0, 100.0, -2.0),  # netAmountPaid = AmountPaid + a negative discount
    (100.0, 98.0, 2.0),  # netAmountPaid = AmountPaid + a positive discount (what is settled)
])
def test_a_two_percent_discount_reads_alike_however_amazon_signs_it(net, paid, discount):
    line = line_with(net, paid, discount)
    assert (line.amount_paid, line.discount, line.settled) == (98, 2, 100)


def test_deductions_are_negative():
    detail = remittance_detail()
    item = detail["remittanceItems"][0]
    for key in ("totalAmount", "netAmountPaid"):
        item[key] = money(-12.5)
    item["totalAmountBreakdown"][0]["breakdownAmount"] = money(-12.5)
    item["netAmountPaidBreakdown"][0]["breakdownAmount"] = money(-12.5)
    item["invoiceNumber"] = "INV-2026-00142SC"
    line = parse_remittance(as_received(detail)).lines[0]
    assert line.is_deduction and line.settled == Decimal("-12.5")


def test_lines_difference_shows_missing_lines():
    detail = remittance_detail()
    detail["remittanceHeader"]["paymentAmountInInvoiceCurrency"] = money(10.0)
    assert lines_difference(parse_remittance(as_received(detail))) == Decimal("6.5")


def test_long_descriptions_are_shortened_not_refused():
    detail = remittance_detail()
    detail["remittanceItems"][0]["description"] = "Shortage   claim\n" * 100
    line = parse_remittance(as_received(detail)).lines[0]
    assert len(line.description) == 512 and line.description.endswith("\u2026")
    assert "\n" not in line.description


# -- hostile replies -------------------------------------------------------------------------
def mutate(document, path, value):
    document = copy.deepcopy(document)
    target = document
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if isinstance(target, list) else target[key]
    last = keys[-1]
    if value is DELETE:
        del target[last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return document


DELETE = object()


@pytest.mark.parametrize("path,value,message", [
    ("remittanceHeader", DELETE, "remittanceHeader is missing"),
    ("remittanceHeader", "header", "remittanceHeader: 'header' is not an object"),
    ("remittanceHeader.paymentAmount", DELETE, "remittanceHeader.paymentAmount is missing"),
    ("remittanceHeader.paymentAmount.currencyAmount", "lots",
     "paymentAmount.currencyAmount: 'lots' is not a number"),
    ("remittanceHeader.paymentAmount.currencyAmount", True, "True is not a number"),
    ("remittanceHeader.paymentAmount.currencyAmount", 1e300, "not an amount Odoo can keep"),
    ("remittanceHeader.paymentAmount.currencyAmount", 0.123456789123,
     "not an amount Odoo can keep"),
    ("remittanceHeader.paymentAmount.currencyCode", "eur", "is not an ISO 4217 currency code"),
    ("remittanceHeader.paymentAmount.currencyCode", DELETE,
     "paymentAmount.currencyCode is missing"),
    ("remittanceHeader.remittanceStatus", "PENDING", "remittanceStatus: 'PENDING' is not one"),
    ("remittanceHeader.remittanceStatus", DELETE, "remittanceStatus is missing"),
    ("remittanceHeader.paymentDate", "yesterday", "paymentDate: 'yesterday' is not an ISO"),
    ("remittanceHeader.paymentDate", 20260114, "is not an ISO 8601 date-time"),
    ("remittanceHeader.uniquePaymentId", "", "uniquePaymentId is missing"),
    ("remittanceHeader.uniquePaymentId", {"id": 1}, "uniquePaymentId: {'id': 1} is not text"),
    ("remittanceHeader.uniquePaymentId", "x" * 300, "300 characters long"),
    ("remittanceHeader.exchangeRate", 0, "exchangeRate: 0 is not a positive rate"),
    ("remittanceHeader.lineItemCount", -1, "lineItemCount: -1 is below 0"),
    ("remittanceHeader.lineItemCount", "many", "lineItemCount: 'many' is not a whole number"),
    ("remittanceHeader.relatedIdentifiers", "VENDOR01", "relatedIdentifiers: 'VENDOR01' is not"),
    ("remittanceHeader.relatedIdentifiers.0.relatedIdentifierValue", {"a": 1}, "is not a list"),
    ("remittanceItems", "items", "remittanceItems: 'items' is not a list"),
    ("remittanceItems.0", 42, "remittanceItems[0]: 42 is not an object"),
    ("remittanceItems.0.invoiceNumber", "INV\n1", "invoiceNumber: 'INV\\n1' contains control"),
    ("remittanceItems.0.invoiceNumber", ["INV"], "invoiceNumber: ['INV'] is not text"),
    ("remittanceItems.0.netAmountPaid.currencyCode", "USD",
     "netAmountPaid is in USD, the line in EUR"),
    ("remittanceItems.0.netAmountPaidBreakdown.0.breakdownAmount.currencyCode", "USD",
     "breakdownAmount is in USD, the amount it breaks down in EUR"),
    ("remittanceItems.0.netAmountPaidBreakdown.0.breakdownType", None, "breakdownType is missing"),
    ("remittanceItems.0.invoiceIssueDate", "2026-13-45T00:00:00Z", "invoiceIssueDate"),
    ("remittanceItems.0.withholdingAmount", [], "withholdingAmount: [] is not an object"),
])
def test_hostile_remittance_is_refused_naming_the_field(path, value, message):
    detail = mutate(remittance_detail(), path, value)
    with pytest.raises(RemittanceError) as caught:
        parse_remittance(detail)
    assert message in str(caught.value)


def test_a_line_without_what_was_paid_or_its_total_is_refused():
    detail = remittance_detail()
    item = detail["remittanceItems"][0]
    del item["netAmountPaid"], item["netAmountPaidBreakdown"]
    with pytest.raises(RemittanceError, match="neither netAmountPaid nor its AmountPaid"):
        parse_remittance(detail)
    detail = remittance_detail()
    item = detail["remittanceItems"][0]
    del item["totalAmount"], item["totalAmountBreakdown"]
    with pytest.raises(RemittanceError, match=r"remittanceItems\[0\].totalAmount is missing"):
        parse_remittance(detail)


def test_the_detail_of_another_payment_is_refused():
    with pytest.raises(RemittanceError, match="is not the payment asked for"):
        parse_remittance(remittance_detail(), header={"uniquePaymentId": "756473658"})


@pytest.mark.parametrize("path,value,message", [
    ("invoiceHeader.invoiceStatus", "LOST", "invoiceStatus: 'LOST' is not one of"),
    ("invoiceHeader.invoiceType", DELETE, "invoiceHeader.invoiceType is missing"),
    ("invoiceHeader.invoiceNumber", None, "invoiceHeader.invoiceNumber is missing"),
    ("invoiceHeader.invoiceAmount", "540", "invoiceAmount: '540' is not an object"),
    ("invoiceHeader.invoiceSettlementBreakdowns.0.breakdownAmount.currencyCode", "EUR",
     "is in EUR, the amount it breaks down in USD"),
    ("invoiceHeader.dueDate", "soon", "dueDate: 'soon' is not an ISO 8601"),
    ("invoiceItems", {"a": 1}, "invoiceItems: {'a': 1} is not a list"),
    ("invoiceItems.0.totalAmount", DELETE, "invoiceItems[0].totalAmount is missing"),
    ("invoiceItems.0.quantity", 2 ** 40, "quantity: 1099511627776 is larger than Odoo"),
    ("invoiceItems.0.quantity", 1.5, "quantity: 1.5 is not a whole number"),
    ("invoiceItems.0.unitCost.currencyCode", "EUR", "unitCost is in EUR, the line in USD"),
    ("invoiceItems.0.lineItemContext.itemIdentifiers.0", "ASIN",
     "itemIdentifiers[0]: 'ASIN' is not an object"),
    ("invoiceItems.0.lineItemContext.matchingContext.matchedQuantity", "eight",
     "matchingContext.matchedQuantity: 'eight' is not a whole number"),
    ("invoiceItems.0.lineItemContext.matchingContext.varianceReasons.0.defectTypes", "X",
     "defectTypes: 'X' is not a list"),
])
def test_hostile_invoice_is_refused_naming_the_field(path, value, message):
    document = mutate(as_received(ex.INVOICE_RESPONSE_EXAMPLE), path, value)
    with pytest.raises(RemittanceError) as caught:
        parse_amazon_invoice(document)
    assert message in str(caught.value)


def test_breakdowns_nested_without_end_are_refused():
    document = as_received(ex.INVOICE_RESPONSE_EXAMPLE)
    breakdown = document["invoiceHeader"]["invoiceSettlementBreakdowns"][0]
    for _ in range(50):
        breakdown["breakdowns"] = [copy.deepcopy(breakdown)]
        breakdown = breakdown["breakdowns"][0]
    with pytest.raises(RemittanceError, match="nested more than"):
        parse_amazon_invoice(document)


JUNK = [None, "", "x", -1, 0, 2 ** 64, 1e308, -0.0, True, [], {}, [None], {"a": None},
        "2026-02-30T00:00:00Z", "\x00", "\u202e" * 3]


def leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield path + (key,)
            yield from leaves(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield path + (index,)
            yield from leaves(value, path + (index,))


def replaced(document, path, value):
    document = copy.deepcopy(document)
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return document


@pytest.mark.parametrize("parse,example", [
    (parse_remittance, ex.GET_REMITTANCE_RESPONSE),
    (parse_amazon_invoice, ex.INVOICE_RESPONSE_EXAMPLE),
    (parse_amazon_invoice, ex.GET_INVOICE_HEADERS_RESPONSE["invoices"][0]),
])
def test_no_reply_crashes_the_parsers(parse, example):
    """Every field of Amazon's examples replaced by junk, one at a time and in random pairs:
    a structure or a RemittanceError, nothing else."""
    rng = random.Random(14)
    document = as_received(example)
    paths = list(leaves(document))
    cases = [[(path, junk)] for path in paths for junk in JUNK]
    cases += [[(rng.choice(paths), rng.choice(JUNK)) for _ in range(2)] for _ in range(300)]
    for changes in cases:
        hostile = document
        for path, junk in changes:
            try:
                hostile = replaced(hostile, path, copy.deepcopy(junk))
            except (KeyError, IndexError, TypeError):
                continue  # the first change removed the second one's parent
        try:
            parse(hostile)
        except RemittanceError:
            pass
