"""Builders of valid Amazon documents for the simulator's POs (tests change one thing)."""
import datetime
from decimal import Decimal

from stdnum import ean

from odoo.addons.acorn_amazon_vendor.lib.transport import iso

GS1_PREFIX = "0614141"


def sscc(serial):
    body = "0" + GS1_PREFIX + f"{serial:09d}"
    return body + ean.calc_check_digit(body)


def prepaid(po):
    """A Prepaid PO (delivery window): its ASN needs no Amazon reference number (ARN)."""
    return po.freight_terms == "Prepaid"


def quantity(item, eaches):
    if item.unit == "Cases":
        return {"amount": eaches // item.unit_size, "unitOfMeasure": "Cases",
                "unitSize": item.unit_size}
    return {"amount": eaches, "unitOfMeasure": "Eaches", "unitSize": 1}


def acknowledgement(po, when, lines=None):
    """Accept every live item; ``lines`` maps itemSequenceNumber -> itemAcknowledgements."""
    items = []
    for item in po.items:
        if item.cancelled:
            continue
        acks = (lines or {}).get(item.seq) or [
            {"acknowledgementCode": "Accepted",
             "acknowledgedQuantity": quantity(item, item.ordered)}]
        items.append({
            "itemSequenceNumber": item.seq,
            "amazonProductIdentifier": item.asin,
            "vendorProductIdentifier": item.vendor_sku,
            "orderedQuantity": quantity(item, item.ordered),
            "netCost": {"currencyCode": item.currency, "amount": item.net_cost},
            "itemAcknowledgements": acks,
        })
    return {"acknowledgements": [{
        "purchaseOrderNumber": po.number,
        "sellingParty": {"partyId": po.vendor_code},
        "acknowledgementDate": iso(when),
        "items": items,
    }]}


def shipment_confirmation(po, when, ident, shipped=None, *, kind="Original",
                          shipment_type="LessThanTruckLoad", serial=1):
    """An ASN for ``shipped`` (seq -> eaches; default: everything accepted), one carton each."""
    shipped = shipped or {i.seq: i.accepted for i in po.items if i.accepted}
    items, cartons = [], []
    for n, (seq, eaches) in enumerate(sorted(shipped.items()), start=1):
        item = po.item(seq)
        items.append({"itemSequenceNumber": f"{n:03d}",
                      "amazonProductIdentifier": item.asin,
                      "vendorProductIdentifier": item.vendor_sku,
                      "shippedQuantity": quantity(item, eaches),
                      "itemDetails": {"purchaseOrderNumber": po.number}})
        carton = {"cartonIdentifiers": [{"containerIdentificationType": "SSCC",
                                         "containerIdentificationNumber": sscc(serial + n)}],
                  "cartonSequenceNumber": f"{n:03d}",
                  "items": [{"itemReference": f"{n:03d}",
                             "shippedQuantity": quantity(item, eaches)}]}
        if shipment_type == "SmallParcel":
            carton["trackingNumber"] = f"1Z999AA1{serial + n:010d}"
        cartons.append(carton)
    return {"shipmentConfirmations": [{
        "shipmentIdentifier": ident,
        "shipmentConfirmationType": kind,
        "shipmentType": shipment_type,
        "shipmentStructure": "LooseStandardCase",
        "transportationDetails": {"carrierScac": "ABFS", "carrierShipmentReferenceNumber": "PRO1",
                                  "transportationMode": "Road",
                                  "billOfLadingNumber": f"BOL-{ident}"},
        "shipmentConfirmationDate": iso(when),
        "shippedDate": iso(when - datetime.timedelta(minutes=10)),
        "estimatedDeliveryDate": iso(when + datetime.timedelta(days=3)),
        "sellingParty": {"partyId": po.vendor_code},
        "shipFromParty": {"partyId": "WH01", "address": {
            "name": "Acorn DC", "addressLine1": "1 Warehouse Way", "city": "Edison",
            "stateOrRegion": "NJ", "postalCode": "08817", "countryCode": "US"}},
        "shipToParty": {"partyId": po.ship_to},
        "shipmentMeasurements": {"cartonCount": len(cartons)},
        "shippedItems": items,
        "cartons": cartons,
    }]}


