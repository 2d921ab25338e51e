"""How Amazon paid: remittances and Amazon's own view of each invoice, as neutral structures.

Three sources give the same structures: the Finance Remittance API (2026-03-17), Vendor
Central's remittance exports (CSV/XLSX, see ``remittance_export``) and the EDI 820. Amazon's
Finances Invoices API (2026-06-25) adds its status and settlement of each invoice.

Money is Decimal, exactly as Amazon sent it (a JSON number is read through its text); signs
follow Amazon: a line Amazon deducts (shortage claim, chargeback, co-op...) is negative.
"""
import dataclasses
import datetime
from decimal import Decimal, InvalidOperation

from .. import amazon_dates
from ..amazon_json import to_decimal


@dataclasses.dataclass(frozen=True)
class RemittanceLine:
    invoice_number: str
    currency: str
    invoice_amount: Decimal  # Amazon's totalAmount of the line (tax included), signed
    amount_paid: Decimal  # cash for this line in the remittance (AmountPaid), signed
    discount: Decimal = Decimal(0)  # terms / quick-pay discount taken (TermsDiscountTaken)
    withholding: Decimal = Decimal(0)  # tax withheld by Amazon on this line
    tax_amount: Decimal | None = None
    invoice_date: datetime.date | None = None
    description: str = ""
    invoice_type: str = ""
    payment_terms: str = ""
    vendor_codes: tuple = ()

    @property
    def settled(self):
        """How much of the invoice this line settles: cash + discount + tax withheld."""
        return self.amount_paid + self.discount + self.withholding

    @property
    def is_deduction(self):
        """Amazon takes money back on this line (its own debit: claim, chargeback, fee...)."""
        return self.amount_paid < 0 or self.invoice_amount < 0


@dataclasses.dataclass(frozen=True)
class Remittance:
    unique_payment_id: str  # Amazon's unique id of the payment (the import's key)
    payment_number: str  # the reference the bank statement shows
    payment_date: datetime.date
    amount: Decimal  # in ``currency``, what reaches the bank
    currency: str
    status: str = "SUCCESSFUL"  # IN_PROGRESS, SUCCESSFUL, FAILED
    invoice_currency: str = ""
    amount_invoice_currency: Decimal | None = None
    exchange_rate: Decimal | None = None
    method: str = ""
    vendor_codes: tuple = ()
    payee_codes: tuple = ()
    country: str = ""
    lines: tuple = ()  # RemittanceLine
    source: str = "api"  # api, export, edi
    line_count: int | None = None  # Amazon's lineItemCount: how many lines it says there are

    @property
    def lines_currency(self):
        return self.invoice_currency or self.currency


@dataclasses.dataclass(frozen=True)
class VarianceReason:
    variance_type: str  # PQV, PPV, OTHER
    defect_types: tuple = ()


@dataclasses.dataclass(frozen=True)
class AmazonInvoiceLine:
    line_id: str
    total: Decimal
    currency: str
    quantity: int | None = None
    unit_cost: Decimal | None = None
    identifiers: tuple = ()  # ((name, value), ...): ASIN, SKU, EAN...
    line_type: str = ""  # GOODS, SERVICES, OTHERS
    service_charge_type: str = ""  # DAMAGE_ALLOWANCE, PRICE_PROTECTION, ...
    matched_quantity: int | None = None
    quantity_variance: int | None = None
    price_variance: Decimal | None = None
    paid_quantity: int | None = None
    paid_amount: Decimal | None = None
    variance_reasons: tuple = ()  # VarianceReason
    matched_amount: Decimal | None = None
    description: str = ""  # Amazon's itemDescription
    # {PURCHASE_ORDER_IDS, ASN_IDS, ...}: tuple of values (relatedItemIdentifiers)
    related: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class AmazonInvoice:
    """Amazon's record of an invoice (Finances Invoices API): status and settlement."""
    invoice_number: str
    identifier: str  # InvoiceNumber~PayeeCode for AP-Inventory invoices
    status: str  # IN_PROGRESS, REJECTED, PARTIALLY_PAID, PARTIALLY_DEDUCTED, PAID, DEDUCTED
    invoice_type: str  # AP_INVENTORY, OTHER
    amount: Decimal
    currency: str
    issue_date: datetime.date | None = None
    due_date: datetime.date | None = None
    payment_terms: str = ""
    # {AmountPaid, QueuedForPayment, QuickPayDiscount, QuantityVarianceAmount, PriceVariance,
    # Other}: Decimal
    settlement: dict = dataclasses.field(default_factory=dict)
    # {PURCHASE_ORDER_IDS, SHORTAGE_INVOICE_IDS, ASN_IDS, RETURN_IDS, AGREEMENT_IDS,
    # UNIQUE_PAYMENT_IDS, VENDOR_CODE, PAYEE_CODE, ...}: tuple of values
    related: dict = dataclasses.field(default_factory=dict)
    lines: tuple = ()  # AmazonInvoiceLine
    last_updated: datetime.datetime | None = None


