"""846 Inventory Inquiry/Advice (X12 004010, group IB) <-> the neutral inventory document.

The neutral document (there is no SP-API model for 1P retail inventory; this shape is ours and
the EDIFACT INVRPT module reads and writes the same)::

    {"reportId": "INV-20261104-ACRN1",          # BIA03 / BGM02, unique per report
     "asOf": "2026-11-04T09:30:00Z",             # when the quantities were taken (UTC)
     "sellingParty": {"partyId": "ACRN1"},       # Amazon's vendor code (N1*SU / NAD+SU)
     "shipFromParty": {"partyId": "WH-1"},       # optional: the warehouse (N1*SF / NAD+SF)
     "items": [{
         "vendorProductIdentifier": "ACN-1",     # at least one of these four
         "amazonProductIdentifier": "B0...",     # ASIN
         "ean": "4006381333931",                 # EAN-13 / GTIN
         "upc": "012345678905",
         "availableQuantity": 12,                # whole, >= 0 (eaches)
         "onOrderQuantity": 30,                  # optional, whole, >= 0
         "restockDate": "2026-11-20",            # optional, needs onOrderQuantity
     }]}

Layout written and read::

    BIA  00 * MM (manufacturer/distributor inventory report) * reportId * CCYYMMDD * HHMM[SS]
    N1   SU * name? * 92 * sellingParty.partyId        N1 SF ... shipFromParty (optional)
    LIN  <n> * BP * ASIN * VN * vendor SKU * EN * EAN * UP * UPC   (pairs present only)
    QTY  33 * availableQuantity * EA                   (quantity available for sale)
    QTY  63 * onOrderQuantity * EA                     (on order, optional)
    SCH  onOrderQuantity * EA * * * 018 (available) * CCYYMMDD    (restockDate, optional)
    CTT  number of LIN loops

Sources: Stedi's Amazon guide "X12 846 Retail Inventory Inquiry/Advice" (Release 4010)
confirms the transaction set and version for Amazon retail (1P), its heading (ST, mandatory BIA,
the N1 loop) and a sample named "Retail Cost And Inventory"; Amazon's Direct Fulfillment 846
guide adds DTM to the heading. The public copies could not be read down to the detail level,
so the following are X12 004010 code meanings, NOT confirmed against Amazon's guide: BIA02
"MM", LIN qualifiers (BP for the ASIN and VN for the vendor's SKU as this codec's 850/855 use
them, EN, UP; SK is read as the vendor's SKU too), QTY01 "33" available / "63" on order,
SCH05 "018" (available), N1 "SF" for the ship-from warehouse. BIA04/05 are read as UTC (BIA
has no time code). Not carried: cost (CTP, Amazon's "cost and inventory" sample), units other
than eaches, several SCH lines per item.
"""
import datetime
import re

from ..envelope import EdiError
from . import common as c
from .interchange import require

IDENTIFIERS = (("amazonProductIdentifier", "BP"), ("vendorProductIdentifier", "VN"),
               ("ean", "EN"), ("upc", "UP"))
QUALIFIERS = {"BP": "amazonProductIdentifier", "VN": "vendorProductIdentifier",
              "SK": "vendorProductIdentifier", "EN": "ean", "UP": "upc"}
PARTIES = (("SU", "sellingParty"), ("SF", "shipFromParty"))


def quantity(value, field, tag="QTY"):
    """A whole number of eaches >= 0 (int or digit text) -> text."""
    text = c.integer(value, field, tag)
    if text.startswith("-"):
        raise c.fail(f"{field}: {value!r} is negative", tag, 2)
    return text


def restock_date(value, field):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.strftime("%Y%m%d")
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise c.fail(f"{field}: {value!r} is not a date YYYY-MM-DD", "SCH", 6)
    try:
        return datetime.date.fromisoformat(value).strftime("%Y%m%d")
    except ValueError:
        raise c.fail(f"{field}: {value!r} is not a valid date", "SCH", 6) from None


def check(document):
    """The checks both standards share; returns the items."""
    if not isinstance(document, dict):
        raise c.fail("the inventory document is not an object", "BIA")
    if not document.get("reportId"):
        raise c.fail("reportId is missing", "BIA", 3)
    if not (document.get("sellingParty") or {}).get("partyId"):
        raise c.fail("sellingParty.partyId is missing", "N1", 4)
    items = document.get("items") or []
    if not items:
        raise c.fail("items is empty: an inventory report has at least one item", "LIN")
    for index, item in enumerate(items):
        field = f"items[{index}]"
        if not any(item.get(key) for key, _q in IDENTIFIERS):
            raise c.fail(f"{field} has no product identifier (ASIN, vendor SKU, EAN or UPC)",
                         "LIN", 2)
        quantity(item.get("availableQuantity"), f"{field}.availableQuantity")
        if item.get("onOrderQuantity") is not None:
            quantity(item["onOrderQuantity"], f"{field}.onOrderQuantity")
        if item.get("restockDate") is not None:
            if item.get("onOrderQuantity") is None:
                raise c.fail(f"{field}.restockDate needs onOrderQuantity (the quantity "
                             "expected at that date)", "SCH", 1)
            restock_date(item["restockDate"], f"{field}.restockDate")
    return items


