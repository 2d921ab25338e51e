"""Per-line decisions -> Amazon SubmitAcknowledgementRequest, checked against Amazon's model.

A decision is made in eaches; Amazon wants the acknowledged quantity in the PO's own unit
(Cases x unitSize or Eaches), so a Cases line can only be split into whole cases.
"""
import dataclasses
import datetime

from .. import amazon_schema
from ..amazon_dates import iso

CODES = ("Accepted", "Backordered", "Rejected")
REJECTION_REASONS = ("TemporarilyUnavailable", "InvalidProductIdentifier", "ObsoleteProduct")


class AcknowledgementError(ValueError):
    """The decisions cannot be acknowledged as they are (plain-language message)."""


@dataclasses.dataclass(frozen=True)
class Part:
    code: str
    quantity_eaches: int
    rejection_reason: str = ""
    scheduled_ship: datetime.datetime | None = None
    scheduled_delivery: datetime.datetime | None = None


@dataclasses.dataclass(frozen=True)
class ItemDecision:
    item: object  # purchase_order.Item
    parts: tuple


def _quantity(item, eaches):
    if item.unit_of_measure == "Cases":
        if eaches % item.unit_size:
            raise AcknowledgementError(
                f"item {item.sequence}: {eaches} units is not a whole number of cases of "
                f"{item.unit_size}")
        return {"amount": eaches // item.unit_size, "unitOfMeasure": "Cases",
                "unitSize": item.unit_size}
    return {"amount": eaches, "unitOfMeasure": "Eaches", "unitSize": 1}


def check_decision(decision):
    """Amazon's rules, checked before anything is sent."""
    item = decision.item
    total = sum(p.quantity_eaches for p in decision.parts)
    if total != item.quantity_eaches:
        raise AcknowledgementError(
            f"item {item.sequence}: accepted + backordered + rejected = {total}, "
            f"but Amazon ordered {item.quantity_eaches}")
    for part in decision.parts:
        if part.code not in CODES:
            raise AcknowledgementError(f"item {item.sequence}: unknown code {part.code!r}")
        if part.quantity_eaches < 0:
            raise AcknowledgementError(f"item {item.sequence}: negative quantity")
        if part.code == "Backordered":
            if not item.backorder_allowed:
                raise AcknowledgementError(
                    f"item {item.sequence}: Amazon does not allow a backorder on this item")
            if not (part.scheduled_ship and part.scheduled_delivery):
                raise AcknowledgementError(
                    f"item {item.sequence}: a backorder needs scheduled ship and delivery dates")
        if part.code == "Rejected" and part.rejection_reason not in REJECTION_REASONS:
            raise AcknowledgementError(f"item {item.sequence}: a rejection needs a reason")


def build_acknowledgement(order, decisions, acknowledged_at, selling_party_id=None):
    """The body of submitAcknowledgement for one purchase order.

    Each item is acknowledged once: an item repeating an itemSequenceNumber of the same order
    (Amazon sent it twice) is never acknowledged; a second decision for one item is refused.
    """
    items, seen = [], set()
    for decision in decisions:
        check_decision(decision)
        item = decision.item
        key = item.sequence.lstrip("0") or "0"
        if item.duplicate or key in seen:
            raise AcknowledgementError(
                f"item {item.sequence}: Amazon sent this item sequence number more than once; "
                "it can only be acknowledged once")
        seen.add(key)
        parts = []
        for part in decision.parts:
            if not part.quantity_eaches:
                continue
            entry = {"acknowledgementCode": part.code,
                     "acknowledgedQuantity": _quantity(item, part.quantity_eaches)}
            if part.scheduled_ship:
                entry["scheduledShipDate"] = iso(part.scheduled_ship)
            if part.scheduled_delivery:
                entry["scheduledDeliveryDate"] = iso(part.scheduled_delivery)
            if part.code == "Rejected":
                entry["rejectionReason"] = part.rejection_reason
            parts.append(entry)
        if not parts:  # a cancelled item (quantity 0) is acknowledged as rejected zero
            continue
        line = {
            "itemSequenceNumber": item.sequence,
            "orderedQuantity": {"amount": item.ordered_amount,
                                "unitOfMeasure": item.unit_of_measure,
                                "unitSize": item.unit_size},
            "itemAcknowledgements": parts,
        }
        if item.asin:
            line["amazonProductIdentifier"] = item.asin
        if item.vendor_sku:
            line["vendorProductIdentifier"] = item.vendor_sku
        if item.net_cost is not None:
            line["netCost"] = {"currencyCode": item.currency, "amount": f"{item.net_cost}"}
            if item.cost_unit:  # a cost per weight unit is confirmed as such
                line["netCost"]["unitOfMeasure"] = item.cost_unit
        if item.list_price is not None:
            line["listPrice"] = {"currencyCode": item.currency, "amount": f"{item.list_price}"}
        items.append(line)
    if not items:
        raise AcknowledgementError(f"{order.number}: nothing to acknowledge")
    selling_party_id = selling_party_id or order.selling_party.party_id
    if not selling_party_id:
        raise AcknowledgementError(f"{order.number}: the order names no selling party: set "
                                   f"the account's vendor code")
    body = {"acknowledgements": [{
        "purchaseOrderNumber": order.number,
        "sellingParty": {"partyId": selling_party_id},
        "acknowledgementDate": iso(acknowledged_at),
        "items": items,
    }]}
    errors = amazon_schema.validate("vendor_orders_v1", "SubmitAcknowledgementRequest", body)
    if errors:
        raise AcknowledgementError("; ".join(errors))
    return body


def confirmation_rate(decisions):
    """Share of ordered units accepted or backordered (Amazon's confirmation rate)."""
    ordered = sum(d.item.quantity_eaches for d in decisions)
    confirmed = sum(p.quantity_eaches for d in decisions for p in d.parts
                    if p.code in ("Accepted", "Backordered"))
    return confirmed / ordered if ordered else 1.0
