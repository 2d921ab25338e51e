"""EDIFACT syntax and interchange envelope (ISO 9735 syntax version 3, as EANCOM D96A uses it).

Writing: ``UNA:+.? '`` service string advice, ``UNB`` (syntax ``UNOC:3`` = ISO 8859-1, sender
and recipient with their code qualifiers, e.g. ``14`` = GS1 GLN, interchange reference, test
indicator ``UNB11 = 1``), one ``UNH``/``UNT`` pair per message, ``UNZ``. Tokenising, escapes
(release character ``?``) and serialising are pydifact's (MIT, pinned in requirements);
everything structural (counts, references, message identifiers, mandatory segments) is checked
here, and a file that breaks any rule is refused whole with an ``EdiError`` naming the segment
(tag, 1-based position in its message, or in the interchange for service segments) and the
element.

Sources: ISO 9735 / UN/EDIFACT syntax rules (UNA, UNB/UNZ, UNH/UNT, release character), GS1
EANCOM 1997 (D96A subsets). Amazon EU's own message implementation guides (distributed to
vendors in Vendor Central, not public) were not available when this was written: details below
that go beyond the EDIFACT/EANCOM standard are marked "not confirmed against Amazon's guide".
UNOC:3 (Latin-1) rather than UNOA is our choice (addresses carry accents); not confirmed.
"""
import dataclasses
import datetime
import re
from decimal import Decimal, InvalidOperation

from pydifact.control import Characters
from pydifact.exceptions import EDISyntaxError
from pydifact.parser import Parser, TokenIterator
from pydifact.segments import Segment
from pydifact.serializer import Serializer
from pydifact.tokenizer import Tokenizer

from ..envelope import EdiError, Envelope

SYNTAX = "UNOC"
SYNTAX_VERSION = "3"
# Character set of each syntax identifier we accept on reading.
ENCODINGS = {"UNOA": "ascii", "UNOB": "ascii", "UNOC": "latin-1", "UNOD": "iso8859-2",
             "UNOE": "iso8859-5", "UNOF": "iso8859-7", "UNOW": "utf-8", "UNOY": "utf-8"}
X12_DEFAULTS = ("*", ">", "~")

# CONTRL syntax error codes (ISO 9735 data element 0085) used in our errors.
SYNTAX_ERRORS = {
    "2": "syntax version or level not supported",
    "7": "interchange recipient is not the actual recipient",
    "12": "invalid value",
    "13": "missing",
    "14": "value not supported in this position",
    "15": "not supported in this position",
    "16": "too many constituents",
    "17": "no agreement",
    "18": "unspecified error",
    "19": "invalid decimal notation",
    "20": "character invalid as service character",
    "21": "invalid character(s)",
    "22": "invalid service character(s)",
    "23": "unknown interchange sender",
    "25": "test indicator not supported",
    "26": "duplicate detected",
    "28": "references do not match",
    "29": "control count does not match number of instances received",
    "32": "lower level empty",
    "33": "invalid occurrence outside message, package or group",
    "35": "too many repetitions",
    "37": "invalid type of character(s)",
    "39": "data element too long",
    "40": "data element too short",
}


@dataclasses.dataclass
class Message:
    """One UNH..UNT message: its reference (UNH01 = UNT02), type and identifier."""

    reference: str
    type: str  # UNH02.1, e.g. ORDERS
    identifier: str  # the whole UNH02, e.g. ORDERS:D:96A:UN:EAN008
    document: object = None  # the API document (dict) or the CONTRL result
    segment_count: int = 0  # UNT01


