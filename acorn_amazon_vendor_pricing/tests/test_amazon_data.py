from odoo import Command
from odoo.addons.acorn_amazon_vendor.lib.simulator import pricing as sim_pricing
from odoo.addons.acorn_amazon_vendor.tests.common import create_simulation_account
from odoo.addons.acorn_amazon_vendor.tests.common_po import PurchaseOrderCase
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..lib import amazon_prices, rules


@tagged("post_install", "-at_install")
class TestAmazonData(PurchaseOrderCase):
    """The simulator's Catalog Items, Listings Items and reports through the real transport,
    archived by the forecast addon's fetch, then monitored."""

    def setUp(self):
        super().setUp()
        self.simulator_control("settings", {"report_delay": 0.2})
        self.items = {i["asin"]: i for i in self.catalogue if i["currency"] == "USD"}

    def product_of(self, profile):
        asin = next(a for a, i in self.items.items()
                    if sim_pricing.profile(i) == profile and i is not self.unmapped)
        return self.products[self.items[asin]["vendor_sku"]]

    def test_list_price_and_cost_on_file_are_read(self):
        count = self.account._amazon_pricing_read_prices()
        self.assertEqual(count, len(self.products))
        differs = self.product_of("cost_differs")
        item = self.items[differs.amazon_vendor_asin]
        read = differs.amazon_vendor_price_ids
        self.assertEqual((read.account_id, read.currency_id.name), (self.account, "USD"))
        self.assertAlmostEqual(read.list_price, float(item["list_price"]))
        self.assertAlmostEqual(read.cost_on_file, float(sim_pricing.cost_on_file(item)))
        self.assertLess(read.cost_on_file, differs.amazon_vendor_net_cost)

    def test_each_account_keeps_its_own_amazon_prices(self):
        """A product sold through two accounts (marketplaces) has Amazon's prices of each: a
        read of the other account's marketplace never overwrites them, and each account's
        monitoring compares its own cost on file."""
        self.account._amazon_pricing_read_prices()
        differs = self.product_of("cost_differs")
        ours = differs.amazon_vendor_price_ids
        europe = create_simulation_account(
            self.env, "Acorn DE (pricing)", self.account.endpoint_override, region="EU",
            marketplace_ids=[Command.set(self.env.ref("acorn_amazon_vendor.marketplace_de").ids)])
        europe._amazon_pricing_store_prices(differs, {differs.amazon_vendor_asin: 29.99},
                                            {differs.id: 14.5}, ours.checked_at)
        theirs = differs.amazon_vendor_price_ids - ours
        self.assertEqual((theirs.account_id, theirs.currency_id.name), (europe, "EUR"))
        self.assertEqual((theirs.list_price, theirs.cost_on_file), (29.99, 14.5))
        item = self.items[differs.amazon_vendor_asin]
        self.assertAlmostEqual(ours.cost_on_file, float(sim_pricing.cost_on_file(item)))
        self.account._amazon_pricing_read_prices()  # the US again: Germany's stays
        self.assertEqual((theirs.list_price, theirs.cost_on_file), (29.99, 14.5))
        self.assertAlmostEqual(ours.list_price, float(item["list_price"]))
        # the account moves to another marketplace: Germany's figures are not kept as Britain's
        britain = self.env.ref("acorn_amazon_vendor.marketplace_uk")
        europe.marketplace_ids = [Command.set(britain.ids)]
        europe._amazon_pricing_store_prices(differs, {}, {}, ours.checked_at)
        self.assertEqual((theirs.currency_id.name, theirs.list_price, theirs.cost_on_file),
                         ("GBP", 0.0, 0.0))

    def test_reports_fetched_once_serve_monitoring(self):
        self.account._amazon_pricing_read_prices()
        docs = self.account._fetch_amazon_reports(
            report_types=("GET_VENDOR_SALES_REPORT", "GET_VENDOR_INVENTORY_REPORT"), wait=30)
        docs |= self.account._amazon_pricing_fetch_reports(wait=30)
        self.assertEqual(set(docs.mapped("state")), {"processed"})
        self.assertEqual(set(docs.mapped("report_type")), {
            "GET_VENDOR_SALES_REPORT", "GET_VENDOR_INVENTORY_REPORT", amazon_prices.NPPM,
            amazon_prices.RT_SALES})
        sales = self.env["amazon.vendor.report.sales"].search(
            [("account_id", "=", self.account.id)])
        self.assertTrue(sales and all(r.ordered_revenue > 0 for r in sales))
        margins = self.env["amazon.vendor.report.margin"].search(
            [("account_id", "=", self.account.id)])
        self.assertEqual(len(margins), 7 * len(self.items))
        self.assertTrue(self.env["amazon.vendor.report.hourly.sales"].search_count(
            [("account_id", "=", self.account.id)]))
        summary = self.account._amazon_pricing_monitor()
        self.assertEqual(summary["products_monitored"], len(self.products))
        squeezed = self.product_of("margin_squeeze")
        differs = self.product_of("cost_differs")
        alerts = self.env["amazon.vendor.price.alert"].search(
            [("account_id", "=", self.account.id)])
        kinds = {(a.product_id, a.kind) for a in alerts}
        self.assertIn((squeezed, rules.LOW_NET_PPM), kinds)
        self.assertIn((squeezed, rules.ASP_BELOW_LIST), kinds)
        self.assertIn((differs, rules.COST_ON_FILE), kinds)
        self.assertNotIn((self.product_of("steady"), rules.LOW_NET_PPM), kinds)
        self.assertGreater(summary["suggestions"], 0)
        snapshot = self.env["amazon.vendor.price.snapshot"].search(
            [("product_id", "=", squeezed.id)])
        self.assertTrue(snapshot.has_net_ppm and snapshot.net_ppm < 0)
        self.assertGreater(snapshot.asp_hourly, 0)

    def test_competitor_prices_through_a_seller_authorization_with_the_pricing_role(self):
        self.simulator_control("settings", {"pricing_role": True})
        self.addCleanup(self.simulator_control, "settings", {"pricing_role": False})
        products = self.account._amazon_pricing_products()
        self.assertGreater(len(products), 20, "more than one call of 20 ASINs")
        result = self.account.action_amazon_pricing_competitor_prices()
        rows = self.env["amazon.vendor.price.observation"].search(
            [("product_id", "in", products.ids), ("origin", "=", "pricing_api")])
        usd = [p for p in products if p.amazon_vendor_asin in self.items]
        drops = [p for p in usd if sim_pricing.profile(self.items[p.amazon_vendor_asin])
                 == "competitor_drop"]
        # every product the marketplace lists: Amazon's new Buy Box; a competitor under it
        # where one dropped its price; never the used Buy Box
        self.assertEqual(len(rows), len(usd) + len(drops))
        self.assertEqual(set(rows.product_id), set(usd))
        self.assertEqual(set(rows.currency_id.mapped("name")), {"USD"})
        self.assertIn(f"for {len(products)} of {len(products)} products",
                      result["params"]["message"])
        drop = drops[0]
        prices = sorted(rows.filtered(lambda r: r.product_id == drop).mapped("price"))
        self.assertAlmostEqual(prices[1] - prices[0], 0.01, places=6)

    def test_scheduled_pass_reads_competitor_prices_through_the_linked_seller(self):
        self.simulator_control("settings", {"pricing_role": True})
        self.addCleanup(self.simulator_control, "settings", {"pricing_role": False})
        Observation = self.env["amazon.vendor.price.observation"]
        products = self.account._amazon_pricing_products()
        read = [("product_id", "in", products.ids), ("origin", "=", "pricing_api")]
        # no seller authorization linked: the pass does not ask (Amazon refuses vendor apps)
        self.account._amazon_pricing_cron_competitor_prices()
        self.assertFalse(Observation.search_count(read))
        seller = self._create_account("Seller authorization (Pricing role)")
        self.account.pricing_seller_account_id = seller
        seller.active = False  # archived (a copied database): never used
        self.account._amazon_pricing_cron_competitor_prices()
        self.assertFalse(Observation.search_count(read))
        seller.active = True
        Account = self.env["amazon.vendor.account"]
        Account._cron_amazon_pricing()  # the monitoring may run first: the job still reads
        self.assertTrue(self.account.pricing_last_run)
        self.assertFalse(seller.pricing_last_run, "the seller authorization is not monitored")
        Account._cron_amazon_pricing_competitors()
        self.account._amazon_pricing_monitor()  # the next pass compares what was read
        rows = Observation.search(read)
        usd = {p for p in products if p.amazon_vendor_asin in self.items}
        drops = {p for p in usd if sim_pricing.profile(self.items[p.amazon_vendor_asin])
                 == "competitor_drop"}
        # Amazon's own retail offer is recognised (its US seller id) and kept apart
        retail = rows.filtered("amazon_retail_offer")
        self.assertEqual(set(retail.product_id), usd)
        self.assertEqual(set(retail.mapped("source")),
                         {"Amazon's own retail offer (Buy Box, new)"})
        self.assertEqual(set((rows - retail).product_id), drops)
        # the list price follows a competitor's price, never Amazon's own selling price
        # (Amazon sells a squeezed item far under its list price: no competitor there)
        suggested = self.env["amazon.vendor.price.suggestion"].search(
            [("account_id", "=", self.account.id), ("kind", "=", rules.LIST_PRICE)])
        self.assertTrue(suggested)
        self.assertLessEqual(set(suggested.product_id), drops)
        lowest = {}
        for row in rows - retail:
            lowest[row.product_id] = min(row.price, lowest.get(row.product_id, row.price))
        for suggestion in suggested:
            self.assertAlmostEqual(suggestion.proposed_value, lowest[suggestion.product_id],
                                   places=2)
        self.assertNotIn(self.product_of("margin_squeeze"), suggested.product_id)
        # the seller authorization must be another account of the same company
        with self.assertRaises(ValidationError):
            self.account.pricing_seller_account_id = self.account
        other = self.env["res.company"].create({"name": "Other company (pricing)"})
        stranger = create_simulation_account(self.env(su=True), "Other company's seller",
                                             self.simulator_url, company_id=other.id)
        with self.assertRaises(ValidationError):
            self.account.pricing_seller_account_id = stranger
        # Amazon refusing the seller authorization is said on the account
        self.simulator_control("settings", {"pricing_role": False})
        self.account._amazon_pricing_cron_competitor_prices()
        self.assertIn("Competitor prices could not be read through Seller authorization",
                      self.account.message_ids[:1].body)

    def test_pricing_api_refusal_is_explained(self):
        with self.assertRaises(UserError) as caught:
            self.account.action_amazon_pricing_competitor_prices()
        message = str(caught.exception)
        self.assertIn("Pricing role", message)
        self.assertIn("vendor-only", message)
        self.assertIn("import observed prices", message)
