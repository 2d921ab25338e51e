"""Vendor Direct Fulfillment Shipping 2021-12-28: labels, shipment confirmations, shipment
status updates, packing slips and customer invoices.

Rules (Amazon's use case guide, enforced when the transaction settles or at once for the
synchronous calls):

- a shipping label is issued only for an acknowledged order (status ACCEPTED): not for NEW,
  CANCELLED or SHIPPED ones; containers, when given, must pack items of the order within their
  ordered quantities; each container gets its own tracking number; without containers one
  package holds the whole order. The label format (ZPL or PNG) is the warehouse's setting at
  Amazon (control API ``df`` ``label_format``);
- label calls, packing slips and customer invoices hold the customer's address: they need a
  Restricted Data Token (tokens.py); a plain access token is refused (403);
- a confirmation (one per order) ships the whole acknowledged order: SHIPPED needs at least one
  container with a tracking number, and when Amazon issued labels the tracking numbers must be
  the labels'; the packed quantities must add up to the shipped quantities, which must equal
  the ordered ones; FLOOR_DENIAL cancels an accepted order instead; a second confirmation of a
  shipped order is refused;
- a status update names a tracking number confirmed on a shipped order of a Vendor Own Carrier
  warehouse (control API ``df`` ``own_carrier``), with a shipment status code and a reason
  code (ANSI X12 214); Amazon's own carrier reports its own scans;
- packing slips exist for orders with ``isPslipRequired``, customer invoices for orders whose
  marketplace requires the vendor to print one, both once the order is acknowledged.
"""
import base64
import datetime

from .. import amazon_schema
from . import tokens
from .df_orders import owned, page
from .errors import ApiError, invalid_input, not_found, rule_error, schema_errors
from .params import Query
from .submissions import submit_documents

MODULE = "vendor_direct_fulfillment_shipping_v2021_12_28"
MAX_WINDOW = datetime.timedelta(days=7)
LIST_QUERY = {"shipFromPartyId": ("str",), "limit": ("int", 1, 100),
              "createdAfter": ("date-time",), "createdBefore": ("date-time",),
              "sortOrder": ("enum", ("ASC", "DESC")), "nextToken": ("str",)}
# Shipment status codes (ANSI X12 214, element 1650) a Vendor Own Carrier reports, and the
# reason codes (element 1651) that may go with them: NS (normal status) for routine scans.
STATUS_CODES = {"AF": "Departed pickup location", "X6": "En route to delivery location",
                "X4": "Arrived at terminal", "OD": "Out for delivery",
                "X1": "Arrived at delivery location", "D1": "Delivered",
                "AP": "Delivery not completed", "AG": "Estimated delivery",
                "SD": "Shipment delayed", "A7": "Refused by consignee",
                "A9": "Shipment damaged", "A3": "Returned to shipper"}
REASON_CODES = {"NS", "A1", "A2", "AG", "AH", "AJ", "AM", "AO", "AQ", "B1", "BB", "BG",
                "D1", "S1"}
NEEDS_RDT = {"code": "Unauthorized", "message": "Access to requested resource is denied.",
             "details": "This operation returns personal data: call it with a Restricted Data "
                        "Token (createRestrictedDataToken)."}


def _require_rdt(state, request):
    if tokens.grant(state, request) is None:
        raise ApiError(403, NEEDS_RDT["code"], NEEDS_RDT["message"], NEEDS_RDT["details"])


def _window(query):
    after, before = query.get("createdAfter"), query.get("createdBefore")
    if after is None or before is None:
        raise invalid_input("Request is missing or has invalid parameters",
                            "createdAfter and createdBefore are required.")
    if after > before or before - after > MAX_WINDOW:
        raise invalid_input("Invalid Input", "createdAfter must be before createdBefore and "
                            "the range must not exceed 7 days.")
    return after, before


def _pdf(title, lines):
    """A small valid one-page PDF with the given text lines."""
    text = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(
        "(%s) '" % ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        for ln in [title, *lines]) + " ET"
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            "/Resources << /Font << /F1 5 0 R >> >> >>",
            f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for n, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{obj}\nendobj\n".encode("latin-1", "replace")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
            ).encode()
    return out


def _png():
    # A 1x1 white PNG: Amazon's PNG labels are images; the simulator's stands in for one.
    return base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwAB"
                            "AQEAWJ2u8gAAAABJRU5ErkJggg==")


