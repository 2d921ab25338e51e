import logging
import socket

from odoo.tests import tagged

from ..lib.simulator import DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN
from .common import AmazonVendorCase


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("post_install", "-at_install")
class TestConnection(AmazonVendorCase):
    def _test(self):
        action = self.account.action_test_connection()
        return action["params"], self.account.connection_message

    def test_connection_ok_with_latency(self):
        params, message = self._test()
        self.assertEqual(self.account.connection_state, "ok")
        self.assertEqual(params["type"], "success")
        self.assertRegex(message, r"Login with Amazon answered in \d+ ms and the Vendor Orders "
                                  r"API in \d+ ms")
        self.assertTrue(self.account.connection_checked_at)

    def test_wrong_secret_is_invalid_client(self):
        self.account.sudo().lwa_client_secret = "wrong-secret"
        params, message = self._test()
        self.assertEqual(self.account.connection_state, "failed")
        self.assertEqual(params["type"], "danger")
        self.assertIn("refused the client id or client secret (invalid_client", message)
        self.assertNotIn("wrong-secret", message)

    def test_expired_refresh_token_is_invalid_grant(self):
        self.account.sudo().lwa_refresh_token = "Atzr|revoked"
        _params, message = self._test()
        self.assertIn("refresh token is invalid, expired or was revoked (invalid_grant", message)
        self.assertNotIn("Atzr|revoked", message)

    def test_missing_vendor_role_is_explained(self):
        self.simulator_control("faults", {"forbidden": True})
        _params, message = self._test()
        self.assertIn("denied the Vendor API (HTTP 403 Unauthorized", message)
        self.assertIn("region (NA)", message)

    def test_unreachable_endpoint(self):
        port = closed_port()
        self.account.endpoint_override = f"http://127.0.0.1:{port}"
        _params, message = self._test()
        self.assertIn(f"Cannot reach 127.0.0.1:{port}", message)

    def test_timeout(self):
        self.account.timeout = 1
        self.simulator_control("faults", {"faults": [
            {"kind": "timeout", "operation": "getPurchaseOrders", "count": 5, "delay": 3}]})
        _params, message = self._test()
        self.assertIn("did not answer within 1 seconds", message)

    def test_secrets_never_logged(self):
        self.account.sudo().lwa_client_secret = "wrong-secret"
        with self.assertLogs("odoo.addons.acorn_amazon_vendor", level=logging.DEBUG) as logs:
            logging.getLogger("odoo.addons.acorn_amazon_vendor").debug("capture on")
            self._test()
            self.account.sudo().lwa_client_secret = DEFAULT_CLIENT_SECRET
            self._test()
        text = "\n".join(logs.output)
        for secret in ("wrong-secret", DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN):
            self.assertNotIn(secret, text)
        self.assertIn("connection test failed (invalid_client", text)
