"""Amazon purchase order JSON -> a neutral, validated structure the importers consume.

Quantities are converted exactly to eaches (Cases x unitSize); money stays Decimal.
"""
import dataclasses
import datetime
from decimal import Decimal, InvalidOperation

from .. import amazon_dates


class PurchaseOrderError(ValueError):
    """The purchase order cannot be read (missing or malformed field)."""


@dataclasses.dataclass(frozen=True)
class Party:
    party_id: str
    name: str = ""
    street: str = ""
    street2: str = ""
    city: str = ""
    state_code: str = ""
    zip: str = ""
    country_code: str = ""
    phone: str = ""
    # taxInfo: Amazon's own VAT/GST number for this party (e.g. the EU bill-to entity)
    tax_registration: str = ""
    tax_registration_type: str = ""


@dataclasses.dataclass(frozen=True)
class Item:
    sequence: str
    asin: str
    vendor_sku: str
    ordered_amount: int
    unit_of_measure: str
    unit_size: int
    quantity_eaches: int
    net_cost: Decimal | None
    currency: str
    list_price: Decimal | None
    backorder_allowed: bool
    duplicate: bool = False  # repeats an itemSequenceNumber seen earlier in the same PO
    # Money.unitOfMeasure of netCost: "If this field is absent, the item is sold by eaches";
    # else its cost is per POUNDS, OUNCES, GRAMS or KILOGRAMS.
    cost_unit: str = ""

    @property
    def cancelled(self):
        return self.ordered_amount == 0


@dataclasses.dataclass(frozen=True)
class PurchaseOrder:
    number: str
    state: str
    order_date: datetime.datetime
    changed_date: datetime.datetime | None
    order_type: str
    payment_method: str
    deal_code: str
    incoterms: str
    import_details: dict
    selling_party: Party
    ship_to: Party
    bill_to: Party | None
    buying_party: Party | None
    ship_window: tuple | None
    delivery_window: tuple | None
    items: tuple

    @property
    def currency(self):
        currencies = {i.currency for i in self.items if i.currency}
        return currencies.pop() if len(currencies) == 1 else (sorted(currencies) or [""])[0]

    @property
    def duplicate_sequences(self):
        return sorted({i.sequence for i in self.items if i.duplicate})

    @property
    def window(self):
        """The window the vendor commits to: shipping if given, else delivery."""
        return self.ship_window or self.delivery_window


# What Odoo's columns hold (PostgreSQL int4) and what a sane purchase order carries; Amazon's
# model allows more, so anything beyond is refused per purchase order, in plain words.
MAX_QUANTITY = 2_147_483_647
MAX_MONEY = Decimal("1e12")
MAX_DECIMALS = 8
MAX_IDENTIFIER = 64
MAX_TEXT = 512


def _where(field):
    return f"{field}: " if field else ""


def _text(value, field, limit=MAX_TEXT):
    """A string field: absent -> "", a number is read as its text, anything else refused."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise PurchaseOrderError(f"{_where(field)}{_show(value)} is not text")
    value = str(value).strip()
    if len(value) > limit:
        raise PurchaseOrderError(f"{_where(field)}the value is {len(value)} characters long "
                                 f"(at most {limit} are expected)")
    if any(ord(c) < 32 for c in value):
        raise PurchaseOrderError(f"{_where(field)}{_show(value)} contains control characters")
    return value


def _show(value, limit=40):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _dict(value, field, required=False):
    if value is None or (value == {} and not required):
        if required:
            raise PurchaseOrderError(f"{field} is missing")
        return {}
    if not isinstance(value, dict):
        raise PurchaseOrderError(f"{field}: {_show(value)} is not an object")
    return value


def _whole_number(value, field, minimum=0):
    """A JSON integer (or an integral number / numeric string) within Odoo's columns."""
    if value is None or value == "":
        raise PurchaseOrderError(f"{field} is missing")
    if isinstance(value, bool):
        raise PurchaseOrderError(f"{field}: {_show(value)} is not a whole number")
    try:
        number = Decimal(str(value).strip()) if isinstance(value, str | int | float) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise PurchaseOrderError(f"{field}: {_show(value)} is not a whole number")
    if number < minimum:
        raise PurchaseOrderError(f"{field}: {number} is below {minimum}")
    if number > MAX_QUANTITY:
        raise PurchaseOrderError(f"{field}: {number} is larger than Odoo can store "
                                 f"({MAX_QUANTITY:,})")
    return int(number)


