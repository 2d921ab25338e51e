"""CONTRL syntax and service report (ISO 9735 v3, ``CONTRL:D:3:UN``), both ways.

Layout::

    UCI+<interchange reference>+<its sender>:<q>+<its recipient>:<q>+7 (accepted) | 4 (rejected)
        [+<syntax error code>+<service segment tag>+<element>:<component>]
    UCM+<message reference>+<type>:<version>:<release>:<agency>:<association>+7|4
        [+<error code>+<segment tag>+<element>:<component>]
    UCS+<segment position in the message>+<error code>     (segment error)
    UCD+<error code>+<element>:<component>                 (element error)

``write_control(interchange, accepted, errors, envelope=None)``: ``interchange`` is what
``read_*`` returned, or the raw bytes of a file that could not be read (its UNB is then read on
its own, best effort); ``errors`` are ``EdiError`` (their ``message_reference`` attribute, set
by the readers, places them under a UCM) or dicts with ``message_reference``, ``segment``,
``position``, ``element``, ``component``, ``code``. ``envelope``: ours for the answer; when
omitted, the received one with sender and recipient swapped (pass ours to keep our own
interchange references increasing).

``read_control(data)`` -> Interchange whose messages' ``document`` is::

    {"interchangeReference", "sender", "recipient", "accepted", "action", "errors": [...],
     "messages": [{"reference", "type", "accepted", "action", "errors": [...]}]}

each error ``{"code", "text", "segment", "position", "element", "component", "where"}`` with
``text`` in plain words naming segment and element.

Sources: ISO 9735 syntax v3 CONTRL message and data element 0085 (syntax error codes), 0083
(action: 4 rejected, 7 acknowledged, 8 received). EANCOM's CONTRL subset association code and
Amazon's use of UCS/UCD were not confirmed; we read CONTRL D:3, 2:2 and 4:1.
"""
import re

from ..envelope import EdiError, Envelope
from .envelope import SYNTAX_ERRORS, Interchange, read_interchange, tokenize, write_interchange

IDENTIFIER = ("CONTRL", "D", "3", "UN")
ACCEPTED = [("D", "3", "UN", "*"), ("2", "2", "UN", "*"), ("4", "1", "UN", "*")]


def _error_dict(error):
    if isinstance(error, EdiError):
        return {"message_reference": getattr(error, "message_reference", None),
                "segment": error.segment, "position": error.position,
                "element": error.element, "component": None, "code": error.code or "18"}
    return dict(error)


def _header_of(data):
    """The UNB of a file that could not be read whole."""
    try:
        _una, segments = tokenize(data.decode("latin-1") if isinstance(data, bytes) else data)
    except EdiError:
        segments = []
    unb = segments[0] if segments and segments[0].tag == "UNB" else None
    if unb is None:
        text = data.decode("latin-1") if isinstance(data, bytes) else data
        match = re.search(r"UNB.[^']*", text)
        raise EdiError("no readable UNB to acknowledge" + (f" ({match.group(0)[:60]})"
                                                           if match else ""), segment="UNB")
    return Interchange(syntax="", sender_id=unb.text(2, 1), sender_qualifier=unb.text(2, 2),
                       receiver_id=unb.text(3, 1), receiver_qualifier=unb.text(3, 2),
                       prepared_at=None, reference=unb.text(5), test=unb.text(11) == "1")


