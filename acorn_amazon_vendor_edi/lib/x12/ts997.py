"""997 Functional Acknowledgment (X12 004010, group FA), both ways.

Standard X12 004010 997 (Amazon's guides ask for a 997 per functional group received and send
one per group they receive; the code lists below are the standard's: AK304 = 720, AK403 =
723, AK502 = 718, AK905 = 716):

  AK1  functional id * group control number (GS06 of the group acknowledged)
  AK2  set id * transaction set control number (ST02)
  AK3  segment tag * position in the set * * syntax error code
  AK4  element position * * data element error code * copy of the bad data
  AK5  A accepted / E accepted with errors / R rejected * error codes
  AK9  A / E / P (partially accepted) / R * sets included * received * accepted * codes

A 997 carries codes, not text: the reader turns them into plain words naming the segment and
element. The 997 does not carry the acknowledged interchange's control number (ISA13):
results name the group (AK102) and transaction (AK202) control numbers.
"""
import dataclasses

from ..envelope import EdiError
from . import common as c
from .interchange import require

SEGMENT_ERRORS = {  # 720
    "1": "unrecognized segment ID", "2": "unexpected segment",
    "3": "mandatory segment missing", "4": "loop occurs over maximum times",
    "5": "segment exceeds maximum use", "6": "segment not in defined transaction set",
    "7": "segment not in proper sequence", "8": "segment has data element errors"}
ELEMENT_ERRORS = {  # 723
    "1": "mandatory data element missing", "2": "conditional required data element missing",
    "3": "too many data elements", "4": "data element too short",
    "5": "data element too long", "6": "invalid character in data element",
    "7": "invalid code value", "8": "invalid date", "9": "invalid time",
    "10": "exclusion condition violated"}
SET_ERRORS = {  # 718
    "1": "transaction set not supported", "2": "transaction set trailer missing",
    "3": "transaction set control number in header and trailer do not match",
    "4": "number of included segments does not match actual count",
    "5": "one or more segments in error", "6": "missing or invalid transaction set identifier",
    "7": "missing or invalid transaction set control number",
    "23": "transaction set control number not unique within the functional group"}
GROUP_ERRORS = {  # 716
    "1": "functional group not supported", "2": "functional group version not supported",
    "3": "functional group trailer missing",
    "4": "group control number in the functional group header and trailer do not agree",
    "5": "number of included transaction sets does not match actual count",
    "6": "group control number violates syntax"}
STATUS = {"A": "accepted", "E": "accepted with errors", "R": "rejected",
          "P": "partially accepted"}


@dataclasses.dataclass
class AckResult:
    """What the partner said about one transaction set we sent (or about a whole group when
    ``transaction_control`` is None: a group rejected before its sets were read)."""
    functional_id: str
    group_control: int
    set_id: str | None
    transaction_control: str | None
    code: str  # A, E, R (P for a group)
    errors: list = dataclasses.field(default_factory=list)  # plain words
    acknowledgment_control: int | None = None  # the 997's own ISA13

    @property
    def accepted(self):
        return self.code in ("A", "E", "P") if self.transaction_control is None \
            else self.code in ("A", "E")

    @property
    def status(self):
        return STATUS.get(self.code, self.code)


def _error_segments(errors):
    segments, set_codes = [], []
    for error in errors:
        if isinstance(error, str) or not getattr(error, "segment", None):
            set_codes.append("5")
            continue
        if error.segment in ("SE", "ST") and error.code in SET_ERRORS and not (
                error.segment == "ST" and error.element == 1 and error.code == "1"):
            set_codes.append(error.code)
            continue
        position = error.position or ""
        if error.element:
            segments.append(("AK3", [error.segment, position, None, "8"]))
            code = error.code if error.code in ELEMENT_ERRORS else "7"
            segments.append(("AK4", [int(error.element), None, code]))
        else:
            code = error.code if error.code in SEGMENT_ERRORS else "8"
            segments.append(("AK3", [error.segment, position, None, code]))
        set_codes.append("5")
    return segments, list(dict.fromkeys(set_codes))[:5]


