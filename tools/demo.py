"""The demo's Amazon cycle, run inside Odoo against the built-in simulator.

Usage (from tools/demo.sh): demo.py <odoo server options> -d DB
Prints a short summary; writes it as JSON to $DEMO_SUMMARY when set.
"""
import json
import os
import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config


def step(text):
    print(f"    - {text}", flush=True)


def ensure_demo_account(env):
    account = env.ref("acorn_amazon_vendor.demo_account_us", raise_if_not_found=False)
    if not account:
        account = env["amazon.vendor.account"].create({
            "name": "Amazon US (Simulation)", "region": "NA", "environment": "simulation",
            "marketplace_ids": [
                odoo.Command.link(env.ref("acorn_amazon_vendor.marketplace_us").id)],
        })
        account.sudo().write({
            "lwa_client_id": "amzn1.application-oa2-client.acornsimulator",
            "lwa_client_secret": "acorn-simulator-secret",
            "lwa_refresh_token": "Atzr|acorn-simulator-refresh-token",
        })
    overrides = {"endpoint_override": os.environ.get("ACORN_SPAPI_ENDPOINT") or False,
                 "lwa_endpoint_override": os.environ.get("ACORN_LWA_ENDPOINT") or False}
    account.write(overrides)
    return account


def run(env):
    env["ir.config_parameter"].set_param(
        "acorn_amazon_vendor.simulator_port", os.environ.get("SANDBOX_PORT", "8765"))
    account = ensure_demo_account(env)
    step(f"account {account.name}: testing the connection")
    account.action_test_connection()
    print(f"      {account.connection_message}")
    if account.connection_state != "ok":
        raise SystemExit("the connection test failed")
    step("importing purchase orders (7-day windows, all pages)")
    stats = account._import_purchase_orders()
    orders = env["amazon.vendor.document"].search([("account_id", "=", account.id),
                                                   ("kind", "=", "purchase_order")])
    lines = sum(len((d._get_payload("payload_in").get("orderDetails") or {}).get("items") or [])
                for d in orders)
    summary = {
        "purchase_orders": {"imported": len(orders), "lines": lines, "unmatched_lines": 0,
                            "new": stats["new"], "changed": stats["changed"]},
    }
    print(f"      {len(orders)} purchase orders in the ledger ({stats['new']} new, "
          f"{stats['changed']} changed), {lines} lines")
    if os.environ.get("DEMO_SUMMARY"):
        with open(os.environ["DEMO_SUMMARY"], "w") as handle:
            json.dump(summary, handle, indent=2)
    return summary


def main(argv):
    config.parse_config(argv)
    db = config["db_name"]
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        run(env)


if __name__ == "__main__":
    main(sys.argv[1:])
