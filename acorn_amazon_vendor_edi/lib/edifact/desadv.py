"""DESADV (EANCOM D96A, ``DESADV:D:96A:UN:EAN005``): our ASN <-> one element of Vendor
Shipments v1 submitShipmentConfirmations' ``shipmentConfirmations``.

Layout written and read::

    BGM+351+<shipmentIdentifier>+9 (Original) | 5 (Replace)
    DTM+137 shipmentConfirmationDate, DTM+11 shippedDate, DTM+17 estimatedDeliveryDate
    MEA+PD+AAB+<unit>:<gross weight>, MEA+PD+AAW+<unit>:<volume>
    RFF+BM bill of lading, RFF+CN carrier reference (PRO / tracking), RFF+AAN amazonReferenceNumber
    NAD+SU sellingParty, NAD+SF shipFromParty, NAD+DP shipToParty
    TDT+20++3|4|1 (Road|Air|Ocean)++<carrierScac>::182
    CPS+1  PAC+<cartonCount>++CT  PAC+<palletCount>++PX
        LIN+<itemSequenceNumber> PIA+5 ASIN:BP / vendor id:SA  QTY+12 loose QTY+59 unit size
        RFF+ON:<purchaseOrderNumber>           (shippedItems' units in no carton or pallet)
    CPS+<n>+1            PAC+1++PX  MEA+PD+AAB|LN|WD|HT  PCI+33E  GIN+BJ+<pallet SSCC>
    CPS+<n>+<parent>     PAC+1++CT  MEA...  PCI+33E  RFF+CN:<trackingNumber>
                         GIN+BJ+<carton SSCC>  GIN+ML+<cartonSequenceNumber>
        LIN+<itemReference> PIA... QTY+12 packed QTY+59 RFF+ON     (carton / pallet items)
    (cartons on a pallet have the pallet's CPS as parent: cartonReferenceDetails)

Each unit is listed once, at the level that holds it (EANCOM: the LINs after a CPS are what
that package contains; a receiver adds them up): a packed unit under its carton or pallet,
with the item's ids and PO (Amazon receives a carton by its SSCC against the PO, ASIN and
quantity the ASN gives for it), the rest under CPS+1. LIN repeats the item's sequence number
in every package holding it; the reader adds the levels up into shippedItems. A file of the
former layout (every item under CPS+1 again, package lines without ids) is still read.

Sources: EANCOM 1997 DESADV (BGM 351, DTM 11/17/137, CPS hierarchy, PAC, MEA+PD, PCI+33E,
GIN+BJ = SSCC, LIN/PIA/QTY+12, RFF+ON, RFF+BM, TDT+20); Zynk "Amazon Vendor Central (Legacy)"
and TransdatiX "Amazon delivery notes" confirm Amazon EU takes DESADV D96A with bill of lading
and SSCC per package. Not confirmed against Amazon's guide: RFF+AAN for the ARN, RFF+CN, GIN+ML
for the carton sequence number, MEA+PD+AAW for the volume, the LIN number repeated per package,
SCAC with agency 182.

Not carried: shipmentType and shipmentStructure (no DESADV element; absent after reading),
pallet tier/block, itemDetails other than purchaseOrderNumber, importDetails, identifiers other
than SSCC (refused), address county/district.
"""
from ..envelope import EdiError
from .common import (
    PartyReader,
    apply_unit_size,
    dtm,
    first,
    nad,
    pia,
    qty,
    read_dtm,
    read_pia,
    read_qty,
    unit_size_segment,
)
from .envelope import amount_text, integer_text, limited

IDENTIFIER = ("DESADV", "D", "96A", "UN", "EAN005")
ACCEPTED = [("D", "96A", "UN", "EAN*"), ("D", "96A", "UN", "")]
FUNCTIONS = {"Original": "9", "Replace": "5"}
MODES = {"Road": "3", "Air": "4", "Ocean": "1"}
WEIGHTS = {"Kg": "KGM", "G": "GRM", "Lb": "LBR", "Oz": "ONZ"}
LENGTHS = {"Meter": "MTR", "In": "INH", "Ft": "FOT", "Yard": "YRD"}
VOLUMES = {"CuM": "MTQ", "CuFt": "FTQ", "CuIn": "INQ", "CuY": "YDQ"}
PARTIES = (("sellingParty", "SU"), ("shipFromParty", "SF"), ("shipToParty", "DP"))
REFERENCES = (("billOfLadingNumber", "BM"), ("carrierShipmentReferenceNumber", "CN"))


