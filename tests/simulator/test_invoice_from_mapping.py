"""The invoice builder against the simulator: acknowledged and shipped POs, invoiced over the
real transport; a wrong net cost is caught locally and refused by "Amazon" alike."""
from decimal import Decimal

from odoo.addons.acorn_amazon_vendor.lib.mapping.invoice import (
    Invoice,
    InvoiceLine,
    Party,
    Tax,
    build_invoice,
    check_invoice,
)

from . import documents


def acknowledge_and_ship(sim, api, po, ident):
    api.submit_acknowledgement(documents.acknowledgement(po, sim.now()))
    sim.settle()
    api.submit_shipment_confirmations(documents.shipment_confirmation(po, sim.now(), ident))
    sim.settle()
    assert all(i.shipped == i.accepted for i in po.items)


def lines_for(pos, cost_delta=Decimal(0)):
    lines, n = [], 0
    for po in pos:
        for item in po.items:
            if not item.accepted:
                continue
            n += 1
            lines.append(InvoiceLine(
                n, po.number, item.asin, item.vendor_sku, item.quantity(item.accepted)["amount"],
                item.unit, item.unit_size, Decimal(item.net_cost) + cost_delta,
                po_item_sequence=item.seq))
    return tuple(lines)


def make_invoice(sim, pos, number, lines):
    currency = pos[0].currency
    net = sum((line.net_amount for line in lines), Decimal(0))
    return Invoice(
        number, "Invoice", sim.now(), currency,
        remit_to=Party(pos[0].vendor_code, "Acorn Trading Co. Ltd", "88 Keji Road",
                       city="Shenzhen", zip="518057", country_code="CN"),
        bill_to=Party(pos[0].bill_to_party["partyId"]), lines=lines,
        payment_terms={"type": "Basic", "net_due_days": 60},
        taxes=(Tax.compute("ST", Decimal("6.25"), net, currency),),
        po_dates={po.number: po.created for po in pos})


def status(sim, api, body):
    tid = api.submit_invoices(body)
    sim.settle()
    return api.get_transaction(tid)


def test_built_invoice_for_two_shipped_pos_succeeds_and_wrong_cost_fails(sim, api):
    pos = [po for po in sim.state.order_list
           if po.state == "New" and po.currency == "USD" and documents.prepaid(po)
           and not any(i.cancelled for i in po.items)]
    pos = [po for po in pos if po.vendor_code == pos[0].vendor_code][:2]
    assert len(pos) == 2
    for n, po in enumerate(pos):
        acknowledge_and_ship(sim, api, po, f"ASN-M{n}")
    costs = {(po.number, i.seq): Decimal(i.net_cost) for po in pos for i in po.items}
    shipped = {(po.number, i.seq): i.shipped for po in pos for i in po.items}

    good = make_invoice(sim, pos, "INV-M1", lines_for(pos))
    assert check_invoice(good, costs, shipped, now=sim.now()) == []
    result = status(sim, api, build_invoice(good, sim.now()))
    assert result["status"] == "Success", result
    assert all(i.invoiced == i.accepted for po in pos for i in po.items)

    wrong = make_invoice(sim, pos, "INV-M2", lines_for(pos, Decimal("0.01")))
    assert any("differs from the acknowledged purchase order cost" in p
               for p in check_invoice(wrong, costs, shipped))
    result = status(sim, api, build_invoice(wrong, sim.now()))  # the builder cannot know
    assert result["status"] == "Failure"
    assert "NetCostMismatch" in {e["code"] for e in result["errors"]}
