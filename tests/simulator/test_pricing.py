"""Pricing data a vendor may read from the simulator through the real transport: Catalog Items
(list price, vendorDetails), Listings Items with procurement (Amazon's cost on file), the Net
PPM and Real-Time Sales reports, sales at moving prices, and the Product Pricing API refused."""
import datetime
from decimal import Decimal

import pytest

from odoo.addons.acorn_amazon_vendor.lib.amazon_retail import is_amazon_retail
from odoo.addons.acorn_amazon_vendor.lib.simulator import pricing
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError, iso

from .conftest import NOW
from .test_reports import last_full_weeks, run_report

US = "ATVPDKIKX0DER"
DAY = datetime.timedelta(days=1)


def us_items(sim):
    return [p for p in sim.state.catalogue if p["currency"] == "USD"]


def by_profile(sim, name):
    return [p for p in us_items(sim) if pricing.profile(p) == name]


def test_every_profile_is_in_the_default_catalogue(sim):
    assert {pricing.profile(p) for p in us_items(sim)} == set(pricing.PROFILES)


def test_catalog_item_carries_list_price_and_vendor_details(sim, api):
    item = us_items(sim)[0]
    payload = api.get_catalog_item(item["asin"], US)
    assert payload["asin"] == item["asin"]
    price = payload["attributes"]["list_price"][0]
    assert (price["value"], price["currency"], price["marketplace_id"]) == (
        float(item["list_price"]), "USD", US)
    assert payload["vendorDetails"][0]["marketplaceId"] == US
    with pytest.raises(AmazonApiError) as caught:
        api.get_catalog_item("B0NOTEXIST", US)
    assert caught.value.kind == "not_found"


def test_search_catalog_items_reads_twenty_asins_per_call(sim, api):
    asins = [p["asin"] for p in us_items(sim)] + ["B0UNKNOWN1"]
    items = list(api.iter_catalog_items(asins, US))
    assert {i["asin"] for i in items} == {p["asin"] for p in us_items(sim)}
    # 25 identifiers: 20 + 5
    assert sim.state.throttle.requests()["byOperation"]["searchCatalogItems"] == 2


def test_search_refuses_more_than_twenty_identifiers(sim):
    reply = sim.get("/catalog/2022-04-01/items", marketplaceIds=US, identifiersType="ASIN",
                    identifiers=",".join(f"B0{n:08d}" for n in range(21)))
    assert reply.status_code == 400
    assert reply.json()["errors"][0]["code"] == "InvalidInput"


def test_listings_item_procurement_is_amazons_cost_on_file(sim, api):
    differs = by_profile(sim, "cost_differs")[0]
    listing = api.get_listings_item("ACRN1", differs["vendor_sku"], US)
    cost = listing["procurement"][0]["costPrice"]
    assert cost["currencyCode"] == "USD"
    assert Decimal(str(cost["amount"])) == pricing.cost_on_file(differs)
    assert Decimal(str(cost["amount"])) < Decimal(differs["net_cost"])
    steady = by_profile(sim, "steady")[0]
    cost = api.get_listings_item("ACRN1", steady["vendor_sku"], US)["procurement"][0]
    assert Decimal(str(cost["costPrice"]["amount"])) == Decimal(steady["net_cost"])
    assert listing["summaries"][0]["asin"] == differs["asin"]
    with pytest.raises(AmazonApiError) as caught:
        api.get_listings_item("ACRN1", "NO-SUCH-SKU", US)
    assert caught.value.kind == "not_found"
    with pytest.raises(AmazonApiError) as caught:
        api.get_listings_item("SOMEONE", steady["vendor_sku"], US)
    assert caught.value.status == 403


def test_product_pricing_api_refuses_a_vendor_application(sim, api):
    with pytest.raises(AmazonApiError) as caught:
        api.get_competitive_pricing([us_items(sim)[0]["asin"]], US)
    error = caught.value
    assert (error.status, error.kind, error.code) == (403, "forbidden", "Unauthorized")
    assert "Pricing" in (error.details or "")
    assert not error.retryable


@pytest.mark.parametrize("marketplace, retail", [(US, "ATVPDKIKX0DER"),
                                                  ("A1PA6795UKMFR9", "A3JWKAKR8XB7XF")])
def test_competitive_prices_name_amazons_retail_seller_of_the_marketplace(
        sim, api, marketplace, retail):
    sim.state.settings["pricing_role"] = True  # a seller authorization with the role
    currency = "USD" if marketplace == US else "EUR"
    items = [p for p in sim.state.catalogue if p["currency"] == currency]
    drop = next(p for p in items if pricing.profile(p) == "competitor_drop")
    payload = api.get_competitive_pricing([items[0]["asin"], drop["asin"]], marketplace)
    sellers = {entry["ASIN"]: [(price["CompetitivePriceId"], price.get("sellerId"))
                               for price in entry["Product"]["CompetitivePricing"][
                                   "CompetitivePrices"]] for entry in payload}
    buy_box = sellers[items[0]["asin"]][0]
    assert buy_box == ("1", retail) and is_amazon_retail(buy_box[1])
    competitor = sellers[drop["asin"]][-1][1]
    assert competitor and not is_amazon_retail(competitor)
    assert not is_amazon_retail(None) and is_amazon_retail(" a3jwkakr8xb7xf ")


