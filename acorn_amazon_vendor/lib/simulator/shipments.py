"""Vendor Shipments v1: shipment confirmations (ASN), transport requests, their details and
labels, and the business rules an ASN or a transport request must pass."""
import base64
import datetime
import re

from stdnum import ean

from ..amazon_dates import parse_date_time
from .catalogue import FULFILMENT_CENTRES
from .clock import iso
from .errors import rule_error
from .params import Query, make_token, read_token
from .purchase_orders import to_eaches
from .submissions import submit_documents

MODULE = "vendor_shipments_v1"
IDENTIFIER_REUSE = datetime.timedelta(days=365)
SCAC_RE = re.compile(r"^[A-Z]{2,4}$")
SCAC_COUNTRIES = ("US", "CA", "MX")  # Amazon: carrierScac is mandatory for these
FREIGHT_TYPES = ("TruckLoad", "LessThanTruckLoad")
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
    {name: ("date-time",) for name in _DATE_FILTERS},
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
            if kind == "carton" and small_parcel and not container.get("trackingNumber"):
                errors.append(rule_error("MissingTrackingNumber", f"{c_where}: every carton of a "
                                         "SmallParcel shipment needs a trackingNumber."))
            for line in container.get("items") or []:
                if line["itemReference"] not in references:
                    errors.append(rule_error(
                        "InvalidItemReference", f"{c_where}: itemReference "
                        f"{line['itemReference']} is not an itemSequenceNumber of shippedItems."))


def confirmation_rules(state, body, when):
    errors, lines_by_asn, shipped_now = [], [], {}
    seen_ids, seen_asn = set(), set()
    for index, sc in enumerate(body["shipmentConfirmations"]):
        ident = sc["shipmentIdentifier"]
        where = f"shipmentConfirmations[{index}] ({ident})"
        previous = state.asns.get(ident)
        if previous and when - previous["date"] > IDENTIFIER_REUSE:
            previous = None
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
        transport = sc.get("transportationDetails") or {}
        scac = transport.get("carrierScac")
        country = FULFILMENT_CENTRES.get(sc["shipToParty"].get("partyId"), {}).get("countryCode")
        if sc.get("shipmentType") in FREIGHT_TYPES or country in SCAC_COUNTRIES:
            if not scac:
                errors.append(rule_error("MissingCarrierScac", f"{where}: carrierScac is mandatory "
                                         f"for {sc.get('shipmentType') or country} shipments."))
        if scac and not SCAC_RE.match(scac):
            errors.append(rule_error("InvalidCarrierScac", f"{where}: carrierScac {scac} is not a "
                                     "two to four letter SCAC."))
        if sc.get("shipmentType") in FREIGHT_TYPES:
            bol = transport.get("billOfLadingNumber") or ""
            if len(bol.strip()) < 2:
                errors.append(rule_error(
                    "MissingBillOfLading", f"{where}: billOfLadingNumber is mandatory for "
                    f"{sc['shipmentType']} shipments (and cannot be a single character)."))
        references, lines = set(), {}
        for i, shipped in enumerate(sc["shippedItems"]):
            i_where = f"{where} shippedItems[{i}]"
            references.add(shipped["itemSequenceNumber"])
            number = (shipped.get("itemDetails") or {}).get("purchaseOrderNumber")
            if not number:
                errors.append(rule_error("MissingPurchaseOrderNumber", f"{i_where}: "
                                         "itemDetails.purchaseOrderNumber is required."))
                continue
            po = state.orders.get(number)
            if po is None:
                errors.append(rule_error("InvalidPurchaseOrderNumber", f"{i_where}: purchase order "
                                         f"{number} does not exist."))
                continue
            asin, sku = shipped.get("amazonProductIdentifier"), \
                shipped.get("vendorProductIdentifier")
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
            eaches = to_eaches(shipped["shippedQuantity"], item.unit_size)
            key = (number, item.seq)
            lines[key] = lines.get(key, 0) + eaches
        _check_containers(errors, where, sc, references, seen_ids)
        replaced = previous["lines"] if previous and sc["shipmentConfirmationType"] == "Replace" \
            else {}
        for key, eaches in lines.items():
            shipped_now[key] = shipped_now.get(key, 0) + eaches
        for key, eaches in replaced.items():
            shipped_now[key] = shipped_now.get(key, 0) - eaches
        lines_by_asn.append((ident, sc["sellingParty"].get("partyId"), lines, replaced))
    for (number, seq), delta in shipped_now.items():
        item = state.orders[number].item(seq)
        if item.shipped + delta > item.accepted:
            errors.append(rule_error(
                "ShippedQuantityExceedsAcknowledged", f"purchase order {number} item {seq}: "
                f"{item.shipped + delta} eaches shipped, {item.accepted} acknowledged "
                "(accepted or backordered).", "Ship no more than the acknowledged quantity."))
    if errors:
        return errors
    for (number, seq), delta in shipped_now.items():
        item = state.orders[number].item(seq)
        item.shipped += delta
        # Approximation: the FC receives what was shipped when the ASN is processed.
        item.receive(delta, when)
    for ident, party, lines, _replaced in lines_by_asn:
        state.asns[ident] = {"date": when, "sellingParty": party, "lines": lines}
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