def _unit(table, unit, what):
    if unit not in table:
        raise EdiError(f"{what} unit {unit!r} is not one of {sorted(table)}", segment="MEA",
                       element=3)
    return table[unit]


def _mea(dimension, unit_code, value, what):
    return ("MEA", ["PD", dimension, [unit_code, amount_text(value, what, "MEA", 3)]])


def _package_mea(package, what):
    out = []
    weight = package.get("weight")
    if weight:
        out.append(_mea("AAB", _unit(WEIGHTS, weight.get("unitOfMeasure"), what),
                        weight.get("value"), f"{what} weight"))
    dims = package.get("dimensions")
    if dims:
        code = _unit(LENGTHS, dims.get("unitOfMeasure"), what)
        for key, dimension in (("length", "LN"), ("width", "WD"), ("height", "HT")):
            out.append(_mea(dimension, code, dims.get(key), f"{what} {key}"))
    return out


def _sscc(identifiers, what):
    out = []
    for ident in identifiers or []:
        if ident.get("containerIdentificationType") != "SSCC":
            raise EdiError(f"{what}: only SSCC identifiers are sent by EDI, not "
                           f"{ident.get('containerIdentificationType')!r}", segment="GIN",
                           element=1)
        number = ident.get("containerIdentificationNumber") or ""
        if not (len(number) == 18 and number.isdigit()):
            raise EdiError(f"{what}: SSCC {number!r} is not 18 digits", segment="GIN",
                           element=2)
        out.append(("GIN", ["BJ", number]))
    return out


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _eaches(quantity, what):
    size = quantity.get("unitSize") if quantity.get("unitOfMeasure") == "Cases" else 1
    if not _whole(size) or size < 1:
        raise EdiError(f"{what}: cases without a unit size cannot be counted", segment="QTY",
                       element=1)
    if not _whole(quantity.get("amount")):
        raise EdiError(f"{what}: the quantity is not a whole number", segment="QTY", element=1)
    return quantity["amount"] * size


