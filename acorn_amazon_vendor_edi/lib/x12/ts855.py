"""855 Purchase Order Acknowledgment (X12 004010, group PR) <-> one ``OrderAcknowledgement``
of submitAcknowledgement (vendor orders v1).

Sources: Stedi's Amazon "X12 855 Retail Purchase Order Acknowledgment" (Release 4010): heading
ST, BAK, (N1 loop); detail PO1 loop with its ACK loop; summary CTT loop, SE. Line status codes
IA (item accepted), IB (item backordered), IR (item rejected) as the task and common Amazon
vendor practice use them; ACK04/ACK05 scheduled dates. The public copies of Amazon's retail
guide could not be read down to its ACK01 code list and rejection reasons, so the reason
codes below are the X12 004010 ACK01 codes that match the API's reasons (unconfirmed):

  BAK  00 * AD (all accepted as ordered) / AC (with changes) / RJ (all rejected) *
       purchaseOrderNumber * CCYYMMDD (acknowledgementDate) ... BAK09 the same date
  CUR  SE * currency                                   netCost / listPrice currency
  DTM  097 (transaction creation) acknowledgementDate with its time
  N1   SU sellingParty (address, tax registration)
  PO1  itemSequenceNumber * orderedQuantity * EA/CA * netCost * * BP * ASIN * VN * SKU
  PO4  unitSize;  CTP * * MSR * listPrice
  ACK  code * acknowledgedQuantity * EA/CA * 068 * scheduledShipDate (CCYYMMDD)
  DTM  067 scheduledDeliveryDate, 068 scheduledShipDate (with time) after each ACK
  CTT  number of PO1 lines

  Accepted -> IA, Backordered -> IB, Rejected: TemporarilyUnavailable -> IR,
  InvalidProductIdentifier -> R2 ("item rejected, invalid item product number"),
  ObsoleteProduct -> R4 ("item rejected, contract item not available"). A rejection without
  a reason is written IR and read back as TemporarilyUnavailable.

Not carried: discountMultiplier (books), the acknowledged quantity's unitSize when it differs
from the ordered one (one PO4 per line), party address ``district``.
"""
from ..envelope import EdiError
from . import common as c
from .interchange import require
from .ts850 import product_ids

CODES = {("Accepted", None): "IA", ("Backordered", None): "IB",
         ("Rejected", None): "IR", ("Rejected", "TemporarilyUnavailable"): "IR",
         ("Rejected", "InvalidProductIdentifier"): "R2", ("Rejected", "ObsoleteProduct"): "R4"}
CODES_BACK = {"IA": ("Accepted", None), "IB": ("Backordered", None),
              "IR": ("Rejected", "TemporarilyUnavailable"),
              "R2": ("Rejected", "InvalidProductIdentifier"),
              "R4": ("Rejected", "ObsoleteProduct")}


def write_body(ack):
    number = ack.get("purchaseOrderNumber")
    if not number:
        raise c.fail("purchaseOrderNumber is missing", "BAK", 3)
    date, _time = c.date_time(ack.get("acknowledgementDate"), "acknowledgementDate", "BAK")
    items = ack.get("items") or []
    if not items:
        raise c.fail("items is empty", "PO1")
    codes = set()
    lines = []
    currencies = {m.get("currencyCode") for i in items for m in (i.get("netCost"),
                                                                    i.get("listPrice")) if m}
    if len(currencies) > 1:
        raise c.fail(f"items in several currencies ({', '.join(sorted(currencies))}): an 855 "
                     "has one (CUR)", "CUR", 2)
    for index, item in enumerate(items):
        field = f"items[{index}]"
        if not item.get("itemSequenceNumber"):
            raise c.fail(f"{field}.itemSequenceNumber is missing", "PO1", 1)
        qty, unit, size = c.quantity_out(item.get("orderedQuantity"), f"{field}.orderedQuantity",
                                         "PO1")
        ids = []
        if item.get("amazonProductIdentifier"):
            ids += ["BP", item["amazonProductIdentifier"]]
        if item.get("vendorProductIdentifier"):
            ids += ["VN", item["vendorProductIdentifier"]]
        cost = item.get("netCost")
        lines.append(("PO1", [item["itemSequenceNumber"], qty, unit,
                              c.amount(cost.get("amount"), f"{field}.netCost.amount", "PO1", 4)
                              if cost else None, c.price_basis(cost), *ids]))
        # X12 004010 positions: CTP (040) before PO4 (090)
        if item.get("listPrice"):
            lines.append(("CTP", [None, "MSR", c.amount(item["listPrice"].get("amount"),
                                                         f"{field}.listPrice.amount", "CTP", 3)]))
        lines += c.compact([c.po4(size)])
        parts = item.get("itemAcknowledgements") or []
        if not parts:
            raise c.fail(f"{field}.itemAcknowledgements is empty", "ACK")
        for p_index, part in enumerate(parts):
            where = f"{field}.itemAcknowledgements[{p_index}]"
            key = (part.get("acknowledgementCode"),
                   part.get("rejectionReason") if part.get("acknowledgementCode") == "Rejected"
                   else None)
            if key not in CODES:
                raise c.fail(f"{where}: acknowledgementCode {key[0]!r} / rejectionReason "
                             f"{key[1]!r} has no 855 line code", "ACK", 1)
            codes.add(CODES[key])
            a_qty, a_unit, a_size = c.quantity_out(part.get("acknowledgedQuantity"),
                                                   f"{where}.acknowledgedQuantity", "ACK")
            if a_size is not None and a_size != size:
                raise c.fail(f"{where}.acknowledgedQuantity.unitSize {a_size} is not the "
                             f"ordered unitSize {size}: an 855 line has one pack size (PO4)",
                             "ACK", 3)
            ship = part.get("scheduledShipDate")
            ship_date = c.date_time(ship, f"{where}.scheduledShipDate", "ACK")[0] if ship \
                else None
            lines.append(("ACK", [CODES[key], a_qty, a_unit, "068" if ship else None,
                                  ship_date]))
            if ship:
                lines.append(c.dtm("068", ship, f"{where}.scheduledShipDate"))
            if part.get("scheduledDeliveryDate"):
                lines.append(c.dtm("067", part["scheduledDeliveryDate"],
                                   f"{where}.scheduledDeliveryDate"))
    kind = "AD" if codes == {"IA"} else "RJ" if codes <= {"IR", "R2", "R4"} else "AC"
    body = [("BAK", ["00", kind, number, date, None, None, None, None, date])]
    if currencies:
        body.append(("CUR", ["SE", currencies.pop()]))
    body.append(c.dtm("097", ack["acknowledgementDate"], "acknowledgementDate"))
    body += c.party_out("SU", ack.get("sellingParty"), "sellingParty")
    body += lines
    body.append(("CTT", [len(items)]))
    return body


