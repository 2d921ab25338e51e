"""429 token buckets with Amazon's rates, and injected faults the transport must survive."""
import datetime
import time

import pytest

from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError

from . import documents
from .conftest import NOW

DAY = datetime.timedelta(days=1)


def burst(api, operation, count):
    outcomes = []
    for _ in range(count):
        try:
            operation(api)
            outcomes.append("ok")
        except AmazonApiError as exc:
            outcomes.append((exc.kind, exc.status, exc.code))
    return outcomes


def test_quota_exceeded_after_the_burst(throttled):
    with throttled.api() as api:
        outcomes = burst(api, lambda a: a.get_purchase_order(throttled.state.order_list[0].number),
                         14)
    assert outcomes[:10] == ["ok"] * 10
    assert ("throttled", 429, "QuotaExceeded") in outcomes[10:]


def test_transaction_status_has_a_burst_of_20(throttled):
    with throttled.api() as api:
        outcomes = burst(api, lambda a: a.get_transaction("unknown"), 24)
    assert outcomes[:20] == [("not_found", 404, "NotFound")] * 20
    assert ("throttled", 429, "QuotaExceeded") in outcomes[20:]


def test_429_reply_envelope_and_headers(throttled):
    replies = [throttled.get("/vendor/orders/v1/purchaseOrders", limit=1) for _ in range(15)]
    limited = [r for r in replies if r.status_code == 429]
    assert limited
    assert limited[0].json() == {"errors": [{
        "code": "QuotaExceeded", "message": "You exceeded your quota for the requested resource.",
        "details": ""}]}
    assert limited[0].headers["x-amzn-RequestId"]


def test_retries_recover_from_throttling(throttled):
    with throttled.api(max_attempts=8, backoff_base=0.05, backoff_cap=0.5) as api:
        api.sleep = time.sleep
        pages = [page for _s, _e, page in api.iter_purchase_order_pages(
            NOW - 31 * DAY, NOW, limit=5)]
    assert len(pages) > 15
    assert sum(len(p) for p in pages) == len(throttled.state.order_list)


def test_throttling_switch(throttled):
    throttled.control("throttling", {"enabled": False})
    with throttled.api() as api:
        assert set(burst(api, lambda a: a.get_transaction("x"), 40)) == {
            ("not_found", 404, "NotFound")}


def test_server_errors_then_recovery(sim):
    sim.control("faults", {"faults": [{"kind": "500", "count": 1}, {"kind": "503", "count": 1}]})
    with sim.api() as api:
        with pytest.raises(AmazonApiError) as first:
            api.get_transaction("x")
        with pytest.raises(AmazonApiError) as second:
            api.get_transaction("x")
    assert (first.value.kind, first.value.status, first.value.code) == (
        "server", 500, "InternalFailure")
    assert (second.value.kind, second.value.status, second.value.code) == (
        "server", 503, "ServiceUnavailable")
    sim.control("faults", {"faults": [{"kind": "500", "count": 2}]})
    with sim.api(max_attempts=3) as api:
        assert api.get_purchase_order(sim.state.order_list[0].number)["purchaseOrderNumber"]
    assert sim.control("faults")["faults"] == []


def test_faults_can_target_one_operation(sim):
    sim.control("faults", {"faults": [{"kind": "429", "count": 1,
                                       "operation": "getPurchaseOrder"}]})
    with sim.api() as api:
        api.get_shipment_details()
        with pytest.raises(AmazonApiError) as info:
            api.get_purchase_order(sim.state.order_list[0].number)
    assert info.value.kind == "throttled"


def test_timeout_and_malformed_json(sim):
    sim.control("faults", {"faults": [{"kind": "timeout", "count": 1, "delay": 2}]})
    with sim.api(timeout=0.5) as api:
        with pytest.raises(AmazonApiError) as info:
            api.get_shipment_details()
        assert info.value.kind == "timeout"
        sim.control("faults", {"faults": [{"kind": "malformed", "count": 1}]})
        with pytest.raises(AmazonApiError) as info:
            api.get_shipment_details()
        assert info.value.kind == "malformed" and info.value.status == 200
    sim.control("faults", {"faults": [{"kind": "malformed", "count": 1},
                                      {"kind": "timeout", "count": 1, "delay": 2}]})
    with sim.api(timeout=0.5, max_attempts=3) as api:
        assert api.get_shipment_details() == {"shipments": []}


def test_slow_reply(sim):
    sim.control("faults", {"faults": [{"kind": "slow", "count": 1, "delay": 0.4}]})
    with sim.api() as api:
        start = time.monotonic()
        api.get_shipment_details()
        assert time.monotonic() - start >= 0.4


def test_forbidden_mode(sim):
    sim.control("faults", {"forbidden": True})
    with sim.api(max_attempts=3) as api:
        with pytest.raises(AmazonApiError) as info:
            api.get_shipment_details()
        assert (info.value.kind, info.value.status, info.value.code) == (
            "forbidden", 403, "Unauthorized")
        sim.control("faults", method="DELETE")
        assert api.get_shipment_details() == {"shipments": []}


def test_share_of_transactions_failing(sim):
    sim.control("faults", {"transaction_failure_rate": 1.0})
    po = sim.po(lambda p: p.state == "New" and not any(i.cancelled for i in p.items))
    with sim.api() as api:
        tid = api.submit_acknowledgement(documents.acknowledgement(po, sim.now()))
        sim.settle()
        status = api.get_transaction(tid)
    assert status["status"] == "Failure"
    assert status["errors"][0]["code"] == "InternalFailure"
    assert po.state == "New"


def test_bad_fault_requests(sim):
    reply = sim.http.post("/_simulator/faults", json={"faults": [{"kind": "418"}]})
    assert reply.status_code == 400
    reply = sim.http.post("/_simulator/faults", json={"transaction_failure_rate": 2})
    assert reply.status_code == 400
