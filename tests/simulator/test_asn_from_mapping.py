"""ASNs built by the mapping layer, sent through the real transport to the simulator."""
import dataclasses
import datetime
import itertools
from decimal import Decimal

import pytest

from odoo.addons.acorn_amazon_vendor.lib.mapping.carton_label import (
    labels_for_shipment,
    zpl_many,
)
from odoo.addons.acorn_amazon_vendor.lib.mapping.shipment import (
    Carton,
    Pallet,
    Party,
    Shipment,
    ShipmentError,
    ShippedLine,
    build_shipment_confirmation,
    check_shipment,
)
from odoo.addons.acorn_amazon_vendor.lib.mapping.sscc import make_sscc
from odoo.addons.acorn_amazon_vendor.lib.simulator.catalogue import FULFILMENT_CENTRES

from . import documents

WAREHOUSE = Party("WH01", name="Acorn DC", street="1 Warehouse Way", city="Edison",
                  state_code="NJ", zip="08817", country_code="US")


class Packer:
    """Turns simulator PO items into neutral shipped lines and SSCC-labelled cartons."""

    def __init__(self):
        self.serials = itertools.count(1)

    def sscc(self):
        return make_sscc("0614141", 0, next(self.serials))

    @staticmethod
    def line(po, item, eaches):
        return ShippedLine(po.number, item.seq, item.asin, item.vendor_sku, eaches,
                           item.unit, item.unit_size)

    def cartons(self, po, quantities, **extra):
        """One carton per item: ``quantities`` maps item -> eaches."""
        return tuple(Carton(self.sscc(), (self.line(po, item, eaches),), Decimal("8.2"),
                            Decimal("40"), Decimal("30"), Decimal("30"), **extra)
                     for item, eaches in quantities.items())


def ship_to(po):
    fc = FULFILMENT_CENTRES[po.ship_to]
    return Party(po.ship_to, name=fc["name"], street=fc["addressLine1"], city=fc["city"],
                 state_code=fc["stateOrRegion"], zip=fc["postalCode"],
                 country_code=fc["countryCode"])


def shipment(sim, po, ident, cartons=(), pallets=(), **overrides):
    lines = {}
    for carton in list(cartons) + [c for p in pallets for c in p.cartons]:
        for line in carton.lines:
            lines[line.item_key] = (line, lines.get(line.item_key, (line, 0))[1]
                                    + line.quantity_eaches)
    values = {
        "identifier": ident, "transaction_type": "Original", "shipment_type": "LessThanTruckLoad",
        "ship_from": WAREHOUSE, "ship_to": ship_to(po), "selling_party_id": po.vendor_code,
        "shipped_at": sim.now() - datetime.timedelta(minutes=20),
        "estimated_delivery": sim.now() + datetime.timedelta(days=3),
        "carrier_scac": "ABFS", "pro_number": f"PRO{ident}", "bill_of_lading": f"BOL-{ident}",
        "loose_cartons": tuple(cartons), "pallets": tuple(pallets),
        "shipped_lines": tuple(dataclasses.replace(line, quantity_eaches=eaches)
                               for line, eaches in lines.values()),
    }
    values.update(overrides)
    return Shipment(**values)


def open_quantities(*pos):
    """What the caller passes as ``acknowledged``: accepted minus already shipped."""
    return {(po.number, item.seq): item.accepted - item.shipped
            for po in pos for item in po.items if item.accepted}


def acknowledge(sim, api, po):
    api.submit_acknowledgement(documents.acknowledgement(po, sim.now()))
    sim.settle()
    assert po.state == "Acknowledged"


def submit(sim, api, body):
    transaction = api.submit_shipment_confirmations(body)
    sim.settle()
    return api.get_transaction(transaction)


def new_pos(sim, count=1):
    """``count`` new, fully live USD POs of one vendor code to one fulfilment centre."""
    groups = {}
    for po in sim.state.order_list:
        if po.state == "New" and po.currency == "USD" and po.freight_terms == "Prepaid" \
                and not any(i.cancelled for i in po.items):
            groups.setdefault((po.vendor_code, po.ship_to), []).append(po)
    return next(pos[:count] for pos in groups.values() if len(pos) >= count)