@dataclasses.dataclass
class Interchange:
    """One UNB..UNZ interchange as read (or about to be written)."""

    syntax: str  # UNB01, e.g. UNOC:3
    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    prepared_at: datetime.datetime  # UNB04 (no time zone in EDIFACT: taken as UTC)
    reference: str  # UNB05 interchange control reference (UNZ02)
    test: bool  # UNB11 = 1
    application_reference: str = ""  # UNB07
    characters: str = ":+.? '"  # UNA (or the defaults)
    messages: list = dataclasses.field(default_factory=list)

    @property
    def documents(self):
        return [m.document for m in self.messages]

    def envelope(self):
        """The Envelope this interchange came under (interchange_control = UNB05 when numeric,
        else 0; EDIFACT has no group control number: 0)."""
        chars = self.characters
        return Envelope(
            sender_qualifier=self.sender_qualifier, sender_id=self.sender_id,
            receiver_qualifier=self.receiver_qualifier, receiver_id=self.receiver_id,
            interchange_control=int(self.reference) if self.reference.isdigit() else 0,
            group_control=0, test=self.test, element_separator=chars[1],
            component_separator=chars[0], segment_terminator=chars[5],
            prepared_at=self.prepared_at)


# -- reading helpers --------------------------------------------------------------------------

class Seg:
    """A read segment: ``text(2, 1)`` is element 2 component 1 (1-based, after the tag)."""

    __slots__ = ("tag", "elements", "position", "decimal")

    def __init__(self, tag, elements, position, decimal="."):
        self.tag = tag
        self.elements = elements
        self.position = position
        self.decimal = decimal

    def __repr__(self):
        return f"{self.tag}{self.elements}@{self.position}"

    def text(self, element, component=1):
        if element > len(self.elements):
            return ""
        parts = self.elements[element - 1]
        return parts[component - 1] if component <= len(parts) else ""

    def error(self, message, element=None, code="12"):
        return EdiError(message, segment=self.tag, position=self.position, element=element,
                        code=code)

    def required(self, element, component=1, what="value"):
        value = self.text(element, component)
        if value == "":
            where = f"{self.tag}{element:02d}" + (f".{component}" if component > 1 else "")
            raise self.error(f"{what} ({where}) is missing", element, code="13")
        return value

    def number(self, element, component=1, what="number"):
        """A numeric value as an exact decimal string ('.' as decimal mark), '' if absent."""
        value = self.text(element, component)
        if value == "":
            return ""
        if self.decimal != "." and self.decimal in value:
            value = value.replace(self.decimal, ".")
        if not re.fullmatch(r"-?\d+(\.\d+)?|-?\.\d+", value):
            raise self.error(f"{what} {value!r} is not a number", element, code="19")
        if value.startswith((".", "-.")):
            value = value.replace(".", "0.", 1)
        return value

    def integer(self, element, component=1, what="quantity"):
        value = self.number(element, component, what)
        if value == "":
            return None
        try:
            number = Decimal(value)
        except InvalidOperation as exc:  # pragma: no cover - the pattern already checked
            raise self.error(f"{what} {value!r} is not a number", element, code="19") from exc
        if number != number.to_integral_value():
            raise self.error(f"{what} {value!r} is not a whole number", element)
        return int(number)


def _decode(data):
    if isinstance(data, str):
        return data
    if not isinstance(data, bytes | bytearray):
        raise EdiError("an EDIFACT file is bytes or text")
    # UNA/UNB are ASCII in every syntax: read the syntax identifier first, then decode.
    head = bytes(data[:200]).decode("latin-1")
    match = re.search(r"UNB.(UNO[A-Z])", head)
    encoding = ENCODINGS.get(match.group(1), "latin-1") if match else "latin-1"
    try:
        return bytes(data).decode(encoding)
    except UnicodeDecodeError as exc:
        raise EdiError(f"the file is not valid {match.group(1) if match else 'text'} "
                       f"({encoding}) at byte {exc.start}", segment="UNB", element=1,
                       code="21") from exc


