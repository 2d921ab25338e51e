"""Reading Amazon's answers about documents we sent (pure, no ORM)."""
import re


def eaches(quantity):
    """Amazon's ItemQuantity in eaches (Cases x unitSize)."""
    quantity = quantity if isinstance(quantity, dict) else {}
    try:
        amount = int(quantity.get("amount") or 0)
        size = int(quantity.get("unitSize") or 1) if quantity.get("unitOfMeasure") == "Cases" \
            else 1
    except (TypeError, ValueError):
        return None
    return amount * size


# Amazon's refusals meaning "this very document (its identifier) is already here".
DUPLICATE_CODES = frozenset({"DuplicateShipmentIdentifier", "DuplicateInvoiceNumber",
                             "DuplicateVendorShipmentIdentifier", "DuplicateInvoice"})
ALREADY_RE = re.compile(r"\balready (submitted|used|exists|received|been submitted)\b", re.I)


def is_duplicate_refusal(errors):
    """Amazon refused a repeated document because it already has it. Other errors in the
    same answer are consequences of processing it twice (quantities counted again)."""
    return any(isinstance(e, dict) and (e.get("code") in DUPLICATE_CODES
                                        or ALREADY_RE.search(str(e.get("message") or "")))
               for e in errors)
