"""Prices a vendor can see, and the one thing it cannot: Catalog Items 2022-04-01 (list price,
vendorDetails), Listings Items 2021-08-01 with procurement (the cost Amazon has on file), the
Net Pure Product Margin and Real-Time Sales reports, and the Product Pricing API, which refuses
a vendor application (403: the Pricing role is not granted to vendor-only applications); with
the ``pricing_role`` setting the caller is taken for a seller authorization that has the role,
and getCompetitivePricing answers.

Prices move, deterministically per ASIN and day (seeded like the demand in reports.py), with
one of four profiles per ASIN:
- ``steady``: Amazon sells within 3 % under list price; healthy margins;
- ``competitor_drop``: a competitor's price is matched from 14 days before the simulated now:
  Amazon sells about 20 % under list price;
- ``margin_squeeze``: Amazon sells at about 72 % of list price; its net PPM is negative;
- ``cost_differs``: steady selling price, but Amazon's cost on file is 5 % under the vendor's
  agreed cost (an old cost never updated).
"""
import datetime
from decimal import Decimal

from .. import pricing_usage_plans  # noqa: F401 - registers the operations' usage plans
from ..amazon_retail import RETAIL_SELLER_BY_MARKETPLACE
from . import reports
from .clock import iso
from .errors import ApiError, invalid_input, not_found
from .params import Query

CATALOG_DATA = ("attributes", "classifications", "dimensions", "identifiers", "images",
                "productTypes", "relationships", "salesRanks", "summaries", "vendorDetails")
LISTINGS_DATA = ("summaries", "attributes", "issues", "offers", "fulfillmentAvailability",
                 "procurement", "relationships", "productTypes")
NPPM = "GET_VENDOR_NET_PURE_PRODUCT_MARGIN_REPORT"
RT_SALES = "GET_VENDOR_REAL_TIME_SALES_REPORT"
PROFILES = ("steady", "competitor_drop", "margin_squeeze", "cost_differs")
DROP_DAYS = 14
PRICING_ROLE_REFUSAL = {
    "code": "Unauthorized",
    "message": "Access to requested resource is denied.",
    "details": "The application is not authorized for the role required by this operation "
               "(Pricing).",
}


def profile(product):
    """The price behaviour of a catalogue item (independent of the seed: tests rely on it)."""
    unit = reports._unit(0, product["asin"], "pricing-profile")
    if unit < 0.25:
        return "competitor_drop"
    if unit < 0.45:
        return "margin_squeeze"
    if unit < 0.6:
        return "cost_differs"
    return "steady"


def cost_on_file(product):
    cost = Decimal(product["net_cost"])
    if profile(product) == "cost_differs":
        cost = cost * Decimal("0.95")
    return cost.quantize(Decimal("0.01"))


def selling_price(state, product, day):
    """What Amazon sold the item at to customers on ``day``."""
    list_price = float(product["list_price"])
    kind = profile(product)
    wobble = reports._unit(state.seed, product["asin"], "price", day.isoformat())
    if kind == "margin_squeeze":
        return round(list_price * (0.71 + 0.02 * wobble), 2)
    if kind == "competitor_drop" and day >= state.clock.now().date() - datetime.timedelta(
            days=DROP_DAYS):
        return round(list_price * (0.78 + 0.03 * wobble), 2)
    return round(list_price * (0.97 + 0.03 * wobble), 2)


def net_ppm(state, product, start, end):
    """Amazon's net pure product margin over [start, end]: front margin less what the item
    costs Amazon beyond its cost (co-op, returns, fulfilment)."""
    days = reports._days(start, end)
    price = sum(selling_price(state, product, d) for d in days) / len(days)
    margin = (price - float(cost_on_file(product))) / price
    overhead = 0.3 if profile(product) == "margin_squeeze" else 0.12
    return round(margin - overhead, 4)


def period_sales(state, product, start, end):
    """(ordered units, shipped units, returns, ordered revenue, shipped revenue, shipped COGS)
    of one ASIN over [start, end], at each day's selling price and Amazon's cost on file."""
    ordered = shipped = returns = 0
    ordered_revenue = shipped_revenue = 0.0
    cost = float(cost_on_file(product))
    for day in reports._days(start, end):
        units = reports.daily_demand(state.seed, product["asin"], day)
        price = selling_price(state, product, day)
        day_ordered = units + int(units * 0.05)
        ordered += day_ordered
        shipped += units
        returns += int(units * 0.02)
        ordered_revenue += day_ordered * price
        shipped_revenue += units * price
    return ordered, shipped, returns, ordered_revenue, shipped_revenue, shipped * cost


