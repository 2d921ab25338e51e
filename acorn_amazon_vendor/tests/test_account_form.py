from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from ..lib.simulator import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN
from .common import AmazonVendorCase


@tagged("post_install", "-at_install")
class TestAccountForm(AmazonVendorCase):
    def test_new_simulation_account_is_prefilled_and_secrets_write_only(self):
        form = Form(self.env["amazon.vendor.account"])
        form.name = "Amazon US"
        form.environment = "production"
        form.environment = "simulation"
        self.assertEqual(form.lwa_client_id, DEFAULT_CLIENT_ID)
        form.marketplace_ids.add(self.marketplace_us)
        with form.party_ids.new() as party:
            party.code = "ACRN1"
        account = form.save()
        self.assertEqual(account.sudo().lwa_client_secret, DEFAULT_CLIENT_SECRET)
        self.assertEqual(account.sudo().lwa_refresh_token, DEFAULT_REFRESH_TOKEN)
        self.assertFalse(account.new_lwa_client_secret, "a stored secret is never read back")
        self.assertEqual(account.party_ids.code, "ACRN1")
        self.assertIn("simulator", account.effective_endpoint)

    def test_replacing_a_secret_keeps_the_other(self):
        with Form(self.account) as form:
            form.new_lwa_client_secret = "  rotated-secret  "
        self.assertEqual(self.account.sudo().lwa_client_secret, "rotated-secret")
        self.assertEqual(self.account.sudo().lwa_refresh_token, DEFAULT_REFRESH_TOKEN)

    def test_region_change_drops_marketplaces_of_other_regions(self):
        form = Form(self.account)
        form.region = "EU"
        self.assertFalse(form.marketplace_ids)
        form.marketplace_ids.add(self.env.ref("acorn_amazon_vendor.marketplace_de"))
        form.marketplace_ids.add(self.env.ref("acorn_amazon_vendor.marketplace_uk"))
        form.save()
        self.assertEqual(self.account.marketplace_ids.mapped("code"), ["UK", "DE"])
        self.assertEqual(self.account.marketplace_ids.currency_id.mapped("name"),
                         ["GBP", "EUR"])

    def test_marketplace_outside_region_refused(self):
        with self.assertRaisesRegex(ValidationError, "not in the NA region"):
            self.account.marketplace_ids |= self.env.ref("acorn_amazon_vendor.marketplace_jp")

    def test_bad_endpoint_and_email_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a valid endpoint"):
            self.account.endpoint_override = "sellingpartnerapi-na.amazon.com"
        with self.assertRaisesRegex(ValidationError, "Invalid alert email"):
            self.account.alert_emails = "ops@example.com, not-an-email"
        self.account.alert_emails = "ops@example.com; finance@example.com"
        self.assertEqual(self.account._alert_email_list(),
                         ["ops@example.com", "finance@example.com"])

    def test_effective_endpoint_per_environment(self):
        account = self._create_account("Live EU", region="EU", marketplace_ids=[],
                                       environment="production", endpoint_override=False)
        self.assertEqual(account.effective_endpoint, "https://sellingpartnerapi-eu.amazon.com")
        account.environment = "sandbox"
        self.assertEqual(account.effective_endpoint,
                         "https://sandbox.sellingpartnerapi-eu.amazon.com")
        config = account._get_transport_config()
        self.assertEqual(config.endpoint, "https://sandbox.sellingpartnerapi-eu.amazon.com")
        self.assertEqual(config.lwa_endpoint, f"{self.simulator_url}/auth/o2/token")
        self.assertNotIn(DEFAULT_CLIENT_SECRET, repr(config), "secrets stay out of reprs")
