"""One Odoo worker process for the system tests and benchmarks: opens the registry of a
database and performs actions the way Odoo's cron runner does.

    .venv/bin/python tests/system/worker.py --db DB [--data-dir DIR] [--go-file F] \\
        ACTION [ARGS] [+ ACTION [ARGS] ...]

Actions (``+`` chains several in one process, so a test pays the registry load once):

    setup --simulator URL [--accounts N] [--vendor-codes A,B] [--name NAME] [--customer C]
        the company, products mapped to the simulator's catalogue, N Simulation accounts
        pointing at the simulator with its credentials (written as superuser); accounts of
        earlier runs are archived, so only the new ones are due for the crons
    import | send | poll [--due]
        the cron (import purchase orders, send documents, poll transaction status);
        ``--due`` first makes the active accounts due as if their interval had elapsed
    reconcile-now
        what a manager's "Check with Amazon" does for every unknown outcome (due now), then
        the send cron
    prepare-asns [--limit N]
        confirm New purchase orders with stock (acknowledgements sent), validate their
        deliveries packed in cartons and queue their ASNs (to_send) without sending them
    report
        JSON: ledger counts per kind and state, sale orders per PO number, documents per
        external id, send attempts (active accounts)

A cron runs as ``ir.cron._run_job`` runs it: a progress record (``_add_progress``), a commit,
the server action under the cron's user and context, again while it reports work remaining.
Never ``method_direct_trigger``: its lock on the cron row would serialise the workers and
hide the concurrency safety under test. Each action prints one line ``RESULT {json}`` on
stdout; Odoo's log goes to stderr. ``--go-file``: the registry is loaded, ``READY`` is
printed, and the actions start once that file exists (workers started at the same moment).
"""
import argparse
import collections
import datetime
import json
import logging
import os
import pathlib
import sys
import time
import traceback
import urllib.request

REPO = pathlib.Path(__file__).resolve().parents[2]
ODOO_PATH = pathlib.Path(os.environ.get("ODOO_PATH") or "/opt/odoo-18.0")
# The cron runner's own bound (odoo.addons.base.models.ir_cron.MAX_BATCH_PER_CRON_JOB).
MAX_BATCH_PER_CRON_JOB = 10
CRONS = {
    "import": ("acorn_amazon_vendor.ir_cron_import_purchase_orders", "import"),
    "send": ("acorn_amazon_vendor.ir_cron_send_documents", "send"),
    "poll": ("acorn_amazon_vendor.ir_cron_poll_transactions", "poll"),
}
GS1_PREFIX = "0614141"
AMAZON_CUSTOMER = "Amazon.com Services LLC"
PRICELIST = "Amazon USD (system tests)"
CARTON = "Carton 40x30x30 (system tests)"

_logger = logging.getLogger("acorn.system.worker")


def addons_path():
    paths = [ODOO_PATH / "odoo" / "addons", REPO]
    if (ODOO_PATH / "addons").is_dir():
        paths.insert(0, ODOO_PATH / "addons")
    return ",".join(str(p) for p in paths)


def result(action, **values):
    print("RESULT " + json.dumps(dict(values, action=action), sort_keys=True), flush=True)


# -- the cron runner --------------------------------------------------------------------------
def run_cron(registry, xmlid):
    """``ir.cron._run_job`` without the cron-row lock; returns the batches' outcomes."""
    from odoo import SUPERUSER_ID, api

    outcomes = []
    with registry.cursor() as cr:
        root = api.Environment(cr, SUPERUSER_ID, {})
        job = root.ref(xmlid)
        name, job_id = job.name, job.id
        env = api.Environment(cr, job.user_id.id, {"lastcall": job.lastcall,
                                                    "cron_id": job_id})
        cron = env["ir.cron"].browse(job_id)
        for _batch in range(MAX_BATCH_PER_CRON_JOB):
            cron, progress = cron._add_progress()
            cr.commit()
            try:
                _logger.info("Job %r (%s) starting", name, job_id)
                cron.ir_actions_server_id.run()
                cron.env.flush_all()
            except Exception as exc:  # noqa: BLE001 - the cron runner logs and goes on
                cr.rollback()
                # One line to judge the log by; the traceback below it for a person.
                _logger.error("Job %r (%s) failed: %s: %s", name, job_id, type(exc).__name__,
                              str(exc).strip().splitlines()[0] if str(exc).strip() else "")
                _logger.info("traceback of the failed job:\n%s", traceback.format_exc())
                outcomes.append("partially done" if progress.done and progress.remaining
                                else "failed")
                cr.commit()
                break
            cr.commit()
            _logger.info("Job %r (%s) processed %s records, %s records remaining", name,
                         job_id, progress.done, progress.remaining)
            if progress.remaining and progress.done:
                outcomes.append("partially done")
                continue
            outcomes.append("done")
            break
    return outcomes


