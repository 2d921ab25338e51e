"""Amazon's error envelope: ``{"errors": [{"code", "message", "details"}]}`` with a status."""


class ApiError(Exception):
    def __init__(self, status, code, message, details="", errors=None):
        super().__init__(message)
        self.status = status
        self.errors = errors or [{"code": code, "message": message, "details": details}]

    def body(self):
        return {"errors": self.errors}


def invalid_input(message, details=""):
    return ApiError(400, "InvalidInput", message, details)


def schema_errors(problems):
    """400 listing every ``"$.path: message"`` problem found by amazon_schema."""
    errors = []
    for problem in problems:
        path, _, message = problem.partition(": ")
        errors.append({"code": "InvalidInput", "message": message, "details": path})
    return ApiError(400, "InvalidInput", errors[0]["message"], errors=errors)


def rule_error(code, message, details=""):
    """One business-rule error in a transaction status."""
    return {"code": code, "message": message, "details": details}


def not_found(message, details=""):
    return ApiError(404, "NotFound", message, details)


UNAUTHORIZED = {
    "code": "Unauthorized",
    "message": "Access to requested resource is denied.",
    "details": "The access token you provided is revoked, malformed or invalid.",
}
FORBIDDEN_ROLE = {
    "code": "Unauthorized",
    "message": "Access to requested resource is denied.",
    "details": "The application is not authorized for the role required by this operation "
               "(Selling Partner API for Vendor Retail).",
}
QUOTA_EXCEEDED = {
    "code": "QuotaExceeded",
    "message": "You exceeded your quota for the requested resource.",
    "details": "",
}
INTERNAL_FAILURE = {
    "code": "InternalFailure",
    "message": "We encountered an internal error. Please try again.",
    "details": "",
}
SERVICE_UNAVAILABLE = {
    "code": "ServiceUnavailable",
    "message": "Service temporarily unavailable. Please try again later.",
    "details": "",
}
