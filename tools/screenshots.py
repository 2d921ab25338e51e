"""Screenshots of the demo database for the README:
python tools/screenshots.py URL OUT_DIR [name=/odoo/path ...]

Logs in as admin/admin on a running Odoo (e.g. `make demo`), then drives headless Chromium
through the DevTools protocol (websocket-client) and saves one PNG per page.
"""
import base64
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import requests
import websocket

PAGES = {
    "dashboard": "/odoo/action-acorn_amazon_vendor.action_amazon_vendor_dashboard",
    "documents": "/odoo/action-acorn_amazon_vendor.action_amazon_vendor_document",
    "three-way-match": "/odoo/action-acorn_amazon_vendor.action_amazon_vendor_match",
    "accounts": "/odoo/action-acorn_amazon_vendor.action_amazon_vendor_account",
    # Dashboards app: the Amazon Vendor group comes first, so its dashboard opens.
    "spreadsheet-dashboard": "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
}


def login(base):
    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    session.post(f"{base}/web/login", timeout=30, data={
        "login": "admin", "password": "admin", "csrf_token": token, "redirect": "/odoo"})
    return session.cookies.get("session_id")


def main(base, out_dir, *extra):
    pages = dict(PAGES, **dict(item.split("=", 1) for item in extra))
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    cookie = login(base)
    profile = tempfile.mkdtemp()
    chrome = subprocess.Popen([
        shutil.which("chromium") or "chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--remote-debugging-port=9333", f"--user-data-dir={profile}", "--window-size=1440,900",
        "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(50):
            try:
                targets = json.load(urllib.request.urlopen("http://127.0.0.1:9333/json"))
                break
            except OSError:
                time.sleep(0.2)
        page = next(t for t in targets if t["type"] == "page")
        ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        ids = iter(range(1, 10_000))

        def call(method, **params):
            number = next(ids)
            ws.send(json.dumps({"id": number, "method": method, "params": params}))
            while True:
                reply = json.loads(ws.recv())
                if reply.get("id") == number:
                    return reply.get("result", {})

        call("Network.enable")
        call("Network.setCookie", name="session_id", value=cookie, url=base)
        call("Emulation.setDeviceMetricsOverride", width=1440, height=900,
             deviceScaleFactor=1, mobile=False)
        for name, path in pages.items():
            call("Page.navigate", url=base + path)
            time.sleep(6)
            data = call("Page.captureScreenshot", format="png")["data"]
            (out / f"{name}.png").write_bytes(base64.b64decode(data))
            print(f"saved {out / name}.png")
        ws.close()
    finally:
        chrome.terminate()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
