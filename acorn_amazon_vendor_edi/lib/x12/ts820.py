"""820 Payment Order/Remittance Advice (X12 004010, group RA) -> the core's neutral
``Remittance`` (acorn_amazon_vendor/lib/mapping/remittance.py), and back for the simulator.

Source: the X12 004010 820 standard; Amazon's Vendor Central remittance is documented in its
Finance Remittance API (lines: invoice amount, amount paid, terms discount taken, Amazon's own
debits as negative lines). Amazon's 820 guide could not be found in public sources, so this
mapping is the standard's, unconfirmed against Amazon's own 820:

  BPR  C (payment with remittance) * amount * C (credit) * ACH / CHK / FWT (method) * ... *
       BPR16 payment date
  TRN  1 * payment number (also the remittance's unique payment id)
  CUR  PR * currency (USD when absent)
  N1   PR payer (Amazon) / PE payee (92 vendor code -> vendor_codes)
  ENT  1
  ADX  amount * reason code * * reference (ENT level: Amazon's own debit not tied to an
       invoice -> its own negative line, reference as invoice number)
  RMR  IV * invoice number * * amount paid * invoice amount * discount taken
  NTE  description;  DTM 003 invoice date;  ADX under an RMR: an adjustment already inside
       RMR04, named in the line's description (never counted twice)

Other segments the standard allows (NTE, REF, DTM in the heading; N2-N4, PER in a party;
the NM1 loop under ENT; REF, IT1, TXI... in an RMR loop) are read past in any order; notes
after Amazon's own debit (ENT-level ADX) go into its description; an RMR's invoice date is its
first DTM*003 before its ADX / IT1 loops (theirs are not the invoice's).

Not carried: status (read as SUCCESSFUL), exchange rate, invoice currency, payee codes,
country, withholding, tax amount, invoice type, payment terms, line vendor codes.
"""
import dataclasses
import datetime
from decimal import Decimal

from ..envelope import EdiError
from . import common as c
from .interchange import require

METHODS = {"ACH": "ACH", "CHK": "Check", "FWT": "Wire"}
METHODS_BACK = {v: k for k, v in METHODS.items()}


def _remittance_classes():
    # The core addon's neutral structures; imported when used so the codec stays importable
    # on its own (the core addon's package pulls in Odoo).
    from odoo.addons.acorn_amazon_vendor.lib.mapping.remittance import (
        Remittance,
        RemittanceLine,
    )
    return Remittance, RemittanceLine


def _money(value, field, tag):
    return c.amount(str(value), field, tag)


def write_body(remittance):
    if remittance.invoice_currency and remittance.invoice_currency != remittance.currency:
        raise c.fail(f"paid in {remittance.currency} for invoices in "
                     f"{remittance.invoice_currency}: this 820 carries one currency", "CUR", 2)
    method = METHODS_BACK.get(remittance.method, remittance.method or "ACH")
    if method not in METHODS:
        raise c.fail(f"payment method {remittance.method!r} is not ACH, Check or Wire", "BPR", 4)
    body = [("BPR", ["C", _money(remittance.amount, "amount", "BPR"), "C", method,
                     *([None] * 11), remittance.payment_date.strftime("%Y%m%d")]),
            ("TRN", ["1", remittance.payment_number or remittance.unique_payment_id]),
            ("CUR", ["PR", remittance.currency])]
    if remittance.unique_payment_id != (remittance.payment_number
                                        or remittance.unique_payment_id):
        body.append(("REF", ["ZZ", remittance.unique_payment_id, "UniquePaymentId"]))
    body.append(("N1", ["PR", "Amazon", None, None]))
    for code in remittance.vendor_codes:
        body.append(("N1", ["PE", None, "92", code]))
    body.append(("ENT", ["1"]))
    for index, line in enumerate(remittance.lines):
        if line.currency and line.currency != remittance.lines_currency:
            raise c.fail(f"lines[{index}] is in {line.currency}, the remittance in "
                         f"{remittance.lines_currency}", "RMR", 4)
        body.append(("RMR", ["IV", line.invoice_number, None,
                             _money(line.amount_paid, f"lines[{index}].amount_paid", "RMR"),
                             _money(line.invoice_amount, f"lines[{index}].invoice_amount",
                                    "RMR"),
                             _money(line.discount, f"lines[{index}].discount", "RMR")
                             if line.discount else None]))
        if line.description:
            body.append(("NTE", [None, line.description]))
        if line.invoice_date:
            body.append(("DTM", ["003", line.invoice_date.strftime("%Y%m%d")]))
    return body


# Segments the 820 standard allows where they carry nothing the remittance needs: read past
# (Amazon's own 820 guide is not public: a file using more of the standard still reads).
HEADING_SKIPPED = {"NTE", "REF", "DTM"}
PARTY_SKIPPED = {"N2", "N3", "N4", "REF", "PER", "RDM", "DTM"}
ENTITY_SKIPPED = {"NM1", "N2", "N3", "N4", "REF", "PER", "RDM", "DTM"}
LINE_SKIPPED = {"REF", "PER", "IT1", "TXI", "SAC", "SLN"}


