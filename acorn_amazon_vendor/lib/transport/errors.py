"""The one exception the transport raises, carrying Amazon's own code and message."""


class AmazonApiError(Exception):
    """A failed exchange with Amazon (or the simulator).

    ``kind`` classifies the failure for people and for retry decisions:
    ``invalid_client``, ``invalid_grant``, ``auth`` (other LWA errors), ``forbidden``,
    ``not_found``, ``bad_request``, ``throttled``, ``server``, ``timeout``, ``connection``,
    ``malformed``.
    """

    RETRYABLE_KINDS = frozenset({"throttled", "server", "timeout", "connection", "malformed"})
    UNKNOWN_OUTCOME_KINDS = frozenset({"timeout", "server", "connection", "malformed"})

    def __init__(self, kind, message, *, status=None, code=None, details=None, request_id=None,
                 errors=None, operation=None, retry_after=None, may_have_arrived=None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status
        self.code = code
        self.details = details
        self.request_id = request_id
        self.errors = errors or []
        self.operation = operation
        self.retry_after = retry_after
        # True: the request may have been processed although no usable answer came back;
        # False: it certainly was not (refused, throttled, never connected); None: by kind.
        self.may_have_arrived = may_have_arrived

    @property
    def retryable(self):
        return self.kind in self.RETRYABLE_KINDS

    @property
    def outcome_unknown(self):
        """Amazon may have processed this request: a POST must not be sent again blindly.

        429 and 503 are Amazon's promise that nothing was processed; a timeout while
        connecting, a refused connection and any 4xx answer are certain too.
        """
        if self.may_have_arrived is not None:
            return self.may_have_arrived
        if self.kind == "throttled" or self.status == 503:
            return False
        return self.kind in self.UNKNOWN_OUTCOME_KINDS

    def __str__(self):
        parts = [self.operation or "", f"HTTP {self.status}" if self.status else "",
                 self.code or self.kind, self.message or ""]
        text = " ".join(p for p in parts[:3] if p)
        return f"{text}: {parts[3]}" if parts[3] else text

    def to_dict(self):
        return {
            "kind": self.kind, "status": self.status, "code": self.code, "message": self.message,
            "details": self.details, "request_id": self.request_id, "operation": self.operation,
        }