def transport_request(po, when, ident, transaction_type="New"):
    """A Collect routing request (SubmitShipments) for ``po``; Amazon answers with its ARN."""
    return {"shipments": [{
        "vendorShipmentIdentifier": ident, "transactionType": transaction_type,
        "transactionDate": iso(when), "shipmentFreightTerm": "Collect",
        "sellingParty": {"partyId": po.vendor_code},
        "shipFromParty": {"partyId": "WH01"},
        "shipToParty": {"partyId": po.ship_to},
        "shipmentMeasurements": {"totalCartonCount": 2,
                                 "shipmentWeight": {"unitOfMeasure": "Kg", "value": "40.5"}},
        "collectFreightPickupDetails": {"requestedPickUp": iso(when)},
        "purchaseOrders": [{"purchaseOrderNumber": po.number, "items": [
            {"itemSequenceNumber": "001", "shippedQuantity": {
                "amount": 1, "unitOfMeasure": "Eaches"}}]}],
        "containers": [{"containerType": "carton", "containerIdentifiers": [
            {"containerIdentificationType": "SSCC",
             "containerIdentificationNumber": sscc(n)}]} for n in (1, 2)],
        "transportationDetails": {"shipMode": "SmallParcel", "transportationMode": "Road"},
    }]}


def invoice(po, when, number, invoiced=None, *, tax_rate=Decimal("0")):
    """An invoice for ``invoiced`` (seq -> eaches; default: everything accepted)."""
    invoiced = invoiced or {i.seq: i.accepted for i in po.items if i.accepted}
    items, lines = [], Decimal(0)
    for n, (seq, eaches) in enumerate(sorted(invoiced.items()), start=1):
        item = po.item(seq)
        items.append({"itemSequenceNumber": n, "amazonProductIdentifier": item.asin,
                      "vendorProductIdentifier": item.vendor_sku,
                      "invoicedQuantity": {"amount": eaches, "unitOfMeasure": "Eaches"},
                      "netCost": {"currencyCode": item.currency, "amount": item.net_cost},
                      "purchaseOrderNumber": po.number})
        lines += Decimal(item.net_cost) * eaches
    tax = (lines * tax_rate).quantize(Decimal("0.01"))
    body = {
        "invoiceType": "Invoice", "id": number, "date": iso(when),
        "remitToParty": {"partyId": po.vendor_code, "address": {
            "name": "Acorn Trading Co. Ltd", "addressLine1": "88 Keji Road",
            "city": "Shenzhen", "postalOrZipCode": "518057", "countryCode": "CN"}},
        "billToParty": {"partyId": po.bill_to_party["partyId"]},
        "paymentTerms": {"type": "Basic", "netDueDays": 60},
        "invoiceTotal": {"currencyCode": po.currency, "amount": str(lines + tax)},
        "items": items,
    }
    if tax:
        body["taxDetails"] = [{"taxType": "VAT", "taxRate": str(tax_rate * 100),
                               "taxAmount": {"currencyCode": po.currency, "amount": str(tax)}}]
    return {"invoices": [body]}


def credit_note(po, when, number, credited=None, **references):
    """A credit note for ``credited`` (seq -> eaches; default: everything accepted) of
    ``po``, each item carrying ``references`` as its creditNoteDetails (none: no details)."""
    body = invoice(po, when, number, credited)
    note = body["invoices"][0]
    note["invoiceType"] = "CreditNote"
    for item in note["items"]:
        if references:
            item["creditNoteDetails"] = dict(references)
    return body


def palletize(body, *, structure="PalletizedStandardCase", serial=900):
    """Put every carton of an ASN on one pallet (palletCount instead of cartonCount)."""
    confirmation = body["shipmentConfirmations"][0]
    numbers = [c["cartonSequenceNumber"] for c in confirmation["cartons"]]
    confirmation["pallets"] = [{
        "palletIdentifiers": [{"containerIdentificationType": "SSCC",
                               "containerIdentificationNumber": sscc(serial)}],
        "cartonReferenceDetails": {"cartonCount": len(numbers),
                                   "cartonReferenceNumbers": numbers}}]
    confirmation["shipmentStructure"] = structure
    confirmation["shipmentMeasurements"] = {"palletCount": 1}
    return body


def settled_status(sim, api, submit, body):
    """Submit ``body`` with ``submit``, check Amazon says Processing, settle, and return the
    final transaction status."""
    tid = submit(body)
    assert api.get_transaction(tid)["status"] == "Processing"
    sim.settle()
    return api.get_transaction(tid)


def failure_codes(status):
    assert status["status"] == "Failure", status
    return {e["code"] for e in status["errors"]}
