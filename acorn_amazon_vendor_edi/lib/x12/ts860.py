"""860 Purchase Order Change Request - Buyer Initiated (X12 004010, group PC) <-> the neutral
change of ``order_change`` (applied there to the order last received).

Amazon sends 860s to the vendors it has set up for them (Vendor Central, EDI settings), when it
changes a purchase order after the 850: quantities, cancelled or added lines, costs, windows,
the fulfilment centre. Sources: the X12 004010 860 standard (BCH, POC: Stedi's and
kasoftware's references) and a public example of Amazon's own 860 (BCH*05*CP*<PO>**1*<date>,
CUR, REF, CSH, DTM 063/064, N1*SU and N1*ST, then one POC per line, unchanged lines as NC and
a cancelled line as QD to 0, each followed by N9). Amazon's element-level guide is not public:
what the example does not show follows the standard and our 850 (same parties, windows,
product identifiers):

  BCH  01 Cancellation / 04 Change / 05 Replace * order type (850's BEG02 codes; others such
       as CP are read as "type unchanged") * purchaseOrderNumber * * change sequence (BCH05)
       * purchase order date (BCH06) * ... * change date (BCH11, CCYYMMDD)
  CUR  * currency                                          the prices' currency
  DTM  064/063 deliveryWindow, 037/038 shipWindow         when the change restates them
  N1   BY / SU / ST / BT parties (ST: the fulfilment centre); id qualifier 92 or 15 (Amazon's
       example names the fulfilment centre with 15)
  POC  line * change type (670) * quantity ordered after the change * quantity left to
       receive * EA/CA * unit price * NT * BP * ASIN * VN * vendor SKU (EN/UP/IB/UK accepted)
  CTP  * * MSR * listPrice                                PO4 unitSize   N9/MSG notes (skipped)
  CTT  number of POC lines * hash total of POC03

Not carried: the change date's time (BCH11 is a date: read as that date at 00:00 UTC; with no
BCH11, the interchange's own date and time stand for it).
"""
import dataclasses

from .. import order_change
from ..envelope import EdiError
from ..order_change import CHANGE_TYPES
from . import common as c
from .interchange import require
from .ts850 import (
    ORDER_TYPES,
    ORDER_TYPES_BACK,
    check_totals,
    header_out,
    line_extras,
    line_extras_out,
    parties_of,
    product_ids,
    windows_in,
)

PURPOSES = {"Cancel": "01", "Change": "04", "Replace": "05"}
PURPOSES_BACK = {v: k for k, v in PURPOSES.items()}


def write_body(change):
    number = change.get("purchaseOrderNumber")
    if not number:
        raise c.fail("purchaseOrderNumber is missing", "BCH", 3)
    purpose = change.get("purpose", "Change")
    if purpose not in PURPOSES:
        raise c.fail(f"purpose {purpose!r} is not one of {', '.join(PURPOSES)}", "BCH", 1)
    details = change.get("orderDetails") or {}
    kind = details.get("purchaseOrderType", "RegularOrder")
    if kind not in ORDER_TYPES:
        raise c.fail(f"orderDetails.purchaseOrderType {kind!r} is not one of "
                     f"{', '.join(ORDER_TYPES)}", "BCH", 2)
    order_date, _time = c.date_time(change.get("purchaseOrderDate"), "purchaseOrderDate",
                                    "BCH")
    changed = None
    if change.get("purchaseOrderChangedDate"):
        changed, _time = c.date_time(change["purchaseOrderChangedDate"],
                                     "purchaseOrderChangedDate", "BCH")
    lines = change.get("items") or []
    body = [("BCH", [PURPOSES[purpose], ORDER_TYPES[kind], number, None,
                     change.get("changeSequence"), order_date, None, None, None, None,
                     changed])]
    currencies = {m.get("currencyCode") for line in lines
                  for m in (line.get("netCost"), line.get("listPrice")) if m}
    if len(currencies) > 1:
        raise c.fail(f"lines in several currencies ({', '.join(sorted(currencies))}): an 860 "
                     "has one (CUR)", "CUR", 2)
    if currencies:
        body.append(("CUR", ["BY", currencies.pop()]))
    body += header_out(details)
    total = 0
    for index, line in enumerate(lines):
        field = f"items[{index}]"
        kind = line.get("changeType")
        if kind not in CHANGE_TYPES:
            raise c.fail(f"{field}.changeType {kind!r} is not one of "
                         f"{', '.join(sorted(CHANGE_TYPES))}", "POC", 2)
        if not line.get("itemSequenceNumber"):
            raise c.fail(f"{field}.itemSequenceNumber is missing", "POC", 1)
        qty = unit = size = None
        if line.get("orderedQuantity"):
            qty, unit, size = c.quantity_out(line["orderedQuantity"],
                                             f"{field}.orderedQuantity", "POC")
            total += int(qty)
        cost = line.get("netCost")
        ids = []
        if line.get("amazonProductIdentifier"):
            ids += ["BP", line["amazonProductIdentifier"]]
        if line.get("vendorProductIdentifier"):
            ids += ["VN", line["vendorProductIdentifier"]]
        body.append(("POC", [line["itemSequenceNumber"], kind, qty, qty, unit,
                             c.amount(cost["amount"], f"{field}.netCost.amount", "POC", 6)
                             if cost else None, "NT" if cost else None, *ids]))
        body += line_extras_out(line, size, field)
    body.append(("CTT", [len(lines), total]))
    return body