def parse_datetime(value, field="date"):
    """Amazon ISO 8601 -> naive UTC datetime (what the ORM stores); None when absent."""
    if value is None or value == "":
        return None
    parsed = amazon_dates.parse_date_time(value)
    if parsed is None:
        raise PurchaseOrderError(f"{field}: {_show(value)} is not an ISO 8601 date-time")
    return amazon_dates.naive_utc(parsed)


def parse_window(value, field):
    """``2026-11-01T00:00:00Z--2026-11-05T00:00:00Z`` -> (start, end)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise PurchaseOrderError(f"{field}: {_show(value)} is not a start--end window")
    start, sep, end = value.partition("--")
    if not sep:
        raise PurchaseOrderError(f"{field}: {_show(value)} is not a start--end window")
    start, end = parse_datetime(start, field), parse_datetime(end, field)
    if not (start and end):
        raise PurchaseOrderError(f"{field}: {_show(value)} is not a start--end window")
    if end < start:
        raise PurchaseOrderError(f"{field}: the window ends before it starts ({_show(value)})")
    return start, end


WEIGHT_UNITS = ("POUNDS", "OUNCES", "GRAMS", "KILOGRAMS")


def parse_money(value, field):
    """Amazon's Money -> (Decimal amount exactly as sent, currency code)."""
    if value is None or value == {}:
        return None, ""
    money = _dict(value, field)
    raw = money.get("amount")
    if raw is None or raw == "":
        raise PurchaseOrderError(f"{field}: the amount is missing")
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise PurchaseOrderError(f"{field}: {_show(raw)} is not an amount")
    try:
        amount = Decimal(str(raw).strip())
    except InvalidOperation:
        raise PurchaseOrderError(f"{field}: {_show(raw)} is not an amount") from None
    if not amount.is_finite() or abs(amount) >= MAX_MONEY \
            or -amount.as_tuple().exponent > MAX_DECIMALS:
        raise PurchaseOrderError(f"{field}: {_show(raw)} is not an amount Odoo can keep "
                                 f"exactly (below {MAX_MONEY:,.0f}, at most {MAX_DECIMALS} "
                                 "decimals)")
    if amount < 0:
        raise PurchaseOrderError(f"{field}: {_show(raw)} is negative")
    currency = _text(money.get("currencyCode"), f"{field} currencyCode", 3)
    if currency and not (len(currency) == 3 and currency.isalpha() and currency.isupper()):
        raise PurchaseOrderError(f"{field}: {_show(currency)} is not a currency code")
    return amount, currency


def parse_party(value, field="party"):
    if value is None:
        return None
    value = _dict(value, field)
    address = _dict(value.get("address"), f"{field} address")
    text = lambda key, limit=MAX_TEXT: _text(address.get(key), f"{field} {key}", limit)  # noqa: E731
    street2 = " ".join(filter(None, (text("addressLine2"), text("addressLine3"))))
    return Party(
        party_id=_text(value.get("partyId"), f"{field} partyId", MAX_IDENTIFIER),
        name=text("name"),
        street=text("addressLine1"),
        street2=street2,
        city=text("city"),
        state_code=text("stateOrRegion", MAX_IDENTIFIER),
        zip=text("postalCode", MAX_IDENTIFIER),
        country_code=text("countryCode", 2),
        phone=text("phone", MAX_IDENTIFIER),
        **_tax_info(value.get("taxInfo"), field),
    )