def make_due(registry, duty):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["amazon.vendor.account"].search([]).write({f"last_{duty}_at": False})


def action_cron(registry, name, args):
    parser = argparse.ArgumentParser(prog=name)
    parser.add_argument("--due", action="store_true")
    opts = parser.parse_args(args)
    xmlid, duty = CRONS[name]
    if opts.due:
        make_due(registry, duty)
    start = time.monotonic()
    outcomes = run_cron(registry, xmlid)
    result(name, outcomes=outcomes, seconds=round(time.monotonic() - start, 3))


def action_reconcile_now(registry, args):
    """Every unknown outcome due for a check with Amazon now (as "Check with Amazon" resets
    it), the accounts due for sending, then the send cron."""
    from odoo import SUPERUSER_ID, api, fields

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        accounts = env["amazon.vendor.account"].search([])
        unknown = env["amazon.vendor.document"].search([
            ("account_id", "in", accounts.ids), ("state", "=", "unknown")])
        # action_check_with_amazon clears next_attempt_at and checks at once; the cron takes
        # unknown documents whose check is due, so "now" here.
        unknown.write({"next_attempt_at": fields.Datetime.now() - datetime.timedelta(seconds=1),
                       "reconcile_count": 0})
        accounts.write({"last_send_at": False})
        count = len(unknown)
    start = time.monotonic()
    outcomes = run_cron(registry, CRONS["send"][0])
    result("reconcile-now", unknown=count, outcomes=outcomes,
           seconds=round(time.monotonic() - start, 3))


# -- setup ------------------------------------------------------------------------------------
def _get_json(url):
    with urllib.request.urlopen(url, timeout=10) as reply:
        return json.loads(reply.read())


