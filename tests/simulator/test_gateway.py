"""LWA, access tokens and what Amazon's gateway checks before an operation runs."""
import httpx
import pytest

from odoo.addons.acorn_amazon_vendor.lib.simulator import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_REFRESH_TOKEN,
)
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError

from .fixtures import sandbox_examples as ex

ORDERS = "/vendor/orders/v1/purchaseOrders"
GOOD_FORM = {"grant_type": "refresh_token", "refresh_token": DEFAULT_REFRESH_TOKEN,
             "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET}


def test_lwa_success_shape(sim):
    reply = sim.http.post("/auth/o2/token", data=GOOD_FORM)
    assert reply.status_code == 200
    body = reply.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert body["refresh_token"] == DEFAULT_REFRESH_TOKEN
    assert body["access_token"].startswith("Atza|")


@pytest.mark.parametrize("change, status, error", [
    ({"client_secret": "wrong"}, 401, "invalid_client"),
    ({"client_id": "amzn1.application-oa2-client.other"}, 401, "invalid_client"),
    ({"refresh_token": "Atzr|revoked"}, 400, "invalid_grant"),
    ({"grant_type": "authorization_code"}, 400, "unsupported_grant_type"),
    ({"grant_type": None}, 400, "invalid_request"),
])
def test_lwa_errors(sim, change, status, error):
    form = {k: v for k, v in dict(GOOD_FORM, **change).items() if v is not None}
    reply = sim.http.post("/auth/o2/token", data=form)
    assert reply.status_code == status
    assert reply.json()["error"] == error and reply.json()["error_description"]


@pytest.mark.parametrize("override, kind, status", [
    ({"client_secret": "wrong"}, "invalid_client", 401),
    ({"refresh_token": "Atzr|revoked"}, "invalid_grant", 400),
])
def test_lwa_errors_through_the_transport(sim, override, kind, status):
    with sim.api(**override) as api, pytest.raises(AmazonApiError) as info:
        api.test_connection(now=sim.now())
    assert info.value.kind == kind and info.value.status == status


@pytest.mark.parametrize("token", [None, "Atza|made-up"])
def test_missing_or_unknown_access_token(sim, token):
    headers = {"x-amz-access-token": token} if token else {}
    reply = sim.http.get(ORDERS, headers=headers)
    assert reply.status_code == 403
    assert reply.json() == {"errors": [{
        "code": "Unauthorized", "message": "Access to requested resource is denied.",
        "details": "The access token you provided is revoked, malformed or invalid."}]}


def test_token_expires_on_the_simulated_clock(sim):
    assert sim.get(ORDERS).status_code == 200
    sim.control("clock", {"advance": 3601})
    reply = sim.get(ORDERS)
    assert reply.status_code == 403 and reply.json()["errors"][0]["code"] == "Unauthorized"


def test_reply_headers(sim):
    reply = sim.get(ORDERS)
    assert reply.headers["content-type"] == "application/json"
    assert reply.headers["x-amzn-RateLimit-Limit"] == "10.0"
    assert len(reply.headers["x-amzn-RequestId"]) == 36
    other = sim.get(ORDERS)
    assert other.headers["x-amzn-RequestId"] != reply.headers["x-amzn-RequestId"]
    assert sim.get("/vendor/transactions/v1/transactions/x").headers[
        "x-amzn-RateLimit-Limit"] == "10.0"
    assert sim.get("/reports/2021-06-30/reports/1").headers[
        "x-amzn-RateLimit-Limit"] == "2.0"


def test_unknown_path_and_wrong_method(sim):
    reply = sim.get("/vendor/orders/v2/purchaseOrders")
    assert reply.status_code == 404 and reply.json()["errors"][0]["code"] == "NotFound"
    reply = sim.post(ORDERS, {})
    assert reply.status_code == 405
    assert reply.json()["errors"][0]["code"] == "MethodNotAllowed"


def test_unsupported_media_type(sim):
    reply = sim.post("/vendor/payments/v1/invoices", b"<invoices/>", content_type="text/xml")
    assert reply.status_code == 415
    assert reply.json()["errors"][0]["code"] == "UnsupportedMediaType"


def test_payload_too_large(sim):
    big = b'{"invoices": [' + b" " * (10 * 1024 * 1024) + b"]}"
    reply = sim.post("/vendor/payments/v1/invoices", big)
    assert reply.status_code == 413
    assert reply.json()["errors"][0]["code"] == "RequestEntityTooLarge"


def test_body_that_is_not_json(sim):
    reply = sim.post("/vendor/payments/v1/invoices", b"{invoices:")
    assert reply.status_code == 400
    assert reply.json()["errors"][0] == {
        "code": "InvalidInput", "message": "The request body is not valid JSON.",
        "details": reply.json()["errors"][0]["details"]}


def test_stray_marketplace_ids_in_a_post_body_refused(sim):
    body = dict(ex.SUBMIT_INVOICES, marketplaceIds=["ATVPDKIKX0DER"])
    reply = sim.post("/vendor/payments/v1/invoices", body)
    assert reply.status_code == 400
    error = reply.json()["errors"][0]
    assert error["code"] == "InvalidInput" and error["details"] == "$.marketplaceIds"


def test_library_marketplace_params_tolerated_on_gets_but_nothing_else(sim):
    params = {"MarketplaceId": "ATVPDKIKX0DER", "MarketplaceIds": "ATVPDKIKX0DER",
              "marketplace_ids": "ATVPDKIKX0DER", "marketplaceIds": "ATVPDKIKX0DER"}
    assert sim.get(ORDERS, **params).status_code == 200
    reply = sim.get(ORDERS, pageSize="10")
    assert reply.status_code == 400
    assert reply.json()["errors"][0]["message"] == "Invalid request parameter: pageSize"


def test_keep_alive_connection_serves_many_requests(sim):
    token = sim.token()
    with httpx.Client(base_url=sim.url, trust_env=False) as client:
        replies = [client.get(ORDERS, params={"limit": 1},
                              headers={"x-amz-access-token": token}) for _ in range(20)]
    assert {r.status_code for r in replies} == {200}
    assert {r.http_version for r in replies} == {"HTTP/1.1"}