# Segments of the 860's heading that carry nothing the API's order has: read past wherever
# the standard allows them (read: CUR, DTM, N1 loops; a line's: ts850.line_extras).
HEADING_SKIPPED = {"NTE", "REF", "PER", "TAX", "FOB", "CTP", "CSH", "SAC", "ITD", "DIS", "INC",
                   "PID", "MEA", "PWK", "PKG", "TD1", "TD5", "TD3", "TD4", "MAN", "PCT", "CTB",
                   "TXI", "N9", "MSG"}


def _unit_only(segment, index, separator):
    """POC05 is a composite (unit > exponent > multiplier): its unit code."""
    value = segment[index]
    if separator and separator in value:
        segment = dataclasses.replace(segment, elements=list(segment.elements))
        segment.elements[index] = value.split(separator)[0]
    return segment


def _line(body, poc, currency):
    poc = _unit_only(poc, 5, getattr(body.separators, "component", None))
    line = {"itemSequenceNumber": require(poc, 1, "POC01 line number"),
            "changeType": require(poc, 2, "POC02 change type", CHANGE_TYPES),
            "_segment": poc.position}
    asin, sku = product_ids(poc, 8)
    if asin:
        line["amazonProductIdentifier"] = asin
    if sku:
        line["vendorProductIdentifier"] = sku
    ctp, po4 = line_extras(body, currency)
    if poc[3] != "":
        line["orderedQuantity"] = c.quantity_in(poc, 3, 5, po4)
    price = c.read_amount(poc, 6, "POC06 unit price", required=False)
    if price is not None:
        if poc[7] not in ("", "NT"):
            raise EdiError(f"POC07 price basis {poc[7]!r}: only NT (net) is read", "POC",
                           poc.position, 7, code="7")
        line["netCost"] = {"amount": price, **({"currencyCode": currency} if currency else {})}
    if ctp is not None:
        line["listPrice"] = {"amount": c.read_amount(ctp, 3, "CTP03 list price"),
                             **({"currencyCode": currency} if currency else {})}
    return line


def read_body(body):
    bch = body.take("BCH")
    purpose = PURPOSES_BACK.get(require(bch, 1, "BCH01 purpose", set(PURPOSES_BACK)))
    kind = ORDER_TYPES_BACK.get(require(bch, 2, "BCH02 order type"))
    number = require(bch, 3, "BCH03 purchase order number")
    change = {"purchaseOrderNumber": number, "purpose": purpose,
              "changeSequence": bch[5] or None,
              "purchaseOrderDate": c.iso_from(bch, 6),
              "purchaseOrderChangedDate": c.iso_from(bch, 11) if bch[11] else None,
              "orderDetails": {}, "items": []}
    details = change["orderDetails"]
    if kind:
        details["purchaseOrderType"] = kind
    currency, dates = None, []
    while (segment := body.peek(*HEADING_SKIPPED, "CUR", "DTM")) is not None:
        body.index += 1
        if segment.tag == "CUR":
            currency = require(segment, 2, "CUR02 currency")
        elif segment.tag == "DTM":
            dates.append(segment)
    details.update(windows_in(c.dtm_map(dates)))
    details.update(parties_of(c.parties_in(body, id_qualifiers=("92", "15")), "860"))
    total = 0
    seen = set()
    while (poc := body.take("POC", required=purpose != "Cancel" and not change["items"])) \
            is not None:
        line = _line(body, poc, currency)
        key = order_change.sequence_key(line["itemSequenceNumber"])
        if key in seen:
            raise EdiError(f"line {line['itemSequenceNumber']} is changed twice", "POC",
                           poc.position, 1, code="5")
        seen.add(key)
        total += (line.get("orderedQuantity") or {}).get("amount", 0)
        change["items"].append(line)
    ctt = body.take("CTT", required=bool(change["items"]))
    if ctt is not None:
        check_totals(ctt, len(change["items"]), total)
    body.end()
    return change
