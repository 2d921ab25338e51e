"""Collect/WePay: a transport request built by the mapping layer, through the real transport,
then Amazon's reference (ARN) and carrier labels read back."""
import datetime

import pytest

from odoo.addons.acorn_amazon_vendor.lib.mapping.shipment import ShipmentError
from odoo.addons.acorn_amazon_vendor.lib.mapping.transport_request import (
    build_transport_request,
)

from .test_asn_from_mapping import Packer, acknowledge, new_pos, shipment


def test_transport_request_then_arn_and_labels(sim, api):
    po, = new_pos(sim)
    acknowledge(sim, api, po)
    ship = shipment(sim, po, "COLLECT-1",
                    Packer().cartons(po, {i: i.accepted for i in po.items}))
    pickup = sim.now() + datetime.timedelta(days=1)
    body = build_transport_request(ship, {po.number: sim.now() - datetime.timedelta(days=1)},
                                   pickup, sim.now())
    request = body["shipments"][0]
    assert request["shipmentFreightTerm"] == "Collect"
    assert request["collectFreightPickupDetails"]["requestedPickUp"].endswith("Z")
    assert request["shipmentMeasurements"]["totalCartonCount"] == len(po.items)
    transaction = api.submit_shipments(body)
    sim.settle()
    assert api.get_transaction(transaction)["status"] == "Success"
    details = api.get_shipment_details(vendorShipmentIdentifier="COLLECT-1")["shipments"]
    assert len(details) == 1 and details[0]["buyerReferenceNumber"].isdigit()
    labels = api.get_shipment_labels(vendorShipmentIdentifier="COLLECT-1")["transportLabels"]
    assert labels[0]["shipmentInformation"]["buyerReferenceNumber"] == \
        details[0]["buyerReferenceNumber"]
    assert labels[0]["labelData"][0]["label"]


def test_transport_request_needs_a_pickup_and_goods(sim, api):
    po, = new_pos(sim)
    ship = shipment(sim, po, "COLLECT-2", Packer().cartons(po, dict.fromkeys(po.items, 1)))
    with pytest.raises(ShipmentError, match="pickup"):
        build_transport_request(ship, {}, None, sim.now())
    empty = shipment(sim, po, "COLLECT-3")
    with pytest.raises(ShipmentError, match="Nothing to transport"):
        build_transport_request(empty, {}, sim.now(), sim.now())
