"""System-test harness: one Odoo database with the addon installed (created once per pytest
session, dropped at its end), one Vendor Central simulator in a process of its own
(throttling on, as in production), and separate Odoo worker processes (tests/system/worker.py)
that run the crons against them.

Needs only ODOO_PATH (default /opt/odoo-18.0) and a local PostgreSQL whose user may create
databases; everything else lives in pytest's temporary directory. The fixtures are imported by
tests/conftest.py so that the system tests and tests/benchmarks share one database.
"""
import datetime
import http.client
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
WORKER = pathlib.Path(__file__).resolve().with_name("worker.py")
PYTHON = sys.executable
SIMULATOR_LAUNCH = (
    "import sys, odoo.addons; odoo.addons.__path__.append(sys.argv[1]); "
    "from odoo.addons.acorn_amazon_vendor.lib.simulator.__main__ import main; "
    "sys.exit(main(sys.argv[2:]))")
CLIENT_ID = "amzn1.application-oa2-client.acornsimulator"
CLIENT_SECRET = "acorn-simulator-secret"
REFRESH_TOKEN = "Atzr|acorn-simulator-refresh-token"
INSTALL_TIMEOUT = 900
WORKER_TIMEOUT = 300
SKIPPED_IMPORT = "import already running elsewhere, skipped"


def odoo_path():
    return pathlib.Path(os.environ.get("ODOO_PATH") or "/opt/odoo-18.0")


def addons_path():
    root = odoo_path()
    paths = [root / "odoo" / "addons", REPO]
    if (root / "addons").is_dir():
        paths.insert(0, root / "addons")
    return ",".join(str(p) for p in paths)


def check_requirements():
    """One clear line when Odoo or PostgreSQL is missing (no traceback)."""
    release = odoo_path() / "odoo" / "release.py"
    if not release.is_file():
        pytest.fail(f"system tests: no Odoo tree at ODOO_PATH={odoo_path()}: put an Odoo 18.0 "
                    "source tree there or set ODOO_PATH", pytrace=False)
    if "version_info = (18, 0" not in release.read_text():
        pytest.fail(f"system tests: ODOO_PATH={odoo_path()} is not Odoo 18.0", pytrace=False)
    try:
        import psycopg2
    except ImportError:
        pytest.fail("system tests: psycopg2 is missing from the virtualenv (make test builds "
                    "it)", pytrace=False)
    try:
        psycopg2.connect(dbname="postgres", connect_timeout=5).close()
    except psycopg2.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        pytest.fail("system tests: PostgreSQL is not reachable or refused the user "
                    f"({reason}): start it or set PGHOST/PGPORT/PGUSER", pytrace=False)


def _admin_sql(statement):
    import psycopg2

    connection = psycopg2.connect(dbname="postgres")
    try:
        connection.autocommit = True
        with connection.cursor() as cr:
            cr.execute(statement)
    finally:
        connection.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Database:
    """The test database: ``query()`` reads it directly (counts while workers run)."""

    def __init__(self, name, data_dir, log_dir):
        self.name, self.data_dir, self.log_dir = name, data_dir, log_dir

    def install(self):
        self.drop()
        log = self.log_dir / "install.log"
        start = time.monotonic()
        with open(log, "wb") as out:
            process = subprocess.run(
                [PYTHON, "-m", "odoo", f"--addons-path={addons_path()}",
                 f"--data-dir={self.data_dir}", "-d", self.name, "-i", "acorn_amazon_vendor",
                 "--without-demo=all", "--stop-after-init", "--no-http",
                 "--max-cron-threads=0", "--log-level=warn"],
                cwd=REPO, stdout=out, stderr=subprocess.STDOUT, timeout=INSTALL_TIMEOUT,
                env=dict(os.environ, ODOO_PATH=str(odoo_path())), check=False)
        self.install_seconds = time.monotonic() - start
        if process.returncode:
            tail = log.read_text(errors="replace").strip().splitlines()[-15:]
            pytest.fail(f"system tests: installing acorn_amazon_vendor in {self.name} failed "
                        f"(exit {process.returncode}):\n" + "\n".join(tail), pytrace=False)

    def drop(self):
        _admin_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.data_dir / "filestore" / self.name, ignore_errors=True)

    def query(self, sql, params=None):
        import psycopg2

        connection = psycopg2.connect(dbname=self.name)
        try:
            with connection.cursor() as cr:
                cr.execute(sql, params)
                return cr.fetchall()
        finally:
            connection.close()


