"""The simulator's own control API under ``/_simulator/`` (JSON, no token; not Amazon's).

GET  health                        status, clock, counts, settings, faults
POST reset                         {"seed": 42, "default_data": true}
GET  catalogue / POST catalogue    {"items": [...], "regenerate": true}
POST purchase-orders               {"orders": [{...explicit...}]} or {"generate": 5, ...}
                                   (generate options: currency, vendor_code, ship_to, skus,
                                    age_seconds, freight_terms: "Collect" | "Prepaid")
POST purchase-orders/<n>/change    {"items": [{"itemSequenceNumber": "1", "quantity": 6}
                                    | {"itemSequenceNumber": "2", "cancel": true}],
                                    "shipWindow": "...--..." | null,
                                    "deliveryWindow": "...--..." | null,
                                    "freightTerms": "Collect" | "Prepaid" | null}
                                   (freight terms follow the windows unless set here: a
                                    shipWindow PO is Collect, see purchase_orders.py)
POST purchase-orders/<n>/receive   {"items": [{"itemSequenceNumber": "1", "quantity": 6}]}
                                   or {"all": true}: the fulfilment centre receives goods
                                   without an API ASN (quantity in the item's unit; "all"
                                   receives what was acknowledged, else ordered, and is
                                   not received yet; what is received counts as shipped).
                                   Invoices may only bill shipped goods.
POST purchase-orders/<n>/cost      {"items": [{"itemSequenceNumber": "1", "netCost": "9.50"}]}
                                   Amazon's cost on file drops after the PO was confirmed
                                   (null restores the PO's): invoices keep the PO cost, Amazon
                                   pays its own (a price claim, PPV, at payment)
GET  clock / POST clock            {"advance": seconds} or {"set": "2026-11-01T00:00:00Z"}
POST transactions/settle           settle every pending transaction now
POST settings                      {"transaction_delay": s, "report_delay": s,
                                    "document_url_ttl": s, "stay_processing":
                                    ["shipment_confirmation", "invoice"]}
                                   (stay_processing: kinds whose documents without errors stay
                                    Processing instead of Success, as Amazon is reported to do)
                                   {"pricing_role": true}: the caller is a seller authorization
                                   with the Pricing role: getCompetitivePricing answers
                                   (pricing.py) instead of refusing
                                   Payments (payments.py), all off by default:
                                   {"shortage_rate": 0.1,  (0..1: share of ASN cartons the FC
                                                            receives short, seeded)
                                    "coop_percent": 2, "damage_allowance_percent": 1.5,
                                                           (% of the previous month's net
                                                            receipts, invoiced monthly)
                                    "late_asn_chargeback": 25,  (per ASN sent > 30 minutes
                                                            after shippedDate or after a PO's
                                                            window)
                                    "payment_run_weekday": 2,  (0 Monday .. 6 Sunday; default
                                                            Wednesday, midnight UTC)
                                    "payment_currencies": {"EUR": {"currency": "USD",
                                                           "exchange_rate": "1.0842"}},
                                    "finance_page_sizes": {"remittances": 100,
                                       "remittance_items": 100, "invoices": 100,
                                       "invoice_items": 600}}  (smaller pages only)
GET  payments                      remittances with their lines, deductions (claims) with their
                                   reversals, lines waiting for a payment run (plays the runs
                                   the clock has passed, as the finance endpoints do)
POST deductions/<number>/reverse   {"amount": "12.50", "reason": "..."} (both optional: all
                                   that is left): Amazon reverses a deduction (the vendor won
                                   the dispute): "<number>R" (SC -> SCR), positive, next run
POST remittances/<id>/status      {"status": "IN_PROGRESS" | "SUCCESSFUL" | "FAILED"}: Amazon's
                                   status of that payment from now on
GET  faults / POST faults          {"faults": [{"kind": "500", "count": 2, "operation": ...,
                                    "delay": s}], "transaction_failure_rate": 0.2,
                                    "forbidden": true}
DELETE faults (or POST faults/clear)
POST throttling                    {"enabled": false}
GET  documents[?kind=invoice]      every document POSTed, with transaction id and state
GET  fulfilment-centres            the Amazon warehouses POs ship to (partyId -> address)
GET  edi / POST edi                Amazon's EDI partner (edi_partner.py): {"partners":
                                   [{"username", "public_key", "vendor_code", "our_id",
                                     "amazon_id", "standard": "x12" | "edifact", ...}]}
POST edi/<username>/deliver        {"purchaseOrders": [...], "again": false}: 850/ORDERS now
"""
import copy
import datetime
import re
from decimal import Decimal, InvalidOperation