# -- Amazon's JSON -> the structures above ----------------------------------------------------
# Finance Remittance API 2026-03-17 (getRemittanceHeaders, getRemittance) and Finances Invoices
# API 2026-06-25 (getInvoiceHeaders, getInvoice). Robust to hostile replies: whatever Amazon
# sends, the result is a structure or a RemittanceError naming the field, never a crash.
#
# Sign conventions (Amazon's models only say "a signed decimal number"):
# - Remittance lines: totalAmount (= InvoiceAmount + TaxAmount) is positive for the vendor's
#   invoices and negative for Amazon's debits (shortage claims, chargebacks, co-op, the
#   vendor's credit notes); a reversal of a debit is positive. ``amount_paid`` is the cash of
#   the line in this payment (negative for a debit): the lines' cash adds up to the header's
#   paymentAmountInInvoiceCurrency. ``discount`` (TermsDiscountTaken) and ``withholding`` are
#   kept as positive amounts Amazon kept back, so ``settled = amount_paid + discount +
#   withholding`` is what the line settles of the invoice.
#   Amazon does not document whether TermsDiscountTaken is sent positive or negative, nor
#   whether AmountPaid is before or after it; the parser reads the three ways the breakdown
#   can add up to netAmountPaid (see ``_line_cash``).
# - Amazon's invoices (Finances Invoices API): invoiceAmount as Amazon sends it; the settlement
#   breakdowns keep Amazon's signs (its examples: AmountPaid and QueuedForPayment positive,
#   QuickPayDiscount, QuantityVarianceAmount and PriceVariance negative); a line's
#   matchingContext quantityVariance and priceVariance are positive when Amazon matched less
#   than was invoiced (its example: 10 invoiced, 8 matched, quantityVariance 2).

REMITTANCE_STATUSES = ("IN_PROGRESS", "SUCCESSFUL", "FAILED")
INVOICE_STATUSES = ("IN_PROGRESS", "REJECTED", "PARTIALLY_PAID", "PARTIALLY_DEDUCTED", "PAID",
                    "DEDUCTED")
INVOICE_TYPES = ("AP_INVENTORY", "OTHER")
# What Odoo's columns hold; Amazon's model allows more, so anything beyond is refused per
# remittance or invoice, in plain words.
MAX_QUANTITY = 2_147_483_647
MAX_MONEY = Decimal("1e12")
MAX_DECIMALS = 8
MAX_IDENTIFIER = 128
MAX_TEXT = 512
MAX_NESTING = 5


class RemittanceError(ValueError):
    """Amazon's remittance or invoice reply cannot be read (missing or malformed field)."""


def _show(value, limit=40):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _dict(value, field, required=False):
    if value is None:
        if required:
            raise RemittanceError(f"{field} is missing")
        return {}
    if not isinstance(value, dict):
        raise RemittanceError(f"{field}: {_show(value)} is not an object")
    return value


def _list(value, field):
    if value is None:
        return []
    if not isinstance(value, list):
        raise RemittanceError(f"{field}: {_show(value)} is not a list")
    return value


def _text(value, field, limit=MAX_TEXT, required=False, truncate=False):
    """A string field (a number is read as its text); ``truncate`` shortens free text that is
    longer than Odoo keeps instead of refusing it."""
    if value is None or value == "":
        if required:
            raise RemittanceError(f"{field} is missing")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RemittanceError(f"{field}: {_show(value)} is not text")
    value = str(value).strip()
    if required and not value:
        raise RemittanceError(f"{field} is missing")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value) or (
            not truncate and any(c in "\t\n\r" for c in value)):
        raise RemittanceError(f"{field}: {_show(value)} contains control characters")
    if truncate:
        value = " ".join(value.split())
        return value if len(value) <= limit else value[:limit - 1] + "\u2026"
    if len(value) > limit:
        raise RemittanceError(f"{field}: the value is {len(value)} characters long (at most "
                              f"{limit} are expected)")
    return value


