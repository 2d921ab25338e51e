"""Vendor Shipments v1: shipment confirmations (ASN), transport requests, their details and
labels, and the business rules an ASN or a transport request must pass."""
import base64
import datetime
import re

from stdnum import ean

from ..amazon_dates import parse_date, parse_date_time
from .catalogue import FULFILMENT_CENTRES
from .clock import iso
from .errors import rule_error
from .params import Query, make_token, read_token
from .payments import record_asn, shortfall
from .purchase_orders import to_eaches
from .submissions import submit_documents

MODULE = "vendor_shipments_v1"
IDENTIFIER_REUSE = datetime.timedelta(days=365)
SCAC_RE = re.compile(r"^[A-Z]{2,4}$")
SCAC_COUNTRIES = ("US", "CA", "MX")  # Amazon: carrierScac is mandatory for these
PRO_COUNTRIES = ("US", "CA", "MX", "IN")  # and carrierShipmentReferenceNumber (PRO) for these
EUROPE = ("DE", "FR", "IT", "ES", "GB", "NL", "PL", "SE", "BE", "IE", "AT", "CZ")
FREIGHT_TYPES = ("TruckLoad", "LessThanTruckLoad")
# Amazon's model: "Shipped date [...] should not be in the future". A few minutes absorb the
# clock difference between the vendor's server and Amazon's; an hour-sized difference is a
# time zone mistake and is refused.
SHIPPED_DATE_GRACE = datetime.timedelta(minutes=5)
PALLET_STRUCTURES = ("PalletizedAssortmentCase", "PalletOfItems", "PalletizedStandardCase",
                     "MasterPallet")
CARTON_STRUCTURES = ("PalletizedAssortmentCase", "LooseAssortmentCase", "PalletizedStandardCase",
                     "LooseStandardCase", "MasterCase")
STANDARD_STRUCTURES = ("PalletizedStandardCase", "LooseStandardCase")
MASTER_STRUCTURES = ("MasterPallet", "MasterCase")
TIME_RE = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")
SEPARATED_DATE_RE = re.compile(
    r"(\d{4}|\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{1,2})([ T]\d{1,2}:\d{2}(:\d{2})?.*)?")
# A one-page PDF, enough for a client to store and open.
LABEL_PDF = base64.b64encode(
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 288 432]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n").decode()

_DATE_FILTERS = {
    "createdAfter": ("shipmentCreateDate", "after"), "createdBefore": ("shipmentCreateDate", "b"),
    "shipmentConfirmedAfter": ("shipmentConfirmDate", "after"),
    "shipmentConfirmedBefore": ("shipmentConfirmDate", "b"),
    "packageLabelCreatedAfter": ("packageLabelCreateDate", "after"),
    "packageLabelCreatedBefore": ("packageLabelCreateDate", "b"),
    "shippedAfter": ("transportationDetails.shippedDate", "after"),
    "shippedBefore": ("transportationDetails.shippedDate", "b"),
    "estimatedDeliveryAfter": ("transportationDetails.estimatedDeliveryDate", "after"),
    "estimatedDeliveryBefore": ("transportationDetails.estimatedDeliveryDate", "b"),
    "shipmentDeliveryAfter": ("transportationDetails.shipmentDeliveryDate", "after"),
    "shipmentDeliveryBefore": ("transportationDetails.shipmentDeliveryDate", "b"),
    "requestedPickUpAfter": ("collectFreightPickupDetails.requestedPickUp", "after"),
    "requestedPickUpBefore": ("collectFreightPickupDetails.requestedPickUp", "b"),
    "scheduledPickUpAfter": ("collectFreightPickupDetails.scheduledPickUp", "after"),
    "scheduledPickUpBefore": ("collectFreightPickupDetails.scheduledPickUp", "b"),
}
DETAILS_QUERY = dict(
    dict.fromkeys(_DATE_FILTERS, ("date-time",)),
    limit=("int", 1, 50), sortOrder=("enum", ("ASC", "DESC")), nextToken=("str",),
    currentShipmentStatus=("enum", ("Created", "TransportationRequested", "CarrierAssigned",
                                    "Shipped")),
    vendorShipmentIdentifier=("str",), buyerReferenceNumber=("str",),
    buyerWarehouseCode=("str",), sellerWarehouseCode=("str",))
