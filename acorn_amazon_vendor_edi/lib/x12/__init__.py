"""ANSI X12 codec for Amazon Vendor (1P) EDI: Amazon's SP-API JSON documents <-> X12 files.

Pure Python, no Odoo: every business check stays in the core addon's mapping; this package
only translates. Layers: ``syntax`` (separators, tokenizer, segment writer), ``interchange``
(ISA/GS/ST envelopes, counts and control numbers), one module per transaction set
(``ts850`` purchase order, ``ts860`` purchase order change, ``ts855`` acknowledgement,
``ts856`` ship notice (005010), ``ts810`` invoice, ``ts846`` inventory advice, ``ts997``
functional acknowledgment, ``ts820`` remittance). Each module's docstring names its sources
and what X12 cannot carry.

Every reader refuses the whole file with an EdiError naming segment and element; nothing is
returned half-read. Every writer honours the Envelope's separators and refuses a value that
contains one (X12 has no escape character).
"""
from ..envelope import EdiError, Envelope
from . import interchange as _ic
from . import syntax
from . import ta1, ts810, ts820, ts846, ts850, ts855, ts856, ts860, ts997
from .interchange import Group, Interchange, Transaction
from .ta1 import InterchangeAck
from .ts997 import AckResult


def _write(set_id, module, documents, envelope):
    if not isinstance(envelope, Envelope):
        raise EdiError("an Envelope is needed to write an interchange")
    bodies = []
    for index, document in enumerate(documents):
        if not isinstance(document, dict):
            raise EdiError(f"document {index} is not an object")
        bodies.append(module.write_body(document))
    return _ic.write(envelope, set_id, bodies)


def read_interchange(data, strict=True):
    """Any interchange of the sets above -> Interchange. ``strict=False`` keeps an error inside
    one transaction set on that transaction (``errors``) so a 997 can reject it alone."""
    return _ic.read(data, READERS, strict)


def split_by_set(data):
    """An interchange carrying sets of several kinds -> one interchange per kind
    (interchange.split_by_set)."""
    return _ic.split_by_set(data)


def _read(set_id, data, strict=True):
    return _ic.read(data, {set_id: READERS[set_id]}, strict)


# 850 -------------------------------------------------------------------------------------------
def write_purchase_orders(orders, envelope):
    """getPurchaseOrders ``orders`` (list of Order) -> one 850 per order, one interchange."""
    return _write("850", ts850, list(orders), envelope)


def read_purchase_orders(data, strict=True):
    return _read("850", data, strict)


# 860 -------------------------------------------------------------------------------------------
def write_purchase_order_changes(changes, envelope):
    """Neutral changes (see order_change) -> one 860 per change, one interchange (Amazon's
    side: the simulator)."""
    return _write("860", ts860, list(changes), envelope)


def read_purchase_order_changes(data, strict=True):
    return _read("860", data, strict)


# 855 -------------------------------------------------------------------------------------------
def write_acknowledgement(ack, envelope):
    """One element of submitAcknowledgement's ``acknowledgements`` -> an 855 interchange."""
    return _write("855", ts855, [ack], envelope)


def read_acknowledgement(data, strict=True):
    return _read("855", data, strict)


# 856 -------------------------------------------------------------------------------------------
def write_shipment_confirmation(sc, envelope):
    """One element of submitShipmentConfirmations' ``shipmentConfirmations`` -> an 856
    (005010) interchange."""
    return _write("856", ts856, [sc], envelope)


def read_shipment_confirmation(data, strict=True):
    return _read("856", data, strict)


# 810 -------------------------------------------------------------------------------------------
def write_invoice(invoice, envelope):
    """One element of submitInvoices' ``invoices`` -> an 810 interchange."""
    return _write("810", ts810, [invoice], envelope)


def read_invoice(data, strict=True):
    return _read("810", data, strict)


# 846 -------------------------------------------------------------------------------------------
def write_inventory(document, envelope):
    """One neutral inventory document (see ts846) -> an 846 interchange."""
    return _write("846", ts846, [document], envelope)


def read_inventory(data, strict=True):
    return _read("846", data, strict)


