"""Amazon vendor report documents -> rows (pure parsing, no database)."""
import datetime
import gzip
import json

import pytest

from odoo.addons.acorn_amazon_vendor_forecast.lib import report_documents as rd


def _forecast_document(rows):
    return {"reportSpecification": {"reportType": rd.FORECAST, "marketplaceIds": ["X"]},
            "forecastByAsin": rows}


def test_forecast_rows_parse_dates_and_numbers_and_skip_incomplete_rows():
    document = _forecast_document([
        {"asin": "B01", "forecastGenerationDate": "2026-11-29", "startDate": "2026-11-29",
         "endDate": "2026-12-05", "meanForecastUnits": 10, "p70ForecastUnits": 11.5,
         "p80ForecastUnits": 12.5, "p90ForecastUnits": 14.5},
        {"asin": "B02", "startDate": "2026-11-29"},  # incomplete: skipped, counted
    ])
    parsed = rd.parse_report(document)
    assert parsed["report_type"] == rd.FORECAST
    assert parsed["skipped"] == 1
    assert parsed["rows"] == [{
        "asin": "B01", "generation_date": datetime.date(2026, 11, 29),
        "week_start": datetime.date(2026, 11, 29), "week_end": datetime.date(2026, 12, 5),
        "mean_units": 10.0, "p70_units": 11.5, "p80_units": 12.5, "p90_units": 14.5}]


def test_inventory_money_and_defaults():
    document = {"reportSpecification": {"reportType": rd.INVENTORY},
                "inventoryByAsin": [{"asin": "B01", "startDate": "2026-11-22",
                                     "endDate": "2026-11-28",
                                     "sellableOnHandInventoryUnits": 40,
                                     "openPurchaseOrderUnits": 12,
                                     "averageVendorLeadTimeDays": 9.5,
                                     "vendorConfirmationRate": 0.875}]}
    (row,) = rd.parse_report(document)["rows"]
    assert row["sellable_on_hand_units"] == 40.0
    assert row["open_po_units"] == 12.0
    assert row["lead_time_days"] == 9.5
    assert row["unfilled_units"] == 0.0


def test_sales_revenue_from_money_object():
    document = {"reportSpecification": {"reportType": rd.SALES},
                "salesByAsin": [{"asin": "B01", "startDate": "2026-11-22",
                                 "endDate": "2026-11-28", "orderedUnits": 7, "shippedUnits": 6,
                                 "shippedRevenue": {"amount": 59.94, "currencyCode": "USD"}}]}
    (row,) = rd.parse_report(document)["rows"]
    assert row["shipped_revenue"] == 59.94


def test_decode_gzip_plain_and_refuse_garbage():
    body = json.dumps(_forecast_document([])).encode()
    assert rd.decode_document(gzip.compress(body), "GZIP")["forecastByAsin"] == []
    assert rd.decode_document(gzip.compress(body))["forecastByAsin"] == []  # magic bytes
    assert rd.decode_document(body)["forecastByAsin"] == []
    with pytest.raises(rd.ReportDocumentError, match="gzip"):
        rd.decode_document(b"\x1f\x8bnot gzip", "GZIP")
    with pytest.raises(rd.ReportDocumentError, match="JSON"):
        rd.decode_document(b"<Error/>")
    with pytest.raises(rd.ReportDocumentError, match="reportSpecification"):
        rd.decode_document(b"[]")
    with pytest.raises(rd.ReportDocumentError, match="unsupported"):
        rd.parse_report({"reportSpecification": {"reportType": "GET_OTHER"}})


@pytest.mark.parametrize("today, start, end", [
    ("2026-11-29", "2026-11-22", "2026-11-28"),  # Sunday: last week just closed
    ("2026-11-28", "2026-11-15", "2026-11-21"),  # Saturday: current week still open
    ("2026-12-02", "2026-11-22", "2026-11-28"),
])
def test_amazon_weeks_are_complete_sunday_to_saturday(today, start, end):
    got = rd.amazon_weeks(datetime.date.fromisoformat(today), 1)
    assert got == (datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))