LABELS_QUERY = {
    "limit": ("int", 1, 50), "sortOrder": ("enum", ("ASC", "DESC")), "nextToken": ("str",),
    "labelCreatedAfter": ("date-time",), "labelCreatedBefore": ("date-time",),
    "buyerReferenceNumber": ("str",), "vendorShipmentIdentifier": ("str",),
    "sellerWarehouseCode": ("str",),
}


def valid_sscc(number):
    """SSCC-18: 18 digits whose last is the GS1 check digit of the first 17."""
    return bool(re.fullmatch(r"\d{18}", number)) and ean.calc_check_digit(number[:17]) == number[17]


def submit_shipment_confirmations(state, request):
    return submit_documents(state, request, MODULE, "SubmitShipmentConfirmationsRequest",
                            "shipmentConfirmations", "shipment_confirmation")


def submit_shipments(state, request):
    return submit_documents(state, request, MODULE, "SubmitShipments", "shipments",
                            "transport_request")


# -- ASN rules ------------------------------------------------------------------------------
# Where each rule comes from: Amazon's Vendor Shipments model (vendorShipments.json, quoted in
# the comments) and Amazon's "Vendor Retail Procurement APIs Use Case Guide" (v1, 2021, the
# "Country Specific Business Requirements" table of the shipment confirmation section).
def looks_like_date(text):
    """True when ``text`` reads as a date or a date-time (ISO 8601, 2026-11-04, 04/11/2026,
    04.11.2026, 20261104, 202611041230...) or as a time of day (12:30, 12:30:45)."""
    text = text.strip()
    if parse_date_time(text) or parse_date(text) or TIME_RE.fullmatch(text):
        return True
    match = SEPARATED_DATE_RE.fullmatch(text)
    if match:
        a, b, c = (int(g) for g in match.group(1, 2, 3))
        if len(match.group(1)) == 4:
            return _real_date(a, b, c)
        return _real_date(c, b, a) or _real_date(c, a, b)  # day-month-year, month-day-year
    if text.isdigit() and len(text) in (8, 12, 14):
        day, rest = text[:8], text[8:]
        if rest and not (int(rest[:2]) < 24 and int(rest[2:4]) < 60
                         and int(rest[4:] or 0) < 60):
            return False
        numbers = (int(day[:4]), int(day[4:6]), int(day[6:]))  # YYYYMMDD
        if _real_date(*numbers):
            return True
        if not rest:  # DDMMYYYY, MMDDYYYY
            year = int(day[4:])
            return _real_date(year, int(day[2:4]), int(day[:2])) or \
                _real_date(year, int(day[:2]), int(day[2:4]))
    return False


def _real_date(year, month, day):
    if year < 100:
        year += 2000
    if not 1990 <= year <= 2100:
        return False
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _check_transport(errors, where, sc, country, when):
    transport = sc.get("transportationDetails") or {}
    shipment_type = sc.get("shipmentType")
    scac = transport.get("carrierScac")
    # carrierScac: "This field is mandatory for US, CA, MX shipment confirmations."
    if shipment_type in FREIGHT_TYPES or country in SCAC_COUNTRIES:
        if not scac:
            errors.append(rule_error("MissingCarrierScac", f"{where}: carrierScac is mandatory "
                                     f"for {shipment_type or country} shipments."))
    if scac and not SCAC_RE.match(scac):
        errors.append(rule_error("InvalidCarrierScac", f"{where}: carrierScac {scac} is not a "
                                 "two to four letter SCAC."))
    # carrierShipmentReferenceNumber: "The field also known as PRO number is a unique number
    # assigned by the carrier. [...] This field is mandatory for US, CA, MX shipment
    # confirmations." (the guide adds India).
    if country in PRO_COUNTRIES and not (transport.get("carrierShipmentReferenceNumber")
                                         or "").strip():
        errors.append(rule_error(
            "MissingCarrierShipmentReferenceNumber", f"{where}: carrierShipmentReferenceNumber "
            f"(the carrier's PRO number) is mandatory for shipments to {country}.",
            "Send the PRO number the carrier assigned (for small parcels, the tracking number "
            "of the shipment)."))
    # billOfLadingNumber: "This number must be unique for every shipment and cannot be a
    # date/time or single character. The BOL numer is mandatory in Shipment Confirmation
    # message for FTL and LTL shipments" (the guide: "Mandatory for all shipment
    # confirmations" in Europe).
    bol = (transport.get("billOfLadingNumber") or "").strip()
    if shipment_type in FREIGHT_TYPES or country in EUROPE:
        if len(bol) < 2:
            errors.append(rule_error(
                "MissingBillOfLading", f"{where}: billOfLadingNumber is mandatory for "
                f"{shipment_type if shipment_type in FREIGHT_TYPES else 'European'} shipments "
                "(and cannot be a single character)."))
            bol = ""
    if bol and (len(bol) < 2 or looks_like_date(bol)):
        errors.append(rule_error(
            "InvalidBillOfLading", f"{where}: billOfLadingNumber {bol} cannot be a date, a "
            "time or a single character.", "Use the number printed on the bill of lading, "
            "or a delivery note number (8 characters or more, e.g. prefixed with the vendor "
            "code)."))
    # shippedDate: "Shipped date mentioned in the shipment confirmation should not be in the
    # future." The guide marks it "Mandatory for all shipment confirmations" in every region.
    shipped = sc.get("shippedDate")
    if not shipped:
        errors.append(rule_error("MissingShippedDate", f"{where}: shippedDate (when the "
                                 "shipment left your warehouse) is mandatory."))
    else:
        shipped_at = parse_date_time(shipped)
        if shipped_at and shipped_at > when + SHIPPED_DATE_GRACE:
            errors.append(rule_error(
                "InvalidShippedDate", f"{where}: shippedDate {shipped} is in the future "
                f"(Amazon processed the confirmation at {iso(when)}).",
                "Send the shipment confirmation once the goods have left, with the real "
                "departure time (in UTC or with its offset)."))


