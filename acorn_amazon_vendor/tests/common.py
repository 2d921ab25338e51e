import json
import urllib.error
import urllib.request

from odoo import Command
from odoo.tests import HttpCase, TransactionCase

from ..lib import embedded_simulator
from ..lib.simulator import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN
from ..lib.simulator.reports import DEFAULT_REPORT_DELAY, DEFAULT_URL_TTL
from ..lib.simulator.transactions import DEFAULT_DELAY
from ..lib.transport import clear_token_cache


def simulator_url():
    """A private simulator for this test process, on a free loopback port."""
    return embedded_simulator.ensure_running(0)


def simulator():
    return embedded_simulator.get(0)


def simulator_control(path, payload=None, method="POST"):
    """Drive the test simulator through its control API (outside Amazon's API)."""
    request = urllib.request.Request(
        f"{simulator_url()}/_simulator/{path}", method=method,
        data=json.dumps(payload or {}).encode() if method == "POST" else None,
        headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"simulator refused {path}: {exc.read().decode()}") from None


def reset_simulator():
    clear_token_cache()
    simulator_control("reset")
    simulator_control("faults/clear")
    # Settings survive a reset in the simulator: every test starts from the defaults.
    simulator_control("settings", {
        "transaction_delay": DEFAULT_DELAY, "report_delay": DEFAULT_REPORT_DELAY,
        "document_url_ttl": DEFAULT_URL_TTL, "stay_processing": []})


def create_simulation_account(env, name, url, **values):
    """An account talking to the simulator at ``url`` with the simulator's credentials."""
    account = env["amazon.vendor.account"].create(dict({
        "name": name,
        "region": "NA",
        "environment": "simulation",
        "marketplace_ids": [Command.link(env.ref("acorn_amazon_vendor.marketplace_us").id)],
        "endpoint_override": url,
        "lwa_endpoint_override": f"{url}/auth/o2/token",
        "timeout": 5,
        "party_ids": [Command.create({"code": "ACRN1", "name": "Main"})],
    }, **values))
    account.sudo().write({
        "lwa_client_id": DEFAULT_CLIENT_ID,
        "lwa_client_secret": DEFAULT_CLIENT_SECRET,
        "lwa_refresh_token": DEFAULT_REFRESH_TOKEN,
    })
    return account


class AmazonVendorCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not issubclass(cls, HttpCase):  # HttpCase does the same after this
            # The send journal and the rate buckets write through cursors of their own;
            # in tests those are savepoints of the test transaction (rolled back with it).
            cls.registry.enter_test_mode(cls.cr)
            cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.simulator_url = simulator_url()
        cls.simulator = simulator()
        cls.marketplace_us = cls.env.ref("acorn_amazon_vendor.marketplace_us")
        cls.amazon_partner = cls.env["res.partner"].create({
            "name": "Amazon.com Services LLC", "is_company": True})
        cls.account = cls._create_account("Amazon US (test)")

    def setUp(self):
        super().setUp()
        reset_simulator()

    def simulator_control(self, path, payload=None, method="POST"):
        return simulator_control(path, payload, method)

    @classmethod
    def _create_account(cls, name, **values):
        values = dict({"partner_id": cls.amazon_partner.id}, **values)
        return create_simulation_account(cls.env, name, cls.simulator_url, **values)
