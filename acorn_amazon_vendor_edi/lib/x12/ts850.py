"""850 Purchase Order (X12 004010, group PO) <-> an ``Order`` of getPurchaseOrders (vendor
orders v1).

Sources: Amazon's "Retail X12 Purchase Order X12/V4010/850" (v2.2, modified 2024-06-07) as
reproduced by ECGrid (support.ecgrid.com "Amazon 850 - Retail Purchase Order
Specifications") and Stedi's Amazon "X12 850 Retail Purchase Order" guide: heading ST, BEG
(BEG02 order type CN consigned / NE new / NP new product introduction / RO rush), REF (customer
reference, promotion/deal number), FOB, CSH sales requirement (mandatory), DTM "do not deliver
before" / "do not deliver after", N9/MSG, N1 loop (ship-to); detail PO1 loop; summary CTT.
Confirmed at segment level; element-level codes below follow the X12 004010 standard where
the public copies of Amazon's guide could not be read in full:

  BEG  00 * type * purchaseOrderNumber * * CCYYMMDD       purchaseOrderDate (its time, when
       not midnight, in DTM*004)
  CUR  BY * currency                                       netCost / listPrice currency
  REF  PD * dealCode
  REF  ZZ * paymentMethod * PaymentMethod                  (our convention; not in Amazon's)
  CSH  Y (back order if out of stock) / N (no back order)  isBackOrderAllowed (same for all
                                                           items: X12 carries it per order)
  DTM  064/063 deliveryWindow, 037/038 shipWindow (do not deliver before/after, ship not
       before/no later)
  N1   BY buyingParty, SU sellingParty, ST shipToParty, BT billToParty (Amazon's own 850
       sends the ship-to; our simulator writes all four so nothing is lost)
  PO1  itemSequenceNumber * orderedQuantity * EA/CA * netCost * * BP * ASIN * VN * vendor SKU
  PO4  unitSize                                             CTP * * MSR * listPrice
  CTT  number of PO1 lines * total quantity

Not carried: purchaseOrderState (an 850 is a new order: read as ``New``),
purchaseOrderChangedDate (changes are 860s), purchaseOrderStateChangedDate (read as the order
date), importDetails, party address ``district``.
"""
from ..envelope import EdiError
from . import common as c
from .interchange import require

ORDER_TYPES = {"RegularOrder": "NE", "ConsignedOrder": "CN", "NewProductIntroduction": "NP",
               "RushOrder": "RO"}
ORDER_TYPES_BACK = {v: k for k, v in ORDER_TYPES.items()}
PARTIES = (("buyingParty", "BY"), ("sellingParty", "SU"), ("shipToParty", "ST"),
           ("billToParty", "BT"))
WINDOWS = (("deliveryWindow", "064", "063"), ("shipWindow", "037", "038"))


def split_window(value, field):
    if not isinstance(value, str) or value.count("--") != 1:
        raise c.fail(f"{field}: {value!r} is not 'start--end'", "DTM")
    return value.split("--")


def write_body(order):
    number = order.get("purchaseOrderNumber")
    details = order.get("orderDetails") or {}
    if not number:
        raise c.fail("purchaseOrderNumber is missing", "BEG", 3)
    kind = details.get("purchaseOrderType", "RegularOrder")
    if kind not in ORDER_TYPES:
        raise c.fail(f"orderDetails.purchaseOrderType {kind!r} is not one of "
                     f"{', '.join(ORDER_TYPES)}", "BEG", 2)
    moment = c.parse_iso(details.get("purchaseOrderDate"), "orderDetails.purchaseOrderDate",
                         "BEG")
    date, time = c.date_time(moment, "orderDetails.purchaseOrderDate", "BEG")
    items = details.get("items") or []
    if not items:
        raise c.fail("orderDetails.items is empty", "PO1")
    currencies = {m.get("currencyCode") for i in items for m in (i.get("netCost"),
                                                                    i.get("listPrice")) if m}
    if len(currencies) > 1:
        raise c.fail(f"items in several currencies ({', '.join(sorted(currencies))}): an 850 "
                     "has one (CUR)", "CUR", 2)
    backorder = {bool(i.get("isBackOrderAllowed")) for i in items}
    if len(backorder) > 1:
        raise c.fail("isBackOrderAllowed differs between items: an 850 carries it per order "
                     "(CSH)", "CSH", 1)
    body = [("BEG", ["00", ORDER_TYPES[kind], number, None, date])]
    if currencies:
        body.append(("CUR", ["BY", currencies.pop()]))
    body += c.compact([("REF", ["PD", details["dealCode"]]) if details.get("dealCode") else None,
                       c.labelled("PaymentMethod", details.get("paymentMethod"))])
    body.append(("CSH", ["Y" if backorder.pop() else "N"]))
    if time:
        body.append(c.dtm("004", details["purchaseOrderDate"], "orderDetails.purchaseOrderDate"))
    body += header_out(details)
    total = 0
    for index, item in enumerate(items):
        field = f"orderDetails.items[{index}]"
        if not item.get("itemSequenceNumber"):
            raise c.fail(f"{field}.itemSequenceNumber is missing", "PO1", 1)
        qty, unit, size = c.quantity_out(item.get("orderedQuantity"), f"{field}.orderedQuantity",
                                         "PO1")
        total += int(qty)
        cost = item.get("netCost")
        ids = []
        if item.get("amazonProductIdentifier"):
            ids += ["BP", item["amazonProductIdentifier"]]
        if item.get("vendorProductIdentifier"):
            ids += ["VN", item["vendorProductIdentifier"]]
        if not ids:
            raise c.fail(f"{field}: neither amazonProductIdentifier nor "
                         "vendorProductIdentifier", "PO1", 7)
        body.append(("PO1", [item["itemSequenceNumber"], qty, unit,
                             c.amount(cost["amount"], f"{field}.netCost.amount", "PO1", 4)
                             if cost else None, c.price_basis(cost), *ids]))
        body += line_extras_out(item, size, field)
    body.append(("CTT", [len(items), total]))
    return body