def _check_import(errors, where, sc, pos):
    """importDetails: "Provide these fields only if this shipment is a direct import" (the
    purchase order carries importDetails); its method of payment is the order's."""
    details = sc.get("importDetails")
    if not details:
        return
    imports = {n: po.import_details for n, po in pos.items() if po.import_details}
    if not imports:
        errors.append(rule_error(
            "InvalidImportDetails", f"{where}: importDetails is only for direct imports; "
            f"purchase order {', '.join(sorted(pos))} is not one."))
        return
    method = details.get("methodOfPayment")
    for number, order in sorted(imports.items()):
        if method and order.get("methodOfPayment") and method != order["methodOfPayment"]:
            errors.append(rule_error(
                "InvalidImportDetails", f"{where}: purchase order {number} is paid "
                f"{order['methodOfPayment']}, not {method}."))


def _check_arn(errors, where, sc, state, pos):
    """amazonReferenceNumber: "a unique identifier generated by Amazon for all Collect/WePay
    shipments when you submit a routing request. This field is mandatory for Collect/WePay
    shipments." The simulator's ARN is the buyerReferenceNumber of a transport request."""
    arn = (sc.get("amazonReferenceNumber") or "").strip()
    collect = sorted(n for n, po in pos.items() if po.freight_terms == "Collect")
    if collect and not arn:
        errors.append(rule_error(
            "MissingAmazonReferenceNumber", f"{where}: purchase order {', '.join(collect)} is "
            "Collect (Amazon picks up the freight): amazonReferenceNumber is mandatory.",
            "Submit a transport request (routing request) first and quote the reference "
            "Amazon returns (buyerReferenceNumber)."))
    if not arn:
        return
    request = next((r for r in state.transport.values() if r["buyerReferenceNumber"] == arn),
                   None)
    if request is None:
        errors.append(rule_error("InvalidAmazonReferenceNumber", f"{where}: no routing request "
                                 f"has the Amazon reference number {arn}."))
        return
    listed = {p.get("purchaseOrderNumber") for p in request.get("purchaseOrders") or []}
    outside = sorted(set(pos) - listed)
    if outside:
        errors.append(rule_error(
            "InvalidAmazonReferenceNumber", f"{where}: Amazon reference number {arn} was issued "
            f"for purchase orders {', '.join(sorted(n for n in listed if n))}, not for "
            f"{', '.join(outside)}."))
    if request["sellingParty"].get("partyId") != sc["sellingParty"].get("partyId"):
        errors.append(rule_error(
            "InvalidAmazonReferenceNumber", f"{where}: Amazon reference number {arn} belongs to "
            f"vendor code {request['sellingParty'].get('partyId')}."))