def _decimal(value, field):
    """A JSON number (or numeric string) as Amazon's exact Decimal, within Odoo's columns."""
    if value is None or value == "":
        raise RemittanceError(f"{field} is missing")
    amount = to_decimal(value)
    if amount is None:
        raise RemittanceError(f"{field}: {_show(value)} is not a number")
    try:
        keepable = amount.is_finite() and abs(amount) < MAX_MONEY \
            and -amount.as_tuple().exponent <= MAX_DECIMALS
    except (InvalidOperation, TypeError):
        keepable = False
    if not keepable:
        raise RemittanceError(f"{field}: {_show(value)} is not an amount Odoo can keep exactly "
                              f"(below {MAX_MONEY:,.0f}, at most {MAX_DECIMALS} decimals)")
    return amount + 0  # -0 -> 0


def _integer(value, field):
    if value is None or value == "":
        return None
    number = None if isinstance(value, bool) else to_decimal(value)
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise RemittanceError(f"{field}: {_show(value)} is not a whole number")
    if abs(number) > MAX_QUANTITY:
        raise RemittanceError(f"{field}: {number} is larger than Odoo can store")
    return int(number)


def _currency_code(value, field):
    code = _text(value, f"{field}.currencyCode", 3, required=True)
    if not (len(code) == 3 and code.isalpha() and code.isupper()):
        raise RemittanceError(f"{field}.currencyCode: {_show(code)} is not an ISO 4217 "
                              "currency code")
    return code


def _money(value, field, required=False):
    """Amazon's Currency {currencyCode, currencyAmount} -> (Decimal, code) or (None, "")."""
    money = _dict(value, field, required)
    if not money:
        return None, ""
    return (_decimal(money.get("currencyAmount"), f"{field}.currencyAmount"),
            _currency_code(money.get("currencyCode"), field))


def _datetime(value, field, required=False):
    """ISO 8601 -> naive UTC datetime (what the ORM stores); None when absent."""
    if value is None or value == "":
        if required:
            raise RemittanceError(f"{field} is missing")
        return None
    parsed = amazon_dates.parse_date_time(value) if isinstance(value, str) else None
    if parsed is None:
        raise RemittanceError(f"{field}: {_show(value)} is not an ISO 8601 date-time")
    return amazon_dates.naive_utc(parsed)


def _date(value, field, required=False):
    if isinstance(value, str) and amazon_dates.parse_date(value):
        return amazon_dates.parse_date(value)
    moment = _datetime(value, field, required)
    return moment.date() if moment else None


def _related(value, field, names=None):
    """[{relatedIdentifierName, relatedIdentifierValue: [..]}] -> {name: (values...)}."""
    related = {}
    for index, entry in enumerate(_list(value, field)):
        where = f"{field}[{index}]"
        entry = _dict(entry, where, required=True)
        name = _text(entry.get("relatedIdentifierName"), f"{where}.relatedIdentifierName",
                     64, required=True)
        values = entry.get("relatedIdentifierValue")
        values = [values] if isinstance(values, str | int) and not isinstance(values, bool) \
            else _list(values, f"{where}.relatedIdentifierValue")
        found = tuple(_text(v, f"{where}.relatedIdentifierValue[{i}]", MAX_IDENTIFIER)
                      for i, v in enumerate(values))
        related[name] = tuple(dict.fromkeys(related.get(name, ()) + tuple(v for v in found
                                                                            if v)))
    return related


def _breakdowns(value, field, currency=None, depth=0):
    """[{breakdownType, breakdownAmount, breakdowns}] -> {type: Decimal} (a type given twice
    adds up); nested breakdowns (``Total`` -> InvoiceAmountWithoutTax, TaxAmount) are read
    into the same dict under their own types."""
    if depth > MAX_NESTING:
        raise RemittanceError(f"{field}: breakdowns nested more than {MAX_NESTING} deep")
    result = {}
    for index, entry in enumerate(_list(value, field)):
        where = f"{field}[{index}]"
        entry = _dict(entry, where, required=True)
        kind = _text(entry.get("breakdownType"), f"{where}.breakdownType", 64, required=True)
        amount, code = _money(entry.get("breakdownAmount"), f"{where}.breakdownAmount",
                              required=True)
        if currency and code != currency:
            raise RemittanceError(f"{where}.breakdownAmount is in {code}, the amount it breaks "
                                  f"down in {currency}")
        result[kind] = result.get(kind, Decimal(0)) + amount
        for sub_kind, sub_amount in _breakdowns(entry.get("breakdowns"), f"{where}.breakdowns",
                                                currency, depth + 1).items():
            result[sub_kind] = result.get(sub_kind, Decimal(0)) + sub_amount
    return result