def write_control(interchange, accepted, errors=(), envelope=None):
    if isinstance(interchange, bytes | str):
        interchange = _header_of(interchange)
    errors = [_error_dict(e) for e in errors or []]
    if envelope is None:
        envelope = Envelope(
            sender_qualifier=interchange.receiver_qualifier, sender_id=interchange.receiver_id,
            receiver_qualifier=interchange.sender_qualifier, receiver_id=interchange.sender_id,
            interchange_control=int(interchange.reference)
            if interchange.reference.isdigit() else 1, group_control=0, test=interchange.test)
    action = "7" if accepted else "4"
    top = [e for e in errors if not e.get("message_reference")]
    uci = [interchange.reference, [interchange.sender_id, interchange.sender_qualifier],
           [interchange.receiver_id, interchange.receiver_qualifier], action]
    interchange_level = [e for e in top if e.get("segment", "") in ("UNA", "UNB", "UNZ", None)
                         or not e.get("position")]
    if interchange_level and not accepted:
        e = interchange_level[0]
        uci += [e.get("code") or "18", e.get("segment") or "",
                [e.get("element") or "", e.get("component") or ""]]
    body = [("UCI", uci)]
    by_message = {}
    for e in errors:
        if e.get("message_reference"):
            by_message.setdefault(e["message_reference"], []).append(e)
    for message in getattr(interchange, "messages", []) or []:
        by_message.setdefault(message.reference, [])
    types = {m.reference: m.identifier for m in getattr(interchange, "messages", []) or []}
    for reference, errs in by_message.items():
        ok = accepted and not errs
        identifier = types.get(reference, "")
        ucm = [reference, identifier.split(":") if identifier else "", "7" if ok else "4"]
        body.append(("UCM", ucm))
        for e in errs:
            if e.get("segment") in ("UNH", "UNT"):
                ucm += [e.get("code") or "18", e["segment"],
                        [e.get("element") or "", e.get("component") or ""]]
                continue
            if e.get("position"):
                body.append(("UCS", [e["position"], e.get("code") or "18"]))
                if e.get("element"):
                    body.append(("UCD", [e.get("code") or "18",
                                         [e["element"], e.get("component") or ""]]))
    return write_interchange(envelope, [(IDENTIFIER, body)])


def _error(code, segment="", position=None, element=None, component=None):
    words = SYNTAX_ERRORS.get(code, f"syntax error {code}") if code else "rejected"
    where = segment or ""
    if element:
        where += f"{int(element):02d}"
        if component:
            where += f".{component}"
    if position:
        where += f" (segment {position})"
    text = f"{where}: {words}" if where else words
    return {"code": code, "text": text, "segment": segment or None, "position": position,
            "element": element, "component": component, "where": where}


def _int(value):
    return int(value) if value and value.isdigit() else None


def parse(segs):
    uci = next((s for s in segs if s.tag == "UCI"), None)
    if uci is None:
        raise EdiError("the interchange response (UCI) is missing", segment="UCI", code="13")
    action = uci.required(4, 1, "action")
    if action not in ("4", "7", "8"):
        raise uci.error(f"action {action!r} is not 4, 7 or 8", 4, code="14")
    result = {"interchangeReference": uci.required(1, 1, "interchange reference"),
              "sender": uci.text(2, 1), "recipient": uci.text(3, 1),
              "accepted": action in ("7", "8"), "action": action, "errors": [],
              "messages": []}
    if uci.text(5):
        result["errors"].append(_error(uci.text(5), uci.text(6), None, _int(uci.text(7, 1)),
                                       _int(uci.text(7, 2))))
    current = None
    segment_at = None
    for seg in segs:
        if seg.tag == "UCM":
            act = seg.required(3, 1, "message action")
            current = {"reference": seg.required(1, 1, "message reference"),
                       "type": seg.text(2, 1), "accepted": act in ("7", "8"), "action": act,
                       "errors": []}
            result["messages"].append(current)
            if seg.text(4):
                current["errors"].append(_error(seg.text(4), seg.text(5), None,
                                                _int(seg.text(6, 1)), _int(seg.text(6, 2))))
            segment_at = None
        elif seg.tag == "UCS":
            if current is None:
                raise seg.error("segment error (UCS) outside a message response (UCM)",
                                code="15")
            segment_at = {"position": _int(seg.required(1, 1, "segment position"))}
            if seg.text(2):
                current["errors"].append(_error(seg.text(2), "", segment_at["position"]))
        elif seg.tag == "UCD":
            if current is None or segment_at is None:
                raise seg.error("element error (UCD) outside a segment error (UCS)",
                                code="15")
            current["errors"].append(_error(seg.required(1, 1, "error code"), "",
                                            segment_at["position"], _int(seg.text(2, 1)),
                                            _int(seg.text(2, 2))))
    if any(not m["accepted"] for m in result["messages"]):
        result["accepted"] = False
    return result


def read_control(data):
    return read_interchange(data, {"CONTRL": (ACCEPTED, parse)})