def _check_containers(errors, where, confirmation, references, seen_ids):
    small_parcel = confirmation.get("shipmentType") == "SmallParcel"
    for kind, key, id_key in (("carton", "cartons", "cartonIdentifiers"),
                              ("pallet", "pallets", "palletIdentifiers")):
        for index, container in enumerate(confirmation.get(key) or []):
            c_where = f"{where} {key}[{index}]"
            for ident in container.get(id_key) or []:
                number, id_type = ident["containerIdentificationNumber"], \
                    ident["containerIdentificationType"]
                if id_type == "SSCC" and not valid_sscc(number):
                    errors.append(rule_error(
                        "InvalidSSCC", f"{c_where}: SSCC {number} is not 18 digits with a valid "
                        "GS1 check digit."))
                if number in seen_ids:
                    errors.append(rule_error("DuplicateContainerIdentifier",
                                             f"{c_where}: {id_type} {number} is used twice."))
                seen_ids.add(number)
            # trackingNumber: "This is required to be provided for every carton in the small
            # parcel shipments."
            if kind == "carton" and small_parcel and not container.get("trackingNumber"):
                errors.append(rule_error("MissingTrackingNumber", f"{c_where}: every carton of a "
                                         "SmallParcel shipment needs a trackingNumber."))
            for line in container.get("items") or []:
                if line["itemReference"] not in references:
                    errors.append(rule_error(
                        "InvalidItemReference", f"{c_where}: itemReference "
                        f"{line['itemReference']} is not an itemSequenceNumber of shippedItems."))


def _carton_references(errors, where, sc):
    """Pallet -> carton links: {carton sequence number: pallet index}, checked on the way.

    cartonReferenceNumbers: "Please provide the cartonSequenceNumber from the 'cartons' segment
    to refer to that carton's details here." cartonCount: "Pallet level carton count"."""
    sequences, on_pallet = set(), {}
    for index, carton in enumerate(sc.get("cartons") or []):
        number = carton["cartonSequenceNumber"]
        if number in sequences:
            errors.append(rule_error("DuplicateCartonSequenceNumber", f"{where} cartons[{index}]"
                                     f": cartonSequenceNumber {number} is used twice."))
        sequences.add(number)
    for index, pallet in enumerate(sc.get("pallets") or []):
        p_where = f"{where} pallets[{index}]"
        details = pallet.get("cartonReferenceDetails") or {}
        numbers = details.get("cartonReferenceNumbers") or []
        for number in numbers:
            if number not in sequences:
                errors.append(rule_error(
                    "InvalidCartonReference", f"{p_where}: carton {number} is not a "
                    "cartonSequenceNumber of the shipment's cartons."))
            elif number in on_pallet:
                errors.append(rule_error(
                    "InvalidCartonReference", f"{p_where}: carton {number} is already on pallet "
                    f"{on_pallet[number] + 1}: a carton stands on one pallet."))
            else:
                on_pallet[number] = index
        count = details.get("cartonCount")
        if count is not None and count != len(numbers):
            errors.append(rule_error(
                "CartonCountMismatch", f"{p_where}: cartonCount is {count} but "
                f"{len(numbers)} cartons are referenced."))
        if not numbers and not pallet.get("items"):
            errors.append(rule_error("EmptyPallet", f"{p_where}: the pallet lists neither "
                                     "cartons (cartonReferenceDetails) nor items."))
    return on_pallet


def _check_packing(errors, where, sc, shipped):
    """Cartons and pallets hold exactly what shippedItems says was shipped, per item.

    shippedQuantity of an item: "Total item quantity shipped in this shipment"; of a carton
    or pallet line: "Total item quantity shipped in this carton/pallet". Units in cartons
    count once (a pallet's cartons are listed in 'cartons'); a pallet's own items are units
    stacked on it without a carton."""
    if not (sc.get("cartons") or sc.get("pallets")):
        return
    packed = {}
    holders = [c.get("items") or [] for c in sc.get("cartons") or []] + \
        [p.get("items") or [] for p in sc.get("pallets") or []]
    for lines in holders:
        for line in lines:
            ref = line["itemReference"]
            if ref in shipped:
                packed[ref] = packed.get(ref, 0) + to_eaches(
                    line["shippedQuantity"], shipped[ref]["unit_size"])
    for ref, entry in shipped.items():
        inside = packed.get(ref, 0)
        if inside != entry["eaches"]:
            errors.append(rule_error(
                "PackedQuantityMismatch", f"{where}: item {ref} ships {entry['eaches']} eaches "
                f"but the cartons and pallets hold {inside}.",
                "List every shipped unit in a carton or on a pallet, and nothing else."))


