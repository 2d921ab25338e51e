"""Separate Odoo worker processes against one database and the simulator (throttling on):
concurrent and killed imports, killed and concurrent sends, one shared quota.

Every worker runs a cron the way Odoo's cron runner does, but without the cron-row lock
(see worker.py): the ledger's own safety (advisory lock, row claims, send journal, unique
keys, PostgreSQL pacing) is what keeps documents exactly once here.
"""
import collections
import time

from odoo.addons.acorn_amazon_vendor.lib.usage_plans import plan_for

from .harness import SKIPPED_IMPORT

KILL_WAIT = 60
REIMPORT = "purchase orders {'new': 0, 'changed': 0, 'same': "


def log_problems(system, fresh_imports=False):
    """Every WARNING or ERROR line of the workers' logs; with ``fresh_imports`` (every
    account's POs are new to it) also an account imported a second time by another worker."""
    problems = []
    for worker in system.workers:
        problems += worker.problems()
        if fresh_imports and REIMPORT in worker.log():
            problems.append(f"{worker.log_path.name}: an account was imported again from "
                            "the start")
    return problems


def duplicate_parties(system, customer):
    """Amazon party codes with more than one partner under ``customer``."""
    return dict(system.db.query(
        "SELECT child.amazon_vendor_party_id, count(*) FROM res_partner child "
        "JOIN res_partner parent ON parent.id = child.parent_id WHERE parent.name = %s "
        "AND child.amazon_vendor_party_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1",
        (customer,)))


def conclude(system, fresh_imports=False):
    """No WARNING or ERROR in any worker's log (a serialization error, a bad query...)."""
    problems = log_problems(system, fresh_imports)
    assert not problems, "\n".join(problems[:20])


def wait_until(condition, timeout=KILL_WAIT, step=0.02):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(step)


def assert_imported_once(system, report, vendor_code):
    """Every PO Amazon has for the account once in the ledger, every New PO once as a sale
    order, no other sale order."""
    amazon = system.sim.purchase_orders(vendor_code)
    ledger = report["documents"]["purchase_order"]
    assert set(ledger) == set(amazon), (set(ledger) ^ set(amazon))
    assert all(doc["count"] == 1 for doc in ledger.values())
    assert all(doc["state"] == "processed" for doc in ledger.values()), \
        collections.Counter(doc["state"] for doc in ledger.values())
    new = {number for number, state in amazon.items() if state == "New"}
    assert set(report["sale_orders"]) == new, set(report["sale_orders"]) ^ new
    assert all(count == 1 for count in report["sale_orders"].values())
    return amazon


def asn_posts(system):
    """{shipmentIdentifier: [status of each POST]} as Amazon received them."""
    posts = collections.defaultdict(list)
    for doc in system.sim.documents("shipment_confirmation"):
        for sc in doc["document"]["shipmentConfirmations"]:
            posts[sc["shipmentIdentifier"]].append(doc["status"])
    return posts


def prepared_asns(system, count, prefix):
    """Placed POs, imported, confirmed (acknowledged), shipped: their ASNs queued."""
    system.sim.place_orders(count, prefix=prefix)
    results = system.run(system.setup(), ["import"], ["prepare-asns"], label="prepare")
    prepared = results["prepare-asns"]
    assert not prepared["issues"] and not prepared["refused"], prepared
    assert len(prepared["asns"]) == count, prepared
    return prepared["asns"]


def test_two_imports_of_one_account_at_the_same_moment(system):
    system.sim.reset(seed=101)
    system.sim.control("purchase-orders", {"generate": 150, "vendor_code": "ACRN1",
                                           "currency": "USD"})
    # The run holding the account's lock stays on it for a few seconds.
    system.sim.faults({"kind": "slow", "delay": 0.5, "count": 4,
                       "operation": "getPurchaseOrders"})
    system.run(system.setup(), label="setup")
    workers, _seconds = system.together(2, ["import"], label="import")
    skipped = [w for w in workers if SKIPPED_IMPORT in w.log()]
    assert len(skipped) == 1, "exactly one of the two runs skips the busy account"
    amazon = assert_imported_once(system, system.report(), "ACRN1")
    assert len(amazon) > 150
    conclude(system, fresh_imports=True)


def test_import_killed_midway_then_run_again(system):
    system.sim.reset(seed=102)
    system.sim.control("purchase-orders", {"generate": 200, "vendor_code": "ACRN1",
                                           "currency": "USD"})
    account = system.run(system.setup(), label="setup")["setup"]["accounts"][0]
    system.sim.faults({"kind": "slow", "delay": 0.6, "count": 40,
                       "operation": "getPurchaseOrders"})
    worker = system.start(["import"], label="killed")

    def ledger_rows():
        return system.db.query("SELECT count(*) FROM amazon_vendor_document WHERE account_id "
                               "= %s AND kind = 'purchase_order'", (account,))[0][0]

    wait_until(lambda: ledger_rows() > 0 or worker.process.poll() is not None)
    worker.kill()
    assert worker.process.returncode == -9, "killed before the import ended"
    assert not worker.results()
    partial = ledger_rows()
    orders = system.db.query("SELECT count(*) FROM sale_order WHERE "
                             "amazon_vendor_account_id = %s", (account,))[0][0]
    system.sim.control("faults/clear", {})
    system.run(["import"], label="rerun")
    amazon = assert_imported_once(system, system.report(), "ACRN1")
    assert 0 < partial < len(amazon) and orders == 0, (partial, orders, len(amazon))
    conclude(system)