# Segments of a line loop (850 PO1, 860 POC) that carry nothing the API's order has: read past
# wherever the standard allows them. The list price (CTP, position 040) and the pack (PO4, 090)
# are read in either order: our 850 writer put PO4 first until the 860 work found it.
LINE_SKIPPED = {"LIN", "SI", "CUR", "CN1", "PO3", "PAM", "MEA", "PID", "PWK", "REF", "PER",
                "SAC", "IT8", "CSH", "ITD", "DIS", "INC", "TAX", "FOB", "SDQ", "IT3", "DTM",
                "TC2", "TD1", "TD5", "TD3", "TD4", "PCT", "MAN", "SPI", "TXI", "CTB", "AMT",
                "PKG", "LS", "LDT", "LE", "N9", "MSG", "QTY", "SCH", "SLN", "ADV", "N1", "N2",
                "N3", "N4", "NX2", "LM", "LQ"}
# Loops the standard places after the line's own CTP (040) and PO4 (090), some with a CTP or
# PO4 of their own (a charge, a sub-line): from their start on, none is the line's.
NESTED_LOOPS = {"SAC", "SLN", "SCH", "QTY", "N9", "N1", "LDT", "LS", "LM", "PKG", "TD1"}


def line_extras_out(item, size, field):
    """A line's list price (CTP, position 040) and pack (PO4, 090), in the standard's order."""
    body = []
    if item.get("listPrice"):
        body.append(("CTP", [None, "MSR", c.amount(item["listPrice"].get("amount"),
                                                    f"{field}.listPrice.amount", "CTP", 3)]))
    return body + c.compact([c.po4(size)])


def line_extras(body, currency=None):
    """(CTP*MSR list price, PO4 pack) of the line at the reader's position, either absent;
    the other segments the standard allows in a line loop are read past. A line priced in
    another currency than the order's (CUR in the line) is refused."""
    ctp = po4 = None
    nested = False
    while (segment := body.peek(*LINE_SKIPPED, "CTP", "PO4")) is not None:
        body.index += 1
        nested = nested or segment.tag in NESTED_LOOPS
        if nested:
            continue
        if segment.tag == "CTP" and segment[2] == "MSR" and ctp is None:
            ctp = segment
        elif segment.tag == "PO4" and po4 is None:
            po4 = segment
        elif segment.tag == "CUR" and segment[2] and currency and segment[2] != currency:
            raise EdiError(f"the line is priced in {segment[2]}, the order in {currency}: one "
                           "currency per order is read", "CUR", segment.position, 2, code="7")
    return ctp, po4


def header_out(details):
    """The windows (DTM) and parties (N1 loops) of an order's details."""
    body = []
    for key, start_code, end_code in WINDOWS:
        if details.get(key):
            start, end = split_window(details[key], f"orderDetails.{key}")
            body.append(c.dtm(start_code, start, f"orderDetails.{key}"))
            body.append(c.dtm(end_code, end, f"orderDetails.{key}"))
    for key, code in PARTIES:
        if details.get(key):
            body += c.party_out(code, details[key], f"orderDetails.{key}")
    return body


def windows_in(dates):
    """{qualifier: ISO} of the DTMs -> the windows they give ({"shipWindow": "a--b"})."""
    windows = {}
    for key, start_code, end_code in WINDOWS:
        if start_code in dates or end_code in dates:
            if not (start_code in dates and end_code in dates):
                raise EdiError(f"{key}: DTM {start_code} and {end_code} come together", "DTM",
                               code="3")
            windows[key] = f"{dates[start_code]}--{dates[end_code]}"
    return windows


