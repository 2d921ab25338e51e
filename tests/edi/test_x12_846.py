"""X12 846 inventory advice: golden file, round trip, the independent parser (ansi-x12), the
codec face (codecs.WRITERS / MESSAGE_TYPES) and refusals naming segment and element."""
import copy
import datetime
import os
import pathlib

import pytest
import x12 as ansi_x12  # the independent parser (PyPI ansi-x12, MIT)

from odoo.addons.acorn_amazon_vendor_edi.lib import codecs, x12
from odoo.addons.acorn_amazon_vendor_edi.lib.envelope import EdiError, Envelope

GOLDEN = pathlib.Path(__file__).resolve().parent / "golden" / "x12"
UPDATE = os.environ.get("ACORN_UPDATE_GOLDEN") == "1"
ENV = Envelope("ZZ", "ACORNVENDOR", "ZZ", "AMAZON", 1201, 77,
               prepared_at=datetime.datetime(2026, 11, 4, 9, 30))


def parse_independently(data):
    interchange = ansi_x12.parse_x12_interchange(ansi_x12.tokenize_x12(data))
    return ansi_x12.inspect_x12_interchange(interchange)

INVENTORY = {
    "reportId": "INV-GOLD-1",
    "asOf": "2026-11-04T09:30:00Z",
    "sellingParty": {"partyId": "ACRN1"},
    "shipFromParty": {"partyId": "WH1", "address": {
        "name": "Acorn Warehouse", "addressLine1": "1 Dock Road", "city": "Reno",
        "stateOrRegion": "NV", "postalCode": "89501", "countryCode": "US"}},
    "items": [
        {"amazonProductIdentifier": "B0GOLD0001", "vendorProductIdentifier": "ACN-G1",
         "ean": "4006381333931", "availableQuantity": 120, "onOrderQuantity": 48,
         "restockDate": "2026-11-20"},
        {"amazonProductIdentifier": "B0GOLD0002", "vendorProductIdentifier": "ACN-G2",
         "upc": "012345678905", "availableQuantity": 0},
        {"vendorProductIdentifier": "ACN-G3", "availableQuantity": 7, "onOrderQuantity": 0},
    ],
}


def written(document=INVENTORY):
    return x12.write_inventory(document, ENV)


def test_golden_file():
    data = written()
    path = GOLDEN / "inventory.x12"
    text = data.decode().replace("~", "~\n")
    if UPDATE:
        path.write_text(text)
    assert path.read_text() == text, "inventory.x12 differs: regenerate with " \
        "ACORN_UPDATE_GOLDEN=1 and review the diff"
    assert x12.read_inventory(path.read_bytes()).documents == [INVENTORY]


def test_round_trip_and_the_codec_face():
    assert x12.read_inventory(written()).documents == [INVENTORY]
    assert codecs.MESSAGE_TYPES["x12"]["inventory"] == "846"
    assert codecs.write_document("x12", "inventory", INVENTORY, ENV) == written()
    parsed = x12.read_interchange(written())
    assert parsed.groups[0].functional_id == "IB" and parsed.groups[0].version == "004010"


def test_segments():
    segments = written().decode().split("~")
    assert "BIA*00*MM*INV-GOLD-1*20261104*0930" in segments
    assert "N1*SU**92*ACRN1" in segments and "N1*SF*Acorn Warehouse*92*WH1" in segments
    assert "LIN*1*BP*B0GOLD0001*VN*ACN-G1*EN*4006381333931" in segments
    assert "QTY*33*120*EA" in segments and "QTY*63*48*EA" in segments
    assert "SCH*48*EA***018*20261120" in segments
    assert "LIN*2*BP*B0GOLD0002*VN*ACN-G2*UP*012345678905" in segments
    assert "CTT*3" in segments


def test_independent_parser_accepts_it():
    inspection = parse_independently(written())
    assert inspection.actual_group_count == 1 and inspection.total_transaction_count == 1
    group = inspection.groups[0]
    assert group.declared_transaction_count == group.actual_transaction_count
    for transaction in group.transactions:
        assert transaction.declared_segment_count == transaction.actual_segment_count


def test_sk_is_read_as_the_vendor_sku():
    data = written().replace(b"LIN*3*VN*ACN-G3", b"LIN*3*SK*ACN-G3")
    assert x12.read_inventory(data).documents == [INVENTORY]


def changed(**edits):
    document = copy.deepcopy(INVENTORY)
    for path, value in edits.items():
        target = document
        *parents, last = path.split("__")
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        if value is None:
            target.pop(int(last) if last.isdigit() else last)
        else:
            target[int(last) if last.isdigit() else last] = value
    return document


@pytest.mark.parametrize("edits, segment", [
    ({"reportId": None}, "BIA"),
    ({"sellingParty": None}, "N1"),
    ({"items": []}, "LIN"),
    ({"items__2__vendorProductIdentifier": None}, "LIN"),
    ({"items__0__availableQuantity": -1}, "QTY"),
    ({"items__0__availableQuantity": 1.5}, "QTY"),
    ({"items__0__onOrderQuantity": "many"}, "QTY"),
    ({"items__0__onOrderQuantity": None}, "SCH"),
    ({"items__0__restockDate": "20-11-2026"}, "SCH"),
    ({"asOf": "yesterday"}, "BIA"),
])
def test_writer_refusals(edits, segment):
    with pytest.raises(EdiError) as caught:
        written(changed(**edits))
    assert caught.value.segment == segment, str(caught.value)


@pytest.mark.parametrize("old, new, where", [
    (b"QTY*33*120*EA", b"QTY*33*-120*EA", "QTY02"),
    (b"QTY*33*120*EA", b"QTY*33*12.5*EA", "QTY02"),
    (b"QTY*33*120*EA", b"QTY*33*120*CA", "QTY03"),
    (b"QTY*33*0*EA", b"QTY*17*0*EA", "QTY01"),
    (b"CTT*3", b"CTT*4", "CTT01"),
    (b"BIA*00*MM", b"BIA*05*MM", "BIA01"),
    (b"N1*SU**92*ACRN1~", b"", "N1"),
    (b"LIN*2*BP*B0GOLD0002", b"LIN*2*ZZ*B0GOLD0002", "LIN02"),
    (b"SCH*48*", b"SCH*47*", "SCH01"),
    (b"*018*20261120", b"*018*20261320", "SCH06"),
])
def test_reader_refusals_name_segment_and_element(old, new, where):
    data = written().replace(old, new, 1)
    if old.endswith(b"~") and not new:  # a removed segment: SE01 counts one less
        count = data.split(b"SE*")[1].split(b"*")[0]
        data = data.replace(b"SE*" + count, b"SE*" + str(int(count) - 1).encode(), 1)
    assert data != written()
    with pytest.raises(EdiError) as caught:
        x12.read_inventory(data)
    assert str(caught.value).startswith(where) or where in str(caught.value), \
        str(caught.value)


def test_truncated_file_is_refused_whole():
    data = written()
    with pytest.raises(EdiError):
        x12.read_inventory(data[:data.rindex(b"SE*")])
