"""X12 envelopes: ISA/IEA interchange, GS/GE functional group, ST/SE transaction set, and the
TA1 interchange acknowledgments an interchange may carry before its groups (ta1.py).

Reading checks the whole envelope before anything is returned, and refuses the file with an
EdiError naming the segment and element at fault: separators, ISA width, every count
(SE01, GE01, IEA01), every control number pair (ST02/SE02, GS06/GE02, ISA13/IEA02), the
version (004010 or 005010 per transaction set), unknown transaction sets, segments outside an
envelope. Transaction sets are then read by their own module (``ts850`` ...).

With ``strict=False`` an error inside one transaction set (its content, or its SE count) is
kept on that transaction (``errors``) instead of refusing the file, so a 997 can reject that
set and accept the others; envelope errors always refuse the file.
"""
import dataclasses
import datetime

from ..envelope import EdiError, Envelope
from . import ta1
from .syntax import ISA_WIDTHS, Segment, Separators, check_separators, render, tokenize

# Functional identifier (GS01) and X12 version (GS08) of each transaction set we handle.
SETS = {
    "850": ("PO", "004010"),
    "860": ("PC", "004010"),
    "855": ("PR", "004010"),
    "856": ("SH", "005010"),
    "810": ("IN", "004010"),
    "997": ("FA", "004010"),
    "820": ("RA", "004010"),
    "846": ("IB", "004010"),
}
# Versions read besides the one written: Amazon acknowledges each of our groups in the
# version of that group, so the 997 answering our 005010 856 may be a 005010 997 (whose
# AK1 / AK2 only add elements the reader does not need).
ALSO_READ = {"997": ("005010",)}
BY_FUNCTIONAL_ID = {functional_id: set_id for set_id, (functional_id, _v) in SETS.items()}


@dataclasses.dataclass
class Transaction:
    set_id: str  # ST01
    control_number: str  # ST02
    document: object = None  # the API document (dict), a list of results (997), Remittance
    segment_count: int = 0  # SE01
    errors: list = dataclasses.field(default_factory=list)  # EdiError (strict=False only)
    segments: list = dataclasses.field(default_factory=list, repr=False)

    @property
    def accepted(self):
        return not self.errors


@dataclasses.dataclass
class Group:
    functional_id: str  # GS01
    sender_application: str  # GS02
    receiver_application: str  # GS03
    date: str  # GS04 CCYYMMDD
    time: str  # GS05
    control_number: int  # GS06
    agency: str  # GS07
    version: str  # GS08
    transactions: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Interchange:
    sender_qualifier: str  # ISA05
    sender_id: str  # ISA06 (trailing spaces removed)
    receiver_qualifier: str  # ISA07
    receiver_id: str  # ISA08
    date: str  # ISA09 YYMMDD
    time: str  # ISA10 HHMM
    version: str  # ISA12 (00401, 00501)
    control_number: int  # ISA13
    acknowledgment_requested: bool  # ISA14
    test: bool  # ISA15 T / P
    separators: Separators
    groups: list = dataclasses.field(default_factory=list)
    acknowledgments: list = dataclasses.field(default_factory=list)  # TA1 (ta1.InterchangeAck)

    @property
    def transactions(self):
        return [t for g in self.groups for t in g.transactions]

    @property
    def documents(self):
        return [t.document for t in self.transactions]

    def envelope(self):
        """The Envelope this interchange was sent under (its first group's control number)."""
        group = self.groups[0] if self.groups else None
        return Envelope(
            sender_qualifier=self.sender_qualifier, sender_id=self.sender_id,
            receiver_qualifier=self.receiver_qualifier, receiver_id=self.receiver_id,
            interchange_control=self.control_number,
            group_control=group.control_number if group else 0, test=self.test,
            sender_application=group.sender_application if group else "",
            receiver_application=group.receiver_application if group else "",
            element_separator=self.separators.element,
            component_separator=self.separators.component,
            segment_terminator=self.separators.segment,
            repetition_separator=self.separators.repetition or "^")


# -- writing ----------------------------------------------------------------------------------

def separators_of(envelope, version):
    seps = Separators(envelope.element_separator, envelope.component_separator,
                      envelope.segment_terminator,
                      envelope.repetition_separator if version >= "00501" else "")
    check_separators(seps, version >= "00501")
    return seps


def _fixed(value, width, name):
    text = str(value or "")
    if len(text) > width:
        raise EdiError(f"{text!r} is longer than the {width} characters {name} holds", "ISA")
    return text.ljust(width)


