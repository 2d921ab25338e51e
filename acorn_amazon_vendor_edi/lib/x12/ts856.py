"""856 Ship Notice/Manifest (X12 **005010**, group SH) <-> one ``ShipmentConfirmation`` of
submitShipmentConfirmations (vendor shipments v1).

Sources: Stedi's Amazon "X12 856 Retail Ship Notice/Manifest (V1)" guide (005010: delimiters
include the ``^`` repetition separator), Amazon's North American Vendor Transportation /
Shipment Preparation manuals (BOL number, PRO number, ARN for Collect shipments, SSCC per
carton and pallet). Hierarchy as the task and Amazon's retail ASN use it: shipment (S) /
order (O) / tare = pallet (T) / pack = carton (P) / item (I). Element-level qualifiers follow
X12 005010 where Amazon's guide could not be read in full (unconfirmed: REF*AO for the ARN,
the labelled REF*ZZ for shipmentType / shipmentStructure / cartonSequenceNumber, MEA units):

  BSN  00 Original / 05 Replace * shipmentIdentifier * CCYYMMDD * HHMMSS (confirmation date,
       UTC) * 0001 (shipment, order, packaging, item)
  DTM  011 shippedDate, 017 estimatedDeliveryDate
  HL S TD1 CTN25*cartonCount / PLT94*palletCount / gross weight + volume (TD106 G, TD107,
       TD108 KG/LB/GR/OZ, TD109, TD110 CF/CI/CR/CY); TD5 **2*SCAC*M/A/S (Road/Air/Ocean);
       REF BM billOfLadingNumber, CN carrierShipmentReferenceNumber (PRO), AO
       amazonReferenceNumber; REF ZZ ShipmentType / ShipmentStructure; N1 SU seller,
       SF ship-from, ST ship-to
  HL O PRF purchaseOrderNumber
  HL T pallet: MAN GM SSCC, PAL tiers*blocks (PAL02/PAL03), MEA dimensions/weight
  HL P carton: MAN GM SSCC, MAN CP trackingNumber, REF ZZ CartonSequenceNumber, MEA
  HL I LIN itemSequenceNumber (= itemReference) * BP ASIN * VN SKU; SN1 * * qty * EA/CA;
       PO4 unitSize; REF LT lotNumber; DTM 036 expiry / 094 manufacture date

Packs hang under the order of their items; a carton or pallet holding items of several
orders appears under each order with that order's items (same SSCC), and is merged back.
``shippedItems`` are the packed items added up per itemSequenceNumber: the writer refuses a
confirmation whose shippedItems do not equal what its cartons/pallets hold (a shipment with
no cartons and no pallets lists its items directly under the order).

Not carried: importDetails, party ``district``, itemDetails maximumRetailPrice / handlingCode /
countryOfOrigin / regulationReferences / lotNumberSource* / expiryAfterDuration, container
types other than SSCC (AMZNCC, GTIN, BPS, CID), container items' own itemDetails, totalWeight
of quantities. shippedItems come back in itemSequenceNumber order, cartons in
cartonSequenceNumber order, the items of a carton spread over several orders order by order.
"""
from ..envelope import EdiError
from . import common as c
from .interchange import require

TYPES = {"Original": "00", "Replace": "05"}
TYPES_BACK = {v: k for k, v in TYPES.items()}
MODES = {"Road": "M", "Air": "A", "Ocean": "S"}
MODES_BACK = {v: k for k, v in MODES.items()}
WEIGHT = {"G": "GR", "Kg": "KG", "Oz": "OZ", "Lb": "LB"}
WEIGHT_BACK = {v: k for k, v in WEIGHT.items()}
VOLUME = {"CuFt": "CF", "CuIn": "CI", "CuM": "CR", "CuY": "CY"}
VOLUME_BACK = {v: k for k, v in VOLUME.items()}
LENGTH = {"In": "IN", "Ft": "FT", "Meter": "MR", "Yard": "YD"}
LENGTH_BACK = {v: k for k, v in LENGTH.items()}
PARTIES = (("sellingParty", "SU"), ("shipFromParty", "SF"), ("shipToParty", "ST"))