class Simulator:
    """The standalone simulator process and its control API."""

    def __init__(self, log_dir):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log_dir / "simulator.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [PYTHON, "-c", SIMULATOR_LAUNCH, str(REPO), "--port", str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=REPO)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.control("health")
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail("system tests: the simulator did not start (see "
                                f"{log_dir / 'simulator.log'})", pytrace=False)
                time.sleep(0.05)

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            reply = connection.getresponse()
            return reply.status, reply.read()
        finally:
            connection.close()

    def control(self, path, body=None, method=None):
        method = method or ("GET" if body is None else "POST")
        status, raw = self.request(
            method, f"/_simulator/{path}", json.dumps(body) if body is not None else None,
            {"Content-Type": "application/json"})
        assert status < 300, f"simulator refused {method} {path}: {raw[:500]!r}"
        return json.loads(raw or b"{}")

    def reset(self, seed, default_data=True):
        self.control("faults/clear", {})
        self.control("settings", {"transaction_delay": 30.0, "stay_processing": []})
        return self.control("reset", {"seed": seed, "default_data": default_data})

    def faults(self, *rules):
        return self.control("faults", {"faults": list(rules)})

    def throttled(self):
        return self.control("health")["throttled"]

    def documents(self, kind):
        return self.control(f"documents?kind={kind}")["documents"]

    def catalogue(self, currency="USD"):
        return [i for i in self.control("catalogue")["items"] if i["currency"] == currency]

    def place_orders(self, count, vendor_code="ACRN1", ship_to="ABE2", prefix="S"):
        """``count`` Prepaid purchase orders (delivery window: no routing request needed),
        two catalogue items each, placed an hour ago; returns their numbers."""
        items = self.catalogue()
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)

        def iso(value):
            return value.strftime("%Y-%m-%dT%H:%M:%SZ")

        # The addresses the simulator prints on its own POs (catalogue.py): Odoo's partners
        # for these parties stay as they are whichever POs a test imports.
        address = {"name": "Amazon.com Services LLC", "addressLine1": "705 Boulder Drive",
                   "city": "Breinigsville", "stateOrRegion": "PA", "postalCode": "18031",
                   "countryCode": "US"}
        bill_to = {"name": "Amazon.com Services LLC", "addressLine1": "PO Box 80463",
                   "city": "Seattle", "stateOrRegion": "WA", "postalCode": "98108-0463",
                   "countryCode": "US"}
        orders = []
        for index in range(count):
            number = f"{prefix}{index:07d}"[:8]
            lines = []
            for seq, item in enumerate((items[index % len(items)],
                                        items[(index + 3) % len(items)]), 1):
                lines.append({
                    "itemSequenceNumber": str(seq), "amazonProductIdentifier": item["asin"],
                    "vendorProductIdentifier": item["vendor_sku"],
                    "orderedQuantity": {"amount": 2 + index % 5, "unitOfMeasure": "Eaches",
                                        "unitSize": 1},
                    "isBackOrderAllowed": False,
                    "netCost": {"currencyCode": "USD", "amount": item["net_cost"]},
                    "listPrice": {"currencyCode": "USD", "amount": item["list_price"]}})
            placed = iso(now - datetime.timedelta(hours=1))
            orders.append({"purchaseOrderNumber": number, "purchaseOrderState": "New",
                           "orderDetails": {
                               "purchaseOrderDate": placed,
                               "purchaseOrderStateChangedDate": placed,
                               "purchaseOrderType": "RegularOrder", "paymentMethod": "Invoice",
                               "sellingParty": {"partyId": vendor_code},
                               "shipToParty": {"partyId": ship_to, "address": address},
                               "billToParty": {"partyId": "AMZN-US", "address": bill_to},
                               "deliveryWindow": f"{iso(now + datetime.timedelta(days=3))}--"
                                                 f"{iso(now + datetime.timedelta(days=10))}",
                               "items": lines}})
        self.control("purchase-orders", {"orders": orders})
        return [o["purchaseOrderNumber"] for o in orders]

    def _token(self):
        form = urllib.parse.urlencode({"grant_type": "refresh_token", "client_id": CLIENT_ID,
                                       "client_secret": CLIENT_SECRET,
                                       "refresh_token": REFRESH_TOKEN})
        status, body = self.request("POST", "/auth/o2/token", form,
                                    {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 200, body
        return json.loads(body)["access_token"]

    def purchase_orders(self, vendor_code, days=35):
        """{number: purchaseOrderState} of every PO of ``vendor_code`` created in the last
        ``days``, read through Amazon's own API (7-day windows, pages, nextToken). Call it
        when no worker is running: it takes from the same quota."""
        token = self._token()
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0) \
            + datetime.timedelta(minutes=5)
        found = {}
        start = now - datetime.timedelta(days=days)
        while start < now:
            stop = min(start + datetime.timedelta(days=7), now)
            params = {"createdAfter": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                      "createdBefore": stop.strftime("%Y-%m-%dT%H:%M:%SZ"), "limit": 100,
                      "orderingVendorCode": vendor_code, "includeDetails": "false"}
            token_page = None
            while True:
                query = dict(params, nextToken=token_page) if token_page else params
                status, body = self.request(
                    "GET", "/vendor/orders/v1/purchaseOrders?" + urllib.parse.urlencode(query),
                    headers={"x-amz-access-token": token})
                if status == 429:
                    time.sleep(0.2)
                    continue
                assert status == 200, body
                payload = json.loads(body)["payload"]
                for order in payload.get("orders") or []:
                    found[order["purchaseOrderNumber"]] = order["purchaseOrderState"]
                token_page = (payload.get("pagination") or {}).get("nextToken")
                if not token_page:
                    break
            start = stop
        return found

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class Worker:
    """One worker process; its stdout (RESULT lines) and Odoo's log are kept in files."""

    def __init__(self, system, chain, go_file=None, label="worker"):
        self.chain = chain
        system.counter += 1
        base = system.log_dir / f"{system.test_name}-{system.counter:02d}-{label}"
        self.out_path, self.log_path = base.with_suffix(".out"), base.with_suffix(".log")
        command = [PYTHON, str(WORKER), "--db", system.db.name,
                   "--data-dir", str(system.db.data_dir)]
        if go_file:
            command += ["--go-file", str(go_file)]
        for index, action in enumerate(chain):
            command += (["+"] if index else []) + [str(word) for word in action]
        self._out, self._log = open(self.out_path, "wb"), open(self.log_path, "wb")  # noqa: SIM115
        self.started = time.monotonic()
        self.process = subprocess.Popen(command, cwd=REPO, stdout=self._out, stderr=self._log,
                                        env=dict(os.environ, ODOO_PATH=str(odoo_path())))

    def output(self):
        if not self._out.closed:
            self._out.flush()
        return self.out_path.read_text(errors="replace")

    def log(self):
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def ready(self):
        return "READY" in self.output()

    def results(self):
        return [json.loads(line[len("RESULT "):]) for line in self.output().splitlines()
                if line.startswith("RESULT ")]

    def wait(self, timeout=WORKER_TIMEOUT, check=True):
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"worker {self.chain} did not finish in {timeout} s; log "
                        f"{self.log_path}", pytrace=False)
        self.seconds = time.monotonic() - self.started
        self._out.close()
        self._log.close()
        if check:
            assert self.process.returncode == 0, (
                f"worker {self.chain} exited with {self.process.returncode}:\n"
                + "\n".join(self.log().splitlines()[-30:]))
            errors = [r for r in self.results() if r.get("error")]
            assert not errors, errors
        return self.results()

    def kill(self):
        """SIGKILL: no cleanup, no rollback sent; PostgreSQL aborts its transaction."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def problems(self):
        """Log lines at WARNING or above (a logged exception starts with one)."""
        return [line for line in self.log().splitlines()
                if " WARNING " in line or " ERROR " in line or " CRITICAL " in line]


class System:
    """Per test: the shared database and simulator, and worker processes."""

    def __init__(self, db, sim, log_dir, test_name):
        self.db, self.sim, self.log_dir, self.test_name = db, sim, log_dir, test_name
        self.counter = 0
        self.workers = []

    def start(self, *chain, go_file=None, label="worker"):
        worker = Worker(self, chain, go_file=go_file, label=label)
        self.workers.append(worker)
        return worker

    def run(self, *chain, label="worker", timeout=WORKER_TIMEOUT):
        """Run a chain of actions in one process; {action: result} of its RESULT lines."""
        worker = self.start(*chain, label=label)
        results = worker.wait(timeout=timeout)
        return {r["action"]: r for r in results}

    def together(self, count, *chain, label="worker", timeout=WORKER_TIMEOUT):
        """``count`` workers that load their registry, then start ``chain`` at one moment."""
        go = self.log_dir / f"{self.test_name}-{self.counter:02d}-go"
        go.unlink(missing_ok=True)
        workers = [self.start(*chain, go_file=go, label=f"{label}{i + 1}")
                   for i in range(count)]
        deadline = time.monotonic() + 120
        while not all(w.ready() for w in workers):
            dead = [w for w in workers if w.process.poll() is not None]
            if dead or time.monotonic() > deadline:
                for worker in workers:
                    worker.kill()
                pytest.fail("workers did not get ready: " + "\n".join(
                    w.log()[-2000:] for w in dead), pytrace=False)
            time.sleep(0.02)
        start = time.monotonic()
        go.touch()
        for worker in workers:
            worker.wait(timeout=timeout)
        return workers, time.monotonic() - start

    def setup(self, accounts=1, vendor_codes="ACRN1", *more):
        """Accounts of this test (earlier tests' accounts are archived)."""
        return ["setup", "--simulator", self.sim.url, "--accounts", accounts,
                "--vendor-codes", vendor_codes, *more]

    def report(self):
        return self.run(["report"], label="report")["report"]

    def problems(self, ignore=()):
        found = []
        for worker in self.workers:
            found += [line for line in worker.problems()
                      if not any(pattern in line for pattern in ignore)]
        return found


# -- fixtures (imported by tests/conftest.py) ---------------------------------------------------
@pytest.fixture(scope="session")
def odoo_system(tmp_path_factory):
    """(database, simulator, log directory) shared by every system test and benchmark."""
    check_requirements()
    root = tmp_path_factory.mktemp("acorn-system")
    log_dir = root / "logs"
    log_dir.mkdir()
    db = Database(f"acorn_sys_{os.getpid()}", root / "data", log_dir)
    sim = None
    try:
        db.install()
        sim = Simulator(log_dir)
        yield db, sim, log_dir
    finally:
        if sim is not None:
            sim.stop()
        if os.environ.get("ACORN_SYSTEM_KEEP_DB"):  # debugging: look at what the tests left
            print(f"\nsystem tests: kept database {db.name}, data {db.data_dir}, logs {log_dir}")
        else:
            db.drop()


@pytest.fixture
def system(odoo_system, request):
    db, sim, log_dir = odoo_system
    name = request.node.name.replace("/", "_").replace("[", "_").replace("]", "")[:60]
    helper = System(db, sim, log_dir, name)
    yield helper
    for worker in helper.workers:
        if worker.process.poll() is None:
            worker.kill()
