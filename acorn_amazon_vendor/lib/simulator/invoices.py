"""Vendor Invoices v1: submitInvoices and the rules an invoice or credit note must pass.

Where the rules come from: Amazon's Vendor Invoices model (vendorInvoices.json, quoted in the
comments), Amazon's "Vendor Retail Procurement APIs Use Case Guide" v1 (2021: "Business
Requirements" and "Country Specific Business Requirements" of the invoice section) and the
current "Submit credit notes" page of the SP-API documentation.
"""
import datetime
import re
from decimal import Decimal

from ..amazon_dates import iso, parse_date_time
from .catalogue import FULFILMENT_CENTRES, REGIONS
from .errors import rule_error
from .orders import check_net_cost, decimal_or_none
from .payments import record_invoice
from .purchase_orders import to_eaches
from .submissions import submit_documents

MODULE = "vendor_invoices_v1"
TOLERANCE = Decimal("0.01")
# Money's model pattern lets a decimal carry any exponent ("1E+99999"); added up with the
# default 28 digits such a total even "matches" its lines. No invoice is paid in amounts of
# that size: anything from 10^15 (or with more than 8 decimals) is refused.
MAX_AMOUNT = Decimal("1e15")
MAX_DECIMALS = 8
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
# The guide: the invoice date "Must be 'now' or before". Vendors date invoices in their own
# day; the largest time zone offset (UTC+14) is allowed for that, no more.
INVOICE_DATE_GRACE = datetime.timedelta(hours=14)
# "Submit credit notes": "Use the submitInvoices operation to submit credit notes in ES, IN,
# IE, ZA, BE, FR, EG, PL, NL, GB, DE, SE, SA, and IT marketplaces." (The 2021 guide: "Invoice
# type 'CreditNote' is not supported" in North America and India.)
CREDIT_NOTE_COUNTRIES = ("ES", "IN", "IE", "ZA", "BE", "FR", "EG", "PL", "NL", "GB", "DE", "SE",
                         "SA", "IT")


def submit_invoices(state, request):
    return submit_documents(state, request, MODULE, "SubmitInvoicesRequest", "invoices",
                            "invoice")


def _sum(entries, key):
    return sum((decimal_or_none(e[key].get("amount")) or Decimal(0) for e in entries or []),
               Decimal(0))


def _level_total(invoice, list_key, amount_key):
    """Invoice-level details when sent, else the sum of the item-level ones."""
    if invoice.get(list_key):
        return _sum(invoice[list_key], amount_key)
    return sum((_sum(item.get(list_key), amount_key) for item in invoice.get("items") or []),
               Decimal(0))


def _amounts(invoice):
    """Every Money of an invoice but its total, as (path, money)."""
    def taxes(prefix, entries):
        for i, tax in enumerate(entries or []):
            yield f"{prefix}[{i}].taxAmount", tax.get("taxAmount")
            if tax.get("taxableAmount") is not None:
                yield f"{prefix}[{i}].taxableAmount", tax["taxableAmount"]

    def details(prefix, entries, key):
        for i, entry in enumerate(entries or []):
            yield f"{prefix}[{i}].{key}", entry.get(key)
            yield from taxes(f"{prefix}[{i}].taxDetails", entry.get("taxDetails"))

    def level(prefix, node):
        yield from taxes(f"{prefix}taxDetails", node.get("taxDetails"))
        yield from details(f"{prefix}chargeDetails", node.get("chargeDetails"), "chargeAmount")
        yield from details(f"{prefix}allowanceDetails", node.get("allowanceDetails"),
                           "allowanceAmount")

    yield from level("", invoice)
    for i, item in enumerate(invoice.get("items") or []):
        yield f"items[{i}].netCost", item.get("netCost")
        yield from level(f"items[{i}].", item)


