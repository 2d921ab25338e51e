"""Reports 2021-06-30: lifecycle, gzip JSON documents shaped like Amazon's report schemas and
consistent with the simulated POs, and a download URL that expires."""
import datetime
import gzip
import json

import httpx
import pytest

from odoo.addons.acorn_amazon_vendor.lib.amazon_schema import validate
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError, iso

from .conftest import NOW

US = "ATVPDKIKX0DER"
DE = "A1PA6795UKMFR9"
DAY = datetime.timedelta(days=1)
# Required keys of Amazon's vendor report schemas (schemas/reports/*.json).
SALES_ROW = {"startDate", "endDate", "asin", "shippedCogs", "shippedRevenue", "shippedUnits"}
INVENTORY_ROW = {"startDate", "endDate", "asin", "netReceivedInventoryCost",
                 "netReceivedInventoryUnits", "openPurchaseOrderUnits",
                 "sellableOnHandInventoryCost", "sellableOnHandInventoryUnits"}
FORECAST_ROW = {"forecastGenerationDate", "asin", "startDate", "endDate", "meanForecastUnits",
                "p70ForecastUnits", "p80ForecastUnits", "p90ForecastUnits"}
REAL_TIME_ROW = {"startTime", "endTime", "asin", "highlyAvailableInventory"}


def last_full_weeks(count):
    """Sunday..Saturday dates of the ``count`` weeks before NOW."""
    saturday = (NOW - DAY * ((NOW.weekday() + 2) % 7 or 7)).replace(hour=0, minute=0, second=0)
    return saturday - DAY * (7 * count - 1), saturday


def run_report(sim, api, report_type, marketplace=US, **options):
    report_id = api.create_report(report_type, [marketplace], **options)
    report = api.get_report(report_id)
    assert report["processingStatus"] == "IN_QUEUE"
    assert validate("reports_v2021_06_30", "Report", report) == []
    sim.advance(6)
    assert api.get_report(report_id)["processingStatus"] == "IN_PROGRESS"
    sim.advance(15)
    report = api.get_report(report_id)
    assert report["processingStatus"] == "DONE"
    assert validate("reports_v2021_06_30", "Report", report) == []
    meta = api.get_report_document(report["reportDocumentId"])
    assert validate("reports_v2021_06_30", "ReportDocument", meta) == []
    assert meta["compressionAlgorithm"] == "GZIP"
    assert meta["url"].startswith(sim.url + "/")
    raw = httpx.get(meta["url"], trust_env=False)
    assert raw.status_code == 200
    return json.loads(gzip.decompress(raw.content)), meta


def check_rows(rows, required, money=()):
    assert rows
    for row in rows:
        assert required <= set(row), required - set(row)
        for key in money:
            assert set(row[key]) == {"amount", "currencyCode"}
            assert isinstance(row[key]["amount"], float)


def test_sales_report(sim, api):
    start, end = last_full_weeks(2)
    content, _meta = run_report(
        sim, api, "GET_VENDOR_SALES_REPORT", dataStartTime=iso(start), dataEndTime=iso(end),
        reportOptions={"reportPeriod": "WEEK", "distributorView": "MANUFACTURING",
                       "sellingProgram": "RETAIL"})
    spec = content["reportSpecification"]
    assert spec["reportType"] == "GET_VENDOR_SALES_REPORT" and spec["marketplaceIds"] == [US]
    assert (spec["dataStartTime"], spec["dataEndTime"]) == (
        start.date().isoformat(), end.date().isoformat())
    assert len(content["salesAggregate"]) == 2
    check_rows(content["salesByAsin"], SALES_ROW, ("shippedCogs", "shippedRevenue"))
    us_asins = {p["asin"] for p in sim.state.catalogue if p["currency"] == "USD"}
    assert {r["asin"] for r in content["salesByAsin"]} == us_asins
    week_one = [r for r in content["salesByAsin"] if r["startDate"] == spec["dataStartTime"]]
    assert content["salesAggregate"][0]["shippedUnits"] == sum(r["shippedUnits"]
                                                               for r in week_one)


def test_inventory_report_matches_the_purchase_orders(sim, api):
    start, end = NOW.replace(day=1) - DAY * 31, NOW.replace(day=1) - DAY
    start = start.replace(day=1)
    content, _meta = run_report(
        sim, api, "GET_VENDOR_INVENTORY_REPORT", dataStartTime=iso(start),
        dataEndTime=iso(end), reportOptions={"reportPeriod": "MONTH",
                                             "distributorView": "SOURCING",
                                             "sellingProgram": "RETAIL"})
    check_rows(content["inventoryByAsin"], INVENTORY_ROW,
               ("netReceivedInventoryCost", "sellableOnHandInventoryCost"))
    received = sum(i.received for po in sim.state.order_list if po.currency == "USD"
                   for i in po.items
                   if i.last_receive and start.date() <= i.last_receive.date() <= end.date())
    aggregate = content["inventoryAggregate"]
    assert len(aggregate) == 1
    assert aggregate[0]["netReceivedInventoryUnits"] == received > 0


