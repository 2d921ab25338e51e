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


def is_duplicate_refusal(errors, identifier=None):
    """Amazon refused a repeated document because it already has it. Other errors in the
    same answer are consequences of processing it twice (quantities counted again).

    Settling a document as accepted on this answer is only safe when the answer is about
    this very document: Amazon's duplicate codes, or an "already submitted" message that
    names ``identifier`` (the invoice number, shipment identifier...). A bare "already ..."
    may be about anything (an item already cancelled, a carton already on a pallet)."""
    wanted = str(identifier or "").strip()
    names_it = re.compile(rf"(?<![0-9A-Za-z]){re.escape(wanted)}(?![0-9A-Za-z])", re.I) \
        if wanted else None
    for error in errors:
        if not isinstance(error, dict):
            continue
        if error.get("code") in DUPLICATE_CODES:
            return True
        message = str(error.get("message") or "")
        if names_it and ALREADY_RE.search(message) and names_it.search(message):
            return True
    return False
