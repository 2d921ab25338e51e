"""HTTP front: routing, the checks Amazon's gateway makes before an operation runs (token,
content type, size, throttling), injected faults, and Amazon's reply headers."""
import email.utils
import json
import logging
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from . import (
    control,
    direct_fulfillment,
    finances,
    lwa,
    orders,
    pricing,
    reports,
    shipments,
    tokens,
)
from .errors import (
    FORBIDDEN_ROLE,
    INTERNAL_FAILURE,
    QUOTA_EXCEEDED,
    SERVICE_UNAVAILABLE,
    UNAUTHORIZED,
    ApiError,
)
from .faults import AFTER_PROCESSING
from .invoices import submit_invoices
from .state import SimulatorState
from .throttling import rate_header
from .transactions import get_transaction

_logger = logging.getLogger(__name__)

DEFAULT_CLIENT_ID = "amzn1.application-oa2-client.acornsimulator"
DEFAULT_CLIENT_SECRET = "acorn-simulator-secret"
DEFAULT_REFRESH_TOKEN = "Atzr|acorn-simulator-refresh-token"
DEFAULT_PORT = 8765
MAX_BODY = 10 * 1024 * 1024  # API Gateway's payload limit
LWA_PATH = "/auth/o2/token"
DOCUMENT_PATH = re.compile(r"^/_s3/report-documents/([^/]+)$")

SPAPI_ROUTES = [
    (method, re.compile(pattern), operation, handler)
    for method, pattern, operation, handler in (
        ("GET", r"^/vendor/orders/v1/purchaseOrders$", "getPurchaseOrders",
         orders.get_purchase_orders),
        ("GET", r"^/vendor/orders/v1/purchaseOrders/([^/]*)$", "getPurchaseOrder",
         orders.get_purchase_order),
        ("POST", r"^/vendor/orders/v1/acknowledgements$", "submitAcknowledgement",
         orders.submit_acknowledgement),
        ("GET", r"^/vendor/orders/v1/purchaseOrdersStatus$", "getPurchaseOrdersStatus",
         orders.get_purchase_orders_status),
        ("POST", r"^/vendor/shipping/v1/shipmentConfirmations$", "SubmitShipmentConfirmations",
         shipments.submit_shipment_confirmations),
        ("POST", r"^/vendor/shipping/v1/shipments$", "SubmitShipments",
         shipments.submit_shipments),
        ("GET", r"^/vendor/shipping/v1/shipments$", "GetShipmentDetails",
         shipments.get_shipment_details),
        ("GET", r"^/vendor/shipping/v1/transportLabels$", "GetShipmentLabels",
         shipments.get_shipment_labels),
        ("POST", r"^/vendor/payments/v1/invoices$", "submitInvoices", submit_invoices),
        ("GET", r"^/vendor/transactions/v1/transactions/([^/]+)$", "getTransaction",
         get_transaction),
        ("POST", r"^/reports/2021-06-30/reports$", "createReport", reports.create_report),
        ("GET", r"^/reports/2021-06-30/reports/([^/]+)$", "getReport", reports.get_report),
        ("GET", r"^/reports/2021-06-30/documents/([^/]+)$", "getReportDocument",
         reports.get_report_document),
        ("GET", r"^/finances/remittances/2026-03-17/remittances$", "getRemittanceHeaders",
         finances.get_remittance_headers),
        ("GET", r"^/finances/remittances/2026-03-17/remittances/([^/]+)$", "getRemittance",
         finances.get_remittance),
        ("GET", r"^/finances/invoices/2026-06-25/invoices$", "getInvoiceHeaders",
         finances.get_invoice_headers),
        ("GET", r"^/finances/invoices/2026-06-25/invoices/([^/]+)$", "getInvoice",
         finances.get_invoice),
        *pricing.ROUTES,  # Catalog Items, Listings Items (procurement), Product Pricing
        *direct_fulfillment.ROUTES,  # Direct Fulfillment 2021-12-28 / v1, Tokens (RDT)
    )
]
CONTROL_ROUTES = [(methods.split("|"), re.compile(f"^/_simulator/{pattern}$"), handler)
                  for methods, pattern, handler in control.ROUTES]


class Request:
    def __init__(self, method, path, params, headers, raw_body, path_args=()):
        self.method, self.path, self.params = method, path, params
        self.headers, self.raw_body, self.path_args = headers, raw_body, path_args

    def json_body(self, required=True):
        if not self.raw_body:
            if required:
                raise ApiError(400, "InvalidInput", "The request body is missing.",
                               "Send the document as a JSON object.")
            return None
        try:
            body = json.loads(self.raw_body)
        except ValueError as exc:
            raise ApiError(400, "InvalidInput", "The request body is not valid JSON.",
                           str(exc)) from None
        if required and not isinstance(body, dict):
            raise ApiError(400, "InvalidInput", "The request body must be a JSON object.")
        return body


