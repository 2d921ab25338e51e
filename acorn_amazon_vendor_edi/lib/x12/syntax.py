"""The X12 syntax layer: separators read from the ISA, segments split, segments written.

ASC X12 has no escape or release character: a value containing a separator cannot be written,
so the writer refuses it (EdiError naming the segment and element) instead of corrupting the
file. The ISA is fixed-width (106 characters including the segment terminator): the element
separator is its 4th character, the component separator ISA16 (character 105), the segment
terminator the character after ISA16, the repetition separator ISA11 from version 00501 on
(in 00401, ISA11 is the standards identifier ``U``).
"""
import dataclasses
import re

from ..envelope import EdiError

ISA_LENGTH = 106
# Widths of ISA01..ISA16 (X12.5): fixed, so the separators' places are known.
ISA_WIDTHS = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)
TAG = re.compile(r"^[A-Z][A-Z0-9]{1,2}$")
# Characters a separator may not be: letters, digits, space (X12.6: delimiters are chosen
# from characters that do not occur in the data; the basic set's letters/digits/space do).
_NOT_SEPARATOR = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ")


@dataclasses.dataclass(frozen=True)
class Separators:
    element: str = "*"
    component: str = ">"
    segment: str = "~"
    repetition: str = ""  # only from 00501 on

    def all(self):
        return tuple(c for c in (self.element, self.component, self.segment, self.repetition)
                     if c)


def check_separators(separators, with_repetition):
    """Separators must be single, distinct characters outside letters, digits and space."""
    named = [("element separator", separators.element),
             ("component separator", separators.component),
             ("segment terminator", separators.segment)]
    if with_repetition:
        named.append(("repetition separator", separators.repetition))
    seen = {}
    for name, char in named:
        if not isinstance(char, str) or len(char) != 1:
            raise EdiError(f"the {name} must be one character, not {char!r}", "ISA")
        if char in _NOT_SEPARATOR or not char.isprintable() and char not in "\r\n\x1c\x1d\x1e\x1f":
            raise EdiError(f"the {name} {char!r} is a letter, digit, space or control "
                           "character that data may contain", "ISA")
        if char in seen:
            raise EdiError(f"the {name} {char!r} is also the {seen[char]}", "ISA")
        seen[char] = name


@dataclasses.dataclass
class Segment:
    """One segment: ``elements[0]`` is the tag, ``elements[n]`` the n-th element (raw text).
    ``number`` is its 1-based place in the file; ``position`` its place in its transaction
    set (ST = 1), set by the envelope reader."""
    elements: list
    number: int = 0
    position: int = 0

    @property
    def tag(self):
        return self.elements[0]

    def __getitem__(self, index):
        return self.elements[index] if index < len(self.elements) else ""

    def __len__(self):
        return len(self.elements) - 1


# -- reading ----------------------------------------------------------------------------------

def decode(data):
    if isinstance(data, str):
        return data
    if not isinstance(data, bytes | bytearray):
        raise EdiError(f"an X12 file is bytes, not {type(data).__name__}")
    try:
        return bytes(data).decode("utf-8")
    except UnicodeDecodeError as error:
        raise EdiError(f"the file is not ASCII/UTF-8 text (byte {error.start})") from None


def raw_isa(data):
    """The elements of a file's ISA as written (index 1 = ISA01), split from its first 106
    characters alone, also when the rest of the file cannot be read; None without an ISA of
    that length or with fewer than 13 elements."""
    try:
        text = decode(data)
    except EdiError:  # not UTF-8: its ASCII header may still be read
        text = bytes(data).decode("latin-1")
    text = text.lstrip("\ufeff \r\n\t")
    if len(text) < ISA_LENGTH or not text.startswith("ISA"):
        return None
    fields = text[:ISA_LENGTH].split(text[3])
    return fields if len(fields) >= 14 else None