def test_loose_cartons_asn_succeeds_and_closes_the_po(sim, api):
    po, = new_pos(sim)
    acknowledge(sim, api, po)
    packer = Packer()
    ship = shipment(sim, po, "MAP-1", packer.cartons(po, {i: i.accepted for i in po.items}))
    body = build_shipment_confirmation(ship, open_quantities(po), sim.now())
    status = submit(sim, api, body)
    assert status["status"] == "Success", status
    assert all(item.shipped == item.accepted for item in po.items)
    assert po.state == "Closed"
    assert zpl_many(labels_for_shipment(ship)).count("^XA") == len(po.items)


def test_partial_deliveries_of_one_po(sim, api):
    po, = new_pos(sim)
    acknowledge(sim, api, po)
    packer = Packer()
    first = {item: item.unit_size for item in po.items}  # one case (or one unit) of each
    body = build_shipment_confirmation(shipment(sim, po, "MAP-P1", packer.cartons(po, first)),
                                       open_quantities(po), sim.now())
    assert submit(sim, api, body)["status"] == "Success"
    assert po.state == "Acknowledged"
    # The rest, against what is still open after the first delivery.
    remaining = open_quantities(po)
    rest = {item: remaining[po.number, item.seq] for item in po.items
            if remaining[po.number, item.seq]}
    body = build_shipment_confirmation(shipment(sim, po, "MAP-P2", packer.cartons(po, rest)),
                                       remaining, sim.now())
    assert submit(sim, api, body)["status"] == "Success"
    assert po.state == "Closed"
    # Once more: the local check refuses what Vendor Central would refuse.
    again = shipment(sim, po, "MAP-P3", packer.cartons(po, first))
    assert any("acknowledged and not yet shipped" in p
               for p in check_shipment(again, open_quantities(po), sim.now()))
    with pytest.raises(ShipmentError):
        build_shipment_confirmation(again, open_quantities(po), sim.now())
    body = build_shipment_confirmation(again, dict.fromkeys(remaining, 10 ** 6), sim.now())
    status = submit(sim, api, body)
    assert status["status"] == "Failure"
    assert {e["code"] for e in status["errors"]} == {"ShippedQuantityExceedsAcknowledged"}


def test_several_pos_palletized_in_one_truck(sim, api):
    pos = new_pos(sim, 2)
    for po in pos:
        acknowledge(sim, api, po)
    packer = Packer()
    pallets = tuple(Pallet(packer.sscc(), packer.cartons(po, {i: i.accepted for i in po.items}),
                           Decimal("180"), Decimal("120"), Decimal("100"), Decimal("160"),
                           tiers=2, blocks=3)
                    for po in pos)
    ship = shipment(sim, pos[0], "MAP-T1", pallets=pallets, shipment_type="TruckLoad")
    body = build_shipment_confirmation(ship, open_quantities(*pos), sim.now())
    confirmation = body["shipmentConfirmations"][0]
    assert confirmation["shipmentStructure"] == "PalletizedStandardCase"
    assert {i["itemDetails"]["purchaseOrderNumber"] for i in confirmation["shippedItems"]} == \
        {po.number for po in pos}
    status = submit(sim, api, body)
    assert status["status"] == "Success", status
    assert [po.state for po in pos] == ["Closed", "Closed"]


def test_small_parcel_with_tracking_numbers(sim, api):
    po, = new_pos(sim)
    acknowledge(sim, api, po)
    packer = Packer()
    cartons = packer.cartons(po, {i: i.accepted for i in po.items})
    ship = shipment(sim, po, "MAP-S1", cartons, shipment_type="SmallParcel",
                    carrier_scac="UPSN", pro_number="", bill_of_lading="",
                    tracking_numbers=tuple(f"1Z999AA1{n:010d}" for n in range(len(cartons))))
    body = build_shipment_confirmation(ship, open_quantities(po), sim.now())
    assert submit(sim, api, body)["status"] == "Success"
