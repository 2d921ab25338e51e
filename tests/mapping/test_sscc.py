"""GS1 SSCC-18: check digits against GS1's published examples, construction, GS1-128 forms."""
import pytest

from odoo.addons.acorn_amazon_vendor.lib.mapping.sscc import (
    SsccError,
    gs1_128_data,
    gs1_128_element,
    gs1_check_digit,
    is_valid_sscc,
    make_sscc,
)


# Each example is checked by hand below: from the rightmost digit, weights 3, 1, 3, 1...;
# the check digit lifts the weighted sum to the next multiple of ten.
@pytest.mark.parametrize(("body", "check", "terms"), [
    # SSCC (00) 1 0614141 123456789 7 (GS1's example company prefix 0614141).
    # Reversed digits 9 8 7 6 5 4 3 2 1 1 4 1 4 1 6 0 1 -> sum 143 -> 150 - 143 = 7.
    ("10614141123456789", 7, [27, 8, 21, 6, 15, 4, 9, 2, 3, 1, 12, 1, 12, 1, 18, 0, 3]),
    # SSCC 37610425002123456(9), the example of GS1's check digit calculator.
    # Reversed 6 5 4 3 2 1 2 0 0 5 2 4 0 1 6 7 3 -> sum 101 -> 110 - 101 = 9.
    ("37610425002123456", 9, [18, 5, 12, 3, 6, 1, 6, 0, 0, 5, 6, 4, 0, 1, 18, 7, 9]),
    # GTIN-13 629104150021(3), GS1's "calculate a check digit manually" example.
    # Reversed 1 2 0 0 5 1 4 0 1 9 2 6 -> sum 57 -> 60 - 57 = 3.
    ("629104150021", 3, [3, 2, 0, 0, 15, 1, 12, 0, 3, 9, 6, 6]),
    # A multiple of ten already: check digit 0, not 10.
    ("00000000000000000", 0, [0] * 17),
])
def test_check_digit_matches_gs1_examples(body, check, terms):
    assert [int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body))] == terms
    assert (10 - sum(terms) % 10) % 10 == check
    assert gs1_check_digit(body) == check


def test_check_digit_refuses_non_digits():
    with pytest.raises(SsccError):
        gs1_check_digit("12a4")
    with pytest.raises(SsccError):
        gs1_check_digit("")


def test_make_sscc_layout_and_padding():
    code = make_sscc("0614141", 1, 123456789)
    assert code == "106141411234567897"
    assert is_valid_sscc(code)
    # A 9-digit prefix leaves 7 serial digits, zero-padded.
    assert make_sscc("061414199", 0, 42)[:17] == "0" + "061414199" + "0000042"
    assert len(make_sscc("123456", 9, 10 ** 10 - 1)) == 18
    assert len(make_sscc("123456789012", 0, 9999)) == 18


@pytest.mark.parametrize(("prefix", "extension", "serial", "words"), [
    ("12345", 0, 1, "6 to 12 digits"),
    ("1234567890123", 0, 1, "6 to 12 digits"),
    ("06141A1", 0, 1, "6 to 12 digits"),
    ("0614141", 10, 1, "0 to 9"),
    ("0614141", -1, 1, "0 to 9"),
    ("0614141", 0, 10 ** 9, "does not fit"),
    ("0614141", 0, -1, "does not fit"),
    ("123456789012", 0, 10000, "does not fit"),
])
def test_make_sscc_refuses_in_plain_words(prefix, extension, serial, words):
    with pytest.raises(ValueError, match=words):
        make_sscc(prefix, extension, serial)


def test_is_valid_sscc():
    assert is_valid_sscc("106141411234567897")
    assert is_valid_sscc("376104250021234569")
    assert not is_valid_sscc("106141411234567898")  # wrong check digit
    assert not is_valid_sscc("10614141123456789")  # 17 digits
    assert not is_valid_sscc("00106141411234567897")  # with the AI: not an SSCC
    assert not is_valid_sscc("10614141123456789X")
    assert not is_valid_sscc(None)
    assert not is_valid_sscc(106141411234567897)


def test_gs1_128_forms():
    assert gs1_128_element("106141411234567897") == "(00)106141411234567897"
    assert gs1_128_data("106141411234567897") == "00106141411234567897"