def write_body(interchange, errors_by_transaction=None):
    """One 997 body per functional group of ``interchange``; ``errors_by_transaction`` keyed
    by ST02, or by (GS06, ST02) when control numbers repeat across groups."""
    errors_by_transaction = errors_by_transaction or {}
    bodies = []
    for group in interchange.groups:
        body = [("AK1", [group.functional_id, group.control_number])]
        accepted = 0
        for transaction in group.transactions:
            errors = list(transaction.errors) + list(
                errors_by_transaction.get(transaction.control_number, ())) + list(
                errors_by_transaction.get((group.control_number, transaction.control_number),
                                          ()))
            body.append(("AK2", [transaction.set_id, transaction.control_number]))
            segments, codes = _error_segments(errors)
            body += segments
            body.append(("AK5", ["R" if errors else "A", *codes]))
            accepted += not errors
        count = len(group.transactions)
        status = "A" if accepted == count else "R" if accepted == 0 and count else "P"
        body.append(("AK9", [status, count, count, accepted]))
        bodies.append(body)
    return bodies


def read_body(body):
    ak1 = body.take("AK1")
    functional_id = require(ak1, 1, "AK101 functional identifier")
    group_control = c.read_integer(ak1, 2, "AK102 group control number")
    results = []
    while (ak2 := body.take("AK2", required=False)) is not None:
        set_id = require(ak2, 1, "AK201 transaction set identifier")
        control = require(ak2, 2, "AK202 transaction set control number")
        words = []
        while (ak3 := body.take("AK3", required=False)) is not None:
            tag = require(ak3, 1, "AK301 segment identifier")
            where = f"{tag} (segment {ak3[2]})" if ak3[2] else tag
            ak4s = body.take_all("AK4")
            for ak4 in ak4s:
                position = body.components(ak4[1])[:1] or [""]
                element = f"{tag}{int(position[0]):02d}" if position[0].isdigit() else tag
                text = ELEMENT_ERRORS.get(ak4[3], f"element error {ak4[3]}")
                bad = f" ({ak4[4]!r})" if ak4[4] else ""
                words.append(f"{element} (segment {ak3[2] or '?'}): {text}{bad}")
            if ak3[4] and (ak3[4] != "8" or not ak4s):
                words.append(f"{where}: {SEGMENT_ERRORS.get(ak3[4], 'error ' + ak3[4])}")
        ak5 = body.take("AK5")
        code = require(ak5, 1, "AK501 acknowledgment code", {"A", "E", "R", "M", "W", "X"})
        for index in range(2, 7):
            if ak5[index] and ak5[index] != "5" or ak5[index] == "5" and not words:
                words.append(f"transaction set {control}: "
                             f"{SET_ERRORS.get(ak5[index], 'error ' + ak5[index])}")
        results.append(AckResult(functional_id, group_control, set_id, control,
                                 "R" if code in ("M", "W", "X") else code, words))
    ak9 = body.take("AK9")
    group_code = require(ak9, 1, "AK901 group acknowledgment code",
                         {"A", "E", "P", "R", "M", "W", "X"})
    group_words = [f"group {group_control}: {GROUP_ERRORS.get(ak9[i], 'error ' + ak9[i])}"
                   for i in range(5, 10) if ak9[i]]
    received = c.read_integer(ak9, 3, "AK903 number of received transaction sets")
    accepted = c.read_integer(ak9, 4, "AK904 number of accepted transaction sets")
    if results and received != len(results):
        raise EdiError(f"AK903 says {received} sets received, the 997 answers {len(results)}",
                       "AK9", ak9.position, 3, code="6")
    if results and accepted != sum(r.accepted for r in results):
        raise EdiError(f"AK904 says {accepted} sets accepted, the AK5s accept "
                       f"{sum(r.accepted for r in results)}", "AK9", ak9.position, 4, code="6")
    if not results or group_code == "R" and group_words:
        results.append(AckResult(functional_id, group_control, None, None, group_code,
                                 group_words))
    body.end()
    return results
