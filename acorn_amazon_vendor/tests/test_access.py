from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AmazonVendorCase

SECRET_FIELDS = ("lwa_client_secret", "lwa_refresh_token", "lwa_client_id")


@tagged("post_install", "-at_install")
class TestAccess(AmazonVendorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Export rights are granted so that only the field groups stand in the way.
        cls.manager = new_test_user(cls.env, "av_manager", groups=(
            "acorn_amazon_vendor.group_amazon_vendor_manager,base.group_allow_export"))
        cls.user = new_test_user(cls.env, "av_user", groups=(
            "acorn_amazon_vendor.group_amazon_vendor_user,base.group_allow_export"))
        cls.other_company = cls.env["res.company"].create({"name": "Other Brand Ltd"})
        cls.other_manager = new_test_user(
            cls.env, "av_other", groups="acorn_amazon_vendor.group_amazon_vendor_manager",
            company_id=cls.other_company.id, company_ids=[Command.set(cls.other_company.ids)])

    def test_secrets_unreadable_without_system_group(self):
        for user in (self.user, self.manager):
            account = self.account.with_user(user)
            self.assertEqual(account.name, "Amazon US (test)")
            for field in SECRET_FIELDS:
                with self.assertRaises(AccessError, msg=f"{user.login} read {field}"):
                    account.read([field])
                with self.assertRaises(AccessError):
                    account.search_read([("id", "=", account.id)], [field])
                with self.assertRaises(AccessError):
                    account.export_data([field])
            # Even a general read does not carry them.
            self.assertFalse(set(SECRET_FIELDS) & set(account.read()[0]))

    def test_secrets_not_sent_back_to_administrators(self):
        values = self.account.read(["new_lwa_client_secret", "new_lwa_refresh_token",
                                    "has_lwa_client_secret", "has_lwa_refresh_token"])[0]
        self.assertFalse(values["new_lwa_client_secret"])
        self.assertFalse(values["new_lwa_refresh_token"])
        self.assertTrue(values["has_lwa_client_secret"])
        self.assertTrue(values["has_lwa_refresh_token"])

    def test_user_cannot_write_accounts_but_manager_can(self):
        with self.assertRaises(AccessError):
            self.account.with_user(self.user).write({"name": "Hijacked"})
        self.account.with_user(self.manager).write({"name": "Amazon US main"})
        self.assertEqual(self.account.name, "Amazon US main")

    def test_manager_cannot_write_secrets(self):
        with self.assertRaises(AccessError):
            self.account.with_user(self.manager).write({"lwa_client_secret": "x"})

    def test_multi_company_isolation(self):
        document = self.env["amazon.vendor.document"].create({
            "account_id": self.account.id, "kind": "acknowledgement", "external_id": "PO1"})
        Account = self.env["amazon.vendor.account"].with_user(self.other_manager)
        Document = self.env["amazon.vendor.document"].with_user(self.other_manager)
        self.assertFalse(Account.search([("id", "=", self.account.id)]))
        self.assertFalse(Document.search([("id", "=", document.id)]))
        with self.assertRaises(AccessError):
            self.account.with_user(self.other_manager).read(["name"])
        own = Account.create({"name": "Other US", "region": "NA"})
        self.assertEqual(own.company_id, self.other_company)
        self.assertNotIn(own, self.env["amazon.vendor.account"].with_user(self.manager).search([]))
