"""HTTP under python-amazon-sp-api: right Host header, status codes checked, no proxy on loopback.

The library derives the Host header as ``endpoint[8:]`` (wrong for ``http://``), lets replies
without an ``errors`` key through whatever their status, and httpx honours proxy variables
even for 127.0.0.1. This transport is handed to every client the factory builds.
"""
import json
import time
from urllib.parse import urlsplit

import httpx
from sp_api.base._transport_httpx import HttpxTransport

from .errors import AmazonApiError

STATUS_KINDS = {400: "bad_request", 401: "forbidden", 403: "forbidden", 404: "not_found",
                413: "bad_request", 415: "bad_request", 429: "throttled"}


def kind_for_status(status):
    if status >= 500:
        return "server"
    return STATUS_KINDS.get(status, "bad_request")


def parse_error_reply(response, operation=None):
    """Translate a non-2xx reply (Amazon envelope or not) into AmazonApiError."""
    status = response.status_code
    request_id = response.headers.get("x-amzn-RequestId")
    retry_after = response.headers.get("Retry-After")
    errors, code, message, details = [], None, None, None
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("errors"), list) and body["errors"]:
        errors = body["errors"]
        first = errors[0] if isinstance(errors[0], dict) else {}
        code, message, details = first.get("code"), first.get("message"), first.get("details")
    elif isinstance(body, dict) and body.get("error"):  # LWA style
        code, message = body.get("error"), body.get("error_description")
    if not message:
        text = (response.text or "").strip().replace("\n", " ")
        message = text[:300] or response.reason_phrase or "no message"
    kind = kind_for_status(status)
    if status == 429 and not code:
        code = "QuotaExceeded"
    return AmazonApiError(
        kind, message, status=status, code=code, details=details, request_id=request_id,
        errors=errors, operation=operation,
        retry_after=float(retry_after) if retry_after and retry_after.isdigit() else None,
    )


class CheckedTransport(HttpxTransport):
    """HttpxTransport that raises AmazonApiError for anything but a well-formed 2xx reply."""

    def __init__(self, *, timeout, trust_env=True, on_response=None, on_rate=None):
        client = httpx.Client(timeout=timeout, trust_env=trust_env)
        super().__init__(client=client)
        self.on_response = on_response
        self.on_rate = on_rate
        self.operation = None

    def request(self, method, url, *, params=None, data=None, content=None, headers=None):
        headers = dict(headers or {})
        # endpoint[8:] is only right for https://; always derive Host from the real URL.
        for key in [k for k in headers if k.lower() == "host"]:
            del headers[key]
        headers["host"] = urlsplit(url).netloc
        start = time.monotonic()
        host = urlsplit(url).netloc
        try:
            response = self._client.request(
                method, url, params=params, data=data, content=content, headers=headers)
        except (httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise AmazonApiError("timeout", f"could not connect to {host} in time "
                                 f"({type(exc).__name__})", operation=self.operation,
                                 may_have_arrived=False) from None
        except httpx.TimeoutException as exc:
            raise AmazonApiError("timeout", f"no reply within the timeout ({type(exc).__name__})",
                                 operation=self.operation, may_have_arrived=True) from None
        except httpx.ConnectError as exc:
            raise AmazonApiError("connection", f"cannot reach {host}: {exc}",
                                 operation=self.operation, may_have_arrived=False) from None
        except httpx.HTTPError as exc:
            # The connection broke or the reply could not be decoded after the request left.
            raise AmazonApiError("connection", f"the exchange with {host} broke off "
                                 f"({type(exc).__name__}: {exc})", operation=self.operation,
                                 may_have_arrived=True) from None
        if self.on_response:
            self.on_response(response, time.monotonic() - start)
        self._observe_rate(response)
        if not 200 <= response.status_code < 300:
            raise parse_error_reply(response, self.operation)
        if response.content:
            self._check_success_body(response)
        return response

    def _observe_rate(self, response):
        """Amazon's current rate for this operation (it may differ from the usage plan)."""
        value = response.headers.get("x-amzn-RateLimit-Limit")
        if self.on_rate and value and self.operation:
            try:
                rate = float(value)
            except ValueError:
                return
            if rate > 0:
                self.on_rate(self.operation, rate)

    def _check_success_body(self, response):
        """A 2xx reply must be a JSON object without ``errors`` (the library would raise its
        own exception for one, and crash on a list or a string)."""
        request_id = response.headers.get("x-amzn-RequestId")
        try:
            body = json.loads(response.content)
        except ValueError:
            body = ValueError
        if not isinstance(body, dict):
            raise AmazonApiError(
                "malformed", "the reply is not a JSON object" if body is not ValueError
                else "the reply is not valid JSON", status=response.status_code,
                request_id=request_id, operation=self.operation, may_have_arrived=True)
        errors = body.get("errors")
        if errors:
            if body.get("payload"):
                raise AmazonApiError(
                    "malformed", "Amazon answered with a payload and errors at once",
                    status=response.status_code, request_id=request_id, errors=errors,
                    operation=self.operation, may_have_arrived=True)
            error = parse_error_reply(response, self.operation)
            error.kind, error.may_have_arrived = "bad_request", False
            raise error