def _characters(text):
    """(characters, rest of text) from the UNA, or the defaults when there is none."""
    if text.startswith("UNA"):
        if len(text) < 9:
            raise EdiError("the UNA service string advice is cut short (6 characters "
                           "expected after UNA)", segment="UNA", position=1, code="22")
        una = text[3:9]
        component, data, decimal, release, _reserved, terminator = una
        service = (component, data, release, terminator)
        if len(set(service)) != 4 or any(c.isalnum() or c in "\r\n" for c in service):
            raise EdiError(f"the UNA service characters {una!r} are not four distinct "
                           "non-alphanumeric characters", segment="UNA", position=1, code="22")
        if decimal not in ".,":
            raise EdiError(f"the UNA decimal mark {decimal!r} is neither '.' nor ','",
                           segment="UNA", position=1, element=3, code="22")
        rest = text[9:].lstrip("\r\n")
        if not rest.startswith("UNB"):
            raise EdiError("the UNA is not followed by UNB (wrong separators or not an "
                           "EDIFACT interchange)", segment="UNA", position=1, code="22")
        return una, Characters.from_str("UNA" + una), rest
    if not text.startswith("UNB"):
        raise EdiError("not an EDIFACT interchange: the file starts neither with UNA nor "
                       "with UNB", segment="UNB", position=1, code="13")
    chars = Characters()
    chars.decimal_point = "."
    return str(chars), chars, text


def tokenize(text):
    """[(tag, [[components]])] of every segment, via pydifact's tokenizer."""
    text = text.lstrip("\ufeff\r\n\t ")
    una, chars, body = _characters(text)
    tokens = TokenIterator(Tokenizer().get_tokens(body.rstrip("\r\n\t "), chars))
    raw = []
    try:
        for elements in Parser().convert_tokens_to_raw_segments(tokens):
            raw.append(elements)
    except EDISyntaxError as exc:
        last = raw[-1][0] if raw else "UNB"
        raise EdiError(f"the file ends in the middle of a segment, after {last} "
                       f"(segment {len(raw) + 1}): truncated? ({exc})", segment=str(last),
                       position=len(raw), code="13") from exc
    segments = []
    for index, elements in enumerate(raw, 1):
        tag = elements[0]
        if isinstance(tag, list) or not re.fullmatch(r"[A-Z][A-Z0-9]{2}", tag or ""):
            raise EdiError(f"{tag!r} is not a segment tag (wrong separators?)",
                           segment=str(tag)[:3], position=index, code="12")
        parts = [e if isinstance(e, list) else [e] for e in elements[1:]]
        segments.append(Seg(tag, parts, index, una[2]))
    return una, segments


def _prepared(seg):
    date, time = seg.text(4, 1), seg.text(4, 2)
    try:
        if len(date) == 6:
            moment = datetime.datetime.strptime(date + time, "%y%m%d%H%M")
        else:
            moment = datetime.datetime.strptime(date + time, "%Y%m%d%H%M")
    except ValueError as exc:
        raise seg.error(f"preparation date/time {date}:{time} is not YYMMDD:HHMM", 4) from exc
    return moment.replace(tzinfo=datetime.UTC)


