"""The SP-API transport over real HTTP: python-amazon-sp-api against a scripted server."""
import datetime
import json
import logging

import pytest

from odoo.addons.acorn_amazon_vendor.lib.transport import (
    AmazonApiError,
    TransportConfig,
    VendorApi,
    clear_token_cache,
    windows,
)

from .scripted_server import ScriptedServer

ORDERS = "/vendor/orders/v1/purchaseOrders"
TOKEN = "/auth/o2/token"
UTC = datetime.UTC
SECRET = "very-secret-client-secret"
REFRESH = "Atzr|very-secret-refresh-token"


@pytest.fixture()
def server():
    clear_token_cache()
    with ScriptedServer() as srv:
        yield srv


def make_api(server, sleeps=None, **overrides):
    options = {
        "endpoint": server.url, "lwa_endpoint": server.url + TOKEN, "client_id": "amzn1.client",
        "client_secret": SECRET, "refresh_token": REFRESH, "timeout": 2.0,
        "pace_requests": False, "backoff_base": 0.01, "backoff_cap": 0.05}
    config = TransportConfig(**dict(options, **overrides))
    return VendorApi(config, sleep=(sleeps.append if sleeps is not None else lambda s: None))


def orders_page(numbers, token=None):
    payload = {"orders": [{"purchaseOrderNumber": n} for n in numbers]}
    if token:
        payload["pagination"] = {"nextToken": token}
    return {"payload": payload}


def test_host_header_is_the_real_host_for_http_endpoints(server):
    server.on(ORDERS, (200, orders_page(["A1"])))
    with make_api(server) as api:
        list(api.iter_purchase_order_pages(datetime.datetime(2026, 11, 1, tzinfo=UTC),
                                           datetime.datetime(2026, 11, 2, tzinfo=UTC)))
    request = server.received(ORDERS)[0]
    assert request["headers"]["host"] == server.url.removeprefix("http://")
    assert request["headers"]["x-amz-access-token"] == "Atza|scripted-access-token"


def test_pagination_resends_the_same_filters_with_next_token(server):
    server.on(ORDERS, (200, orders_page(["A1", "A2"], token="t1")),
              (200, orders_page(["A3"], token="t2")), (200, orders_page(["A4"])))
    start = datetime.datetime(2026, 11, 1, tzinfo=UTC)
    with make_api(server) as api:
        pages = list(api.iter_purchase_order_pages(
            start, start + datetime.timedelta(days=3), orderingVendorCode="ACRN1"))
    assert [[o["purchaseOrderNumber"] for o in p[2]] for p in pages] == \
        [["A1", "A2"], ["A3"], ["A4"]]
    queries = [r["query"] for r in server.received(ORDERS)]
    assert [q.get("nextToken") for q in queries] == [None, ["t1"], ["t2"]]
    for query in queries:
        assert query["orderingVendorCode"] == ["ACRN1"]
        assert query["createdAfter"] == ["2026-11-01T00:00:00Z"]
        assert query["createdBefore"] == ["2026-11-04T00:00:00Z"]
        assert query["limit"] == ["100"]


def test_ranges_are_cut_into_seven_day_windows(server):
    server.on(ORDERS, (200, orders_page([])))
    start = datetime.datetime(2026, 10, 1, tzinfo=UTC)
    end = start + datetime.timedelta(days=20, hours=5)
    with make_api(server) as api:
        seen = [(a, b) for a, b, _o in api.iter_purchase_order_pages(
            start, end, window_field="changed")]
    assert len(seen) == 3
    assert seen[0] == (start, start + datetime.timedelta(days=7))
    assert seen[-1][1] == end
    assert all(b - a <= datetime.timedelta(days=7) for a, b in seen)
    after = [r["query"]["changedAfter"][0] for r in server.received(ORDERS)]
    assert after == ["2026-10-01T00:00:00Z", "2026-10-08T00:00:00Z", "2026-10-15T00:00:00Z"]
    assert list(windows(end, start)) == []