def test_send_killed_while_asns_are_out(system):
    system.sim.reset(seed=103, default_data=False)
    asns = prepared_asns(system, 6, prefix="K")
    # The first ASN is processed at once but answered after 8 s: the kill lands meanwhile.
    system.sim.faults({"kind": "slow", "delay": 8, "count": 1,
                       "operation": "SubmitShipmentConfirmations"})
    worker = system.start(["send"], label="killed")
    wait_until(lambda: asn_posts(system) or worker.process.poll() is not None)
    worker.kill()
    assert worker.process.returncode == -9
    assert len(asn_posts(system)) == 1, "one ASN was out when the sender died"
    system.sim.control("faults/clear", {})
    system.run(["send"], ["reconcile-now"], label="resend")
    system.sim.control("transactions/settle", {})
    report = system.run(["poll"], ["report"], label="poll")["report"]
    posts = asn_posts(system)
    assert set(posts) == set(asns)
    assert {ident: statuses.count("Success") for ident, statuses in posts.items()} \
        == dict.fromkeys(asns, 1), posts
    documents = report["documents"]["shipment_confirmation"]
    states = {ident: doc["state"] for ident, doc in documents.items()}
    assert states == dict.fromkeys(asns, "accepted"), f"every ASN accepted: {states}"
    open_attempts = system.db.query(
        "SELECT count(*) FROM amazon_vendor_send_attempt WHERE account_id IN %s AND "
        "outcome = 'open'", (tuple(report["accounts"]),))[0][0]
    assert open_attempts == 0, "the dead sender's attempt was closed as unknown"
    conclude(system)


def test_two_senders_drain_one_queue(system):
    system.sim.reset(seed=104, default_data=False)
    asns = prepared_asns(system, 12, prefix="D")
    # Each POST takes a moment, so the two workers are at it together.
    system.sim.faults({"kind": "slow", "delay": 0.15, "count": 100,
                       "operation": "SubmitShipmentConfirmations"})
    system.together(2, ["send"], label="send")
    posts = asn_posts(system)
    assert {ident: len(statuses) for ident, statuses in posts.items()} \
        == dict.fromkeys(asns, 1), "every ASN POSTed exactly once"
    report = system.report()
    documents = report["documents"]["shipment_confirmation"]
    assert {ident: doc["state"] for ident, doc in documents.items()} \
        == dict.fromkeys(asns, "sent"), documents
    attempts = {ident: report["attempts"].get(ident) for ident in asns}
    assert attempts == dict.fromkeys(asns, {"sent": 1}), attempts
    conclude(system)


def test_four_workers_share_one_quota(system):
    """Eight accounts with the same application credentials (one quota) imported by four
    workers at once: every request takes its slot from the buckets in PostgreSQL, so Amazon
    throttles no more than its burst allows."""
    system.sim.reset(seed=105, default_data=False)
    codes = [f"ACRN{n}" for n in range(1, 9)]
    for code in codes:
        system.sim.control("purchase-orders", {"generate": 3, "vendor_code": code,
                                               "currency": "USD"})
    customer = "Amazon.com Services LLC (quota test)"
    system.run(system.setup(len(codes), ",".join(codes), "--customer", customer),
               label="setup")
    assert system.sim.throttled()["total"] == 0
    _workers, seconds = system.together(4, ["import"], label="import")
    throttled = system.sim.throttled()
    refused = throttled["byOperation"].get("getPurchaseOrders", 0)
    burst = plan_for("getPurchaseOrders")[1]
    print(f"\n4 workers, 8 accounts, one quota: {refused} answers 429 (burst {burst}) in "
          f"{seconds:.1f} s")
    report = system.report()
    assert len(report["documents"]["purchase_order"]) == 3 * len(codes)
    assert not duplicate_parties(system, customer), "Amazon's parties once"
    assert refused <= burst, \
        f"{refused} answers 429 with the quota shared through PostgreSQL (burst {burst})"
    conclude(system, fresh_imports=True)
    # A purchase order whose addresses another worker created a moment ago waits for the
    # next run (this transaction cannot see them yet): one more run takes it.
    system.run(["import", "--due"], label="next-run")
    report = system.report()
    assert len(report["sale_orders"]) == 3 * len(codes), report["ledger"]
    conclude(system)
