"""INVOIC (EANCOM D96A, ``INVOIC:D:96A:UN:EAN008``): our invoice or credit note <-> one element
of Vendor Invoices v1 submitInvoices' ``invoices``.

Layout written and read::

    BGM+380 (Invoice) | 381 (CreditNote)+<id>+9
    DTM+137 date
    RFF+ACE:<referenceNumber>
    NAD+SU remitToParty, NAD+SF shipFromParty, NAD+DP shipToParty, NAD+IV billToParty
        (each with RFF+VA|FC tax registrations)
    CUX+2:<currency>:4
    PAT+1+:::<type>+5:3:D:<netDueDays>   PAT+22++5:3:D:<discountDueDays> PCD+12:<discountPercent>
    ALC+C|A++++<code>:::<type>:<description>  MOA+8 amount  (TAX, MOA+124/125)   header
    LIN+<itemSequenceNumber>  PIA+5 ASIN:BP / vendor id:SA
        QTY+47 invoiced, QTY+59 unit size, MOA+203 line amount (written, derived on reading)
        PRI+AAA netCost, RFF+ON purchaseOrderNumber, RFF+IV referenceInvoiceNumber
        TAX+7+<type>+++:::<rate>+S|Z  MOA+124 tax  MOA+125 taxable, line ALC groups
    UNS+S  CNT+2:<lines>  MOA+77 invoiceTotal  TAX/MOA summary (taxDetails)

Sources: EANCOM 1997 INVOIC (BGM 380/381, DTM 137, NAD SU/BY/DP/IV with RFF+VA, CUX+2::4,
PAT with C112 5:3:D, ALC + MOA+8, LIN/QTY+47/MOA+203/PRI+AAA, RFF+ON/IV, TAX+7 + MOA+124/125,
UNS, CNT, MOA+77); Zynk "Amazon Vendor Central (Legacy)" and Xentral's Amazon Vendor module
confirm Amazon EU takes INVOIC D96A. Not confirmed against Amazon's guide: RFF+ACE for the
referenceNumber, the payment terms type in PAT 4276, the ALC special service codes (Amazon's
type is also kept in 7160), 5153 OTH for tax types longer than 3 letters, RFF+FC for GST,
NAD+SF.

Not carried: additionalDetails, hsnCode, netCostUnitOfMeasure, totalWeight, creditNoteDetails
other than referenceInvoiceNumber, address county/district; the invoice has one currency (CUX),
every amount in another currency is refused.
"""
from decimal import Decimal

from ..envelope import EdiError
from .common import (
    PartyReader,
    alc_segments,
    apply_unit_size,
    check_cnt,
    dtm,
    first,
    moa,
    money,
    nad,
    pia,
    qty,
    read_dtm,
    read_pia,
    read_qty,
    read_tax,
    split_lines,
    tax_segments,
    unit_size_segment,
)
from .envelope import amount_text, integer_text, limited

IDENTIFIER = ("INVOIC", "D", "96A", "UN", "EAN008")
ACCEPTED = [("D", "96A", "UN", "EAN*"), ("D", "96A", "UN", "")]
TYPES = {"Invoice": "380", "CreditNote": "381"}
PARTIES = (("remitToParty", "SU"), ("shipFromParty", "SF"), ("shipToParty", "DP"),
           ("billToParty", "IV"))


def build(invoice):
    if not isinstance(invoice, dict):
        raise EdiError("the invoice is not an object", segment="BGM")
    kind = invoice.get("invoiceType")
    if kind not in TYPES:
        raise EdiError(f"invoiceType {kind!r} is not Invoice or CreditNote", segment="BGM",
                       element=1)
    if not invoice.get("id"):
        raise EdiError("id is missing", segment="BGM", element=2, code="13")
    total = invoice.get("invoiceTotal")
    if not total:
        raise EdiError("invoiceTotal is missing", segment="MOA", code="13")
    currency = total.get("currencyCode")
    if not currency:
        raise EdiError("invoiceTotal currencyCode is missing", segment="CUX", code="13")

    def same_currency(value):
        if isinstance(value, dict) and value.get("currencyCode") not in (None, currency):
            raise EdiError(f"amount in {value.get('currencyCode')} on an invoice in "
                           f"{currency}: EDIFACT carries one currency (CUX)", segment="CUX",
                           code="16")

    body = [("BGM", [TYPES[kind], limited(invoice["id"], 35, "id", "BGM", 2), "9"])]
    if not invoice.get("date"):
        raise EdiError("date is missing", segment="DTM", code="13")
    body.append(dtm("137", invoice["date"], "date"))
    if invoice.get("referenceNumber"):
        body.append(("RFF", [["ACE", limited(invoice["referenceNumber"], 35,
                                             "referenceNumber", "RFF", 1)]]))
    for key, qualifier in PARTIES:
        if invoice.get(key):
            body.extend(nad(qualifier, invoice[key], "postalOrZipCode",
                            "taxRegistrationDetails"))
    body.append(("CUX", [["2", limited(currency, 3, "currencyCode", "CUX", 1), "4"]]))
    terms = invoice.get("paymentTerms")
    if terms:
        body.append(("PAT", ["1", ["", "", "", limited(terms.get("type") or "", 35, "type",
                                                       "PAT", 2)],
                             ["5", "3", "D", integer_text(terms["netDueDays"], "netDueDays",
                                                          "PAT", 3)]
                             if terms.get("netDueDays") is not None else ""]))
        if terms.get("discountPercent") is not None or terms.get("discountDueDays") is not None:
            days = terms.get("discountDueDays")
            body.append(("PAT", ["22", "", ["5", "3", "D", integer_text(
                days, "discountDueDays", "PAT", 3)] if days is not None else ""]))
            if terms.get("discountPercent") is not None:
                body.append(("PCD", [["12", amount_text(terms["discountPercent"],
                                                        "discountPercent", "PCD", 1)]]))
    for detail in invoice.get("chargeDetails") or []:
        body.extend(alc_segments(detail, True, same_currency))
    for detail in invoice.get("allowanceDetails") or []:
        body.extend(alc_segments(detail, False, same_currency))
    items = invoice.get("items") or []
    for item in items:
        body.extend(_line(item, same_currency))
    body.append(("UNS", ["S"]))
    body.append(("CNT", [["2", len(items)]]))
    same_currency(total)
    body.append(moa("77", total, "invoiceTotal"))
    for detail in invoice.get("taxDetails") or []:
        body.extend(tax_segments(detail, same_currency))
    return body


