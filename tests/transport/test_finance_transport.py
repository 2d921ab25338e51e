"""The Finance Remittance and Finances Invoices APIs through the transport, against Amazon's
sandbox replies played by a scripted server: no payload envelope, every page read (the tokens
stay in the body), 90-day windows, exact numbers, Amazon's errors."""
import datetime
import json

import pytest

from odoo.addons.acorn_amazon_vendor.lib import amazon_schema
from odoo.addons.acorn_amazon_vendor.lib.mapping.remittance import (
    RemittanceError,
    parse_amazon_invoice,
    parse_remittance,
)
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError, clear_token_cache
from odoo.addons.acorn_amazon_vendor.lib.transport.pacing import MemoryPacer

from ..simulator.fixtures import finance_sandbox_examples as ex
from .scripted_server import ScriptedServer
from .test_transport import make_api

REMITTANCES = "/finances/remittances/2026-03-17/remittances"
INVOICES = "/finances/invoices/2026-06-25/invoices"
REMITTANCE_MODULE = "finance_remittance_v2026_03_17"
INVOICE_MODULE = "finances_invoices_v2026_06_25"
UTC = datetime.UTC
DAY = datetime.timedelta(days=1)


@pytest.fixture()
def server():
    clear_token_cache()
    with ScriptedServer() as srv:
        yield srv


def second_header():
    header = dict(ex.GET_REMITTANCE_HEADERS_RESPONSE["remittances"][1],
                  uniquePaymentId="756473659", paymentNumber="354651631")
    return {"remittances": [header], "numOfRecords": 3}


def test_remittance_headers_follow_next_token_of_a_reply_without_envelope(server):
    server.on(REMITTANCES, (200, ex.GET_REMITTANCE_HEADERS_RESPONSE), (200, second_header()))
    start = datetime.datetime(2026, 1, 1, tzinfo=UTC)
    with make_api(server, marketplace_id="A1PA6795UKMFR9") as api:
        headers = list(api.iter_remittance_headers(start, start + 30 * DAY))
    assert [h["uniquePaymentId"] for h in headers] == ["756473657", "756473658", "756473659"]
    for header in headers:
        assert amazon_schema.validate(REMITTANCE_MODULE, "RemittanceHeader", header) == []
    queries = [r["query"] for r in server.received(REMITTANCES)]
    assert [q.get("nextToken") for q in queries] == [None, ["seed-token-abc123"]]
    for query in queries:
        assert query["marketplaceId"] == ["A1PA6795UKMFR9"]
        assert query["startDate"] == ["2026-01-01T00:00:00Z"]
        assert query["endDate"] == ["2026-01-31T00:00:00Z"]
        assert not {"MarketplaceId", "MarketplaceIds", "marketplaceIds"} & set(query)


def test_remittance_ranges_are_cut_into_90_day_windows_and_read_once(server):
    # Every window answers the same payment: read once all the same.
    page = {"remittances": ex.GET_REMITTANCE_HEADERS_RESPONSE["remittances"][:1]}
    server.on(REMITTANCES, (200, page))
    start = datetime.datetime(2025, 6, 1, tzinfo=UTC)
    with make_api(server) as api:
        headers = list(api.iter_remittance_headers(start, start + 200 * DAY, "ATVPDKIKX0DER"))
        windows = [(s, e) for s, e, _ in api.iter_remittance_header_pages(
            start, start + 200 * DAY)]
    assert [h["uniquePaymentId"] for h in headers] == ["756473657"]
    assert windows == [(start, start + 90 * DAY), (start + 90 * DAY, start + 180 * DAY),
                       (start + 180 * DAY, start + 200 * DAY)]
    for request in server.received(REMITTANCES):
        first = datetime.datetime.fromisoformat(request["query"]["startDate"][0])
        last = datetime.datetime.fromisoformat(request["query"]["endDate"][0])
        assert last - first <= 90 * DAY