# 997 -------------------------------------------------------------------------------------------
def write_functional_ack(interchange, errors_by_transaction=None, envelope=None):
    """Our 997 for a received ``interchange``: one AK1 group per GS, AK2/AK5 per set, AK3/AK4
    per error. ``errors_by_transaction``: {ST02: [EdiError or text]} (business refusals from
    the core; errors read with ``strict=False`` are added). ``envelope``: our own control
    numbers and separators (by default the received envelope turned round, same numbers:
    pass the partner's counters in real use)."""
    if envelope is None:
        received = interchange.envelope()
        envelope = Envelope(
            sender_qualifier=received.receiver_qualifier, sender_id=received.receiver_id,
            receiver_qualifier=received.sender_qualifier, receiver_id=received.sender_id,
            interchange_control=received.interchange_control,
            group_control=received.group_control, test=received.test,
            sender_application=received.receiver_application,
            receiver_application=received.sender_application,
            element_separator=received.element_separator,
            component_separator=received.component_separator,
            segment_terminator=received.segment_terminator)
    # A partner that asked for it (ISA14 = 1) also gets the TA1 of the envelope, first.
    acks = [InterchangeAck(interchange.control_number, interchange.date, interchange.time,
                           "A", "000")] if interchange.acknowledgment_requested else []
    return _ic.write(envelope, "997", ts997.write_body(interchange, errors_by_transaction),
                     acks)


def read_interchange_acknowledgments(data):
    """The TA1s of an interchange (alone, or before its groups) -> [InterchangeAck]."""
    # a set that cannot be read is no concern of its envelope's TA1: kept on the set
    return _ic.read(data, READERS, strict=False).acknowledgments


def write_envelope_refusal(data, error, envelope):
    """Our TA1 rejecting a received interchange whose envelope cannot be read (``error``, the
    reader's EdiError), in an interchange of its own; None when not even its ISA control
    number, date and time can be read (nothing to answer)."""
    isa = syntax.raw_isa(data)
    if isa is None:
        return None
    control, date, time = isa[13].strip(), isa[9].strip(), isa[10].strip()
    if not (control.isdigit() and len(control) <= 9 and date.isdigit() and len(date) == 6
            and time.isdigit() and len(time) == 4):
        return None
    ack = InterchangeAck(int(control), date, time, "R", ta1.note_for(error))
    return _ic.write_acknowledgments(envelope, [ack])


def read_functional_ack(data):
    """A 997 -> [AckResult]: per transaction set acknowledged, its group/transaction control
    numbers, A/E/R and the errors in plain words naming segment and element."""
    interchange = _read("997", data)
    results = []
    for transaction in interchange.transactions:
        for result in transaction.document:
            result.acknowledgment_control = interchange.control_number
            results.append(result)
    return results


# 820 -------------------------------------------------------------------------------------------
def read_remittance(data):
    """An 820 interchange -> [Remittance] (the core's neutral structure, source ``edi``)."""
    return _read("820", data).documents


def write_remittance(remittances, envelope):
    """[Remittance] -> one 820 per remittance (the simulator's side)."""
    bodies = [ts820.write_body(r) for r in remittances]
    return _ic.write(envelope, "820", bodies)


READERS = {"850": ts850.read_body, "860": ts860.read_body, "855": ts855.read_body,
           "856": ts856.read_body, "810": ts810.read_body, "997": ts997.read_body,
           "820": ts820.read_body, "846": ts846.read_body}

__all__ = [
    "AckResult", "EdiError", "Group", "Interchange", "InterchangeAck", "Transaction",
    "read_acknowledgement", "read_functional_ack", "read_interchange",
    "read_interchange_acknowledgments", "read_inventory", "read_invoice",
    "read_purchase_order_changes", "read_purchase_orders", "read_remittance",
    "read_shipment_confirmation", "write_acknowledgement", "write_functional_ack",
    "write_inventory", "write_invoice", "write_envelope_refusal",
    "write_purchase_order_changes", "write_purchase_orders", "write_remittance",
    "write_shipment_confirmation",
]