def _line(item, same_currency):
    sequence = item.get("itemSequenceNumber")
    if sequence in (None, ""):
        raise EdiError("itemSequenceNumber is missing", segment="LIN", element=1, code="13")
    sequence = integer_text(sequence, "itemSequenceNumber", "LIN", 1)
    out = [("LIN", [sequence])]
    out.extend(pia(item))
    quantity = item.get("invoicedQuantity")
    if quantity is None:
        raise EdiError(f"item {sequence}: invoicedQuantity is missing", segment="QTY",
                       code="13")
    out.append(qty("47", quantity, f"item {sequence} invoicedQuantity"))
    out.extend(unit_size_segment([quantity]))
    cost = item.get("netCost")
    if not cost:
        raise EdiError(f"item {sequence}: netCost is missing", segment="PRI", code="13")
    same_currency(cost)
    price = amount_text(cost.get("amount"), f"item {sequence} netCost", "PRI", 1)
    units = Decimal(str(quantity.get("amount")))
    if quantity.get("unitOfMeasure") == "Cases":
        units *= Decimal(str(quantity.get("unitSize") or 1))
    out.append(("MOA", [["203", format(units * Decimal(price), "f")]]))
    out.append(("PRI", [["AAA", price]]))
    if item.get("purchaseOrderNumber"):
        out.append(("RFF", [["ON", limited(item["purchaseOrderNumber"], 35,
                                           "purchaseOrderNumber", "RFF", 1)]]))
    credit = item.get("creditNoteDetails") or {}
    if credit.get("referenceInvoiceNumber"):
        out.append(("RFF", [["IV", limited(credit["referenceInvoiceNumber"], 35,
                                           "referenceInvoiceNumber", "RFF", 1)]]))
    for detail in item.get("taxDetails") or []:
        out.extend(tax_segments(detail, same_currency))
    for detail in item.get("chargeDetails") or []:
        out.extend(alc_segments(detail, True, same_currency))
    for detail in item.get("allowanceDetails") or []:
        out.extend(alc_segments(detail, False, same_currency))
    return out


class _Amounts:
    """Reads ALC / TAX groups and their MOA into charge, allowance and tax lists."""

    def __init__(self, target, currency):
        self.target = target
        self.currency = currency
        self.current = None  # (kind, detail)

    def feed(self, seg):
        if seg.tag == "ALC":
            charge = seg.text(1) == "C"
            if seg.text(1) not in ("C", "A"):
                raise seg.error(f"ALC01 {seg.text(1)!r} is not C or A", 1, code="14")
            detail = {"type": seg.text(5, 4) or seg.required(5, 1, "charge type")}
            if seg.text(5, 5):
                detail["description"] = seg.text(5, 5)
            key = "chargeDetails" if charge else "allowanceDetails"
            self.target.setdefault(key, []).append(detail)
            self.current = ("alc", detail, charge)
            return True
        if seg.tag == "TAX":
            detail = read_tax(seg)
            if self.current and self.current[0] == "alc":
                self.current[1].setdefault("taxDetails", []).append(detail)
                self.current = ("tax", detail, self.current)
            elif self.current and self.current[0] == "tax" and self.current[2]:
                self.current[2][1].setdefault("taxDetails", []).append(detail)
                self.current = ("tax", detail, self.current[2])
            else:
                self.target.setdefault("taxDetails", []).append(detail)
                self.current = ("tax", detail, None)
            return True
        if seg.tag == "MOA" and self.current:
            qualifier = seg.text(1, 1)
            value = money(seg.number(1, 2, "amount"), self.currency)
            if self.current[0] == "alc" and qualifier == "8":
                key = "chargeAmount" if self.current[2] else "allowanceAmount"
                self.current[1][key] = value
                return True
            if self.current[0] == "tax" and qualifier in ("124", "125"):
                self.current[1]["taxAmount" if qualifier == "124" else "taxableAmount"] = value
                return True
        return False