from .. import amazon_schema
from ..amazon_dates import parse_date_time
from . import direct_fulfillment, edi_partner, finances, payments
from .catalogue import FULFILMENT_CENTRES, normalise_catalogue
from .clock import iso
from .datagen import generate_order
from .errors import ApiError
from .purchase_orders import FREIGHT_TERMS, PurchaseOrder, PurchaseOrderItem, to_eaches
from .transactions import KINDS

PO_NUMBER_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _bad(message):
    return ApiError(400, "InvalidInput", message)


def _body(request):
    body = request.json_body(required=False) or {}
    if not isinstance(body, dict):
        raise _bad("the body must be a JSON object")
    return body


def _explicit_order(state, data, now):
    """A PO from Amazon's Order JSON (checked against the model), kept as the simulator's."""
    problems = amazon_schema.validate("vendor_orders_v1", "Order", data)
    if problems:
        raise _bad("; ".join(problems))
    number = data["purchaseOrderNumber"]
    if len(number) != 8 or not set(number) <= PO_NUMBER_CHARS:
        raise _bad(f"purchaseOrderNumber {number} is not an 8-character alphanumeric code")
    details = data.get("orderDetails")
    if not details:
        raise _bad("orderDetails are required to create a purchase order")
    created = parse_date_time(details["purchaseOrderDate"])
    if created > now:
        raise _bad("purchaseOrderDate is in the future")
    by_asin = {p["asin"]: p for p in state.catalogue}
    by_sku = {p["vendor_sku"]: p for p in state.catalogue}
    items = []
    for line in details["items"]:
        product = by_asin.get(line.get("amazonProductIdentifier")) or by_sku.get(
            line.get("vendorProductIdentifier"))
        if product is None:
            product = {"asin": line.get("amazonProductIdentifier", ""),
                       "vendor_sku": line.get("vendorProductIdentifier", "")}
        cost = line.get("netCost") or {}
        product = dict(product, net_cost=cost.get("amount", product.get("net_cost")),
                       list_price=(line.get("listPrice") or cost).get("amount"),
                       currency=cost.get("currencyCode", product.get("currency", "USD")))
        if not product["net_cost"]:
            raise _bad(f"item {line['itemSequenceNumber']}: netCost is needed (not in the "
                       "catalogue)")
        quantity = line["orderedQuantity"]
        unit = quantity.get("unitOfMeasure", "Eaches")
        items.append(PurchaseOrderItem(
            line["itemSequenceNumber"], product, to_eaches(quantity),
            unit=unit, unit_size=int(quantity.get("unitSize") or 1),
            back_order_allowed=line["isBackOrderAllowed"], created=created))
    ship_to = (details.get("shipToParty") or {}).get("partyId")
    vendor = (details.get("sellingParty") or {}).get("partyId")
    if not ship_to or not vendor:
        raise _bad("orderDetails.shipToParty and sellingParty are required")
    po = PurchaseOrder(
        number, created, vendor_code=vendor, ship_to=ship_to,
        order_type=details.get("purchaseOrderType", "RegularOrder"),
        payment_method=details.get("paymentMethod", "Invoice"),
        ship_window=details.get("shipWindow"), delivery_window=details.get("deliveryWindow"),
        deal_code=details.get("dealCode"), import_details=details.get("importDetails"),
        buying_party=details.get("buyingParty"), selling_party=details.get("sellingParty"),
        ship_to_party=details.get("shipToParty"), bill_to_party=details.get("billToParty"),
        items=items)
    return po


