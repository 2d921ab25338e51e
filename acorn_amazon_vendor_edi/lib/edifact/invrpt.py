"""INVRPT (EANCOM D96A, ``INVRPT:D:96A:UN:EAN008``): our inventory report <-> the neutral
inventory document described in ``..x12.ts846`` (the same dict both ways).

Layout written and read::

    BGM+35 (inventory report)+<reportId>+9 (original)
    DTM+137 asOf (document date, the moment the quantities were taken)
    NAD+SU sellingParty (Amazon's vendor code)   NAD+SF shipFromParty (optional)
    one LIN group per item:
    LIN+<n>++<EAN>:EN    (the EAN, when the item has one)
        PIA+5+<ASIN>:BP  PIA+5+<vendor SKU>:SA  PIA+5+<UPC>:UP
        QTY+145:<availableQuantity>:PCE         (actual stock available)
        QTY+21:<onOrderQuantity>:PCE            (optional: ordered from our supplier)
        DTM+44 restockDate                      (optional, availability date; needs QTY+21)
    UNS+S  CNT+2:<LIN groups>

Sources: EANCOM 1997 INVRPT (BGM 35 inventory report, LIN with the EAN in C212 / EN, PIA
additional ids, QTY+145 actual stock, CNT+2); Amazon EU's INVRPT implementation guide is not
public, so these are NOT confirmed against Amazon's own usage: the association code EAN008,
QTY+21 for stock on order, DTM+44 for the availability date, NAD+SF for the warehouse, PIA
BP/SA/UP. Not carried: stock per location (one report per warehouse), units other than
eaches, party addresses beyond what NAD holds.
"""
import datetime

from ..envelope import EdiError
from .common import PartyReader, check_cnt, dtm, first, nad, read_dtm, split_lines
from .envelope import integer_text, limited

IDENTIFIER = ("INVRPT", "D", "96A", "UN", "EAN008")
ACCEPTED = [("D", "96A", "UN", "EAN*"), ("D", "96A", "UN", "")]
PIA_CODES = (("amazonProductIdentifier", "BP"), ("vendorProductIdentifier", "SA"),
             ("upc", "UP"))
PIA_KEYS = {code: key for key, code in PIA_CODES}
PARTIES = (("SU", "sellingParty"), ("SF", "shipFromParty"))


def _shared_checks(document):
    # The X12 writer's checks are the neutral document's checks (one rule set, two syntaxes).
    from ..x12 import ts846
    try:
        return ts846.check(document)
    except EdiError as exc:
        segment = {"BIA": "BGM", "N1": "NAD", "LIN": "LIN", "SCH": "DTM"}.get(exc.segment,
                                                                          exc.segment)
        raise EdiError(exc.message, segment=segment, code="13") from None


def _quantity(value, what):
    text = integer_text(value, what, "QTY", 1)
    if text.startswith("-"):
        raise EdiError(f"{what} {text} is negative", segment="QTY", element=1)
    return text


def _date(value):
    if isinstance(value, datetime.date):
        value = value.isoformat()
    return dtm("44", f"{value}T00:00:00Z", "restockDate")


def build(document):
    items = _shared_checks(document)
    report = limited(document["reportId"], 35, "reportId", "BGM", 2)
    body = [("BGM", ["35", report, "9"])]
    if not document.get("asOf"):
        raise EdiError("asOf is missing", segment="DTM", code="13")
    body.append(dtm("137", document["asOf"], "asOf"))
    for qualifier, key in PARTIES:
        if document.get(key):
            body.extend(nad(qualifier, document[key]))
    for index, item in enumerate(items, start=1):
        what = f"item {index}"
        ean = item.get("ean")
        body.append(("LIN", [index, "", [limited(ean, 35, "ean", "LIN", 3), "EN"]] if ean
                     else [index]))
        for key, code in PIA_CODES:
            if item.get(key):
                body.append(("PIA", ["5", [limited(item[key], 35, key, "PIA", 2), code]]))
        body.append(("QTY", [["145", _quantity(item["availableQuantity"],
                                               f"{what} availableQuantity"), "PCE"]]))
        if item.get("onOrderQuantity") is not None:
            body.append(("QTY", [["21", _quantity(item["onOrderQuantity"],
                                                  f"{what} onOrderQuantity"), "PCE"]]))
            if item.get("restockDate") is not None:
                body.append(_date(item["restockDate"]))
    body.append(("UNS", ["S"]))
    body.append(("CNT", [["2", len(items)]]))
    return body


