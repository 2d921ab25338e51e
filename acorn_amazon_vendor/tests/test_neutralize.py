from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import tagged

from .common import AmazonVendorCase


@tagged("post_install", "-at_install")
class TestNeutralize(AmazonVendorCase):
    def test_copied_database_disables_live_accounts(self):
        production = self._create_account("Amazon DE live", environment="production",
                                          endpoint_override=False, lwa_endpoint_override=False)
        sandbox = self._create_account("Amazon sandbox", environment="sandbox")
        self.env.flush_all()
        queries = list(get_neutralization_queries(["acorn_amazon_vendor"]))
        self.assertTrue(queries, "the addon ships data/neutralize.sql")
        for query in queries:
            self.env.cr.execute(query)
        self.env.invalidate_all()
        for live in production | sandbox:
            self.assertFalse(live.active)
            self.assertFalse(live.sudo().lwa_client_secret)
            self.assertFalse(live.sudo().lwa_refresh_token)
        self.assertTrue(self.account.active, "simulation accounts stay usable")
        self.assertTrue(self.account.sudo().lwa_refresh_token)
