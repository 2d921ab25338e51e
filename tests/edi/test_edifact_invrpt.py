"""EDIFACT INVRPT inventory report: golden file, round trip (the same neutral document as the
X12 846), pydifact and a structural check by hand, the codec face, refusals."""
import copy
import datetime
import os
import pathlib
import warnings

import pytest
from pydifact.segmentcollection import Interchange as PydifactInterchange

from odoo.addons.acorn_amazon_vendor_edi.lib import codecs, edifact, x12
from odoo.addons.acorn_amazon_vendor_edi.lib.envelope import EdiError, Envelope

GOLDEN = pathlib.Path(__file__).resolve().parent / "golden" / "edifact"
PREPARED = datetime.datetime(2026, 11, 4, 8, 0, tzinfo=datetime.UTC)
VENDOR = Envelope("14", "5790000000001", "14", "5450534000000", 42, 0, prepared_at=PREPARED)
X12_ENV = Envelope("ZZ", "ACORNVENDOR", "ZZ", "AMAZON", 1201, 77, prepared_at=PREPARED)

INVENTORY = {
    "reportId": "INV-GOLD-EU-1",
    "asOf": "2026-11-04T07:45:00Z",
    "sellingParty": {"partyId": "ACRNE"},
    "shipFromParty": {"partyId": "5790000000018"},
    "items": [
        {"amazonProductIdentifier": "B0GOLDEU01", "vendorProductIdentifier": "ACN-E1",
         "ean": "4006381333931", "availableQuantity": 64, "onOrderQuantity": 120,
         "restockDate": "2026-11-18"},
        {"amazonProductIdentifier": "B0GOLDEU02", "vendorProductIdentifier": "ACN-E2",
         "availableQuantity": 0},
        {"ean": "4006381333948", "availableQuantity": 5},
    ],
}


def written(document=INVENTORY):
    return edifact.write_inventory(document, VENDOR)


def split(data):
    """Segments split by hand (no release character in these files): tag + elements."""
    text = data.decode("latin-1")
    assert text.startswith("UNA:+.? '")
    return [[e.split(":") for e in s.split("+")] for s in text[9:].split("'") if s]


def test_golden_file():
    data = written()
    path = GOLDEN / "invrpt.edi"
    readable = data.decode("latin-1").replace("'", "'\n")
    if os.environ.get("ACORN_UPDATE_GOLDEN"):
        path.write_text(readable, encoding="latin-1")
    assert path.read_text(encoding="latin-1").replace("\n", "") == data.decode("latin-1")


def test_round_trip_and_the_same_document_as_x12():
    assert edifact.read_inventory(written()).documents == [INVENTORY]
    assert x12.read_inventory(x12.write_inventory(INVENTORY, X12_ENV)).documents == [INVENTORY]
    assert codecs.MESSAGE_TYPES["edifact"]["inventory"] == "INVRPT"
    assert codecs.WRITERS["inventory"] == "write_inventory"
    assert codecs.write_document("edifact", "inventory", INVENTORY, VENDOR) == written()
    assert edifact.read(written()).messages[0].type == "INVRPT"


def test_structure_by_hand_and_with_pydifact():
    segments = split(written())
    assert segments[0][0] == ["UNB"] and segments[-1][0] == ["UNZ"]
    body = segments[1:-1]
    assert body[0][:3] == [["UNH"], ["1"], ["INVRPT", "D", "96A", "UN", "EAN008"]]
    assert body[-1] == [["UNT"], [str(len(body))], ["1"]]
    tags = [s[0][0] for s in body]
    assert tags[:6] == ["UNH", "BGM", "DTM", "NAD", "NAD", "LIN"]
    assert ["BGM", "35", "INV-GOLD-EU-1", "9"] == [e[0] for e in body[1]]
    assert [["QTY"], ["145", "64", "PCE"]] in body and [["QTY"], ["21", "120", "PCE"]] in body
    assert [["DTM"], ["44", "20261118", "102"]] in body
    assert [["LIN"], ["1"], [""], ["4006381333931", "EN"]] in body
    assert [["CNT"], ["2", "3"]] in body and tags.index("UNS") < tags.index("CNT")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = PydifactInterchange.from_str(written().decode("latin-1"))
        messages = list(parsed.get_messages())
    assert len(messages) == 1
    assert [s.tag for s in messages[0].segments] == tags[1:-1]


def changed(**edits):
    document = copy.deepcopy(INVENTORY)
    for path, value in edits.items():
        target = document
        *parents, last = path.split("__")
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        if value is None:
            target.pop(last)
        else:
            target[last] = value
    return document


@pytest.mark.parametrize("edits, segment", [
    ({"reportId": None}, "BGM"),
    ({"sellingParty": None}, "NAD"),
    ({"items": []}, "LIN"),
    ({"items__2__ean": None}, "LIN"),
    ({"items__0__availableQuantity": -3}, "QTY"),
    ({"items__0__onOrderQuantity": None}, "DTM"),
    ({"reportId": "R" * 36}, "BGM"),
])
def test_writer_refusals(edits, segment):
    with pytest.raises(EdiError) as caught:
        written(changed(**edits))
    assert caught.value.segment == segment, str(caught.value)


@pytest.mark.parametrize("old, new, segment", [
    ("QTY+145:64:PCE", "QTY+145:-64:PCE", "QTY"),
    ("QTY+145:64:PCE", "QTY+145:6.5:PCE", "QTY"),
    ("QTY+145:64:PCE", "QTY+145:64:KGM", "QTY"),
    ("QTY+145:0:PCE", "QTY+146:0:PCE", "QTY"),
    ("QTY+145:0:PCE'", "", "LIN"),
    ("BGM+35+", "BGM+220+", "BGM"),
    ("NAD+SU+ACRNE::92'", "", "NAD"),
    ("CNT+2:3", "CNT+2:4", "CNT"),
    ("4006381333948:EN", "4006381333948:UP", "LIN"),
])
def test_reader_refusals_name_the_segment(old, new, segment):
    text = written().decode("latin-1")
    assert old in text
    text = text.replace(old, new, 1)
    if not new:  # a segment removed: UNT counts one less
        count = text.split("UNT+")[1].split("+")[0]
        text = text.replace(f"UNT+{count}+", f"UNT+{int(count) - 1}+", 1)
    with pytest.raises(EdiError) as caught:
        edifact.read_inventory(text.encode("latin-1"))
    assert caught.value.segment == segment, str(caught.value)


def test_truncated_file_is_refused_whole():
    data = written()
    with pytest.raises(EdiError):
        edifact.read_inventory(data[:len(data) // 2])
