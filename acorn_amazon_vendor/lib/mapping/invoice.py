"""Neutral invoices and credit notes -> Amazon SubmitInvoicesRequest (Vendor Invoices v1).

Money is Decimal end to end. Amounts sent to Amazon are strings at the currency's precision
(2 decimals, JPY 0, ... ROUND_HALF_UP); ``netCost`` keeps the purchase order's own precision
because Amazon compares it with the PO cost exactly.

Totals follow Amazon's definition of ``invoiceTotal``: the items' net cost x quantity (in
eaches) plus taxes and charges, less allowances, before any terms discount. Invoice-level
tax/charge/allowance details are the totals "for all line items"; when they are absent, the
lines' own details are summed instead (what Amazon reads).

Sign convention for credit notes: Amazon reads the direction from ``invoiceType`` alone. The
model requires ``invoicedQuantity`` "greater than zero", ``netCost`` "not zero or negative" and
``invoiceTotal`` as the "full value of credit note", so a credit note carries the same positive
amounts as an invoice. Nothing here is ever negated: the caller passes absolute values (an Odoo
``out_refund`` already stores positive amounts).
"""
import dataclasses
import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from .. import amazon_schema
from ..amazon_dates import iso, to_utc
from . import purchase_order

MODULE = "vendor_invoices_v1"
INVOICE_TYPES = ("Invoice", "CreditNote")
UNITS = ("Eaches", "Cases")
# ISO 4217 minor units where they are not 2 (Amazon's marketplaces: JPY is the one that matters).
CURRENCY_DECIMALS = {"JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "VND": 0,
                     "BHD": 3, "JOD": 3, "KWD": 3, "OMR": 3, "TND": 3}
# The model: "purchaseOrderNumber ... 8-character alpha-numeric code".
PO_NUMBER_RE = re.compile(r"^[A-Za-z0-9]{8}$")
# An invoice dated in the future is a mistake (Amazon: the date "must be 'now' or before");
# a few hours absorb clocks and the time zones of date-only invoices.
FUTURE_GRACE = datetime.timedelta(hours=12)
# Amazon's "Submit credit notes" lists the countries whose fulfilment centres take credit notes
# through the API; elsewhere (the US among them) credits are settled in Vendor Central.
CREDIT_NOTE_COUNTRIES = ("BE", "DE", "EG", "ES", "FR", "GB", "IE", "IN", "IT", "NL", "PL", "SA",
                         "SE", "ZA")


class InvoiceError(ValueError):
    """The invoice cannot be sent as it is; ``problems`` lists every reason in plain words."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclasses.dataclass(frozen=True)
class Party(purchase_order.Party):
    """A party of the purchase order, with the tax registration invoices carry."""
    tax_registration: str = ""
    tax_registration_type: str = "VAT"  # model enum: VAT, GST


@dataclasses.dataclass(frozen=True)
class Tax:
    tax_type: str  # model enum: VAT, GST, MwSt., TVA, CGST, SGST, IGST, PST, ST, Consumption...
    rate_percent: Decimal | None  # 19 for 19 %
    taxable_amount: Decimal | None
    tax_amount: Decimal

    @classmethod
    def compute(cls, tax_type, rate_percent, taxable_amount, currency="", decimals=None):
        """The tax on ``taxable_amount``, rounded half up at the currency's precision."""
        if isinstance(rate_percent, float) or isinstance(taxable_amount, float):
            raise TypeError("money and rates are Decimal (or int / str), never float")
        rate, taxable = Decimal(rate_percent), Decimal(taxable_amount)
        amount = _round(taxable * rate / 100, currency_decimals(currency, decimals))
        return cls(tax_type, rate, taxable, amount)


@dataclasses.dataclass(frozen=True)
class Charge:
    charge_type: str  # model enum: Freight, Packing, Duty, Service, SmallOrder, ...
    amount: Decimal
    description: str = ""
    taxes: tuple = ()


@dataclasses.dataclass(frozen=True)
class Allowance:
    allowance_type: str  # model enum: Discount, DiscountIncentive, Defective, Promotional, ...
    amount: Decimal
    description: str = ""
    taxes: tuple = ()