def test_forecast_and_real_time_reports_in_eur(sim, api):
    content, _meta = run_report(sim, api, "GET_VENDOR_FORECASTING_REPORT", marketplace=DE,
                                reportOptions={"sellingProgram": "RETAIL"})
    rows = content["forecastByAsin"]
    check_rows(rows, FORECAST_ROW)
    eur = {p["asin"] for p in sim.state.catalogue if p["currency"] == "EUR"}
    assert {r["asin"] for r in rows} == eur
    assert all(r["meanForecastUnits"] <= r["p70ForecastUnits"] <= r["p80ForecastUnits"]
               <= r["p90ForecastUnits"] for r in rows)
    start = (sim.now() - datetime.timedelta(hours=5)).replace(minute=0, second=0)
    content, _meta = run_report(
        sim, api, "GET_VENDOR_REAL_TIME_INVENTORY_REPORT", dataStartTime=iso(start),
        dataEndTime=iso(start + datetime.timedelta(hours=3)))
    check_rows(content["reportData"], REAL_TIME_ROW)
    assert len({r["startTime"] for r in content["reportData"]}) == 3


def test_document_url_expires_and_is_signed(sim, api):
    _content, meta = run_report(sim, api, "GET_VENDOR_FORECASTING_REPORT",
                                reportOptions={"sellingProgram": "RETAIL"})
    tampered = meta["url"].replace("X-Amz-Expires=300", "X-Amz-Expires=999999")
    reply = httpx.get(tampered, trust_env=False)
    assert reply.status_code == 403 and b"signature" in reply.content
    sim.advance(301)
    reply = httpx.get(meta["url"], trust_env=False)
    assert reply.status_code == 403 and b"Request has expired" in reply.content
    fresh = api.get_report_document(meta["reportDocumentId"])
    assert httpx.get(fresh["url"], trust_env=False).status_code == 200


@pytest.mark.parametrize("report_type, options", [
    ("GET_MERCHANT_LISTINGS_ALL_DATA", {}),
    ("GET_VENDOR_SALES_REPORT", {"reportOptions": {"reportPeriod": "WEEK",
                                                   "distributorView": "MANUFACTURING",
                                                   "sellingProgram": "RETAIL"}}),
    ("GET_VENDOR_SALES_REPORT", {"reportOptions": {"reportPeriod": "WEEK",
                                                   "sellingProgram": "RETAIL"},
                                 "dataStartTime": "2026-10-18T00:00:00Z",
                                 "dataEndTime": "2026-10-24T00:00:00Z"}),
    ("GET_VENDOR_SALES_REPORT", {"reportOptions": {"reportPeriod": "WEEK",
                                                   "distributorView": "MANUFACTURING",
                                                   "sellingProgram": "RETAIL"},
                                 "dataStartTime": "2026-10-19T00:00:00Z",
                                 "dataEndTime": "2026-10-24T00:00:00Z"}),
    ("GET_VENDOR_FORECASTING_REPORT", {"reportOptions": {"sellingProgram": "BUSINESS"}}),
    ("GET_VENDOR_REAL_TIME_INVENTORY_REPORT", {"dataStartTime": "2026-10-01T00:00:00Z",
                                               "dataEndTime": "2026-10-01T05:00:00Z"}),
])
def test_create_report_refuses_what_amazon_refuses(api, report_type, options):
    with pytest.raises(AmazonApiError) as info:
        api.create_report(report_type, [US], **options)
    assert info.value.status == 400 and info.value.code == "InvalidInput"


def test_create_report_response_and_unknown_ids(sim):
    reply = sim.post("/reports/2021-06-30/reports", {
        "reportType": "GET_VENDOR_FORECASTING_REPORT", "marketplaceIds": [US],
        "reportOptions": {"sellingProgram": "RETAIL"}})
    assert reply.status_code == 202
    assert validate("reports_v2021_06_30", "CreateReportResponse", reply.json()) == []
    assert sim.post("/reports/2021-06-30/reports", {
        "reportType": "GET_VENDOR_FORECASTING_REPORT", "marketplaceIds": [US, DE],
        "reportOptions": {"sellingProgram": "RETAIL"}}).status_code == 400
    assert sim.get("/reports/2021-06-30/reports/badReportId1").status_code == 400
    assert sim.get("/reports/2021-06-30/documents/badDocumentId1").status_code == 400


def test_content_encoding_url_header(sim, api):
    report_id = api.create_report("GET_VENDOR_FORECASTING_REPORT", [US],
                                  reportOptions={"sellingProgram": "RETAIL"})
    sim.advance(30)
    document_id = api.get_report(report_id)["reportDocumentId"]
    url = sim.get(f"/reports/2021-06-30/documents/{document_id}",
                  enableContentEncodingUrlHeader="true").json()["url"]
    reply = httpx.get(url, trust_env=False)
    assert reply.headers["content-encoding"] == "gzip"
    assert json.loads(reply.content)["reportSpecification"]["marketplaceIds"] == [US]
    assert sim.get(f"/reports/2021-06-30/documents/{document_id}",
                   enableContentEncodingUrlHeader="yes").status_code == 400


def test_a_url_lifetime_set_through_the_control_api_still_downloads(sim, api):
    sim.control("settings", {"document_url_ttl": 300, "report_delay": 0})
    report_id = api.create_report("GET_VENDOR_INVENTORY_REPORT", ["ATVPDKIKX0DER"], **{
        "dataStartTime": "2026-10-25T00:00:00Z", "dataEndTime": "2026-10-31T23:59:59Z",
        "reportOptions": {"reportPeriod": "WEEK", "distributorView": "MANUFACTURING",
                          "sellingProgram": "RETAIL"}})
    sim.advance(5)
    document_id = api.get_report(report_id)["reportDocumentId"]
    raw, _compression = api.download_report_document(document_id)
    assert raw