def parse(segs):
    header, lines, summary = split_lines(segs)
    bgm = first(header, "BGM", required=True, what="beginning of message")
    if bgm.text(1, 1) != "35":
        raise bgm.error(f"document code {bgm.text(1, 1)!r} is not an inventory report (35)",
                        1, code="14")
    document = {"reportId": bgm.required(2, 1, "report number")}
    parties = PartyReader()
    for seg in header:
        if seg.tag == "DTM":
            qualifier, value = read_dtm(seg)
            if qualifier == "137":
                document["asOf"] = value
        elif seg.tag == "NAD":
            parties.nad(seg)
        elif seg.tag == "RFF":
            parties.rff(seg)
        elif seg.tag == "COM":
            parties.com(seg)
    if "asOf" not in document:
        raise EdiError("the report date (DTM+137) is missing", segment="DTM", code="13")
    for qualifier, key in PARTIES:
        if qualifier in parties.parties:
            document[key] = parties.parties[qualifier]
    if not (document.get("sellingParty") or {}).get("partyId"):
        raise EdiError("the seller (NAD+SU, Amazon's vendor code) is missing", segment="NAD",
                       code="13")
    if not lines:
        raise EdiError("the report has no line (LIN)", segment="LIN", code="13")
    document["items"] = [_item(line) for line in lines]
    check_cnt(summary, len(lines))
    return document


def _item(segs):
    lin = segs[0]
    item = {}
    if lin.text(3, 1):
        if lin.text(3, 2) != "EN":
            raise lin.error(f"item number type {lin.text(3, 2)!r} is not EN", 3, code="14")
        item["ean"] = lin.text(3, 1)
    quantities = {}
    for seg in segs[1:]:
        if seg.tag == "PIA":
            for element in range(2, len(seg.elements) + 1):
                code = seg.text(element, 2)
                if code in PIA_KEYS:
                    item[PIA_KEYS[code]] = seg.text(element, 1)
        elif seg.tag == "QTY":
            qualifier = seg.required(1, 1, "quantity qualifier")
            if qualifier not in ("145", "21"):
                raise seg.error(f"quantity qualifier {qualifier!r} is not 145 or 21", 1,
                                code="14")
            if qualifier in quantities:
                raise seg.error(f"QTY+{qualifier} twice for one item", 1, code="35")
            amount = seg.integer(1, 2, "quantity")
            if amount is None:
                raise seg.error("the quantity (QTY01.2) is missing", 1, code="13")
            if amount < 0:
                raise seg.error(f"quantity {amount} is negative", 1)
            if seg.text(1, 3) not in ("", "PCE"):
                raise seg.error(f"unit {seg.text(1, 3)!r}: inventory is read in PCE", 1,
                                code="14")
            quantities[qualifier] = amount
        elif seg.tag == "DTM":
            qualifier, value = read_dtm(seg)
            if qualifier == "44":
                if "21" not in quantities:
                    raise seg.error("an availability date (DTM+44) without the quantity on "
                                    "order (QTY+21)", 1, code="13")
                item["restockDate"] = value[:10]
    if not item:
        raise lin.error("the item has no product identifier (LIN EAN or PIA)", 3, code="13")
    if "145" not in quantities:
        raise lin.error("the available quantity (QTY+145) is missing", code="13")
    item["availableQuantity"] = quantities["145"]
    if "21" in quantities:
        item["onOrderQuantity"] = quantities["21"]
    # keys in the order the X12 reader gives them, so both standards read the same dict
    order = ("amazonProductIdentifier", "vendorProductIdentifier", "ean", "upc",
             "availableQuantity", "onOrderQuantity", "restockDate")
    return {key: item[key] for key in order if key in item}
