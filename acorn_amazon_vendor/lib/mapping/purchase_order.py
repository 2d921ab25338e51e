"""Amazon purchase order JSON -> a neutral, validated structure the importers consume.

Quantities are converted exactly to eaches (Cases x unitSize); money stays Decimal.
"""
import dataclasses
import datetime
from decimal import Decimal, InvalidOperation


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
    def window(self):
        """The window the vendor commits to: shipping if given, else delivery."""
        return self.ship_window or self.delivery_window


def parse_datetime(value, field="date"):
    """Amazon ISO 8601 -> naive UTC datetime (what the ORM stores)."""
    if not value:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise PurchaseOrderError(f"{field}: {value!r} is not an ISO 8601 date-time") from None
    if parsed.tzinfo:
        parsed = parsed.astimezone(datetime.UTC).replace(tzinfo=None)
    return parsed.replace(microsecond=0)


def parse_window(value, field):
    """``2026-11-01T00:00:00Z--2026-11-05T00:00:00Z`` -> (start, end)."""
    if not value:
        return None
    start, sep, end = str(value).partition("--")
    if not sep:
        raise PurchaseOrderError(f"{field}: {value!r} is not a start--end window")
    return parse_datetime(start, field), parse_datetime(end, field)


def parse_money(value, field):
    if not value:
        return None, ""
    try:
        return Decimal(str(value["amount"])), value.get("currencyCode") or ""
    except (KeyError, TypeError, InvalidOperation):
        raise PurchaseOrderError(f"{field}: {value!r} is not an amount") from None


def parse_party(value):
    if not value:
        return None
    address = value.get("address") or {}
    street2 = " ".join(filter(None, (address.get("addressLine2"), address.get("addressLine3"))))
    return Party(
        party_id=value.get("partyId") or "",
        name=address.get("name") or "",
        street=address.get("addressLine1") or "",
        street2=street2,
        city=address.get("city") or "",
        state_code=address.get("stateOrRegion") or "",
        zip=address.get("postalCode") or "",
        country_code=address.get("countryCode") or "",
        phone=address.get("phone") or "",
    )


def parse_item(raw, index):
    where = f"item {raw.get('itemSequenceNumber') or index}"
    quantity = raw.get("orderedQuantity") or {}
    try:
        amount = int(quantity["amount"])
    except (KeyError, TypeError, ValueError):
        raise PurchaseOrderError(f"{where}: orderedQuantity.amount is missing") from None
    unit = quantity.get("unitOfMeasure") or "Eaches"
    unit_size = int(quantity.get("unitSize") or 1)
    if unit not in ("Cases", "Eaches"):
        raise PurchaseOrderError(f"{where}: unknown unitOfMeasure {unit!r}")
    if amount < 0 or unit_size < 1:
        raise PurchaseOrderError(f"{where}: quantity {amount} x {unit_size} is not valid")
    net_cost, currency = parse_money(raw.get("netCost"), f"{where} netCost")
    list_price, list_currency = parse_money(raw.get("listPrice"), f"{where} listPrice")
    return Item(
        sequence=str(raw.get("itemSequenceNumber") or index),
        asin=raw.get("amazonProductIdentifier") or "",
        vendor_sku=raw.get("vendorProductIdentifier") or "",
        ordered_amount=amount,
        unit_of_measure=unit,
        unit_size=unit_size,
        quantity_eaches=amount * unit_size if unit == "Cases" else amount,
        net_cost=net_cost,
        currency=currency or list_currency,
        list_price=list_price,
        backorder_allowed=bool(raw.get("isBackOrderAllowed")),
    )


def parse_purchase_order(raw):
    """Read one order of getPurchaseOrders/getPurchaseOrder into a PurchaseOrder."""
    number = raw.get("purchaseOrderNumber")
    if not number:
        raise PurchaseOrderError("purchaseOrderNumber is missing")
    details = raw.get("orderDetails")
    if not details:
        raise PurchaseOrderError(f"{number}: orderDetails is missing (includeDetails=false?)")
    if not details.get("shipToParty"):
        raise PurchaseOrderError(f"{number}: shipToParty is missing")
    imports = details.get("importDetails") or {}
    return PurchaseOrder(
        number=number,
        state=raw.get("purchaseOrderState") or "New",
        order_date=parse_datetime(details.get("purchaseOrderDate"), "purchaseOrderDate"),
        changed_date=parse_datetime(details.get("purchaseOrderChangedDate"),
                                    "purchaseOrderChangedDate"),
        order_type=details.get("purchaseOrderType") or "RegularOrder",
        payment_method=details.get("paymentMethod") or "",
        deal_code=details.get("dealCode") or "",
        incoterms=imports.get("internationalCommercialTerms") or "",
        import_details=dict(imports),
        selling_party=parse_party(details.get("sellingParty")) or Party(""),
        ship_to=parse_party(details["shipToParty"]),
        bill_to=parse_party(details.get("billToParty")),
        buying_party=parse_party(details.get("buyingParty")),
        ship_window=parse_window(details.get("shipWindow"), "shipWindow"),
        delivery_window=parse_window(details.get("deliveryWindow"), "deliveryWindow"),
        items=tuple(parse_item(item, i) for i, item in enumerate(details.get("items") or [], 1)),
    )


# Amazon's Incoterms names -> ICC codes (Odoo's account.incoterms codes).
INCOTERMS = {
    "ExWorks": "EXW", "FreeCarrier": "FCA", "FreeOnBoard": "FOB", "FreeAlongSideShip": "FAS",
    "CarriagePaidTo": "CPT", "CarriageAndInsurancePaidTo": "CIP", "CostAndFreight": "CFR",
    "CostInsuranceAndFreight": "CIF", "DeliveredAtTerminal": "DAT", "DeliveredAtPlace": "DAP",
    "DeliverDutyPaid": "DDP",
}


def compare_items(old, new):
    """Differences between two versions of a PO's items: [(sequence, field, old, new)]."""
    before = {i.sequence: i for i in old}
    after = {i.sequence: i for i in new}
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
