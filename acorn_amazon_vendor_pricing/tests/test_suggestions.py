import base64
import datetime

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..lib import cost_request, rules
from .common import PricingCase


@tagged("post_install", "-at_install")
class TestSuggestions(PricingCase):

    def test_margin_squeeze_proposes_a_lower_cost_with_its_effect(self):
        product = self._product("Squeezed", cost=10.0, own_cost=6.0)
        self._sales(product, 12.0)
        self._nppm(product, -5.0)
        self._inventory(product, 100, 20)
        self.monitor()
        suggestion = self.suggestions(product, rules.COST)
        self.assertEqual(len(suggestion), 1)
        self.assertEqual(suggestion.rule, rules.FUND_MARGIN)
        # 10 points of net PPM at a 12.00 selling price: 1.20 off the cost
        self.assertAlmostEqual(suggestion.proposed_value, 8.8)
        self.assertAlmostEqual(suggestion.exposure_units, 120.0)
        self.assertAlmostEqual(suggestion.price_protection, 144.0)
        self.assertAlmostEqual(suggestion.amazon_margin_after, 26.67, places=2)
        self.assertIn("-5.0%", suggestion.reason)
        # never below the target margin over the product cost: 6.00 / 0.8 = 7.50
        deep = self._product("Deeply squeezed", cost=10.0, own_cost=6.0)
        self._sales(deep, 12.0)
        self._nppm(deep, -30.0)
        self.monitor()
        self.assertAlmostEqual(self.suggestions(deep, rules.COST).proposed_value, 7.5)
        # a pending suggestion is not proposed twice
        self.monitor()
        self.assertEqual(len(self.suggestions(product, rules.COST)), 1)

    def test_observed_prices_propose_a_list_price(self):
        product = self._product("Undercut", list_price=20.0)
        self.env["amazon.vendor.price.observation"].create([
            {"product_id": product.id, "price": 17.5, "currency_id": self.usd.id,
             "date": self.today},
            {"product_id": product.id, "price": 18.5, "currency_id": self.usd.id,
             "date": self.today}])
        self.monitor()
        suggestion = self.suggestions(product, rules.LIST_PRICE)
        self.assertEqual((suggestion.rule, suggestion.proposed_value),
                         (rules.MARKET_PRICE, 17.5))

    def _align_proposed(self, name):
        """A product whose cost on file (9.00) differs from the agreed 10.00 on a running
        pricelist item, and the alignment the monitoring proposes, edited to 10.25 in two
        weeks: (product, the running item, the suggestion, its effective date)."""
        product = self._product(name, cost=10.0, on_file=9.0)
        old_item = self.env["product.pricelist.item"].create({
            "pricelist_id": self.pricelist.id, "applied_on": "0_product_variant",
            "product_id": product.id, "compute_price": "fixed", "fixed_price": 10.0})
        self.monitor()
        suggestion = self.suggestions(product, rules.COST)
        self.assertEqual(suggestion.rule, rules.ALIGN_COST)
        effective = self.today + datetime.timedelta(days=14)
        suggestion.write({"proposed_value": 10.25, "effective_date": effective})
        return product, old_item, suggestion, effective

    def test_approval_updates_the_pricelist_from_the_effective_date(self):
        product, old_item, suggestion, effective = self._align_proposed("Cost on file differs")
        action = suggestion.with_user(self.manager).action_approve()
        self.assertEqual(suggestion.state, "approved")
        request = suggestion.request_id
        self.assertEqual(action["res_id"], request.id)
        item = suggestion.pricelist_item_id
        self.assertEqual((item.fixed_price, item.date_start.date()), (10.25, effective))
        self.assertEqual(old_item.date_end.date(), effective - datetime.timedelta(days=1))
        customer = self.env["res.partner"].create({"name": "Amazon FC"})
        before = self.pricelist._get_product_price(product, 1.0, date=self.today)
        after = self.pricelist._get_product_price(product, 1.0, date=effective)
        self.assertEqual((before, after), (10.0, 10.25))
        # the XLSX Vendor Central's cost-change request takes, reopened
        rows = cost_request.read_xlsx(base64.b64decode(request.file))
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertEqual(row["ASIN"], product.amazon_vendor_asin)
        self.assertEqual(row["Vendor SKU"], product.default_code)
        self.assertEqual(row["Vendor Code"], "ACRN1")
        # Amazon's cost on file is what the request changes
        self.assertEqual((row["Current Cost"], row["New Cost"]), (9.0, 10.25))
        self.assertEqual(row["Effective Date"].date(), effective)
        self.assertIn("Align Amazon's cost on file", row["Reason for Change"])
        self.assertTrue(request.file_name.endswith(".xlsx"))
        # followed until POs arrive at the new cost
        request.action_mark_submitted()
        self.account._amazon_pricing_monitor(today=effective)
        self.assertEqual(request.state, "submitted")
        self.assertTrue(suggestion.applied)
        self.assertEqual(product.amazon_vendor_net_cost, 10.25)
        self.env["sale.order"].create({
            "partner_id": customer.id, "amazon_vendor_account_id": self.account.id,
            "amazon_vendor_po_date": datetime.datetime.combine(effective, datetime.time(9)),
            "amazon_vendor_ack_state": "accepted",
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 3,
                                           "price_unit": 10.25,
                                           "amazon_vendor_net_cost": 10.25})]})
        self.account._amazon_pricing_monitor(today=effective)
        self.assertEqual(request.state, "done")
        self.assertEqual(request.confirmed_product_ids, product)

    def test_a_cancelled_request_is_never_applied(self):
        product, old_item, suggestion, effective = self._align_proposed("Withdrawn")
        suggestion.with_user(self.manager).action_approve()
        new_item = suggestion.pricelist_item_id
        suggestion.request_id.action_cancel()
        self.assertFalse(new_item.exists())
        self.assertFalse(old_item.date_end, "the former price runs on")
        self.assertEqual(self.pricelist._get_product_price(product, 1.0, date=effective), 10.0)
        self.account._amazon_pricing_monitor(today=effective)
        self.assertFalse(suggestion.applied)
        self.assertEqual(product.amazon_vendor_net_cost, 10.0)

    def test_rejection_changes_nothing(self):
        product = self._product("Rejected", cost=10.0, on_file=9.0)
        self.monitor()
        suggestion = self.suggestions(product, rules.COST)
        suggestion.rejection_reason = "Amazon agreed to the old cost by e-mail"
        suggestion.with_user(self.manager).action_reject()
        self.assertEqual(suggestion.state, "rejected")
        self.assertFalse(suggestion.request_id)
        self.assertFalse(self.env["product.pricelist.item"].search(
            [("product_id", "=", product.id)]))
        # a person decided: the next passes do not propose it again
        self.monitor()
        self.assertEqual(self.suggestions(product, rules.COST), suggestion)
        with self.assertRaises(UserError):
            suggestion.action_approve()

    def test_only_managers_decide(self):
        product = self._product("Guarded", cost=10.0, on_file=9.0)
        self.monitor()
        user = self.env["res.users"].create({
            "name": "Amazon clerk", "login": "amazon_pricing_clerk",
            "groups_id": [Command.set([
                self.env.ref("acorn_amazon_vendor.group_amazon_vendor_user").id,
                self.env.ref("base.group_user").id])]})
        with self.assertRaises(UserError):
            self.suggestions(product, rules.COST).with_user(user).action_approve()