def test_throttling_is_retried_with_backoff(server):
    quota = {"errors": [{"code": "QuotaExceeded", "message": "You exceeded your quota"}]}
    server.on(ORDERS, (429, quota), (429, quota), (200, orders_page(["A1"])))
    sleeps = []
    with make_api(server, sleeps) as api:
        payload = api.call("orders", "getPurchaseOrders", lambda c: c.get_purchase_orders())
    assert payload["orders"][0]["purchaseOrderNumber"] == "A1"
    assert len(sleeps) == 2 and all(0 <= s <= 0.05 for s in sleeps)


def test_retries_stop_after_max_attempts_with_amazons_code(server):
    server.on(ORDERS, (429, {"errors": [{"code": "QuotaExceeded", "message": "slow down"}]}))
    with make_api(server, max_attempts=3) as api, pytest.raises(AmazonApiError) as caught:
        api.call("orders", "getPurchaseOrders", lambda c: c.get_purchase_orders())
    assert caught.value.kind == "throttled" and caught.value.code == "QuotaExceeded"
    assert caught.value.status == 429 and caught.value.message == "slow down"
    assert len(server.received(ORDERS)) == 3


@pytest.mark.parametrize("status,body,kind,code,message", [
    (400, {"errors": [{"code": "InvalidInput", "message": "bad date", "details": "createdAfter"}]},
     "bad_request", "InvalidInput", "bad date"),
    (403, {"errors": [{"code": "Unauthorized", "message": "Access denied"}]},
     "forbidden", "Unauthorized", "Access denied"),
    (404, {"errors": [{"code": "NotFound", "message": "no PO"}]}, "not_found", "NotFound", "no PO"),
    # Replies without an ``errors`` key pass silently through the library: not here.
    (502, b"<html>Bad Gateway</html>", "server", None, "<html>Bad Gateway</html>"),
    (500, {"message": "Internal"}, "server", None, '{"message": "Internal"}'),
])
def test_errors_are_translated(server, status, body, kind, code, message):
    server.on(ORDERS + "/ZZZ", (status, body))
    with make_api(server, max_attempts=1) as api, pytest.raises(AmazonApiError) as caught:
        api.get_purchase_order("ZZZ")
    assert (caught.value.kind, caught.value.code, caught.value.status) == (kind, code, status)
    assert caught.value.message == message
    assert caught.value.request_id.startswith("req-")


def test_malformed_json_is_an_error_and_retried_for_reads(server):
    server.on(ORDERS, (200, b'{"payload": {"orders": [', {}), (200, orders_page(["A9"])))
    with make_api(server) as api:
        payload = api.call("orders", "getPurchaseOrders", lambda c: c.get_purchase_orders())
    assert payload["orders"][0]["purchaseOrderNumber"] == "A9"
    server.on(ORDERS, (200, b"not json"))
    with make_api(server, max_attempts=1) as api, pytest.raises(AmazonApiError) as caught:
        api.call("orders", "getPurchaseOrders", lambda c: c.get_purchase_orders())
    assert caught.value.kind == "malformed"


def test_timeouts_retry_reads_but_not_non_idempotent_posts(server):
    path = "/vendor/shipping/v1/shipmentConfirmations"
    server.on(path, (202, {"payload": {"transactionId": "T1"}}, {}, 0.6))
    with make_api(server, timeout=0.3, max_attempts=3) as api, \
            pytest.raises(AmazonApiError) as caught:
        api.submit_shipment_confirmations({"shipmentConfirmations": []})
    assert caught.value.kind == "timeout"
    assert len(server.received(path)) == 1, "an ASN whose fate is unknown is not sent twice"


def test_posts_carry_no_injected_marketplace_ids(server):
    path = "/vendor/orders/v1/acknowledgements"
    server.on(path, (202, {"payload": {"transactionId": "T-ack"}}))
    body = {"acknowledgements": [{"purchaseOrderNumber": "A1"}]}
    with make_api(server) as api:
        assert api.submit_acknowledgement(body) == "T-ack"
    sent = json.loads(server.received(path)[0]["body"])
    assert sent == body


