"""The simulator counts the requests it saw and those it throttled (429), and shows both in
its health."""

from odoo.addons.acorn_amazon_vendor.lib.simulator.throttling import Throttle


def test_counter_per_operation_and_reset():
    now = [0.0]
    throttle = Throttle(clock=lambda: now[0])
    outcomes = [throttle.allow("getPurchaseOrders") for _ in range(13)]
    assert outcomes.count(False) == 3
    assert throttle.throttled() == {"total": 3, "byOperation": {"getPurchaseOrders": 3}}
    now[0] += 0.1  # one token back at 10/s
    assert throttle.allow("getPurchaseOrders") and not throttle.allow("getPurchaseOrders")
    assert throttle.throttled()["total"] == 4
    assert throttle.requests() == {"total": 15, "byOperation": {"getPurchaseOrders": 15}}
    throttle.reset()
    assert throttle.throttled() == {"total": 0, "byOperation": {}}
    assert throttle.requests()["total"] == 0


def test_disabled_throttle_counts_nothing():
    throttle = Throttle(enabled=False)
    assert all(throttle.allow("getPurchaseOrders") for _ in range(50))
    assert throttle.throttled()["total"] == 0
    assert throttle.requests()["total"] == 50


def test_health_reports_the_429_answers(throttled):
    assert throttled.control("health")["throttled"] == {"total": 0, "byOperation": {}}
    statuses = [throttled.get("/vendor/orders/v1/purchaseOrders", limit=1).status_code
                for _ in range(14)]
    refused = statuses.count(429)
    assert refused >= 1
    health = throttled.control("health")
    assert health["throttled"] == {"total": refused, "byOperation": {"getPurchaseOrders": refused}}
    assert health["requests"] == {"total": 14, "byOperation": {"getPurchaseOrders": 14}}
    throttled.control("reset", {})
    assert throttled.control("health")["throttled"]["total"] == 0