def _code(table, value, field, tag):
    if value not in table:
        raise c.fail(f"{field} {value!r} is not one of {', '.join(table)}", tag)
    return table[value]


def _sscc(identifiers, field):
    ids = identifiers or []
    out = []
    for index, ident in enumerate(ids):
        if ident.get("containerIdentificationType") != "SSCC":
            raise c.fail(f"{field}[{index}].containerIdentificationType "
                         f"{ident.get('containerIdentificationType')!r}: the 856 carries SSCC "
                         "(MAN*GM) only", "MAN", 1)
        out.append(("MAN", ["GM", ident.get("containerIdentificationNumber")]))
    return out


def _measures(container, field):
    out = []
    dims = container.get("dimensions")
    if dims:
        unit = _code(LENGTH, dims.get("unitOfMeasure"), f"{field}.dimensions.unitOfMeasure",
                     "MEA")
        for key, code in (("length", "LN"), ("width", "WD"), ("height", "HT")):
            out.append(("MEA", ["PD", code, c.amount(dims.get(key), f"{field}.dimensions.{key}",
                                                     "MEA", 3), (unit,)]))
    weight = container.get("weight")
    if weight:
        out.append(("MEA", ["WT", "G", c.amount(weight.get("value"), f"{field}.weight.value",
                                                "MEA", 3),
                            (_code(WEIGHT, weight.get("unitOfMeasure"),
                                   f"{field}.weight.unitOfMeasure", "MEA"),)]))
    return out


def _read_measures(body, container):
    for mea in body.take_all("MEA"):
        unit = body.components(mea[4])[:1]
        unit = unit[0] if unit else ""
        value = c.read_amount(mea, 3, "MEA03 measurement value")
        if mea[1] == "PD" and mea[2] in ("LN", "WD", "HT"):
            if unit not in LENGTH_BACK:
                raise EdiError(f"length unit {unit!r} is not IN, FT, MR or YD", "MEA",
                               mea.position, 4, code="7")
            dims = container.setdefault("dimensions", {})
            dims[{"LN": "length", "WD": "width", "HT": "height"}[mea[2]]] = value
            dims["unitOfMeasure"] = LENGTH_BACK[unit]
        elif mea[1] == "WT" and mea[2] == "G":
            if unit not in WEIGHT_BACK:
                raise EdiError(f"weight unit {unit!r} is not GR, KG, OZ or LB", "MEA",
                               mea.position, 4, code="7")
            container["weight"] = {"unitOfMeasure": WEIGHT_BACK[unit], "value": value}
        else:
            raise EdiError(f"MEA {mea[1]}/{mea[2]} is not a dimension (PD LN/WD/HT) or gross "
                           "weight (WT G)", "MEA", mea.position, 2, code="7")


def _item_segments(line, reference, quantity, field, details=None, full=True):
    qty, unit, size = c.quantity_out(quantity, f"{field}", "SN1")
    ids = []
    if full and line.get("amazonProductIdentifier"):
        ids += ["BP", line["amazonProductIdentifier"]]
    if full and line.get("vendorProductIdentifier"):
        ids += ["VN", line["vendorProductIdentifier"]]
    out = [("LIN", [reference, *ids]), ("SN1", [None, qty, unit])]
    out += c.compact([c.po4(size)])
    details = details or {}
    if details.get("lotNumber"):
        out.append(("REF", ["LT", details["lotNumber"]]))
    expiry = details.get("expiry") or {}
    if expiry.get("expiryDate"):
        out.append(c.dtm("036", expiry["expiryDate"], f"{field}.expiry.expiryDate"))
    if expiry.get("manufacturerDate"):
        out.append(c.dtm("094", expiry["manufacturerDate"], f"{field}.expiry.manufacturerDate"))
    return out


