"""ORDRSP (EANCOM D96A, ``ORDRSP:D:96A:UN:EAN005``): our purchase order acknowledgement <-> one
element of Vendor Orders v1 submitAcknowledgement's ``acknowledgements``.

Layout written and read::

    BGM+231+<purchaseOrderNumber>+29 (all accepted) | 4 (changed) | 27 (all rejected)
    DTM+137 acknowledgementDate
    RFF+ON:<purchaseOrderNumber>
    NAD+SU sellingParty (RFF+VA tax registration)
    CUX+2:<currency>:9
    one LIN group per item acknowledgement (an item split accepted + rejected gives two):
    LIN+<n>+5 (Accepted) | 3 (Backordered) | 7 (Rejected)
        PIA+5+<ASIN>:BP  PIA+5+<vendor id>:SA
        QTY+21 ordered quantity, QTY+12 accepted | QTY+83 back-ordered quantity, QTY+59 unit size
        DTM+11 scheduledShipDate, DTM+17 scheduledDeliveryDate
        QVR+<rejected quantity>:21++:::<rejectionReason>      (Rejected)
        PRI+AAA netCost, PRI+AAE listPrice
        RFF+LI:<itemSequenceNumber>   (groups the parts of one item)
    UNS+S  CNT+2:<LIN groups>

Sources: EANCOM 1997 ORDRSP (BGM 231 with 1225 = 29 / 4 / 27, LIN action codes 5 accepted,
3 changed, 7 not accepted, QTY 21 / 12 / 83, QVR quantity variance, RFF+ON, RFF+LI); Zynk
"Amazon Vendor Central (Legacy)" confirms Amazon EU takes ORDRSP D96A. Not confirmed against
Amazon's guide: the qualifiers above beyond the standard's meaning, the rejection reason as
QVR free text, PIA BP/SA, PRI+AAE, the association code EAN005.

Not carried: discountMultiplier; the unit of a rejected quantity is the ordered one (QVR has
no unit); the currency per price (one CUX per message); address county/district.
"""
from ..envelope import EdiError
from .common import (
    PartyReader,
    apply_unit_size,
    check_cnt,
    currency_of,
    dtm,
    first,
    money,
    nad,
    pia,
    qty,
    read_dtm,
    read_pia,
    read_qty,
    split_lines,
    unit_size_segment,
)
from .envelope import amount_text, integer_text, limited

IDENTIFIER = ("ORDRSP", "D", "96A", "UN", "EAN005")
ACCEPTED = [("D", "96A", "UN", "EAN*"), ("D", "96A", "UN", "")]
ACTIONS = {"Accepted": "5", "Backordered": "3", "Rejected": "7"}
CODES = {v: k for k, v in ACTIONS.items()}
QUANTITY = {"Accepted": "12", "Backordered": "83"}


def build(ack):
    if not isinstance(ack, dict):
        raise EdiError("the acknowledgement is not an object", segment="BGM")
    number = ack.get("purchaseOrderNumber")
    if not number:
        raise EdiError("purchaseOrderNumber is missing", segment="BGM", element=2, code="13")
    number = limited(number, 35, "purchaseOrderNumber", "BGM", 2)
    items = ack.get("items") or []
    codes = {part.get("acknowledgementCode") for item in items
             for part in item.get("itemAcknowledgements") or []}
    function = "29" if codes == {"Accepted"} else "27" if codes == {"Rejected"} else "4"
    body = [("BGM", ["231", number, function])]
    if not ack.get("acknowledgementDate"):
        raise EdiError("acknowledgementDate is missing", segment="DTM", code="13")
    body.append(dtm("137", ack["acknowledgementDate"], "acknowledgementDate"))
    body.append(("RFF", [["ON", number]]))
    if ack.get("sellingParty"):
        body.extend(nad("SU", ack["sellingParty"]))
    currency = currency_of(*[m for i in items for m in (i.get("netCost"), i.get("listPrice"))
                             if m])
    if currency:
        body.append(("CUX", [["2", limited(currency, 3, "currencyCode", "CUX", 1), "9"]]))
    count = 0
    for item in items:
        parts = item.get("itemAcknowledgements") or []
        sequence = item.get("itemSequenceNumber")
        if not sequence:
            raise EdiError("itemSequenceNumber is missing", segment="RFF", code="13")
        if not parts:
            raise EdiError(f"item {sequence} has no itemAcknowledgements", segment="LIN",
                           code="13")
        for part in parts:
            count += 1
            body.extend(_part(item, part, count))
    if not count:
        raise EdiError("the acknowledgement has no item", segment="LIN", code="13")
    body.append(("UNS", ["S"]))
    body.append(("CNT", [["2", count]]))
    return body


