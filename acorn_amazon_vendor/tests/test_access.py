import http.server
import socket
import threading

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..lib import embedded_simulator
from ..models.amazon_vendor_account import ROUTING_FIELDS, SIMULATOR_PORT_PARAM
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


class _Trap(http.server.BaseHTTPRequestHandler):
    """Records whatever reaches it: credentials must never get here."""

    def _record(self):
        length = int(self.headers.get("content-length") or 0)
        self.server.received.append((self.command, self.path, self.rfile.read(length)))
        body = b'{"access_token": "trap", "token_type": "bearer", "expires_in": 3600}'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _record

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("post_install", "-at_install")
class TestRoutingAccess(AmazonVendorCase):
    """Where credentials go (environment, endpoint overrides) is a system administrator's
    decision, enforced on the server whatever the channel."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, "av_route_manager", groups=(
            "acorn_amazon_vendor.group_amazon_vendor_manager,base.group_allow_export"))
        cls.user = new_test_user(cls.env, "av_route_user",
                                 groups="acorn_amazon_vendor.group_amazon_vendor_user")
        cls.admin = cls.env.ref("base.user_admin")
        cls.trap = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trap)
        cls.trap.received = []
        threading.Thread(target=cls.trap.serve_forever, kwargs={"poll_interval": 0.1},
                         daemon=True).start()
        cls.addClassCleanup(cls.trap.server_close)
        cls.addClassCleanup(cls.trap.shutdown)
        cls.trap_url = f"http://127.0.0.1:{cls.trap.server_address[1]}"
        # Accounts without overrides use the built-in simulator: the tests' private one.
        cls.env["ir.config_parameter"].set_param(SIMULATOR_PORT_PARAM, "0")

    def setUp(self):
        super().setUp()
        self.trap.received.clear()

    def _as(self, user):
        return self.env["amazon.vendor.account"].with_user(user)

    def test_manager_cannot_set_where_credentials_go(self):
        Account = self._as(self.manager)
        for values in ({"endpoint_override": self.trap_url},
                       {"lwa_endpoint_override": f"{self.trap_url}/auth/o2/token"},
                       {"environment": "production"}, {"environment": "sandbox"}):
            with self.subTest(values=values):
                with self.assertRaises(AccessError):
                    Account.create(dict(values, name="Hijack"))
                with self.assertRaises(AccessError):
                    self.account.with_user(self.manager).write(values)
                with self.assertRaises(AccessError):
                    Account.create([{"name": "Fine"}, dict(values, name="Hijack")])
        # Defaults from the context (or personal defaults) are the caller's too: ignored.
        account = Account.with_context(
            default_endpoint_override=self.trap_url, default_environment="production",
            default_lwa_endpoint_override=self.trap_url).create({"name": "Via defaults"})
        self.assertEqual(account.sudo().environment, "simulation")
        self.assertFalse(account.sudo().endpoint_override)
        self.assertFalse(account.sudo().lwa_endpoint_override)
        # What is harmless stays allowed: a plain Simulation account.
        plain = Account.create({"name": "Plain", "environment": "simulation",
                                "endpoint_override": False})
        self.assertEqual(plain.environment_mode, "simulation")
        # An import goes through create: refused as well.
        result = Account.load(["name", "endpoint_override"], [["Imported", self.trap_url]])
        self.assertFalse(result["ids"])
        self.assertFalse(self.env["amazon.vendor.account"].search([("name", "=", "Imported")]))
        # Untouched.
        self.assertEqual(self.account.sudo().endpoint_override, self.simulator_url)
        self.assertEqual(self.account.sudo().environment, "simulation")

    def test_manager_copy_starts_in_simulation_without_overrides(self):
        live = self._create_account("Amazon EU live", region="EU", marketplace_ids=[],
                                    environment="production", endpoint_override=False,
                                    lwa_endpoint_override=False)
        copy = live.with_user(self.manager).copy()
        self.assertEqual(copy.sudo().environment, "simulation")
        self.assertFalse(copy.sudo().lwa_client_secret)
        mirrored = self.account.copy()
        self.assertEqual(mirrored.sudo().environment, "simulation")
        self.assertFalse(mirrored.endpoint_override, "overrides are never copied")
        self.assertFalse(mirrored.lwa_endpoint_override)
        self.assertEqual(live.copy().environment, "production", "an administrator's copy")

    def test_routing_fields_unreadable_but_mode_visible(self):
        account = self.account.with_user(self.manager)
        for field in ROUTING_FIELDS:
            with self.assertRaises(AccessError, msg=field):
                account.read([field])
            with self.assertRaises(AccessError, msg=field):
                account.search_read([("id", "=", account.id)], [field])
            with self.assertRaises(AccessError, msg=field):
                account.export_data([field])
            with self.assertRaises(AccessError, msg=field):
                account.search([(field, "!=", False)])
        self.assertFalse(set(ROUTING_FIELDS) & set(account.read()[0]))
        values = account.read(["environment_mode", "environment_display",
                               "effective_endpoint"])[0]
        self.assertEqual(values["environment_mode"], "simulation")
        self.assertEqual(values["environment_display"],
                         "Simulation + custom endpoint set by an administrator")
        self.assertEqual(values["effective_endpoint"], "Custom endpoint set by an administrator")
        port = self.simulator_url.rsplit(":", 1)[1]
        self.assertNotIn(port, values["effective_endpoint"], "the host is not shown")
        self.assertEqual(self.account.with_user(self.admin).effective_endpoint,
                         self.simulator_url)
        live = self._create_account("Amazon US live", environment="production",
                                    endpoint_override=False, lwa_endpoint_override=False)
        self.assertEqual(live.with_user(self.manager).environment_display, "Production")
        self.assertEqual(live.with_user(self.manager).effective_endpoint,
                         "https://sellingpartnerapi-na.amazon.com")
        Account = self._as(self.manager)
        self.assertIn(live, Account.search([("environment_mode", "=", "production")]))
        self.assertNotIn(live, Account.search([("environment_mode", "=", "simulation")]))
        # The views a manager gets hold neither the fields nor a way to edit them.
        dashboard = self.env.ref("acorn_amazon_vendor.view_amazon_vendor_account_dashboard").id
        views = Account.get_views([(False, "list"), (False, "form"), (False, "search"),
                                   (dashboard, "kanban")])
        self.assertIn('name="environment_mode"', views["views"]["kanban"]["arch"])
        for view in views["views"].values():
            for field in ROUTING_FIELDS:
                self.assertNotIn(f'name="{field}"', view["arch"])
        self.assertIn('name="environment_display"', views["views"]["form"]["arch"])
        self.assertNotIn("endpoint_override",
                         views["models"]["amazon.vendor.account"]["fields"])
        admin_form = self._as(self.admin).get_views([(False, "form")])["views"]["form"]["arch"]
        for field in ROUTING_FIELDS:
            self.assertIn(f'name="{field}"', admin_form)

    def test_manager_test_connection_never_reaches_another_host(self):
        account = self.account.with_user(self.manager)
        with self.assertRaises(AccessError):
            account.write({"endpoint_override": self.trap_url,
                           "lwa_endpoint_override": f"{self.trap_url}/auth/o2/token"})
        with self.assertRaises(AccessError):
            account.write({"environment": "sandbox"})
        account.action_test_connection()
        self.assertEqual(self.account.connection_state, "ok", self.account.connection_message)
        self.assertIn("Connected to a custom endpoint", self.account.connection_message)
        self.assertNotIn(self.simulator_url.split("//")[1], self.account.connection_message,
                         "the host an administrator set is not shown")
        # A manager's own account: Simulation, no override, no credentials (admin only).
        own = self._as(self.manager).create({"name": "Manager's account"})
        own.action_test_connection()
        self.assertEqual(own.connection_state, "failed")
        self.assertIn("client id or client secret", own.connection_message)
        self.assertEqual(self.trap.received, [], "nothing reached the trap")

    def test_credential_actions_need_a_manager(self):
        account = self.account.with_user(self.user)
        for action in (account.action_test_connection, account.action_sync_now):
            with self.assertRaises(AccessError):
                action()
        self.assertEqual(self.account.connection_state, "untested")
        other_company = self.env["res.company"].create({"name": "Elsewhere Ltd"})
        outsider = new_test_user(
            self.env, "av_route_outsider",
            groups="acorn_amazon_vendor.group_amazon_vendor_manager",
            company_id=other_company.id, company_ids=[Command.set(other_company.ids)])
        with self.assertRaises(AccessError):
            self.account.with_user(outsider).action_test_connection()
        self.assertEqual(self.trap.received, [])

    def test_administrator_sets_an_override_and_tests_it(self):
        account = self.account.with_user(self.admin)
        account.write({"endpoint_override": False, "lwa_endpoint_override": False})
        self.assertIn("Built-in simulator", account.effective_endpoint)
        account.action_test_connection()
        self.assertEqual(account.connection_state, "ok", account.connection_message)
        account.write({"endpoint_override": self.simulator_url,
                       "lwa_endpoint_override": f"{self.simulator_url}/auth/o2/token"})
        self.assertEqual(account.effective_endpoint, self.simulator_url)
        self.assertEqual(account.environment_display,
                         "Simulation + custom endpoint set by an administrator")
        account.action_test_connection()
        self.assertEqual(account.connection_state, "ok", account.connection_message)
        created = self._as(self.admin).create({
            "name": "Admin's proxy", "environment": "sandbox",
            "endpoint_override": "https://proxy.example.com"})
        self.assertEqual(created.endpoint_override, "https://proxy.example.com")
        self.assertEqual(self.trap.received, [])

    def test_simulator_serves_simulation_accounts_only(self):
        port = free_port()
        self.env["ir.config_parameter"].set_param(SIMULATOR_PORT_PARAM, str(port))
        live = self._create_account("Amazon US live", environment="production",
                                    endpoint_override=False, lwa_endpoint_override=False)
        for account in (live, live.with_user(self.manager),
                        self.env["amazon.vendor.account"], self.account | live):
            with self.assertRaisesRegex(UserError, "Only a Simulation account"):
                account._simulator_url()
        self.assertIsNone(embedded_simulator.get(port), "no simulator was started")
        with socket.socket() as sock, self.assertRaises(OSError):
            sock.settimeout(1)
            sock.connect(("127.0.0.1", port))
