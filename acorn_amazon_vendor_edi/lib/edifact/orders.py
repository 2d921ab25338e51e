"""ORDERS (EANCOM D96A, ``ORDERS:D:96A:UN:EAN008``): Amazon's purchase order <-> one ``Order``
of Vendor Orders v1 getPurchaseOrders.

Layout written and read::

    BGM+220|224|227:::<purchaseOrderType>+<purchaseOrderNumber>+9
    DTM+137 order date, DTM+64 / DTM+63 delivery window start / end,
    DTM+10:<start>-<end>:718|719 ship window
    FTX+PAI+++<paymentMethod>
    RFF+PD:<dealCode>
    NAD+BY buyingParty, NAD+SU sellingParty, NAD+DP shipToParty, NAD+IV billToParty
        (each: RFF+VA|FC tax registration, CTA+IC/COM phone)
    CUX+2:<currency>:9
    LIN+<itemSequenceNumber>  PIA+5+<ASIN>:BP  PIA+5+<vendor id>:SA
        QTY+21:<amount>:PCE|CS  QTY+59:<unitSize>  FTX+LIN+++BACKORDERALLOWED
        PRI+AAA:<netCost>  PRI+AAE:<listPrice>
    UNS+S  CNT+2:<lines>

Sources: EANCOM 1997 ORDERS (BGM 220, DTM 137/63/64, NAD BY/SU/DP/IV, LIN/PIA/QTY+21/PRI,
UNS, CNT); third-party converters for Amazon EU (TransdatiX "Amazon Orders", Zynk "Amazon
Vendor Central (Legacy)") confirm that Amazon EU sends ORDERS D96A with earliest/latest delivery
dates and a promotional deal number. Not confirmed against Amazon's guide: the ship-window DTM
(10 with a range format), PIA qualifiers BP/SA, PRI+AAE for the list price, FTX+PAI for the
payment method, FTX+LIN for the back-order flag, BGM codes other than 220.

Not carried (absent after reading): purchaseOrderState other than New (ORDERS is only sent for
open orders: read back as "New"), purchaseOrderChangedDate, purchaseOrderStateChangedDate,
importDetails, address county/district, the currency of each price (one CUX per message).
"""
import dataclasses
import datetime

from ..envelope import EdiError
from .common import (
    BARCODE_TYPES,
    PartyReader,
    apply_unit_size,
    check_cnt,
    currency_of,
    dtm,
    dtm_window,
    first,
    iso,
    money,
    nad,
    parse_iso,
    pia,
    qty,
    read_dtm,
    read_pia,
    read_qty,
    split_lines,
    unit_size_segment,
)
from .envelope import amount_text, limited

IDENTIFIER = ("ORDERS", "D", "96A", "UN", "EAN008")
ACCEPTED = [("D", "96A", "UN", "EAN*"), ("D", "96A", "UN", "")]
ORDER_TYPES = {"RegularOrder": "220", "RushOrder": "224", "ConsignedOrder": "227",
               "NewProductIntroduction": "220"}
TYPE_BY_CODE = {"220": "RegularOrder", "224": "RushOrder", "227": "ConsignedOrder"}
PARTIES = (("buyingParty", "BY"), ("sellingParty", "SU"), ("shipToParty", "DP"),
           ("billToParty", "IV"))
BACKORDER = "BACKORDERALLOWED"


