"""Simulator throughput: getPurchaseOrders pages of 100 full POs, throttling off.

``python tests/benchmarks/bench_simulator.py [seconds] [connections]`` prints requests/s; as a
pytest test it runs briefly and checks only that every reply was a correct full page.
The simulator runs in its own process, as in production, so client and server do not share
one interpreter lock.
"""
import datetime
import http.client
import json
import os
import pathlib
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

REPO = pathlib.Path(__file__).resolve().parents[2]
LAUNCH = ("import sys, odoo.addons; odoo.addons.__path__.append(sys.argv[1]); "
          "from odoo.addons.acorn_amazon_vendor.lib.simulator.__main__ import main; "
          "sys.exit(main(sys.argv[2:]))")
CLIENT_ID = "amzn1.application-oa2-client.acornsimulator"
CLIENT_SECRET = "acorn-simulator-secret"
REFRESH_TOKEN = "Atzr|acorn-simulator-refresh-token"
PAGE = 100


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        reply = connection.getresponse()
        return reply.status, reply.read()
    finally:
        connection.close()


def _start_simulator():
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-c", LAUNCH, str(REPO), "--no-throttling"],
                               env=dict(os.environ, SANDBOX_PORT=str(port)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            _request(port, "GET", "/_simulator/health")
            return process, port
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)


def _prepare(port):
    """An access token, and a 7-day window holding more than a page of POs."""
    status, body = _request(port, "POST", "/_simulator/purchase-orders",
                            json.dumps({"generate": 2 * PAGE}),
                            {"Content-Type": "application/json"})
    assert status == 201, body
    form = urllib.parse.urlencode({"grant_type": "refresh_token", "client_id": CLIENT_ID,
                                   "client_secret": CLIENT_SECRET,
                                   "refresh_token": REFRESH_TOKEN})
    status, body = _request(port, "POST", "/auth/o2/token", form,
                            {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200, body
    now = datetime.datetime.now(datetime.UTC)
    query = urllib.parse.urlencode({
        "createdAfter": (now - datetime.timedelta(days=6)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "createdBefore": (now + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "limit": PAGE, "includeDetails": "true"})
    return json.loads(body)["access_token"], f"/vendor/orders/v1/purchaseOrders?{query}"


def _client(port, token, path, stop, results, check):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"x-amz-access-token": token, "Connection": "keep-alive"}
    done, bad = 0, 0
    while not stop.is_set():
        connection.request("GET", path, headers=headers)
        reply = connection.getresponse()
        body = reply.read()
        if reply.status != 200 or (check and len(
                json.loads(body)["payload"]["orders"]) != PAGE):
            bad += 1
        done += 1
    connection.close()
    results.append((done, bad))


def run(seconds=3.0, connections=4, check=False):
    """Requests/s and the count of wrong replies over ``seconds`` with ``connections``."""
    process, port = _start_simulator()
    try:
        token, path = _prepare(port)
        stop, results = threading.Event(), []
        threads = [threading.Thread(target=_client, args=(port, token, path, stop, results,
                                                          check)) for _ in range(connections)]
        start = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(seconds)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - start
    finally:
        process.terminate()
        process.wait(timeout=10)
    done = sum(d for d, _ in results)
    return {"requests": done, "bad": sum(b for _, b in results),
            "requests_per_s": round(done / elapsed), "seconds": round(elapsed, 2),
            "connections": connections}



def test_pages_of_100_are_served_correctly():
    figures = run(seconds=1.0, connections=2, check=True)
    print(f"\nsimulator getPurchaseOrders, pages of {PAGE} POs: {figures}")
    assert figures["requests"] > 0 and figures["bad"] == 0


if __name__ == "__main__":
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    connections = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    result = run(seconds, connections)
    print(f"getPurchaseOrders, pages of {PAGE} full POs, throttling off: "
          f"{result['requests_per_s']} requests/s ({result['requests']} in "
          f"{result['seconds']} s over {connections} keep-alive connections, "
          f"{result['bad']} bad replies)")