@dataclasses.dataclass(frozen=True)
class CreditNoteDetails:
    """Amazon's CreditNoteDetails (sent on every item of a credit note, where the model has it).

    AP credit notes (price/quantity corrections) need ``reference_invoice_number``; returns
    need ``returns_reference_number`` and ``goods_return_date``; COOP credit notes need
    ``coop_reference_number`` or ``debit_note_number``.
    """
    reference_invoice_number: str = ""
    debit_note_number: str = ""
    returns_reference_number: str = ""
    goods_return_date: datetime.datetime | None = None
    rma_id: str = ""
    coop_reference_number: str = ""
    consignors_reference_number: str = ""


@dataclasses.dataclass(frozen=True)
class InvoiceLine:
    item_sequence: int  # the invoice's own line number (unique in the invoice)
    po_number: str
    asin: str
    vendor_sku: str
    quantity: int  # in unit_of_measure
    unit_of_measure: str  # Eaches | Cases
    unit_size: int
    net_cost: Decimal  # per each, VAT excluded, as on the PO
    taxes: tuple = ()
    charges: tuple = ()
    allowances: tuple = ()
    # The PO's itemSequenceNumber, to look the line up in the PO/ASN maps (several POs on one
    # invoice cannot share the invoice's numbering); defaults to item_sequence.
    po_item_sequence: str = ""
    hsn_code: str = ""

    @property
    def eaches(self):
        return self.quantity * self.unit_size if self.unit_of_measure == "Cases" else self.quantity

    @property
    def net_amount(self):
        return self.eaches * self.net_cost

    @property
    def key(self):
        return _key(self.po_number, self.po_item_sequence or self.item_sequence)


@dataclasses.dataclass(frozen=True)
class Invoice:
    number: str
    invoice_type: str  # Invoice | CreditNote
    date: datetime.datetime | None  # naive = UTC; None = the time of building
    currency: str
    remit_to: Party
    bill_to: Party | None = None
    ship_from: Party | None = None
    ship_to: Party | None = None
    lines: tuple = ()
    payment_terms: dict | None = None  # {type, discount_percent, discount_due_days, net_due_days}
    taxes: tuple = ()
    charges: tuple = ()
    allowances: tuple = ()
    reference_invoice_number: str = ""  # credit notes: the invoice being credited
    credit_note: CreditNoteDetails | None = None  # returns / COOP references
    reference_number: str = ""  # Amazon's referenceNumber (regulatory reference)
    additional_details: tuple = ()  # (type SUR|OCR|CartonCount, detail[, language code])
    po_dates: dict = dataclasses.field(default_factory=dict)  # po number -> PO creation date

    @property
    def credit_note_details(self):
        details = self.credit_note or CreditNoteDetails()
        if self.reference_invoice_number and not details.reference_invoice_number:
            details = dataclasses.replace(
                details, reference_invoice_number=self.reference_invoice_number)
        return details


# -- helpers ---------------------------------------------------------------------------------
def currency_decimals(currency, decimals=None):
    """Digits after the point for ``currency``; ``decimals`` (int or {currency: int}) wins."""
    if isinstance(decimals, int):
        return decimals
    if decimals and currency in decimals:
        return decimals[currency]
    return CURRENCY_DECIMALS.get(currency, 2)


def _round(amount, decimals):
    return Decimal(amount).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _text(amount):
    return format(amount, "f")  # never exponent notation (Decimal("1E+2") -> "100")


def _key(po_number, seq):
    # Amazon writes item sequences as "1" or "00001": compare them without leading zeros.
    return (po_number or "", str(seq).lstrip("0") or "0")


def _level(invoice_entries, line_entries, amount):
    """Invoice-level details when given, else the lines' (Amazon's reading of the total)."""
    entries = invoice_entries if invoice_entries else line_entries
    return sum((amount(e) for e in entries), Decimal(0))


def _line_entries(invoice, attr):
    return [e for line in invoice.lines for e in getattr(line, attr)]


def invoice_total(invoice, decimals=None):
    """invoiceTotal: items + taxes + charges - allowances, at the currency's precision."""
    items = sum((line.net_amount for line in invoice.lines), Decimal(0))
    taxes = _level(invoice.taxes, _line_entries(invoice, "taxes"), lambda t: t.tax_amount)
    charges = _level(invoice.charges, _line_entries(invoice, "charges"), lambda c: c.amount)
    allowances = _level(invoice.allowances, _line_entries(invoice, "allowances"),
                        lambda a: a.amount)
    return _round(items + taxes + charges - allowances, currency_decimals(invoice.currency,
                                                                          decimals))