def parties_of(parties, message_type):
    """{N1 code: party} -> {"buyingParty": ...}; a party the message does not carry is refused."""
    details = {key: parties.pop(code) for key, code in PARTIES if code in parties}
    if parties:
        raise EdiError(f"party N1*{next(iter(parties))} is not one an {message_type} carries",
                       "N1", code="7")
    return details


def check_totals(ctt, count, total):
    """CTT01 (number of lines) and, when given, CTT02 (hash total of the quantities)."""
    if c.read_integer(ctt, 1, "CTT01 number of line items") != count:
        raise EdiError(f"CTT01 says {ctt[1]} line items, the transaction has {count}", "CTT",
                       ctt.position, 1, code="6")
    if ctt[2] and c.read_integer(ctt, 2, "CTT02 hash total") != total:
        raise EdiError(f"CTT02 says {ctt[2]} units, the lines add up to {total}", "CTT",
                       ctt.position, 2, code="6")


def product_ids(segment, start, barcode_fallback=False):
    """Qualifier/id pairs from ``start`` -> (ASIN, vendor SKU). With ``barcode_fallback`` (a
    new order's lines), an item named by its UPC, EAN, ISBN or GTIN-14 only gets that as its
    vendor identifier: the core matches it against the products' barcodes."""
    asin = sku = barcode = None
    index = start
    while index < len(segment.elements):
        qualifier, value = segment[index], segment[index + 1]
        if qualifier or value:
            if not (qualifier and value):
                raise EdiError("product qualifier and identifier come in pairs", segment.tag,
                               segment.position, index if not qualifier else index + 1,
                               code="2")
            if qualifier == "BP":
                asin = value
            elif qualifier == "VN":
                sku = value
            elif qualifier in ("EN", "UP", "IB", "UK"):
                barcode = barcode or value
            else:
                raise EdiError(f"product identifier qualifier {qualifier!r} is not BP, VN, EN, "
                               "UP, IB or UK", segment.tag, segment.position, index, code="7")
        index += 2
    return asin, sku or (barcode if barcode_fallback else None)


def read_body(body):
    beg = body.take("BEG")
    require(beg, 1, "BEG01 purpose", {"00"})
    kind = ORDER_TYPES_BACK.get(require(beg, 2, "BEG02 order type", set(ORDER_TYPES_BACK)))
    number = require(beg, 3, "BEG03 purchase order number")
    order_date = c.iso_from(beg, 5)
    cur = body.take("CUR", required=False)
    currency = require(cur, 2, "CUR02 currency") if cur else None
    refs = body.take_all("REF")
    details = {"purchaseOrderDate": order_date, "purchaseOrderStateChangedDate": order_date,
               "purchaseOrderType": kind}
    for ref in refs:
        if ref[1] == "PD":
            details["dealCode"] = ref[2]
    method = c.read_labelled(refs, "PaymentMethod")
    if method:
        details["paymentMethod"] = method
    body.take_all("FOB")
    csh = body.take("CSH")
    backorder = require(csh, 1, "CSH01 sales requirement", {"Y", "N"}) == "Y"
    dates = c.dtm_map(body.take_all("DTM"))
    if "004" in dates:
        if dates["004"][:10] != order_date[:10]:
            raise EdiError("DTM*004 is not the BEG05 order date", "DTM", code="8")
        details["purchaseOrderDate"] = details["purchaseOrderStateChangedDate"] = dates["004"]
    details.update(windows_in(dates))
    body.take_all("PKG")
    while body.peek("N9"):
        body.take("N9")
        body.take_all("MSG")
    details.update(parties_of(c.parties_in(body), "850"))
    items = []
    total = 0
    while (po1 := body.take("PO1", required=not items)) is not None:
        ctp, po4 = line_extras(body, currency)
        item = {"itemSequenceNumber": require(po1, 1, "PO101 line number")}
        asin, sku = product_ids(po1, 6, barcode_fallback=True)
        if asin:
            item["amazonProductIdentifier"] = asin
        if sku:
            item["vendorProductIdentifier"] = sku
        item["orderedQuantity"] = c.quantity_in(po1, 2, 3, po4)
        total += item["orderedQuantity"]["amount"]
        item["isBackOrderAllowed"] = backorder
        price = c.read_amount(po1, 4, "PO104 unit price", required=False)
        # Amazon's retail 850 has no CUR: the prices are in the marketplace's currency, which
        # the receiving account fills in
        money = {"currencyCode": currency} if currency else {}
        if price is not None:
            item["netCost"] = {"amount": price, **money}
        if ctp is not None:
            item["listPrice"] = {"amount": c.read_amount(ctp, 3, "CTP03 list price"), **money}
        items.append(item)
    check_totals(body.take("CTT"), len(items), total)
    body.end()
    details["items"] = items
    return {"purchaseOrderNumber": number, "purchaseOrderState": "New",
            "orderDetails": details}