def build(order):
    if not isinstance(order, dict):
        raise EdiError("the purchase order is not an object", segment="BGM")
    number = order.get("purchaseOrderNumber")
    if not number:
        raise EdiError("purchaseOrderNumber is missing", segment="BGM", element=2, code="13")
    details = order.get("orderDetails") or {}
    kind = details.get("purchaseOrderType") or "RegularOrder"
    if kind not in ORDER_TYPES:
        raise EdiError(f"purchaseOrderType {kind!r} is unknown", segment="BGM", element=1)
    body = [("BGM", [[ORDER_TYPES[kind], "", "", kind],
                     limited(number, 35, "purchaseOrderNumber", "BGM", 2), "9"])]
    if not details.get("purchaseOrderDate"):
        raise EdiError("purchaseOrderDate is missing", segment="DTM", code="13")
    body.append(dtm("137", details["purchaseOrderDate"], "purchaseOrderDate"))
    if details.get("deliveryWindow"):
        window = details["deliveryWindow"]
        if not isinstance(window, str) or "--" not in window:
            raise EdiError(f"deliveryWindow {window!r} is not 'start--end'", segment="DTM")
        start, end = window.split("--", 1)
        body.append(dtm("64", start, "deliveryWindow start"))
        body.append(dtm("63", end, "deliveryWindow end"))
    if details.get("shipWindow"):
        body.append(dtm_window("10", details["shipWindow"], "shipWindow"))
    if details.get("paymentMethod"):
        body.append(("FTX", ["PAI", "", "", limited(details["paymentMethod"], 70,
                                                     "paymentMethod", "FTX", 4)]))
    if details.get("dealCode"):
        body.append(("RFF", [["PD", limited(details["dealCode"], 35, "dealCode", "RFF", 1)]]))
    for key, qualifier in PARTIES:
        if details.get(key):
            body.extend(nad(qualifier, details[key]))
    items = details.get("items") or []
    prices = [m for i in items for m in (i.get("netCost"), i.get("listPrice")) if m]
    currency = currency_of(*prices)
    if currency:
        body.append(("CUX", [["2", limited(currency, 3, "currencyCode", "CUX", 1), "9"]]))
    for item in items:
        body.extend(line_segments(item))
    body.append(("UNS", ["S"]))
    body.append(("CNT", [["2", len(items)]]))
    return body


def line_segments(item):
    """The LIN group of one item (ORDCHG adds its action code to the LIN)."""
    sequence = item.get("itemSequenceNumber")
    if not sequence:
        raise EdiError("itemSequenceNumber is missing", segment="LIN", element=1, code="13")
    out = [("LIN", [limited(sequence, 6, "itemSequenceNumber", "LIN", 1)])]
    out.extend(pia(item))
    if item.get("orderedQuantity") is None:
        raise EdiError(f"item {sequence}: orderedQuantity is missing", segment="QTY",
                       code="13")
    out.append(qty("21", item["orderedQuantity"], f"item {sequence} orderedQuantity"))
    out.extend(unit_size_segment([item["orderedQuantity"]]))
    if item.get("isBackOrderAllowed"):
        out.append(("FTX", ["LIN", "", "", BACKORDER]))
    for key, qualifier in (("netCost", "AAA"), ("listPrice", "AAE")):
        if item.get(key):
            out.append(("PRI", [[qualifier, amount_text(item[key].get("amount"),
                                                        f"item {sequence} {key}", "PRI", 1)]]))
    return out


@dataclasses.dataclass
class Header:
    """What the heading of an ORDERS or ORDCHG says, read once for both."""
    dates: dict  # DTM qualifier -> ISO text (a range as "start--end")
    details: dict  # deliveryWindow, shipWindow, the parties (orderDetails keys)
    currency: str
    references: dict  # RFF qualifier -> value (parties' tax registrations apart)
    texts: dict  # FTX subject -> text


def read_header(header):
    dates, references, texts, parties, currency = {}, {}, {}, PartyReader(), ""
    for seg in header:
        if seg.tag == "DTM":
            qualifier, value = read_dtm(seg)
            dates[qualifier] = value
        elif seg.tag == "FTX":
            texts[seg.text(1)] = seg.text(4)
        elif seg.tag == "NAD":
            parties.nad(seg)
        elif seg.tag == "RFF":
            if not parties.rff(seg):
                references[seg.text(1, 1)] = seg.text(1, 2)
        elif seg.tag == "COM":
            parties.com(seg)
        elif seg.tag == "CUX":
            currency = seg.required(1, 2, "currency")
            parties.end()
    details = {}
    if "10" in dates:
        # a range (718/719), or EANCOM's usual single requested ship date: that day
        details["shipWindow"] = dates["10"] if "--" in dates["10"] else _day(dates["10"])
    if "64" in dates or "63" in dates:
        if "64" not in dates:
            # only the latest delivery date: from the order's date
            if "137" not in dates:
                raise EdiError("the delivery window needs DTM+64 (earliest) with DTM+63 "
                               "(latest)", segment="DTM", code="13")
            dates["64"] = dates["137"]
        if "63" not in dates:
            raise EdiError("the delivery window needs DTM+63 (latest) with DTM+64 (earliest)",
                           segment="DTM", code="13")
        details["deliveryWindow"] = f"{dates['64']}--{dates['63']}"
    for key, qualifier in PARTIES:
        if qualifier in parties.parties:
            details[key] = parties.parties[qualifier]
    return Header(dates, details, currency, references, texts)