def create_orders(state, request):
    body = _body(request)
    now = state.clock.now()
    created = []
    with state.lock:
        for data in body.get("orders") or []:
            po = _explicit_order(state, data, now)
            if po.number in state.orders:
                raise _bad(f"purchase order {po.number} already exists")
            created.append(po)
        count = int(body.get("generate", 0))
        if count < 0 or count > 1000:
            raise _bad("generate must be between 0 and 1000")
        taken = set(state.orders) | {po.number for po in created}
        for _ in range(count):
            when = now - datetime.timedelta(seconds=int(body.get("age_seconds", 0)))
            try:
                po = generate_order(state.rng, state.catalogue, when.replace(microsecond=0),
                                    taken, currency=body.get("currency"),
                                    vendor_code=body.get("vendor_code"),
                                    ship_to=body.get("ship_to"), skus=body.get("skus"),
                                    freight_terms=body.get("freight_terms"))
            except ValueError as exc:
                raise _bad(str(exc)) from None
            taken.add(po.number)
            created.append(po)
        if not created:
            raise _bad("give explicit orders or generate >= 1")
        for po in created:
            state.add_order(po)
        if state.edi is not None:  # Amazon sends new POs to EDI partners at once
            state.edi.orders_created(created)
        return 201, {"purchaseOrders": [po.order_json() for po in created]}


def _order(state, number):
    po = state.orders.get(number)
    if po is None:
        raise ApiError(404, "NotFound", f"no purchase order {number}")
    return po


def change_order(state, request):
    number = request.path_args[0]
    body = _body(request)
    with state.lock:
        po = _order(state, number)
        if po.state == "Closed":
            raise _bad("a closed purchase order cannot change")
        now = state.clock.now()
        for change in body.get("items") or []:
            item = po.item(change.get("itemSequenceNumber"))
            if item is None:
                raise _bad(f"no item {change.get('itemSequenceNumber')} on {number}")
            if change.get("cancel"):
                item.change_quantity(0, now)
            else:
                quantity = int(change.get("quantity", -1))
                if quantity < 0:
                    raise _bad("give quantity (in the item's unit of measure) or cancel")
                item.change_quantity(quantity * item.unit_size, now)
        for key, attr in (("shipWindow", "ship_window"), ("deliveryWindow", "delivery_window")):
            if key in body and body[key] is None:  # the PO no longer carries this window
                setattr(po, attr, None)
            elif key in body:
                value = body[key]
                parts = str(value).split("--")
                if len(parts) != 2 or not all(map(parse_date_time, parts)):
                    raise _bad(f"{key} must be start--end in ISO 8601")
                setattr(po, attr, value)
        if "freightTerms" in body:
            terms = body["freightTerms"]
            if terms is not None and terms not in FREIGHT_TERMS:
                raise _bad("freightTerms must be Collect, Prepaid or null (follow the windows)")
            po.freight_terms_override = terms
        po.changed = now
        po.touch()
        if state.edi is not None:  # Amazon sends the change to EDI partners (860 / ORDCHG)
            state.edi.orders_changed([po])
        return 200, dict(po.order_json(), freightTerms=po.freight_terms)