def action_setup(registry, args):
    from odoo import SUPERUSER_ID, Command, api
    from odoo.addons.acorn_amazon_vendor.lib.simulator import (
        DEFAULT_CLIENT_ID,
        DEFAULT_CLIENT_SECRET,
        DEFAULT_REFRESH_TOKEN,
    )

    parser = argparse.ArgumentParser(prog="setup")
    parser.add_argument("--simulator", required=True)
    parser.add_argument("--accounts", type=int, default=1)
    parser.add_argument("--vendor-codes", default="ACRN1",
                        help="comma separated; account i gets code i (modulo the list)")
    parser.add_argument("--name", default="Amazon US (system)")
    parser.add_argument("--customer", default=AMAZON_CUSTOMER,
                        help="the accounts' Amazon customer (parent of Amazon's parties)")
    opts = parser.parse_args(args)
    url = opts.simulator.rstrip("/")
    catalogue = _get_json(f"{url}/_simulator/catalogue")["items"]
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        company.partner_id.write({
            "street": "88 Keyuan Road", "city": "Shenzhen", "zip": "518057",
            "country_id": env.ref("base.cn").id, "vat": "91440300MA5FXXXX1X"})
        company.write({"amazon_vendor_gs1_prefix": GS1_PREFIX,
                       "amazon_vendor_sscc_extension": 0})
        warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        warehouse.partner_id.write({
            "street": "1200 Harbor Boulevard", "city": "Weehawken", "zip": "07086",
            "state_id": env.ref("base.state_us_25").id, "country_id": env.ref("base.us").id})
        Partner = env["res.partner"]
        customer = Partner.search([("name", "=", opts.customer)], limit=1) or Partner.create(
            {"name": opts.customer, "is_company": True})
        Pricelist = env["product.pricelist"]
        pricelist = Pricelist.search([("name", "=", PRICELIST)], limit=1) or Pricelist.create(
            {"name": PRICELIST, "currency_id": env.ref("base.USD").id})
        PackageType = env["stock.package.type"]
        if not PackageType.search([("name", "=", CARTON)]):
            PackageType.create({"name": CARTON, "packaging_length": 400, "width": 300,
                                "height": 300, "base_weight": 0.5})
        Product = env["product.product"]
        items = [i for i in catalogue if i["currency"] == "USD"]
        known = set(Product.search([("default_code", "in", [i["vendor_sku"] for i in items])])
                    .mapped("default_code"))
        Product.create([{
            "name": f"Item {item['vendor_sku']}", "is_storable": True,
            "invoice_policy": "delivery", "default_code": item["vendor_sku"],
            "amazon_vendor_asin": item["asin"], "barcode": item["ean"],
            "list_price": float(item["list_price"]),
            "amazon_vendor_net_cost": float(item["net_cost"]),
            "packaging_ids": [Command.create({"name": "Case", "qty": item["case_size"]})],
        } for item in items if item["vendor_sku"] not in known])
        Account = env["amazon.vendor.account"]
        Account.search([]).write({"active": False})  # earlier runs' accounts are never due
        codes = [c.strip() for c in opts.vendor_codes.split(",") if c.strip()]
        admin = env.ref("base.user_admin")
        accounts = Account.create([{
            "name": f"{opts.name} {index + 1}" if opts.accounts > 1 else opts.name,
            "region": "NA", "environment": "simulation",
            "marketplace_ids": [Command.link(env.ref("acorn_amazon_vendor.marketplace_us").id)],
            "endpoint_override": url, "lwa_endpoint_override": f"{url}/auth/o2/token",
            "timeout": 10,
            "party_ids": [Command.create({"code": codes[index % len(codes)], "name": "Main"})],
            "partner_id": customer.id, "warehouse_id": warehouse.id,
            "pricelist_id": pricelist.id, "default_carrier_scac": "UPSN",
            "responsible_user_id": admin.id,
        } for index in range(opts.accounts)])
        # The simulator's documented credentials: the same application and selling partner
        # for every account, so they share one quota (one set of rate buckets).
        accounts.write({"lwa_client_id": DEFAULT_CLIENT_ID,
                        "lwa_client_secret": DEFAULT_CLIENT_SECRET,
                        "lwa_refresh_token": DEFAULT_REFRESH_TOKEN})
        ids = accounts.ids
    result("setup", accounts=ids, products=len(items))


# -- ASNs -------------------------------------------------------------------------------------
def action_prepare_asns(registry, args):
    """Confirm New purchase orders (acknowledgements go out), validate their deliveries packed
    in one carton each and queue their ASNs without sending them."""
    from odoo import SUPERUSER_ID, api

    parser = argparse.ArgumentParser(prog="prepare-asns")
    parser.add_argument("--limit", type=int, default=0)
    opts = parser.parse_args(args)
    queued, issues, refused = [], {}, {}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        accounts = env["amazon.vendor.account"].search([])
        accounts.write({"asn_trigger": "before_pickup"})
        orders = env["sale.order"].search([
            ("amazon_vendor_account_id", "in", accounts.ids), ("state", "in", ("draft", "sent")),
            ("amazon_vendor_po_state", "=", "New")], order="id", limit=opts.limit or None)
        quants = env["stock.quant"]
        for warehouse in orders.warehouse_id:
            mine = orders.filtered(lambda o, w=warehouse: o.warehouse_id == w)
            needed = collections.Counter()
            for line in mine.order_line.filtered("product_id"):
                needed[line.product_id] += line.product_uom_qty
            for product, quantity in needed.items():
                quants._update_available_quantity(product, warehouse.lot_stock_id, quantity)
        orders.action_amazon_vendor_propose()
        cr.commit()
        for order in orders:
            try:
                order.action_confirm()
                cr.commit()
            except Exception as exc:  # noqa: BLE001 - reported, the others go on
                cr.rollback()
                refused[order.amazon_vendor_po_number] = str(exc)
        box = env["stock.package.type"].search([("name", "=", CARTON)], limit=1)
        for order in orders.filtered(lambda o: o.state == "sale"):
            for picking in order.picking_ids.filtered(lambda p: p.state not in ("done",
                                                                                "cancel")):
                picking.action_assign()
                for move in picking.move_ids:
                    move.quantity = move.product_uom_qty
                    move.picked = True
                package = picking._put_in_pack(picking.move_line_ids)
                package.write({"package_type_id": box.id, "shipping_weight": 7.5,
                               "amazon_vendor_tracking_ref": f"1Z999AA1{package.id:08d}"})
                outcome = picking.button_validate()
                if isinstance(outcome, dict) and outcome.get("res_model") \
                        == "stock.backorder.confirmation":
                    env[outcome["res_model"]].with_context(outcome["context"]).create(
                        {}).process()
                doc = picking._amazon_vendor_queue_asn()
                if doc:
                    queued.append(doc.external_id)
                else:
                    issues[picking.name] = picking.amazon_vendor_asn_issues
                cr.commit()
    result("prepare-asns", orders=len(orders), asns=queued, issues=issues, refused=refused)