# -- Catalog Items 2022-04-01 ---------------------------------------------------------------
def _marketplace(query):
    marketplaces = query.get("marketplaceIds") or []
    if len(marketplaces) != 1 or marketplaces[0] not in reports.MARKETPLACE_CURRENCIES:
        raise invalid_input("Invalid input", "marketplaceIds must name one marketplace.")
    return marketplaces[0]


def _products_of(state, marketplace):
    currency = reports.MARKETPLACE_CURRENCIES[marketplace]
    return {p["asin"]: p for p in state.catalogue if p["currency"] == currency}


def catalog_item(state, product, marketplace, included):
    item = {"asin": product["asin"]}
    if "attributes" in included:
        item["attributes"] = {
            "item_name": [{"value": f"Acorn item {product['vendor_sku']}", "language_tag":
                           "en_US", "marketplace_id": marketplace}],
            "list_price": [{"value": float(product["list_price"]),
                            "currency": product["currency"], "marketplace_id": marketplace}],
            "externally_assigned_product_identifier": [
                {"type": "ean", "value": product["ean"], "marketplace_id": marketplace}]}
    if "identifiers" in included:
        item["identifiers"] = [{"marketplaceId": marketplace, "identifiers": [
            {"identifierType": "EAN", "identifier": product["ean"]}]}]
    if "summaries" in included:
        item["summaries"] = [{"marketplaceId": marketplace, "brand": "Acorn",
                              "itemName": f"Acorn item {product['vendor_sku']}",
                              "manufacturer": "Acorn Trading Co. Ltd"}]
    if "vendorDetails" in included:
        item["vendorDetails"] = [{"marketplaceId": marketplace, "brandCode": "ACORN",
                                  "manufacturerCode": "ACRN1", "productGroup": "Home",
                                  "replenishmentCategory": "BASIC_REPLENISHMENT"}]
    return item


def get_catalog_item(state, request):
    query = Query(request.params, {"marketplaceIds": ("list",),
                                   "includedData": ("list", CATALOG_DATA),
                                   "locale": ("str",)}, tolerated=frozenset())
    marketplace = _marketplace(query)
    included = query.get("includedData") or ["summaries"]
    with state.lock:
        product = _products_of(state, marketplace).get(request.path_args[0])
    if product is None:
        raise not_found(f"Requested item '{request.path_args[0]}' not found in marketplace "
                        f"'{marketplace}'.")
    return 200, catalog_item(state, product, marketplace, included)


def search_catalog_items(state, request):
    query = Query(request.params, {
        "marketplaceIds": ("list",), "identifiers": ("list",),
        "identifiersType": ("enum", ("ASIN", "EAN", "GTIN", "ISBN", "JAN", "MINSAN", "SKU",
                                     "UPC")),
        "includedData": ("list", CATALOG_DATA), "locale": ("str",), "sellerId": ("str",),
        "keywords": ("list",), "pageSize": ("int", 1, 20), "pageToken": ("str",)},
        tolerated=frozenset())
    marketplace = _marketplace(query)
    identifiers = query.get("identifiers")
    if not identifiers:
        raise invalid_input("Invalid input", "Either identifiers or keywords is required; this "
                            "simulator searches by identifiers only.")
    if len(identifiers) > 20:
        raise invalid_input("Invalid input", "identifiers takes at most 20 values.")
    kind = query.get("identifiersType")
    if kind not in ("ASIN", "EAN"):
        raise invalid_input("Invalid input", "identifiersType ASIN or EAN is required with "
                            "identifiers.")
    included = query.get("includedData") or ["summaries"]
    key = "asin" if kind == "ASIN" else "ean"
    with state.lock:
        products = {p[key]: p for p in _products_of(state, marketplace).values()}
    items = [catalog_item(state, products[i], marketplace, included) for i in identifiers
             if i in products]
    return 200, {"numberOfResults": len(items), "pagination": {},
                 "refinements": {"brands": [], "classifications": []}, "items": items}