def receive_order(state, request):
    """The fulfilment centre receives goods of a PO that no API ASN announced."""
    number = request.path_args[0]
    body = _body(request)
    with state.lock:
        po = _order(state, number)
        now = state.clock.now()
        receipts = []
        if body.get("all"):
            for item in po.items:
                expected = item.accepted if item.acks else item.ordered
                if expected > item.received:
                    receipts.append((item, expected - item.received))
        for entry in body.get("items") or []:
            item = po.item(entry.get("itemSequenceNumber"))
            if item is None:
                raise _bad(f"no item {entry.get('itemSequenceNumber')} on {number}")
            try:
                quantity = int(entry.get("quantity", 0))
            except (TypeError, ValueError):
                quantity = 0
            if quantity <= 0:
                raise _bad("give a positive quantity (in the item's unit of measure)")
            receipts.append((item, quantity * item.unit_size))
        if not receipts and not body.get("all"):
            raise _bad('give items [{"itemSequenceNumber", "quantity"}] or all: true')
        for item, eaches in receipts:
            item.receive(eaches, now)
            # Goods announced outside the API (a Vendor Central ASN) were shipped too.
            item.shipped = max(item.shipped, item.received)
        po.close_if_complete(now)
        po.touch()
        return 200, po.status_json()


def catalogue(state, request):
    if request.method == "GET":
        return 200, {"items": state.catalogue}
    body = _body(request)
    try:
        items = normalise_catalogue(body.get("items"))
    except ValueError as exc:
        raise _bad(str(exc)) from None
    with state.lock:
        if body.get("regenerate", True):
            state.reset(seed=state.seed, catalogue=items)
        else:
            state.catalogue = items
    return 200, {"items": state.catalogue}


def reset(state, request):
    body = _body(request)
    try:
        state.reset(seed=body.get("seed", state.seed), catalogue=body.get("catalogue"),
                    default_data=body.get("default_data", True))
    except ValueError as exc:
        raise _bad(str(exc)) from None
    state.throttle.reset()
    return 200, state.health()


def clock(state, request):
    if request.method == "POST":
        body = _body(request)
        if "advance" in body:
            state.clock.advance(float(body["advance"]))
        elif "set" in body:
            when = parse_date_time(body["set"])
            if when is None:
                raise _bad("set must be an ISO 8601 date-time")
            state.clock.set(when)
        else:
            raise _bad("give advance (seconds) or set (date-time)")
        state.tick()
    return 200, {"now": iso(state.clock.now()), "frozen": state.clock.frozen}


def settle(state, request):
    return 200, {"settled": state.settle_all()}


def _stay_processing(value):
    if not isinstance(value, list) or not all(isinstance(kind, str) for kind in value):
        raise _bad("stay_processing must be a list of document kinds, e.g. "
                   '["shipment_confirmation", "invoice"]')
    unknown = [kind for kind in value if kind not in KINDS]
    if unknown:
        raise _bad(f"stay_processing: unknown document kind {', '.join(unknown)}; known: "
                   f"{', '.join(KINDS)}")
    return sorted(set(value))


def _seconds(key, value):
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1.0
    if seconds < 0:
        raise _bad(f"{key} must be a number of seconds, zero or more")
    return seconds


def _number(key, value, low, high=None):
    """A number from ``low`` to ``high`` (a JSON number or a decimal string)."""
    if isinstance(value, bool):
        value = None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, TypeError):
        number = None
    if number is None or not number.is_finite() or number < low or (
            high is not None and number > high):
        bounds = f"from {low} to {high}" if high is not None else f"of {low} or more"
        raise _bad(f"{key} must be a number {bounds}")
    return float(number)


def _flag(key, value):
    if not isinstance(value, bool):
        raise _bad(f"{key} is true or false")
    return value


def _weekday(key, value):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
        raise _bad(f"{key} must be a weekday number: 0 (Monday) to 6 (Sunday)")
    return value