def write_body(sc):
    ident = sc.get("shipmentIdentifier")
    if not ident:
        raise c.fail("shipmentIdentifier is missing", "BSN", 2)
    date, time = c.date_time(sc.get("shipmentConfirmationDate"), "shipmentConfirmationDate",
                             "BSN")
    body = [("BSN", [_code(TYPES, sc.get("shipmentConfirmationType"),
                           "shipmentConfirmationType", "BSN"), ident, date, time or "0000",
                     "0001"])]
    if sc.get("shippedDate"):
        body.append(c.dtm("011", sc["shippedDate"], "shippedDate"))
    if sc.get("estimatedDeliveryDate"):
        body.append(c.dtm("017", sc["estimatedDeliveryDate"], "estimatedDeliveryDate"))
    hl = [0]

    def level(parent, code):
        hl[0] += 1
        body.append(("HL", [hl[0], parent, code]))
        return hl[0]

    shipment = level(None, "S")
    measures = sc.get("shipmentMeasurements") or {}
    if measures.get("cartonCount") is not None:
        body.append(("TD1", ["CTN25", c.integer(measures["cartonCount"],
                                                "shipmentMeasurements.cartonCount", "TD1")]))
    if measures.get("palletCount") is not None:
        body.append(("TD1", ["PLT94", c.integer(measures["palletCount"],
                                                "shipmentMeasurements.palletCount", "TD1")]))
    weight, volume = measures.get("grossShipmentWeight"), measures.get("shipmentVolume")
    if weight or volume:
        field = "shipmentMeasurements"
        body.append(("TD1", [None, None, None, None, None,
                             "G" if weight else None,
                             c.amount(weight.get("value"), f"{field}.grossShipmentWeight.value",
                                      "TD1", 7) if weight else None,
                             _code(WEIGHT, weight.get("unitOfMeasure"),
                                   f"{field}.grossShipmentWeight.unitOfMeasure", "TD1")
                             if weight else None,
                             c.amount(volume.get("value"), f"{field}.shipmentVolume.value",
                                      "TD1", 9) if volume else None,
                             _code(VOLUME, volume.get("unitOfMeasure"),
                                   f"{field}.shipmentVolume.unitOfMeasure", "TD1")
                             if volume else None]))
    transport = sc.get("transportationDetails") or {}
    if transport.get("carrierScac") or transport.get("transportationMode"):
        body.append(("TD5", [None, "2" if transport.get("carrierScac") else None,
                             transport.get("carrierScac"),
                             _code(MODES, transport["transportationMode"],
                                   "transportationDetails.transportationMode", "TD5")
                             if transport.get("transportationMode") else None]))
    for code, value in (("BM", transport.get("billOfLadingNumber")),
                        ("CN", transport.get("carrierShipmentReferenceNumber")),
                        ("AO", sc.get("amazonReferenceNumber"))):
        if value:
            body.append(("REF", [code, value]))
    body += c.compact([c.labelled("ShipmentType", sc.get("shipmentType")),
                       c.labelled("ShipmentStructure", sc.get("shipmentStructure"))])
    for key, code in PARTIES:
        if sc.get(key):
            body += c.party_out(code, sc[key], key, tax_key="taxRegistrationDetails")

    shipped = sc.get("shippedItems") or []
    if not shipped:
        raise c.fail("shippedItems is empty", "LIN")
    lines = {}
    for index, item in enumerate(shipped):
        seq = item.get("itemSequenceNumber")
        po = (item.get("itemDetails") or {}).get("purchaseOrderNumber")
        if not seq or not po:
            raise c.fail(f"shippedItems[{index}]: itemSequenceNumber and "
                         "itemDetails.purchaseOrderNumber are needed (HL order level)", "PRF", 1)
        if seq in lines:
            raise c.fail(f"shippedItems[{index}]: itemSequenceNumber {seq} twice", "LIN", 1)
        lines[seq] = item
    cartons = sc.get("cartons") or []
    pallets = sc.get("pallets") or []
    packed = dict.fromkeys(lines, 0)

    def contents(container, field):
        out = []
        for index, entry in enumerate(container.get("items") or []):
            ref = entry.get("itemReference")
            if ref not in lines:
                raise c.fail(f"{field}.items[{index}].itemReference {ref!r} is not a "
                             "shippedItems itemSequenceNumber", "LIN", 1)
            line = lines[ref]
            quantity = entry.get("shippedQuantity") or {}
            ordered = line.get("shippedQuantity") or {}
            if (quantity.get("unitOfMeasure"), quantity.get("unitSize")) != \
                    (ordered.get("unitOfMeasure"), ordered.get("unitSize")):
                raise c.fail(f"{field}.items[{index}].shippedQuantity is in other units than "
                             f"shipped item {ref}", "SN1", 3)
            packed[ref] += int(c.integer(quantity.get("amount"),
                                         f"{field}.items[{index}].shippedQuantity.amount",
                                         "SN1"))
            out.append((line["itemDetails"]["purchaseOrderNumber"], ref, quantity))
        return out

    by_number = {}
    for index, carton in enumerate(cartons):
        number = carton.get("cartonSequenceNumber")
        if not number or number in by_number:
            raise c.fail(f"cartons[{index}].cartonSequenceNumber {number!r} is missing or "
                         "repeated", "REF", 2)
        by_number[number] = (index, carton, contents(carton, f"cartons[{index}]"))
    on_pallet = {}
    pallet_contents = []
    for index, pallet in enumerate(pallets):
        refs = (pallet.get("cartonReferenceDetails") or {})
        numbers = refs.get("cartonReferenceNumbers") or []
        if refs and refs.get("cartonCount") is not None and \
                int(c.integer(refs["cartonCount"], "cartonCount", "PAL")) != len(numbers):
            raise c.fail(f"pallets[{index}].cartonReferenceDetails.cartonCount is not the "
                         "number of cartonReferenceNumbers", "HL")
        for number in numbers:
            if number not in by_number or number in on_pallet:
                raise c.fail(f"pallets[{index}] refers to carton {number!r}, which is not in "
                             "cartons or is on another pallet", "HL")
            on_pallet[number] = index
        if not pallet.get("palletIdentifiers"):
            raise c.fail(f"pallets[{index}].palletIdentifiers is missing", "MAN", 2)
        pallet_contents.append(contents(pallet, f"pallets[{index}]"))
    if cartons or pallets:
        for seq, line in lines.items():
            if packed[seq] != int(c.integer((line.get("shippedQuantity") or {}).get("amount"),
                                            "shippedQuantity.amount", "SN1")):
                raise c.fail(f"shipped item {seq}: shippedQuantity "
                             f"{line['shippedQuantity'].get('amount')} is not the {packed[seq]} "
                             "its cartons/pallets hold (the 856 lists items inside packs)",
                             "SN1", 2)
    orders = list(dict.fromkeys(line["itemDetails"]["purchaseOrderNumber"]
                                for line in lines.values()))

    def item_level(parent, po, ref, quantity, field):
        level(parent, "I")
        line = lines[ref]
        body.extend(_item_segments(line, ref, quantity, field, line.get("itemDetails")))

    def carton_level(parent, number, po):
        index, carton, content = by_number[number]
        mine = [(ref, q) for (p, ref, q) in content if p == po]
        if not mine and content:
            return
        pack = level(parent, "P")
        body.extend(_sscc(carton.get("cartonIdentifiers"), f"cartons[{index}].cartonIdentifiers"))
        if carton.get("trackingNumber"):
            body.append(("MAN", ["CP", carton["trackingNumber"]]))
        body.append(c.labelled("CartonSequenceNumber", number))
        body.extend(_measures(carton, f"cartons[{index}]"))
        for ref, quantity in mine:
            item_level(pack, po, ref, quantity, f"cartons[{index}].items")

    for po in orders:
        order = level(shipment, "O")
        body.append(("PRF", [po]))
        if not cartons and not pallets:
            for seq, line in lines.items():
                if line["itemDetails"]["purchaseOrderNumber"] == po:
                    item_level(order, po, seq, line.get("shippedQuantity"),
                               f"shippedItems[{seq}]")
            continue
        for index, pallet in enumerate(pallets):
            numbers = (pallet.get("cartonReferenceDetails") or {}).get(
                "cartonReferenceNumbers") or []
            holds = any(p == po for n in numbers for (p, _r, _q) in by_number[n][2]) or \
                any(p == po for (p, _r, _q) in pallet_contents[index]) or \
                (po == orders[0] and not pallet_contents[index]
                 and not any(by_number[n][2] for n in numbers))
            if not holds:
                continue
            tare = level(order, "T")
            body.extend(_sscc(pallet.get("palletIdentifiers"),
                              f"pallets[{index}].palletIdentifiers"))
            if pallet.get("tier") is not None or pallet.get("block") is not None:
                body.append(("PAL", [None,
                                     c.integer(pallet["tier"], "tier", "PAL")
                                     if pallet.get("tier") is not None else None,
                                     c.integer(pallet["block"], "block", "PAL")
                                     if pallet.get("block") is not None else None]))
            body.extend(_measures(pallet, f"pallets[{index}]"))
            for p, ref, quantity in pallet_contents[index]:
                if p == po:
                    item_level(tare, po, ref, quantity, f"pallets[{index}].items")
            for number in numbers:
                carton_level(tare, number, po)
        for number, (_index, _carton, content) in by_number.items():
            if number in on_pallet:
                continue
            if any(p == po for (p, _r, _q) in content) or (po == orders[0] and not content):
                carton_level(order, number, po)
    body.append(("CTT", [hl[0]]))
    return body


