from odoo.tests import HttpCase, tagged

from .common import create_simulation_account, reset_simulator, simulator_url


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    def test_test_connection_tour(self):
        reset_simulator()
        account = create_simulation_account(self.env, "Amazon US (tour)", simulator_url())
        self.start_tour("/odoo/action-acorn_amazon_vendor.action_amazon_vendor_account",
                        "acorn_amazon_vendor_test_connection", login="admin")
        self.assertEqual(account.connection_state, "ok")
        self.assertIn("Connected to 127.0.0.1", account.connection_message)