def read_interchange(data, parsers):
    """Check the whole interchange, then parse each message with ``parsers[type](segments)``.

    ``parsers``: message type -> (accepted identifiers, parse function). Any failure raises
    EdiError before anything is returned (nothing half-read)."""
    una, segments = tokenize(_decode(data))
    if not segments:
        raise EdiError("the file holds no segment", segment="UNB", code="13")
    unb = segments[0]
    if unb.tag != "UNB":
        raise unb.error("the interchange must start with UNB", code="13")
    syntax, version = unb.required(1, 1, "syntax identifier"), unb.text(1, 2)
    if syntax not in ENCODINGS:
        raise unb.error(f"syntax identifier {syntax} is not supported", 1, code="2")
    if version not in ("1", "2", "3", "4"):
        raise unb.error(f"syntax version {version!r} is not supported", 1, code="2")
    interchange = Interchange(
        syntax=f"{syntax}:{version}",
        sender_id=unb.required(2, 1, "interchange sender"), sender_qualifier=unb.text(2, 2),
        receiver_id=unb.required(3, 1, "interchange recipient"),
        receiver_qualifier=unb.text(3, 2), prepared_at=_prepared(unb),
        reference=unb.required(5, 1, "interchange control reference"),
        application_reference=unb.text(7), test=unb.text(11) == "1", characters=una)
    if unb.text(11) not in ("", "1"):
        raise unb.error(f"test indicator {unb.text(11)!r} is not 1", 11, code="25")
    unz = segments[-1]
    if unz.tag != "UNZ":
        raise EdiError(f"the interchange does not end with UNZ (last segment {unz.tag}): "
                       "truncated file?", segment="UNZ", position=unz.position + 1, code="13")
    if unz.text(2) != interchange.reference:
        raise unz.error(f"UNZ02 {unz.text(2)!r} does not match the UNB05 interchange "
                        f"reference {interchange.reference!r}", 2, code="28")
    seen = set()
    current = None
    for seg in segments[1:-1]:
        if seg.tag in ("UNG", "UNE"):
            raise seg.error("functional groups (UNG/UNE) are not used in this exchange",
                            code="15")
        if seg.tag == "UNH":
            if current is not None:
                raise seg.error(f"UNH before the UNT of message {current[0].text(1)!r}",
                                code="15")
            current = [seg]
            continue
        if current is None:
            raise seg.error(f"{seg.tag} outside a message (UNH..UNT)", code="33")
        current.append(seg)
        if seg.tag == "UNT":
            try:
                message = _check_message(current, parsers, seen)
            except EdiError as exc:
                exc.message_reference = current[0].text(1)
                exc.interchange_reference = interchange.reference
                raise
            interchange.messages.append(message)
            current = None
    if current is not None:
        raise EdiError(f"message {current[0].text(1)!r} has no UNT: truncated file?",
                       segment="UNT", position=len(current) + 1, code="13")
    count = unz.text(1)
    if count != str(len(interchange.messages)):
        raise unz.error(f"UNZ01 says {count!r} messages, the interchange holds "
                        f"{len(interchange.messages)}", 1, code="29")
    if not interchange.messages:
        raise unz.error("the interchange holds no message", code="32")
    return interchange


def cut_by_message_type(data):
    """[(UNH02.1 of its first message, bytes)]: an interchange holding messages of more than
    one type (ORDERS and ORDCHG, say) cut into one interchange per type, each with the same
    UNA and UNB and a UNZ counting its messages. An interchange of one type, or one whose
    structure cannot be told apart, comes back whole (None for the type when it has no
    readable message): the envelope is checked when each part is read."""
    try:
        text = _decode(data)
        una, segments = tokenize(text)
    except EdiError:
        return [(None, data)]
    if len(segments) < 3 or segments[0].tag != "UNB" or segments[-1].tag != "UNZ":
        return [(None, data)]
    kinds, current, references = {}, None, []
    for seg in segments[1:-1]:
        if seg.tag == "UNH" and current is None:
            current = [seg]
            references.append(seg.text(1))
        elif current is None or seg.tag == "UNH":  # outside a message, or a UNT missing
            kinds = {}
            break
        else:
            current.append(seg)
            if seg.tag == "UNT":
                kinds.setdefault(current[0].text(2, 1), []).append(current)
                current = None
    # what the whole interchange would be refused for stays with it: a message count that
    # is not UNZ01 (a message lost), a message reference used twice
    if len(kinds) < 2 or current is not None or segments[-1].text(1) != str(len(references)) \
            or len(set(references)) != len(references):
        first = next((seg.text(2, 1) for seg in segments if seg.tag == "UNH"), None)
        return [(first, data)]

    def segment(seg):
        return Segment(seg.tag, *[e if len(e) > 1 else e[0] for e in seg.elements])

    chars = Characters.from_str("UNA" + una)
    encoding = ENCODINGS.get(segments[0].text(1, 1), "latin-1")
    with_una = text.lstrip("\ufeff\r\n\t ").startswith("UNA")
    out = []
    for kind, messages in kinds.items():
        unz = segments[-1]
        built = [segment(segments[0]), *(segment(x) for m in messages for x in m),
                 Segment("UNZ", str(len(messages)), *[e if len(e) > 1 else e[0]
                                                      for e in unz.elements[1:]])]
        out.append((kind, Serializer(chars).serialize(built, with_una_header=with_una)
                    .encode(encoding)))
    return out