def test_a_remittance_is_read_with_every_page_of_lines(server):
    path = f"{REMITTANCES}/{ex.GET_REMITTANCE_ID}"
    item = dict(ex.GET_REMITTANCE_RESPONSE["remittanceItems"][0],
                invoiceNumber="INV-2026-00142SC",
                totalAmount={"currencyCode": "EUR", "currencyAmount": -1.25},
                netAmountPaid={"currencyCode": "EUR", "currencyAmount": -1.25})
    del item["totalAmountBreakdown"], item["netAmountPaidBreakdown"]
    last = {"remittanceHeader": ex.GET_REMITTANCE_RESPONSE["remittanceHeader"],
            "remittanceItems": [item]}
    server.on(path, (200, ex.GET_REMITTANCE_RESPONSE), (200, last))
    with make_api(server) as api:
        detail = api.get_remittance(ex.GET_REMITTANCE_ID, "A1PA6795UKMFR9")
    assert [i["invoiceNumber"] for i in detail["remittanceItems"]] == \
        ["INV-2026-00142", "INV-2026-00142SC"]
    assert "nextTokenForLineItems" not in detail
    assert amazon_schema.validate(REMITTANCE_MODULE, "GetRemittanceResponse", detail) == []
    queries = [r["query"] for r in server.received(path)]
    assert [q.get("nextTokenForLineItems") for q in queries] == [None, ["seed-token-def456"]]
    assert all(q["marketplaceId"] == ["A1PA6795UKMFR9"] for q in queries)
    remittance = parse_remittance(detail)
    assert [str(line.amount_paid) for line in remittance.lines] == ["3.5", "-1.25"]
    # What the ledger keeps is still JSON.
    assert json.loads(json.dumps(detail))["remittanceItems"][1]["totalAmount"][
        "currencyAmount"] == -1.25


def test_numbers_arrive_with_amazons_digits(server):
    path = f"{REMITTANCES}/1"
    body = json.dumps(ex.GET_REMITTANCE_RESPONSE).replace("seed-token-def456", "").replace(
        '"nextTokenForLineItems": "", ', "").replace(
        '"currencyAmount": 3.5', '"currencyAmount": 1234567890.12345678')
    server.on(path, (200, body.encode()))
    with make_api(server) as api:
        detail = api.get_remittance("1")
    line = parse_remittance(detail).lines[0]
    assert str(line.invoice_amount) == "1234567890.12345678"  # a float would give ...12345


def test_invoices_are_read_by_window_and_page(server):
    server.on(INVOICES, (200, ex.GET_INVOICE_HEADERS_RESPONSE),
              (200, {"invoices": [], "numOfRecords": 0}))
    start = datetime.datetime(2025, 1, 1, tzinfo=UTC)
    since = datetime.datetime(2025, 5, 1, tzinfo=UTC)
    with make_api(server) as api:
        headers = list(api.iter_invoice_headers("ATVPDKIKX0DER", issued_from=start,
                                                issued_to=start + 100 * DAY,
                                                modified_after=since))
    assert [h["invoiceIdentifier"] for h in headers] == ["INV-202505001~ABCDEF"]
    queries = [r["query"] for r in server.received(INVOICES)]
    assert [(q["fromIssueDate"], q["toIssueDate"], q.get("nextToken")) for q in queries] == [
        (["2025-01-01T00:00:00Z"], ["2025-04-01T00:00:00Z"], None),
        (["2025-01-01T00:00:00Z"], ["2025-04-01T00:00:00Z"], ["1"]),
        (["2025-04-01T00:00:00Z"], ["2025-04-11T00:00:00Z"], None)]
    assert all(q["invoicesModifiedAfter"] == ["2025-05-01T00:00:00Z"] for q in queries)
    assert parse_amazon_invoice(headers[0]).status == "IN_PROGRESS"


def test_invoice_headers_without_dates_take_amazons_default(server):
    server.on(INVOICES, (200, {"invoices": [], "numOfRecords": 0}))
    with make_api(server) as api:
        assert list(api.iter_invoice_headers()) == []
        with pytest.raises(ValueError, match="issued_to needs issued_from"):
            list(api.iter_invoice_headers(issued_to=datetime.datetime.now(UTC)))
    [query] = [r["query"] for r in server.received(INVOICES)]
    assert query == {"marketplaceId": ["ATVPDKIKX0DER"]}


def test_an_invoice_is_read_with_every_page_of_lines(server):
    path = f"{INVOICES}/INV-202505001~ABCDEF"
    second = {"invoiceHeader": ex.GET_INVOICE_RESPONSE["invoiceHeader"],
              "invoiceItems": [dict(ex.GET_INVOICE_RESPONSE["invoiceItems"][0],
                                    lineItemId="LI-002")]}
    server.on(path, (200, ex.GET_INVOICE_RESPONSE), (200, second))
    with make_api(server) as api:
        detail = api.get_invoice(ex.GET_INVOICE_ID)
    assert [i["lineItemId"] for i in detail["invoiceItems"]] == ["LI-001", "LI-002"]
    assert amazon_schema.validate(INVOICE_MODULE, "GetInvoiceResponse", detail) == []
    queries = [r["query"] for r in server.received(path)]
    assert [q.get("nextTokenForLineItems") for q in queries] == [None, ["5"]]
    assert len(parse_amazon_invoice(detail).lines) == 2