# -- checks ----------------------------------------------------------------------------------
def _has_address(party):
    return any((party.name, party.street, party.street2, party.city, party.state_code,
                party.zip, party.country_code, party.phone))


def _party_problems(label, party):
    if party is None:
        return []
    problems = []
    if not party.party_id:
        problems.append(f"{label}: the party id (vendor code / Amazon party) is missing")
    if _has_address(party) and not (party.name and party.street and party.country_code):
        problems.append(f"{label}: an address needs a name, a street and a country")
    return problems


def _tax_problems(label, taxes, unit):
    problems = []
    for tax in taxes:
        if tax.tax_amount < 0 or (tax.taxable_amount or 0) < 0:
            problems.append(f"{label}: {tax.tax_type} amounts cannot be negative")
        elif tax.rate_percent is not None and tax.taxable_amount is not None:
            expected = tax.taxable_amount * tax.rate_percent / 100
            if abs(expected - tax.tax_amount) > unit:
                problems.append(
                    f"{label}: {tax.tax_type} {tax.rate_percent}% of {tax.taxable_amount} is "
                    f"{_round(expected, -unit.as_tuple().exponent)}, not {tax.tax_amount}")
    return problems


def _amount_problems(label, entries, kind):
    return [f"{label}: a {kind} amount cannot be negative ({e.amount})"
            for e in entries if e.amount < 0]


def _nested_taxes(entries):
    return [t for e in entries for t in e.taxes]


def _problems(invoice, decimals=None, now=None):
    """What is wrong with the invoice on its own (no outside data needed)."""
    problems = []
    unit = Decimal(1).scaleb(-currency_decimals(invoice.currency, decimals))
    is_credit = invoice.invoice_type == "CreditNote"
    date = invoice.date or now  # what build_invoice will send
    if invoice.invoice_type not in INVOICE_TYPES:
        problems.append(f"the document type must be Invoice or CreditNote, not "
                        f"{invoice.invoice_type!r}")
    if not invoice.number:
        problems.append("the invoice number is missing")
    if not re.fullmatch(r"[A-Z]{3}", invoice.currency or ""):
        problems.append(f"{invoice.currency!r} is not an ISO 4217 currency code")
    if invoice.date and now and to_utc(invoice.date) > to_utc(now) + FUTURE_GRACE:
        problems.append(f"the invoice is dated in the future ({iso(invoice.date)})")
    if invoice.remit_to is None:
        problems.append("the remit-to party (who gets paid) is missing")
    problems += _party_problems("remit-to party", invoice.remit_to)
    for label, party in (("bill-to party", invoice.bill_to), ("ship-from party",
                         invoice.ship_from), ("ship-to party", invoice.ship_to)):
        problems += _party_problems(label, party)
    if not invoice.lines:
        # A credit note needs an item too: creditNoteDetails only exists on items.
        problems.append("an invoice must list the purchase order items it invoices"
                        if not is_credit else
                        "a credit note must list at least one item (Amazon reads its "
                        "references from the items)")
    if is_credit:
        problems += _credit_note_problems(invoice)

    seen = set()
    for line in invoice.lines:
        label = f"line {line.item_sequence}"
        if not isinstance(line.item_sequence, int) or line.item_sequence < 1:
            problems.append(f"{label}: the line number must be a positive whole number")
        elif line.item_sequence in seen:
            problems.append(f"{label}: the line number is used twice")
        seen.add(line.item_sequence)
        if line.quantity <= 0:
            problems.append(f"{label}: the quantity must be greater than zero (credit notes "
                            "too: the document type gives the direction)")
        if line.unit_of_measure not in UNITS:
            problems.append(f"{label}: the unit must be Eaches or Cases, not "
                            f"{line.unit_of_measure!r}")
        elif line.unit_of_measure == "Cases" and line.unit_size < 1:
            problems.append(f"{label}: a quantity in cases needs the case size")
        if line.net_cost <= 0:
            problems.append(f"{label}: the net cost must be greater than zero")
        if not line.po_number:
            if not is_credit:
                problems.append(f"{label}: the Amazon purchase order number is missing")
        elif not PO_NUMBER_RE.match(line.po_number):
            problems.append(f"{label}: {line.po_number!r} is not an Amazon purchase order "
                            "number (8 letters or digits)")
        elif line.po_number in invoice.po_dates and date \
                and to_utc(date) < to_utc(invoice.po_dates[line.po_number]):
            problems.append(f"{label}: the invoice date {iso(date)} is before the date "
                            f"of purchase order {line.po_number} "
                            f"({iso(invoice.po_dates[line.po_number])})")
        if not (line.asin or line.vendor_sku):
            problems.append(f"{label}: the ASIN or the vendor SKU is needed to find the item")
        problems += _tax_problems(label, line.taxes, unit)
        problems += _tax_problems(label, _nested_taxes(line.charges + line.allowances), unit)
        problems += _amount_problems(label, line.charges, "charge")
        problems += _amount_problems(label, line.allowances, "allowance")

    problems += _tax_problems("invoice", invoice.taxes, unit)
    problems += _tax_problems("invoice", _nested_taxes(invoice.charges + invoice.allowances), unit)
    problems += _amount_problems("invoice", invoice.charges, "charge")
    problems += _amount_problems("invoice", invoice.allowances, "allowance")
    problems += _level_problems(invoice, unit)
    if invoice.lines and invoice_total(invoice, decimals) < 0:
        problems.append("the allowances exceed the invoiced amount: the total would be negative")
    return problems