def _tax_info(value, field):
    """PartyIdentification.taxInfo -> the Party's tax fields (empty when not given)."""
    if not value:
        return {}
    info = _dict(value, f"{field} taxInfo")
    kind = _text(info.get("taxRegistrationType"), f"{field} taxRegistrationType", 8)
    return {"tax_registration": _text(info.get("taxRegistrationNumber"),
                                      f"{field} taxRegistrationNumber", MAX_IDENTIFIER),
            "tax_registration_type": kind if kind in ("VAT", "GST") else ""}


def parse_item(raw, index):
    if not isinstance(raw, dict):
        raise PurchaseOrderError(f"item {index}: {_show(raw)} is not an item")
    sequence = _text(raw.get("itemSequenceNumber"), f"item {index} itemSequenceNumber",
                     MAX_IDENTIFIER) or str(index)
    where = f"item {sequence}"
    quantity = _dict(raw.get("orderedQuantity"), f"{where} orderedQuantity", required=True)
    amount = _whole_number(quantity.get("amount"), f"{where} orderedQuantity.amount")
    written = _text(quantity.get("unitOfMeasure"), f"{where} unitOfMeasure") or "Eaches"
    # Amazon's own sandbox purchase order writes "CASES": the unit is read whatever its case
    unit = {"cases": "Cases", "eaches": "Eaches"}.get(written.lower())
    if unit is None:
        raise PurchaseOrderError(f"{where}: unknown unitOfMeasure {_show(written)}")
    size = quantity.get("unitSize")
    unit_size = 1 if size in (None, "") else _whole_number(size, f"{where} unitSize", 1)
    eaches = amount * unit_size if unit == "Cases" else amount
    if eaches > MAX_QUANTITY:
        raise PurchaseOrderError(f"{where}: {amount} cases of {unit_size} is larger than Odoo "
                                 f"can store ({MAX_QUANTITY:,} units)")
    net_cost, currency = parse_money(raw.get("netCost"), f"{where} netCost")
    cost_unit = ""
    if isinstance(raw.get("netCost"), dict) and raw["netCost"].get("unitOfMeasure"):
        cost_unit = _text(raw["netCost"]["unitOfMeasure"], f"{where} netCost unitOfMeasure")
        if cost_unit not in WEIGHT_UNITS:
            raise PurchaseOrderError(f"{where} netCost: unknown unitOfMeasure "
                                     f"{_show(cost_unit)}")
    list_price, list_currency = parse_money(raw.get("listPrice"), f"{where} listPrice")
    backorder = raw.get("isBackOrderAllowed")
    if backorder is not None and not isinstance(backorder, bool):
        raise PurchaseOrderError(f"{where} isBackOrderAllowed: {_show(backorder)} is not "
                                 "true or false")
    return Item(
        sequence=sequence,
        asin=_text(raw.get("amazonProductIdentifier"), f"{where} amazonProductIdentifier",
                   MAX_IDENTIFIER),
        vendor_sku=_text(raw.get("vendorProductIdentifier"), f"{where} vendorProductIdentifier",
                         MAX_IDENTIFIER),
        ordered_amount=amount,
        unit_of_measure=unit,
        unit_size=unit_size,
        quantity_eaches=eaches,
        net_cost=net_cost,
        currency=currency or list_currency,
        list_price=list_price,
        backorder_allowed=bool(backorder),
        cost_unit=cost_unit,
    )


def _sequence_key(sequence):
    # Amazon writes item sequences as "1" or "00001": the same item either way.
    return sequence.lstrip("0") or "0"


