"""The one place that builds python-amazon-sp-api clients for an account."""
import collections
import logging

from sp_api.api import (
    ReportsV2,
    VendorInvoices,
    VendorOrders,
    VendorShipments,
    VendorTransactionStatus,
)
from sp_api.base.ApiResponse import ApiResponse
from sp_api.base.client import Client
from sp_api.base.credential_provider import FromCodeCredentialProvider

from ..amazon_json import loads as amazon_loads
from .errors import AmazonApiError
from .http import CheckedTransport
from .lwa import token_client_class

Marketplace = collections.namedtuple("Marketplace", "endpoint marketplace_id region")


class _RedactHeaders(logging.Filter):
    """The library logs request headers (with the access token) at DEBUG: never let them out."""

    def filter(self, record):
        return not str(record.msg).startswith(("Request Headers", "Request Data", "Response"))


for _name in ("sp_api.base.client", "sp_api.base.base_client", "sp_api.auth.access_token_client"):
    logging.getLogger(_name).addFilter(_RedactHeaders())



class FinanceClient(Client):
    """A generic client for Amazon's newer finance APIs, which python-amazon-sp-api lacks
    (Finance Remittance 2026-03-17, Finances Invoices 2026-06-25), called with
    ``client._request(path, params=..., add_marketplace=False)``.

    Their replies have no ``payload`` envelope. The library's ApiResponse would pop
    ``nextToken`` (and ``errors``, ``pagination``) out of such a body into attributes, so the
    page's token would vanish from ``response.payload``; here the whole body is the payload,
    with its numbers read exactly (``amazon_json``). CheckedTransport has already refused
    anything but a 2xx JSON object without ``errors``."""

    def _check_response(self, res, res_no_data=False, bulk=False, wrap_list=False):
        body = amazon_loads(res.content) if res.content else {}
        response = ApiResponse(payload=None, headers=res.headers)
        response.payload = body
        return response


CLIENT_CLASSES = {
    "finance": FinanceClient,
    "orders": VendorOrders,
    "shipments": VendorShipments,
    "invoices": VendorInvoices,
    "transactions": VendorTransactionStatus,
    "reports": ReportsV2,
}


class SpApiClientFactory:
    def __init__(self, config, on_response=None, on_rate=None):
        self.config = config
        self.on_response = on_response
        self.on_rate = on_rate
        self._clients = {}

    def _check_credentials(self):
        missing = [label for label, value in (
            ("LWA client id", self.config.client_id),
            ("LWA client secret", self.config.client_secret),
            ("refresh token", self.config.refresh_token)) if not value]
        if missing:
            raise AmazonApiError("invalid_client", "missing credentials: " + ", ".join(missing),
                                 code="MissingCredentials")

    def client(self, name):
        """A configured client of kind ``name`` (orders, shipments, invoices, transactions,
        reports, finance), reused for the life of the factory."""
        if name in self._clients:
            return self._clients[name]
        self._check_credentials()
        cfg = self.config
        client = CLIENT_CLASSES[name](
            marketplace=Marketplace(cfg.endpoint, cfg.marketplace_id, cfg.region),
            refresh_token=cfg.refresh_token,
            credentials={
                "refresh_token": cfg.refresh_token,
                "lwa_app_id": cfg.client_id,
                "lwa_client_secret": cfg.client_secret,
            },
            credential_providers=[FromCodeCredentialProvider],
            auth_token_client_class=token_client_class(cfg),
            timeout=cfg.timeout,
        )
        client._transport.close()
        client._transport = CheckedTransport(
            timeout=cfg.timeout, trust_env=not cfg.is_loopback, on_response=self.on_response,
            on_rate=self.on_rate)
        self._clients[name] = client
        return client

    def close(self):
        for client in self._clients.values():
            client.close()
            client._auth.close()
        self._clients.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
