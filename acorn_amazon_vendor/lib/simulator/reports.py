"""Reports 2021-06-30 for the vendor retail reports: createReport, getReport,
getReportDocument, and the gzip JSON documents behind a short-lived download URL.

Reports go IN_QUEUE -> IN_PROGRESS -> DONE as the simulated clock moves. Documents are built
when a report is done, from the simulated purchase orders (receipts, open units, confirmation
rates) and a seeded customer demand per ASIN (sales, forecasts, on-hand stock).
"""
import datetime
import gzip
import hashlib
import hmac
import json
import zlib

from .. import amazon_schema
from ..amazon_dates import parse_date_time
from .clock import iso
from .errors import invalid_input, schema_errors
from .params import Query

MODULE = "reports_v2021_06_30"
SALES, INVENTORY = "GET_VENDOR_SALES_REPORT", "GET_VENDOR_INVENTORY_REPORT"
FORECAST, REAL_TIME = "GET_VENDOR_FORECASTING_REPORT", "GET_VENDOR_REAL_TIME_INVENTORY_REPORT"
REPORT_TYPES = (SALES, INVENTORY, FORECAST, REAL_TIME)
MARKETPLACE_CURRENCIES = {
    "ATVPDKIKX0DER": "USD", "A2EUQ1WTGCTBG2": "CAD", "A1AM78C64UM0Y8": "MXN",
    "A1PA6795UKMFR9": "EUR", "A13V1IB3VIYZZH": "EUR", "APJ6JRA9NG5V4": "EUR",
    "A1RKKUPIHCS9HS": "EUR", "A1805IZSGTT6HS": "EUR", "A1F83G8C2ARO7P": "GBP",
}
PERIOD_OPTIONS = {
    "reportPeriod": ("DAY", "WEEK", "MONTH", "QUARTER", "YEAR"),
    "distributorView": ("MANUFACTURING", "SOURCING"),
}
SELLING_PROGRAMS = {SALES: ("RETAIL", "BUSINESS", "FRESH"), INVENTORY: ("RETAIL", "FRESH"),
                    FORECAST: ("RETAIL", "FRESH")}
# Report types other simulator modules add (pricing.py):
# type -> (allowed reportOptions, check(options, start, end, now), builder(state, report, when))
EXTRA_REPORTS = {}
DEFAULT_REPORT_DELAY = 20.0  # simulated seconds from IN_QUEUE to DONE
DEFAULT_URL_TTL = 300  # a report document URL works for five minutes
FORECAST_WEEKS = 26


def _bad(details):
    # Amazon's reports API answers a bad request with a terse "Invalid input".
    return invalid_input("Invalid input", details)


def _period_bounds(period, start, end):
    """Check that [start, end] covers whole periods (Sunday..Saturday weeks, calendar months,
    quarters and years) as Amazon requires."""
    if end < start:
        raise _bad("dataEndTime must not be before dataStartTime.")
    if period == "WEEK" and (start.weekday() != 6 or end.weekday() != 5):
        raise _bad("For reportPeriod WEEK, dataStartTime must be a Sunday and dataEndTime a "
                   "Saturday.")
    month_end = (end + datetime.timedelta(days=1)).day == 1
    if period == "MONTH" and (start.day != 1 or not month_end):
        raise _bad("For reportPeriod MONTH, dataStartTime must be the first and dataEndTime the "
                   "last day of a month.")
    if period == "QUARTER" and (start.day != 1 or start.month % 3 != 1 or not month_end
                                or end.month % 3 != 0):
        raise _bad("For reportPeriod QUARTER, the dates must be the first and last days of "
                   "quarters.")
    if period == "YEAR" and ((start.month, start.day) != (1, 1) or (end.month, end.day)
                             != (12, 31)):
        raise _bad("For reportPeriod YEAR, the dates must be January 1 and December 31.")