def _check_currency(errors, where, invoice):
    """invoiceTotal: "Total monetary amount charged in the invoice"; Money.currencyCode:
    "Three-digit currency code in ISO 4217 format." The model leaves currencyCode optional;
    an invoice total without its currency cannot be paid, and one invoice is in one currency
    (totals per currency, never across currencies). Returns the invoice currency or None."""
    currency = invoice["invoiceTotal"].get("currencyCode")
    if not currency:
        errors.append(rule_error("MissingCurrencyCode", f"{where}: invoiceTotal.currencyCode is "
                                 "required.", "Send the ISO 4217 code of the invoice currency, "
                                 "e.g. USD or EUR."))
        return None
    if not CURRENCY_RE.match(currency):
        errors.append(rule_error("InvalidCurrencyCode", f"{where}: invoiceTotal.currencyCode "
                                 f"{currency} is not an ISO 4217 code (three capital letters)."))
        return None
    for path, money in _amounts(invoice):
        code = (money or {}).get("currencyCode")
        if not code:
            errors.append(rule_error("MissingCurrencyCode", f"{where} {path}: currencyCode is "
                                     f"missing (the invoice is in {currency})."))
        elif code != currency:
            errors.append(rule_error("CurrencyMismatch", f"{where} {path}: {code} differs from "
                                     f"the invoice currency {currency}.",
                                     "All amounts of an invoice are in the invoice total's "
                                     "currency."))
    return currency


def _check_amounts(errors, where, invoice):
    """Every Money of the invoice (its total too) is an amount that can be paid."""
    for path, money in [("invoiceTotal", invoice["invoiceTotal"]), *_amounts(invoice)]:
        amount = decimal_or_none((money or {}).get("amount"))
        if amount is not None and (not amount.is_finite() or abs(amount) >= MAX_AMOUNT
                                   or -amount.as_tuple().exponent > MAX_DECIMALS):
            errors.append(rule_error(
                "InvalidAmount", f"{where} {path}: {money['amount']} is not an amount that can "
                "be invoiced.", f"Amounts are below {MAX_AMOUNT:.0E} with at most "
                f"{MAX_DECIMALS} decimals."))


def _check_credit_note(errors, where, invoice, known):
    """CreditNoteDetails: "References required in order to process a credit note. This
    information is required only if InvoiceType is CreditNote." Which reference is mandatory
    depends on the kind of credit note, which Amazon reads from the references given:
    referenceInvoiceNumber "Original Invoice Number when sending a credit note relating to an
    existing invoice. One Invoice only to be processed per Credit Note. This is mandatory for
    AP Credit Notes." (price and quantity corrections); returnsReferenceNumber "Mandatory for
    all Returns Credit Notes." and goodsReturnDate "mandatory for Returns Credit Note";
    coopReferenceNumber "Failure to provide the COOP reference number or the Debit Note
    number may lead to a rejection of the Credit Note." So each item must carry at least one
    of those references (none at all is an AP credit note without its invoice number), a
    return needs both its notice number and its date, and all items name one invoice."""
    number = invoice["id"]
    items = invoice.get("items") or []
    if not items:
        errors.append(rule_error("MissingItems", f"{where}: a credit note must list its items: "
                                 "its references (creditNoteDetails) are given per item."))
    invoices = set()
    for i, item in enumerate(items):
        l_where = f"{where} items[{i}]"
        details = item.get("creditNoteDetails")
        if not details:
            errors.append(rule_error("MissingCreditNoteDetails", f"{l_where}: creditNoteDetails "
                                     "is required on every item of a credit note."))
            continue
        reference = details.get("referenceInvoiceNumber")
        returns, returned = details.get("returnsReferenceNumber"), details.get("goodsReturnDate")
        if not (reference or returns or returned or details.get("coopReferenceNumber")
                or details.get("debitNoteNumber")):
            errors.append(rule_error(
                "MissingCreditNoteReference", f"{l_where}: creditNoteDetails names nothing to "
                "credit.", "An AP credit note (price or quantity correction) needs "
                "referenceInvoiceNumber; a returns credit note returnsReferenceNumber and "
                "goodsReturnDate; a COOP credit note coopReferenceNumber or debitNoteNumber."))
        if returns and not returned:
            errors.append(rule_error("MissingGoodsReturnDate", f"{l_where}: a returns credit "
                                     "note needs goodsReturnDate (when the goods came back)."))
        if returned and not returns:
            errors.append(rule_error("MissingReturnsReferenceNumber", f"{l_where}: a returns "
                                     "credit note needs returnsReferenceNumber (Amazon's "
                                     "returns notice number)."))
        if reference:
            invoices.add(reference)
    if len(invoices) > 1:
        errors.append(rule_error("MultipleReferenceInvoices", f"{where}: the items credit "
                                 f"invoices {', '.join(sorted(invoices))}; one credit note "
                                 "credits one invoice only."))
    for reference in sorted(invoices):
        if reference == number:
            errors.append(rule_error("InvalidReferenceInvoiceNumber", f"{where}: a credit note "
                                     "cannot reference itself."))
        elif known.get(reference) != "Invoice":
            errors.append(rule_error(
                "InvalidReferenceInvoiceNumber", f"{where}: referenceInvoiceNumber {reference} "
                "is not an invoice Amazon has accepted.", "Credit an invoice that Amazon "
                "accepted, with its number exactly as sent."))