def _line_cash(net, paid, discount):
    """The cash of a remittance line and its discount (positive), from netAmountPaid and the
    AmountPaid / TermsDiscountTaken breakdown, whichever way Amazon adds them up:
    AmountPaid is the cash and netAmountPaid equals it (the Vendor Central remittance page:
    amount paid after the discount, discount shown apart); or netAmountPaid = AmountPaid +
    TermsDiscountTaken with a negative discount (AmountPaid before the discount) or with a
    positive one (netAmountPaid is then what was settled, AmountPaid the cash)."""
    taken = abs(discount) if discount is not None else Decimal(0)
    if paid is None:
        return net, taken
    if net is None or net == paid or discount is None or discount == 0:
        return paid, taken
    if paid + discount == net:
        return (net, taken) if discount < 0 else (paid, taken)
    return paid, taken


def parse_remittance_line(item, index=0, currency=""):
    """One RemittanceItem -> RemittanceLine; ``currency`` is the header's invoice currency
    (used when the line's amounts carry none)."""
    where = f"remittanceItems[{index}]"
    item = _dict(item, where, required=True)
    total, code = _money(item.get("totalAmount"), f"{where}.totalAmount")
    net, net_code = _money(item.get("netAmountPaid"), f"{where}.netAmountPaid")
    withholding, wh_code = _money(item.get("withholdingAmount"), f"{where}.withholdingAmount")
    code = code or net_code or wh_code or currency
    for other, name in ((net_code, "netAmountPaid"), (wh_code, "withholdingAmount")):
        if other and code and other != code:
            raise RemittanceError(f"{where}.{name} is in {other}, the line in {code}")
    parts = _breakdowns(item.get("totalAmountBreakdown"), f"{where}.totalAmountBreakdown",
                        code or None)
    paid_parts = _breakdowns(item.get("netAmountPaidBreakdown"),
                             f"{where}.netAmountPaidBreakdown", code or None)
    if total is None:
        if "InvoiceAmount" not in parts:
            raise RemittanceError(f"{where}.totalAmount is missing")
        total = parts["InvoiceAmount"] + parts.get("TaxAmount", Decimal(0))
    paid, discount = _line_cash(net, paid_parts.get("AmountPaid"),
                                paid_parts.get("TermsDiscountTaken"))
    if paid is None:
        raise RemittanceError(f"{where}: neither netAmountPaid nor its AmountPaid breakdown "
                              "says what was paid")
    return RemittanceLine(
        invoice_number=_text(item.get("invoiceNumber"), f"{where}.invoiceNumber",
                             MAX_IDENTIFIER),
        currency=code,
        invoice_amount=total,
        amount_paid=paid,
        discount=discount,
        withholding=abs(withholding) if withholding is not None else Decimal(0),
        tax_amount=parts.get("TaxAmount"),
        invoice_date=_date(item.get("invoiceIssueDate"), f"{where}.invoiceIssueDate"),
        description=_text(item.get("description"), f"{where}.description", truncate=True),
        invoice_type=_text(item.get("invoiceType"), f"{where}.invoiceType", 64),
        payment_terms=_text(item.get("paymentTerms"), f"{where}.paymentTerms", 64,
                            truncate=True),
        vendor_codes=_related(item.get("relatedItemIdentifiers"),
                              f"{where}.relatedItemIdentifiers").get("VENDOR_CODE", ()),
    )


