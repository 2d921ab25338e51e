"""GS1 SSCC-18 (Serial Shipping Container Code): the number on every carton and pallet label.

Layout: extension digit (0-9, free to use) + GS1 company prefix (6-12 digits) + serial
reference (fills up to 17 digits) + GS1 mod-10 check digit. On the label it is encoded in
GS1-128 behind application identifier (00).
"""
import re

from stdnum import ean

DIGITS_RE = re.compile(r"^\d+$")
SSCC_RE = re.compile(r"^\d{18}$")


class SsccError(ValueError):
    """An SSCC cannot be made from these numbers (plain-language message)."""


def gs1_check_digit(digits):
    """GS1 mod-10 check digit of ``digits`` (the number without its check digit).

    From the right, digits are weighted 3, 1, 3, 1...; the check digit brings the weighted
    sum up to the next multiple of ten. Works for GTIN-8/12/13/14 and SSCC-18 alike.
    """
    if not isinstance(digits, str) or not DIGITS_RE.match(digits):
        raise SsccError(f"{digits!r} is not a string of digits")
    return int(ean.calc_check_digit(digits))


def make_sscc(company_prefix, extension_digit, serial):
    """The 18-digit SSCC for one container."""
    prefix = str(company_prefix or "")
    if not DIGITS_RE.match(prefix) or not 6 <= len(prefix) <= 12:
        raise SsccError(f"the GS1 company prefix must be 6 to 12 digits, not {prefix!r}")
    if isinstance(extension_digit, bool) or not isinstance(extension_digit, int) \
            or not 0 <= extension_digit <= 9:
        raise SsccError(f"the SSCC extension digit must be 0 to 9, not {extension_digit!r}")
    room = 16 - len(prefix)  # 17 digits before the check digit, minus extension and prefix
    if isinstance(serial, bool) or not isinstance(serial, int) or not 0 <= serial < 10 ** room:
        raise SsccError(
            f"serial {serial!r} does not fit: with a {len(prefix)}-digit company prefix the "
            f"serial reference has {room} digits (0 to {10 ** room - 1})")
    body = f"{extension_digit}{prefix}{serial:0{room}d}"
    return body + str(gs1_check_digit(body))


def is_valid_sscc(code):
    """True for 18 digits whose last digit is the GS1 check digit of the first 17."""
    return isinstance(code, str) and bool(SSCC_RE.match(code)) \
        and gs1_check_digit(code[:17]) == int(code[17])


def gs1_128_element(sscc):
    """Human-readable element string printed under the barcode: ``(00)`` + SSCC."""
    return f"(00){sscc}"


def gs1_128_data(sscc):
    """Barcode data: AI ``00`` + SSCC (the renderer adds the leading FNC1)."""
    return f"00{sscc}"
