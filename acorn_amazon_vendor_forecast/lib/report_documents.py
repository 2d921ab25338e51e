"""Amazon vendor retail report documents (Reports API 2021-06-30) -> neutral rows.

Pure functions, no ORM: the document JSON as Amazon delivers it in, plain dicts out, with
dates parsed and numbers coerced. Rows Amazon sends incomplete are skipped and counted, never
guessed at, so one bad row does not lose the rest of a snapshot Amazon will not send again.
"""
import datetime
import gzip
import json

FORECAST = "GET_VENDOR_FORECASTING_REPORT"
INVENTORY = "GET_VENDOR_INVENTORY_REPORT"
SALES = "GET_VENDOR_SALES_REPORT"
REPORT_TYPES = (FORECAST, INVENTORY, SALES)


class ReportDocumentError(ValueError):
    """The document is not a vendor report Amazon could have sent."""


def decode_document(raw, compression=None):
    """Report document bytes -> JSON object; gzip is recognised by the algorithm or its magic."""
    if compression == "GZIP" or raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise ReportDocumentError(f"the report document is not valid gzip: {exc}") from exc
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportDocumentError(f"the report document is not JSON: {exc}") from exc
    if not isinstance(document, dict) or "reportSpecification" not in document:
        raise ReportDocumentError("the report document has no reportSpecification")
    return document


def _date(value):
    return datetime.date.fromisoformat(value[:10])


def _number(value):
    if isinstance(value, dict):  # money: {"amount": .., "currencyCode": ..}
        value = value.get("amount")
    if value is None or isinstance(value, bool):
        raise ValueError("missing number")
    return float(value)


def _rows(document, key, build):
    rows, skipped = [], 0
    for item in document.get(key) or ():
        try:
            rows.append(build(item))
        except (KeyError, TypeError, ValueError, AttributeError):
            skipped += 1
    return rows, skipped


def _forecast_row(item):
    return {
        "asin": item["asin"],
        "generation_date": _date(item["forecastGenerationDate"]),
        "week_start": _date(item["startDate"]),
        "week_end": _date(item["endDate"]),
        "mean_units": _number(item["meanForecastUnits"]),
        "p70_units": _number(item["p70ForecastUnits"]),
        "p80_units": _number(item["p80ForecastUnits"]),
        "p90_units": _number(item["p90ForecastUnits"]),
    }


def _inventory_row(item):
    return {
        "asin": item["asin"],
        "start_date": _date(item["startDate"]),
        "end_date": _date(item["endDate"]),
        "sellable_on_hand_units": _number(item.get("sellableOnHandInventoryUnits", 0)),
        "open_po_units": _number(item.get("openPurchaseOrderUnits", 0)),
        "net_received_units": _number(item.get("netReceivedInventoryUnits", 0)),
        "confirmation_rate": _number(item.get("vendorConfirmationRate", 0)),
        "lead_time_days": _number(item.get("averageVendorLeadTimeDays", 0)),
        "sell_through_rate": _number(item.get("sellThroughRate", 0)),
        "unfilled_units": _number(item.get("unfilledCustomerOrderedUnits", 0)),
    }


def _sales_row(item):
    return {
        "asin": item["asin"],
        "start_date": _date(item["startDate"]),
        "end_date": _date(item["endDate"]),
        "ordered_units": _number(item.get("orderedUnits", 0)),
        "shipped_units": _number(item.get("shippedUnits", 0)),
        "shipped_revenue": _number(item.get("shippedRevenue", 0)),
        "customer_returns": _number(item.get("customerReturns", 0)),
    }


ROW_KEYS = {FORECAST: ("forecastByAsin", _forecast_row),
            INVENTORY: ("inventoryByAsin", _inventory_row),
            SALES: ("salesByAsin", _sales_row)}


def parse_report(document):
    """{"report_type", "rows", "skipped"} for one decoded report document."""
    report_type = (document.get("reportSpecification") or {}).get("reportType")
    if report_type not in ROW_KEYS:
        raise ReportDocumentError(f"unsupported report type {report_type!r}")
    key, build = ROW_KEYS[report_type]
    rows, skipped = _rows(document, key, build)
    return {"report_type": report_type, "rows": rows, "skipped": skipped}


def amazon_weeks(today, weeks):
    """Amazon's retail weeks (Sunday..Saturday): the last ``weeks`` complete ones before today,
    as (start, end) dates, oldest first."""
    last_saturday = today - datetime.timedelta(days=(today.weekday() + 2) % 7 or 7)
    first_sunday = last_saturday - datetime.timedelta(days=7 * weeks - 1)
    return first_sunday, last_saturday
