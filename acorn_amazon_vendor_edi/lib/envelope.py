"""What both EDI standards share: the interchange envelope and the error that names the spot."""
import dataclasses
import datetime


class EdiError(ValueError):
    """A file that cannot be read or written, with the segment and element at fault.

    ``segment`` is the tag (``BEG``, ``LIN``...), ``position`` its 1-based place in the
    transaction set / message, ``element`` the 1-based element (``BEG03``) when known."""

    def __init__(self, message, segment=None, position=None, element=None, code=None):
        super().__init__(message)
        self.message = message
        self.segment = segment
        self.position = position
        self.element = element
        self.code = code  # the standard's error code (X12 AK3/AK4, CONTRL) when there is one

    def where(self):
        if not self.segment:
            return ""
        where = self.segment
        if self.element:
            where += f"{int(self.element):02d}"
        if self.position:
            where += f" (segment {self.position})"
        return where

    def __str__(self):
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


@dataclasses.dataclass(frozen=True)
class Envelope:
    """Who sends to whom, and under which control numbers.

    X12: ISA05/ISA06 sender qualifier/id, ISA07/ISA08 receiver, ISA13 interchange control
    number, GS06 group control number, ISA15 ``T`` (test) or ``P``. EDIFACT: UNB sender /
    receiver with their code qualifiers, UNB05 interchange reference, UNB11 test indicator."""

    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    interchange_control: int
    group_control: int
    test: bool = True
    # X12 application codes (GS02/GS03); default to the interchange ids.
    sender_application: str = ""
    receiver_application: str = ""
    # Separators: X12 element, sub-element, segment terminator, repetition (005010);
    # EDIFACT uses its UNA defaults unless given.
    element_separator: str = "*"
    component_separator: str = ">"
    segment_terminator: str = "~"
    repetition_separator: str = "^"
    # When the interchange is prepared (ISA09/ISA10, GS04/GS05, UNB04); None: now, in UTC.
    # Fixed in golden files and tests so the same document always gives the same bytes.
    prepared_at: datetime.datetime | None = None