def _label_content(order, package, fmt):
    addr = order.customer
    if fmt == "ZPL":
        zpl = (f"^XA^CF0,30^FO40,40^FD{order.ship_method}^FS^FO40,90^FD{addr['name']}^FS"
               f"^FO40,130^FD{addr['addressLine1']}^FS^FO40,170^FD{addr['city']} "
               f"{addr['stateOrRegion']} {addr['postalCode']}^FS^FO40,230^BCN,100,Y,N,N"
               f"^FD{package['trackingNumber']}^FS^FO40,380^FDPO {order.number}^FS^XZ")
        return base64.b64encode(zpl.encode()).decode()
    return base64.b64encode(_png()).decode()


def _make_labels(state, order, containers):
    fmt = state.df.label_format.get(order.warehouse, "ZPL")
    packages = []
    if containers:
        for index, c in enumerate(containers, 1):
            packages.append({"packageIdentifier": c["containerIdentifier"],
                             "items": {str(p["itemSequenceNumber"]): p["packedQuantity"]["amount"]
                                       for p in c["packedItems"]}, "seq": index})
    else:
        packages.append({"packageIdentifier": f"{order.number}-1", "seq": 1,
                         "items": {i.seq: i.quantity for i in order.items}})
    for package in packages:
        state.df.tracking_seq += 1
        prefix = "1Z" if order.currency == "USD" else "JJD"
        package["trackingNumber"] = f"{prefix}{state.df.tracking_seq:014d}"
        package["content"] = _label_content(order, package, fmt)
    order.labels = packages
    order.label_format = fmt


def _label_json(order):
    return {"purchaseOrderNumber": order.number,
            "sellingParty": {"partyId": order.vendor_code},
            "shipFromParty": {"partyId": order.warehouse},
            "labelFormat": order.label_format,
            "labelData": [{"packageIdentifier": p["packageIdentifier"],
                           "trackingNumber": p["trackingNumber"],
                           "shipMethod": order.ship_method, "shipMethodName": order.ship_method,
                           "content": p["content"]} for p in order.labels]}


def _check_containers(order, containers, where, errors):
    packed = {}
    for ci, c in enumerate(containers or []):
        for pi, p in enumerate(c["packedItems"]):
            item = order.item(p["itemSequenceNumber"], p.get("buyerProductIdentifier"),
                              p.get("vendorProductIdentifier"))
            if item is None:
                errors.append(rule_error("InvalidItem", f"{where} containers[{ci}].packedItems"
                                         f"[{pi}]: no such item on the order."))
                continue
            packed[item.seq] = packed.get(item.seq, 0) + p["packedQuantity"].get("amount", 0)
    for seq, qty in packed.items():
        if qty > order.item(seq).quantity:
            errors.append(rule_error("PackedQuantityExceedsOrdered", f"{where}: item {seq} "
                                     f"packed {qty}, ordered {order.item(seq).quantity}."))
    return packed


def _label_rules(state, order, where, containers, errors):
    if order.status != "ACCEPTED":
        errors.append(rule_error("InvalidOrderStatus", f"{where}: the order is {order.status}; "
                                 "labels are issued for acknowledged (ACCEPTED) orders only."))
    _check_containers(order, containers, where, errors)


# -- labels -----------------------------------------------------------------------------------
def submit_shipping_label_request(state, request):
    # 2021-12-28 answers the TransactionReference itself, without a payload envelope.
    status, reply = submit_documents(state, request, MODULE, "SubmitShippingLabelsRequest",
                                     "shippingLabelRequests", "df_label_request")
    return status, reply["payload"]


def label_request_rules(state, body, when):
    errors, effects = [], []
    for index, req in enumerate(body["shippingLabelRequests"]):
        where = f"shippingLabelRequests[{index}] ({req['purchaseOrderNumber']})"
        order = owned(state, req["purchaseOrderNumber"], where, req["sellingParty"],
                      req["shipFromParty"], errors)
        if order is not None:
            _label_rules(state, order, where, req.get("containers"), errors)
            effects.append((order, req.get("containers")))
    if errors:
        return errors
    for order, containers in effects:
        _make_labels(state, order, containers)
    return []


def create_shipping_labels(state, request):
    _require_rdt(state, request)
    number = request.path_args[0]
    body = request.json_body()
    problems = amazon_schema.validate(MODULE, "CreateShippingLabelsRequest", body)
    if problems:
        raise schema_errors(problems)
    with state.lock:
        errors = []
        order = owned(state, number, number, body["sellingParty"], body["shipFromParty"],
                      errors)
        if order is None:
            raise not_found("The requested purchase order was not found.", number)
        _label_rules(state, order, number, body.get("containers"), errors)
        if errors:
            raise ApiError(400, errors[0]["code"], errors[0]["message"], errors=errors)
        _make_labels(state, order, body.get("containers"))
        return 200, _label_json(order)


