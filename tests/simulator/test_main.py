"""``python -m ...simulator``: serves in the foreground and stops cleanly on Ctrl-C."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from odoo.addons.acorn_amazon_vendor.lib.simulator import DEFAULT_CLIENT_ID

# Ctrl-C as in a terminal: a test run started in the background of a script has SIGINT
# ignored, the child inherits that, and Python then never raises KeyboardInterrupt
LAUNCH = ("import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
          "import sys, odoo.addons; odoo.addons.__path__.append(sys.argv[1]); "
          "from odoo.addons.acorn_amazon_vendor.lib.simulator.__main__ import main; "
          "sys.exit(main(sys.argv[2:]))")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_main_serves_and_stops_on_ctrl_c():
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    port = free_port()
    env = dict(os.environ, SANDBOX_PORT=str(port), SANDBOX_CLIENT_SECRET="s3cret-not-printed")
    process = subprocess.Popen([sys.executable, "-c", LAUNCH, repo, "--seed", "3",
                                "--no-throttling"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()
        assert first.strip() == f"Amazon Vendor Central simulator on http://127.0.0.1:{port}"
        deadline = time.monotonic() + 10
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/_simulator/health",
                                   trust_env=False).json()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert health["seed"] == 3 and health["throttling"] is False
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            _out, err = process.communicate()
            pytest.fail("the simulator did not stop on Ctrl-C; it printed on stderr:\n" + err)
    assert process.returncode == 0
    printed = first + process.stdout.read()
    process.stdout.close()
    process.stderr.close()
    assert f"LWA client id: {DEFAULT_CLIENT_ID}" in printed
    assert "s3cret-not-printed" not in printed


def test_ctrl_c_before_serving_stops_at_once():
    """Ctrl-C before the serving loop began (e.g. while Amazon's EDI partner starts): stop()
    must not wait for a loop that never ran."""
    from odoo.addons.acorn_amazon_vendor.lib.simulator import SimulatorServer

    server = SimulatorServer(port=free_port()).bind()
    done = []
    stopper = threading.Thread(target=lambda: (server.stop(), done.append(True)), daemon=True)
    stopper.start()
    stopper.join(timeout=5)
    assert done, "stop() hung on a server that never served"
