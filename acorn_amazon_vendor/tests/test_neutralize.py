from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import tagged

from .common import AmazonVendorCase


@tagged("post_install", "-at_install")
class TestNeutralize(AmazonVendorCase):
    def _neutralize(self):
        self.env.flush_all()
        queries = list(get_neutralization_queries(["acorn_amazon_vendor"]))
        self.assertTrue(queries, "the addon ships data/neutralize.sql")
        for query in queries:
            self.env.cr.execute(query)
        self.env.invalidate_all()

    def test_copied_database_disables_live_accounts(self):
        production = self._create_account("Amazon DE live", environment="production",
                                          endpoint_override=False, lwa_endpoint_override=False)
        sandbox = self._create_account("Amazon sandbox", environment="sandbox")
        plain = self._create_account("Amazon US simulation", endpoint_override=False,
                                     lwa_endpoint_override=False)
        self._neutralize()
        for live in production | sandbox:
            self.assertFalse(live.active)
            self.assertFalse(live.sudo().lwa_client_secret)
            self.assertFalse(live.sudo().lwa_refresh_token)
        self.assertTrue(plain.active, "simulation accounts stay usable")
        self.assertTrue(plain.sudo().lwa_refresh_token)

    def test_copied_database_disables_simulation_accounts_with_overrides(self):
        """A Simulation account pointed elsewhere by an administrator may send its secrets to
        any host: a copy must not keep it running."""
        sp_api_only = self._create_account("Simulation via proxy", lwa_endpoint_override=False)
        lwa_only = self._create_account("Simulation via LWA proxy", endpoint_override=False)
        empty = self._create_account("Simulation, empty overrides", endpoint_override="",
                                     lwa_endpoint_override="")
        self._neutralize()
        for account in self.account | sp_api_only | lwa_only:
            self.assertTrue(account.sudo().endpoint_override
                            or account.sudo().lwa_endpoint_override)
            self.assertFalse(account.active, account.name)
            self.assertFalse(account.sudo().lwa_client_secret, account.name)
            self.assertFalse(account.sudo().lwa_refresh_token, account.name)
        self.assertTrue(empty.active, "an empty override is no override")