def _in_unit_of(quantity, eaches):
    """``eaches`` in the unit of ``quantity`` (its cases when they divide, else eaches)."""
    size = quantity.get("unitSize") if quantity.get("unitOfMeasure") == "Cases" else 1
    if size and eaches % size == 0:
        return dict(quantity, amount=eaches // size)
    return {"amount": eaches, "unitOfMeasure": "Eaches", "unitSize": 1}


def _item_line(number, item, quantity, what):
    out = [("LIN", [limited(number, 6, "itemSequenceNumber", "LIN", 1)])]
    out.extend(pia(item))
    out.append(qty("12", quantity, what))
    out.extend(unit_size_segment([quantity]))
    po = (item.get("itemDetails") or {}).get("purchaseOrderNumber")
    if po:
        out.append(("RFF", [["ON", limited(po, 35, "purchaseOrderNumber", "RFF", 1)]]))
    return out


def _container_items(entries, what, shipped):
    out = []
    for entry in entries or []:
        ref = entry.get("itemReference")
        if not ref:
            raise EdiError(f"{what}: itemReference is missing", segment="LIN", code="13")
        if ref not in shipped:
            raise EdiError(f"{what}: itemReference {ref} is not an itemSequenceNumber of "
                           "shippedItems", segment="LIN", code="12")
        out.extend(_item_line(ref, shipped[ref], entry.get("shippedQuantity"),
                              f"{what} item {ref}"))
    return out


def _loose(items, containers):
    """{itemSequenceNumber: quantity in no carton or pallet} (None: nothing loose)."""
    packed = {}
    for container, what in containers:
        for entry in container.get("items") or []:
            ref = entry.get("itemReference")
            quantity = entry.get("shippedQuantity")
            if ref and isinstance(quantity, dict):
                packed[ref] = packed.get(ref, 0) + _eaches(quantity, f"{what} item {ref}")
    out = {}
    for item in items:
        number, quantity = item.get("itemSequenceNumber"), item.get("shippedQuantity")
        if number not in packed:
            out[number] = quantity
            continue
        left = _eaches(quantity, f"item {number}") - packed[number]
        if left < 0:
            raise EdiError(f"item {number}: the cartons and pallets hold {packed[number]} "
                           f"units, {left + packed[number]} were shipped", segment="QTY",
                           code="12")
        out[number] = _in_unit_of(quantity, left) if left else None
    return out


def build(sc):
    if not isinstance(sc, dict):
        raise EdiError("the shipment confirmation is not an object", segment="BGM")
    ident = sc.get("shipmentIdentifier")
    if not ident:
        raise EdiError("shipmentIdentifier is missing", segment="BGM", element=2, code="13")
    kind = sc.get("shipmentConfirmationType") or "Original"
    if kind not in FUNCTIONS:
        raise EdiError(f"shipmentConfirmationType {kind!r} is not Original or Replace",
                       segment="BGM", element=3)
    body = [("BGM", ["351", limited(ident, 35, "shipmentIdentifier", "BGM", 2),
                     FUNCTIONS[kind]])]
    if not sc.get("shipmentConfirmationDate"):
        raise EdiError("shipmentConfirmationDate is missing", segment="DTM", code="13")
    for key, qualifier in (("shipmentConfirmationDate", "137"), ("shippedDate", "11"),
                           ("estimatedDeliveryDate", "17")):
        if sc.get(key):
            body.append(dtm(qualifier, sc[key], key))
    measures = sc.get("shipmentMeasurements") or {}
    if measures.get("grossShipmentWeight"):
        weight = measures["grossShipmentWeight"]
        body.append(_mea("AAB", _unit(WEIGHTS, weight.get("unitOfMeasure"), "shipment"),
                         weight.get("value"), "grossShipmentWeight"))
    if measures.get("shipmentVolume"):
        volume = measures["shipmentVolume"]
        body.append(_mea("AAW", _unit(VOLUMES, volume.get("unitOfMeasure"), "volume"),
                         volume.get("value"), "shipmentVolume"))
    transport = sc.get("transportationDetails") or {}
    for key, qualifier in REFERENCES:
        if transport.get(key):
            body.append(("RFF", [[qualifier, limited(transport[key], 35, key, "RFF", 1)]]))
    if sc.get("amazonReferenceNumber"):
        body.append(("RFF", [["AAN", limited(sc["amazonReferenceNumber"], 35,
                                             "amazonReferenceNumber", "RFF", 1)]]))
    for key, qualifier in PARTIES:
        if sc.get(key):
            body.extend(nad(qualifier, sc[key], tax="taxRegistrationDetails"))
    if transport.get("transportationMode") or transport.get("carrierScac"):
        mode = transport.get("transportationMode")
        if mode and mode not in MODES:
            raise EdiError(f"transportationMode {mode!r} is not Road, Air or Ocean",
                           segment="TDT", element=3)
        scac = transport.get("carrierScac")
        body.append(("TDT", ["20", "", MODES.get(mode, ""), "",
                             [limited(scac, 17, "carrierScac", "TDT", 5), "", "182"]
                             if scac else ""]))
    body.append(("CPS", ["1"]))
    for key, code in (("cartonCount", "CT"), ("palletCount", "PX")):
        if measures.get(key) is not None:
            body.append(("PAC", [integer_text(measures[key], key, "PAC", 1), "", code]))
    items = sc.get("shippedItems") or []
    if not items:
        raise EdiError("shippedItems is empty", segment="LIN", code="13")
    shipped = {}
    for item in items:
        sequence = item.get("itemSequenceNumber")
        if not sequence:
            raise EdiError("itemSequenceNumber is missing", segment="LIN", code="13")
        if sequence in shipped:
            raise EdiError(f"itemSequenceNumber {sequence} is used twice", segment="LIN",
                           code="12")
        if not (item.get("amazonProductIdentifier") or item.get("vendorProductIdentifier")):
            # a packed line names its item by these: without them it could not be told
            raise EdiError(f"item {sequence} has neither an ASIN nor a vendor product id",
                           segment="PIA", code="13")
        if not isinstance(item.get("shippedQuantity"), dict):
            raise EdiError(f"item {sequence} shippedQuantity is not a quantity object",
                           segment="QTY")
        shipped[sequence] = item
    containers = ([(p, "pallet") for p in sc.get("pallets") or []]
                  + [(c, f"carton {c.get('cartonSequenceNumber')}")
                     for c in sc.get("cartons") or []])
    for sequence, loose in _loose(items, containers).items():
        if loose is not None:
            body.extend(_item_line(sequence, shipped[sequence], loose,
                                   f"item {sequence} shippedQuantity"))
    level = 1
    parent_of = {}
    for pallet in sc.get("pallets") or []:
        level += 1
        body.append(("CPS", [level, "1"]))
        body.append(("PAC", ["1", "", "PX"]))
        body.extend(_package_mea(pallet, "pallet"))
        body.append(("PCI", ["33E"]))
        body.extend(_sscc(pallet.get("palletIdentifiers"), "pallet"))
        body.extend(_container_items(pallet.get("items"), "pallet", shipped))
        refs = (pallet.get("cartonReferenceDetails") or {}).get("cartonReferenceNumbers") or []
        for ref in refs:
            parent_of[ref] = level
    for carton in sc.get("cartons") or []:
        level += 1
        number = carton.get("cartonSequenceNumber")
        if not number:
            raise EdiError("cartonSequenceNumber is missing", segment="GIN", code="13")
        body.append(("CPS", [level, parent_of.get(number, 1)]))
        body.append(("PAC", ["1", "", "CT"]))
        body.extend(_package_mea(carton, f"carton {number}"))
        body.append(("PCI", ["33E"]))
        if carton.get("trackingNumber"):
            body.append(("RFF", [["CN", limited(carton["trackingNumber"], 35,
                                                "trackingNumber", "RFF", 1)]]))
        body.extend(_sscc(carton.get("cartonIdentifiers"), f"carton {number}"))
        body.append(("GIN", ["ML", limited(number, 35, "cartonSequenceNumber", "GIN", 2)]))
        body.extend(_container_items(carton.get("items"), f"carton {number}", shipped))
    return body


# -- reading ----------------------------------------------------------------------------------

def _read_mea(seg, table, what):
    names = {v: k for k, v in table.items()}
    unit = seg.text(3, 1)
    if unit not in names:
        raise seg.error(f"{what} unit {unit!r} is not one of {sorted(names)}", 3, code="14")
    return names[unit], seg.number(3, 2, what)


def parse(segs):
    header, packages, current = [], [], None
    for seg in segs:
        if seg.tag == "CPS":
            current = [seg]
            packages.append(current)
        elif current is not None:
            current.append(seg)
        else:
            header.append(seg)
    bgm = first(header, "BGM", required=True, what="beginning of message")
    if bgm.text(1, 1) != "351":
        raise bgm.error(f"document code {bgm.text(1, 1)!r} is not a despatch advice (351)", 1,
                        code="14")
    kinds = {v: k for k, v in FUNCTIONS.items()}
    if bgm.text(3) not in kinds:
        raise bgm.error(f"message function {bgm.text(3)!r} is not 9 (original) or 5 "
                        "(replace)", 3, code="14")
    sc = {"shipmentIdentifier": bgm.required(2, 1, "shipment identifier"),
          "shipmentConfirmationType": kinds[bgm.text(3)]}
    parties = PartyReader(tax="taxRegistrationDetails")
    measures, transport = {}, {}
    dates = {"137": "shipmentConfirmationDate", "11": "shippedDate",
             "17": "estimatedDeliveryDate"}
    for seg in header:
        if seg.tag == "DTM":
            qualifier, value = read_dtm(seg)
            if qualifier in dates:
                sc[dates[qualifier]] = value
        elif seg.tag == "MEA":
            if seg.text(2) == "AAB":
                unit, value = _read_mea(seg, WEIGHTS, "gross weight")
                measures["grossShipmentWeight"] = {"unitOfMeasure": unit, "value": value}
            elif seg.text(2) == "AAW":
                unit, value = _read_mea(seg, VOLUMES, "volume")
                measures["shipmentVolume"] = {"unitOfMeasure": unit, "value": value}
        elif seg.tag == "RFF":
            if parties.rff(seg):
                continue
            code = seg.text(1, 1)
            for key, qualifier in REFERENCES:
                if code == qualifier:
                    transport[key] = seg.required(1, 2, key)
            if code == "AAN":
                sc["amazonReferenceNumber"] = seg.required(1, 2, "Amazon reference number")
        elif seg.tag == "NAD":
            parties.nad(seg)
        elif seg.tag == "COM":
            parties.com(seg)
        elif seg.tag == "TDT":
            parties.end()
            names = {v: k for k, v in MODES.items()}
            if seg.text(3):
                if seg.text(3) not in names:
                    raise seg.error(f"mode of transport {seg.text(3)!r} is not 3, 4 or 1", 3,
                                    code="14")
                transport["transportationMode"] = names[seg.text(3)]
            if seg.text(5):
                transport["carrierScac"] = seg.text(5)
    if "shipmentConfirmationDate" not in sc:
        raise EdiError("the confirmation date (DTM+137) is missing", segment="DTM", code="13")
    for key, qualifier in PARTIES:
        if qualifier in parties.parties:
            sc[key] = parties.parties[qualifier]
        else:
            raise EdiError(f"the party NAD+{qualifier} ({key}) is missing", segment="NAD",
                           code="13")
    if transport:
        sc["transportationDetails"] = transport
    if not packages or packages[0][0].text(1) != "1":
        raise EdiError("the shipment level CPS+1 is missing", segment="CPS", code="13")
    _read_counts(packages[0], measures)
    lines = [_read_line(group) for group in _lines(packages[0])]
    if measures:
        sc["shipmentMeasurements"] = measures
    lines += _read_packages(packages[1:], sc)
    items = _shipped_items(lines)
    if not items:
        raise EdiError("no shipped item (LIN)", segment="LIN", code="13")
    sc["shippedItems"] = items
    return sc


def _lines(segs):
    groups = []
    for seg in segs:
        if seg.tag == "LIN":
            groups.append([seg])
        elif groups:
            groups[-1].append(seg)
    return groups


def _read_counts(segs, measures):
    for seg in segs:
        if seg.tag == "LIN":
            break
        if seg.tag == "PAC":
            key = {"CT": "cartonCount", "PX": "palletCount"}.get(seg.text(3))
            if key:
                measures[key] = seg.integer(1, 1, "package count")


def _read_line(group):
    """One LIN group: {"itemSequenceNumber", "shippedQuantity"[, ids, itemDetails]}."""
    item = {"itemSequenceNumber": group[0].required(1, 1, "line number")}
    size = None
    for seg in group[1:]:
        if seg.tag == "PIA":
            read_pia(seg, item)
        elif seg.tag == "QTY":
            qualifier, quantity = read_qty(seg)
            if qualifier == "12":
                item["shippedQuantity"] = quantity
            elif qualifier == "59":
                size = quantity["amount"]
        elif seg.tag == "RFF" and seg.text(1, 1) == "ON":
            item["itemDetails"] = {"purchaseOrderNumber": seg.required(1, 2, "PO number")}
    if "shippedQuantity" not in item:
        raise group[0].error(f"line {item['itemSequenceNumber']}: the shipped quantity "
                             "(QTY+12) is missing", code="13")
    apply_unit_size([item["shippedQuantity"]], size)
    return item


IDS = ("amazonProductIdentifier", "vendorProductIdentifier", "itemDetails")


def _total(quantities, what):
    """One quantity for the parts of an item: their unit when they share it, else the first
    part's cases when they divide the units, else the largest cases that do, else eaches."""
    if all((q.get("unitOfMeasure"), q.get("unitSize")) == (quantities[0].get("unitOfMeasure"),
                                                          quantities[0].get("unitSize"))
           for q in quantities):
        return dict(quantities[0], amount=sum(q["amount"] for q in quantities))
    eaches = sum(_eaches(q, what) for q in quantities)
    cases = sorted((q for q in quantities if q.get("unitOfMeasure") == "Cases"),
                   key=lambda q: (q is not quantities[0], -q["unitSize"]))
    return next((_in_unit_of(q, eaches) for q in cases if eaches % q["unitSize"] == 0),
                {"amount": eaches, "unitOfMeasure": "Eaches", "unitSize": 1})


def _shipped_items(lines):
    """shippedItems from every level's lines, each unit listed once. A file whose package
    lines carry no ids at all is of the former layout: its CPS+1 lines hold the totals and
    the package lines only point at them."""
    former = not any(line.get("package") and any(k in line for k in IDS) for line in lines)
    items, parts = {}, {}
    for line in lines:
        if former and line.get("package"):
            continue
        number = line["itemSequenceNumber"]
        item = items.setdefault(number, {k: v for k, v in line.items() if k != "package"})
        for key in IDS:
            if key in line and item.setdefault(key, line[key]) != line[key]:
                raise EdiError(f"line {number} names two items ({key} {item[key]!r} and "
                               f"{line[key]!r})", segment="LIN", code="12")
        parts.setdefault(number, []).append(line["shippedQuantity"])
    for number, item in items.items():
        item["shippedQuantity"] = _total(parts[number], f"line {number}")
    order = list(items)
    if all(number.isascii() and number.isdigit() for number in order):
        order.sort(key=int)
    return [items[number] for number in order]


def _read_container_items(segs):
    """The package's lines (flagged ``package``) and its items ({itemReference,
    shippedQuantity})."""
    lines, entries = [], []
    for group in _lines(segs):
        line = _read_line(group)
        line["package"] = True
        lines.append(line)
        entries.append({"itemReference": line["itemSequenceNumber"],
                        "shippedQuantity": line["shippedQuantity"]})
    return lines, entries


def _read_packages(packages, sc):
    """Pallets and cartons into ``sc``; returns the lines of their items."""
    pallets, cartons, lines = {}, [], []
    known = {"1"}
    for segs in packages:
        cps = segs[0]
        level, parent = cps.required(1, 1, "hierarchy number"), cps.text(2)
        if parent not in known:
            raise cps.error(f"parent {parent!r} is not an earlier package level", 2, code="12")
        known.add(level)
        pac = first(segs, "PAC")
        if pac is None:
            raise cps.error(f"package level {level} has no PAC", code="13")
        package = {}
        weight, dims = None, {}
        for seg in segs:
            if seg.tag == "MEA" and seg.text(1) == "PD":
                if seg.text(2) == "AAB":
                    unit, value = _read_mea(seg, WEIGHTS, "weight")
                    weight = {"unitOfMeasure": unit, "value": value}
                elif seg.text(2) in ("LN", "WD", "HT"):
                    unit, value = _read_mea(seg, LENGTHS, "dimension")
                    key = {"LN": "length", "WD": "width", "HT": "height"}[seg.text(2)]
                    dims[key] = value
                    dims["unitOfMeasure"] = unit
        if dims:
            package["dimensions"] = dims
        if weight:
            package["weight"] = weight
        ssccs = [{"containerIdentificationNumber": s.required(2, 1, "SSCC"),
                  "containerIdentificationType": "SSCC"}
                 for s in segs if s.tag == "GIN" and s.text(1) == "BJ"]
        package_lines, items = _read_container_items(segs)
        lines += package_lines
        if pac.text(3) == "PX":
            package["palletIdentifiers"] = ssccs
            if not ssccs:
                raise cps.error(f"pallet level {level} has no SSCC (GIN+BJ)", code="13")
            if items:
                package["items"] = items
            pallets[level] = package
            sc.setdefault("pallets", []).append(package)
        elif pac.text(3) == "CT":
            label = first(segs, "GIN", "ML")
            if label is None:
                raise cps.error(f"carton level {level} has no carton number (GIN+ML)",
                                code="13")
            package["cartonSequenceNumber"] = label.required(2, 1, "carton number")
            if ssccs:
                package["cartonIdentifiers"] = ssccs
            tracking = first(segs, "RFF", "CN")
            if tracking is not None:
                package["trackingNumber"] = tracking.required(1, 2, "tracking number")
            package["items"] = items
            cartons.append(package)
            if parent in pallets:
                details = pallets[parent].setdefault(
                    "cartonReferenceDetails", {"cartonCount": 0, "cartonReferenceNumbers": []})
                details["cartonCount"] += 1
                details["cartonReferenceNumbers"].append(package["cartonSequenceNumber"])
        else:
            raise pac.error(f"package type {pac.text(3)!r} is not CT (carton) or PX (pallet)",
                            3, code="14")
    if cartons:
        sc["cartons"] = cartons
    return lines