def get_shipping_label(state, request):
    _require_rdt(state, request)
    Query(request.params, {})
    with state.lock:
        order = state.df.orders.get(request.path_args[0])
        if order is None or not order.labels:
            raise not_found("The requested shipping label was not found.",
                            f"No label for purchase order {request.path_args[0]}.")
        return 200, _label_json(order)


def get_shipping_labels(state, request):
    _require_rdt(state, request)
    query = Query(request.params, LIST_QUERY)
    after, before = _window(query)
    ship_from = query.get("shipFromPartyId")
    with state.lock:
        found = [o for o in state.df.order_list if o.labels and after <= o.created <= before
                 and (not ship_from or o.warehouse == ship_from)]
        return 200, page(query, found, _label_json, "shippingLabels")


# -- confirmations and status updates ---------------------------------------------------------
def submit_shipment_confirmations(state, request):
    # 2021-12-28 answers the TransactionReference itself, without a payload envelope.
    status, reply = submit_documents(state, request, MODULE, "SubmitShipmentConfirmationsRequest",
                                     "shipmentConfirmations", "df_confirmation")
    return status, reply["payload"]


def confirmation_rules(state, body, when):
    errors, effects, seen = [], [], set()
    for index, conf in enumerate(body["shipmentConfirmations"]):
        number = conf["purchaseOrderNumber"]
        where = f"shipmentConfirmations[{index}] ({number})"
        order = owned(state, number, where, conf["sellingParty"], conf["shipFromParty"], errors)
        if order is None:
            continue
        if number in seen:
            errors.append(rule_error("DuplicateConfirmation", f"{where}: the order is "
                                     "confirmed twice in this document."))
        seen.add(number)
        status = conf["shipmentDetails"]["shipmentStatus"]
        if order.status == "SHIPPED":
            errors.append(rule_error("AlreadyShipped", f"{where}: a shipment confirmation "
                                     f"of purchase order {number} was already submitted."))
            continue
        if order.status != "ACCEPTED":
            errors.append(rule_error("InvalidOrderStatus", f"{where}: the order is "
                                     f"{order.status}; acknowledge it before confirming."))
            continue
        if status == "FLOOR_DENIAL":
            effects.append((order, status, set()))
            continue
        shipped = {}
        for i, line in enumerate(conf["items"]):
            item = order.item(line["itemSequenceNumber"], line.get("buyerProductIdentifier"),
                              line.get("vendorProductIdentifier"))
            if item is None:
                errors.append(rule_error("InvalidItem", f"{where} items[{i}]: no such item."))
                continue
            shipped[item.seq] = shipped.get(item.seq, 0) + line["shippedQuantity"].get(
                "amount", 0)
        for item in order.items:
            if shipped.get(item.seq, 0) != item.quantity:
                errors.append(rule_error("ShippedQuantityMismatch", f"{where}: item {item.seq} "
                                         f"shipped {shipped.get(item.seq, 0)}, ordered "
                                         f"{item.quantity}; a Direct Fulfillment order ships "
                                         "whole."))
        containers = conf.get("containers") or []
        if not containers:
            errors.append(rule_error("MissingContainers", f"{where}: a SHIPPED confirmation "
                                     "lists its packages (containers) with tracking numbers."))
        tracking = set()
        pieces = {}
        for ci, c in enumerate(containers):
            if not c.get("trackingNumber"):
                errors.append(rule_error("MissingTrackingNumber", f"{where} containers[{ci}]: "
                                         "trackingNumber is required."))
            else:
                tracking.add(c["trackingNumber"])
            # Container.shipMethod: "required when calling submitShipmentConfirmations"
            if not c.get("shipMethod"):
                errors.append(rule_error("MissingShipMethod", f"{where} containers[{ci}]: "
                                         "shipMethod is required."))
            for packed_item in c.get("packedItems") or []:
                pieces.setdefault(packed_item.get("itemSequenceNumber"), []).append(
                    packed_item.get("pieceNumber"))
        # PackedItem.pieceNumber: "required when the item is split across different containers"
        for seq, numbers in pieces.items():
            if len(numbers) > 1 and None in numbers:
                errors.append(rule_error("MissingPieceNumber", f"{where}: item {seq} is split "
                                         "across containers without its pieceNumber."))
        issued = {p["trackingNumber"] for p in order.labels}
        if issued and tracking - issued:
            errors.append(rule_error("InvalidTrackingNumber", f"{where}: tracking numbers "
                                     f"{', '.join(sorted(tracking - issued))} are not those of "
                                     "the labels Amazon issued for this order."))
        packed = _check_containers(order, containers, where, errors)
        if containers and packed != shipped:
            errors.append(rule_error("PackedQuantityMismatch", f"{where}: the containers' "
                                     "packed quantities differ from the shipped quantities."))
        effects.append((order, status, tracking))
    if errors:
        return errors
    for order, status, tracking in effects:
        if status == "FLOOR_DENIAL":
            order.status = "CANCELLED"
            continue
        order.status = "SHIPPED"
        order.shipped_at = when
        order.tracking = tracking
        for item in order.items:
            item.shipped = item.quantity
    return []


