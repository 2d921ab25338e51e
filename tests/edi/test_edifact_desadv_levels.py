"""DESADV lists each unit once, at the packaging level that holds it (EANCOM: the LINs after a
CPS are that package's contents, and a receiver adds them up). Amazon receives a carton by its
SSCC against the PO, ASIN and quantity the ASN gives for that carton, so a packed line carries
the item's ids and PO; CPS+1 keeps only the units in no package."""
import copy
import json
import pathlib

import pytest

from odoo.addons.acorn_amazon_vendor_edi.lib import edifact
from odoo.addons.acorn_amazon_vendor_edi.lib.envelope import EdiError

from .test_edifact_codec import MAPPING, VENDOR


def confirmation(name="shipment_confirmation_cartons"):
    path = pathlib.Path(MAPPING) / f"{name}.json"
    return json.loads(path.read_text())["shipmentConfirmations"][0]


def levels(data):
    """[(CPS level, LIN number, ids, QTY+12 amount, unit, PO)] read off the bytes by hand."""
    out, level, line = [], None, None
    for segment in data.decode("latin-1").split("'"):
        parts = segment.split("+")
        if parts[0] == "CPS":
            level = parts[1]
        elif parts[0] == "LIN":
            line = {"level": level, "number": parts[1], "ids": [], "po": None}
            out.append(line)
        elif parts[0] == "PIA" and line:
            line["ids"].append(parts[2])
        elif parts[0] == "QTY" and parts[1].startswith("12:") and line:
            _q, amount, unit = parts[1].split(":")
            line["amount"], line["unit"] = int(amount), unit
        elif parts[0] == "RFF" and parts[1].startswith("ON:") and line:
            line["po"] = parts[1][3:]
    return out


def test_packed_units_are_listed_in_their_package_only():
    sc = confirmation()
    lines = levels(edifact.write_shipment_confirmation(sc, VENDOR))
    # every unit in a carton: nothing under CPS+1, and the cases add up to what was shipped
    assert [x for x in lines if x["level"] == "1"] == []
    item_1 = [x for x in lines if x["number"] == "001"]
    assert sum(x["amount"] for x in item_1) == 2 and {x["unit"] for x in item_1} == {"CS"}
    for line in lines:
        assert line["po"] == "4GOLDUS1"
        assert line["ids"] in (["B0GOLD0001:BP", "ACN-G1:SA"], ["B0GOLD0002:BP", "ACN-G2:SA"])


def test_units_outside_any_package_stay_under_the_shipment_level():
    sc = confirmation()
    sc["shippedItems"][0]["shippedQuantity"]["amount"] = 5  # 2 cases in cartons, 3 loose
    data = edifact.write_shipment_confirmation(sc, VENDOR)
    lines = levels(data)
    loose = [x for x in lines if x["level"] == "1"]
    assert [(x["number"], x["amount"], x["unit"]) for x in loose] == [("001", 3, "CS")]
    assert sum(x["amount"] for x in lines if x["number"] == "001") == 5
    # read back: the shipment's totals and each carton's contents as written
    read = edifact.read_shipment_confirmation(data).documents[0]
    assert read["shippedItems"] == sc["shippedItems"]
    assert read["cartons"] == sc["cartons"]


def test_a_loose_remainder_in_eaches_when_cases_do_not_divide_it():
    sc = confirmation()
    sc["shippedItems"][0]["shippedQuantity"]["amount"] = 3  # 18 units, 12 in cartons
    sc["cartons"][0]["items"][0]["shippedQuantity"] = {"amount": 4, "unitOfMeasure": "Eaches",
                                                       "unitSize": 1}
    # cartons: 4 eaches + 1 case of 6 = 10 units packed, 8 loose: not whole cases of 6
    lines = levels(edifact.write_shipment_confirmation(sc, VENDOR))
    loose = [x for x in lines if x["level"] == "1"]
    assert [(x["amount"], x["unit"]) for x in loose] == [(8, "PCE")]
    read = edifact.read_shipment_confirmation(
        edifact.write_shipment_confirmation(sc, VENDOR)).documents[0]
    assert read["shippedItems"][0]["shippedQuantity"] == {"amount": 3, "unitOfMeasure": "Cases",
                                                          "unitSize": 6}