def write_body(document):
    items = check(document)
    date, time = c.date_time(document.get("asOf"), "asOf", "BIA")
    body = [("BIA", ["00", "MM", document["reportId"], date, time or "0000"])]
    for code, key in PARTIES:
        if document.get(key):
            body += c.party_out(code, document[key], key)
    for index, item in enumerate(items, start=1):
        field = f"items[{index - 1}]"
        ids = []
        for key, qualifier in IDENTIFIERS:
            if item.get(key):
                ids += [qualifier, item[key]]
        body.append(("LIN", [str(index), *ids]))
        body.append(("QTY", ["33", quantity(item["availableQuantity"],
                                            f"{field}.availableQuantity"), "EA"]))
        if item.get("onOrderQuantity") is not None:
            on_order = quantity(item["onOrderQuantity"], f"{field}.onOrderQuantity")
            body.append(("QTY", ["63", on_order, "EA"]))
            if item.get("restockDate") is not None:
                body.append(("SCH", [on_order, "EA", None, None, "018", restock_date(
                    item["restockDate"], f"{field}.restockDate")]))
    body.append(("CTT", [len(items)]))
    return body


def _whole(segment, index, what):
    value = c.read_integer(segment, index, what)
    if value < 0:
        raise EdiError(f"{what} {value} is negative", segment.tag, segment.position, index,
                       code="6")
    return value


def _unit(segment, index):
    if segment[index] not in ("", "EA"):
        raise EdiError(f"unit of measure {segment[index]!r}: inventory is read in eaches (EA)",
                       segment.tag, segment.position, index, code="7")


def _ids(lin):
    item = {}
    index = 2
    while index < len(lin.elements):
        qualifier, value = lin[index], lin[index + 1]
        if qualifier or value:
            if not (qualifier and value):
                raise EdiError("product qualifier and identifier come in pairs", "LIN",
                               lin.position, index if not qualifier else index + 1, code="2")
            if qualifier not in QUALIFIERS:
                raise EdiError(f"product identifier qualifier {qualifier!r} is not BP, VN, SK, "
                               "EN or UP", "LIN", lin.position, index, code="7")
            item[QUALIFIERS[qualifier]] = value
        index += 2
    if not item:
        raise EdiError("the item has no product identifier", "LIN", lin.position, 3, code="1")
    return item


def read_body(body):
    bia = body.take("BIA")
    require(bia, 1, "BIA01 purpose", {"00"})
    require(bia, 2, "BIA02 report type", {"MM", "SI"})
    document = {"reportId": require(bia, 3, "BIA03 reference")}
    document["asOf"] = c.iso_from(bia, 4, 5)
    body.take_all("DTM")
    parties = c.parties_in(body)
    if "SU" not in parties:
        raise EdiError("the seller (N1*SU, Amazon's vendor code) is missing", "N1", code="3")
    for code, key in PARTIES:
        if code in parties:
            document[key] = parties.pop(code)
    if parties:
        raise EdiError(f"party N1*{sorted(parties)[0]} is not read in an 846", "N1", code="7")
    items = []
    while (lin := body.take("LIN", required=not items)) is not None:
        item = _ids(lin)
        quantities = {}
        for qty in body.take_all("QTY"):
            code = require(qty, 1, "QTY01 quantity qualifier", {"33", "63"})
            if code in quantities:
                raise EdiError(f"QTY*{code} twice for one item", "QTY", qty.position, 1,
                               code="5")
            quantities[code] = _whole(qty, 2, f"QTY02 quantity ({code})")
            _unit(qty, 3)
        if "33" not in quantities:
            raise EdiError("the available quantity (QTY*33) is missing", "QTY", lin.position,
                           code="3")
        item["availableQuantity"] = quantities["33"]
        if "63" in quantities:
            item["onOrderQuantity"] = quantities["63"]
        sch = body.take("SCH", required=False)
        if sch is not None:
            if "63" not in quantities or _whole(sch, 1, "SCH01 quantity") != quantities["63"]:
                raise EdiError("SCH01 is not the on-order quantity (QTY*63)", "SCH",
                               sch.position, 1, code="6")
            _unit(sch, 2)
            require(sch, 5, "SCH05 date qualifier", {"018"})
            item["restockDate"] = c.iso_from(sch, 6)[:10]
        items.append(item)
    ctt = body.take("CTT")
    if c.read_integer(ctt, 1, "CTT01 number of line items") != len(items):
        raise EdiError(f"CTT01 says {ctt[1]} line items, the report has {len(items)}",
                       "CTT", ctt.position, 1, code="6")
    body.end()
    document["items"] = items
    return document