def _rmr_line(RemittanceLine, rmr, extras, currency):
    """One RMR and the segments of its loop -> a RemittanceLine (an ADX inside the loop is
    already in RMR04: named in the description, never counted again)."""
    require(rmr, 1, "RMR01 reference qualifier", {"IV", "CM", "PO", "R7"})
    paid = Decimal(c.read_amount(rmr, 4, "RMR04 amount paid"))
    invoice_amount = c.read_amount(rmr, 5, "RMR05 invoice amount", required=False)
    discount = c.read_amount(rmr, 6, "RMR06 discount", required=False)
    notes, invoice_date, in_loop = [], None, False
    for segment in extras:
        in_loop = in_loop or segment.tag in ("ADX", "IT1")  # their DTMs are not the RMR's
        if segment.tag == "NTE" and segment[2]:
            notes.append(segment[2])
        elif segment.tag == "DTM" and segment[1] == "003" and not in_loop \
                and invoice_date is None:
            invoice_date = datetime.date.fromisoformat(c.iso_from(segment, 2)[:10])
        elif segment.tag == "ADX":
            notes.append(f"adjustment {c.read_amount(segment, 1, 'ADX01 amount')} "
                         f"(reason {segment[2] or '?'})")
    return RemittanceLine(
        invoice_number=require(rmr, 2, "RMR02 invoice number"), currency=currency,
        invoice_amount=Decimal(invoice_amount) if invoice_amount is not None else paid,
        amount_paid=paid, discount=abs(Decimal(discount)) if discount is not None else Decimal(0),
        invoice_date=invoice_date, description="; ".join(notes))


def read_body(body):
    Remittance, RemittanceLine = _remittance_classes()
    bpr = body.take("BPR")
    require(bpr, 1, "BPR01 transaction handling", {"C", "I", "D", "X"})
    amount = Decimal(c.read_amount(bpr, 2, "BPR02 amount"))
    require(bpr, 3, "BPR03 credit/debit flag", {"C", "D"})
    method = METHODS.get(require(bpr, 4, "BPR04 payment method", set(METHODS) | {"BOP", "NON"}),
                         bpr[4])
    payment_date = datetime.date.fromisoformat(c.iso_from(bpr, 16)[:10])
    body.take_all("NTE")
    trn = body.take("TRN")
    number = require(trn, 2, "TRN02 payment number")
    currency, refs = "USD", []
    while (segment := body.peek("CUR", *HEADING_SKIPPED)) is not None:
        body.index += 1
        if segment.tag == "CUR":
            currency = require(segment, 2, "CUR02 currency")
        elif segment.tag == "REF":
            refs.append(segment)
    unique = c.read_labelled(refs, "UniquePaymentId") or number
    vendor_codes = []
    while (n1 := body.take("N1", required=False)) is not None:
        while body.peek(*PARTY_SKIPPED):
            body.index += 1
        if n1[1] == "PE" and n1[4]:
            vendor_codes.append(n1[4])
    lines = []
    while body.take("ENT", required=False) is not None:
        # ("ADX", Amazon's own debit, its notes) before the first RMR; ("RMR", rmr, its loop)
        groups = []
        while (segment := body.peek("ADX", "RMR", "NTE", *ENTITY_SKIPPED,
                                    *LINE_SKIPPED)) is not None:
            body.index += 1
            if segment.tag == "RMR" or (segment.tag == "ADX" and not any(
                    g[0] == "RMR" for g in groups)):
                groups.append((segment.tag, segment, []))
            elif groups:
                groups[-1][2].append(segment)
        for kind, segment, extras in groups:
            if kind == "RMR":
                lines.append(_rmr_line(RemittanceLine, segment, extras, currency))
                continue
            value = Decimal(c.read_amount(segment, 1, "ADX01 adjustment amount"))
            notes = [f"adjustment {segment[2]}".strip()] + [
                e[2] for e in extras if e.tag == "NTE" and e[2]]
            lines.append(RemittanceLine(invoice_number=segment[4] or "", currency=currency,
                                        invoice_amount=value, amount_paid=value,
                                        description="; ".join(notes)))
    body.end()
    return Remittance(unique_payment_id=unique, payment_number=number,
                      payment_date=payment_date, amount=amount, currency=currency,
                      method=method, vendor_codes=tuple(vendor_codes), lines=tuple(lines),
                      source="edi", line_count=len(lines))


def as_written(remittance):
    """What a Remittance looks like after write + read: the fields the 820 carries."""
    _Remittance, RemittanceLine = _remittance_classes()
    return dataclasses.replace(
        remittance, status="SUCCESSFUL", invoice_currency="", amount_invoice_currency=None,
        exchange_rate=None, payee_codes=(), country="", source="edi",
        line_count=len(remittance.lines),
        payment_number=remittance.payment_number or remittance.unique_payment_id,
        method=remittance.method or "ACH",
        lines=tuple(RemittanceLine(
            invoice_number=line.invoice_number,
            currency=line.currency or remittance.lines_currency,
            invoice_amount=line.invoice_amount, amount_paid=line.amount_paid,
            discount=line.discount, invoice_date=line.invoice_date,
            description=line.description) for line in remittance.lines))


__all__ = ["EdiError", "as_written", "read_body", "write_body"]