def _check_message(segs, parsers, seen):
    unh, unt = segs[0], segs[-1]
    reference = unh.required(1, 1, "message reference")
    # positions inside the message, 1 = UNH
    body = [Seg(s.tag, s.elements, i, s.decimal) for i, s in enumerate(segs, 1)]
    if unt.text(2) != reference:
        raise EdiError(f"UNT02 {unt.text(2)!r} does not match the UNH01 message reference "
                       f"{reference!r}", segment="UNT", position=len(segs), element=2,
                       code="28")
    if unt.text(1) != str(len(segs)):
        raise EdiError(f"UNT01 says {unt.text(1)!r} segments, message {reference!r} has "
                       f"{len(segs)} (UNH and UNT included)", segment="UNT",
                       position=len(segs), element=1, code="29")
    if reference in seen:
        raise EdiError(f"message reference {reference!r} is used twice in the interchange",
                       segment="UNH", position=1, element=1, code="26")
    seen.add(reference)
    msg_type = unh.required(2, 1, "message type")
    identifier = ":".join(unh.elements[1]) if len(unh.elements) > 1 else ""
    if msg_type not in parsers:
        known = ", ".join(sorted(parsers))
        raise EdiError(f"message type {msg_type} is not expected here ({known} expected)",
                       segment="UNH", position=1, element=2, code="14")
    accepted, parse = parsers[msg_type]
    parts = tuple(unh.text(2, c) for c in range(2, 6))
    if not any(_matches(parts, pattern) for pattern in accepted):
        raise EdiError(f"message identifier {identifier} is not a version we read "
                       f"({', '.join(':'.join((msg_type,) + p) for p in accepted)})",
                       segment="UNH", position=1, element=2, code="14")
    document = parse(body[1:-1])
    return Message(reference=reference, type=msg_type, identifier=identifier,
                   document=document, segment_count=len(segs))


def _matches(parts, pattern):
    # pattern: (version, release, agency, association); "*" in association = any
    for value, wanted in zip(parts, pattern, strict=True):
        if wanted == "*":
            continue
        if wanted.endswith("*") and value.startswith(wanted[:-1]):
            continue
        if value != wanted:
            return False
    return True


# -- writing ----------------------------------------------------------------------------------

def characters_of(envelope):
    """EDIFACT service characters: the envelope's when set, the UNA defaults when the envelope
    still carries the X12 defaults."""
    seps = (envelope.component_separator, envelope.element_separator,
            envelope.segment_terminator)
    component, data, terminator = (":", "+", "'") if seps == (
        X12_DEFAULTS[1], X12_DEFAULTS[0], X12_DEFAULTS[2]) else seps
    chars = Characters(component_separator=component, data_separator=data,
                       decimal_point=".", escape_character="?", reserved=" ",
                       segment_terminator=terminator)
    service = (component, data, "?", terminator)
    if len(set(service)) != 4 or any(len(c) != 1 or c.isalnum() for c in service):
        raise EdiError(f"separators {service!r} are not four distinct single characters",
                       segment="UNA", code="22")
    return chars