def _credit_note_problems(invoice):
    details = invoice.credit_note_details
    problems = []
    if details.returns_reference_number and not details.goods_return_date:
        problems.append("a returns credit note needs the date the goods came back")
    if not (details.reference_invoice_number or details.returns_reference_number
            or details.coop_reference_number or details.debit_note_number):
        problems.append("a credit note must name the invoice it credits (or, for returns and "
                        "COOP, the returns notice / COOP reference / debit note number)")
    if details.reference_invoice_number and details.reference_invoice_number == invoice.number:
        problems.append("a credit note cannot reference itself")
    return problems


def _level_problems(invoice, unit):
    """Invoice-level totals sent next to line details must be their sum (rounding aside)."""
    problems = []
    line_taxes = _line_entries(invoice, "taxes")
    # Tax on charges/allowances has nowhere to count unless invoice-level taxes are given.
    nested = _nested_taxes(invoice.charges + invoice.allowances
                           + tuple(_line_entries(invoice, "charges"))
                           + tuple(_line_entries(invoice, "allowances")))
    if nested and not invoice.taxes:
        problems.append("tax on charges or allowances must also be listed in the invoice's tax "
                        "totals, or it is left out of the total")
    if invoice.taxes and line_taxes:
        # Charges and allowances count once: at invoice level when given there (as in the total).
        charges = invoice.charges or tuple(_line_entries(invoice, "charges"))
        allowances = invoice.allowances or tuple(_line_entries(invoice, "allowances"))
        detailed = {}
        for tax, sign in [(t, 1) for t in line_taxes + _nested_taxes(charges)] + [
                (t, -1) for t in _nested_taxes(allowances)]:
            detailed.setdefault(tax.tax_type, []).append(sign * tax.tax_amount)
        totals = {}
        for tax in invoice.taxes:
            totals[tax.tax_type] = totals.get(tax.tax_type, Decimal(0)) + tax.tax_amount
        for tax_type, total in totals.items():
            amounts = detailed.get(tax_type, [])
            # Each line is rounded on its own: allow one unit per rounded amount.
            if abs(total - sum(amounts, Decimal(0))) > unit * max(1, len(amounts)):
                problems.append(f"invoice {tax_type} total {total} does not match the lines' "
                                f"{tax_type} ({sum(amounts, Decimal(0))})")
    for attr, label in (("charges", "charge"), ("allowances", "allowance")):
        top, lines = getattr(invoice, attr), _line_entries(invoice, attr)
        if top and lines:
            top_sum = sum((e.amount for e in top), Decimal(0))
            line_sum = sum((e.amount for e in lines), Decimal(0))
            if top_sum != line_sum:
                problems.append(f"invoice {label} total {top_sum} differs from the lines' "
                                f"{label}s ({line_sum})")
    return problems