# -- Listings Items 2021-08-01 --------------------------------------------------------------
def get_listings_item(state, request):
    seller_id, sku = request.path_args
    query = Query(request.params, {"marketplaceIds": ("list",),
                                   "includedData": ("list", LISTINGS_DATA),
                                   "issueLocale": ("str",)}, tolerated=frozenset())
    marketplace = _marketplace(query)
    included = query.get("includedData") or ["summaries"]
    from .catalogue import REGIONS
    with state.lock:
        currency = reports.MARKETPLACE_CURRENCIES[marketplace]
        if seller_id not in REGIONS[currency]["vendor_codes"]:
            raise ApiError(403, "Unauthorized", "Access to requested resource is denied.",
                           f"The selling partner {seller_id} is not this application's "
                           "authorization.")
        product = next((p for p in state.catalogue if p["vendor_sku"] == sku
                        and p["currency"] == currency), None)
    if product is None:
        raise not_found(f"SKU '{sku}' not found in marketplace {marketplace}.")
    listing = {"sku": sku}
    if "summaries" in included:
        now = iso(state.clock.now())
        listing["summaries"] = [{
            "marketplaceId": marketplace, "asin": product["asin"], "productType": "HOME",
            "conditionType": "new_new", "status": ["BUYABLE", "DISCOVERABLE"],
            "itemName": f"Acorn item {sku}", "createdDate": now, "lastUpdatedDate": now}]
    if "procurement" in included:
        listing["procurement"] = [{"costPrice": {
            "currencyCode": currency, "amount": float(cost_on_file(product))}}]
    if "issues" in included:
        listing["issues"] = []
    return 200, listing


# -- Product Pricing v0: the Pricing role, which vendor applications do not have ---------------
def refuse_pricing(state, request):
    raise ApiError(403, PRICING_ROLE_REFUSAL["code"], PRICING_ROLE_REFUSAL["message"],
                   PRICING_ROLE_REFUSAL["details"])


def competitive_pricing(state, request):
    """getCompetitivePricing: refused like every Pricing call, unless the ``pricing_role``
    setting says the caller is a seller authorization with that role. Then, per ASIN (1..20)
    in the shape productPricingV0.json documents: the new Buy Box (Amazon's own retail offer at
    its selling price of the day, seller = Amazon's retail seller id of the marketplace), the
    used Buy Box a third lower, and for a ``competitor_drop`` item a competitor's new offer just
    under Amazon's; an ASIN the marketplace does not list answers ClientError."""
    if not state.settings.get("pricing_role"):
        refuse_pricing(state, request)
    query = Query(request.params, {"MarketplaceId": ("str",), "Asins": ("list",),
                                   "Skus": ("list",), "ItemType": ("enum", ("Asin", "Sku")),
                                   "CustomerType": ("enum", ("Consumer", "Business"))},
                  tolerated=frozenset())
    marketplace = query.get("MarketplaceId")
    if marketplace not in reports.MARKETPLACE_CURRENCIES:
        raise invalid_input("Invalid input", "MarketplaceId must name a marketplace.")
    asins = query.get("Asins") or []
    if query.get("ItemType") != "Asin" or not 1 <= len(asins) <= 20:
        raise invalid_input("Invalid input", "ItemType Asin with 1 to 20 Asins (this simulator "
                            "does not read Skus).")
    today = state.clock.now().date()
    with state.lock:
        products = _products_of(state, marketplace)
        out = []
        for asin in asins:
            product = products.get(asin)
            if product is None:
                out.append({"status": "ClientError", "ASIN": asin, "Product": {
                    "Identifiers": {"MarketplaceASIN": {"MarketplaceId": marketplace,
                                                        "ASIN": asin}}}})
                continue
            price = selling_price(state, product, today)
            offers = [_competitive("1", price, product["currency"], "new",
                                   RETAIL_SELLER_BY_MARKETPLACE.get(marketplace)),
                      _competitive("2", round(price * 0.67, 2), product["currency"], "used")]
            if profile(product) == "competitor_drop":
                offers.append(_competitive("1", round(price - 0.01, 2), product["currency"],
                                           "new", "A2COMPETITOR" + asin[-4:]))
            out.append({"status": "Success", "ASIN": asin, "Product": {
                "Identifiers": {"MarketplaceASIN": {"MarketplaceId": marketplace,
                                                    "ASIN": asin}},
                "CompetitivePricing": {"CompetitivePrices": offers, "NumberOfOfferListings": [
                    {"condition": "New", "Count": len(offers) - 1},
                    {"condition": "Used", "Count": 1}]}}})
    return 200, {"payload": out}