class Reply:
    __slots__ = ("status", "headers", "body", "hang", "delay")

    def __init__(self, status, body=b"", headers=None):
        self.status, self.body = status, body
        self.headers = {"Content-Type": "application/json"}
        self.headers.update(headers or {})
        self.hang = False
        self.delay = 0.0


def _json_reply(status, payload, operation=None):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"x-amzn-RateLimit-Limit": rate_header(operation)} if operation else {}
    return Reply(status, body, headers)


def _error_reply(status, errors, operation=None):
    return _json_reply(status, {"errors": errors if isinstance(errors, list) else [errors]},
                       operation)


class Simulator:
    """The request pipeline, independent of the socket layer."""

    def __init__(self, state, credentials):
        self.state = state
        self.credentials = credentials

    def handle(self, method, target, headers, raw_body):
        parts = urlsplit(target)
        path = unquote(parts.path)
        params = parse_qs(parts.query, keep_blank_values=True)
        if path == LWA_PATH:
            if method != "POST":
                return _error_reply(405, {"code": "MethodNotAllowed",
                                          "message": f"{method} is not allowed here.",
                                          "details": ""})
            status, body = lwa.token(self.state, self.credentials,
                                     headers.get("Content-Type", ""), raw_body)
            return _json_reply(status, body)
        if path.startswith("/_simulator/"):
            return self._control(method, path, params, headers, raw_body)
        match = DOCUMENT_PATH.match(path)
        if match and method == "GET":
            status, extra, body = reports.download(self.state, match.group(1), params)
            return Reply(status, body, extra)
        return self._spapi(method, parts.path, params, headers, raw_body)

    def _control(self, method, path, params, headers, raw_body):
        for methods, pattern, handler in CONTROL_ROUTES:
            match = pattern.match(path)
            if match:
                if method not in methods:
                    return _error_reply(405, {"code": "MethodNotAllowed", "details": "",
                                              "message": f"{method} is not allowed here."})
                request = Request(method, path, params, headers, raw_body, match.groups())
                try:
                    status, payload = handler(self.state, request)
                except ApiError as exc:
                    return _json_reply(exc.status, exc.body())
                except (TypeError, ValueError) as exc:
                    return _error_reply(400, {"code": "InvalidInput", "message": str(exc),
                                              "details": path})
                return _json_reply(status, payload)
        return _error_reply(404, {"code": "NotFound", "details": path,
                                  "message": "No such simulator control endpoint."})

    def _spapi(self, method, raw_path, params, headers, raw_body):
        # Routes match the path as sent; path parameters are decoded afterwards, so an
        # identifier may hold an encoded "/" (invoice number 2026/0001 -> 2026%2F0001).
        path = unquote(raw_path)
        allowed = []
        for route_method, pattern, operation, handler in SPAPI_ROUTES:
            match = pattern.match(raw_path)
            if match is None:
                continue
            if route_method != method:
                allowed.append(route_method)
                continue
            return self._operation(operation, handler, Request(
                method, path, params, headers, raw_body,
                tuple(unquote(g) for g in match.groups())))
        if allowed:
            return _error_reply(405, {"code": "MethodNotAllowed", "details": "",
                                      "message": f"{method} is not allowed; use "
                                                 f"{' or '.join(allowed)}."})
        return _error_reply(404, {"code": "NotFound", "details": path,
                                  "message": "The requested resource does not exist."})

    def _operation(self, operation, handler, request):
        state = self.state
        if not lwa.token_valid(state, request.headers.get("x-amz-access-token")):
            return _error_reply(403, UNAUTHORIZED, operation)
        if state.faults.forbidden:
            return _error_reply(403, FORBIDDEN_ROLE, operation)
        try:  # a Restricted Data Token opens only the resources it names
            tokens.grant(state, request)
        except ApiError as exc:
            return _json_reply(exc.status, exc.body(), operation)
        if not state.throttle.allow(operation):
            return _error_reply(429, QUOTA_EXCEEDED, operation)
        fault = state.faults.take(operation)
        delay = 0.0
        after = None
        if fault and fault["kind"] in AFTER_PROCESSING:
            after, fault = fault, None
        if fault:
            kind = fault["kind"]
            if kind in ("429", "500", "503", "forbidden"):
                errors = {"429": QUOTA_EXCEEDED, "500": INTERNAL_FAILURE,
                          "503": SERVICE_UNAVAILABLE, "forbidden": FORBIDDEN_ROLE}[kind]
                return _error_reply(int(kind) if kind.isdigit() else 403, errors, operation)
            if kind == "timeout":
                reply = Reply(504)
                reply.hang, reply.delay = True, fault["delay"]
                return reply
            if kind == "slow":
                delay = fault["delay"]
            if kind == "malformed":
                return _json_reply(200, b'{"payload": {"orders": [{"purchaseOrderNumber": "',
                                   operation)
            if kind == "errors_200":
                return _error_reply(200, dict(INTERNAL_FAILURE, details="Injected: a success "
                                              "status carrying an errors envelope."), operation)
            if kind == "undecodable":
                reply = _json_reply(200, b"this body is not gzip", operation)
                reply.headers["Content-Encoding"] = "gzip"
                return reply
        if request.method == "POST":
            content_type = request.headers.get("Content-Type", "")
            if not content_type.split(";")[0].strip().lower() == "application/json":
                return _error_reply(415, {"code": "UnsupportedMediaType", "details": "",
                                          "message": "The request payload is in an "
                                                     "unsupported format; send "
                                                     "application/json."}, operation)
        try:
            state.tick()
            status, payload = handler(state, request)
            reply = _json_reply(status, payload, operation)
        except ApiError as exc:
            reply = _json_reply(exc.status, exc.body(), operation)
        except Exception:
            _logger.exception("simulator: %s failed", operation)
            reply = _error_reply(500, INTERNAL_FAILURE, operation)
        reply.delay = delay
        if after:
            reply = self._after_processing(after, reply, operation)
        return reply

    @staticmethod
    def _after_processing(fault, reply, operation):
        """The operation ran; the caller is left without a usable answer."""
        if fault["kind"] == "500_after":
            return _error_reply(500, INTERNAL_FAILURE, operation)
        if fault["kind"] == "malformed_after":
            return _json_reply(reply.status, b'{"payload": {"transactionId": "', operation)
        reply.hang, reply.delay = True, fault["delay"]
        return reply


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "Server"
    sys_version = ""

    def log_message(self, format, *args):  # noqa: A002 - BaseHTTPRequestHandler's signature
        _logger.debug("simulator: " + format, *args)

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            self._write(_error_reply(413, {"code": "RequestEntityTooLarge", "details": "",
                                           "message": "The request size exceeded the maximum "
                                                      f"accepted size of {MAX_BODY} bytes."}))
            return
        raw_body = self.rfile.read(length) if length else b""
        reply = self.server.simulator.handle(self.command, self.path, self.headers, raw_body)
        if reply.hang:
            # Hold the connection past the client's timeout, then drop it without a reply.
            self.server.stopping.wait(reply.delay)
            self.close_connection = True
            return
        if reply.delay:
            self.server.stopping.wait(reply.delay)
        self._write(reply)

    def _write(self, reply):
        lines = [f"HTTP/1.1 {reply.status} {self.responses.get(reply.status, ('',))[0]}",
                 f"Date: {email.utils.formatdate(usegmt=True)}",
                 f"Content-Length: {len(reply.body)}",
                 f"x-amzn-RequestId: {uuid.uuid4()}"]
        lines.extend(f"{k}: {v}" for k, v in reply.headers.items())
        if self.close_connection:
            lines.append("Connection: close")
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + reply.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, simulator):
        self.simulator = simulator
        self.stopping = threading.Event()
        super().__init__(address, _Handler)


