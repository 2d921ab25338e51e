from odoo import Command
from odoo.tests import new_test_user, tagged

from .common_po import PurchaseOrderCase

GROUPS = "acorn_amazon_vendor.group_amazon_vendor_manager"


def company_models(env, module):
    """Every model the module defines that holds company data (SQL views included): a new one
    without a company rule makes the isolation test fail."""
    return sorted(name for name, model in env.registry.items()
                  if model._original_module == module and not model._abstract
                  and not model._transient and "company_id" in model._fields)


class CompanyIsolationMixin:
    """Company A holds real data; a user of company B with the same groups must see none of
    it, while company A's user does (so the check never passes on an empty table)."""

    @classmethod
    def _company_users(cls, groups):
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Brand B Ltd"})
        cls.user_a = new_test_user(
            cls.env, "mc_user_a", groups=groups, company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)])
        cls.user_b = new_test_user(
            cls.env, "mc_user_b", groups=groups, company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)])

    def assertCompanyIsolated(self, module, shared=()):
        """``shared``: models whose records without a company are meant for every company
        (checked by the caller)."""
        self.env.flush_all()
        models = [name for name in company_models(self.env, module) if name not in shared]
        self.assertTrue(models)
        for model in models:
            with self.subTest(model=model):
                domain = [("company_id", "=", self.company_a.id)]
                total = self.env[model].sudo().search_count(domain)
                self.assertTrue(total, f"{model} has no data of company A: the test would "
                                       "pass without checking anything; create some")
                self.assertEqual(self.env[model].with_user(self.user_a).search_count(domain),
                                 total, f"{model}: company A's user sees its data")
                self.assertEqual(self.env[model].with_user(self.user_b).search_count([]), 0,
                                 f"{model}: company B's user sees company A's data "
                                 "(a record rule on company_id is missing)")


@tagged("post_install", "-at_install")
class TestMultiCompany(CompanyIsolationMixin, PurchaseOrderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._company_users(GROUPS)

    def test_company_b_sees_nothing_of_company_a(self):
        """Accounts, vendor codes, the ledger and the three-way match of company A."""
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], 50)
        self._po("PO0MC001", [(item, 4, "Eaches", 1)])
        order = self._import()
        self.assertEqual(order.company_id, self.company_a)
        order.action_amazon_vendor_propose()
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # Alert subscriptions, order responsibles and open work (activities on Amazon orders).
        self.env["amazon.vendor.alert.subscription"].create({
            "alert_type": "asn_late", "user_id": self.user_a.id})
        self.account.responsible_ids = [Command.create({"ship_to_code": "ABE2",
                                                        "user_id": self.user_a.id})]
        order.activity_schedule("mail.mail_activity_data_todo", user_id=self.user_a.id)
        self.assertCompanyIsolated("acorn_amazon_vendor")