def _payment_currencies(key, value):
    """{"EUR": {"currency": "USD", "exchange_rate": "1.0842"}}: invoices in EUR are paid in
    USD, paymentAmount = paymentAmountInInvoiceCurrency x exchange_rate."""
    if not isinstance(value, dict):
        raise _bad(f'{key} must map invoice currencies to {{"currency": "USD", '
                   '"exchange_rate": "1.08"}')
    clean = {}
    for code, spec in value.items():
        if not (isinstance(spec, dict) and set(spec) <= {"currency", "exchange_rate"}
                and isinstance(spec.get("currency"), str)
                and re.fullmatch(r"[A-Z]{3}", spec["currency"])
                and re.fullmatch(r"[A-Z]{3}", str(code))):
            raise _bad(f'{key}.{code}: give {{"currency": "<ISO 4217 code>", '
                       '"exchange_rate": "<positive decimal>"}')
        rate = spec.get("exchange_rate", "1")
        try:
            parsed = Decimal(str(rate)) if not isinstance(rate, bool) else None
        except InvalidOperation:
            parsed = None
        if parsed is None or not parsed.is_finite() or parsed <= 0 or \
                -parsed.as_tuple().exponent > 8:
            raise _bad(f"{key}.{code}.exchange_rate must be a positive decimal (at most 8 "
                       "decimals)")
        clean[code] = {"currency": spec["currency"], "exchange_rate": str(parsed)}
    return clean


PAGE_LIMITS = {"remittances": 100, "remittance_items": 100, "invoices": 100,
               "invoice_items": 600}


def _page_sizes(key, value):
    """Smaller pages than Amazon's (to exercise pagination); never larger."""
    if not isinstance(value, dict) or not set(value) <= set(PAGE_LIMITS):
        raise _bad(f"{key} must map some of {', '.join(PAGE_LIMITS)} to page sizes")
    for name, size in value.items():
        if isinstance(size, bool) or not isinstance(size, int) \
                or not 1 <= size <= PAGE_LIMITS[name]:
            raise _bad(f"{key}.{name} must be a whole number from 1 to {PAGE_LIMITS[name]}")
    return dict(PAGE_LIMITS, **value)


SETTING_CHECKS = {
    "stay_processing": lambda key, value: _stay_processing(value),
    "pricing_role": lambda key, value: _flag(key, value),
    "shortage_rate": lambda key, value: _number(key, value, 0, 1),
    "coop_percent": lambda key, value: _number(key, value, 0, 100),
    "damage_allowance_percent": lambda key, value: _number(key, value, 0, 100),
    "late_asn_chargeback": lambda key, value: _number(key, value, 0),
    "payment_run_weekday": _weekday,
    "payment_currencies": _payment_currencies,
    "finance_page_sizes": _page_sizes,
}


def settings(state, request):
    body = _body(request)
    with state.lock:
        unknown = [key for key in body if key not in state.settings]
        if unknown:
            raise _bad(f"unknown setting {', '.join(unknown)}; known: "
                       f"{', '.join(state.settings)}")
        # Check everything before changing anything: a 400 leaves the settings as they were.
        values = {key: SETTING_CHECKS.get(key, _seconds)(key, value)
                  for key, value in body.items()}
        # Payment runs the clock has passed are played with the settings of their time; the
        # next ones follow the new settings.
        state.tick()
        payments.settle(state, state.clock.now())
        state.settings.update(values)
        return 200, copy.deepcopy(state.settings)


def reverse_deduction(state, request):
    """Amazon reverses a deduction (the vendor won its dispute): a positive line in the next
    payment run. Body (optional): {"amount": "12.50"} for part of it."""
    number = request.path_args[0]
    body = _body(request)
    amount = body.get("amount")
    if amount is not None:
        amount = Decimal(str(_number("amount", amount, Decimal("0.01"))))
    reason = body.get("reason") or "Dispute won"
    if not isinstance(reason, str):
        raise _bad("reason must be text")
    with state.lock:
        try:
            entry = payments.reverse_claim(state, number, amount, state.clock.now(), reason)
        except LookupError:
            raise ApiError(404, "NotFound", f"no deduction {number}") from None
        except ValueError as exc:
            raise _bad(str(exc)) from None
        return 200, payments.remittance_item_json(entry)