def parse_remittance_header(header, field="remittanceHeader"):
    """A RemittanceHeader (getRemittanceHeaders or getRemittance) -> Remittance, no lines."""
    header = _dict(header, field, required=True)
    amount, currency = _money(header.get("paymentAmount"), f"{field}.paymentAmount",
                              required=True)
    invoice_amount, invoice_currency = _money(header.get("paymentAmountInInvoiceCurrency"),
                                              f"{field}.paymentAmountInInvoiceCurrency")
    rate = header.get("exchangeRate")
    rate = None if rate is None else _decimal(rate, f"{field}.exchangeRate")
    if rate is not None and rate <= 0:
        raise RemittanceError(f"{field}.exchangeRate: {rate} is not a positive rate")
    status = _text(header.get("remittanceStatus"), f"{field}.remittanceStatus", 32,
                   required=True)
    if status not in REMITTANCE_STATUSES:
        raise RemittanceError(f"{field}.remittanceStatus: {_show(status)} is not one of "
                              f"{', '.join(REMITTANCE_STATUSES)}")
    related = _related(header.get("relatedIdentifiers"), f"{field}.relatedIdentifiers")
    count = _integer(header.get("lineItemCount"), f"{field}.lineItemCount")
    if count is not None and count < 0:
        raise RemittanceError(f"{field}.lineItemCount: {count} is below 0")
    country = _text(header.get("countryCode"), f"{field}.countryCode", 2)
    return Remittance(
        unique_payment_id=_text(header.get("uniquePaymentId"), f"{field}.uniquePaymentId",
                                MAX_IDENTIFIER, required=True),
        payment_number=_text(header.get("paymentNumber"), f"{field}.paymentNumber",
                             MAX_IDENTIFIER),
        payment_date=_date(header.get("paymentDate"), f"{field}.paymentDate", required=True),
        amount=amount,
        currency=currency,
        status=status,
        invoice_currency=invoice_currency,
        amount_invoice_currency=invoice_amount,
        exchange_rate=rate,
        method=_text(header.get("paymentMethod"), f"{field}.paymentMethod", 64),
        vendor_codes=related.get("VENDOR_CODE", ()),
        payee_codes=related.get("PAYEE_CODE", ()),
        country=country.upper(),
        line_count=count,
    )


def parse_remittance(detail, header=None):
    """getRemittance's reply with all its lines (``VendorApi.get_remittance`` gathers every
    page) -> Remittance. ``header``: the same payment's RemittanceHeader from
    getRemittanceHeaders, used when the detail carries none."""
    detail = _dict(detail, "remittance", required=True)
    raw_header = detail.get("remittanceHeader")
    if raw_header is None:
        if header is None:
            raise RemittanceError("remittanceHeader is missing")
        raw_header = header
    remittance = parse_remittance_header(raw_header)
    if header is not None and isinstance(header, dict) and \
            header.get("uniquePaymentId") not in (None, "") and \
            str(header["uniquePaymentId"]).strip() != remittance.unique_payment_id:
        raise RemittanceError(f"remittanceHeader.uniquePaymentId "
                              f"{remittance.unique_payment_id} is not the payment asked for "
                              f"({_show(header['uniquePaymentId'])})")
    currency = remittance.lines_currency
    lines = tuple(parse_remittance_line(item, index, currency)
                  for index, item in enumerate(_list(detail.get("remittanceItems"),
                                                     "remittanceItems")))
    return dataclasses.replace(remittance, lines=lines)


def lines_difference(remittance):
    """What the header's amount (in the invoice currency) and the lines' cash disagree by:
    0 for a complete, consistent remittance; anything else means missing lines or an
    unexpected convention, to be shown, not booked blindly."""
    expected = remittance.amount_invoice_currency
    if expected is None:
        expected = remittance.amount
    return expected - sum((line.amount_paid for line in remittance.lines), Decimal(0))


def _variance_reasons(value, field):
    reasons = []
    for index, entry in enumerate(_list(value, field)):
        where = f"{field}[{index}]"
        entry = _dict(entry, where, required=True)
        defects = _list(entry.get("defectTypes"), f"{where}.defectTypes")
        reasons.append(VarianceReason(
            variance_type=_text(entry.get("varianceType"), f"{where}.varianceType", 32,
                                required=True),
            defect_types=tuple(_text(d, f"{where}.defectTypes[{i}]", 64)
                               for i, d in enumerate(defects))))
    return tuple(reasons)


