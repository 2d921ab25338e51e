"""Collect / WePay shipments: the transport request (SubmitShipments) Amazon needs to send its
carrier. Built from the same neutral Shipment as the ASN; Amazon answers with its reference
(ARN, the ``buyerReferenceNumber``) and carrier labels."""
from .. import amazon_schema
from ..amazon_dates import iso
from .shipment import ShipmentError, _party, _quantity


def build_transport_request(shipment, po_dates, pickup_at, now):
    """SubmitShipments body (transactionType New, freight term Collect) for ``shipment``.

    ``po_dates`` maps each PO number to its purchaseOrderDate; ``pickup_at`` is when the
    goods are ready for Amazon's carrier.
    """
    if not pickup_at:
        raise ShipmentError(["A transport request needs the pickup date and time."])
    purchase_orders = {}
    for line in shipment.shipped_lines:
        items = purchase_orders.setdefault(line.po_number, [])
        item = {"itemSequenceNumber": line.item_sequence,
                "shippedQuantity": _quantity(line, line.quantity_eaches)}
        if line.asin:
            item["buyerProductIdentifier"] = line.asin
        if line.vendor_sku:
            item["vendorProductIdentifier"] = line.vendor_sku
        items.append(item)
    if not purchase_orders:
        raise ShipmentError(["Nothing to transport: the delivery has no done quantity."])
    cartons = list(shipment.loose_cartons) + [c for p in shipment.pallets for c in p.cartons]
    weights = [c.weight_kg for c in shipment.loose_cartons] + [p.weight_kg
                                                               for p in shipment.pallets]
    measurements = {"totalCartonCount": len(cartons)}
    if shipment.pallets:
        measurements["totalPalletStackable"] = len(shipment.pallets)
    if weights and all(weights):
        measurements["shipmentWeight"] = {"unitOfMeasure": "Kg", "value": f"{sum(weights)}"}
    body = {"shipments": [{
        "vendorShipmentIdentifier": shipment.identifier,
        "transactionType": "New",
        "transactionDate": iso(now),
        "shipmentFreightTerm": "Collect",
        "sellingParty": {"partyId": shipment.selling_party_id},
        "shipFromParty": _party(shipment.ship_from),
        "shipToParty": _party(shipment.ship_to),
        "shipmentMeasurements": measurements,
        "collectFreightPickupDetails": {"requestedPickUp": iso(pickup_at)},
        "purchaseOrders": [
            {"purchaseOrderNumber": number,
             **({"purchaseOrderDate": iso(po_dates[number])} if po_dates.get(number) else {}),
             "items": items}
            for number, items in purchase_orders.items()],
        "transportationDetails": {"shipMode": shipment.shipment_type,
                                  "transportationMode": shipment.transportation_mode},
    }]}
    errors = amazon_schema.validate("vendor_shipments_v1", "SubmitShipments", body)
    if errors:
        raise ShipmentError(errors)
    return body