def _periods(period, start, end):
    cursor = start
    while cursor <= end:
        if period == "DAY":
            stop = cursor
        elif period == "WEEK":
            stop = cursor + datetime.timedelta(days=6)
        else:
            months = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}[period]
            month = cursor.month - 1 + months
            stop = cursor.replace(year=cursor.year + month // 12, month=month % 12 + 1) \
                - datetime.timedelta(days=1)
        yield cursor, min(stop, end)
        cursor = stop + datetime.timedelta(days=1)


def create_report(state, request):
    body = request.json_body()
    problems = amazon_schema.validate(MODULE, "CreateReportSpecification", body)
    if problems:
        raise schema_errors(problems)
    report_type = body["reportType"]
    if report_type not in REPORT_TYPES and report_type not in EXTRA_REPORTS:
        raise _bad(f"Report type {report_type} is not available to this vendor account.")
    marketplaces = body["marketplaceIds"]
    if len(marketplaces) != 1 or marketplaces[0] not in MARKETPLACE_CURRENCIES:
        raise _bad("Vendor reports take exactly one marketplaceId, the account's marketplace.")
    options = body.get("reportOptions") or {}
    now = state.clock.now()
    start = parse_date_time(body.get("dataStartTime"))
    end = parse_date_time(body.get("dataEndTime"))
    allowed = dict(PERIOD_OPTIONS, sellingProgram=SELLING_PROGRAMS.get(report_type, ()))
    if report_type in (SALES, INVENTORY):
        expected = allowed
    elif report_type == FORECAST:
        expected = {"sellingProgram": allowed["sellingProgram"]}
    elif report_type in EXTRA_REPORTS:
        expected = EXTRA_REPORTS[report_type][0]
    else:
        expected = {}
    for key, value in options.items():
        if key not in expected:
            raise _bad(f"reportOptions.{key} is not an option of {report_type}.")
        if value not in expected[key]:
            raise _bad(f"reportOptions.{key} must be one of {', '.join(expected[key])}.")
    missing = [key for key in expected if key not in options]
    if missing:
        raise _bad(f"{report_type} needs reportOptions {', '.join(missing)}.")
    if report_type in (SALES, INVENTORY):
        if not (start and end):
            raise _bad(f"{report_type} needs dataStartTime and dataEndTime.")
        _period_bounds(options["reportPeriod"], start.date(), end.date())
        if start > now:
            raise _bad("dataStartTime must not be in the future.")
    elif report_type == REAL_TIME:
        if not (start and end):
            raise _bad(f"{report_type} needs dataStartTime and dataEndTime.")
        if start < now - datetime.timedelta(hours=168) or end <= start \
                or end - start > datetime.timedelta(hours=24):
            raise _bad("dataStartTime can be up to 168 hours before the request and "
                       "dataEndTime no more than 24 hours after dataStartTime.")
    elif report_type in EXTRA_REPORTS:
        EXTRA_REPORTS[report_type][1](options, start, end, now)
    with state.lock:
        # unique across simulator restarts, like Amazon's: the ledger keys reports by id
        report_id = str(50000000000 + int(now.timestamp() * 1000) % 10**10
                        + len(state.reports))
        while report_id in state.reports:
            report_id = str(int(report_id) + 1)
        state.reports[report_id] = {
            "reportId": report_id, "reportType": report_type, "marketplaceIds": marketplaces,
            "options": options, "start": start, "end": end, "created": now, "document": None}
    return 202, {"reportId": report_id}


def _status(state, report, now):
    delay = datetime.timedelta(seconds=state.settings["report_delay"])
    payload = {"reportId": report["reportId"], "reportType": report["reportType"],
               "marketplaceIds": report["marketplaceIds"], "createdTime": iso(report["created"])}
    if report["start"]:
        payload["dataStartTime"] = iso(report["start"])
    if report["end"]:
        payload["dataEndTime"] = iso(report["end"])
    started = report["created"] + delay / 4
    finished = report["created"] + delay
    if now < started:
        payload["processingStatus"] = "IN_QUEUE"
        return payload
    payload["processingStartTime"] = iso(started)
    if now < finished:
        payload["processingStatus"] = "IN_PROGRESS"
        return payload
    if report["document"] is None:
        report["document"] = _build_document(state, report, finished)
    payload.update(processingStatus="DONE", processingEndTime=iso(finished),
                   reportDocumentId=report["document"])
    return payload


def get_report(state, request):
    report_id = request.path_args[0]
    Query(request.params, {})
    with state.lock:
        report = state.reports.get(report_id)
        if report is None:
            raise _bad(f"There is no report {report_id}.")
        return 200, _status(state, report, state.clock.now())


def get_report_document(state, request):
    document_id = request.path_args[0]
    query = Query(request.params, {"enableContentEncodingUrlHeader": ("bool",)})
    with state.lock:
        if document_id not in state.report_documents:
            raise _bad(f"There is no report document {document_id}.")
        now = state.clock.now()
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    # S3 presigned URLs carry whole seconds (a setting may be fractional).
    ttl = max(1, round(state.settings["document_url_ttl"]))
    encoding = "gzip" if query.get("enableContentEncodingUrlHeader") else "identity"
    signature = sign(state, document_id, stamp, ttl, encoding)
    url = (f"{state.base_url}/_s3/report-documents/{document_id}?X-Amz-Algorithm=AWS4-HMAC-SHA256"
           f"&X-Amz-Date={stamp}&X-Amz-Expires={ttl}&response-content-encoding={encoding}"
           f"&X-Amz-Signature={signature}")
    return 200, {"reportDocumentId": document_id, "url": url, "compressionAlgorithm": "GZIP"}


def sign(state, document_id, stamp, ttl, encoding):
    message = f"{document_id}|{stamp}|{ttl}|{encoding}".encode()
    return hmac.new(state.url_secret, message, hashlib.sha256).hexdigest()


def download(state, document_id, params):
    """The presigned document URL: S3-style 403 XML when expired or tampered with."""
    def denied(message):
        body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>"
                f"<Message>{message}</Message></Error>").encode()
        return 403, {"Content-Type": "application/xml"}, body

    values = {k: v[0] for k, v in params.items()}
    try:
        stamp, ttl = values["X-Amz-Date"], int(values["X-Amz-Expires"])
        encoding, signature = values["response-content-encoding"], values["X-Amz-Signature"]
        signed_at = datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(
            tzinfo=datetime.UTC)
    except (KeyError, ValueError):
        return denied("Query-string authentication requires the X-Amz parameters")
    with state.lock:
        content = state.report_documents.get(document_id)
        expected = sign(state, document_id, stamp, ttl, encoding)
        if content is None or not hmac.compare_digest(expected, signature):
            return denied("The request signature we calculated does not match the signature "
                          "you provided.")
        if state.clock.now() > signed_at + datetime.timedelta(seconds=ttl):
            return denied("Request has expired")
    headers = {"Content-Type": "application/json"}
    if encoding == "gzip":
        headers["Content-Encoding"] = "gzip"
    else:
        headers["Content-Type"] = "application/octet-stream"
    return 200, headers, content