def submit_shipment_status_updates(state, request):
    # 2021-12-28 answers the TransactionReference itself, without a payload envelope.
    status, reply = submit_documents(state, request, MODULE, "SubmitShipmentStatusUpdatesRequest",
                                     "shipmentStatusUpdates", "df_status_update")
    return status, reply["payload"]


def status_update_rules(state, body, when):
    errors, effects = [], []
    for index, upd in enumerate(body["shipmentStatusUpdates"]):
        where = f"shipmentStatusUpdates[{index}] ({upd['purchaseOrderNumber']})"
        order = owned(state, upd["purchaseOrderNumber"], where, upd["sellingParty"],
                      upd["shipFromParty"], errors)
        if order is None:
            continue
        details = upd["statusUpdateDetails"]
        if order.status != "SHIPPED":
            errors.append(rule_error("InvalidOrderStatus", f"{where}: the order is not shipped."))
        elif details["trackingNumber"] not in order.tracking:
            errors.append(rule_error("InvalidTrackingNumber", f"{where}: tracking number "
                                     f"{details['trackingNumber']} was not confirmed."))
        if details["statusCode"] not in STATUS_CODES:
            errors.append(rule_error("InvalidStatusCode", f"{where}: statusCode must be one of "
                                     f"{', '.join(STATUS_CODES)}."))
        if details["reasonCode"] not in REASON_CODES:
            errors.append(rule_error("InvalidReasonCode", f"{where}: reasonCode "
                                     f"{details['reasonCode']} is not a shipment status reason "
                                     "code (NS for a normal status)."))
        if order.status == "SHIPPED" and order.warehouse not in state.df.own_carrier:
            errors.append(rule_error("NotVendorOwnCarrier", f"{where}: only Vendor Own Carrier "
                                     "shipments take status updates; Amazon's carrier reports "
                                     "its own scans."))
        effects.append((order, details))
    if errors:
        return errors
    for order, details in effects:
        order.status_updates.append(details)
    return []


# -- packing slips and customer invoices -------------------------------------------------------
def _slip_json(order):
    lines = [f"Order {order.customer_order}", *(f"{i.quantity} x {i.title} ({i.vendor_sku})"
                                                for i in order.items)]
    return {"purchaseOrderNumber": order.number, "contentType": "application/pdf",
            "content": base64.b64encode(_pdf("Packing slip", lines)).decode()}


def _invoice_json(order):
    total = sum(float(i.net_price) * i.quantity for i in order.items)
    lines = [f"Order {order.customer_order}", order.customer["name"],
             *(f"{i.quantity} x {i.title} {i.net_price} {i.currency}" for i in order.items),
             f"Total {total:.2f} {order.currency}"]
    return {"purchaseOrderNumber": order.number,
            "content": base64.b64encode(_pdf("Invoice", lines)).decode()}


def _documents(state, request, flag, encode, list_key, what):
    _require_rdt(state, request)
    if request.path_args:
        Query(request.params, {})
        with state.lock:
            order = state.df.orders.get(request.path_args[0])
            if order is None or not getattr(order, flag) or order.status == "NEW":
                raise not_found(f"The requested {what} was not found.",
                                f"No {what} for purchase order {request.path_args[0]} (only "
                                "acknowledged orders that require one have it).")
            return 200, encode(order)
    query = Query(request.params, LIST_QUERY)
    after, before = _window(query)
    ship_from = query.get("shipFromPartyId")
    with state.lock:
        found = [o for o in state.df.order_list if getattr(o, flag) and o.status != "NEW"
                 and after <= o.created <= before and (not ship_from or o.warehouse == ship_from)]
        return 200, page(query, found, encode, list_key)


def get_packing_slips(state, request):
    return _documents(state, request, "pslip", _slip_json, "packingSlips", "packing slip")


def get_customer_invoices(state, request):
    return _documents(state, request, "customer_invoice", _invoice_json, "customerInvoices",
                      "customer invoice")