def check_invoice(invoice, po_costs, shipped, already_invoiced=None, accepted_numbers=(),
                  decimals=None, now=None):
    """Every reason Amazon would refuse the invoice, in plain words (empty list: fine).

    ``po_costs``: {(po number, PO item sequence): net cost per each, or (cost, currency)} as
    acknowledged; ``shipped``: {(po, seq): eaches confirmed by ASNs}; ``already_invoiced``:
    {(po, seq): eaches on invoices Amazon accepted}; ``accepted_numbers``: invoice and credit
    note numbers Amazon already has.
    """
    def normalised(mapping):
        return {_key(po, seq): value for (po, seq), value in (mapping or {}).items()}

    costs, shipped, invoiced = (normalised(m) for m in (po_costs, shipped, already_invoiced))
    problems = _problems(invoice, decimals, now)
    if invoice.number in set(accepted_numbers or ()):
        problems.append(f"invoice number {invoice.number} was already accepted by Amazon: every "
                        "invoice and credit note needs its own number")
    quantities = {}
    for line in invoice.lines:
        if line.po_number and line.quantity > 0:
            quantities[line.key] = quantities.get(line.key, 0) + line.eaches
        if invoice.invoice_type != "Invoice" or not line.po_number:
            continue  # a credit note's cost is the credited amount, not the PO cost
        label = f"line {line.item_sequence}"
        if line.key not in costs:
            problems.append(f"{label}: item {line.key[1]} is not on purchase order "
                            f"{line.po_number} (or was not acknowledged)")
            continue
        cost = costs[line.key]
        cost, currency = cost if isinstance(cost, tuple) else (cost, invoice.currency)
        if currency != invoice.currency:
            problems.append(f"{label}: purchase order {line.po_number} is in {currency}, the "
                            f"invoice in {invoice.currency}")
        elif Decimal(cost) != line.net_cost:
            problems.append(f"{label}: net cost {line.net_cost} differs from the acknowledged "
                            f"purchase order cost {cost}; Amazon refuses the invoice")
    for key, eaches in quantities.items():
        done = invoiced.get(key, 0)
        if invoice.invoice_type == "Invoice":
            left = shipped.get(key, 0) - done
            if eaches > left:
                problems.append(f"{key[0]} item {key[1]}: {eaches} units invoiced but only "
                                f"{max(left, 0)} shipped and not yet invoiced")
        elif key in invoiced and eaches > done:
            problems.append(f"{key[0]} item {key[1]}: {eaches} units credited but only {done} "
                            "were invoiced")
    return problems


# -- building --------------------------------------------------------------------------------
def _money(amount, currency, decimals):
    return {"currencyCode": currency, "amount": _text(_round(amount, decimals))}


def _cost(amount, currency, decimals):
    """netCost at the PO's own precision (never rounded away), at least the currency's."""
    places = max(decimals, -amount.as_tuple().exponent)
    return {"currencyCode": currency, "amount": _text(_round(amount, places))}


def _party(party):
    out = {"partyId": party.party_id}
    if _has_address(party):
        address = {"name": party.name, "addressLine1": party.street,
                   "addressLine2": party.street2, "city": party.city,
                   "stateOrRegion": party.state_code, "postalOrZipCode": party.zip,
                   "countryCode": party.country_code, "phone": party.phone}
        out["address"] = {k: v for k, v in address.items() if v}
    if party.tax_registration:
        out["taxRegistrationDetails"] = [{"taxRegistrationType": party.tax_registration_type,
                                          "taxRegistrationNumber": party.tax_registration}]
    return out


def _taxes(taxes, currency, decimals):
    out = []
    for tax in taxes:
        entry = {"taxType": tax.tax_type}
        if tax.rate_percent is not None:
            entry["taxRate"] = _text(tax.rate_percent)
        entry["taxAmount"] = _money(tax.tax_amount, currency, decimals)
        if tax.taxable_amount is not None:
            entry["taxableAmount"] = _money(tax.taxable_amount, currency, decimals)
        out.append(entry)
    return out


def _details(entries, kind, currency, decimals):
    out = []
    for entry in entries:
        item = {"type": getattr(entry, f"{kind}_type")}
        if entry.description:
            item["description"] = entry.description
        item[f"{kind}Amount"] = _money(entry.amount, currency, decimals)
        if entry.taxes:
            item["taxDetails"] = _taxes(entry.taxes, currency, decimals)
        out.append(item)
    return out


def _credit_note_json(details):
    out = {"referenceInvoiceNumber": details.reference_invoice_number,
           "debitNoteNumber": details.debit_note_number,
           "returnsReferenceNumber": details.returns_reference_number,
           "goodsReturnDate": iso(details.goods_return_date) if details.goods_return_date
           else "",
           "rmaId": details.rma_id,
           "coopReferenceNumber": details.coop_reference_number,
           "consignorsReferenceNumber": details.consignors_reference_number}
    return {k: v for k, v in out.items() if v}


