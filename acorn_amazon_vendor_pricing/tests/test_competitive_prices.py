"""Competitor prices as the Product Pricing API (v0 getCompetitivePricing) answers a seller
authorization with the Pricing role: only new items offered by others, in Amazon's currency.
The simulator refuses the call as Amazon refuses vendor applications, so the reply is built
here in the shape Amazon documents."""
from decimal import Decimal

from odoo.tests import tagged

from ..lib import amazon_prices
from .common import PricingCase


def _price(price_id, amount, currency="USD", condition="New", mine=False, landed=True):
    money = {"ListingPrice": {"CurrencyCode": currency, "Amount": amount - 1.0},
             "Shipping": {"CurrencyCode": currency, "Amount": 1.0}}
    if landed:
        money["LandedPrice"] = {"CurrencyCode": currency, "Amount": amount}
    return {"CompetitivePriceId": price_id, "Price": money, "condition": condition,
            "subcondition": condition, "belongsToRequester": mine}


def _entry(asin, prices, status="Success"):
    return {"status": status, "ASIN": asin, "Product": {
        "Identifiers": {"MarketplaceASIN": {"MarketplaceId": "ATVPDKIKX0DER", "ASIN": asin}},
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
        return [
            _entry(self.kettle.amazon_vendor_asin, [
                _price("1", 24.99),  # the Buy Box, new
                _price("2", 15.00, condition="Used"),  # a used item: not a competitor's price
                _price("1", 23.50, mine=True),  # the linked seller's own offer
            ]),
            _entry(self.lamp.amazon_vendor_asin, [_price("1", 30.00, landed=False)]),
            _entry("B0NOTOURS1", [_price("1", 9.99)]),  # not a product of this account
            {"status": "ClientError", "ASIN": "B0PRCERROR", "Product": {}},
        ]

    def test_only_new_items_offered_by_others_are_read(self):
        self.assertEqual(amazon_prices.competitive_prices(self.payload()), [
            (self.kettle.amazon_vendor_asin, Decimal("24.99"), "USD", True),
            (self.lamp.amazon_vendor_asin, Decimal("30"), "USD", True),  # listing 29 + shipping 1
            ("B0NOTOURS1", Decimal("9.99"), "USD", True)])
        self.assertEqual(amazon_prices.competitive_prices({"errors": []}), [])

    def test_rows_are_recorded_in_amazons_currency(self):
        Observation = self.env["amazon.vendor.price.observation"]
        count = Observation._amazon_pricing_from_competitive(
            self.account, self.kettle | self.lamp, self.payload())
        self.assertEqual(count, 2)
        rows = Observation.search([("product_id", "in", (self.kettle | self.lamp).ids)])
        self.assertEqual(sorted((r.product_id.name, r.price, r.currency_id.name, r.origin,
                                 r.source) for r in rows), [
            ("Kettle", 24.99, "USD", "pricing_api", "Amazon Buy Box price (new)"),
            ("Lamp", 30.0, "USD", "pricing_api", "Amazon Buy Box price (new)")])
        # A price in another currency keeps it; one in a currency Odoo does not know is left
        euro = self.env.ref("base.EUR")
        count = Observation._amazon_pricing_from_competitive(self.account, self.kettle, [
            _entry(self.kettle.amazon_vendor_asin, [_price("2", 21.00, currency="EUR"),
                                                    _price("3", 5.00, currency="XXZ")])])
        self.assertEqual(count, 1)
        euro_row = Observation.search([("product_id", "=", self.kettle.id),
                                       ("currency_id", "=", euro.id)])
        self.assertEqual((euro_row.price, euro_row.source), (21.0, "Amazon competitive price"))