def test_selling_prices_move_by_profile(sim):
    today = NOW.date()
    old = today - 30 * DAY
    for product in by_profile(sim, "competitor_drop"):
        list_price = float(product["list_price"])
        assert pricing.selling_price(sim.state, product, old) >= list_price * 0.97
        assert pricing.selling_price(sim.state, product, today) <= list_price * 0.81
    for product in by_profile(sim, "margin_squeeze"):
        assert pricing.net_ppm(sim.state, product, today - 6 * DAY, today) < 0
    for product in by_profile(sim, "steady"):
        assert pricing.net_ppm(sim.state, product, today - 6 * DAY, today) > 0.1


def test_sales_report_revenue_follows_the_selling_price(sim, api):
    start, end = last_full_weeks(1)
    content, _meta = run_report(
        sim, api, "GET_VENDOR_SALES_REPORT", dataStartTime=iso(start), dataEndTime=iso(end),
        reportOptions={"reportPeriod": "DAY", "distributorView": "MANUFACTURING",
                       "sellingProgram": "RETAIL"})
    rows = {(r["asin"], r["startDate"]): r for r in content["salesByAsin"]}
    squeezed = by_profile(sim, "margin_squeeze")[0]
    row = rows[(squeezed["asin"], end.date().isoformat())]
    asp = row["orderedRevenue"]["amount"] / row["orderedUnits"]
    assert asp == pytest.approx(pricing.selling_price(sim.state, squeezed, end.date()), abs=0.01)
    assert asp < float(squeezed["list_price"]) * 0.75


def test_net_pure_product_margin_report(sim, api):
    start, end = last_full_weeks(2)
    content, _meta = run_report(sim, api, pricing.NPPM, dataStartTime=iso(start),
                                dataEndTime=iso(end), reportOptions={"reportPeriod": "WEEK"})
    spec = content["reportSpecification"]
    assert spec["reportType"] == pricing.NPPM and spec["reportOptions"] == {"reportPeriod": "WEEK"}
    assert len(content["netPureProductMarginAggregate"]) == 2
    rows = content["netPureProductMarginByAsin"]
    assert len(rows) == 2 * len(us_items(sim))
    for row in rows:
        assert {"startDate", "endDate", "asin", "netPureProductMargin"} <= set(row)
    squeezed = {p["asin"] for p in by_profile(sim, "margin_squeeze")}
    assert all(r["netPureProductMargin"] < 0 for r in rows if r["asin"] in squeezed)


def test_net_ppm_report_takes_whole_periods(api):
    with pytest.raises(AmazonApiError) as caught:
        api.create_report(pricing.NPPM, [US], dataStartTime="2026-10-01T00:00:00Z",
                          dataEndTime="2026-10-09T00:00:00Z",
                          reportOptions={"reportPeriod": "WEEK"})
    assert caught.value.kind == "bad_request"
    with pytest.raises(AmazonApiError):
        api.create_report(pricing.NPPM, [US], dataStartTime="2026-10-04T00:00:00Z",
                          dataEndTime="2026-10-10T00:00:00Z")  # reportPeriod is required


def test_real_time_sales_report_is_hourly(sim, api):
    start = NOW - datetime.timedelta(hours=5)
    content, _meta = run_report(sim, api, pricing.RT_SALES, dataStartTime=iso(start),
                                dataEndTime=iso(NOW))
    assert content["reportSpecification"]["reportOptions"] == {"currencyCode": "USD"}
    rows = content["reportData"]
    assert {r["startTime"] for r in rows} == {
        iso(start + datetime.timedelta(hours=h)) for h in range(5)}
    for row in rows:
        assert {"startTime", "endTime", "asin", "orderedUnits", "orderedRevenue"} <= set(row)
    with pytest.raises(AmazonApiError):
        api.create_report(pricing.RT_SALES, [US], dataStartTime=iso(NOW - 40 * DAY),
                          dataEndTime=iso(NOW - 39 * DAY))


def test_catalogue_reads_are_throttled_as_amazon_does(throttled):
    item = us_items(throttled)[0]
    statuses = [throttled.get(f"/catalog/2022-04-01/items/{item['asin']}",
                              marketplaceIds=US).status_code for _ in range(4)]
    assert statuses[:2] == [200, 200] and 429 in statuses[2:]
