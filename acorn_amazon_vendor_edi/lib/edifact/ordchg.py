"""ORDCHG (EANCOM D96A, ``ORDCHG:D:96A:UN:EAN005``): Amazon's change to a purchase order <->
the neutral change of ``order_change`` (applied there to the order last received).

Layout written and read (the ORDERS layout of ``orders`` for what both carry)::

    BGM+230+<purchaseOrderNumber>+1|4|5|9    cancellation / change / replacement / original
    DTM+137 the change's date, DTM+4 the order's date, DTM+64 / DTM+63 delivery window,
    DTM+10:<start>-<end>:718|719 ship window
    RFF+ON:<purchaseOrderNumber>              the order changed (BGM02 when absent)
    NAD+BY|SU|DP|IV parties, CUX+2:<currency>:9
    LIN+<itemSequenceNumber>+1|2|3|11         added / deleted / changed / not amended (1229)
        PIA QTY+21 QTY+59 PRI+AAA PRI+AAE
    UNS+S  CNT+2:<lines>

Sources: EANCOM 1997 ORDCHG (BGM 230 with message function 1/4/9, RFF+ON, LIN action codes
1229: 1/2/3/11) and third-party descriptions of Amazon EU sending ORDCHG to change an existing order
(quantities, delivery dates, lines). Amazon's own ORDCHG guide is not public: what the
standard leaves open follows our ORDERS (``orders``), to be checked at onboarding. Not
carried: the change sequence number (an older change is told by its date), the back-order
flag (a change keeps the order's).
"""
from ..envelope import EdiError
from ..order_change import ADD, DELETE, NO_CHANGE
from . import orders
from .common import (
    apply_unit_size,
    check_cnt,
    currency_of,
    dtm,
    dtm_window,
    first,
    nad,
    split_lines,
)
from .envelope import limited

IDENTIFIER = ("ORDCHG", "D", "96A", "UN", "EAN005")
ACCEPTED = [("D", "96A", "UN", "EAN*"), ("D", "96A", "UN", "")]
# 1225 message function: EANCOM's 1 cancellation, 4 change, 9 original (the change message
# itself); UNTDID's 5 replacement read too. Others (17 cancel to be reissued, 31 copy...) are
# refused: they do not say what to apply.
PURPOSES = {"Cancel": "1", "Change": "4", "Replace": "5"}
PURPOSES_BACK = dict({v: k for k, v in PURPOSES.items()}, **{"9": "Change"})
# 1229 line action: EANCOM's 1 added, 2 deleted, 3 changed, 11 not amended; UNTDID's 4 no
# action and 5 accepted without amendment read as not amended too.
ACTIONS = {ADD: "1", DELETE: "2", NO_CHANGE: "11"}  # any other change type: 3 (changed)
ACTIONS_BACK = {"1": ADD, "2": DELETE, "3": "CA", "4": NO_CHANGE, "5": NO_CHANGE,
                "11": NO_CHANGE}


def build(change):
    number = change.get("purchaseOrderNumber")
    if not number:
        raise EdiError("purchaseOrderNumber is missing", segment="BGM", element=2, code="13")
    purpose = change.get("purpose", "Change")
    if purpose not in PURPOSES:
        raise EdiError(f"purpose {purpose!r} is not one of {', '.join(PURPOSES)}",
                       segment="BGM", element=3)
    number = limited(number, 35, "purchaseOrderNumber", "BGM", 2)
    body = [("BGM", ["230", number, PURPOSES[purpose]])]
    if not change.get("purchaseOrderChangedDate"):
        raise EdiError("purchaseOrderChangedDate is missing", segment="DTM", code="13")
    body.append(dtm("137", change["purchaseOrderChangedDate"], "purchaseOrderChangedDate"))
    if change.get("purchaseOrderDate"):
        body.append(dtm("4", change["purchaseOrderDate"], "purchaseOrderDate"))
    details = change.get("orderDetails") or {}
    if details.get("deliveryWindow"):
        start, _sep, end = details["deliveryWindow"].partition("--")
        body += [dtm("64", start, "deliveryWindow start"), dtm("63", end, "deliveryWindow end")]
    if details.get("shipWindow"):
        body.append(dtm_window("10", details["shipWindow"], "shipWindow"))
    body.append(("RFF", [["ON", number]]))
    for key, qualifier in orders.PARTIES:
        if details.get(key):
            body.extend(nad(qualifier, details[key]))
    lines = change.get("items") or []
    currency = currency_of(*[m for line in lines
                             for m in (line.get("netCost"), line.get("listPrice")) if m])
    if currency:
        body.append(("CUX", [["2", limited(currency, 3, "currencyCode", "CUX", 1), "9"]]))
    for line in lines:
        segments = orders.line_segments(line)
        segments[0] = ("LIN", [segments[0][1][0], ACTIONS.get(line.get("changeType"), "3")])
        body.extend(segments)
    body.append(("UNS", ["S"]))
    body.append(("CNT", [["2", len(lines)]]))
    return body


def parse(segs):
    header, lines, summary = split_lines(segs)
    bgm = first(header, "BGM", required=True, what="beginning of message")
    if bgm.text(1, 1) != "230":
        raise bgm.error(f"document code {bgm.text(1, 1)!r} is not a purchase order change "
                        "(230)", 1, code="14")
    function = bgm.text(3, 1) or "4"
    if function not in PURPOSES_BACK:
        raise bgm.error(f"message function {function!r} is not 1 (cancellation), 4 (change), "
                        "5 (replacement) or 9 (original)", 3, code="12")
    head = orders.read_header(header)
    number = head.references.get("ON") or bgm.required(2, 1, "order number")
    if "137" not in head.dates:
        raise EdiError("the change's date (DTM+137) is missing", segment="DTM", code="13")
    purpose = PURPOSES_BACK[function]
    if not lines and purpose != "Cancel":
        raise EdiError("the change has no line (LIN)", segment="LIN", code="13")
    check_cnt(summary, len(lines))
    return {"purchaseOrderNumber": number, "purpose": purpose, "changeSequence": None,
            "purchaseOrderDate": head.dates.get("4"),
            "purchaseOrderChangedDate": head.dates["137"], "orderDetails": head.details,
            "items": [_read_line(line, head.currency) for line in lines]}


def _read_line(segs, currency):
    lin = segs[0]
    action = lin.text(2, 1) or "3"
    if action not in ACTIONS_BACK:
        raise lin.error(f"line action {action!r} is not 1 (added), 2 (deleted), 3 (changed) "
                        "or 11 (not amended)", 2, code="12")
    line = {"itemSequenceNumber": lin.required(1, 1, "line number"),
            "changeType": ACTIONS_BACK[action]}
    size = orders.read_line_values(segs, line, currency)
    quantity = line.get("orderedQuantity")
    if quantity and quantity.get("unitOfMeasure"):
        apply_unit_size([quantity], size)
    elif quantity and size is not None:  # no unit: the line's own is kept (order_change)
        quantity["unitSize"] = size
    return line
