"""Competitor prices as the Product Pricing API (v0 getCompetitivePricing) answers a seller
authorization with the Pricing role: only new items offered by others to consumers, in
Amazon's currency. The simulator refuses the call as Amazon refuses vendor applications, so
the reply is built here in the shape Amazon documents (productPricingV0.json)."""
from decimal import Decimal

from odoo.tests import tagged

from ..lib import amazon_prices
from .common import PricingCase

US = "ATVPDKIKX0DER"


def _price(price_id, amount, currency="USD", condition="new", landed=True, **extra):
    money = {"ListingPrice": {"CurrencyCode": currency, "Amount": amount - 1.0},
             "Shipping": {"CurrencyCode": currency, "Amount": 1.0}}
    if landed:
        money["LandedPrice"] = {"CurrencyCode": currency, "Amount": amount}
    return dict({"CompetitivePriceId": price_id, "Price": money, "condition": condition,
                 "subcondition": condition, "belongsToRequester": False}, **extra)


def _entry(asin, prices, status="Success", marketplace=US):
    return {"status": status, "ASIN": asin, "Product": {
        "Identifiers": {"MarketplaceASIN": {"MarketplaceId": marketplace, "ASIN": asin}},
        "CompetitivePricing": {"CompetitivePrices": prices,
                               "NumberOfOfferListings": [{"condition": "New", "Count": 3}]}}}


@tagged("post_install", "-at_install")
class TestCompetitivePrices(PricingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kettle = cls._product("Kettle")
        cls.lamp = cls._product("Lamp")

    def payload(self):
        kettle, lamp = self.kettle.amazon_vendor_asin, self.lamp.amazon_vendor_asin
        return [
            _entry(kettle, [
                _price("1", 24.99, sellerId=US),  # the new Buy Box (here Amazon's own offer)
                _price("2", 15.00, condition="used"),  # the used Buy Box
                _price("2", 14.00, condition=None),  # id 2 is used whatever condition says
                _price("1", 23.50, belongsToRequester=True),  # the linked seller's own offer
                _price("1", 19.00, offerType="B2B", quantityTier=5,
                       quantityDiscountType="QUANTITY_DISCOUNT"),  # from 5 units, business
                _price("1", 22.00, quantityTier=3),  # a quantity tier
            ]),
            _entry(lamp, [_price("1", 30.00, landed=False),  # listing 29 + shipping 1
                          _price("3", 28.50, sellerId="A2SOMESELLER1")]),  # a competitor
            _entry("B0NOTOURS1", [_price("1", 9.99)]),  # not a product of this account
            _entry(lamp, [_price("1", 1.00)], status="ClientError"),  # Amazon could not answer
            _entry(kettle, [_price("1", 2.00)], marketplace="A1F83G8C2ARO7P"),  # the UK's
        ]

    def test_only_new_items_offered_by_others_to_consumers_are_read(self):
        self.assertEqual(amazon_prices.competitive_prices(self.payload(), US), [
            (self.kettle.amazon_vendor_asin, Decimal("24.99"), "USD", True, US),
            (self.lamp.amazon_vendor_asin, Decimal("30"), "USD", True, None),
            (self.lamp.amazon_vendor_asin, Decimal("28.5"), "USD", False, "A2SOMESELLER1"),
            ("B0NOTOURS1", Decimal("9.99"), "USD", True, None)])
        self.assertEqual(amazon_prices.competitive_prices({"errors": []}), [])
        # Amazon's definition when it gives no landed price: listing + shipping - points
        points = _price("1", 1000.0, currency="JPY", landed=False, Points={
            "PointsNumber": 10, "PointsMonetaryValue": {"CurrencyCode": "JPY", "Amount": 10}})
        points["Price"]["Points"] = points.pop("Points")
        self.assertEqual(amazon_prices.competitive_prices([_entry("B0JP", [points])]),
                         [("B0JP", Decimal("990"), "JPY", True, None)])
        elsewhere = _price("1", 50.0, landed=False)
        elsewhere["Price"]["Shipping"]["CurrencyCode"] = "EUR"  # parts in two currencies
        self.assertEqual(amazon_prices.competitive_prices([_entry("B0MIX", [elsewhere])]), [])

    def test_rows_are_recorded_in_amazons_currency(self):
        Observation = self.env["amazon.vendor.price.observation"]
        count = Observation._amazon_pricing_from_competitive(
            self.account, self.kettle | self.lamp, self.payload())
        self.assertEqual(count, 3)
        rows = Observation.search([("product_id", "in", (self.kettle | self.lamp).ids)])
        # Amazon.com's own retail offer is told apart from the others (its seller id)
        self.assertEqual(sorted((r.product_id.name, r.price, r.currency_id.name, r.origin,
                                 r.source, r.amazon_retail_offer) for r in rows), [
            ("Kettle", 24.99, "USD", "pricing_api", "Amazon's own retail offer (Buy Box, new)",
             True),
            ("Lamp", 28.5, "USD", "pricing_api", "Amazon competitive price (A2SOMESELLER1)",
             False),
            ("Lamp", 30.0, "USD", "pricing_api", "Amazon Buy Box price (new, seller not named: "
             "likely Amazon's own offer)", True)])
        # the monitoring compares competitors' prices only (a Buy Box of no named seller is
        # mostly Amazon's own offer)
        self.assertEqual(self.monitor()["products_monitored"], 2)
        figures = {s.product_id: s.observed_price for s in self.env[
            "amazon.vendor.price.snapshot"].search([("product_id", "in", rows.product_id.ids)])}
        self.assertEqual(figures, {self.kettle: 0.0, self.lamp: 28.5})
        # Amazon's currency is kept; one Odoo does not know is left out; none given: the
        # marketplace's
        euro = self.env.ref("base.EUR")
        stated = _price("1", 21.00, currency="EUR")
        unknown = _price("1", 5.00, currency="XXZ")
        unstated = _price("3", 26.00)
        unstated["Price"]["LandedPrice"].pop("CurrencyCode")
        count = Observation._amazon_pricing_from_competitive(self.account, self.lamp, [
            _entry(self.lamp.amazon_vendor_asin, [stated, unknown, unstated])])
        self.assertEqual(count, 2)
        new = Observation.search([("product_id", "=", self.lamp.id), ("price", "in", (21, 26))])
        self.assertEqual(sorted((r.price, r.currency_id, r.source) for r in new), [
            (21.0, euro, "Amazon Buy Box price (new, seller not named: likely Amazon's own "
                         "offer)"),
            (26.0, self.account.marketplace_ids[:1].currency_id, "Amazon competitive price")])