def _clean(values, tag, position):
    """Elements as lists of strings, trailing empties dropped; refuse what EDIFACT can't hold."""
    out = []
    for index, value in enumerate(values, 1):
        parts = list(value) if isinstance(value, list | tuple) else [value]
        texts = []
        for part in parts:
            text = "" if part is None else str(part)
            if any(ord(c) < 32 or ord(c) == 127 for c in text):
                raise EdiError(f"{text!r} contains a line break or control character",
                               segment=tag, position=position, element=index, code="21")
            try:
                text.encode("latin-1")
            except UnicodeEncodeError as exc:
                raise EdiError(f"{text!r} has characters outside {SYNTAX} (ISO 8859-1)",
                               segment=tag, position=position, element=index,
                               code="21") from exc
            texts.append(text)
        while len(texts) > 1 and texts[-1] == "":
            texts.pop()
        out.append(texts if len(texts) > 1 else texts[0])
    while out and out[-1] == "":
        out.pop()
    return out


def write_interchange(envelope, messages):
    """``messages``: [(identifier tuple, body segments [(tag, [values])])] -> bytes.

    UNH references: ``envelope.group_control`` (+ its index for further messages) when set,
    else 1, 2, ... within the interchange."""
    chars = characters_of(envelope)
    moment = envelope.prepared_at or datetime.datetime.now(datetime.UTC)
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC)
    reference = str(envelope.interchange_control)
    if not reference.isdigit() or len(reference) > 14 or int(reference) <= 0:
        raise EdiError(f"interchange control reference {reference!r} is not 1..14 digits",
                       segment="UNB", position=1, element=5, code="12")
    for name, value in (("sender", envelope.sender_id), ("recipient", envelope.receiver_id)):
        if not value or len(str(value)) > 35:
            raise EdiError(f"interchange {name} {value!r} must be 1..35 characters",
                           segment="UNB", position=1, element=2 if name == "sender" else 3)
    segments = [("UNB", [[SYNTAX, SYNTAX_VERSION],
                         [envelope.sender_id, envelope.sender_qualifier],
                         [envelope.receiver_id, envelope.receiver_qualifier],
                         [moment.strftime("%y%m%d"), moment.strftime("%H%M")], reference,
                         "", "", "", "", "", "1" if envelope.test else ""])]
    first = int(envelope.group_control or 0)
    for index, (identifier, body) in enumerate(messages):
        ref = str(first + index) if first else str(index + 1)
        segments.append(("UNH", [ref, list(identifier)]))
        segments.extend(body)
        segments.append(("UNT", [len(body) + 2, ref]))
    segments.append(("UNZ", [len(messages), reference]))
    built, position = [], 0
    for tag, values in segments:
        position = 1 if tag == "UNH" else position + 1
        built.append(Segment(tag, *_clean(values, tag, position)))
    text = Serializer(chars).serialize(built, with_una_header=True)
    return text.encode("latin-1")


# -- values -----------------------------------------------------------------------------------

def amount_text(value, what, tag, element):
    """An exact decimal string for EDIFACT; floats are refused (money keeps its digits)."""
    if isinstance(value, bool) or value is None:
        raise EdiError(f"{what} {value!r} is not an amount", segment=tag, element=element)
    if isinstance(value, float):
        raise EdiError(f"{what} {value!r} is a float: amounts must be exact decimal strings",
                       segment=tag, element=element)
    if isinstance(value, Decimal):
        value = format(value, "f")
    text = str(value)
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise EdiError(f"{what} {text!r} is not a decimal number", segment=tag,
                       element=element, code="19")
    if len(text.replace("-", "").replace(".", "")) > 18:
        raise EdiError(f"{what} {text!r} has more than the 18 digits EDIFACT holds",
                       segment=tag, element=element, code="39")
    return text


def integer_text(value, what, tag, element):
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise EdiError(f"{what} {value!r} is not a whole number", segment=tag,
                       element=element)
    text = str(value)
    if not re.fullmatch(r"-?\d+", text):
        raise EdiError(f"{what} {text!r} is not a whole number", segment=tag,
                       element=element)
    return text


def limited(value, limit, what, tag, element):
    text = "" if value is None else str(value)
    if len(text) > limit:
        raise EdiError(f"{what} {text!r} is longer than the {limit} characters EDIFACT "
                       "holds", segment=tag, element=element, code="39")
    return text