def read_body(body):
    bsn = body.take("BSN")
    kind = TYPES_BACK[require(bsn, 1, "BSN01 purpose", set(TYPES_BACK))]
    sc = {"shipmentIdentifier": require(bsn, 2, "BSN02 shipment identification"),
          "shipmentConfirmationType": kind,
          "shipmentConfirmationDate": c.iso_from(bsn, 3, 4)}
    dates = c.dtm_map(body.take_all("DTM"))
    if "011" in dates:
        sc["shippedDate"] = dates["011"]
    if "017" in dates:
        sc["estimatedDeliveryDate"] = dates["017"]
    levels = {}
    lines = {}
    cartons = {}
    pallets = {}
    current_order = None
    expected = 1
    while (hl := body.take("HL", required=not levels)) is not None:
        number = require(hl, 1, "HL01 hierarchical id")
        if number != str(expected):
            raise EdiError(f"HL01 {number!r}: hierarchical ids run 1, 2, 3... ({expected} "
                           "expected)", "HL", hl.position, 1, code="6")
        expected += 1
        parent = hl[2]
        code = require(hl, 3, "HL03 level code", {"S", "O", "T", "P", "I"})
        allowed = {"S": {None}, "O": {"S"}, "T": {"O"}, "P": {"O", "T"},
                   "I": {"O", "T", "P"}}[code]
        parent_code = levels.get(parent, (None,))[0] if parent else None
        if parent and parent not in levels or parent_code not in allowed:
            raise EdiError(f"HL {number} ({code}) cannot hang under {parent or 'nothing'} "
                           f"({parent_code})", "HL", hl.position, 2, code="7")
        if code == "S":
            if "1" in levels:
                raise EdiError("a second shipment level", "HL", hl.position, 3, code="5")
            _read_shipment(body, sc)
            levels[number] = ("S", None)
        elif code == "O":
            prf = body.take("PRF")
            current_order = require(prf, 1, "PRF01 purchase order number")
            levels[number] = ("O", current_order)
        elif code == "T":
            ident = _read_container(body, "pallet")
            pallet = pallets.setdefault(ident["key"], {"palletIdentifiers": ident["ids"]})
            pal = body.take("PAL", required=False)
            if pal is not None:
                if pal[2]:
                    pallet["tier"] = c.read_integer(pal, 2, "PAL02 tiers")
                if pal[3]:
                    pallet["block"] = c.read_integer(pal, 3, "PAL03 blocks")
            _read_measures(body, pallet)
            levels[number] = ("T", pallet)
        elif code == "P":
            ident = _read_container(body, "carton")
            carton = cartons.setdefault(ident["key"], {})
            if ident["ids"]:
                carton["cartonIdentifiers"] = ident["ids"]
            if ident["tracking"]:
                carton["trackingNumber"] = ident["tracking"]
            carton["cartonSequenceNumber"] = ident["sequence"]
            carton.setdefault("items", [])
            _read_measures(body, carton)
            holder = levels[parent]
            if holder[0] == "T":
                refs = holder[1].setdefault("cartonReferenceDetails",
                                            {"cartonReferenceNumbers": []})
                if ident["sequence"] not in refs["cartonReferenceNumbers"]:
                    refs["cartonReferenceNumbers"].append(ident["sequence"])
                    refs["cartonCount"] = len(refs["cartonReferenceNumbers"])
            levels[number] = ("P", carton)
        else:
            ref, quantity, line = _read_item(body, current_order)
            known = lines.get(ref)
            if known is None:
                lines[ref] = line
            else:
                for key in ("amazonProductIdentifier", "vendorProductIdentifier"):
                    if line.get(key) != known.get(key):
                        raise EdiError(f"item {ref} has two different {key}", "LIN", code="7")
                if known["itemDetails"]["purchaseOrderNumber"] != current_order:
                    raise EdiError(f"item {ref} appears under two purchase orders", "LIN",
                                   code="7")
                known["shippedQuantity"]["amount"] += quantity["amount"]
            holder = levels[parent]
            if holder[0] in ("T", "P"):
                holder[1].setdefault("items", []).append(
                    {"itemReference": ref, "shippedQuantity": dict(quantity)})
            levels[number] = ("I", None)
    ctt = body.take("CTT", required=False)
    if ctt is not None and c.read_integer(ctt, 1, "CTT01 number of HL levels") != len(levels):
        raise EdiError(f"CTT01 says {ctt[1]}, the notice has {len(levels)} HL levels", "CTT",
                       ctt.position, 1, code="6")
    body.end()
    if "1" not in levels:
        raise EdiError("the shipment level (HL S) is missing", "HL", code="3")

    def order_key(text):
        return (0, int(text), text) if text.isdigit() else (1, 0, text)

    sc["shippedItems"] = [lines[k] for k in sorted(lines, key=order_key)]
    if cartons:
        sc["cartons"] = sorted(cartons.values(),
                               key=lambda x: order_key(x["cartonSequenceNumber"]))
    if pallets:
        sc["pallets"] = list(pallets.values())
    return sc