# -- documents ------------------------------------------------------------------------------
def _unit(seed, *parts):
    """A stable pseudo-random number in [0, 1) for the given parts."""
    digest = zlib.crc32("|".join(map(str, (seed, *parts))).encode())
    return digest / 2 ** 32


def daily_demand(seed, asin, day):
    base = 2 + int(_unit(seed, asin, "base") * 18)
    weekend = 1.3 if day.weekday() >= 5 else 1.0
    return int(base * weekend * (0.6 + 0.8 * _unit(seed, asin, day.isoformat())))


def _money(value, currency):
    return {"amount": round(float(value), 2), "currencyCode": currency}


def _products(state, report):
    currency = MARKETPLACE_CURRENCIES[report["marketplaceIds"][0]]
    return currency, [p for p in state.catalogue if p["currency"] == currency]


def _specification(report, options, when):
    spec = {"reportType": report["reportType"]}
    if options:
        spec["reportOptions"] = options
    spec["lastUpdatedDate"] = when.date().isoformat()
    if report["reportType"] in (SALES, INVENTORY):
        spec["dataStartTime"] = report["start"].date().isoformat()
        spec["dataEndTime"] = report["end"].date().isoformat()
    spec["marketplaceIds"] = report["marketplaceIds"]
    return spec


def _days(start, end):
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def _sales(state, report, when):
    from . import pricing  # imports this module
    currency, products = _products(state, report)
    options = report["options"]
    aggregate, by_asin = [], []
    for start, end in _periods(options["reportPeriod"], report["start"].date(),
                               report["end"].date()):
        totals = {"units": 0, "ordered": 0, "ordered_revenue": 0.0, "revenue": 0.0, "cogs": 0.0,
                  "returns": 0}
        for product in products:
            # at each day's selling price and Amazon's cost on file (pricing.py)
            ordered, units, returns, ordered_revenue, revenue, cogs = \
                pricing.period_sales(state, product, start, end)
            row = {"startDate": start.isoformat(), "endDate": end.isoformat(),
                   "asin": product["asin"], "customerReturns": returns,
                   "orderedRevenue": _money(ordered_revenue, currency),
                   "orderedUnits": ordered,
                   "shippedCogs": _money(cogs, currency),
                   "shippedRevenue": _money(revenue, currency),
                   "shippedUnits": units}
            by_asin.append(row)
            totals["units"] += units
            totals["ordered"] += ordered
            totals["returns"] += returns
            totals["ordered_revenue"] += ordered_revenue
            totals["revenue"] += revenue
            totals["cogs"] += cogs
        aggregate.append({"startDate": start.isoformat(), "endDate": end.isoformat(),
                          "customerReturns": totals["returns"],
                          "orderedRevenue": _money(totals["ordered_revenue"], currency),
                          "orderedUnits": totals["ordered"],
                          "shippedCogs": _money(totals["cogs"], currency),
                          "shippedRevenue": _money(totals["revenue"], currency),
                          "shippedUnits": totals["units"]})
    return {"reportSpecification": _specification(report, options, when),
            "salesAggregate": aggregate, "salesByAsin": by_asin}