def write(envelope, set_id, bodies, acknowledgments=()):
    """``bodies``: one list of (tag, [values]) per transaction set, without ST/SE.
    -> the interchange bytes (one group), after the TA1s ``acknowledgments`` if any."""
    functional_id, gs_version = SETS[set_id]
    isa_version = "00501" if gs_version >= "005010" else "00401"
    seps = separators_of(envelope, isa_version)
    moment = envelope.prepared_at or datetime.datetime.now(datetime.UTC)
    control = int(envelope.interchange_control)
    group_control = int(envelope.group_control)
    if not 0 < group_control <= 999_999_999:
        raise EdiError(f"group control number {group_control} is not 1..999999999", "GS",
                       element=6)
    out = _isa(envelope, isa_version, seps, moment, control)
    out.extend(ta1.write_segment(ack, seps) for ack in acknowledgments)
    out.append(render("GS", [functional_id,
                             envelope.sender_application or envelope.sender_id,
                             envelope.receiver_application or envelope.receiver_id,
                             moment.strftime("%Y%m%d"), moment.strftime("%H%M"),
                             group_control, "X", gs_version], seps))
    for number, body in enumerate(bodies, 1):
        st_control = "%04d" % number
        lines = [render("ST", [set_id, st_control], seps, 1)]
        for position, (tag, values) in enumerate(body, 2):
            lines.append(render(tag, values, seps, position))
        lines.append(render("SE", [len(body) + 2, st_control], seps, len(body) + 2))
        out.extend(lines)
    out.append(render("GE", [len(bodies), group_control], seps))
    out.append(render("IEA", [1, "%09d" % control], seps))
    return "".join(out).encode("utf-8")


def write_acknowledgments(envelope, acknowledgments):
    """An interchange holding TA1s alone (no functional group: IEA01 = 0), version 00401."""
    seps = separators_of(envelope, "00401")
    moment = envelope.prepared_at or datetime.datetime.now(datetime.UTC)
    control = int(envelope.interchange_control)
    out = _isa(envelope, "00401", seps, moment, control)
    out.extend(ta1.write_segment(ack, seps) for ack in acknowledgments)
    out.append(render("IEA", [0, "%09d" % control], seps))
    return "".join(out).encode("utf-8")


def _isa(envelope, isa_version, seps, moment, control):
    """[the ISA segment], every fixed width and separator checked."""
    if not 0 < control <= 999_999_999:
        raise EdiError(f"interchange control number {control} is not 1..999999999", "ISA",
                       element=13)
    for name, value in (("sender qualifier", envelope.sender_qualifier),
                        ("receiver qualifier", envelope.receiver_qualifier)):
        if len(str(value or "")) != 2:
            raise EdiError(f"the {name} {value!r} must be 2 characters (ISA05/ISA07)", "ISA")
    isa = [
        "00", " " * 10, "00", " " * 10,
        envelope.sender_qualifier, _fixed(envelope.sender_id, 15, "ISA06"),
        envelope.receiver_qualifier, _fixed(envelope.receiver_id, 15, "ISA08"),
        moment.strftime("%y%m%d"), moment.strftime("%H%M"),
        seps.repetition if isa_version >= "00501" else "U", isa_version,
        "%09d" % control, "0", "T" if envelope.test else "P", (seps.component,),
    ]
    for index, (value, width) in enumerate(zip(isa, ISA_WIDTHS, strict=True), 1):
        if index == 16:
            continue
        if len(value) != width:
            raise EdiError(f"{value!r} is not {width} characters", "ISA", element=index)
    # ISA16 is the component separator itself: written raw, not checked as data.
    for index, value in enumerate(isa[:15], 1):
        for char in seps.all():
            if char in value and not (index == 11 and char == seps.repetition):
                raise EdiError(f"{value.strip()!r} contains the separator {char!r}", "ISA",
                               element=index)
    return ["ISA" + seps.element + seps.element.join(isa[:15]) + seps.element
            + seps.component + seps.segment]


# -- reading ----------------------------------------------------------------------------------

def _number(segment, index, what, digits=9):
    value = segment[index]
    if not value.isdigit() or len(value) > digits:
        raise EdiError(f"{what} {value!r} is not a number of at most {digits} digits",
                       segment.tag, segment.position or None, index, code="6")
    return int(value)


