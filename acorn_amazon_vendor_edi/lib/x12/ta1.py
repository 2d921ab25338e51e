"""TA1 interchange acknowledgment: whether an interchange's envelope (ISA/IEA) was received.

A 997 answers the functional groups inside an interchange; an envelope that cannot be read has
no groups to answer, and a partner that asked for it (ISA14 = 1) gets a TA1 for every
interchange. TA1 (X12.5): TA101 the interchange control number answered, TA102/TA103 its date
and time, TA104 A (accepted), E (accepted with errors) or R (rejected), TA105 the note code
(data element I18). A TA1 travels in an interchange of its own, before any functional group
(alone, IEA01 = 0). Its reasons are worded in lower case so that the Odoo side translates
them (edi_error_words.py).
"""
import dataclasses

from ..envelope import EdiError
from .syntax import render

CODES = {"A": "accepted", "E": "accepted with errors", "R": "rejected"}
NOTES = {  # I18
    "000": "no error",
    "001": "the interchange control number in the header and trailer do not match",
    "002": "this standard as noted in the control standards identifier is not supported",
    "003": "this version of the controls is not supported",
    "004": "the segment terminator is invalid",
    "005": "invalid interchange ID qualifier for sender",
    "006": "invalid interchange sender ID",
    "007": "invalid interchange ID qualifier for receiver",
    "008": "invalid interchange receiver ID",
    "009": "unknown interchange receiver ID",
    "010": "invalid authorization information qualifier value",
    "011": "invalid authorization information value",
    "012": "invalid security information qualifier value",
    "013": "invalid security information value",
    "014": "invalid interchange date value",
    "015": "invalid interchange time value",
    "016": "invalid interchange standards identifier value",
    "017": "invalid interchange version ID value",
    "018": "invalid interchange control number value",
    "019": "invalid acknowledgment requested value",
    "020": "invalid test indicator value",
    "021": "invalid number of included groups value",
    "022": "invalid control structure",
    "023": "improper (premature) end-of-file (transmission)",
    "024": "invalid interchange content (e.g., invalid GS segment)",
    "025": "duplicate interchange control number",
    "026": "invalid data element separator",
    "027": "invalid component element separator",
    "028": "invalid delivery date in deferred delivery request",
    "029": "invalid delivery time in deferred delivery request",
    "030": "invalid delivery time code in deferred delivery request",
    "031": "invalid grade of service code",
}
# The note for an envelope error our reader found: by ISA element, else by segment.
_ISA_NOTES = {1: "010", 2: "011", 3: "012", 4: "013", 5: "005", 6: "006", 7: "007", 8: "008",
              9: "014", 10: "015", 11: "016", 12: "017", 13: "018", 14: "019", 15: "020",
              16: "027"}


@dataclasses.dataclass(frozen=True)
class InterchangeAck:
    """One TA1: the interchange it answers and what became of its envelope."""

    interchange_control: int  # TA101
    date: str  # TA102 YYMMDD
    time: str  # TA103 HHMM
    code: str  # TA104 A / E / R
    note: str  # TA105

    @property
    def accepted(self):
        return self.code in ("A", "E")

    def text(self):
        """"interchange 000000123: duplicate interchange control number" (no error: "")."""
        if self.note == "000":
            return ""
        reason = NOTES.get(self.note, f"interchange note {self.note}")
        return f"interchange {self.interchange_control:09d}: {reason}"


def note_for(error):
    """TA105 for an EdiError our reader raised on an envelope (022 when it names no spot)."""
    message = str(getattr(error, "message", error))
    segment, element = getattr(error, "segment", None), getattr(error, "element", None)
    if "truncated" in message or "ends inside" in message:
        return "023"
    if "should start at character" in message and element:
        # a fixed-width ISA: the element before the one out of place has the wrong width
        return _ISA_NOTES.get(element - 1, "022")
    for name, note in (("segment terminator", "004"), ("component separator", "027"),
                       ("element separator", "026")):
        if name in message:
            return note
    if segment == "ISA" and element in _ISA_NOTES:
        return _ISA_NOTES[element]
    if segment == "IEA":
        return "001" if element == 2 else "021"
    if segment in ("GS", "GE", "ST", "SE"):
        return "024"  # the envelope holds what cannot be read as groups and sets
    return "022"


def _checked(ack):
    if ack.code not in CODES:
        raise EdiError(f"TA1 acknowledgment code {ack.code!r} is not A, E or R", "TA1",
                       element=4)
    if ack.note not in NOTES:
        raise EdiError(f"TA1 note code {ack.note!r} is not an X12 interchange note code",
                       "TA1", element=5)
    if not 0 <= int(ack.interchange_control) <= 999_999_999:
        raise EdiError(f"interchange control number {ack.interchange_control} is not "
                       "0..999999999", "TA1", element=1)
    for index, value, width, what in ((2, ack.date, 6, "date"), (3, ack.time, 4, "time")):
        if not (value.isdigit() and len(value) == width):
            raise EdiError(f"TA1{index:02d} {value!r} is not an interchange {what}", "TA1",
                           element=index)
    return ack


def write_segment(ack, separators):
    """The TA1 segment (raw text) for ``ack``, in the answering interchange's separators;
    every element checked."""
    _checked(ack)
    return render("TA1", ["%09d" % int(ack.interchange_control), ack.date, ack.time, ack.code,
                          ack.note], separators)


def read_segment(segment):
    """An InterchangeAck from a TA1 segment. What finds our file (TA101) and what befell it
    (TA104) must be readable; a date, time or note code a partner words its own way is kept
    as it is (a refusal must never be lost over a note code)."""
    control = segment[1]
    if not (control.isdigit() and len(control) <= 9):
        raise EdiError(f"TA101 {control!r} is not an interchange control number", "TA1",
                       element=1)
    if segment[4] not in CODES:
        raise EdiError(f"TA104 {segment[4]!r} is not A, E or R", "TA1", element=4)
    return InterchangeAck(int(control), segment[2], segment[3], segment[4], segment[5])
