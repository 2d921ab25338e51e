"""UN/EDIFACT D96A (EANCOM subsets) codec for Amazon EU's EDI channel.

It converts between Amazon's SP-API JSON documents and EDIFACT interchanges, so every business
check stays in ``acorn_amazon_vendor/lib/mapping``. Same names as the X12 codec:

- ``write_purchase_orders(orders, envelope)`` / ``read_purchase_orders(data)``: ORDERS, one
  message per ``Order`` of getPurchaseOrders.
- ``write_purchase_order_changes(changes, envelope)`` / ``read_purchase_order_changes(data)``:
  ORDCHG, one message per neutral change (``..order_change``).
- ``write_acknowledgement(ack, envelope)`` / ``read_acknowledgement(data)``: ORDRSP, one
  element of submitAcknowledgement's ``acknowledgements``.
- ``write_shipment_confirmation(sc, envelope)`` / ``read_shipment_confirmation(data)``:
  DESADV, one element of submitShipmentConfirmations' ``shipmentConfirmations``.
- ``write_invoice(invoice, envelope)`` / ``read_invoice(data)``: INVOIC, one element of
  submitInvoices' ``invoices``.
- ``write_inventory(document, envelope)`` / ``read_inventory(data)``: INVRPT, the neutral
  inventory document described in ``..x12.ts846``.
- ``write_control(interchange, accepted, errors)`` / ``read_control(data)``: CONTRL syntax
  acknowledgement (aliases ``write_functional_ack`` / ``read_functional_ack``).
- ``read(data)``: any of the above, by message type.

Every ``read_*`` returns an ``Interchange`` (``messages[i].document`` is the API document) or
raises ``EdiError`` naming segment and element, with ``interchange_reference`` and
``message_reference`` attributes where known; nothing is returned from a file it refuses.
Writers take several documents where the signature says so and return the file's bytes.
"""
from ..envelope import EdiError
from . import contrl, desadv, invoic, invrpt, ordchg, orders, ordrsp
from .contrl import read_control, write_control
from .envelope import (
    Interchange,
    Message,
    cut_by_message_type,
    read_interchange,
    write_interchange,
)

READERS = {
    "ORDERS": (orders.ACCEPTED, orders.parse),
    "ORDCHG": (ordchg.ACCEPTED, ordchg.parse),
    "ORDRSP": (ordrsp.ACCEPTED, ordrsp.parse),
    "DESADV": (desadv.ACCEPTED, desadv.parse),
    "INVOIC": (invoic.ACCEPTED, invoic.parse),
    "INVRPT": (invrpt.ACCEPTED, invrpt.parse),
    "CONTRL": (contrl.ACCEPTED, contrl.parse),
}


def _write(module, documents, envelope):
    return write_interchange(envelope, [(module.IDENTIFIER, module.build(d))
                                        for d in documents])


def _read(data, *types):
    return read_interchange(data, {t: READERS[t] for t in types})


def write_purchase_orders(orders_, envelope):
    """ORDERS interchange, one message per order (used by the simulator)."""
    return _write(orders, orders_, envelope)


def read_purchase_orders(data):
    return _read(data, "ORDERS")


def write_purchase_order_changes(changes, envelope):
    """ORDCHG interchange, one message per change (used by the simulator)."""
    return _write(ordchg, changes, envelope)


def read_purchase_order_changes(data):
    return _read(data, "ORDCHG")


def write_acknowledgement(ack, envelope):
    return _write(ordrsp, [ack], envelope)


def write_acknowledgements(acks, envelope):
    return _write(ordrsp, acks, envelope)


def read_acknowledgement(data):
    return _read(data, "ORDRSP")


def write_shipment_confirmation(sc, envelope):
    return _write(desadv, [sc], envelope)


def read_shipment_confirmation(data):
    return _read(data, "DESADV")


def write_invoice(invoice, envelope):
    return _write(invoic, [invoice], envelope)


def read_invoice(data):
    return _read(data, "INVOIC")


def write_inventory(document, envelope):
    return _write(invrpt, [document], envelope)


def read_inventory(data):
    return _read(data, "INVRPT")


def split_by_message_type(data):
    """[(message type, bytes)]: an interchange of several message types as one interchange per
    type (envelope.cut_by_message_type), each read and answered on its own; whole when it
    holds one type, or when any part could not be read (one answer refuses the file, never
    one accepting and one refusing the same interchange)."""
    parts = cut_by_message_type(data)
    if len(parts) > 1:
        try:
            for _kind, part in parts:
                read(part)
        except EdiError:
            return [(parts[0][0], data)]
    return parts


def read(data):
    """Any message type this codec reads (one type or several in one interchange)."""
    return read_interchange(data, READERS)


write_functional_ack = write_control
read_functional_ack = read_control

__all__ = [
    "Interchange", "Message", "read", "read_acknowledgement", "read_control",
    "read_functional_ack", "read_inventory", "read_invoice", "read_purchase_order_changes",
    "read_purchase_orders", "read_shipment_confirmation", "split_by_message_type",
    "write_acknowledgement", "write_acknowledgements",
    "write_control", "write_functional_ack", "write_inventory", "write_invoice",
    "write_purchase_order_changes", "write_purchase_orders", "write_shipment_confirmation",
]