def test_identifiers_are_sent_encoded(server):
    path = f"{INVOICES}/2026%2F0001~ACRNQ"
    server.on(path, (200, {"invoiceHeader": ex.GET_INVOICE_RESPONSE["invoiceHeader"],
                           "invoiceItems": []}))
    with make_api(server) as api:
        api.get_invoice("2026/0001~ACRNQ")
    assert len(server.received(path)) == 1


def test_a_token_that_comes_back_is_not_followed_forever(server):
    server.on(INVOICES, (200, ex.GET_INVOICE_HEADERS_RESPONSE))
    with make_api(server) as api, pytest.raises(AmazonApiError) as caught:
        list(api.iter_invoice_headers())
    assert caught.value.kind == "malformed" and "again" in caught.value.message
    assert len(server.received(INVOICES)) == 2


@pytest.mark.parametrize("path,body", [
    (REMITTANCES, ex.BAD_GET_REMITTANCE_HEADERS_RESPONSE),
    (INVOICES, ex.BAD_INVOICES_RESPONSE),
])
def test_amazons_error_envelope_is_an_error_not_retried(server, path, body):
    server.on(path, (400, body))
    start = datetime.datetime(2026, 1, 1, tzinfo=UTC)
    with make_api(server, max_attempts=3) as api, pytest.raises(AmazonApiError) as caught:
        if path == REMITTANCES:
            list(api.iter_remittance_headers(start, start + DAY, "ATVPDKIKX0DER"))
        else:
            list(api.iter_invoice_headers("ATVPDKIKX0DER"))
    error = caught.value
    assert (error.kind, error.status, error.code, error.message) == (
        "bad_request", 400, body["errors"][0]["code"], body["errors"][0]["message"])
    assert not error.outcome_unknown
    assert len(server.received(path)) == 1


def test_throttled_reads_are_retried_and_paced_by_amazons_rate(server):
    server.on(INVOICES, (429, {"errors": [{"code": "QuotaExceeded", "message": "slow down"}]}),
              (200, {"invoices": [], "numOfRecords": 0}, {"x-amzn-RateLimit-Limit": "0.25"}))
    sleeps = []
    pacer = MemoryPacer(clock=lambda: 0.0, sleep=sleeps.append)
    with make_api(server, sleeps=sleeps, pace_requests=True) as api:
        api.pacer = pacer
        assert list(api.iter_invoice_headers()) == []
    assert len(server.received(INVOICES)) == 2
    bucket = pacer._buckets[(api.config.cache_key, "getInvoiceHeaders")]
    assert bucket[2] == 0.25  # Amazon's header wins over the plan (0.5 per second)


def test_naive_datetimes_are_utc_as_odoo_stores_them(server):
    server.on(INVOICES, (200, {"invoices": [], "numOfRecords": 0}))
    server.on(REMITTANCES, (200, {"remittances": [], "numOfRecords": 0}))
    start = datetime.datetime(2026, 1, 1)  # naive, as fields.Datetime.now() gives
    with make_api(server) as api:
        assert list(api.iter_invoice_headers(issued_from=datetime.datetime.now() - 10 * DAY,
                                             modified_after=start)) == []
        assert list(api.iter_remittance_headers(start, start + DAY)) == []
    [query] = [r["query"] for r in server.received(REMITTANCES)]
    assert query["startDate"] == ["2026-01-01T00:00:00Z"]
    assert query["endDate"] == ["2026-01-02T00:00:00Z"]
    [query] = [r["query"] for r in server.received(INVOICES)]
    assert query["invoicesModifiedAfter"] == ["2026-01-01T00:00:00Z"]


def test_odd_lines_reach_the_parser_and_odd_pages_are_errors(server):
    path = f"{REMITTANCES}/1"
    server.on(path, (200, {"remittanceHeader": ex.GET_REMITTANCE_RESPONSE["remittanceHeader"],
                           "remittanceItems": [42]}))
    server.on(INVOICES, (200, {"invoices": "none"}))
    with make_api(server) as api:
        detail = api.get_remittance("1")
        assert detail["remittanceItems"] == [42]  # not dropped: the parser names it
        with pytest.raises(RemittanceError, match=r"remittanceItems\[0\]: 42 is not an object"):
            parse_remittance(detail)
        with pytest.raises(AmazonApiError, match="invoices is not a list"):
            list(api.iter_invoice_headers())
    server.on(INVOICES, (200, {"invoices": [], "nextToken": 7}))
    with make_api(server) as api, pytest.raises(AmazonApiError, match="7 is not a token"):
        list(api.iter_invoice_headers())