class SimulatorServer:
    """A Vendor Central simulator on loopback; ``start()`` serves from a background thread."""

    def __init__(self, host="127.0.0.1", port=0, client_id=DEFAULT_CLIENT_ID,
                 client_secret=DEFAULT_CLIENT_SECRET, refresh_token=DEFAULT_REFRESH_TOKEN,
                 seed=42, catalogue=None, throttling=True, default_data=True, now=None):
        self.host, self.port = host, port
        self.state = SimulatorState(seed=seed, catalogue=catalogue, default_data=default_data,
                                    now=now, throttling=throttling)
        self.simulator = Simulator(self.state, (client_id, client_secret, refresh_token))
        self.client_id = client_id
        self._httpd = None
        self._thread = None
        self._serving = False

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    @property
    def lwa_url(self):
        return self.url + LWA_PATH

    def bind(self):
        self._httpd = _HTTPServer((self.host, self.port), self.simulator)
        self.port = self._httpd.server_address[1]
        self.state.base_url = self.url
        return self

    def start(self):
        self.bind()
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.1},
                                        name=f"amazon-simulator-{self.port}", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self):
        """Serve in the calling thread (``python -m ...simulator``) until shutdown."""
        if self._httpd is None:
            self.bind()
        self._serving = True
        try:
            self._httpd.serve_forever(poll_interval=0.2)
        finally:
            self._serving = False

    def stop(self):
        if self.state.edi is not None:  # Amazon's EDI partner (edi_partner.py)
            self.state.edi.stop()
        if self._httpd is None:
            return
        self._httpd.stopping.set()
        if self._thread is not None or self._serving:
            # shutdown() waits for a serve_forever() loop to end: only when one runs (stopped
            # after Ctrl-C in the foreground, or before it began, it would wait for ever)
            self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