def parse_amazon_invoice_line(item, index=0):
    """One InvoiceItem (getInvoice) -> AmazonInvoiceLine."""
    where = f"invoiceItems[{index}]"
    item = _dict(item, where, required=True)
    total, currency = _money(item.get("totalAmount"), f"{where}.totalAmount", required=True)
    unit_cost, cost_code = _money(item.get("unitCost"), f"{where}.unitCost")
    if cost_code and cost_code != currency:
        raise RemittanceError(f"{where}.unitCost is in {cost_code}, the line in {currency}")
    context = _dict(item.get("lineItemContext"), f"{where}.lineItemContext")
    identifiers = []
    for i, ident in enumerate(_list(context.get("itemIdentifiers"),
                                    f"{where}.lineItemContext.itemIdentifiers")):
        i_where = f"{where}.lineItemContext.itemIdentifiers[{i}]"
        ident = _dict(ident, i_where, required=True)
        identifiers.append((_text(ident.get("itemIdentifierName"), f"{i_where}.itemIdentifierName",
                                  32, required=True),
                            _text(ident.get("itemIdentifierValue"),
                                  f"{i_where}.itemIdentifierValue", MAX_IDENTIFIER)))
    m_where = f"{where}.lineItemContext.matchingContext"
    matching = _dict(context.get("matchingContext"), m_where)
    matched_amount, _code = _money(matching.get("matchedAmount"), f"{m_where}.matchedAmount")
    paid_amount, _code = _money(matching.get("paidAmount"), f"{m_where}.paidAmount")
    price_variance, _code = _money(matching.get("priceVariance"), f"{m_where}.priceVariance")
    return AmazonInvoiceLine(
        line_id=_text(item.get("lineItemId"), f"{where}.lineItemId", MAX_IDENTIFIER)
        or str(index + 1),
        total=total,
        currency=currency,
        quantity=_integer(item.get("quantity"), f"{where}.quantity"),
        unit_cost=unit_cost,
        identifiers=tuple(identifiers),
        line_type=_text(context.get("lineItemType"), f"{where}.lineItemContext.lineItemType",
                        32),
        service_charge_type=_text(context.get("serviceChargeType"),
                                  f"{where}.lineItemContext.serviceChargeType", 64),
        matched_quantity=_integer(matching.get("matchedQuantity"), f"{m_where}.matchedQuantity"),
        quantity_variance=_integer(matching.get("quantityVariance"),
                                   f"{m_where}.quantityVariance"),
        price_variance=price_variance,
        paid_quantity=_integer(matching.get("paidQuantity"), f"{m_where}.paidQuantity"),
        paid_amount=paid_amount,
        variance_reasons=_variance_reasons(matching.get("varianceReasons"),
                                           f"{m_where}.varianceReasons"),
        matched_amount=matched_amount,
        description=_text(context.get("itemDescription"),
                          f"{where}.lineItemContext.itemDescription", truncate=True),
        related=_related(item.get("relatedItemIdentifiers"), f"{where}.relatedItemIdentifiers"),
    )


def parse_amazon_invoice(data):
    """An InvoiceHeader (getInvoiceHeaders) or getInvoice's reply with all its items
    (``VendorApi.get_invoice`` gathers every page) -> AmazonInvoice."""
    data = _dict(data, "invoice", required=True)
    if "invoiceHeader" in data or "invoiceItems" in data:
        header, field = _dict(data.get("invoiceHeader"), "invoiceHeader", True), "invoiceHeader"
        items = _list(data.get("invoiceItems"), "invoiceItems")
    else:
        header, field, items = data, "invoice", []
    number = _text(header.get("invoiceNumber"), f"{field}.invoiceNumber", MAX_IDENTIFIER,
                   required=True)
    status = _text(header.get("invoiceStatus"), f"{field}.invoiceStatus", 32, required=True)
    if status not in INVOICE_STATUSES:
        raise RemittanceError(f"{field}.invoiceStatus: {_show(status)} is not one of "
                              f"{', '.join(INVOICE_STATUSES)}")
    kind = _text(header.get("invoiceType"), f"{field}.invoiceType", 32, required=True)
    if kind not in INVOICE_TYPES:
        raise RemittanceError(f"{field}.invoiceType: {_show(kind)} is not one of "
                              f"{', '.join(INVOICE_TYPES)}")
    amount, currency = _money(header.get("invoiceAmount"), f"{field}.invoiceAmount",
                              required=True)
    return AmazonInvoice(
        invoice_number=number,
        identifier=_text(header.get("invoiceIdentifier"), f"{field}.invoiceIdentifier",
                         MAX_IDENTIFIER * 2) or number,
        status=status,
        invoice_type=kind,
        amount=amount,
        currency=currency,
        issue_date=_date(header.get("issueDate"), f"{field}.issueDate"),
        due_date=_date(header.get("dueDate"), f"{field}.dueDate"),
        payment_terms=_text(header.get("paymentTerms"), f"{field}.paymentTerms", 64,
                            truncate=True),
        settlement=_breakdowns(header.get("invoiceSettlementBreakdowns"),
                               f"{field}.invoiceSettlementBreakdowns", currency),
        related=_related(header.get("relatedIdentifiers"), f"{field}.relatedIdentifiers"),
        lines=tuple(parse_amazon_invoice_line(item, index)
                    for index, item in enumerate(items)),
        last_updated=_datetime(header.get("lastUpdatedDate"), f"{field}.lastUpdatedDate"),
    )
