"""Amazon's JSON numbers, read without losing a digit (plain Python, no ORM).

Amazon's newer finance APIs send money as JSON numbers (``"currencyAmount": 3386.79``). A
float cannot hold every decimal exactly, and a Decimal in a dict breaks ``json.dumps`` (the
ledger stores replies as JSON). ``loads`` reads each non-integral number as an
``AmazonNumber``: a float for every purpose (arithmetic, ``json.dumps``, Amazon's model
checks) that also keeps the text Amazon sent, so ``to_decimal`` gives back Amazon's exact
value.
"""
import json
from decimal import Decimal, InvalidOperation


class AmazonNumber(float):
    """A JSON number as a float that remembers the digits it was written with."""

    __slots__ = ("text",)

    def __new__(cls, text):
        value = super().__new__(cls, text)
        value.text = text if isinstance(text, str) else repr(float(text))
        return value

    def __reduce__(self):
        return (type(self), (self.text,))


def loads(content):
    """JSON text or bytes -> Python, integers as int, other numbers as AmazonNumber."""
    return json.loads(content, parse_float=AmazonNumber)


def to_decimal(value):
    """The exact Decimal of a JSON number (or a numeric string); None when it is not one.

    An AmazonNumber gives its original text, an int its digits, a plain float its shortest
    representation (what ``Decimal(str(value))`` reads: exact for money written with up to
    15 significant digits)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, AmazonNumber):
        text = value.text
    elif isinstance(value, int | float | Decimal):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