def _day(moment):
    """'start--end' of the day a single date names."""
    start = parse_iso(moment, "date")
    start = start.replace(hour=0, minute=0, second=0)
    return f"{iso(start)}--{iso(start + datetime.timedelta(days=1, seconds=-1))}"


def parse(segs):
    header, lines, summary = split_lines(segs)
    bgm = first(header, "BGM", required=True, what="beginning of message")
    number = bgm.required(2, 1, "purchase order number")
    code = bgm.text(1, 1)
    if code not in TYPE_BY_CODE:
        raise bgm.error(f"document code {code!r} is not a purchase order (220, 224, 227)", 1,
                        code="14")
    if bgm.text(3) == "1":  # message function: cancellation (UNTDID 1225)
        raise bgm.error(f"ORDERS {number} cancels the order (BGM message function 1): "
                        "cancel it in Odoo and Vendor Central", 3, code="14")
    details = {"purchaseOrderType": bgm.text(1, 4) or TYPE_BY_CODE[code]}
    head = read_header(header)
    if "137" not in head.dates:
        raise EdiError("the order date (DTM+137) is missing", segment="DTM", code="13")
    details["purchaseOrderDate"] = head.dates["137"]
    for key, value in (("paymentMethod", head.texts.get("PAI")),
                       ("dealCode", head.references.get("PD"))):
        if value:
            details[key] = value
    details.update(head.details)
    currency = head.currency
    if "shipToParty" not in details:
        raise EdiError("the ship-to party (NAD+DP) is missing", segment="NAD", code="13")
    if not lines:
        raise EdiError("the order has no line (LIN)", segment="LIN", code="13")
    details["items"] = [_read_line(line, currency) for line in lines]
    check_cnt(summary, len(lines))
    return {"purchaseOrderNumber": number, "purchaseOrderState": "New",
            "orderDetails": details}


def read_line_values(segs, item, currency, barcode_fallback=False):
    """A LIN group's product ids (PIA), ordered quantity (QTY+21) and prices (PRI AAA net,
    AAE list) into ``item``; returns its pack size (QTY+59) or None. With
    ``barcode_fallback`` (a new order's lines), an item named by its GTIN only (LIN03,
    EANCOM's place for it, or PIA) gets that as its vendor identifier: the core matches it
    against the products' barcodes."""
    size, barcodes = None, []
    if segs[0].text(3, 2) in BARCODE_TYPES and segs[0].text(3, 1):
        barcodes.append(segs[0].text(3, 1))
    for seg in segs[1:]:
        if seg.tag == "PIA":
            read_pia(seg, item, barcodes)
    if barcode_fallback and barcodes:
        item.setdefault("vendorProductIdentifier", barcodes[0])
    for seg in segs[1:]:
        if seg.tag == "QTY":
            qualifier, quantity = read_qty(seg)
            if qualifier == "21":
                item["orderedQuantity"] = quantity
            elif qualifier == "59":
                size = quantity["amount"]
        elif seg.tag == "PRI":
            key = {"AAA": "netCost", "AAE": "listPrice"}.get(seg.text(1, 1))
            if key:
                item[key] = money(seg.number(1, 2, "price"), currency)
    return size


def _read_line(segs, currency):
    lin = segs[0]
    item = {"itemSequenceNumber": lin.required(1, 1, "line number")}
    size = read_line_values(segs, item, currency, barcode_fallback=True)
    for seg in segs[1:]:
        if seg.tag == "FTX" and seg.text(1) == "LIN" and seg.text(4) == BACKORDER:
            item["isBackOrderAllowed"] = True
    if "orderedQuantity" not in item:
        raise lin.error(f"line {item['itemSequenceNumber']}: the ordered quantity (QTY+21) "
                        "is missing", code="13")
    apply_unit_size([item["orderedQuantity"]], size)
    item.setdefault("isBackOrderAllowed", False)
    return item