# -- report -----------------------------------------------------------------------------------
def action_report(registry, args):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        accounts = env["amazon.vendor.account"].search([])
        ids = tuple(accounts.ids) or (0,)
        cr.execute("""SELECT kind, state, count(*) FROM amazon_vendor_document
                       WHERE account_id IN %s GROUP BY kind, state""", (ids,))
        ledger = collections.defaultdict(dict)
        for kind, state, count in cr.fetchall():
            ledger[kind][state] = count
        cr.execute("""SELECT amazon_vendor_po_number, count(*) FROM sale_order
                       WHERE amazon_vendor_account_id IN %s GROUP BY 1""", (ids,))
        sale_orders = dict(cr.fetchall())
        cr.execute("""SELECT kind, external_id, count(*), min(state), max(state),
                             max(attempt_count), bool_or(reconciling)
                        FROM amazon_vendor_document WHERE account_id IN %s
                       GROUP BY kind, external_id""", (ids,))
        documents = collections.defaultdict(dict)
        for kind, external_id, count, low, high, attempts, reconciling in cr.fetchall():
            documents[kind][external_id] = {
                "count": count, "state": low if low == high else f"{low}..{high}",
                "attempts": attempts, "reconciling": reconciling}
        cr.execute("""SELECT external_id, outcome, count(*) FROM amazon_vendor_send_attempt
                       WHERE account_id IN %s GROUP BY 1, 2""", (ids,))
        attempts = collections.defaultdict(dict)
        for external_id, outcome, count in cr.fetchall():
            attempts[external_id][outcome] = count
    result("report", accounts=list(accounts.ids), ledger=ledger, sale_orders=sale_orders,
           documents=documents, attempts=attempts)


ACTIONS = {
    "setup": action_setup,
    "import": lambda registry, args: action_cron(registry, "import", args),
    "send": lambda registry, args: action_cron(registry, "send", args),
    "poll": lambda registry, args: action_cron(registry, "poll", args),
    "reconcile-now": action_reconcile_now,
    "prepare-asns": action_prepare_asns,
    "report": action_report,
}


def split_actions(words):
    """``a x y + b z`` -> [("a", ["x", "y"]), ("b", ["z"])]."""
    chain, current = [], []
    for word in [*words, "+"]:
        if word == "+":
            if current:
                if current[0] not in ACTIONS:
                    raise SystemExit(f"unknown action {current[0]!r}; one of "
                                     f"{', '.join(ACTIONS)}")
                chain.append((current[0], current[1:]))
            current = []
        else:
            current.append(word)
    if not chain:
        raise SystemExit("give an action: " + ", ".join(ACTIONS))
    return chain


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--data-dir", default=str(REPO / "var" / "data"))
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--go-file")
    opts, rest = parser.parse_known_args(argv)
    chain = split_actions(rest)

    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config([f"--addons-path={addons_path()}", f"--data-dir={opts.data_dir}",
                         "-d", opts.db, f"--log-level={opts.log_level}", "--no-http",
                         "--max-cron-threads=0"], setup_logging=True)
    registry = Registry(opts.db)
    if opts.go_file:
        print("READY", flush=True)
        go = pathlib.Path(opts.go_file)
        deadline = time.monotonic() + 300
        while not go.exists():
            if time.monotonic() > deadline:
                raise SystemExit("the go file never appeared")
            time.sleep(0.01)
    status = 0
    for name, args in chain:
        try:
            ACTIONS[name](registry, args)
        except Exception:  # noqa: BLE001 - say which action broke, with its traceback
            traceback.print_exc()
            result(name, error=traceback.format_exc(limit=3))
            status = 2
            break
    return status


if __name__ == "__main__":
    sys.exit(main())