def _part(item, part, count):
    sequence = str(item["itemSequenceNumber"])
    code = part.get("acknowledgementCode")
    if code not in ACTIONS:
        raise EdiError(f"item {sequence}: acknowledgementCode {code!r} is not Accepted, "
                       "Backordered or Rejected", segment="LIN", element=2)
    out = [("LIN", [count, ACTIONS[code]])]
    out.extend(pia(item))
    quantities = []
    if item.get("orderedQuantity") is not None:
        out.append(qty("21", item["orderedQuantity"], f"item {sequence} orderedQuantity"))
        quantities.append(item["orderedQuantity"])
    acknowledged = part.get("acknowledgedQuantity")
    if acknowledged is None:
        raise EdiError(f"item {sequence}: acknowledgedQuantity is missing", segment="QTY",
                       code="13")
    if code in QUANTITY:
        out.append(qty(QUANTITY[code], acknowledged, f"item {sequence} acknowledgedQuantity"))
        quantities.append(acknowledged)
    out.extend(unit_size_segment(quantities))
    for key, qualifier in (("scheduledShipDate", "11"), ("scheduledDeliveryDate", "17")):
        if part.get(key):
            out.append(dtm(qualifier, part[key], key))
    if code == "Rejected":
        amount = integer_text(acknowledged.get("amount"), "rejected quantity", "QVR", 1)
        out.append(("QVR", [[amount, "21"], "", ["", "", "", limited(
            part.get("rejectionReason") or "", 35, "rejectionReason", "QVR", 3)]]))
    for key, qualifier in (("netCost", "AAA"), ("listPrice", "AAE")):
        if item.get(key):
            out.append(("PRI", [[qualifier, amount_text(item[key].get("amount"),
                                                        f"item {sequence} {key}", "PRI", 1)]]))
    out.append(("RFF", [["LI", limited(sequence, 35, "itemSequenceNumber", "RFF", 1)]]))
    return out


def parse(segs):
    header, lines, summary = split_lines(segs)
    bgm = first(header, "BGM", required=True, what="beginning of message")
    if bgm.text(1, 1) != "231":
        raise bgm.error(f"document code {bgm.text(1, 1)!r} is not an order response (231)",
                        1, code="14")
    ack = {"purchaseOrderNumber": bgm.required(2, 1, "purchase order number")}
    parties = PartyReader()
    currency = ""
    for seg in header:
        if seg.tag == "DTM":
            qualifier, value = read_dtm(seg)
            if qualifier == "137":
                ack["acknowledgementDate"] = value
        elif seg.tag == "NAD":
            parties.nad(seg)
        elif seg.tag == "RFF":
            if not parties.rff(seg) and seg.text(1, 1) == "ON":
                if seg.text(1, 2) != ack["purchaseOrderNumber"]:
                    raise seg.error(f"RFF+ON {seg.text(1, 2)!r} differs from the BGM order "
                                    f"number {ack['purchaseOrderNumber']!r}", 1, code="28")
        elif seg.tag == "COM":
            parties.com(seg)
        elif seg.tag == "CUX":
            currency = seg.required(1, 2, "currency")
            parties.end()
    if "acknowledgementDate" not in ack:
        raise EdiError("the acknowledgement date (DTM+137) is missing", segment="DTM",
                       code="13")
    if "SU" in parties.parties:
        ack["sellingParty"] = parties.parties["SU"]
    if not lines:
        raise EdiError("the acknowledgement has no line (LIN)", segment="LIN", code="13")
    items = []
    for line in lines:
        item, part = _read_part(line, currency)
        if items and items[-1]["itemSequenceNumber"] == item["itemSequenceNumber"]:
            items[-1]["itemAcknowledgements"].append(part)
        else:
            item["itemAcknowledgements"] = [part]
            items.append(item)
    ack["items"] = items
    check_cnt(summary, len(lines))
    return ack


def _read_part(segs, currency):
    lin = segs[0]
    action = lin.text(2)
    if action not in CODES:
        raise lin.error(f"line action {action!r} is not 5 (accepted), 3 (back-ordered) or 7 "
                        "(rejected)", 2, code="14")
    code = CODES[action]
    item, part = {}, {"acknowledgementCode": code}
    size, quantities = None, []
    for seg in segs[1:]:
        if seg.tag == "PIA":
            read_pia(seg, item)
        elif seg.tag == "QTY":
            qualifier, quantity = read_qty(seg)
            if qualifier == "21":
                item["orderedQuantity"] = quantity
                quantities.append(quantity)
            elif qualifier == "59":
                size = quantity["amount"]
            elif qualifier in ("12", "83"):
                if QUANTITY.get(code) != qualifier:
                    raise seg.error(f"QTY+{qualifier} does not fit a line marked {code}", 1,
                                    code="14")
                part["acknowledgedQuantity"] = quantity
                quantities.append(quantity)
        elif seg.tag == "DTM":
            qualifier, value = read_dtm(seg)
            key = {"11": "scheduledShipDate", "17": "scheduledDeliveryDate"}.get(qualifier)
            if key:
                part[key] = value
        elif seg.tag == "QVR":
            if code != "Rejected":
                raise seg.error("a quantity variance (QVR) on a line that is not rejected",
                                code="15")
            quantity = {"amount": seg.integer(1, 1, "rejected quantity")}
            ordered = item.get("orderedQuantity") or {}
            if "unitOfMeasure" in ordered:
                quantity["unitOfMeasure"] = ordered["unitOfMeasure"]
            part["acknowledgedQuantity"] = quantity
            quantities.append(quantity)
            if seg.text(3, 4):
                part["rejectionReason"] = seg.text(3, 4)
        elif seg.tag == "PRI":
            key = {"AAA": "netCost", "AAE": "listPrice"}.get(seg.text(1, 1))
            if key:
                item[key] = money(seg.number(1, 2, "price"), currency)
        elif seg.tag == "RFF" and seg.text(1, 1) == "LI":
            item["itemSequenceNumber"] = seg.required(1, 2, "item sequence number")
    item.setdefault("itemSequenceNumber", lin.required(1, 1, "line number"))
    if "acknowledgedQuantity" not in part:
        what = "QVR" if code == "Rejected" else f"QTY+{QUANTITY[code]}"
        raise lin.error(f"line {lin.text(1)} ({code}): the acknowledged quantity ({what}) is "
                        "missing", code="13")
    apply_unit_size(quantities, size)
    return item, part