def _read_shipment(body, sc):
    measures = {}
    for td1 in body.take_all("TD1"):
        if td1[1] == "CTN25":
            measures["cartonCount"] = c.read_integer(td1, 2, "TD102 carton count")
        elif td1[1] == "PLT94":
            measures["palletCount"] = c.read_integer(td1, 2, "TD102 pallet count")
        elif td1[1]:
            raise EdiError(f"TD101 packaging {td1[1]!r} is not CTN25 or PLT94", "TD1",
                           td1.position, 1, code="7")
        if td1[7]:
            if td1[8] not in WEIGHT_BACK:
                raise EdiError(f"weight unit {td1[8]!r}", "TD1", td1.position, 8, code="7")
            measures["grossShipmentWeight"] = {
                "unitOfMeasure": WEIGHT_BACK[td1[8]],
                "value": c.read_amount(td1, 7, "TD107 weight")}
        if td1[9]:
            if td1[10] not in VOLUME_BACK:
                raise EdiError(f"volume unit {td1[10]!r}", "TD1", td1.position, 10, code="7")
            measures["shipmentVolume"] = {"unitOfMeasure": VOLUME_BACK[td1[10]],
                                          "value": c.read_amount(td1, 9, "TD109 volume")}
    if measures:
        sc["shipmentMeasurements"] = measures
    transport = {}
    for td5 in body.take_all("TD5"):
        if td5[3]:
            require(td5, 2, "TD502 identification code qualifier", {"2"})
            transport["carrierScac"] = td5[3]
        if td5[4]:
            transport["transportationMode"] = MODES_BACK[
                require(td5, 4, "TD504 transportation method", set(MODES_BACK))]
    refs = body.take_all("REF")
    for ref in refs:
        key = {"BM": "billOfLadingNumber", "CN": "carrierShipmentReferenceNumber"}.get(ref[1])
        if key:
            transport[key] = require(ref, 2, f"REF02 {ref[1]}")
        elif ref[1] == "AO":
            sc["amazonReferenceNumber"] = require(ref, 2, "REF02 ARN")
        elif ref[1] != "ZZ":
            raise EdiError(f"REF01 {ref[1]!r} is not BM, CN, AO or ZZ", "REF", ref.position, 1,
                           code="7")
    if transport:
        sc["transportationDetails"] = transport
    for label, key in (("ShipmentType", "shipmentType"),
                       ("ShipmentStructure", "shipmentStructure")):
        value = c.read_labelled(refs, label)
        if value:
            sc[key] = value
    parties = c.parties_in(body, tax_key="taxRegistrationDetails")
    for key, code in PARTIES:
        if code in parties:
            sc[key] = parties.pop(code)
    if parties:
        raise EdiError(f"party N1*{next(iter(parties))} is not one an 856 carries", "N1",
                       code="7")