def _vendor_countries(vendor_code):
    """Countries a vendor code ships to (its region's fulfilment centres)."""
    for region in REGIONS.values():
        if vendor_code in region["vendor_codes"]:
            return {FULFILMENT_CENTRES[c]["countryCode"] for c in region["centres"]}
    return set()


def invoice_rules(state, body, when, submitted=None):
    errors, seen, totals, recorded = [], {}, {}, {}
    vendor_codes = {po.vendor_code for po in state.order_list} | {
        code for region in REGIONS.values() for code in region["vendor_codes"]}
    for index, invoice in enumerate(body["invoices"]):
        number = invoice["id"]
        where = f"invoices[{index}] ({number})"
        # The guide: "Invoice numbers must be unique and they should never be reused (even
        # after one year)." A number whose invoice failed may be sent again, corrected.
        duplicate = number in state.invoices or number in seen
        if duplicate:
            errors.append(rule_error("DuplicateInvoiceNumber", f"{where}: invoice number "
                                     f"{number} was already submitted; invoice numbers must be "
                                     "unique and never reused.",
                                     "Every invoice and credit note needs its own number."))
        seen[number] = invoice["invoiceType"]
        is_invoice = invoice["invoiceType"] == "Invoice"
        items = invoice.get("items") or []
        if is_invoice and not items:
            errors.append(rule_error("MissingItems", f"{where}: an invoice must list the "
                                     "invoiced purchase order items."))
        currency = _check_currency(errors, where, invoice)
        _check_amounts(errors, where, invoice)
        invoice_date = parse_date_time(invoice["date"])
        if invoice_date and invoice_date > when + INVOICE_DATE_GRACE:
            errors.append(rule_error("InvalidInvoiceDate", f"{where}: the invoice date "
                                     f"{invoice['date']} is in the future (Amazon processed the "
                                     f"invoice at {iso(when)}).",
                                     "Date the invoice when it is issued, now or before."))
        lines, pos = Decimal(0), {}
        recorded[number] = kept = []
        for i, line in enumerate(items):
            l_where = f"{where} items[{i}]"
            quantity = line["invoicedQuantity"]
            po_number = line.get("purchaseOrderNumber")
            item = None
            # purchaseOrderNumber: "This value is mandatory only when invoiceType is Invoice,
            # and is not required when invoiceType is CreditNote."
            if not po_number:
                if is_invoice:
                    errors.append(rule_error("MissingPurchaseOrderNumber", f"{l_where}: "
                                             "purchaseOrderNumber is mandatory on invoices."))
            elif po_number not in state.orders:
                errors.append(rule_error("InvalidPurchaseOrderNumber", f"{l_where}: purchase "
                                         f"order {po_number} does not exist."))
            else:
                po = state.orders[po_number]
                pos[po_number] = po
                asin, sku = line.get("amazonProductIdentifier"), line.get("vendorProductIdentifier")
                item = po.item(None, asin, sku) if asin or sku else None
                if item is None:
                    errors.append(rule_error("InvalidItem", f"{l_where}: no item "
                                             f"{asin or sku or '(no identifier)'} on purchase "
                                             f"order {po_number}."))
                else:
                    check_net_cost(errors, l_where, line["netCost"], item)
                    if is_invoice and not duplicate:  # a duplicate bills nothing more
                        key = (po_number, item.seq)
                        totals[key] = totals.get(key, 0) + to_eaches(quantity, item.unit_size)
            if quantity["amount"] <= 0:
                errors.append(rule_error("InvalidQuantity", f"{l_where}: invoicedQuantity must "
                                         "be greater than zero."))
            cost = decimal_or_none(line["netCost"].get("amount"))
            if cost is not None:
                eaches = to_eaches(quantity, item.unit_size if item else 1)
                lines += cost * eaches
                kept.append((po_number, item, eaches, cost))
        for po_number, po in sorted(pos.items()):
            # date: "The invoice date should be on or after the purchase order creation
            # date."
            if invoice_date and invoice_date < po.created:
                errors.append(rule_error("InvalidInvoiceDate", f"{where}: the invoice date is "
                                         f"before the purchase order date of {po_number}."))
            if currency and po.currency and po.currency != currency:
                errors.append(rule_error("CurrencyMismatch", f"{where}: purchase order "
                                         f"{po_number} is in {po.currency}, the invoice in "
                                         f"{currency}."))
        # remitToParty: "Name, address and tax details of the party receiving the payment of
        # this invoice." The guide: "The party who supplies goods to Amazon and will get the
        # payment": the vendor code the purchase orders were placed with.
        remit = invoice["remitToParty"].get("partyId")
        for code in sorted({po.vendor_code for po in pos.values()} - {remit}):
            numbers = sorted(n for n, po in pos.items() if po.vendor_code == code)
            errors.append(rule_error(
                "InvalidRemitToParty", f"{where}: remitToParty {remit} is not the vendor code "
                f"{code} that purchase order {', '.join(numbers)} was placed with.",
                "Invoice each vendor code's purchase orders under that vendor code."))
        if not pos and remit not in vendor_codes:
            errors.append(rule_error("InvalidRemitToParty", f"{where}: remitToParty {remit} is "
                                     "not a vendor code of this selling partner."))
        if not is_invoice:
            _check_credit_note(errors, where, invoice, dict(
                {n: v["type"] for n, v in state.invoices.items()},
                **{n: t for n, t in seen.items() if n != number}))
            countries = {FULFILMENT_CENTRES.get(po.ship_to, {}).get("countryCode")
                         for po in pos.values()} - {None} or _vendor_countries(remit)
            refused = sorted(c for c in countries if c not in CREDIT_NOTE_COUNTRIES)
            if refused:
                errors.append(rule_error(
                    "CreditNoteNotSupported", f"{where}: Amazon does not accept credit notes "
                    f"through the API for {', '.join(refused)}.", "Credit notes are accepted in "
                    f"{', '.join(CREDIT_NOTE_COUNTRIES)}; elsewhere settle the credit in "
                    "Vendor Central."))
        total = decimal_or_none(invoice["invoiceTotal"].get("amount"))
        # The guide: "No invoice with total amount = 0 should be sent, as this would cause the
        # invoice to fail."
        if total is not None and total == 0:
            errors.append(rule_error("ZeroInvoiceTotal", f"{where}: the total is zero; Amazon "
                                     "refuses invoices and credit notes of zero."))
        if items:
            # invoiceTotal: "the total amount of invoice (including charges, less allowances)
            # before terms discount"
            expected = (lines + _level_total(invoice, "taxDetails", "taxAmount")
                        + _level_total(invoice, "chargeDetails", "chargeAmount")
                        - _level_total(invoice, "allowanceDetails", "allowanceAmount"))
            if total is None or abs(total - expected) > TOLERANCE:
                given = invoice["invoiceTotal"].get("amount")
                errors.append(rule_error(
                    "InvoiceTotalMismatch", f"{where}: invoiceTotal {given} does not add up: "
                    f"items {lines} + taxes + charges - allowances = {expected}.",
                    "invoiceTotal is the sum of the items' net cost x quantity plus taxes and "
                    "charges, less allowances."))
    # The guide: "Items should be invoiced only after they are confirmed and shipped to
    # Amazon. Otherwise the invoice will be rejected." So an invoice may bill what ASNs
    # confirmed as shipped (or what the control API received without an API ASN) and accepted
    # invoices have not billed yet. Units shipped but not received are no reason to refuse:
    # Amazon pays the invoice and raises a shortage claim (PQV) for them at payment (see
    # payments.py).
    for (po_number, seq), eaches in sorted(totals.items()):
        item = state.orders[po_number].item(seq)
        billed = item.invoiced + eaches
        if billed > item.shipped:
            errors.append(rule_error(
                "InvoicedQuantityExceedsShipped", f"purchase order {po_number} item {seq}: "
                f"{billed} eaches invoiced in all, {item.shipped} shipped (confirmed by ASNs).",
                "Invoice only what was confirmed and shipped, once."))
    if errors:
        return errors
    for invoice in body["invoices"]:
        record_invoice(state, invoice, recorded.get(invoice["id"], []), when)
    for (po_number, seq), eaches in totals.items():
        state.orders[po_number].item(seq).invoiced += eaches
    return []
