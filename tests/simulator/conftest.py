"""Fixtures: a fresh simulator per test on a free port with a frozen clock, the real transport
(VendorApi over python-amazon-sp-api) pointed at it, and a raw HTTP client for the edges."""
import datetime

import httpx
import pytest

from odoo.addons.acorn_amazon_vendor.lib.simulator import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_REFRESH_TOKEN,
    SimulatorServer,
)
from odoo.addons.acorn_amazon_vendor.lib.transport import (
    TransportConfig,
    VendorApi,
    clear_token_cache,
)

NOW = datetime.datetime(2026, 11, 4, 12, 0, 0, tzinfo=datetime.UTC)



class Sim:
    """A running simulator plus helpers to drive it the way tests need."""

    def __init__(self, server):
        self.server = server
        self.url = server.url
        self.http = httpx.Client(base_url=server.url, trust_env=False, timeout=10)
        self._token = None

    @property
    def state(self):
        return self.server.state

    def api(self, **overrides):
        options = {"endpoint": self.url, "lwa_endpoint": self.server.lwa_url,
                       "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET,
                       "refresh_token": DEFAULT_REFRESH_TOKEN, "max_attempts": 1,
                       "pace_requests": False, "timeout": 10}
        options.update(overrides)
        return VendorApi(TransportConfig(**options), sleep=lambda s: None)

    def token(self):
        if self._token is None:
            reply = self.http.post("/auth/o2/token", data={
                "grant_type": "refresh_token", "refresh_token": DEFAULT_REFRESH_TOKEN,
                "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET})
            self._token = reply.json()["access_token"]
        return self._token

    def get(self, path, **params):
        return self.http.get(path, params=params, headers={"x-amz-access-token": self.token()})

    def post(self, path, body, content_type="application/json"):
        content = body if isinstance(body, bytes | str) else httpx.Request(
            "POST", "/", json=body).content
        return self.http.post(path, content=content, headers={
            "x-amz-access-token": self.token(), "content-type": content_type})

    def control(self, path, body=None, method=None):
        method = method or ("GET" if body is None else "POST")
        reply = self.http.request(method, f"/_simulator/{path}", json=body)
        assert reply.status_code < 300, reply.text
        return reply.json()

    def settle(self):
        return self.control("transactions/settle", {})["settled"]

    def advance(self, seconds):
        """Move the simulated clock; past an hour the client's cached token has expired."""
        self.control("clock", {"advance": seconds})
        if seconds >= 3000:
            clear_token_cache()
            self._token = None

    def now(self):
        return self.state.clock.now()

    def po(self, predicate=lambda po: True):
        """A default-data PO matching ``predicate`` (first by creation date)."""
        return next(po for po in self.state.order_list if predicate(po))


def running_simulator(**options):
    """A simulator on a free port with the frozen clock, stopped afterwards (fixture body)."""
    clear_token_cache()
    server = SimulatorServer(port=0, now=NOW, **options).start()
    helper = Sim(server)
    yield helper
    helper.http.close()
    server.stop()
    clear_token_cache()


@pytest.fixture
def sim():
    yield from running_simulator(throttling=False)


@pytest.fixture
def throttled():
    """Throttling on, as Amazon does."""
    yield from running_simulator()


@pytest.fixture
def api(sim):
    with sim.api() as client:
        yield client