def test_packages_holding_more_than_was_shipped_are_refused():
    sc = confirmation()
    sc["shippedItems"][0]["shippedQuantity"]["amount"] = 1  # the cartons hold 2 cases
    with pytest.raises(EdiError, match="hold 12 units, 6 were shipped"):
        edifact.write_shipment_confirmation(sc, VENDOR)
    sc = confirmation()
    sc["cartons"][0]["items"][0]["itemReference"] = "009"
    with pytest.raises(EdiError, match="009 is not an itemSequenceNumber"):
        edifact.write_shipment_confirmation(sc, VENDOR)
    # two items of one number would be added up into one: refused
    sc = confirmation()
    sc["shippedItems"][1]["itemSequenceNumber"] = "001"
    with pytest.raises(EdiError, match="itemSequenceNumber 001 is used twice"):
        edifact.write_shipment_confirmation(sc, VENDOR)
    # a packed line names its item by its ids
    sc = confirmation()
    del sc["shippedItems"][0]["amazonProductIdentifier"]
    del sc["shippedItems"][0]["vendorProductIdentifier"]
    with pytest.raises(EdiError, match="item 001 has neither an ASIN nor a vendor product id"):
        edifact.write_shipment_confirmation(sc, VENDOR)


def test_pallets_of_cartons_round_trip():
    sc = confirmation("shipment_confirmation_pallets")
    data = edifact.write_shipment_confirmation(sc, VENDOR)
    assert [x["level"] for x in levels(data)] == ["3", "4"]  # the cartons on the pallet
    read = edifact.read_shipment_confirmation(data).documents[0]
    assert read["shippedItems"] == sc["shippedItems"]


def test_a_file_of_the_former_layout_is_still_read():
    sc = confirmation()
    data = edifact.write_shipment_confirmation(sc, VENDOR).decode("latin-1")
    # the former layout: every item under CPS+1 with the total, package lines without ids
    head, rest = data.split("CPS+2+1'", 1)
    shipment_level = ("LIN+001'PIA+5+B0GOLD0001:BP'PIA+5+ACN-G1:SA'QTY+12:2:CS'QTY+59:6'"
                      "RFF+ON:4GOLDUS1'LIN+002'PIA+5+B0GOLD0002:BP'PIA+5+ACN-G2:SA'"
                      "QTY+12:8:PCE'QTY+59:1'RFF+ON:4GOLDUS1'")
    for ids in ("PIA+5+B0GOLD0001:BP'PIA+5+ACN-G1:SA'", "PIA+5+B0GOLD0002:BP'PIA+5+ACN-G2:SA'",
                "RFF+ON:4GOLDUS1'"):
        rest = rest.replace(ids, "")
    old = head + shipment_level + "CPS+2+1'" + rest
    count = old.count("'", old.index("UNH")) - old[old.index("UNT"):].count("'") + 1
    old = old.replace(old[old.index("UNT+"):].split("+")[1], str(count), 1)
    read = edifact.read_shipment_confirmation(old.encode("latin-1")).documents[0]
    assert read["shippedItems"] == sc["shippedItems"]
    assert read["cartons"] == sc["cartons"]


def test_one_line_number_naming_two_items_is_refused():
    sc = confirmation()
    data = edifact.write_shipment_confirmation(sc, VENDOR).decode("latin-1")
    # the second carton's line 001 names another ASIN
    first, second = data.split("GIN+ML+002'", 1)
    second = second.replace("B0GOLD0001", "B0OTHER001", 1)
    with pytest.raises(EdiError, match="line 001 names two items"):
        edifact.read_shipment_confirmation((first + "GIN+ML+002'" + second).encode("latin-1"))


def test_nothing_is_changed_in_the_caller_s_document():
    sc = confirmation()
    before = copy.deepcopy(sc)
    edifact.write_shipment_confirmation(sc, VENDOR)
    assert sc == before


def test_the_simulator_points_an_item_error_at_that_item_s_line():
    """Amazon's CONTRL names the segment of an item refused: with the item under each package
    holding it, the i-th shipped item is no longer the i-th LIN of the message."""
    from odoo.addons.acorn_amazon_vendor.lib.simulator import edi_partner  # noqa: PLC0415
    from odoo.addons.acorn_amazon_vendor_edi.lib.edifact import envelope  # noqa: PLC0415

    sc = confirmation()
    data = edifact.write_shipment_confirmation(sc, VENDOR)
    segments = edi_partner._edifact_messages({"edifact.envelope": envelope}, data)["1"]
    rule = {"code": "InvalidQuantity", "message": "shipmentConfirmations[0] shippedItems[1] "
            "shippedQuantity is wrong"}
    error = edi_partner._locate_edifact("shipment_confirmation", segments, rule, "1", sc)
    tag, _position, elements = segments[error["position"] - 1]
    assert error["segment"] == "QTY" and tag == "QTY"
    line = max(i for i, (t, p, _e) in enumerate(segments) if t == "LIN"
               and p < error["position"])
    assert segments[line][2][0][0] == "002", "the line of item 002, not the second LIN"