def parse(segs):
    header, lines, summary = split_lines(segs)
    bgm = first(header, "BGM", required=True, what="beginning of message")
    kinds = {v: k for k, v in TYPES.items()}
    if bgm.text(1, 1) not in kinds:
        raise bgm.error(f"document code {bgm.text(1, 1)!r} is not an invoice (380) or credit "
                        "note (381)", 1, code="14")
    invoice = {"invoiceType": kinds[bgm.text(1, 1)], "id": bgm.required(2, 1, "invoice number")}
    cux = first(header, "CUX", required=True, what="the invoice currency")
    currency = cux.required(1, 2, "currency")
    parties = PartyReader("postalOrZipCode", "taxRegistrationDetails")
    amounts = _Amounts(invoice, currency)
    terms = None
    for seg in header:
        if seg.tag == "DTM":
            qualifier, value = read_dtm(seg)
            if qualifier == "137":
                invoice["date"] = value
        elif seg.tag == "RFF":
            if not parties.rff(seg) and seg.text(1, 1) == "ACE":
                invoice["referenceNumber"] = seg.required(1, 2, "reference number")
        elif seg.tag == "NAD":
            parties.nad(seg)
        elif seg.tag == "COM":
            parties.com(seg)
        elif seg.tag == "CUX":
            parties.end()
        elif seg.tag == "PAT":
            terms = invoice.setdefault("paymentTerms", {})
            days = seg.integer(3, 4, "days") if seg.text(3, 4) else None
            if seg.text(1) == "1":
                if seg.text(2, 4):
                    terms["type"] = seg.text(2, 4)
                if days is not None:
                    terms["netDueDays"] = days
            elif seg.text(1) == "22" and days is not None:
                terms["discountDueDays"] = days
        elif seg.tag == "PCD" and seg.text(1, 1) == "12" and terms is not None:
            terms["discountPercent"] = seg.number(1, 2, "discount percent")
        else:
            amounts.feed(seg)
    if "date" not in invoice:
        raise EdiError("the invoice date (DTM+137) is missing", segment="DTM", code="13")
    for key, qualifier in PARTIES:
        if qualifier in parties.parties:
            invoice[key] = parties.parties[qualifier]
    if "remitToParty" not in invoice:
        raise EdiError("the supplier / remit-to party (NAD+SU) is missing", segment="NAD",
                       code="13")
    invoice["items"] = [_read_line(line, currency) for line in lines]
    if not lines:
        invoice.pop("items")
    check_cnt(summary, len(lines))
    summary_amounts = _Amounts(invoice, currency)
    for seg in summary:
        if seg.tag == "MOA" and seg.text(1, 1) == "77":
            invoice["invoiceTotal"] = money(seg.number(1, 2, "invoice total"), currency)
            summary_amounts.current = None
        elif seg.tag in ("TAX", "MOA"):
            summary_amounts.feed(seg)
    if "invoiceTotal" not in invoice:
        raise EdiError("the invoice total (MOA+77) is missing", segment="MOA", code="13")
    return invoice


def _read_line(segs, currency):
    lin = segs[0]
    number = lin.required(1, 1, "line number")
    item = {"itemSequenceNumber": int(number) if number.isdigit() else number}
    size = None
    amounts = _Amounts(item, currency)
    for seg in segs[1:]:
        if seg.tag == "PIA":
            read_pia(seg, item)
        elif seg.tag == "QTY":
            qualifier, quantity = read_qty(seg)
            if qualifier == "47":
                item["invoicedQuantity"] = quantity
            elif qualifier == "59":
                size = quantity["amount"]
        elif seg.tag == "PRI" and seg.text(1, 1) == "AAA":
            item["netCost"] = money(seg.number(1, 2, "net cost"), currency)
        elif seg.tag == "RFF" and seg.text(1, 1) == "ON":
            item["purchaseOrderNumber"] = seg.required(1, 2, "purchase order number")
        elif seg.tag == "RFF" and seg.text(1, 1) == "IV":
            item.setdefault("creditNoteDetails", {})["referenceInvoiceNumber"] = seg.required(
                1, 2, "referenced invoice number")
        elif seg.tag == "MOA" and seg.text(1, 1) == "203":
            seg.number(1, 2, "line amount")  # derived from quantity x net cost
        else:
            amounts.feed(seg)
    if "invoicedQuantity" not in item:
        raise lin.error(f"line {number}: the invoiced quantity (QTY+47) is missing",
                        code="13")
    if "netCost" not in item:
        raise lin.error(f"line {number}: the net cost (PRI+AAA) is missing", code="13")
    apply_unit_size([item["invoicedQuantity"]], size)
    return item
