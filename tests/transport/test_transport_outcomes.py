"""What the transport knows about a request that went wrong: refused, never sent, or unknown.

A POST whose outcome is unknown must never be sent again blindly (a second ASN or invoice is a
duplicate at Amazon); every odd reply still comes out as an AmazonApiError, never as the
library's own exception.
"""
import socket

import pytest

from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError
from odoo.addons.acorn_amazon_vendor.lib.transport.pacing import MemoryPacer, wait_for_slot

from .scripted_server import ScriptedServer
from .test_transport import ORDERS, TOKEN, make_api, orders_page, server  # noqa: F401

ASN = "/vendor/shipping/v1/shipmentConfirmations"
INVOICES = "/vendor/payments/v1/invoices"


def _submit_asn(api):
    return api.submit_shipment_confirmations({"shipmentConfirmations": [{"x": 1}]})


def test_2xx_with_errors_is_a_refusal_not_a_crash(server):  # noqa: F811
    refusal = {"errors": [{"code": "InvalidInput", "message": "bad shipment", "details": "x"}]}
    server.on(ASN, (200, refusal))
    with make_api(server) as api, pytest.raises(AmazonApiError) as caught:
        _submit_asn(api)
    error = caught.value
    assert (error.kind, error.code, error.message) == ("bad_request", "InvalidInput",
                                                        "bad shipment")
    assert error.outcome_unknown is False
    assert len(server.received(ASN)) == 1


@pytest.mark.parametrize("body", [b'["a list"]', b'"a string"', b"42", b"<html>ok</html>",
                                  b'{"payload": {}}'])
def test_odd_2xx_replies_to_a_post_leave_the_outcome_unknown(server, body):  # noqa: F811
    server.on(ASN, (202, body))
    with make_api(server, max_attempts=3) as api, pytest.raises(AmazonApiError) as caught:
        _submit_asn(api)
    assert caught.value.kind == "malformed"
    assert caught.value.outcome_unknown is True
    assert len(server.received(ASN)) == 1, "never sent twice when Amazon may have it"


def test_payload_and_errors_together_is_unknown(server):  # noqa: F811
    server.on(INVOICES, (202, {"payload": {"transactionId": "T1"},
                               "errors": [{"code": "X", "message": "y"}]}))
    with make_api(server, max_attempts=3) as api, pytest.raises(AmazonApiError) as caught:
        api.submit_invoices({"invoices": [{"id": "I1"}]})
    assert caught.value.outcome_unknown is True
    assert len(server.received(INVOICES)) == 1


def test_undecodable_reply_is_an_amazon_api_error(server):  # noqa: F811
    server.on(ASN, (202, b"this is not gzip", {"content-encoding": "gzip"}))
    with make_api(server, max_attempts=3) as api, pytest.raises(AmazonApiError) as caught:
        _submit_asn(api)
    assert caught.value.outcome_unknown is True
    assert len(server.received(ASN)) == 1
    server.on(ORDERS, (200, b"this is not gzip", {"content-encoding": "gzip"}),
              (200, orders_page(["A1"])))
    with make_api(server, max_attempts=3) as api:
        payload = api.call("orders", "getPurchaseOrders", lambda c: c.get_purchase_orders())
    assert payload["orders"][0]["purchaseOrderNumber"] == "A1", "reads are retried"


@pytest.mark.parametrize("status,unknown", [(500, True), (502, True), (504, True),
                                            (503, False), (429, False), (400, False)])
def test_which_statuses_leave_a_post_unknown(server, status, unknown):  # noqa: F811
    server.on(ASN, (status, {"errors": [{"code": "C", "message": "m"}]}))
    with make_api(server, max_attempts=1) as api, pytest.raises(AmazonApiError) as caught:
        _submit_asn(api)
    assert caught.value.outcome_unknown is unknown


def test_post_timeout_is_unknown_but_a_refused_connection_is_retried(server):  # noqa: F811
    server.on(ASN, (202, {"payload": {"transactionId": "T1"}}, {}, 0.6))
    with make_api(server, timeout=0.3, max_attempts=3) as api, \
            pytest.raises(AmazonApiError) as caught:
        _submit_asn(api)
    assert caught.value.kind == "timeout" and caught.value.outcome_unknown is True
    # Nothing listens on this port: the POST never left, so trying again is safe.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    sleeps = []
    with make_api(server, sleeps, endpoint=closed, max_attempts=3) as api, \
            pytest.raises(AmazonApiError) as caught:
        _submit_asn(api)
    assert caught.value.kind == "connection" and caught.value.outcome_unknown is False
    assert len(sleeps) == 2, "retried because nothing was sent"


def test_amazons_rate_header_wins_over_the_usage_plan(server):  # noqa: F811
    slow = {"x-amzn-RateLimit-Limit": "0.5"}
    server.on(ORDERS, (200, orders_page([]), slow))
    waits = []
    pacer = MemoryPacer(clock=lambda: 0.0, sleep=waits.append)
    with make_api(server, pace_requests=True) as api:
        api.pacer = pacer
        for _ in range(12):
            api.call("orders", "getPurchaseOrders", lambda c: c.get_purchase_orders())
    # Burst 10 passes at once; after the first reply the bucket refills at 0.5/s, not 10/s.
    assert waits == [pytest.approx(2.0), pytest.approx(4.0)]


def test_token_bucket_reserves_slots_in_turn():
    tokens, wait = wait_for_slot(0.0, 10.0, 10, 0.0)
    assert (tokens, wait) == (-1.0, pytest.approx(0.1))
    tokens, wait = wait_for_slot(tokens, 10.0, 10, 0.0)
    assert wait == pytest.approx(0.2), "the second caller queues behind the first"
    tokens, wait = wait_for_slot(5.0, 10.0, 10, 100.0)
    assert (tokens, wait) == (9.0, 0.0), "a bucket never holds more than its burst"


def test_missing_scripted_token_server_is_a_clean_error():
    with ScriptedServer() as srv:
        srv.on(TOKEN, (200, b"[]"))
        with make_api(srv, max_attempts=1) as api, pytest.raises(AmazonApiError) as caught:
            api.test_connection()
    assert caught.value.operation == "LWA token"