def _container_pos(lines, shipped):
    """Purchase orders of a carton's or pallet's lines (container-level itemDetails first)."""
    pos = set()
    for line in lines:
        number = (line.get("itemDetails") or {}).get("purchaseOrderNumber") or \
            shipped.get(line["itemReference"], {}).get("po")
        if number:
            pos.add(number)
    return pos


def _check_structure(errors, where, sc, shipped, on_pallet):
    """shipmentStructure against the cartons and pallets really sent. The model's hierarchy:
    PalletizedAssortmentCase "Shipment -> Order -> Pallet/Tare -> Carton/Package -> Item",
    LooseAssortmentCase "Shipment -> Order -> Carton/Package -> Item", PalletOfItems
    "Shipment -> Order -> Pallet/Tare -> Item", PalletizedStandardCase "Shipment -> Order ->
    Pallet/Tare -> Item -> Carton/Package", LooseStandardCase "Shipment -> Order -> Item ->
    Carton/Package", MasterPallet "Shipment -> Pallet/Tare -> Order -> Item", MasterCase
    "Shipment -> Carton/Package -> Order -> Item". Only the Master structures put a container
    above the order (a container may then mix purchase orders)."""
    kind = sc.get("shipmentStructure")
    if not kind:
        return
    cartons, pallets = sc.get("cartons") or [], sc.get("pallets") or []

    def wrong(message):
        errors.append(rule_error("InvalidShipmentStructure", f"{where}: {kind}: {message}",
                                 "Send the shipmentStructure that describes the cartons and "
                                 "pallets of this shipment."))

    if kind in PALLET_STRUCTURES and not pallets:
        wrong("the structure has a pallet level but no pallets were sent.")
    if kind not in PALLET_STRUCTURES and pallets:
        wrong(f"the structure has no pallet level but {len(pallets)} pallet(s) were sent.")
    if kind in CARTON_STRUCTURES and not cartons:
        wrong("the structure has a carton level but no cartons were sent.")
    if kind in ("PalletizedAssortmentCase", "PalletizedStandardCase") and pallets \
            and not on_pallet:
        wrong("no pallet carries cartons (cartonReferenceDetails).")
    if kind == "PalletOfItems" and on_pallet:
        wrong("a pallet of items holds items directly, not cartons.")
    if kind in STANDARD_STRUCTURES:
        for index, carton in enumerate(cartons):
            refs = {line["itemReference"] for line in carton.get("items") or []}
            if len(refs) > 1:
                wrong(f"cartons[{index}] holds {len(refs)} different items; a standard case "
                      "holds one item (use an assortment structure for mixed cartons).")
    if kind not in MASTER_STRUCTURES:
        by_carton = {c["cartonSequenceNumber"]: c for c in cartons}
        for index, carton in enumerate(cartons):
            pos = _container_pos(carton.get("items") or [], shipped)
            if len(pos) > 1:
                wrong(f"cartons[{index}] mixes purchase orders {', '.join(sorted(pos))}; only "
                      "MasterCase or MasterPallet put a carton above the order.")
        for index, pallet in enumerate(pallets):
            numbers = (pallet.get("cartonReferenceDetails") or {}).get(
                "cartonReferenceNumbers") or []
            lines = list(pallet.get("items") or []) + [
                line for n in numbers for line in (by_carton.get(n) or {}).get("items") or []]
            pos = _container_pos(lines, shipped)
            if len(pos) > 1:
                wrong(f"pallets[{index}] mixes purchase orders {', '.join(sorted(pos))}; only "
                      "MasterPallet puts a pallet above the order.")


def _check_measurements(errors, where, sc):
    """cartonCount: "Number of cartons present in the shipment. Provide the cartonCount only
    for non-palletized shipments." palletCount: "Number of pallets present in the shipment.
    Provide the palletCount only for palletized shipments." """
    measurements = sc.get("shipmentMeasurements") or {}
    cartons, pallets = sc.get("cartons") or [], sc.get("pallets") or []
    count = measurements.get("cartonCount")
    if count is not None and cartons and not pallets and count != len(cartons):
        errors.append(rule_error(
            "ShipmentMeasurementsMismatch", f"{where}: shipmentMeasurements.cartonCount is "
            f"{count} but {len(cartons)} cartons are listed."))
    count = measurements.get("palletCount")
    if count is not None and pallets and count != len(pallets):
        errors.append(rule_error(
            "ShipmentMeasurementsMismatch", f"{where}: shipmentMeasurements.palletCount is "
            f"{count} but {len(pallets)} pallets are listed."))