def read_isa(text):
    """-> (Separators, ISA elements). Refuses an ISA that is not 106 characters with its
    separators in their fixed places."""
    if not text.startswith("ISA"):
        raise EdiError("the file does not start with an ISA interchange header", "ISA", 1)
    if len(text) < ISA_LENGTH:
        raise EdiError(f"the file is truncated: an ISA is {ISA_LENGTH} characters, the file has "
                       f"{len(text)}", "ISA", 1)
    element = text[3]
    offset = 3
    for index, width in enumerate(ISA_WIDTHS, 1):
        if text[offset] != element:
            raise EdiError(f"the ISA is not {ISA_LENGTH} characters with fixed-width elements: "
                           f"ISA{index:02d} should start at character {offset + 2} after the "
                           f"element separator {element!r}", "ISA", 1, index)
        offset += 1 + width
    terminator = text[ISA_LENGTH - 1]
    component = text[ISA_LENGTH - 2]
    isa = text[:ISA_LENGTH - 1].split(element)
    if len(isa) != 17:
        raise EdiError("the ISA holds the element separator inside an element (it must have "
                       "16 elements)", "ISA", 1)
    version = isa[12]
    repetition = isa[11] if version >= "00501" else ""
    separators = Separators(element, component, terminator, repetition)
    check_separators(separators, bool(repetition))
    if terminator in text[:ISA_LENGTH - 1]:
        raise EdiError("the segment terminator appears inside the ISA", "ISA", 1)
    return separators, isa


def tokenize(data):
    """Bytes -> (Separators, [Segment]). Structure only: the envelope reader checks the rest."""
    text = decode(data)
    stripped = text.lstrip("\r\n\t ")
    separators, _isa = read_isa(stripped)
    term = separators.segment
    pieces = stripped.split(term)
    tail = pieces.pop()
    if tail.strip("\r\n\t "):
        raise EdiError(f"the file is truncated: {tail[:20]!r}... after the last segment "
                       f"terminator {term!r} is not a complete segment")
    segments = []
    for number, piece in enumerate(pieces, 1):
        if term not in "\r\n":
            piece = piece.lstrip("\r\n") if number > 1 else piece
        if not piece:
            raise EdiError(f"empty segment (two segment terminators {term!r} in a row) after "
                           f"segment {number - 1}")
        elements = piece.split(separators.element)
        tag = elements[0]
        if not TAG.match(tag):
            raise EdiError(f"{tag[:10]!r} is not a segment identifier (wrong or inconsistent "
                           "separators?)", tag[:3] or None, number, code="1")
        segments.append(Segment(elements, number))
    return separators, segments


def components(value, separators):
    return value.split(separators.component) if value else []


# -- writing ----------------------------------------------------------------------------------

def render(tag, values, separators, position=None):
    """One segment: ``values`` are element values (str, int, None, or a tuple of component
    values); trailing empty elements are dropped. Refuses a value holding a separator."""
    parts = [tag]
    for index, value in enumerate(values, 1):
        if value is None:
            parts.append("")
            continue
        if isinstance(value, tuple):
            comps = [_value(tag, index, "" if c is None else c, separators, position,
                            component=True) for c in value]
            while comps and comps[-1] == "":
                comps.pop()
            parts.append(separators.component.join(comps))
        else:
            parts.append(_value(tag, index, value, separators, position))
    while len(parts) > 1 and parts[-1] == "":
        parts.pop()
    return separators.element.join(parts) + separators.segment


# Maximum lengths of the free-text elements we fill from Odoo's records (names, addresses,
# references), valid in both versions we write (004010; the 856 in 005010, where REF02 takes
# 50 and PER04 256): longer values are refused here, with the element named, instead of by
# Amazon's 997 (its "data element too long").
MAX_LENGTHS = {
    ("N1", 2): 60, ("N2", 1): 60, ("N2", 2): 60, ("N3", 1): 55, ("N3", 2): 55,
    ("N4", 1): 30, ("N4", 3): 15, ("REF", 2): 50, ("REF", 3): 80, ("PER", 2): 60,
    ("PER", 4): 256, ("BIG", 2): 22, ("BIG", 4): 22, ("PRF", 1): 22, ("BSN", 2): 30,
    ("TD5", 5): 35, ("MAN", 2): 48, ("PID", 5): 80,
}


def _value(tag, index, value, separators, position, component=False):
    if isinstance(value, bool):
        raise EdiError(f"a boolean cannot be written as {value!r}", tag, position, index)
    text = str(value)
    for char in separators.all():
        if char in text:
            raise EdiError(f"{text[:40]!r} contains the separator {char!r}; X12 has no escape "
                           "character, so the value cannot be sent", tag, position, index)
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise EdiError(f"{text[:40]!r} contains control characters", tag, position, index)
    limit = None if component else MAX_LENGTHS.get((tag, index))
    if limit is not None and len(text) > limit:
        raise EdiError(f"{text[:40]!r} is {len(text)} characters; X12 takes at most {limit} "
                       f"in {tag}{index:02d}: shorten it in Odoo", tag, position, index,
                       code="5")
    return text
