"""The pricing calls through the transport against a scripted server: paths, query parameters
as Amazon names them, 20 identifiers per search, no payload envelope, and the Pricing role
refusal translated into a plain, non-retryable error."""
import pytest

from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError, clear_token_cache
from odoo.addons.acorn_amazon_vendor.lib.usage_plans import plan_for

from .scripted_server import ScriptedServer
from .test_transport import make_api

CATALOG = "/catalog/2022-04-01/items"
US = "ATVPDKIKX0DER"


@pytest.fixture()
def server():
    clear_token_cache()
    with ScriptedServer() as srv:
        yield srv


def test_usage_plans_are_amazons():
    assert plan_for("getCatalogItem") == (2.0, 2)
    assert plan_for("searchCatalogItems") == (2.0, 2)
    assert plan_for("getListingsItem") == (5.0, 10)
    assert plan_for("getCompetitivePricing") == (0.5, 1)


def test_get_catalog_item_sends_marketplace_and_included_data(server):
    item = {"asin": "B0TEST0001", "attributes": {"list_price": [
        {"value": 19.99, "currency": "USD", "marketplace_id": US}]}}
    server.on(f"{CATALOG}/B0TEST0001", (200, item))
    with make_api(server, marketplace_id=US) as api:
        payload = api.get_catalog_item("B0TEST0001")
    assert payload == item
    query = server.received(f"{CATALOG}/B0TEST0001")[0]["query"]
    assert query["marketplaceIds"] == [US]
    assert query["includedData"] == ["attributes,summaries,vendorDetails"]


def test_search_splits_identifiers_by_twenty(server):
    asins = [f"B0{n:08d}" for n in range(45)]
    server.on(CATALOG, *[(200, {"numberOfResults": 1, "items": [{"asin": a}]})
                         for a in ("x", "y", "z")])
    with make_api(server, marketplace_id=US) as api:
        items = list(api.iter_catalog_items(asins + asins[:3]))
    assert [i["asin"] for i in items] == ["x", "y", "z"]
    queries = [r["query"] for r in server.received(CATALOG)]
    assert [len(q["identifiers"][0].split(",")) for q in queries] == [20, 20, 5]
    assert all(q["identifiersType"] == ["ASIN"] for q in queries)


def test_listings_item_path_quotes_the_sku(server):
    path = "/listings/2021-08-01/items/ACRN1/SKU%2F1"
    server.on(path, (200, {"sku": "SKU/1", "procurement": [
        {"costPrice": {"currencyCode": "USD", "amount": 10.5}}]}))
    with make_api(server, marketplace_id=US) as api:
        listing = api.get_listings_item("ACRN1", "SKU/1")
    assert listing["procurement"][0]["costPrice"]["amount"] == 10.5
    query = server.received(path)[0]["query"]
    assert query["includedData"] == ["summaries,procurement"]


def test_pricing_role_refusal_is_not_retried(server):
    refusal = {"errors": [{"code": "Unauthorized", "message": "Access to requested resource "
                           "is denied.", "details": "The application is not authorized for "
                           "the role required by this operation (Pricing)."}]}
    server.on("/products/pricing/v0/competitivePrice", (403, refusal), (403, refusal))
    with make_api(server, marketplace_id=US) as api, pytest.raises(AmazonApiError) as caught:
        api.get_competitive_pricing(["B0TEST0001"])
    assert (caught.value.status, caught.value.kind) == (403, "forbidden")
    # asked once more with a fresh token (Amazon may revoke one early), never retried after
    assert len(server.received("/products/pricing/v0/competitivePrice")) == 2