def _item(line, invoice, decimals):
    currency = invoice.currency
    unit_size = line.unit_size if line.unit_of_measure == "Cases" else 1
    item = {"itemSequenceNumber": line.item_sequence}
    if line.asin:
        item["amazonProductIdentifier"] = line.asin
    if line.vendor_sku:
        item["vendorProductIdentifier"] = line.vendor_sku
    item["invoicedQuantity"] = {"amount": line.quantity, "unitOfMeasure": line.unit_of_measure,
                                "unitSize": unit_size}
    item["netCost"] = _cost(line.net_cost, currency, decimals)
    if line.po_number:
        item["purchaseOrderNumber"] = line.po_number
    if line.hsn_code:
        item["hsnCode"] = line.hsn_code
    if invoice.invoice_type == "CreditNote":
        item["creditNoteDetails"] = _credit_note_json(invoice.credit_note_details)
    if line.taxes:
        item["taxDetails"] = _taxes(line.taxes, currency, decimals)
    if line.charges:
        item["chargeDetails"] = _details(line.charges, "charge", currency, decimals)
    if line.allowances:
        item["allowanceDetails"] = _details(line.allowances, "allowance", currency, decimals)
    return item


def _invoice_json(invoice, now, decimals):
    places = currency_decimals(invoice.currency, decimals)
    currency = invoice.currency
    body = {"invoiceType": invoice.invoice_type, "id": invoice.number}
    if invoice.reference_number:
        body["referenceNumber"] = invoice.reference_number
    body["date"] = iso(invoice.date or now)
    body["remitToParty"] = _party(invoice.remit_to)
    for key, party in (("shipToParty", invoice.ship_to), ("shipFromParty", invoice.ship_from),
                       ("billToParty", invoice.bill_to)):
        if party is not None:
            body[key] = _party(party)
    if invoice.payment_terms:
        terms = invoice.payment_terms
        out = {"type": terms.get("type"),
               "discountPercent": _text(Decimal(terms["discount_percent"]))
               if terms.get("discount_percent") is not None else None,
               "discountDueDays": terms.get("discount_due_days"),
               "netDueDays": terms.get("net_due_days")}
        body["paymentTerms"] = {k: v for k, v in out.items() if v is not None}
    body["invoiceTotal"] = _money(invoice_total(invoice, decimals), currency, places)
    if invoice.taxes:
        body["taxDetails"] = _taxes(invoice.taxes, currency, places)
    if invoice.additional_details:
        body["additionalDetails"] = [
            dict(zip(("type", "detail", "languageCode"), entry, strict=False))
            for entry in invoice.additional_details]
    if invoice.charges:
        body["chargeDetails"] = _details(invoice.charges, "charge", currency, places)
    if invoice.allowances:
        body["allowanceDetails"] = _details(invoice.allowances, "allowance", currency, places)
    if invoice.lines:
        body["items"] = [_item(line, invoice, places) for line in invoice.lines]
    return body


def build_invoices(invoices, now, decimals=None):
    """One SubmitInvoicesRequest carrying several invoices / credit notes.

    Raises InvoiceError listing every problem (prefixed with the invoice number), including
    anything Amazon's model refuses. Outside facts (PO costs, shipped quantities, numbers
    already used at Amazon) are :func:`check_invoice`'s job.
    """
    invoices = list(invoices)
    problems, seen = [], set()
    if not invoices:
        problems.append("there is no invoice to send")
    for invoice in invoices:
        problems += [f"{invoice.number}: {p}" for p in _problems(invoice, decimals, now)]
        if invoice.number in seen:
            problems.append(f"{invoice.number}: the number is used twice in this batch")
        seen.add(invoice.number)
    if problems:
        raise InvoiceError(problems)
    body = {"invoices": [_invoice_json(invoice, now, decimals) for invoice in invoices]}
    problems = amazon_schema.validate(MODULE, "SubmitInvoicesRequest", body)
    if problems:
        raise InvoiceError(problems)
    return body


def build_invoice(invoice, now, decimals=None):
    """The submitInvoices body for one invoice or credit note (see :func:`build_invoices`)."""
    return build_invoices([invoice], now, decimals)