def _po_items(state, asin):
    return [(po, item) for po in state.order_list for item in po.items if item.asin == asin]


def on_hand(state, product, day):
    """Sellable units: a seeded opening stock plus receipts, less customer demand since."""
    opening = 200 + int(_unit(state.seed, product["asin"], "stock") * 800)
    received = sum(item.received for po, item in _po_items(state, product["asin"])
                   if item.last_receive and item.last_receive.date() <= day)
    sold = sum(daily_demand(state.seed, product["asin"], day - datetime.timedelta(days=n))
               for n in range(30))
    return max(0, opening + received - sold)


def _inventory_row(state, product, start, end, currency):
    items = _po_items(state, product["asin"])
    received = sum(i.received for po, i in items
                   if i.last_receive and start <= i.last_receive.date() <= end)
    open_units = sum(max(0, (i.accepted if i.acks else i.ordered) - i.received)
                     for po, i in items if po.state != "Closed" and po.created.date() <= end)
    acked = [i for po, i in items if i.acks and start <= i.acks[-1][0].date() <= end]
    ordered = sum(i.ordered for i in acked)
    accepted = sum(i.accepted for i in acked)
    lead = [(i.last_receive - po.created).total_seconds() / 86400 for po, i in items
            if i.last_receive and start <= i.last_receive.date() <= end]
    stock = on_hand(state, product, end)
    cost = float(product["net_cost"])
    sold = sum(daily_demand(state.seed, product["asin"], d) for d in _days(start, end))
    return {
        "startDate": start.isoformat(), "endDate": end.isoformat(), "asin": product["asin"],
        "vendorConfirmationRate": round(accepted / ordered, 4) if ordered else 0.0,
        "netReceivedInventoryCost": _money(received * cost, currency),
        "netReceivedInventoryUnits": received,
        "openPurchaseOrderUnits": open_units,
        "averageVendorLeadTimeDays": round(sum(lead) / len(lead), 1) if lead else 0.0,
        "sellThroughRate": round(sold / (sold + stock), 4) if sold + stock else 0.0,
        "unfilledCustomerOrderedUnits": 0 if stock else sold // 10,
        "sellableOnHandInventoryCost": _money(stock * cost, currency),
        "sellableOnHandInventoryUnits": stock,
        "unsellableOnHandInventoryCost": _money(0, currency),
        "unsellableOnHandInventoryUnits": 0,
    }