def _read_container(body, what):
    ids, tracking = [], None
    for man in body.take_all("MAN"):
        if man[1] == "GM":
            ids.append({"containerIdentificationType": "SSCC",
                        "containerIdentificationNumber": require(man, 2, "MAN02 SSCC")})
        elif man[1] == "CP" and what == "carton":
            tracking = require(man, 2, "MAN02 tracking number")
        else:
            raise EdiError(f"MAN01 {man[1]!r} is not GM (SSCC) or CP (tracking number)", "MAN",
                           man.position, 1, code="7")
    sequence = None
    if what == "carton":
        refs = body.take_all("REF")
        sequence = c.read_labelled(refs, "CartonSequenceNumber")
        if not sequence:
            raise EdiError("a carton needs its REF*ZZ CartonSequenceNumber", "REF", code="3")
    elif not ids:
        raise EdiError("a pallet needs its SSCC (MAN*GM)", "MAN", code="3")
    key = (what, sequence or "", ids[0]["containerIdentificationNumber"] if ids else "")
    return {"key": key, "ids": ids, "tracking": tracking, "sequence": sequence}


def _read_item(body, order):
    lin = body.take("LIN")
    ref = require(lin, 1, "LIN01 item sequence number")
    from .ts850 import product_ids
    asin, sku = product_ids(lin, 2)
    sn1 = body.take("SN1")
    po4 = body.take("PO4", required=False)
    quantity = c.quantity_in(sn1, 2, 3, po4)
    line = {"itemSequenceNumber": ref}
    if asin:
        line["amazonProductIdentifier"] = asin
    if sku:
        line["vendorProductIdentifier"] = sku
    details = {"purchaseOrderNumber": order}
    for ref_segment in body.take_all("REF"):
        if ref_segment[1] != "LT":
            raise EdiError(f"REF01 {ref_segment[1]!r} on an item is not LT (lot number)", "REF",
                           ref_segment.position, 1, code="7")
        details["lotNumber"] = ref_segment[2]
    dates = c.dtm_map(body.take_all("DTM"))
    expiry = {}
    if "036" in dates:
        expiry["expiryDate"] = dates["036"]
    if "094" in dates:
        expiry["manufacturerDate"] = dates["094"]
    if expiry:
        details["expiry"] = expiry
    line["itemDetails"] = details
    line["shippedQuantity"] = dict(quantity)
    return ref, quantity, line