def remittance_status(state, request):
    """Amazon's status of a payment it made (or is making): {"status": "IN_PROGRESS" |
    "SUCCESSFUL" | "FAILED"}; its remittance is read with that status from now on."""
    unique_id = request.path_args[0]
    status = _body(request).get("status")
    if status not in ("IN_PROGRESS", "SUCCESSFUL", "FAILED"):
        raise _bad("status must be IN_PROGRESS, SUCCESSFUL or FAILED")
    with state.lock:
        state.tick()
        payments.settle(state, state.clock.now())
        remittance = state.payments.remittances.get(unique_id)
        if remittance is None:
            raise ApiError(404, "NotFound", f"no remittance {unique_id}")
        remittance["status"] = status
        return 200, payments.remittance_header_json(remittance)


def change_cost(state, request):
    """Amazon's cost on file for PO items drops after the PO was confirmed: the invoices keep
    the PO cost, Amazon pays its own (a price claim, PPV). Body: {"items":
    [{"itemSequenceNumber": "1", "netCost": "9.50"}]} ("netCost": null restores the PO's)."""
    number = request.path_args[0]
    body = _body(request)
    with state.lock:
        po = _order(state, number)
        changes = []
        for change in body.get("items") or []:
            item = po.item(change.get("itemSequenceNumber")) if isinstance(change, dict) \
                else None
            if item is None:
                raise _bad(f"no item {change!r} on {number}")
            cost = change.get("netCost")
            if cost is not None:
                cost = str(Decimal(str(_number("netCost", cost, Decimal("0.000001")))))
            changes.append((item, cost))
        if not changes:
            raise _bad('give items [{"itemSequenceNumber": "1", "netCost": "9.50"}]')
        for item, cost in changes:
            item.amazon_cost = cost
        return 200, {"purchaseOrderNumber": number, "items": [
            {"itemSequenceNumber": i.seq, "netCost": i.net_cost, "amazonCost": i.amazon_cost}
            for i in po.items]}


def payments_view(state, request):
    return 200, finances.describe(state)


def faults(state, request):
    if request.method == "DELETE" or request.path.endswith("/clear"):
        state.faults.clear()
    elif request.method == "POST":
        try:
            return 200, state.faults.configure(_body(request))
        except (TypeError, ValueError) as exc:
            raise _bad(str(exc)) from None
    return 200, state.faults.describe()


def throttling(state, request):
    body = _body(request)
    if "enabled" not in body:
        raise _bad("give enabled: true|false")
    state.throttle.enabled = bool(body["enabled"])
    state.throttle.reset()
    return 200, {"enabled": state.throttle.enabled}


def documents(state, request):
    kind = (request.params.get("kind") or [None])[0]
    return 200, {"documents": state.describe_documents(kind)}


def health(state, request):
    state.tick()
    return 200, state.health()


def fulfilment_centres(state, request):
    return 200, {"fulfilmentCentres": FULFILMENT_CENTRES}


ROUTES = [
    ("GET", r"health", health),
    ("POST", r"reset", reset),
    ("GET|POST", r"catalogue", catalogue),
    ("POST", r"purchase-orders", create_orders),
    ("POST", r"purchase-orders/([^/]+)/change", change_order),
    ("POST", r"purchase-orders/([^/]+)/receive", receive_order),
    ("POST", r"purchase-orders/([^/]+)/cost", change_cost),
    ("GET|POST", r"clock", clock),
    ("POST", r"transactions/settle", settle),
    ("POST", r"settings", settings),
    ("GET|POST|DELETE", r"faults", faults),
    ("POST", r"faults/clear", faults),
    ("POST", r"throttling", throttling),
    ("GET", r"documents", documents),
    ("GET", r"fulfilment-centres", fulfilment_centres),
    ("GET", r"payments", payments_view),
    ("POST", r"deductions/(.+)/reverse", reverse_deduction),  # numbers may hold "/"
    ("POST", r"remittances/([^/]+)/status", remittance_status),
    *edi_partner.ROUTES,  # GET|POST edi, POST edi/<username>/deliver
    *direct_fulfillment.CONTROL_ROUTES,  # GET|POST df, POST df/<n>/cancel
]