def read_body(body):
    bak = body.take("BAK")
    require(bak, 1, "BAK01 purpose", {"00"})
    require(bak, 2, "BAK02 acknowledgment type", {"AD", "AC", "RJ"})
    number = require(bak, 3, "BAK03 purchase order number")
    ack_date = c.iso_from(bak, 4)
    cur = body.take("CUR", required=False)
    currency = require(cur, 2, "CUR02 currency") if cur else None
    dates = c.dtm_map(body.take_all("DTM"))
    if "097" in dates:
        if dates["097"][:10] != ack_date[:10]:
            raise EdiError("DTM*097 is not the BAK04 date", "DTM", code="8")
        ack_date = dates["097"]
    parties = c.parties_in(body)
    if "SU" not in parties or len(parties) > 1:
        raise EdiError("an 855 carries exactly one party, the seller (N1*SU)", "N1", code="3")
    items = []
    while (po1 := body.take("PO1", required=not items)) is not None:
        # the standard's order (CTP, then PO4), or PO4 first as our writer had it
        ctp = body.take("CTP", required=False)
        po4 = body.take("PO4", required=False)
        ctp = ctp if ctp is not None else body.take("CTP", required=False)
        item = {"itemSequenceNumber": require(po1, 1, "PO101 line number")}
        asin, sku = product_ids(po1, 6)
        if asin:
            item["amazonProductIdentifier"] = asin
        if sku:
            item["vendorProductIdentifier"] = sku
        item["orderedQuantity"] = c.quantity_in(po1, 2, 3, po4)
        price = c.read_amount(po1, 4, "PO104 unit price", required=False)
        if price is not None:
            item["netCost"] = {"amount": price, "currencyCode": currency}
        if ctp is not None:
            require(ctp, 2, "CTP02 price identifier", {"MSR"})
            item["listPrice"] = {"amount": c.read_amount(ctp, 3, "CTP03 list price"),
                                 "currencyCode": currency}
        if (price is not None or ctp is not None) and not currency:
            raise EdiError("prices need the CUR currency", "CUR", code="3")
        parts = []
        while (segment := body.take("ACK", required=not parts)) is not None:
            code = require(segment, 1, "ACK01 line item status", set(CODES_BACK))
            status, reason = CODES_BACK[code]
            part = {"acknowledgementCode": status,
                    "acknowledgedQuantity": c.quantity_in(segment, 2, 3, po4)}
            if reason:
                part["rejectionReason"] = reason
            line_dates = c.dtm_map(body.take_all("DTM"))
            if segment[4] == "068" and "068" not in line_dates:
                line_dates["068"] = c.iso_from(segment, 5)
            if "068" in line_dates:
                part["scheduledShipDate"] = line_dates["068"]
            if "067" in line_dates:
                part["scheduledDeliveryDate"] = line_dates["067"]
            parts.append(part)
        item["itemAcknowledgements"] = parts
        items.append(item)
    ctt = body.take("CTT")
    if c.read_integer(ctt, 1, "CTT01 number of line items") != len(items):
        raise EdiError(f"CTT01 says {ctt[1]} line items, the acknowledgement has {len(items)}",
                       "CTT", ctt.position, 1, code="6")
    body.end()
    return {"purchaseOrderNumber": number, "sellingParty": parties["SU"],
            "acknowledgementDate": ack_date, "items": items}
