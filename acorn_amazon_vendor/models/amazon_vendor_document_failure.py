"""Why a ledger document failed, as a code and a reason the ledger can group and count.

Amazon's refusals reach the ledger as ``Code: message`` lines (transaction status errors,
``HTTP 400 InvalidInput: ...`` answers, ``throttled: ...`` transport failures); the code is the
stable part, the message is prose. Everything Odoo refused itself carries no code.
"""
import re

from odoo import api, fields, models

# "HTTP 400 InvalidInput: ..." / "InvalidInput: ..." / "throttled: ...", at a line start,
# optionally after the SP-API operation (AmazonApiError's str: "getReport HTTP 404 NotFound:
# ...", "getReport timeout: ...").
_CODE_RE = re.compile(
    r"^(?:[a-z][A-Za-z]* (?=HTTP |[a-z_]+: ))?(?:HTTP \d{3} )?([A-Za-z][A-Za-z0-9_.]{1,63}): ",
    re.MULTILINE)

FAILURE_REASONS = [
    ("invalid_data", "Refused: invalid data"),
    ("not_available", "Refused: not matched (NotAvailable)"),
    ("duplicate", "Refused: duplicate"),
    ("not_found", "Not found at Amazon"),
    ("access", "Access or credentials"),
    ("throttled", "Throttled by Amazon"),
    ("unavailable", "Amazon failure or no answer"),
    ("report_not_done", "Report not produced by Amazon"),
    ("odoo_check", "Stopped by Odoo's checks"),
    ("other", "Other Amazon error"),
]
# Amazon's error codes (and the transport's kinds, see AmazonApiError) per reason.
_REASON_BY_CODE = {
    "invalid_data": {"InvalidInput", "InvalidProductIdentifier", "InvalidQuantity",
                     "InvalidVendorCode", "InvalidPartyId", "InvalidSequence", "bad_request",
                     "RequestEntityTooLarge", "UnsupportedMediaType", "ValidationError"},
    "not_available": {"NotAvailable"},
    "duplicate": {"DuplicateInvoiceNumber", "DuplicateShipmentIdentifier",
                  "DuplicateVendorShipmentIdentifier", "DuplicateTransaction"},
    "not_found": {"NotFound", "not_found"},
    "access": {"Unauthorized", "AccessDenied", "InvalidSignature", "Forbidden", "forbidden",
               "invalid_client", "invalid_grant", "auth", "unauthorized_client"},
    "throttled": {"QuotaExceeded", "TooManyRequests", "throttled"},
    "unavailable": {"InternalFailure", "ServiceUnavailable", "InternalServerError", "server",
                    "timeout", "connection", "malformed"},
}
_REASONS = {code: reason for reason, codes in _REASON_BY_CODE.items() for code in codes}
# Amazon's business-rule codes name the faulty data: InvalidNetCost, MissingCarrierScac,
# CurrencyMismatch, DuplicateItemSequenceNumber (a duplicate inside the document), ...
_INVALID_PREFIXES = ("Invalid", "Missing", "Duplicate", "Empty", "Zero", "Multiple")
# A report Amazon gave up on: its processing status is the reason.
_REPORT_END_STATES = frozenset({"CANCELLED", "FATAL"})


def failure_code(message):
    """Amazon's (or the transport's) error code in a ledger error message, else None."""
    match = _CODE_RE.search(message or "")
    return match.group(1) if match else None


def failure_reason(code, amazon_status=None):
    """The reason a failed document is counted under."""
    if code in _REPORT_END_STATES or (not code and amazon_status in _REPORT_END_STATES):
        return "report_not_done"
    if code:
        if code in _REASONS:
            return _REASONS[code]
        if code.startswith(_INVALID_PREFIXES) or code.endswith("Mismatch"):
            return "invalid_data"
        if code.startswith("Unknown"):
            return "not_found"
        return "other"
    if amazon_status == "Failure":
        return "other"
    return "odoo_check"


class AmazonVendorDocument(models.Model):
    _inherit = "amazon.vendor.document"

    failure_code = fields.Char(
        compute="_compute_failure", store=True, readonly=True, index="btree_not_null",
        help="Amazon's error code of the failure (e.g. InvalidInput, NotAvailable), or the "
             "report's final status; empty when Odoo stopped the document itself.")
    failure_reason = fields.Selection(
        FAILURE_REASONS, compute="_compute_failure", store=True, readonly=True, index=True,
        help="Why the document failed, grouped from Amazon's error code.")

    @api.depends("state", "error_message", "amazon_status")
    def _compute_failure(self):
        for doc in self:
            if doc.state != "failed":
                doc.failure_code = doc.failure_reason = False
                continue
            code = failure_code(doc.error_message)
            if not code and doc.amazon_status in _REPORT_END_STATES:
                code = doc.amazon_status
            doc.failure_code = code or False
            doc.failure_reason = failure_reason(code, doc.amazon_status)