@pytest.mark.parametrize("status,body,kind", [
    (401, {"error": "invalid_client", "error_description": "Client authentication failed"},
     "invalid_client"),
    (400, {"error": "invalid_grant", "error_description": "The request has an invalid grant"},
     "invalid_grant"),
    (500, b"oops", "server"),
])
def test_lwa_errors(server, status, body, kind):
    server.on(TOKEN, (status, body))
    with make_api(server, max_attempts=1) as api, pytest.raises(AmazonApiError) as caught:
        api.test_connection()
    assert caught.value.kind == kind and caught.value.operation == "LWA token"
    assert not server.received(ORDERS), "no API call without a token"
    form = dict(p.split("=", 1) for p in server.received(TOKEN)[0]["body"].decode().split("&"))
    assert form["grant_type"] == "refresh_token" and form["client_id"] == "amzn1.client"


def test_token_cache_is_per_account_and_endpoint(server):
    server.on(ORDERS, (200, orders_page([])))
    with make_api(server) as api:
        api.test_connection()
        api.test_connection()
    assert len(server.received(TOKEN)) == 1, "the token is reused while valid"
    with ScriptedServer() as other:
        other.on(ORDERS, (200, orders_page([])))
        with make_api(other) as api:  # same refresh token, other LWA endpoint
            api.test_connection()
        assert len(other.received(TOKEN)) == 1


def test_proxy_variables_do_not_capture_loopback(server, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    server.on(ORDERS, (200, orders_page([])))
    with make_api(server) as api:
        assert api.test_connection()["orders_seen"] == 0


def test_secrets_and_tokens_never_reach_the_logs(server, caplog):
    server.on(ORDERS, (403, {"errors": [{"code": "Unauthorized", "message": "denied"}]}))
    for name in ("sp_api", "httpx", "httpcore", "odoo.addons.acorn_amazon_vendor"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    with caplog.at_level(logging.DEBUG), make_api(server, max_attempts=1) as api, \
            pytest.raises(AmazonApiError) as caught:
        api.test_connection()
    text = caplog.text + str(caught.value) + repr(api.config)
    assert caplog.records, "debug logging was on"
    for secret in (SECRET, REFRESH, "Atza|scripted-access-token"):
        assert secret not in text


def test_revoked_access_token_is_renewed_once(server):
    denied = {"errors": [{"code": "Unauthorized", "message": "Access to requested resource is "
                          "denied.", "details": "The access token you provided is revoked."}]}
    server.on(ORDERS, (403, denied), (200, orders_page(["A1"])))
    with make_api(server, max_attempts=1) as api:
        payload = api.call("orders", "getPurchaseOrders", lambda c: c.get_purchase_orders())
    assert payload["orders"][0]["purchaseOrderNumber"] == "A1"
    assert len(server.received(TOKEN)) == 2
    server.on(ORDERS, (403, denied))
    with make_api(server, max_attempts=1) as api, pytest.raises(AmazonApiError) as caught:
        api.call("orders", "getPurchaseOrders", lambda c: c.get_purchase_orders())
    assert caught.value.kind == "forbidden", "a real denial is reported, not looped on"


def test_retried_posts_stay_posts(server):
    path = "/vendor/payments/v1/invoices"
    server.on(path, (503, {"errors": [{"code": "ServiceUnavailable", "message": "later"}]}),
              (202, {"payload": {"transactionId": "T-inv"}}))
    with make_api(server) as api:
        assert api.submit_invoices({"invoices": [{"id": "INV1"}]}) == "T-inv"
    assert [r["method"] for r in server.received(path)] == ["POST", "POST"]
    assert all(json.loads(r["body"]) == {"invoices": [{"id": "INV1"}]}
               for r in server.received(path))