def _competitive(price_id, amount, currency, condition, seller=None):
    offer = {"CompetitivePriceId": price_id, "condition": condition,
             "subcondition": condition, "belongsToRequester": False, "Price": {
                 "LandedPrice": {"CurrencyCode": currency, "Amount": amount},
                 "ListingPrice": {"CurrencyCode": currency, "Amount": amount},
                 "Shipping": {"CurrencyCode": currency, "Amount": 0.0}}}
    if seller:
        offer["sellerId"] = seller
    return offer


# -- reports --------------------------------------------------------------------------------
def _check_nppm(options, start, end, now):
    if not (start and end):
        raise reports._bad(f"{NPPM} needs dataStartTime and dataEndTime.")
    reports._period_bounds(options["reportPeriod"], start.date(), end.date())
    if start > now:
        raise reports._bad("dataStartTime must not be in the future.")


def _check_rt_sales(options, start, end, now):
    # Amazon keeps hourly sales for a limited time: up to 30 days back, 14 days per request.
    if not (start and end):
        raise reports._bad(f"{RT_SALES} needs dataStartTime and dataEndTime.")
    if start < now - datetime.timedelta(days=30) or end <= start \
            or end - start > datetime.timedelta(days=14):
        raise reports._bad("dataStartTime can be up to 30 days before the request and "
                           "dataEndTime no more than 14 days after dataStartTime.")


def _nppm(state, report, when):
    _currency, products = reports._products(state, report)
    options = report["options"]
    aggregate, by_asin = [], []
    for start, end in reports._periods(options["reportPeriod"], report["start"].date(),
                                       report["end"].date()):
        rows = [{"startDate": start.isoformat(), "endDate": end.isoformat(),
                 "asin": p["asin"], "netPureProductMargin": net_ppm(state, p, start, end)}
                for p in products]
        by_asin.extend(rows)
        aggregate.append({"startDate": start.isoformat(), "endDate": end.isoformat(),
                          "netPureProductMargin": round(
                              sum(r["netPureProductMargin"] for r in rows) / len(rows), 4)
                          if rows else 0.0})
    spec = {"reportType": NPPM, "reportOptions": options,
            "lastUpdatedDate": when.date().isoformat(),
            "dataStartTime": report["start"].date().isoformat(),
            "dataEndTime": report["end"].date().isoformat(),
            "marketplaceIds": report["marketplaceIds"]}
    return {"reportSpecification": spec, "netPureProductMarginAggregate": aggregate,
            "netPureProductMarginByAsin": by_asin}


def _rt_sales(state, report, when):
    currency, products = reports._products(state, report)
    hour = report["start"].replace(minute=0, second=0, microsecond=0)
    if hour < report["start"]:
        hour += datetime.timedelta(hours=1)
    rows = []
    while hour + datetime.timedelta(hours=1) <= min(report["end"], when):
        for product in products:
            units = int(reports.daily_demand(state.seed, product["asin"], hour.date()) / 24
                        + reports._unit(state.seed, product["asin"], hour.isoformat()) * 1.5)
            price = selling_price(state, product, hour.date())
            rows.append({"startTime": iso(hour), "endTime": iso(hour + datetime.timedelta(hours=1)),
                         "asin": product["asin"], "orderedUnits": units,
                         "orderedRevenue": round(units * price, 2)})
        hour += datetime.timedelta(hours=1)
    spec = {"reportType": RT_SALES, "dataStartTime": iso(report["start"]),
            "dataEndTime": iso(report["end"]), "marketplaceIds": report["marketplaceIds"],
            "reportOptions": {"currencyCode": currency}}
    return {"reportSpecification": spec, "reportData": rows}


reports.EXTRA_REPORTS.update({
    NPPM: ({"reportPeriod": reports.PERIOD_OPTIONS["reportPeriod"]}, _check_nppm, _nppm),
    RT_SALES: ({}, _check_rt_sales, _rt_sales),  # the currency is the marketplace's
})

ROUTES = (
    ("GET", r"^/catalog/2022-04-01/items/([^/]+)$", "getCatalogItem", get_catalog_item),
    ("GET", r"^/catalog/2022-04-01/items$", "searchCatalogItems", search_catalog_items),
    ("GET", r"^/listings/2021-08-01/items/([^/]+)/([^/]+)$", "getListingsItem",
     get_listings_item),
    ("GET", r"^/products/pricing/v0/price$", "getPricing", refuse_pricing),
    ("GET", r"^/products/pricing/v0/competitivePrice$", "getCompetitivePricing",
     competitive_pricing),
)
