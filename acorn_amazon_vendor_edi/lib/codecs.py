"""One face for both standards, so the Odoo side never asks which one it holds: control
numbers, purchase orders, functional acknowledgements both ways, and the documents we send
(acknowledgement, shipment confirmation, invoice / credit note, inventory report)."""
import dataclasses
import re

from . import edifact, x12
from .envelope import EdiError

WRITERS = {"acknowledgement": "write_acknowledgement",
           "shipment_confirmation": "write_shipment_confirmation",
           "invoice": "write_invoice", "credit_note": "write_invoice",
           "inventory": "write_inventory"}
MESSAGE_TYPES = {
    "x12": {"purchase_order": "850", "purchase_order_change": "860",
            "acknowledgement": "855",
            "shipment_confirmation": "856", "invoice": "810", "credit_note": "810",
            "functional_ack": "997", "inventory": "846", "interchange_ack": "TA1"},
    "edifact": {"purchase_order": "ORDERS", "purchase_order_change": "ORDCHG",
                "acknowledgement": "ORDRSP",
                "shipment_confirmation": "DESADV", "invoice": "INVOIC",
                "credit_note": "INVOIC", "functional_ack": "CONTRL",
                "inventory": "INVRPT"},
}
MODULES = {"x12": x12, "edifact": edifact}


@dataclasses.dataclass(frozen=True)
class Answer:
    """Amazon's functional acknowledgement of one interchange we sent."""

    interchange_control: int
    accepted: bool
    errors: tuple = ()


@dataclasses.dataclass(frozen=True)
class ReceivedOrders:
    orders: tuple  # getPurchaseOrders-shaped dicts that were read (changes: neutral changes)
    controls: tuple  # their transaction / message control numbers
    refused: tuple  # (control, EdiError) of those that could not be read
    parsed: object  # the codec's interchange, for our acknowledgement
    keys: tuple = ()  # (group control, transaction control) of each order read (EDIFACT:
    # interchange and message references), the key of a refusal in write_answer (ST02 is
    # unique within its group only)


def _x12_received(parsed, read):
    """An X12 interchange read leniently -> ReceivedOrders, ``read`` turning each readable
    transaction's document into what is returned."""
    good = [(g, t) for g in parsed.groups for t in g.transactions if not t.errors]
    refused = tuple((t.control_number, t.errors[0]) for t in parsed.transactions if t.errors)
    return ReceivedOrders(tuple(read(t.document) for _g, t in good),
                          tuple(t.control_number for _g, t in good), refused, parsed,
                          tuple((g.control_number, t.control_number) for g, t in good))


def _text(data):
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    return data


def write_document(standard, kind, document, envelope):
    return getattr(MODULES[standard], WRITERS[kind])(document, envelope)


def interchange_control(standard, data):
    """ISA13 / UNB05 of a file, read from its header alone (also for a file that cannot be read
    whole, so that its duplicates are still recognised)."""
    if standard == "x12":
        isa = x12.syntax.raw_isa(data)
        if isa is None:
            raise EdiError("the ISA header is incomplete", segment="ISA", position=1)
        if not isa[13].strip().isdigit():
            raise EdiError("the interchange control number is not a number", segment="ISA",
                           element=13, position=1)
        return int(isa[13])
    text = _text(data).lstrip("\ufeff \r\n\t")
    header = edifact.contrl._header_of(text)
    reference = (header.reference or "").strip()
    if not reference:
        raise EdiError("the interchange reference is missing", segment="UNB", element=5)
    return int(reference) if reference.isdigit() else reference


def interchange_sender(standard, data):
    """"qualifier:id" of the sender of a file (ISA05/06, UNB sender), read from its header
    alone, with " (test)" for a test interchange (ISA15 T, UNB11 1): a sender numbering its
    test and production files apart under one id; "" when it cannot be read."""
    if standard == "x12":
        isa = x12.syntax.raw_isa(data)
        if not isa:
            return ""
        test = len(isa) > 15 and isa[15].strip() == "T"
        return f"{isa[5].strip()}:{isa[6].strip()}" + (" (test)" if test else "")
    try:
        header = edifact.contrl._header_of(_text(data).lstrip("\ufeff \r\n\t"))
    except EdiError:
        return ""
    return (f"{(header.sender_qualifier or '').strip()}:{(header.sender_id or '').strip()}"
            + (" (test)" if header.test else ""))


def split_by_kind(standard, data):
    """[bytes]: a file cut into one interchange per kind of document it carries (X12: by the
    sets of its groups; EDIFACT: by message type); a file of one kind whole."""
    if standard != "x12":
        return [part for _type, part in edifact.split_by_message_type(data)]
    return [part for _set_id, part in x12.split_by_set(data)]