def read(data, readers, strict=True):
    """Bytes -> Interchange, each transaction's document read by ``readers[set_id]``
    (a function taking a Body). Refuses the whole file (EdiError) on any envelope error."""
    seps, segments = tokenize(data)
    isa = segments[0]
    if len(isa) != 16:
        raise EdiError(f"ISA has {len(isa)} elements, 16 expected", "ISA", 1)
    version = isa[12]
    if version not in ("00401", "00501"):
        raise EdiError(f"interchange version {version!r} is not 00401 or 00501", "ISA",
                       element=12, code="7")
    if isa[15] not in ("T", "P"):
        raise EdiError(f"usage indicator {isa[15]!r} is not T (test) or P (production)", "ISA",
                       element=15, code="7")
    if isa[14] not in ("0", "1"):
        raise EdiError(f"acknowledgment requested {isa[14]!r} is not 0 or 1", "ISA",
                       element=14, code="7")
    control = _number(isa, 13, "interchange control number")
    if len(isa[13]) != 9:
        raise EdiError(f"interchange control number {isa[13]!r} is not 9 digits", "ISA",
                       element=13, code="4")
    interchange = Interchange(
        sender_qualifier=isa[5], sender_id=isa[6].rstrip(), receiver_qualifier=isa[7],
        receiver_id=isa[8].rstrip(), date=isa[9], time=isa[10], version=version,
        control_number=control, acknowledgment_requested=isa[14] == "1",
        test=isa[15] == "T", separators=seps)
    rest = segments[1:]
    if not rest or rest[-1].tag != "IEA":
        raise EdiError("the file is truncated: the IEA interchange trailer is missing", "IEA")
    iea = rest.pop()
    index = 0
    while index < len(rest) and rest[index].tag == "TA1":  # interchange acknowledgments first
        interchange.acknowledgments.append(ta1.read_segment(rest[index]))
        index += 1
    while index < len(rest):
        gs = rest[index]
        if gs.tag != "GS":
            raise EdiError(f"{gs.tag} outside a functional group (GS expected)", gs.tag,
                           gs.number, code="2")
        end = next((i for i in range(index + 1, len(rest)) if rest[i].tag in ("GE", "GS")),
                   None)
        if end is None or rest[end].tag != "GE":
            raise EdiError(f"functional group {gs[6]} has no GE trailer", "GE", code="3")
        interchange.groups.append(_read_group(gs, rest[index + 1:end], rest[end], readers,
                                              strict, seps))
        index = end + 1
    if len(iea) < 2:
        raise EdiError("IEA needs its group count and control number", "IEA", element=1)
    if _number(iea, 1, "number of functional groups", 5) != len(interchange.groups):
        raise EdiError(f"IEA01 says {iea[1]} functional groups, the interchange has "
                       f"{len(interchange.groups)}", "IEA", element=1, code="5")
    if iea[2] != isa[13]:
        raise EdiError(f"IEA02 {iea[2]!r} does not match ISA13 {isa[13]!r}", "IEA",
                       element=2, code="4")
    return interchange


def split_by_set(data):
    """[(ST01 of its first set, bytes)]: an interchange whose groups carry transaction sets
    of more than one kind (Amazon's 850s and its 997 of our files together, say) cut into
    one interchange per kind, each with the same ISA, its groups as written and its IEA
    counting them; the TA1s that open the file go with the first part. An interchange of one
    kind, or one whose segments cannot be told apart, comes back whole, with None for a file
    without a readable set: the envelope is checked when each part is read."""
    try:
        seps, segments = tokenize(data)
    except EdiError:
        return [(None, data)]
    if len(segments) < 2 or segments[-1].tag != "IEA":
        return [(None, data)]
    head, groups, current = [], {}, None
    for segment in segments[1:-1]:
        if segment.tag == "GS":
            current = [segment]
            continue
        if current is None:
            head.append(segment)  # TA1s, or stray segments the reader will refuse
            continue
        current.append(segment)
        if segment.tag == "GE":
            first = next((x for x in current if x.tag == "ST"), None)
            # a group without a set goes with the sets of its functional identifier
            kind = first[1] if first else BY_FUNCTIONAL_ID.get(current[0][1], current[0][1])
            groups.setdefault(kind, []).append(current)
            current = None
    if len(groups) < 2 or current is not None:
        first = next((x for x in segments if x.tag == "ST"), None)
        return [(first[1] if first else None, data)]

    def text(parts):
        return "".join(seps.element.join(x.elements) + seps.segment for x in parts)

    out = []
    for number, (set_id, kind) in enumerate(groups.items()):
        iea = Segment(["IEA", str(len(kind)), segments[-1][2]])
        body = [x for group in kind for x in group]
        out.append((set_id, text([segments[0], *(head if number == 0 else []), *body, iea])
                    .encode()))
    return out


