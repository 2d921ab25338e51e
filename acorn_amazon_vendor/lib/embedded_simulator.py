"""One simulator per Odoo process and port, started on first use by Simulation accounts."""
import json
import logging
import threading
import urllib.error
import urllib.request

_logger = logging.getLogger(__name__)
# Loopback only: the simulator accepts its documented demo credentials and has an
# unauthenticated control API, so it must never be reachable from another machine.
HOST = "127.0.0.1"
_servers = {}
_lock = threading.Lock()


class SimulatorPortBusy(Exception):
    """The port is held by something that is not our simulator."""


def _is_simulator(url):
    try:
        with urllib.request.urlopen(f"{url}/_simulator/health", timeout=2) as reply:
            return json.loads(reply.read()).get("simulator") is True
    except (OSError, ValueError, urllib.error.URLError):
        return False


def ensure_running(port, **options):
    """Return the base URL of a simulator on 127.0.0.1:``port``, starting one if needed.

    A simulator already serving that port (another worker, ``make sandbox``) is reused.
    ``port=0`` always starts a private one on a free port (tests).
    """
    from .simulator import SimulatorServer

    with _lock:
        server = _servers.get(port)
        if server is not None:
            return server.url
        url = f"http://{HOST}:{port}"
        if port and _is_simulator(url):
            return url
        server = SimulatorServer(host=HOST, port=port, **options)
        try:
            server.start()
        except OSError as exc:
            raise SimulatorPortBusy(str(exc)) from None
        _servers[port] = server
        _logger.info("Built-in Vendor Central simulator started on %s, listening on loopback "
                     "only; its control API is under %s/_simulator/", server.url, server.url)
        return server.url


def get(port):
    return _servers.get(port)


def stop_all():
    with _lock:
        for server in _servers.values():
            server.stop()
        _servers.clear()
