import datetime

from odoo import Command
from odoo.addons.acorn_amazon_vendor.tests.common import create_simulation_account
from odoo.tests import tagged

from ..lib import rules
from .common import PricingCase


@tagged("post_install", "-at_install")
class TestMonitoring(PricingCase):

    def test_own_cost_is_compared_in_the_marketplaces_currency(self):
        """A vendor whose company keeps its books in another currency than the marketplace's
        (a Chinese brand selling in euros): its own cost is converted before any margin."""
        product = self._product("Costed at home", cost=15.0, own_cost=70.0, list_price=40.0)
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].create({"currency_id": eur.id, "name": self.today,
                                              "rate": 0.5})
        self.account.marketplace_ids[:1].currency_id = eur
        currency, rows = self.account._amazon_pricing_figures(self.today)
        row = next(r for r in rows if r["product_id"] == product.id)
        self.assertEqual(currency, eur)
        self.assertAlmostEqual(row["own_cost"], 35.0)
        self.assertAlmostEqual(row["msrp"], 20.0)

    def test_asp_below_map_on_and_off_threshold(self):
        below = self._product("Under MAP", map_price=18.0)
        at_map = self._product("At MAP", map_price=18.0)
        self._sales(below, 17.5)
        self._sales(at_map, 18.0)
        self.monitor()
        alert = self.alerts(below, rules.ASP_BELOW_MAP)
        self.assertEqual(len(alert), 1)
        self.assertAlmostEqual(alert.value, 17.5)
        self.assertAlmostEqual(alert.threshold, 18.0)
        self.assertIn("17.50", alert.description)
        self.assertFalse(self.alerts(at_map, rules.ASP_BELOW_MAP))
        self.account.pricing_check_map = False
        self.monitor()
        self.assertFalse(self.alerts(below, rules.ASP_BELOW_MAP))
        self.assertEqual(alert.state, "resolved")

    def test_asp_below_list_price_by_more_than_the_threshold(self):
        far = self._product("Far below list", list_price=20.0)  # 16 % under
        near = self._product("Near list", list_price=20.0)  # exactly 15 % under
        self._sales(far, 16.8)
        self._sales(near, 17.0)
        self.monitor()
        self.assertEqual(len(self.alerts(far, rules.ASP_BELOW_LIST)), 1)
        self.assertAlmostEqual(self.alerts(far, rules.ASP_BELOW_LIST).value, 16.0)
        self.assertFalse(self.alerts(near, rules.ASP_BELOW_LIST))
        # Amazon's own list price (Catalog Items) takes precedence over the product's
        self._amazon_prices(near, list_price=21.0)
        self.monitor()
        self.assertEqual(len(self.alerts(near, rules.ASP_BELOW_LIST)), 1)

    def test_net_ppm_below_minimum(self):
        low = self._product("Squeezed")
        ok = self._product("Healthy")
        self._sales(low, 19.0)
        self._sales(ok, 19.0)
        self._nppm(low, 4.9)
        self._nppm(ok, 5.0)
        self.monitor()
        self.assertEqual(len(self.alerts(low, rules.LOW_NET_PPM)), 1)
        self.assertFalse(self.alerts(ok, rules.LOW_NET_PPM))
        self.account.pricing_min_net_ppm_pct = 4.0
        self.monitor()
        self.assertFalse(self.alerts(low, rules.LOW_NET_PPM))

    def test_cost_on_file_of_another_account_is_not_ours(self):
        """Another account's marketplace may have another cost on file for the same product:
        this account's monitoring compares its own."""
        product = self._product("Sold in two marketplaces", cost=10.0, on_file=10.0)
        other = create_simulation_account(self.env, "Second marketplace",
                                          self.account.endpoint_override)
        self._amazon_prices(product, account=other, cost_on_file=9.0)
        self.monitor()
        self.assertFalse(self.alerts(product, rules.COST_ON_FILE))
        self._amazon_prices(product, cost_on_file=9.0)
        self.monitor()
        self.assertEqual(len(self.alerts(product, rules.COST_ON_FILE)), 1)

    def test_cost_on_file_different_from_ours(self):
        differs = self._product("Old cost on file", cost=10.0, on_file=9.5)
        within = self._product("Within tolerance", cost=10.0, on_file=10.04)
        self.monitor()
        self.assertEqual(len(self.alerts(differs, rules.COST_ON_FILE)), 1)
        self.assertFalse(self.alerts(within, rules.COST_ON_FILE))
        self.account.pricing_check_cost_on_file = False
        self.monitor()
        self.assertFalse(self.alerts(differs, rules.COST_ON_FILE))

    def test_agreed_cost_comes_from_the_amazon_pricelist(self):
        product = self._product("Priced on the pricelist", cost=10.0, on_file=11.0)
        self.env["product.pricelist.item"].create({
            "pricelist_id": self.pricelist.id, "applied_on": "0_product_variant",
            "product_id": product.id, "compute_price": "fixed", "fixed_price": 11.0})
        self.monitor()
        self.assertFalse(self.alerts(product, rules.COST_ON_FILE))
        snapshot = self.env["amazon.vendor.price.snapshot"].search(
            [("product_id", "=", product.id)])
        self.assertAlmostEqual(snapshot.agreed_cost, 11.0)

    def test_po_cost_different_from_agreed_before_acknowledgement(self):
        product = self._product("PO item", cost=10.0)
        other = self._product("PO item at cost", cost=10.0)
        customer = self.env["res.partner"].create({"name": "Amazon FC"})

        def order(line_cost, ack_state):
            so = self.env["sale.order"].create({
                "partner_id": customer.id, "amazon_vendor_account_id": self.account.id,
                "amazon_vendor_ack_state": ack_state,
                "order_line": [Command.create({
                    "product_id": p.id, "product_uom_qty": 5, "price_unit": c,
                    "amazon_vendor_net_cost": c}) for p, c in line_cost]})
            return so

        pending = order([(product, 9.4), (other, 10.0)], "to_acknowledge")
        order([(product, 9.0)], "accepted")  # already acknowledged: too late to flag
        self.monitor()
        alerts = self.alerts(kind=rules.PO_COST)
        self.assertEqual(alerts.sale_order_id, pending)
        self.assertEqual(alerts.product_id, product)
        self.assertIn("price-variance", alerts.description)
        self.account.pricing_check_po_cost = False
        self.monitor()
        self.assertFalse(self.alerts(kind=rules.PO_COST))

    def test_alerts_are_grouped_in_one_activity_per_pass(self):
        products = [self._product(f"Cheap {n}", map_price=19.0) for n in range(5)]
        for product in products:
            self._sales(product, 15.0)
        activities = self.env["mail.activity"].search([
            ("res_model", "=", "amazon.vendor.account"), ("res_id", "=", self.account.id)])
        summary = self.monitor()
        new = self.env["mail.activity"].search([
            ("res_model", "=", "amazon.vendor.account"), ("res_id", "=", self.account.id)]) \
            - activities
        self.assertEqual(len(new), 1)
        self.assertEqual(new.user_id, self.manager)
        self.assertIn("Cheap 0", str(new.note))
        self.assertEqual(summary["alerts"][rules.ASP_BELOW_MAP], 5)
        # the next pass sees the same alerts: nobody is told again
        self.monitor()
        again = self.env["mail.activity"].search([
            ("res_model", "=", "amazon.vendor.account"), ("res_id", "=", self.account.id)]) \
            - activities
        self.assertEqual(again, new)
        self.assertEqual(len(self.alerts(kind=rules.ASP_BELOW_MAP)), 5)

    def test_snapshot_figures_and_history(self):
        product = self._product("Snapshot", cost=10.0, list_price=20.0, map_price=15.0)
        self._sales(product, 18.0, cost=9.0)
        self._inventory(product, 120, 30)
        self.monitor()
        snapshot = self.env["amazon.vendor.price.snapshot"].search(
            [("product_id", "=", product.id)])
        self.assertEqual(len(snapshot), 1)
        self.assertAlmostEqual(snapshot.asp, 18.0)
        self.assertAlmostEqual(snapshot.front_margin, 50.0)
        self.assertAlmostEqual(snapshot.exposure_units, 150.0)
        self.assertEqual(snapshot.marketplace_id, self.marketplace_us)
        self.monitor()  # a second pass the same day replaces the day's snapshot
        self.assertEqual(self.env["amazon.vendor.price.snapshot"].search_count(
            [("product_id", "=", product.id)]), 1)
        self.monitor_day = self.today + datetime.timedelta(days=1)
        self.account._amazon_pricing_monitor(today=self.monitor_day)
        self.assertEqual(self.env["amazon.vendor.price.snapshot"].search_count(
            [("product_id", "=", product.id)]), 2)

    def test_queries_do_not_grow_with_products(self):
        """The daily pass (alerts already known) costs the same queries at 10 and at 60
        products; a pass meeting new products too, as long as Odoo inserts the new alerts in
        one batch (it inserts 100 rows per statement)."""
        def build(count, prefix):
            for n in range(count):
                product = self._product(f"{prefix} {n}", map_price=19.0)
                self._sales(product, 15.0, days=3)
                self._nppm(product, 2.0)

        def measure():
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            self.monitor()
            self.env.flush_all()
            return self.cr.sql_log_count - start

        build(2, "Warm-up")
        self.monitor()
        first, daily = [], []
        for count, prefix in ((10, "Batch A"), (30, "Batch B")):
            build(count, prefix)  # 3 alerts per product: 90 new alerts at most
            first.append(measure())
            daily.append(measure())
        self.assertEqual(first[0], first[1], f"first passes: {first}")
        self.assertEqual(daily[0], daily[1], f"daily passes: {daily}")
        self.assertEqual(len(self.alerts()), 3 * 42)