def confirmation_rules(state, body, when, submitted=None):
    submitted = submitted or when
    errors, lines_by_asn, shipped_now = [], [], {}
    seen_ids, seen_asn = set(), set()
    for index, sc in enumerate(body["shipmentConfirmations"]):
        ident = sc["shipmentIdentifier"]
        where = f"shipmentConfirmations[{index}] ({ident})"
        previous = state.asns.get(ident)
        if previous and when - previous["date"] > IDENTIFIER_REUSE:
            previous = None
        # shipmentIdentifier: "Unique shipment ID (not used over the last 365 days)."
        if sc["shipmentConfirmationType"] == "Original" and (previous or ident in seen_asn):
            errors.append(rule_error("DuplicateShipmentIdentifier", f"{where}: shipmentIdentifier "
                                     "was already used in the last 365 days.",
                                     "Use a new shipmentIdentifier, or Replace to correct it."))
        if sc["shipmentConfirmationType"] == "Replace":
            if not previous:
                errors.append(rule_error("UnknownShipmentIdentifier", f"{where}: there is no "
                                         "shipment confirmation to replace with this "
                                         "shipmentIdentifier."))
            elif previous["sellingParty"] != sc["sellingParty"].get("partyId"):
                errors.append(rule_error("InvalidSellingParty", f"{where}: a Replace must keep the "
                                         "sellingParty of the original confirmation."))
        seen_asn.add(ident)
        country = FULFILMENT_CENTRES.get(sc["shipToParty"].get("partyId"), {}).get("countryCode")
        _check_transport(errors, where, sc, country, when)
        references, lines, shipped, pos, items_by_ref = set(), {}, {}, {}, {}
        for i, item_line in enumerate(sc["shippedItems"]):
            i_where = f"{where} shippedItems[{i}]"
            reference = item_line["itemSequenceNumber"]
            if reference in references:
                errors.append(rule_error("DuplicateItemSequenceNumber", f"{i_where}: "
                                         f"itemSequenceNumber {reference} is used twice."))
            references.add(reference)
            number = (item_line.get("itemDetails") or {}).get("purchaseOrderNumber")
            quantity = item_line["shippedQuantity"]
            shipped[reference] = {"po": number, "unit_size": 1, "eaches": to_eaches(quantity)}
            if not number:
                errors.append(rule_error("MissingPurchaseOrderNumber", f"{i_where}: "
                                         "itemDetails.purchaseOrderNumber is required."))
                continue
            po = state.orders.get(number)
            if po is None:
                errors.append(rule_error("InvalidPurchaseOrderNumber", f"{i_where}: purchase order "
                                         f"{number} does not exist."))
                continue
            pos[number] = po
            asin, sku = item_line.get("amazonProductIdentifier"), \
                item_line.get("vendorProductIdentifier")
            item = po.item(None, asin, sku) if asin or sku else None
            if item is None:
                errors.append(rule_error("InvalidItem", f"{i_where}: no item "
                                         f"{asin or sku or '(no identifier)'} on purchase order "
                                         f"{number}.", "Send amazonProductIdentifier or "
                                         "vendorProductIdentifier as on the purchase order."))
                continue
            if sc["shipToParty"].get("partyId") != po.ship_to:
                errors.append(rule_error(
                    "InvalidShipToParty", f"{i_where}: purchase order {number} ships to "
                    f"{po.ship_to}, not {sc['shipToParty'].get('partyId')}."))
            if sc["sellingParty"].get("partyId") != po.vendor_code:
                errors.append(rule_error(
                    "InvalidSellingParty", f"{i_where}: purchase order {number} was ordered "
                    f"from {po.vendor_code}."))
            eaches = to_eaches(quantity, item.unit_size)
            shipped[reference].update(unit_size=item.unit_size, eaches=eaches)
            key = (number, item.seq)
            lines[key] = lines.get(key, 0) + eaches
            items_by_ref[reference] = (number, item.seq, eaches)
        _check_arn(errors, where, sc, state, pos)
        _check_import(errors, where, sc, pos)
        _check_containers(errors, where, sc, references, seen_ids)
        on_pallet = _carton_references(errors, where, sc)
        _check_packing(errors, where, sc, shipped)
        _check_structure(errors, where, sc, shipped, on_pallet)
        _check_measurements(errors, where, sc)
        replaced = previous["lines"] if previous and sc["shipmentConfirmationType"] == "Replace" \
            else {}
        for key, eaches in lines.items():
            shipped_now[key] = shipped_now.get(key, 0) + eaches
        for key, eaches in replaced.items():
            shipped_now[key] = shipped_now.get(key, 0) - eaches
        lines_by_asn.append((ident, sc, lines, replaced, items_by_ref, pos))
    for (number, seq), delta in shipped_now.items():
        item = state.orders[number].item(seq)
        if item.shipped + delta > item.accepted:
            errors.append(rule_error(
                "ShippedQuantityExceedsAcknowledged", f"purchase order {number} item {seq}: "
                f"{item.shipped + delta} eaches shipped, {item.accepted} acknowledged "
                "(accepted or backordered).", "Ship no more than the acknowledged quantity."))
    if errors:
        return errors
    # The FC receives what was shipped when the ASN is processed (an approximation), less
    # the units missing from the cartons the ``shortage_rate`` setting picks.
    shortages = {ident: shortfall(state, ident, sc, items_by_ref)
                 for ident, sc, _lines, _replaced, items_by_ref, _pos in lines_by_asn}
    missing = {}
    for short in shortages.values():
        for key, eaches in short.items():
            missing[key] = missing.get(key, 0) + eaches
    for (number, seq), delta in shipped_now.items():
        item = state.orders[number].item(seq)
        item.shipped += delta
        item.receive(delta - min(missing.get((number, seq), 0), max(delta, 0)), when)
    for ident, sc, lines, _replaced, _items, pos in lines_by_asn:
        state.asns[ident] = {"date": when, "sellingParty": sc["sellingParty"].get("partyId"),
                             "lines": lines}
        record_asn(state, ident, sc, when, submitted, lines, shortages[ident], pos)
    for number in {number for number, _ in shipped_now}:
        state.orders[number].close_if_complete(when)
        state.orders[number].touch()
    return []