def parse_purchase_order(raw):
    """Read one order of getPurchaseOrders/getPurchaseOrder into a PurchaseOrder.

    Anything Odoo cannot hold or read raises PurchaseOrderError naming the field; items that
    repeat an itemSequenceNumber are kept, marked ``duplicate`` (never acknowledged twice).
    """
    if not isinstance(raw, dict):
        raise PurchaseOrderError(f"the purchase order is not an object ({_show(raw)})")
    number = _text(raw.get("purchaseOrderNumber"), "purchaseOrderNumber", MAX_IDENTIFIER)
    if not number:
        raise PurchaseOrderError("purchaseOrderNumber is missing")
    details = raw.get("orderDetails")
    if not details:
        raise PurchaseOrderError(f"{number}: orderDetails is missing (includeDetails=false?)")
    details = _dict(details, f"{number} orderDetails")
    if not details.get("shipToParty"):
        raise PurchaseOrderError(f"{number}: shipToParty is missing")
    imports = _dict(details.get("importDetails"), "importDetails")
    raw_items = details.get("items")
    if raw_items is None:
        raw_items = []
    if not isinstance(raw_items, list):
        raise PurchaseOrderError(f"{number}: items is not a list")
    items, seen = [], set()
    for index, entry in enumerate(raw_items, 1):
        item = parse_item(entry, index)
        key = _sequence_key(item.sequence)
        if key in seen:
            item = dataclasses.replace(item, duplicate=True)
        seen.add(key)
        items.append(item)
    state = _text(raw.get("purchaseOrderState"), "purchaseOrderState", MAX_IDENTIFIER)
    return PurchaseOrder(
        number=number,
        state=state or "New",
        order_date=parse_datetime(details.get("purchaseOrderDate"), "purchaseOrderDate"),
        changed_date=parse_datetime(details.get("purchaseOrderChangedDate"),
                                    "purchaseOrderChangedDate"),
        order_type=_text(details.get("purchaseOrderType"), "purchaseOrderType",
                         MAX_IDENTIFIER) or "RegularOrder",
        payment_method=_text(details.get("paymentMethod"), "paymentMethod", MAX_IDENTIFIER),
        deal_code=_text(details.get("dealCode"), "dealCode", MAX_IDENTIFIER),
        incoterms=_text(imports.get("internationalCommercialTerms"),
                        "internationalCommercialTerms", MAX_IDENTIFIER),
        import_details=dict(imports),
        selling_party=parse_party(details.get("sellingParty"), "sellingParty") or Party(""),
        ship_to=parse_party(details["shipToParty"], "shipToParty"),
        bill_to=parse_party(details.get("billToParty"), "billToParty"),
        buying_party=parse_party(details.get("buyingParty"), "buyingParty"),
        ship_window=parse_window(details.get("shipWindow"), "shipWindow"),
        delivery_window=parse_window(details.get("deliveryWindow"), "deliveryWindow"),
        items=tuple(items),
    )


# Amazon's Incoterms names -> ICC codes (Odoo's account.incoterms codes; Incoterms 2020
# renamed DAT "Delivered at Place Unloaded", DPU, and Odoo 18 has no DAT).
INCOTERMS = {
    "ExWorks": "EXW", "FreeCarrier": "FCA", "FreeOnBoard": "FOB", "FreeAlongSideShip": "FAS",
    "CarriagePaidTo": "CPT", "CarriageAndInsurancePaidTo": "CIP", "CostAndFreight": "CFR",
    "CostInsuranceAndFreight": "CIF", "DeliveredAtTerminal": "DPU", "DeliveredAtPlace": "DAP",
    "DeliverDutyPaid": "DDP",
}


def compare_items(old, new):
    """Differences between two versions of a PO's items: [(sequence, field, old, new)]."""
    before = {i.sequence: i for i in old if not i.duplicate}
    after = {i.sequence: i for i in new if not i.duplicate}
    changes = []
    for seq in sorted(set(before) | set(after), key=lambda s: (len(s), s)):
        a, b = before.get(seq), after.get(seq)
        if a is None:
            changes.append((seq, "added", None, b.quantity_eaches))
        elif b is None:
            changes.append((seq, "removed", a.quantity_eaches, None))
        else:
            for field in ("quantity_eaches", "net_cost"):
                if getattr(a, field) != getattr(b, field):
                    changes.append((seq, field, getattr(a, field), getattr(b, field)))
    return changes