def read_purchase_orders(standard, data):
    """Every readable purchase order of a file. X12 keeps a broken 850 apart (answered as
    rejected) and reads the others; an envelope error, or any error in EDIFACT, refuses the
    whole file (EdiError)."""
    if standard == "x12":
        return _x12_received(x12.read_purchase_orders(data, strict=False), lambda order: order)
    parsed = edifact.read_purchase_orders(data)
    return ReceivedOrders(tuple(m.document for m in parsed.messages),
                          tuple(m.reference for m in parsed.messages), (), parsed)


def read_purchase_order_changes(standard, data):
    """Every readable purchase order change of a file, as ReceivedOrders whose ``orders`` are
    neutral changes (see order_change). X12 860: a broken one is kept apart and answered as
    rejected; one without a BCH11 date is dated by the interchange (ISA09/10). EDIFACT
    ORDCHG: any error refuses the whole file (EdiError)."""
    if standard != "x12":
        parsed = edifact.read_purchase_order_changes(data)
        references = tuple(m.reference for m in parsed.messages)
        return ReceivedOrders(tuple(m.document for m in parsed.messages), references, (),
                              parsed, tuple((parsed.reference, r) for r in references))
    parsed = x12.read_purchase_order_changes(data, strict=False)
    moment = None
    if re.fullmatch(r"\d{6}", parsed.date or "") and re.fullmatch(r"\d{4}", parsed.time or ""):
        moment = (f"20{parsed.date[:2]}-{parsed.date[2:4]}-{parsed.date[4:]}T"
                  f"{parsed.time[:2]}:{parsed.time[2:]}:00Z")
    return _x12_received(parsed, lambda change: dict(
        change, purchaseOrderChangedDate=change["purchaseOrderChangedDate"] or moment))


def read_answers(standard, data):
    """Amazon's 997 / CONTRL -> one Answer per interchange of ours it acknowledges."""
    if standard == "x12":
        by_group = {}
        for result in x12.read_functional_ack(data):
            accepted, errors = by_group.get(result.group_control, (True, []))
            by_group[result.group_control] = (
                accepted and result.accepted,
                errors + [str(e) for e in result.errors])
        # Our interchanges carry the same number in ISA13 and GS06.
        return [Answer(int(group), accepted, tuple(errors))
                for group, (accepted, errors) in by_group.items()]
    answers = []
    for message in edifact.read_control(data).messages:
        result = message.document
        errors = [e["text"] for e in result["errors"]]
        for answered in result["messages"]:
            errors += [f"{answered['reference']}: {e['text']}" for e in answered["errors"]]
        reference = str(result["interchangeReference"]).strip()
        answers.append(Answer(int(reference) if reference.isdigit() else reference,
                              bool(result["accepted"]), tuple(errors)))
    return answers


def read_interchange_acks(standard, data):
    """Amazon's TA1s (X12 only: EDIFACT answers its envelope in CONTRL) -> one Answer per
    interchange of ours whose envelope Amazon refused or received; ``accepted`` says the
    envelope was received (its 997 still settles the documents inside)."""
    if standard != "x12":
        return []
    return [Answer(ack.interchange_control, ack.accepted, (ack.text(),) if ack.text() else ())
            for ack in x12.read_interchange_acknowledgments(data)]


def write_envelope_refusal(standard, data, error, envelope):
    """Our answer to an X12 file whose envelope cannot be read: a TA1 rejecting it (None when
    its header cannot even be read, or for EDIFACT, whose CONTRL answers the envelope)."""
    if standard != "x12":
        return None
    return x12.write_envelope_refusal(data, error, envelope)


def write_answer(standard, received, data, envelope, error=None, refused=None):
    """Our functional acknowledgement of a file from Amazon. ``received``: what
    read_purchase_orders returned, or None for any other file: accepted whole, or refused
    whole when ``error`` says why it could not be read. ``refused``: {ReceivedOrders key:
    EdiError} of documents read but refused by what they ask (X12: rejected alone in the
    997; a CONTRL answers the syntax only, so EDIFACT refusals are said in Odoo alone)."""
    if standard == "x12":
        if received is None:
            # Read again, leniently, for the groups and sets to answer (an envelope that
            # cannot be read has none: the EdiError goes up).
            parsed = x12.read_interchange(data, strict=False)
            errors = {t.control_number: [error] for t in parsed.transactions} if error \
                else None
            return x12.write_functional_ack(parsed, errors, envelope=envelope)
        return x12.write_functional_ack(received.parsed, {
            control: [problem] for control, problem in (refused or {}).items()} or None,
            envelope=envelope)
    if received is None:
        return edifact.write_control(data, error is None, [error] if error else [],
                                     envelope=envelope)
    return edifact.write_control(received.parsed, True, [], envelope=envelope)