def _read_group(gs, body, ge, readers, strict, seps):
    if len(gs) < 8:
        raise EdiError(f"GS has {len(gs)} elements, 8 expected", "GS", element=len(gs) + 1,
                       code="1")
    group = Group(functional_id=gs[1], sender_application=gs[2], receiver_application=gs[3],
                  date=gs[4], time=gs[5], control_number=_number(gs, 6, "group control number"),
                  agency=gs[7], version=gs[8])
    index = 0
    while index < len(body):
        st = body[index]
        if st.tag != "ST":
            raise EdiError(f"{st.tag} outside a transaction set (ST expected)", st.tag,
                           code="2")
        end = next((i for i in range(index + 1, len(body)) if body[i].tag in ("SE", "ST")),
                   None)
        if end is None or body[end].tag != "SE":
            raise EdiError(f"transaction set {st[2]} has no SE trailer", "SE", code="2")
        group.transactions.append(_read_transaction(group, st, body[index + 1:end], body[end],
                                                    readers, strict, seps))
        index = end + 1
    if len(ge) < 2:
        raise EdiError("GE needs its transaction count and control number", "GE", element=1)
    if _number(ge, 1, "number of transaction sets", 6) != len(group.transactions):
        raise EdiError(f"GE01 says {ge[1]} transaction sets, group {gs[6]} has "
                       f"{len(group.transactions)}", "GE", element=1, code="5")
    if ge[2] != gs[6]:
        raise EdiError(f"GE02 {ge[2]!r} does not match GS06 {gs[6]!r}", "GE", element=2,
                       code="4")
    return group


def _read_transaction(group, st, body, se, readers, strict, seps):
    set_id = st[1]
    if set_id not in readers or set_id not in SETS:
        raise EdiError(f"transaction set {set_id!r} is not one this reader handles "
                       f"({', '.join(sorted(readers))})", "ST", 1, 1, code="1")
    functional_id, version = SETS[set_id]
    if group.functional_id != functional_id:
        raise EdiError(f"a {set_id} belongs in a {functional_id} group, not "
                       f"{group.functional_id!r}", "GS", element=1, code="1")
    if group.version != version and group.version not in ALSO_READ.get(set_id, ()):
        raise EdiError(f"a {set_id} is read in version "
                       f"{' or '.join((version, *ALSO_READ.get(set_id, ())))}, the group is "
                       f"{group.version!r}", "GS", element=8, code="2")
    control = st[2]
    if not (4 <= len(control) <= 9) or not control.isalnum():
        raise EdiError(f"transaction set control number {control!r} is not 4-9 characters",
                       "ST", 1, 2, code="7")
    transaction = Transaction(set_id, control, segments=body)
    for position, segment in enumerate([st, *body, se], 1):
        segment.position = position
    try:
        if se[2] != control:
            raise EdiError(f"SE02 {se[2]!r} does not match ST02 {control!r}", "SE",
                           se.position, 2, code="3")
        count = _number(se, 1, "segment count", 10)
        transaction.segment_count = count
        if count != len(body) + 2:
            raise EdiError(f"SE01 says {count} segments, transaction set {control} has "
                           f"{len(body) + 2} (ST to SE)", "SE", se.position, 1, code="4")
        transaction.document = readers[set_id](Body(body, seps, set_id))
    except EdiError as error:
        if strict:
            raise
        transaction.errors.append(error)
    return transaction


class Body:
    """The segments of one transaction set between ST and SE, read in order."""

    def __init__(self, segments, separators, set_id):
        self.segments = segments
        self.separators = separators
        self.set_id = set_id
        self.index = 0

    def peek(self, *tags):
        if self.index < len(self.segments):
            segment = self.segments[self.index]
            if not tags or segment.tag in tags:
                return segment
        return None

    def take(self, tag, required=True, what=""):
        segment = self.peek(tag)
        if segment is not None:
            self.index += 1
            return segment
        if required:
            found = self.peek()
            where = f", found {found.tag}" if found else ", found SE"
            raise EdiError(f"mandatory segment {tag}{' (' + what + ')' if what else ''} is "
                           f"missing{where}", tag,
                           found.position if found else None, code="3")
        return None

    def take_all(self, tag, until=None):
        out = []
        while (segment := self.peek(tag)) is not None:
            if until and not until(segment):
                break
            self.index += 1
            out.append(segment)
        return out

    def end(self):
        segment = self.peek()
        if segment is not None:
            raise EdiError(f"unexpected segment {segment.tag} (not in this position of a "
                           f"{self.set_id})", segment.tag, segment.position, code="2")

    def components(self, value):
        return value.split(self.separators.component) if value else []


def require(segment, index, what, codes=None):
    value = segment[index]
    if value == "":
        raise EdiError(f"mandatory element {what} is missing", segment.tag, segment.position,
                       index, code="1")
    if codes is not None and value not in codes:
        raise EdiError(f"{what} {value!r} is not one of {', '.join(sorted(codes))}",
                       segment.tag, segment.position, index, code="7")
    return value


__all__ = ["Body", "Group", "Interchange", "Segment", "Transaction", "read", "require",
           "split_by_set", "write"]
