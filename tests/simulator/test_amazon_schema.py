"""amazon_schema: Amazon's generated model classes as a validator."""
import pytest

from odoo.addons.acorn_amazon_vendor.lib import amazon_schema
from odoo.addons.acorn_amazon_vendor.lib.amazon_schema import SchemaError, check, validate

from .fixtures import sandbox_examples as ex


def test_sandbox_examples_pass_and_fail_as_amazon_says():
    assert validate("vendor_orders_v1", "SubmitAcknowledgementRequest",
                    ex.SUBMIT_ACKNOWLEDGEMENT) == []
    assert validate("vendor_shipments_v1", "SubmitShipmentConfirmationsRequest",
                    ex.SUBMIT_SHIPMENT_CONFIRMATIONS) == []
    assert validate("vendor_invoices_v1", "SubmitInvoicesRequest", ex.SUBMIT_INVOICES) == []
    problems = validate("vendor_invoices_v1", "SubmitInvoicesRequest", ex.BAD_SUBMIT_INVOICES)
    assert f"$.invoices[0].invoiceType: {ex.BAD_SUBMIT_INVOICES_MESSAGE}" in problems
    # id, date, remitToParty and invoiceTotal are required too.
    assert sum("is not complete" in p for p in problems) == 4


def test_required_fields_reported_with_amazon_wording():
    problems = validate("vendor_orders_v1", "SubmitAcknowledgementRequest",
                        ex.BAD_SUBMIT_ACKNOWLEDGEMENT)
    assert ("$.acknowledgements[0].sellingParty.partyId: The content of element "
            "'sellingParty' is not complete. One of '{partyId, address, taxInfo}' is expected."
            ) in problems
    assert any(p.startswith("$.acknowledgements[0].acknowledgementDate:") for p in problems)
    assert any(p.startswith("$.acknowledgements[0].items:") for p in problems)


def test_unknown_elements_refused():
    body = dict(ex.SUBMIT_INVOICES, marketplaceIds=["ATVPDKIKX0DER"])
    problems = validate("vendor_invoices_v1", "SubmitInvoicesRequest", body)
    assert problems == ["$.marketplaceIds: Invalid content was found starting with element "
                        "'marketplaceIds'. One of '{invoices}' is expected."]


@pytest.mark.parametrize("amount, ok", [
    ("10.2", True), ("70", True), ("-5.00", True), ("1e3", True),
    ("10,20", False), ("010", False), (" 1", False), ("", False), (10.2, False)])
def test_decimal_strings(amount, ok):
    problems = validate("vendor_orders_v1", "Money", {"currencyCode": "USD", "amount": amount})
    assert (problems == []) is ok, problems


@pytest.mark.parametrize("value, ok", [
    ("2026-11-01T00:00:00Z", True), ("2021-03-12T17:35:26.308Z", True),
    ("2019-08-20T14:00:00", True), ("2026-11-01T08:00:00+08:00", True),
    ("2026-11-01", False), ("2019-09-2100:00:00", False), ("2026-13-01T00:00:00Z", False),
    ("yesterday", False)])
def test_iso_8601_date_times(value, ok):
    problems = validate("vendor_orders_v1", "OrderItemAcknowledgement", {
        "acknowledgementCode": "Accepted", "acknowledgedQuantity": {"amount": 1},
        "scheduledShipDate": value})
    assert (problems == []) is ok, problems


def test_types_enums_lengths_and_intervals():
    problems = validate("vendor_orders_v1", "OrderDetails", {
        "purchaseOrderDate": "2026-11-01T00:00:00Z",
        "purchaseOrderStateChangedDate": "2026-11-01T00:00:00Z",
        "purchaseOrderType": "Urgent", "shipWindow": "2026-11-01T00:00:00Z",
        "importDetails": {"portOfDelivery": "X" * 65},
        "items": [{"itemSequenceNumber": 1, "isBackOrderAllowed": "no",
                   "orderedQuantity": {"amount": "5"}}],
    })
    by_path = {p.split(": ", 1)[0]: p.split(": ", 1)[1] for p in problems}
    assert by_path["$.purchaseOrderType"].startswith("Value 'Urgent' is not valid")
    assert "ISO 8601 interval" in by_path["$.shipWindow"]
    assert "exceeds the maximum of 64" in by_path["$.importDetails.portOfDelivery"]
    assert by_path["$.items[0].itemSequenceNumber"] == "expected a string, got number"
    assert by_path["$.items[0].isBackOrderAllowed"] == "expected a boolean, got string"
    assert by_path["$.items[0].orderedQuantity.amount"] == "expected an integer, got string"


def test_list_bounds_patterns_and_enum_classes():
    problems = validate("reports_v2021_06_30", "CreateReportSpecification",
                        {"reportType": "GET_VENDOR_SALES_REPORT", "marketplaceIds": []})
    assert problems == ["$.marketplaceIds: length 0 is below the minimum of 1"]
    problems = validate("vendor_shipments_v1", "ItemDetails", {"countryOfOrigin": "cn"})
    assert problems == ["$.countryOfOrigin: 'cn' does not match the pattern ^[A-Z]{2}$"]
    problems = validate("vendor_invoices_v1", "InvoiceItem", {
        "itemSequenceNumber": 1, "invoicedQuantity": {"amount": 1, "unitOfMeasure": "Eaches"},
        "netCost": {"amount": "1.00"}, "netCostUnitOfMeasure": "LB"})
    assert len(problems) == 1 and problems[0].startswith("$.netCostUnitOfMeasure: Value 'LB'")


def test_check_raises_with_every_error():
    with pytest.raises(SchemaError) as info:
        check("vendor_invoices_v1", "SubmitInvoicesRequest", ex.BAD_SUBMIT_INVOICES)
    assert len(info.value.errors) == 5
    assert check("vendor_invoices_v1", "SubmitInvoicesRequest", ex.SUBMIT_INVOICES) \
        is ex.SUBMIT_INVOICES


def test_unknown_model_is_a_programming_error():
    with pytest.raises(LookupError):
        validate("vendor_orders_v1", "NoSuchClass", {})


def test_parse_date_time_normalises_to_utc():
    value = amazon_schema.parse_date_time("2026-11-01T08:30:00+08:00")
    assert value.isoformat() == "2026-11-01T00:30:00+00:00"
    assert amazon_schema.parse_date_time("2026-02-30T00:00:00Z") is None