# -- transport requests ---------------------------------------------------------------------
def transport_rules(state, body, when):
    errors, creates, cancels = [], [], []
    for index, shipment in enumerate(body["shipments"]):
        ident = shipment["vendorShipmentIdentifier"]
        where = f"shipments[{index}] ({ident})"
        existing = state.transport.get(ident)
        if shipment["transactionType"] == "New":
            if existing or ident in [s["vendorShipmentIdentifier"] for s in creates]:
                errors.append(rule_error("DuplicateVendorShipmentIdentifier", f"{where}: "
                                         "vendorShipmentIdentifier was already used in the last "
                                         "365 days."))
            if not shipment.get("shipmentFreightTerm"):
                errors.append(rule_error("MissingShipmentFreightTerm", f"{where}: "
                                         "shipmentFreightTerm is required."))
            if not shipment.get("purchaseOrders"):
                errors.append(rule_error("MissingPurchaseOrders", f"{where}: list the purchase "
                                         "orders to transport."))
            for po_ref in shipment.get("purchaseOrders") or []:
                number = po_ref.get("purchaseOrderNumber")
                if number not in state.orders:
                    errors.append(rule_error("InvalidPurchaseOrderNumber", f"{where}: purchase "
                                             f"order {number} does not exist."))
            creates.append(shipment)
        else:
            if not existing:
                errors.append(rule_error(
                    "UnknownVendorShipmentIdentifier", f"{where}: no transport request to "
                    "cancel with this vendorShipmentIdentifier."))
            elif existing["currentShipmentStatus"] == "Shipped":
                errors.append(rule_error("ShipmentAlreadyShipped", f"{where}: a shipped transport "
                                         "request cannot be cancelled."))
            cancels.append(ident)
    if errors:
        return errors
    for shipment in creates:
        record = dict(shipment)
        reference = f"{state.rng.randrange(10 ** 9, 10 ** 10)}"
        record.update({
            "buyerReferenceNumber": reference,
            "transactionDate": shipment["transactionDate"],
            "currentShipmentStatus": "CarrierAssigned",
            "currentshipmentStatusDate": iso(when),
            "shipmentStatusDetails": [
                {"shipmentStatus": "TransportationRequested", "shipmentStatusDate": iso(when)},
                {"shipmentStatus": "CarrierAssigned", "shipmentStatusDate": iso(when)}],
            "shipmentCreateDate": iso(when),
            "packageLabelCreateDate": iso(when),
        })
        state.transport[shipment["vendorShipmentIdentifier"]] = record
        count = max(1, len(shipment.get("containers") or []))
        state.labels.append({
            "labelCreateDateTime": iso(when),
            "shipmentInformation": {
                "vendorDetails": {"sellingParty": shipment["sellingParty"],
                                  "vendorShipmentIdentifier": shipment["vendorShipmentIdentifier"]},
                "buyerReferenceNumber": reference,
                "shipToParty": shipment["shipToParty"],
                "shipFromParty": shipment["shipFromParty"],
                "warehouseId": shipment["shipFromParty"].get("partyId"),
                "masterTrackingId": f"1Z{reference}",
                "totalLabelCount": count,
                "shipMode": "SmallParcel" if (shipment.get("transportationDetails") or {}).get(
                    "shipMode") == "SmallParcel" else "LTL",
            },
            "labelData": [{"labelSequenceNumber": n, "labelFormat": "PDF", "carrierCode": "UPSN",
                           "trackingId": f"1Z{reference}{n:03d}", "label": LABEL_PDF}
                          for n in range(1, count + 1)],
        })
    for ident in cancels:
        state.transport.pop(ident)
        state.labels = [label for label in state.labels if label["shipmentInformation"][
            "vendorDetails"]["vendorShipmentIdentifier"] != ident]
    return []