def _inventory(state, report, when):
    currency, products = _products(state, report)
    options = report["options"]
    aggregate, by_asin = [], []
    for start, end in _periods(options["reportPeriod"], report["start"].date(),
                               report["end"].date()):
        rows = [_inventory_row(state, p, start, end, currency) for p in products]
        by_asin.extend(rows)
        total = {"startDate": start.isoformat(), "endDate": end.isoformat()}
        for key in ("netReceivedInventoryUnits", "openPurchaseOrderUnits",
                    "sellableOnHandInventoryUnits", "unsellableOnHandInventoryUnits",
                    "unfilledCustomerOrderedUnits"):
            total[key] = sum(r[key] for r in rows)
        for key in ("netReceivedInventoryCost", "sellableOnHandInventoryCost",
                    "unsellableOnHandInventoryCost"):
            total[key] = _money(sum(r[key]["amount"] for r in rows), currency)
        aggregate.append(total)
    return {"reportSpecification": _specification(report, options, when),
            "inventoryAggregate": aggregate, "inventoryByAsin": by_asin}


def _forecast(state, report, when):
    _currency, products = _products(state, report)
    today = when.date()
    sunday = today + datetime.timedelta(days=(6 - today.weekday()) % 7 or 7)
    rows = []
    for product in products:
        for week in range(FORECAST_WEEKS):
            start = sunday + datetime.timedelta(weeks=week)
            mean = sum(daily_demand(state.seed, product["asin"], d)
                       for d in _days(start, start + datetime.timedelta(days=6)))
            rows.append({"forecastGenerationDate": today.isoformat(), "asin": product["asin"],
                         "startDate": start.isoformat(),
                         "endDate": (start + datetime.timedelta(days=6)).isoformat(),
                         "meanForecastUnits": float(mean),
                         "p70ForecastUnits": round(mean * 1.12, 1),
                         "p80ForecastUnits": round(mean * 1.25, 1),
                         "p90ForecastUnits": round(mean * 1.45, 1)})
    return {"reportSpecification": _specification(report, report["options"], when),
            "forecastByAsin": rows}


def _real_time(state, report, when):
    _currency, products = _products(state, report)
    hour = report["start"].replace(minute=0, second=0, microsecond=0)
    if hour < report["start"]:
        hour += datetime.timedelta(hours=1)
    rows = []
    while hour + datetime.timedelta(hours=1) <= report["end"]:
        for product in products:
            stock = on_hand(state, product, hour.date())
            drift = int(_unit(state.seed, product["asin"], hour.isoformat()) * 5)
            rows.append({"startTime": iso(hour), "endTime": iso(hour + datetime.timedelta(hours=1)),
                         "asin": product["asin"],
                         "highlyAvailableInventory": max(0, stock - hour.hour - drift)})
        hour += datetime.timedelta(hours=1)
    spec = {"reportType": REAL_TIME, "dataStartTime": iso(report["start"]),
            "dataEndTime": iso(report["end"]), "marketplaceIds": report["marketplaceIds"]}
    return {"reportSpecification": spec, "reportData": rows}


BUILDERS = {SALES: _sales, INVENTORY: _inventory, FORECAST: _forecast, REAL_TIME: _real_time}


def _build_document(state, report, when):
    builder = BUILDERS.get(report["reportType"]) or EXTRA_REPORTS[report["reportType"]][2]
    content = builder(state, report, when)
    document_id = f"amzn1.spdoc.1.4.na.{hashlib.sha1(report['reportId'].encode()).hexdigest()}"
    state.report_documents[document_id] = gzip.compress(
        json.dumps(content).encode(), mtime=0)
    return document_id
