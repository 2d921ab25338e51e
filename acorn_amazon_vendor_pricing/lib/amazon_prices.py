"""Amazon's pricing data -> neutral Python values. Pure functions, no ORM.

Catalog Items 2022-04-01 items (``attributes.list_price``), Listings Items 2021-08-01
procurement (``procurement[].costPrice``), Product Pricing v0 competitive prices (read through
a seller authorization with the Pricing role), and the report documents the forecast addon's
archive does not read: Net Pure Product Margin, Real-Time Sales, and the revenue and cost
columns of the Sales report.
"""
import datetime
from decimal import Decimal, InvalidOperation

SALES = "GET_VENDOR_SALES_REPORT"
NPPM = "GET_VENDOR_NET_PURE_PRODUCT_MARGIN_REPORT"
RT_SALES = "GET_VENDOR_REAL_TIME_SALES_REPORT"
PRICING_REPORT_TYPES = (NPPM, RT_SALES)


def _decimal(value):
    if isinstance(value, dict):
        value = value.get("amount", value.get("value"))
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def catalog_list_price(item, marketplace_id):
    """(list price, currency) of a catalogue item in ``marketplace_id``, or (None, None)."""
    prices = ((item or {}).get("attributes") or {}).get("list_price") or []
    for price in prices:
        if not isinstance(price, dict):
            continue
        if price.get("marketplace_id") not in (None, marketplace_id):
            continue
        value = _decimal(price.get("value_with_tax", price.get("value")))
        if value is not None and value > 0:
            return value, price.get("currency")
    return None, None


def procurement_cost(listing):
    """(Amazon's cost on file, currency) from a listing's procurement data, or (None, None)."""
    for entry in (listing or {}).get("procurement") or []:
        cost = (entry or {}).get("costPrice") if isinstance(entry, dict) else None
        if isinstance(cost, dict):
            value = _decimal(cost.get("amount"))
            if value is not None and value > 0:
                return value, cost.get("currencyCode")
    return None, None


BUY_BOX_NEW, BUY_BOX_USED = "1", "2"  # CompetitivePriceId (Product Pricing v0)


def competitive_prices(payload, marketplace_id=None):
    """getCompetitivePricing's ``payload`` -> [(ASIN, landed price Decimal, currency code or
    None, Buy Box (new) or not, seller id or None)]: the prices a consumer pays for one new
    item offered by others. Left out: an entry Amazon could not answer (``status`` other than
    Success) or of another marketplace than ``marketplace_id``; used or other conditions (the
    used Buy Box, id 2, whatever its condition says); offers of the requesting seller itself
    (``belongsToRequester``); business and quantity-tier prices (``offerType`` B2B,
    ``quantityTier`` above 1, a ``quantityDiscountType``); prices without an amount. The landed
    price is ListingPrice + Shipping - Points when Amazon gives no LandedPrice."""
    out = []
    for entry in payload if isinstance(payload, list) else []:
        if not isinstance(entry, dict) or entry.get("status", "Success") != "Success":
            continue
        product = entry.get("Product") or {}
        identifiers = (product.get("Identifiers") or {}).get("MarketplaceASIN") or {}
        if marketplace_id and identifiers.get("MarketplaceId") not in (None, marketplace_id):
            continue
        asin = entry.get("ASIN") or identifiers.get("ASIN")
        prices = (product.get("CompetitivePricing") or {}).get("CompetitivePrices") or []
        for price in prices if asin else []:
            if not isinstance(price, dict) or not _consumer_new(price):
                continue
            amount, currency = _landed(price.get("Price") or {})
            if amount is not None and amount > 0:
                out.append((asin, amount, currency,
                            str(price.get("CompetitivePriceId")) == BUY_BOX_NEW,
                            price.get("sellerId") or None))
    return out


def _consumer_new(price):
    """A new item's price for one unit, offered to consumers by someone else."""
    if price.get("belongsToRequester") is True:
        return False
    if str(price.get("CompetitivePriceId")) == BUY_BOX_USED:
        return False
    if str(price.get("condition") or "New").lower() != "new":
        return False
    tier = price.get("quantityTier")
    return (price.get("offerType") or "B2C") == "B2C" and not price.get("quantityDiscountType") \
        and not (isinstance(tier, int | float) and not isinstance(tier, bool) and tier > 1)


def _landed(money):
    """(landed price, currency) of a PriceType: LandedPrice, else ListingPrice + Shipping -
    Points (Amazon's definition), None when the parts are missing or in other currencies."""
    landed = money.get("LandedPrice") or {}
    amount = _decimal(landed.get("Amount"))
    if amount is not None:
        return amount, landed.get("CurrencyCode")
    listing = money.get("ListingPrice") or {}
    amount, currency = _decimal(listing.get("Amount")), listing.get("CurrencyCode")
    if amount is None:
        return None, None
    shipping = money.get("Shipping") or {}
    points = (money.get("Points") or {}).get("PointsMonetaryValue") or {}
    for part, sign in ((shipping, 1), (points, -1)):
        value = _decimal(part.get("Amount"))
        if value is None:
            continue
        if part.get("CurrencyCode") not in (None, currency):
            return None, None
        amount += sign * value
    return amount, currency


def _date(value):
    return datetime.date.fromisoformat(str(value)[:10])


def _datetime(value):
    text = str(value).replace("Z", "+00:00")
    parsed = datetime.datetime.fromisoformat(text)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(datetime.UTC).replace(tzinfo=None)
    return parsed


def _float(value):
    number = _decimal(value)
    if number is None:
        raise ValueError("missing number")
    return float(number)


def _rows(items, build):
    rows, skipped = [], 0
    for item in items or ():
        try:
            rows.append(build(item))
        except (KeyError, TypeError, ValueError, AttributeError):
            skipped += 1
    return rows, skipped


def report_type(document):
    return ((document or {}).get("reportSpecification") or {}).get("reportType")


def parse_nppm(document):
    """Net PPM rows: {asin, start_date, end_date, net_ppm (fraction)}; (rows, skipped)."""
    return _rows(document.get("netPureProductMarginByAsin"), lambda item: {
        "asin": str(item["asin"]), "start_date": _date(item["startDate"]),
        "end_date": _date(item["endDate"]), "net_ppm": _float(item["netPureProductMargin"])})


def parse_real_time_sales(document):
    """Hourly sales rows: {asin, start_time, end_time, ordered_units, ordered_revenue}."""
    return _rows(document.get("reportData"), lambda item: {
        "asin": str(item["asin"]), "start_time": _datetime(item["startTime"]),
        "end_time": _datetime(item["endTime"]), "ordered_units": _float(item["orderedUnits"]),
        "ordered_revenue": _float(item["orderedRevenue"])})


def sales_money(document):
    """{(asin, start_date, end_date): (ordered units, ordered revenue, shipped COGS)} from a
    Sales report: the columns the forecast archive does not keep."""
    money = {}
    for item in document.get("salesByAsin") or ():
        try:
            key = (str(item["asin"]), _date(item["startDate"]), _date(item["endDate"]))
            money[key] = (_float(item.get("orderedUnits", 0)),
                          _float(item.get("orderedRevenue", 0)),
                          _float(item.get("shippedCogs", 0)))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return money