def _field(record, dotted):
    for part in dotted.split("."):
        record = (record or {}).get(part)
    return parse_date_time(record) if isinstance(record, str) else None


def _paged(query, records, key_date, list_key):
    descending = query.get("sortOrder") == "DESC"
    records.sort(key=key_date, reverse=descending)
    limit = query.get("limit", 50)
    fingerprint = query.fingerprint()
    offset = read_token(query.get("nextToken"), fingerprint) if "nextToken" in query else 0
    payload = {list_key: records[offset:offset + limit]}
    if offset + limit < len(records):
        payload["pagination"] = {"nextToken": make_token(offset + limit, fingerprint)}
    return 200, {"payload": payload}


def get_shipment_details(state, request):
    query = Query(request.params, DETAILS_QUERY)
    with state.lock:
        records = []
        for record in state.transport.values():
            keep = True
            for name, (path, side) in _DATE_FILTERS.items():
                if name in query:
                    value = _field(record, path)
                    limit = query.get(name)
                    keep = keep and value is not None and (
                        value > limit if side == "after" else value < limit)
            for name, value in (
                    ("vendorShipmentIdentifier", record["vendorShipmentIdentifier"]),
                    ("buyerReferenceNumber", record["buyerReferenceNumber"]),
                    ("currentShipmentStatus", record["currentShipmentStatus"]),
                    ("buyerWarehouseCode", record["shipToParty"].get("partyId")),
                    ("sellerWarehouseCode", record["sellingParty"].get("partyId"))):
                keep = keep and (name not in query or query.get(name) == value)
            if keep:
                records.append(record)
        return _paged(query, records, lambda r: r["shipmentCreateDate"], "shipments")


def get_shipment_labels(state, request):
    query = Query(request.params, LABELS_QUERY)
    after, before = query.get("labelCreatedAfter"), query.get("labelCreatedBefore")
    with state.lock:
        records = []
        for label in state.labels:
            info = label["shipmentInformation"]
            created = parse_date_time(label["labelCreateDateTime"])
            if after and created <= after or before and created >= before:
                continue
            if "buyerReferenceNumber" in query and \
                    info["buyerReferenceNumber"] != query.get("buyerReferenceNumber"):
                continue
            vendor = info["vendorDetails"]
            if "vendorShipmentIdentifier" in query and \
                    vendor["vendorShipmentIdentifier"] != query.get("vendorShipmentIdentifier"):
                continue
            if "sellerWarehouseCode" in query and \
                    vendor["sellingParty"].get("partyId") != query.get("sellerWarehouseCode"):
                continue
            records.append(label)
        return _paged(query, records, lambda r: r["labelCreateDateTime"], "transportLabels")
