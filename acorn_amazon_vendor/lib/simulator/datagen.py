"""Deterministic purchase orders from a seed and a catalogue (default data set and on demand)."""
import datetime

from .catalogue import FULFILMENT_CENTRES, REGIONS, SELLING_PARTIES
from .clock import iso
from .purchase_orders import FREIGHT_TERMS, PurchaseOrder, PurchaseOrderItem

PO_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
ORDER_TYPES = (("RegularOrder", 80), ("RushOrder", 10), ("NewProductIntroduction", 10))
DEFAULT_ORDER_COUNT = 160
DEFAULT_SPAN_DAYS = 30
# Collect or Prepaid per vendor code (Amazon agrees the freight terms with each vendor). The
# default vendor codes are Prepaid, like the demo accounts; the control API generates Collect
# POs on request ({"generate": n, "freight_terms": "Collect"}).
VENDOR_FREIGHT_TERMS = {"ACRN1": "Prepaid", "ACRN2": "Prepaid", "ACRNE": "Prepaid"}


def po_number(rng, taken):
    while True:
        number = str(rng.randint(1, 9)) + "".join(rng.choice(PO_ALPHABET) for _ in range(7))
        if number not in taken:
            return number


def window(start, days):
    """Amazon's interval form ``start--end``."""
    return f"{iso(start)}--{iso(start + datetime.timedelta(days=days))}"


def _day_start(when, days_later):
    day = (when + datetime.timedelta(days=days_later)).replace(
        hour=7, minute=0, second=0, microsecond=0)
    return day


def generate_order(rng, catalogue, created, taken, *, currency=None, vendor_code=None,
                   ship_to=None, skus=None, freight_terms=None):
    """One new PO for products of one currency; optional overrides pick the parties/products
    and the freight terms (default: the vendor code's, see VENDOR_FREIGHT_TERMS)."""
    currencies = sorted({p["currency"] for p in catalogue})
    currency = currency or rng.choice([p["currency"] for p in catalogue])
    if currency not in currencies:
        raise ValueError(f"no catalogue item in {currency}")
    region = REGIONS[currency]
    vendor_code = vendor_code or rng.choice(region["vendor_codes"])
    ship_to = ship_to or rng.choice(region["centres"])
    if ship_to not in FULFILMENT_CENTRES:
        raise ValueError(f"unknown fulfilment centre {ship_to}")
    pool = [p for p in catalogue if p["currency"] == currency]
    if skus:
        by_sku = {p["vendor_sku"]: p for p in catalogue}
        missing = [s for s in skus if s not in by_sku]
        if missing:
            raise ValueError(f"unknown vendor_sku {', '.join(missing)}")
        products = [by_sku[s] for s in skus]
    else:
        products = rng.sample(pool, rng.randint(1, min(6, len(pool))))
    order_type = rng.choices([t for t, _ in ORDER_TYPES], [w for _, w in ORDER_TYPES])[0]
    lead = 1 if order_type == "RushOrder" else rng.randint(2, 5)
    start = _day_start(created, lead)
    # A ship window makes the PO Collect (Amazon picks up), a delivery window Prepaid: see
    # PurchaseOrder.freight_terms. Amazon sets the terms per vendor agreement, so they follow
    # the vendor code. The draw is kept so the data set is the same whatever the terms.
    rng.random()
    terms = freight_terms or VENDOR_FREIGHT_TERMS.get(vendor_code, "Prepaid")
    if terms not in FREIGHT_TERMS:
        raise ValueError(f"freight terms must be {' or '.join(FREIGHT_TERMS)}")
    windows = {"ship_window": window(start, rng.randint(3, 7))} if terms == "Collect" else {
        "delivery_window": window(_day_start(created, lead + 5), rng.randint(4, 8))}
    import_details = None
    if currency == "USD" and rng.random() < 0.07:
        import_details = {
            "methodOfPayment": "PaidByBuyer", "internationalCommercialTerms": "FreeOnBoard",
            "portOfDelivery": "YANTIAN, CN", "importContainers": "1-40'HC",
            "shippingInstructions": "Floor-loaded containers need a packing list per carton.",
        }
    items = []
    for index, product in enumerate(products, start=1):
        case_size = product["case_size"]
        if case_size > 1 and rng.random() < 0.6:
            unit, eaches = "Cases", rng.randint(1, 20) * case_size
        else:
            unit, eaches = "Eaches", rng.randint(1, 24) * rng.choice((1, 5, 10))
        items.append(PurchaseOrderItem(
            index, product, eaches, unit=unit, unit_size=case_size,
            back_order_allowed=rng.random() < 0.35, created=created))
    fc = FULFILMENT_CENTRES[ship_to]
    bill_to = region["bill_to"]
    number = po_number(rng, taken)
    return PurchaseOrder(
        number, created, vendor_code=vendor_code, ship_to=ship_to, order_type=order_type,
        deal_code=f"DEAL{rng.randint(10000, 99999)}" if rng.random() < 0.1 else None,
        import_details=import_details,
        buying_party={"partyId": ship_to, "address": dict(fc, name=bill_to["address"]["name"])},
        selling_party={"partyId": vendor_code,
                       "address": SELLING_PARTIES.get(vendor_code, SELLING_PARTIES["ACRN1"])},
        ship_to_party={"partyId": ship_to, "address": fc},
        bill_to_party=bill_to, items=items, **windows)


def _change(rng, po, when):
    """Amazon changes a PO after placing it: a quantity, or cancels an item."""
    live = [i for i in po.items if not i.cancelled]
    item = rng.choice(live)
    if len(live) > 1 and rng.random() < 0.5:
        item.change_quantity(0, when)
    else:
        step = item.unit_size
        item.change_quantity(max(step, item.ordered - step * rng.randint(1, 3)), when)
    po.changed = when
    po.touch()


def _acknowledge(rng, po, when, partial):
    for item in po.items:
        if item.cancelled:
            continue
        rejected = 0
        if partial and rng.random() < 0.4:
            rejected = item.unit_size * rng.randint(0, item.ordered // item.unit_size)
        item.acknowledge(item.ordered - rejected, rejected, when)
    po.mark_acknowledged(when)


def generate_default_orders(rng, catalogue, now, count=DEFAULT_ORDER_COUNT):
    """The default data set: ``count`` POs over the last 30 days, in every lifecycle stage."""
    taken, orders = set(), []
    span = DEFAULT_SPAN_DAYS * 86400
    for _ in range(count):
        created = (now - datetime.timedelta(seconds=rng.randint(3600, span))).replace(
            microsecond=0)
        po = generate_order(rng, catalogue, created, taken)
        taken.add(po.number)
        age_days = (now - created).days
        if rng.random() < 0.15:
            changed = created + datetime.timedelta(seconds=rng.randint(3600, 2 * 86400))
            if changed < now:
                _change(rng, po, changed)
        base = po.changed or created
        if age_days >= 4 and rng.random() < 0.8:
            ack_at = base + datetime.timedelta(hours=rng.randint(2, 30))
            _acknowledge(rng, po, ack_at, partial=rng.random() < 0.25)
            if age_days >= 14 and po.state != "Closed" and rng.random() < 0.7:
                received_at = ack_at + datetime.timedelta(days=rng.randint(4, 9))
                for item in po.items:
                    if item.accepted:
                        item.shipped = item.accepted
                        item.receive(item.accepted, received_at)
                po.close_if_complete(received_at)
        po.touch()
        orders.append(po)
    return orders
