"""The demo's Amazon Vendor cycle, run inside Odoo through the code paths production uses.

Usage (from tools/demo.sh): demo.py <odoo server options> -d DB
Import POs -> acknowledge by the rules -> confirm -> pack cartons (SSCC) -> validate deliveries
(ASNs) -> post invoices -> send everything -> poll Amazon -> forecast -> price monitoring ->
Amazon pays (remittances matched and booked, deductions) -> Direct Fulfillment (drop-ship
orders: labels, confirmations, invoices, inventory). Prints a summary per stage and writes
it as JSON to $DEMO_SUMMARY when set.
"""
import collections
import datetime
import json
import os
import sys
import time
import urllib.request

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError
from odoo.tools import config

ACCOUNTS = ("acorn_amazon_vendor.demo_account_us", "acorn_amazon_vendor.demo_account_de")


def step(number, text):
    print(f"  [{number}/12] {text}", flush=True)


def note(text):
    print(f"        {text}", flush=True)


def control(url, path, payload=None):
    request = urllib.request.Request(f"{url}/_simulator/{path}", method="POST",
                                     data=json.dumps(payload or {}).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.loads(reply.read() or b"{}")


def progress(done, total, label):
    if total and (done == total or done % 10 == 0):
        note(f"{label}: {done}/{total}")


def counts(docs, kind):
    docs = docs.filtered(lambda d: d.kind in kind)
    return {"sent": len(docs.filtered(lambda d: d.transaction_id)),
            "accepted": len(docs.filtered(lambda d: d.state == "accepted")),
            "failed": len(docs.filtered(lambda d: d.state == "failed")),
            "processing": len(docs.filtered(lambda d: d.state == "sent"))}


def run(env):
    env["ir.config_parameter"].set_param(
        "acorn_amazon_vendor.simulator_port", os.environ.get("SANDBOX_PORT", "8765"))
    overrides = {"endpoint_override": os.environ.get("ACORN_SPAPI_ENDPOINT") or False,
                 "lwa_endpoint_override": os.environ.get("ACORN_LWA_ENDPOINT") or False}
    accounts = env["amazon.vendor.account"]
    for xmlid in ACCOUNTS:
        account = env.ref(xmlid, raise_if_not_found=False)
        if not account:
            raise SystemExit(f"demo data missing ({xmlid}): drop the database {env.cr.dbname} "
                             "and run make demo again")
        account.write(overrides)
        accounts |= account
    simulator = None if overrides["endpoint_override"] else accounts[0]._simulator_url()
    if simulator:
        # What a real account sees once Amazon pays: some cartons received short, co-op taken
        # from the payments (the simulator's payment rules, README "Payments").
        control(simulator, "settings", {"shortage_rate": 0.15, "coop_percent": 2})

    edi_accounts = edi_account(env, accounts, simulator)
    eu_edi, inbox, as2_server = edi_eu_account(env, simulator) if edi_accounts \
        else (edi_accounts, [], None)
    edi_accounts |= eu_edi
    accounts |= edi_accounts

    step(1, "testing the connection of each account")
    for account in accounts:
        account.action_test_connection()
        note(f"{account.name}: {account.connection_message}")
        if account.connection_state != "ok":
            raise SystemExit(f"the connection test of {account.name} failed")
    for account in edi_accounts.filtered(lambda a: a.edi_transport == "sftp"):
        account.action_test_edi_connection()
        note(f"{account.name} (EDI): {account.edi_connection_message}")
    env.cr.commit()

    step(2, "importing purchase orders (7-day windows, all pages, per vendor code; "
            "850 files over EDI)")
    for account in accounts:
        stats = account._import_purchase_orders()
        if account in edi_accounts:
            files = account._edi_receive() if account.edi_transport == "sftp" \
                else as2_received(account, inbox)
            note(f"{account.name}: {len(files)} EDI files, "
                 f"{len(files.document_ids)} purchase orders")
        else:
            note(f"{account.name}: {stats['new']} new, {stats['changed']} changed")
    env.cr.commit()
    Order = env["sale.order"]
    orders = Order.search([("amazon_vendor_account_id", "in", accounts.ids)])
    lines = orders.order_line.filtered("amazon_vendor_item_sequence")
    note(f"{len(orders)} quotations, {len(lines)} lines, "
         f"{len(lines.filtered('amazon_vendor_unmatched'))} unmatched, "
         f"{len(orders.filtered('amazon_vendor_has_issues'))} flagged for review")

    step(3, "acknowledging by the rules and confirming")
    to_ack = orders.filtered(lambda o: o.state == "draft")
    to_ack.action_amazon_vendor_propose()
    refused = 0
    for done, order in enumerate(to_ack, 1):
        try:
            confirmed = sum(order.order_line.mapped("amazon_vendor_accepted_qty")) + sum(
                order.order_line.mapped("amazon_vendor_backordered_qty"))
            if confirmed:
                order.action_confirm()
            else:  # nothing available: acknowledge the rejection, nothing to deliver
                order._amazon_vendor_send_acknowledgement()
                order._action_cancel()
        except UserError as exc:
            refused += 1
            order.message_post(body=f"Demo: not acknowledged: {exc}")
        progress(done, len(to_ack), "orders")
        env.cr.commit()
    if refused:
        note(f"{refused} orders need a person (see their chatter)")

    confirmed = to_ack.filtered(lambda o: o.state == "sale")
    # A change Amazon makes reaches the API import, or an X12 EDI account as an 860 file.
    x12_edi = edi_accounts.filtered(lambda a: a.edi_standard == "x12"
                                    and a.edi_transport == "sftp")
    changed = env["sale.order"]
    for channel in (accounts - edi_accounts, x12_edi):
        changed |= confirmed.filtered(lambda o, c=channel: len(o.order_line) > 1
                                      and o.amazon_vendor_account_id in c)[:1]
    if simulator and changed:
        numbers = ", ".join(changed.mapped("amazon_vendor_po_number"))
        step(4, f"Amazon changes confirmed POs {numbers} (cancels an item; over EDI an 860 "
                "file); the change is shown, then applied and re-acknowledged")
        for order in changed:
            sequence = order.order_line.filtered("amazon_vendor_item_sequence")[
                -1].amazon_vendor_item_sequence
            control(simulator, f"purchase-orders/{order.amazon_vendor_po_number}/change",
                    {"items": [{"itemSequenceNumber": sequence, "cancel": True}]})
            account = order.amazon_vendor_account_id
            if account in edi_accounts:
                files = account._edi_receive().filtered(
                    lambda f: f.kind == "purchase_order_change")
                note(f"{order.amazon_vendor_po_number} over EDI: "
                     f"{', '.join(files.mapped('message_type')) or 'no change file'} received")
            else:
                account._import_purchase_orders()
            note(f"{order.amazon_vendor_po_number} changed by Amazon: "
                 f"{order.amazon_vendor_changed}")
            order.action_amazon_vendor_apply_changes()
            env.cr.commit()
    else:
        step(4, "no change to show (" + ("external endpoint" if not simulator
                                        else "no newly confirmed order") + ")")

    step(5, "packing cartons (SSCC) and validating deliveries -> ASNs")
    pickings = confirmed.picking_ids.filtered(lambda p: p.state in ("confirmed", "assigned"))
    if pickings:
        pickings.action_assign()
    validated = 0
    for done, picking in enumerate(pickings, 1):
        # Amazon receives case-ordered items in whole cases: ship the full cases reserved.
        for move in picking.move_ids.filtered(
                lambda m: m.sale_line_id.amazon_vendor_uom == "Cases" and m.quantity):
            size = move.sale_line_id.amazon_vendor_unit_size or 1
            move.quantity = move.quantity - move.quantity % size
        moves = picking.move_ids.filtered(lambda m: m.quantity)
        if not moves:
            continue
        moves.picked = True
        packages = picking.env["stock.quant.package"]
        for move in moves:
            packages |= picking._put_in_pack(
                move.move_line_ids.filtered(lambda ml: not ml.result_package_id))
        # What the carrier hands over: parcel tracking numbers, or a bill of lading and PRO.
        account = picking.amazon_vendor_account_id
        if (picking.amazon_vendor_shipment_type or account.default_shipment_type) \
                == "SmallParcel":
            for package in packages:
                package.amazon_vendor_tracking_ref = f"1Z999AA1{package.id:010d}"
        else:
            picking.write({"amazon_vendor_bol_number": f"BOL{picking.id:08d}",
                           "amazon_vendor_pro_number": f"PRO{picking.id:08d}"})
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
            env[result["res_model"]].with_context(result["context"]).create({}).process()
        validated += picking.state == "done"
        progress(done, len(pickings), "deliveries")
        env.cr.commit()
    note(f"{validated} deliveries validated")

    step(6, "posting invoices")
    invoiceable = confirmed.filtered(lambda o: o.invoice_status == "to invoice")
    for done, order in enumerate(invoiceable, 1):
        moves = order._create_invoices()
        moves.action_post()
        progress(done, len(invoiceable), "invoices")
        env.cr.commit()

    step(7, "sending documents to Amazon")
    Document = env["amazon.vendor.document"]
    # Oldest first, as the send cron does: Amazon must know an ASN before its invoice.
    queued = Document.search([("account_id", "in", accounts.ids), ("state", "=", "to_send")],
                             order="id")
    queued._send_to_amazon()
    env.cr.commit()
    note(f"{len(queued)} documents sent")

    step(8, "polling Amazon's transaction status (997 files over EDI)")
    if simulator:
        time.sleep(0.2)
        control(simulator, "transactions/settle")
    for account in edi_accounts.filtered(lambda a: a.edi_transport == "sftp"):
        account._edi_receive()
        # Amazon has no API for a 1P vendor's stock: the inventory feed goes over EDI (846).
        account._edi_send_inventory()
        account._edi_receive()
    for account in eu_edi:
        as2_received(account, inbox)
    env.cr.commit()
    if as2_server:
        as2_server.stop()
    Document.search([("account_id", "in", accounts.ids), ("state", "=", "sent")])\
        ._poll_amazon_status()
    env.cr.commit()

    step(9, "forecasting Amazon demand: Amazon's reports, weekly history, replenishment plans")
    if simulator:
        control(simulator, "settings", {"report_delay": 1})
    Run = env["amazon.vendor.forecast.run"]
    forecast = {}
    for company in accounts.company_id:
        run_record = Run._run_forecast(company, fetch_reports=True)
        plans = env["amazon.vendor.forecast.plan"].search([("run_id", "=", run_record.id)])
        forecast = {
            "reports_received": run_record.report_count, "series": run_record.series_count,
            "reordering_rules_created": run_record.orderpoint_created_count,
            "stockout_risks": run_record.stockout_count,
            "methods": dict(sorted(collections.Counter(plans.mapped("method")).items())),
            "seconds": round(run_record.duration, 2)}
        note(f"{company.name}: {run_record.series_count} products x warehouses forecast, "
             f"{run_record.report_count} Amazon reports archived, "
             f"{run_record.stockout_count} stock-out risks ({run_record.duration:.1f} s)")
    env.cr.commit()

    # Before Amazon pays: paying moves the simulator's clock 70 days on.
    direct = direct_fulfillment(env, accounts - edi_accounts, simulator)
    pricing = monitor_prices(env, accounts - edi_accounts, simulator)
    remittances = pay(env, accounts - edi_accounts, simulator)

    docs = Document.search([("account_id", "in", accounts.ids)])
    summary = {
        "purchase_orders": {
            "imported": len(orders),
            "lines": len(lines),
            "unmatched_lines": len(lines.filtered("amazon_vendor_unmatched"))},
        "acknowledgements": counts(docs, ("acknowledgement",)),
        "shipment_confirmations": counts(docs, ("shipment_confirmation",)),
        "invoices": counts(docs, ("invoice", "credit_note")),
        "forecast": forecast,
        "pricing": pricing,
        "remittances": remittances,
        "edi": edi_summary(env, edi_accounts),
        "dashboard": dashboard_summary(env, accounts),
        "direct_fulfillment": direct,
    }
    print("\n  Summary")
    for stage, figures in summary.items():
        print(f"    {stage.replace('_', ' '):24} " + ", ".join(
            f"{key.replace('_', ' ')} {value}" for key, value in figures.items()))
    print("    (Amazon never reports Success for acknowledgements: they count as accepted after "
          "15 minutes in Processing without a Failure.)")
    if os.environ.get("DEMO_SUMMARY"):
        with open(os.environ["DEMO_SUMMARY"], "w") as handle:
            json.dump(summary, handle, indent=2)
    return summary


def edi_account(env, accounts, simulator):
    """A US account that exchanges everything over EDI (X12 over SFTP) with the simulator's
    Amazon EDI partner, for the vendor code ACRN2 (taken from the US API account)."""
    if not simulator or "edi_enabled" not in env["amazon.vendor.account"]._fields:
        return env["amazon.vendor.account"]
    from odoo.addons.acorn_amazon_vendor_edi.lib.transport import make_ssh_key

    us = env.ref(ACCOUNTS[0])
    Account = env["amazon.vendor.account"].sudo()
    account = Account.search([("name", "=", "Amazon US (EDI)")], limit=1)
    if not account:
        account = us.sudo().copy({"name": "Amazon US (EDI)", "party_ids": False})
        us.party_ids.filtered(lambda p: p.code == "ACRN2").account_id = account
        account.write({name: us.sudo()[name] for name in (
            "lwa_client_id", "lwa_client_secret", "lwa_refresh_token", "endpoint_override",
            "lwa_endpoint_override")})
    private_key, public_key = make_ssh_key()
    reply = control(simulator, "edi", {"partners": [{
        "username": "acorn-us", "public_key": public_key, "vendor_code": "ACRN2",
        "our_id": "ACORNUSEDI", "amazon_id": "AMAZONUSTEST", "standard": "x12",
        "deliver": True}]})
    sftp = reply["partners"][0]["sftp"]
    account.write({
        "edi_channel_orders": "edi", "edi_channel_acknowledgement": "edi",
        "edi_channel_shipment": "edi", "edi_channel_invoice": "edi",
        "edi_channel_inventory": "edi",
        "edi_standard": "x12", "edi_transport": "sftp", "edi_our_id": "ACORNUSEDI",
        "edi_amazon_test_id": "AMAZONUSTEST", "edi_sftp_host": sftp["host"],
        "edi_sftp_port": sftp["port"], "edi_sftp_host_key": sftp["hostKeyFingerprint"],
        "edi_sftp_username": sftp["username"], "edi_sftp_private_key": private_key,
        "edi_sftp_upload_dir": sftp["uploadFolder"],
        "edi_sftp_download_dir": sftp["downloadFolder"]})
    env.cr.commit()
    note(f"{account.name}: X12 over SFTP with the simulator's Amazon EDI partner "
         f"({sftp['host']}:{sftp['port']})")
    return account.with_env(env)


def edi_eu_account(env, simulator):
    """A European account exchanging EDIFACT over AS2 with the simulator's Amazon EDI partner,
    for a vendor code of its own (ACRNF). Amazon posts its AS2 messages to the vendor's
    server: Odoo's route /amazon_vendor_edi/as2/<id> in production; here, where Odoo is not
    serving yet, a loopback AS2 endpoint that checks each message and answers its signed MDN
    exactly as the route does, and hands the files to the account (``inbox``)."""
    import socket

    from odoo.addons.acorn_amazon_vendor_edi.lib.transport import (
        LoopbackAs2Server,
        make_test_identity,
    )

    de = env.ref(ACCOUNTS[1])
    Account = env["amazon.vendor.account"].sudo()
    account = Account.search([("name", "=", "Amazon DE (EDI)")], limit=1)
    if not account:
        account = de.sudo().copy({"name": "Amazon DE (EDI)", "party_ids": False})
        env["amazon.vendor.party"].create({"account_id": account.id, "code": "ACRNF",
                                           "name": "EU EDI vendor code"})
        account.write({name: de.sudo()[name] for name in (
            "lwa_client_id", "lwa_client_secret", "lwa_refresh_token", "endpoint_override",
            "lwa_endpoint_override")})
    ours = make_test_identity("ACORN EU vendor")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    reply = control(simulator, "edi", {"partners": [{
        "username": "acorn-eu", "transport": "as2", "vendor_code": "ACRNF",
        "standard": "edifact", "our_id": "ACORNEUEDI", "amazon_id": "AMAZONEUTEST",
        "as2_id": "ACORNEUAS2", "as2_certificate": ours.cert_pem,
        "as2_url": f"http://127.0.0.1:{port}/as2", "amazon_as2_id": "AMAZONEUAS2",
        "deliver": False}]})
    as2 = reply["partners"][0]["as2"]
    inbox = []
    server = LoopbackAs2Server(
        lambda payload, filename, headers: inbox.append((filename, payload)), ours.key_pem,
        ours.cert_pem, as2["amazonCertificate"], port=port, as2_id="ACORNEUAS2",
        partner_as2_id=as2["amazonAs2Id"]).start()
    account.write({
        "edi_channel_orders": "edi", "edi_channel_acknowledgement": "edi",
        "edi_channel_shipment": "edi", "edi_channel_invoice": "edi",
        "edi_standard": "edifact", "edi_transport": "as2", "edi_our_qualifier": "ZZZ",
        "edi_our_id": "ACORNEUEDI", "edi_amazon_qualifier": "ZZZ",
        "edi_amazon_test_id": "AMAZONEUTEST", "edi_as2_url": as2["url"],
        "edi_as2_our_id": "ACORNEUAS2", "edi_as2_amazon_id": as2["amazonAs2Id"],
        "edi_as2_private_key": ours.key_pem, "edi_as2_certificate": ours.cert_pem,
        "edi_as2_partner_certificate": as2["amazonCertificate"]})
    env.cr.commit()
    control(simulator, "purchase-orders", {"generate": 8, "currency": "EUR",
                                           "vendor_code": "ACRNF"})
    note(f"{account.name}: EDIFACT over AS2 with the simulator's Amazon EDI partner "
         f"({as2['url']})")
    return account.with_env(env), inbox, server


def as2_received(account, inbox, settle=1.0, limit=30.0):
    """The files Amazon posted over AS2 (once no new one came for ``settle`` seconds), read
    in this transaction as the route reads them."""
    started, seen = time.monotonic(), -1
    while time.monotonic() - started < limit and seen != len(inbox):
        seen = len(inbox)
        time.sleep(settle)
    received = account.env["amazon.vendor.edi.interchange"]
    while inbox:
        filename, payload = inbox.pop(0)
        received |= account._edi_store_incoming(filename, payload)
    received.filtered(lambda i: i.state == "received")._edi_process()
    return received


def edi_summary(env, edi_accounts):
    """Files per message type: received, sent, accepted or refused by Amazon's 997."""
    if not edi_accounts:
        return {}
    files = env["amazon.vendor.edi.interchange"].search(
        [("account_id", "in", edi_accounts.ids)])
    summary = {}
    for message_type in sorted(set(files.mapped("message_type"))):
        kind = files.filtered(lambda f, t=message_type: f.message_type == t)
        summary[message_type] = {
            "received": len(kind.filtered(lambda f: f.direction == "in")),
            "sent": len(kind.filtered(lambda f: f.direction == "out")),
            "accepted": len(kind.filtered(lambda f: f.state == "accepted")),
            "refused": len(kind.filtered(lambda f: f.state in ("rejected", "failed")))}
    if os.environ.get("DEMO_EDI_DIR"):
        folder = os.environ["DEMO_EDI_DIR"]
        os.makedirs(folder, exist_ok=True)
        for record in files:
            prefix = "from-amazon" if record.direction == "in" else "to-amazon"
            with open(os.path.join(folder, f"{prefix}_{record.file_name}"), "wb") as handle:
                handle.write(record._edi_data())
        note(f"{len(files)} EDI files copied to {folder}")
    return summary


def direct_fulfillment(env, accounts, simulator):
    """Amazon's drop-ship orders for one account: imported with the customer's address (RDT),
    acknowledged, labelled (ACWH1) or given the own carrier's tracking numbers (ACWH2),
    shipped (confirmations), the own carrier's delivery scans sent as status updates,
    invoiced (Payments v1), and the warehouse's available stock sent to Amazon (Inventory
    v1)."""
    from odoo import Command

    step(10, "Direct Fulfillment: drop-ship orders imported, acknowledged, labelled, shipped, "
             "carrier scans reported, invoiced; inventory sent")
    if "amazon.vendor.df.warehouse" not in env:
        note("skipped: acorn_amazon_vendor_direct_fulfillment is not installed")
        return {"skipped": "acorn_amazon_vendor_direct_fulfillment is not installed"}
    if not simulator:
        note("skipped: the demo creates Direct Fulfillment orders in the simulator")
        return {"skipped": "external endpoint"}
    account = accounts.filtered(
        lambda a: "USD" in a.marketplace_ids.currency_id.mapped("name"))[:1]
    warehouse = account.warehouse_id or env["stock.warehouse"].search(
        [("company_id", "=", account.company_id.id)], limit=1)
    values = {"df_enabled": True}
    if not account.df_warehouse_ids:
        # ACWH2 ships with the vendor's own carrier (VOC), ACWH1 with Amazon's labels.
        values["df_warehouse_ids"] = [Command.create({"code": code,
                                                      "warehouse_id": warehouse.id,
                                                      "own_carrier": code == "ACWH2"})
                                      for code in ("ACWH1", "ACWH2")]
    account.write(values)
    control(simulator, "df", {"own_carrier": {"ACWH2": True}})
    control(simulator, "df", {"generate": 12, "currency": "USD", "warehouse": "ACWH1",
                              "age_seconds": 3600})
    control(simulator, "df", {"generate": 6, "currency": "USD", "warehouse": "ACWH2",
                              "age_seconds": 3600})
    orders = account._amazon_df_import()
    env.cr.commit()
    Document = env["amazon.vendor.document"]
    time.sleep(0.2)
    control(simulator, "transactions/settle")
    orders.amazon_df_ack_document_id._poll_amazon_status()
    accepted = orders.filtered(lambda o: o.amazon_df_ack_state == "accepted")
    pickings = accepted.picking_ids.filtered(lambda p: p.state in ("confirmed", "assigned"))
    pickings.action_assign()
    labelled = shipped = 0
    # Ship what is fully available (a partial delivery would ask about a backorder).
    for picking in pickings.filtered(lambda p: p.state == "assigned" and all(
            m.quantity >= m.product_uom_qty for m in p.move_ids)):
        try:
            if picking.amazon_df_own_carrier:  # the carrier's tracking number, typed
                picking.amazon_df_tracking = f"1ZDEMO{picking.id:010d}"
            else:
                picking.action_amazon_df_get_label()
                labelled += 1
            picking.move_ids.picked = True
            result = picking.button_validate()
            if isinstance(result, dict) and result.get("res_model"):
                continue  # a backorder question: a person decides
            shipped += picking.state == "done"
        except UserError as exc:
            picking.message_post(body=f"Demo: not shipped: {exc}")
        env.cr.commit()
    confirmations = pickings.amazon_df_confirmation_id
    confirmations._send_to_amazon()
    env.cr.commit()
    time.sleep(0.2)
    control(simulator, "transactions/settle")
    confirmations._poll_amazon_status()
    env.cr.commit()
    status_updates = carrier_status_updates(env, pickings, simulator)
    invoices = env["account.move"]
    for order in accepted.filtered(lambda o: o.invoice_status == "to invoice"):
        invoices |= order._create_invoices()
    invoices.action_post()
    invoices.amazon_df_document_id._send_to_amazon()
    account.action_amazon_df_push_inventory()
    env.cr.commit()
    time.sleep(0.2)
    control(simulator, "transactions/settle")
    docs = Document.search([("account_id", "=", account.id), ("state", "=", "sent"),
                            ("kind", "in", ("df_invoice", "df_inventory"))])
    docs._poll_amazon_status()
    env.cr.commit()
    all_docs = Document.search([("account_id", "=", account.id)])
    figures = {
        "orders": len(orders),
        "acknowledged": len(accepted),
        "labels": labelled,
        "shipped": len(confirmations.filtered(lambda d: d.state == "accepted")),
        "invoiced": len(all_docs.filtered(
            lambda d: d.kind == "df_invoice" and d.state == "accepted")),
        "inventory_updates": len(all_docs.filtered(
            lambda d: d.kind == "df_inventory" and d.state == "accepted")),
        "carrier_status_updates": len(status_updates.filtered(
            lambda d: d.state == "accepted")),
    }
    note(f"{account.name}: " + ", ".join(f"{k.replace('_', ' ')} {v}"
                                         for k, v in figures.items()))
    return figures


def carrier_status_updates(env, pickings, simulator):
    """The own carrier's scans of the shipped own-carrier parcels: departed, then delivered
    (at the customer's city and postal code), one status update document per event."""
    docs = env["amazon.vendor.document"]
    shipped = pickings.filtered(lambda p: p.amazon_df_own_carrier
                                and p.amazon_df_confirmation_state == "accepted")
    for picking in shipped:
        origin = picking.picking_type_id.warehouse_id.partner_id
        area = picking.sale_id.partner_shipping_id
        depot = {"name": origin.name, "addressLine1": origin.street or "-",
                 "city": origin.city, "postalCode": origin.zip,
                 "countryCode": origin.country_id.code or "US"}
        door = {"name": "Customer", "addressLine1": "Front door", "city": area.city,
                "postalCode": area.zip, "countryCode": area.country_id.code or "US"}
        now = fields.Datetime.now()
        left = min(picking.date_done or now, now - datetime.timedelta(minutes=1))
        for code, when, where in (("AF", left, depot), ("D1", now, door)):
            docs |= picking._amazon_df_queue_status_updates([{
                "tracking": number, "status_code": code, "when": when, "location": where}
                for number in picking._amazon_df_confirmed_tracking()])
    docs._send_to_amazon()
    env.cr.commit()
    time.sleep(0.2)
    control(simulator, "transactions/settle")
    docs._poll_amazon_status()
    env.cr.commit()
    return docs


def dashboard_summary(env, accounts):
    """The headline figures of Dashboards > Amazon Vendor (rates as ratios of sums)."""
    if "amazon.vendor.report" not in env:
        return {"skipped": "acorn_amazon_vendor_dashboard is not installed"}
    measures = {"purchase_orders": "order_count:sum", "ack_on_time_%": "ack_on_time_rate:avg",
                "confirmation_%": "confirmation_rate:avg", "fill_%": "fill_rate:avg",
                "asn_on_time_%": "asn_on_time_rate:avg",
                "invoices_accepted_%": "acceptance_rate:avg"}
    [row] = env["amazon.vendor.report"]._read_group(
        [("account_id", "in", accounts.ids)], [], list(measures.values()))
    risks = env["amazon.vendor.report.stockout"].search_count(
        [("company_id", "in", accounts.company_id.ids)])
    figures = {key: float(value) if value is not False and value is not None else None
               for key, value in zip(measures, row, strict=True)}
    figures["purchase_orders"] = int(figures["purchase_orders"] or 0)
    return dict(figures, stockout_risks=risks)


def monitor_prices(env, accounts, simulator):
    """Amazon's list prices, costs on file and margin reports read, competitor prices through
    a seller authorization with the Pricing role (the simulator plays one), one monitoring
    pass: grouped alerts and suggested costs and list prices a manager approves."""
    step(11, "monitoring Amazon's prices and margins: alerts and suggested costs")
    if not hasattr(accounts, "_amazon_pricing_monitor"):
        note("skipped: acorn_amazon_vendor_pricing is not installed")
        return {}
    accounts._amazon_pricing_read_prices()
    competitors = competitor_prices(env, accounts, simulator)
    accounts._amazon_pricing_fetch_reports(wait=30)
    result = accounts._amazon_pricing_monitor()
    env.cr.commit()
    note(f"{result['products_monitored']} products monitored, {result['new_alerts']} new "
         f"alerts, {result['suggestions']} suggestions")
    return {"products_monitored": result["products_monitored"],
            "alerts": {kind: count for kind, count in result["alerts"].items() if count},
            "suggestions": result["suggestions"], "competitor_prices": competitors}


def competitor_prices(env, accounts, simulator):
    """Vendor applications never get the Pricing role: the accounts are linked to a seller
    authorization (here the simulator's credentials with its ``pricing_role`` setting) and
    read competitor prices as the scheduled pass does."""
    if not simulator:
        note("competitor prices skipped: an external endpoint refuses vendor applications")
        return {}
    us = env.ref(ACCOUNTS[0]).sudo()
    Account = env["amazon.vendor.account"].sudo()
    seller = Account.search([("name", "=", "Seller authorization (Pricing role)")], limit=1)
    if not seller:
        seller = us.copy({"name": "Seller authorization (Pricing role)", "party_ids": False,
                          "pricing_frequency": "off"})
        seller.write({name: us[name] for name in (
            "lwa_client_id", "lwa_client_secret", "lwa_refresh_token", "endpoint_override",
            "lwa_endpoint_override")})
    accounts.sudo().pricing_seller_account_id = seller
    control(simulator, "settings", {"pricing_role": True})
    try:
        accounts._amazon_pricing_cron_competitor_prices()
    finally:
        control(simulator, "settings", {"pricing_role": False})
    env.cr.commit()
    rows = env["amazon.vendor.price.observation"].search(
        [("company_id", "in", accounts.company_id.ids), ("origin", "=", "pricing_api")])
    own = rows.filtered("amazon_retail_offer")
    note(f"{len(rows)} competitive prices read through {seller.name}: {len(own)} Amazon's own "
         f"retail offers, {len(rows - own)} from other sellers")
    return {"read": len(rows), "amazon_own_offers": len(own), "other_sellers": len(rows - own)}


def pay(env, accounts, simulator):
    """Amazon pays 60 days after the invoice, in its weekly run: the simulator's clock moves on,
    the remittances are read through the Finance API, matched, booked, and Amazon's status of
    each invoice is read back."""
    from odoo.addons.acorn_amazon_vendor.lib.amazon_dates import parse_date_time

    step(12, "Amazon pays: remittances matched and booked, deductions, invoice statuses")
    if not simulator:
        note("skipped: the simulator's clock cannot be moved on an external endpoint")
        return {}
    reply = control(simulator, "clock", {"advance": 70 * 86400})
    now = parse_date_time(reply["now"]).replace(tzinfo=None)
    Remittance = env["amazon.vendor.remittance"]
    new = Remittance
    for account in accounts:
        new |= account._amazon_vendor_import_remittances(now=now)
        account._amazon_vendor_fetch_invoice_statuses(now=now)
        env.cr.commit()
    lines = new.line_ids
    deductions = lines.deduction_id
    for remittance in new.filtered(lambda r: r.state != "booked"):
        note(f"{remittance.display_name}: not booked: {remittance.problem}")
    note(f"{len(new)} payments, {len(lines)} lines, "
         f"{len(lines.filtered(lambda line: line.match_state == 'invoice'))} invoices paid, "
         f"{len(deductions)} deductions to review")
    return {
        "imported": len(new), "booked": len(new.filtered(lambda r: r.state == "booked")),
        "lines": len(lines),
        "matched": len(lines.filtered(lambda line: line.match_state != "unknown")),
        "deductions": dict(sorted(collections.Counter(
            deductions.mapped("deduction_type")).items())),
        "paid": {currency.name: round(sum(new.filtered(
            lambda r, c=currency: r.currency_id == c).mapped("amount")), 2)
            for currency in new.currency_id}}


def main(argv):
    config.parse_config(argv)
    registry = odoo.modules.registry.Registry(config["db_name"])
    with registry.cursor() as cr:
        # A batch script, not a request nor a cron: Odoo's real-time limit does not stop it,
        # so it waits for Amazon's quota (createReport: one a minute) instead of stopping.
        run(api.Environment(cr, SUPERUSER_ID, {"amazon_vendor_pacing_budget": 900}))


if __name__ == "__main__":
    main(sys.argv[1:])
