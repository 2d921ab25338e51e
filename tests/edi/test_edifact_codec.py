"""EDIFACT D96A codec (pure, no database): golden files, round trips, refusals, CONTRL.

Every file we write is re-parsed by pydifact's own parser and by an independent check written
here as data (MANDATORY), which splits segments itself and checks UNT/UNZ counts and references.
"""
import copy
import datetime
import json
import os
import pathlib
import re
import warnings

import pytest
from pydifact.segmentcollection import Interchange as PydifactInterchange

from odoo.addons.acorn_amazon_vendor_edi.lib import edifact
from odoo.addons.acorn_amazon_vendor_edi.lib.envelope import EdiError, Envelope

HERE = pathlib.Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "edifact"
MAPPING = HERE.parent / "mapping" / "golden"
PREPARED = datetime.datetime(2026, 11, 4, 8, 0, tzinfo=datetime.UTC)
VENDOR = Envelope("14", "5790000000001", "14", "5450534000000", 42, 0, prepared_at=PREPARED)
AMAZON = Envelope("14", "5450534000000", "14", "5790000000001", 7001, 0, test=False,
                  prepared_at=PREPARED)


def api(name, key):
    return json.loads((MAPPING / f"{name}.json").read_text())[key][0]


ADDRESS = {"name": "Amazon EU SARL", "addressLine1": "Amazonstrasse 1", "city": "Leipzig",
           "postalCode": "04347", "countryCode": "DE"}


def purchase_order(number="4GOLDEU1"):
    """An EU order in getPurchaseOrders' shape, with the fields ORDERS carries."""
    return {
        "purchaseOrderNumber": number,
        "purchaseOrderState": "New",
        "orderDetails": {
            "purchaseOrderDate": "2026-11-02T12:00:00Z",
            "purchaseOrderType": "RegularOrder",
            "deliveryWindow": "2026-11-09T08:00:00Z--2026-11-13T17:30:00Z",
            "shipWindow": "2026-11-05T00:00:00Z--2026-11-06T00:00:00Z",
            "paymentMethod": "Invoice",
            "dealCode": "DEAL-7",
            "buyingParty": {"partyId": "AMZN-DE", "address": dict(ADDRESS),
                            "taxInfo": {"taxRegistrationType": "VAT",
                                        "taxRegistrationNumber": "DE814584193"}},
            "sellingParty": {"partyId": "ACRNE"},
            "shipToParty": {"partyId": "LEJ1", "address": dict(ADDRESS, phone="+49 341 1")},
            "billToParty": {"partyId": "5450534000000",
                            "address": dict(ADDRESS, name="Amazon EU S.à r.l. ?+:' test")},
            "items": [
                {"itemSequenceNumber": "1", "amazonProductIdentifier": "B0GOLD0003",
                 "vendorProductIdentifier": "ACN-G3",
                 "orderedQuantity": {"amount": 3, "unitOfMeasure": "Cases", "unitSize": 6},
                 "isBackOrderAllowed": True,
                 "netCost": {"amount": "7.305", "currencyCode": "EUR"},
                 "listPrice": {"amount": "19.99", "currencyCode": "EUR"}},
                {"itemSequenceNumber": "2", "amazonProductIdentifier": "B0GOLD0004",
                 "vendorProductIdentifier": "4006381333931",
                 "orderedQuantity": {"amount": 12, "unitOfMeasure": "Eaches", "unitSize": 1},
                 "isBackOrderAllowed": False,
                 "netCost": {"amount": "2.10", "currencyCode": "EUR"}},
            ],
        },
    }


def backordered_ack():
    ack = api("acknowledgement", "acknowledgements")
    ack["items"][0]["itemAcknowledgements"] = [
        {"acknowledgementCode": "Accepted",
         "acknowledgedQuantity": {"amount": 3, "unitOfMeasure": "Cases", "unitSize": 6},
         "scheduledShipDate": "2026-11-05T00:00:00Z",
         "scheduledDeliveryDate": "2026-11-08T10:30:00Z"},
        {"acknowledgementCode": "Backordered",
         "acknowledgedQuantity": {"amount": 1, "unitOfMeasure": "Cases", "unitSize": 6},
         "scheduledShipDate": "2026-11-20T00:00:00Z"},
    ]
    return ack


def charged_invoice():
    invoice = api("invoice", "invoices")
    invoice["allowanceDetails"] = [{"type": "Discount", "description": "Volume 2%",
                                    "allowanceAmount": {"amount": "4.00",
                                                        "currencyCode": "USD"}}]
    invoice["paymentTerms"] = {"type": "Basic", "netDueDays": 60, "discountPercent": "2",
                               "discountDueDays": 10}
    invoice["referenceNumber"] = "REF-99"
    invoice["items"][0]["taxDetails"] = [
        {"taxType": "MwSt.", "taxRate": "7", "taxAmount": {"amount": "6.93",
                                                           "currencyCode": "USD"}}]
    invoice["chargeDetails"][0]["taxDetails"] = [{"taxType": "VAT", "taxRate": "0"}]
    return invoice


# (golden file, writer, reader, document, keys EDIFACT does not carry)
CASES = {
    "orders": (lambda d, e: edifact.write_purchase_orders(d, e), edifact.read_purchase_orders,
               lambda: [purchase_order(), purchase_order("4GOLDEU2")], AMAZON),
    "ordrsp": (edifact.write_acknowledgement, edifact.read_acknowledgement,
               lambda: api("acknowledgement", "acknowledgements"), VENDOR),
    "ordrsp_backordered": (edifact.write_acknowledgement, edifact.read_acknowledgement,
                           backordered_ack, VENDOR),
    "desadv_cartons": (edifact.write_shipment_confirmation, edifact.read_shipment_confirmation,
                       lambda: api("shipment_confirmation_cartons", "shipmentConfirmations"),
                       VENDOR),
    "desadv_pallets": (edifact.write_shipment_confirmation, edifact.read_shipment_confirmation,
                       lambda: api("shipment_confirmation_pallets", "shipmentConfirmations"),
                       VENDOR),
    "invoic": (edifact.write_invoice, edifact.read_invoice,
               lambda: api("invoice", "invoices"), VENDOR),
    "invoic_charges": (edifact.write_invoice, edifact.read_invoice, charged_invoice, VENDOR),
    "invoic_credit_note": (edifact.write_invoice, edifact.read_invoice,
                           lambda: api("credit_note", "invoices"), VENDOR),
}


def not_carried(document):
    """What EDIFACT cannot carry (see each message module's docstring), removed."""
    doc = copy.deepcopy(document)
    if "shipmentIdentifier" in doc:
        doc.pop("shipmentType", None)
        doc.pop("shipmentStructure", None)
        for pallet in doc.get("pallets") or []:
            pallet.pop("tier", None)
            pallet.pop("block", None)
    return doc


def write(name):
    writer, _reader, make, envelope = CASES[name]
    return writer(make(), envelope)


# -- an independent structural check, written as data -----------------------------------------

MANDATORY = {  # message type -> segments every message must hold, in this order
    "ORDERS": ["UNH", "BGM", "DTM", "NAD", "LIN", "QTY", "UNS", "UNT"],
    "ORDRSP": ["UNH", "BGM", "DTM", "RFF", "LIN", "UNS", "UNT"],
    "DESADV": ["UNH", "BGM", "DTM", "NAD", "CPS", "LIN", "QTY", "UNT"],
    "INVOIC": ["UNH", "BGM", "DTM", "NAD", "CUX", "LIN", "QTY", "PRI", "UNS", "MOA", "UNT"],
    "CONTRL": ["UNH", "UCI", "UNT"],
}
IDENTIFIERS = {"ORDERS": "ORDERS:D:96A:UN:EAN008", "ORDRSP": "ORDRSP:D:96A:UN:EAN005",
               "DESADV": "DESADV:D:96A:UN:EAN005", "INVOIC": "INVOIC:D:96A:UN:EAN008",
               "CONTRL": "CONTRL:D:3:UN"}


def independent_check(data):
    """Split by hand (release character ?), then check the envelope like a receiver would."""
    text = data.decode("latin-1")
    assert text.startswith("UNA:+.? '")
    segments, current, escaped = [], "", False
    for char in text[9:]:
        if escaped:
            current += "\x00" + char
            escaped = False
        elif char == "?":
            escaped = True
        elif char == "'":
            segments.append(current)
            current = ""
        else:
            current += char
    assert current == "" and not escaped, "file does not end with a segment terminator"
    split = [[e.split(":") for e in s.split("+")] for s in segments]
    assert split[0][0][0] == "UNB" and split[-1][0][0] == "UNZ"
    assert split[0][1] == ["UNOC", "3"]
    assert split[-1][2][0] == split[0][5][0]
    messages, body = [], None
    for seg in split[1:-1]:
        tag = seg[0][0]
        if tag == "UNH":
            assert body is None
            body = [seg]
        else:
            body.append(seg)
            if tag == "UNT":
                messages.append(body)
                body = None
    assert body is None
    assert split[-1][1][0] == str(len(messages))
    for message in messages:
        unh, unt = message[0], message[-1]
        assert unt[1][0] == str(len(message)) and unt[2][0] == unh[1][0]
        kind = unh[2][0]
        assert ":".join(unh[2]) == IDENTIFIERS[kind]
        tags = iter(s[0][0] for s in message)
        for wanted in MANDATORY[kind]:
            assert any(t == wanted for t in tags), f"{kind}: {wanted} missing or out of order"
    return messages


def pydifact_check(data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = PydifactInterchange.from_str(data.decode("latin-1"))
        messages = list(parsed.get_messages())
    assert parsed.get_header_segment().tag == "UNB"
    return messages


# -- golden files and round trips ---------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_file(name):
    data = write(name)
    path = GOLDEN / f"{name}.edi"
    readable = data.decode("latin-1").replace("'", "'\n").replace("?'\n", "?'")
    if os.environ.get("ACORN_UPDATE_GOLDEN"):
        path.write_text(readable, encoding="latin-1")
    assert path.read_text(encoding="latin-1").replace("\n", "") == data.decode("latin-1")


@pytest.mark.parametrize("name", sorted(CASES))
def test_round_trip(name):
    writer, reader, make, envelope = CASES[name]
    document = make()
    interchange = reader(writer(document, envelope))
    expected = document if isinstance(document, list) else [document]
    assert interchange.documents == [not_carried(d) for d in expected]
    assert interchange.envelope() == Envelope(
        envelope.sender_qualifier, envelope.sender_id, envelope.receiver_qualifier,
        envelope.receiver_id, envelope.interchange_control, 0, test=envelope.test,
        element_separator="+", component_separator=":", segment_terminator="'",
        prepared_at=PREPARED)


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_file_parses_with_pydifact_and_the_independent_check(name):
    data = write(name)
    ours = independent_check(data)
    theirs = pydifact_check(data)
    assert len(theirs) == len(ours)
    for mine, message in zip(ours, theirs, strict=True):
        # pydifact's message holds the segments between UNH and UNT
        assert [s[0][0] for s in mine[1:-1]] == [s.tag for s in message.segments]


def test_interchange_fields():
    interchange = edifact.read_purchase_orders(write("orders"))
    assert (interchange.sender_id, interchange.sender_qualifier) == ("5450534000000", "14")
    assert interchange.reference == "7001" and interchange.test is False
    assert [(m.reference, m.type, m.identifier) for m in interchange.messages] == [
        ("1", "ORDERS", "ORDERS:D:96A:UN:EAN008"), ("2", "ORDERS", "ORDERS:D:96A:UN:EAN008")]
    assert edifact.read_acknowledgement(write("ordrsp")).test is True


def test_message_references_follow_group_control():
    envelope = Envelope("14", "1", "14", "2", 5, 900, prepared_at=PREPARED)
    data = edifact.write_purchase_orders([purchase_order(), purchase_order("X2")], envelope)
    refs = [m.reference for m in edifact.read_purchase_orders(data).messages]
    assert refs == ["900", "901"]


def test_release_character_escapes_both_ways():
    data = write("orders")
    assert b"Amazon EU S.\xe0 r.l. ???+?:?' test" in data
    party = edifact.read_purchase_orders(data).documents[0]["orderDetails"]["billToParty"]
    assert party["address"]["name"] == "Amazon EU S.à r.l. ?+:' test"


def test_amounts_stay_exact_strings():
    order = edifact.read_purchase_orders(write("orders")).documents[0]
    item = order["orderDetails"]["items"][0]
    assert item["netCost"] == {"amount": "7.305", "currencyCode": "EUR"}
    invoice = edifact.read_invoice(write("invoic")).documents[0]
    assert invoice["items"][0]["netCost"]["amount"] == "4.125"
    assert b"MOA+203:99.000'" in write("invoic")  # 4 cases x 6 x 4.125, not rounded


def test_an_item_named_by_its_gtin_only_is_matched_by_it():
    """EANCOM's place for the GTIN is LIN03 (or PIA with SRV / EN / IB)."""
    text = write("orders").decode("latin-1")
    lin = re.search(r"LIN\+1[^']*'", text).group(0)
    gtin = text.replace(lin, "LIN+1++4006381333931:SRV'", 1).replace(
        "PIA+5+ACN-G3:SA'", "", 1)
    gtin = re.sub(r"UNT\+(\d+)\+", lambda m: f"UNT+{int(m.group(1)) - 1}+", gtin, count=1)
    item = edifact.read_purchase_orders(gtin.encode("latin-1")).documents[0][
        "orderDetails"]["items"][0]
    assert item["vendorProductIdentifier"] == "4006381333931"
    isbn = text.replace("PIA+5+ACN-G3:SA'", "PIA+5+9783898306101:IB'", 1)
    item = edifact.read_purchase_orders(isbn.encode("latin-1")).documents[0][
        "orderDetails"]["items"][0]
    assert item["vendorProductIdentifier"] == "9783898306101"


def test_orders_dates_and_message_function_as_eancom_writes_them():
    text = write("orders").decode("latin-1")
    # a single requested ship date (EANCOM's usual DTM+10) is that day
    single = text.replace("DTM+10:20261105-20261106:718'", "DTM+10:20261105:102'", 1)
    details = edifact.read_purchase_orders(single.encode("latin-1")).documents[0]["orderDetails"]
    assert details["shipWindow"] == "2026-11-05T00:00:00Z--2026-11-05T23:59:59Z"
    # the latest delivery date alone: the window opens with the order
    latest = text.replace("DTM+64:202611090800:203'", "", 1)
    latest = re.sub(r"UNT\+(\d+)\+", lambda m: f"UNT+{int(m.group(1)) - 1}+", latest, count=1)
    details = edifact.read_purchase_orders(latest.encode("latin-1")).documents[0]["orderDetails"]
    assert details["deliveryWindow"] == "2026-11-02T12:00:00Z--2026-11-13T17:30:00Z"
    # a cancellation (message function 1) is never read as a new order: refused, and said
    cancel = text.replace("+4GOLDEU1+9'", "+4GOLDEU1+1'", 1)
    with pytest.raises(EdiError, match="4GOLDEU1 cancels the order"):
        edifact.read_purchase_orders(cancel.encode("latin-1"))


def test_decimal_comma_and_line_breaks_are_read():
    text = write("invoic").decode("latin-1")
    text = text.replace("UNA:+.? '", "UNA:+,? '", 1).replace("4.125", "4,125")
    text = text.replace("'", "'\r\n")
    invoice = edifact.read_invoice(text.encode("latin-1")).documents[0]
    assert invoice["items"][0]["netCost"]["amount"] == "4.125"


def test_read_dispatches_on_message_type():
    assert edifact.read(write("desadv_cartons")).messages[0].type == "DESADV"
    assert edifact.read(write("ordrsp")).messages[0].type == "ORDRSP"


# -- refusals: a bad file gives an EdiError naming the spot, and nothing else -------------------

def drop(name, segment):
    """The file without one segment, its UNT count corrected (so only the gap is wrong)."""
    data = write(name).decode("latin-1")
    assert segment in data, segment
    data = data.replace(segment, "", 1)
    data = re.sub(r"UNT\+(\d+)\+", lambda m: f"UNT+{int(m.group(1)) - 1}+", data, count=1)
    return data.encode("latin-1")


def corrupt(name, old, new, count=1):
    data = write(name).decode("latin-1")
    assert old in data, old
    return data.replace(old, new, count).encode("latin-1")


REFUSALS = {
    "truncated in a segment": (lambda: write("orders")[:-25], "UNS", None),
    "truncated at a segment end": (lambda: write("orders").rsplit(b"UNZ", 1)[0], "UNZ", None),
    "bad UNA": (lambda: write("orders")[:6] + write("orders")[9:], "UNA", None),
    "separators not those of the UNA": (lambda: corrupt("orders", "UNA:+.? '", "UNA*+.? '"),
                                        "UNB", 1),
    "not EDIFACT": (lambda: b"ISA*00*", "UNB", None),
    "UNT count wrong": (lambda: corrupt("ordrsp", "UNT+", "UNT+9"), "UNT", 1),
    "UNT reference differs": (lambda: re.sub(rb"UNT\+(\d+)\+1'", rb"UNT+\1+7'",
                                             write("ordrsp")), "UNT", 2),
    "UNZ reference differs": (lambda: corrupt("ordrsp", "UNZ+1+42'", "UNZ+1+43'"), "UNZ", 2),
    "UNZ count wrong": (lambda: corrupt("ordrsp", "UNZ+1+42'", "UNZ+2+42'"), "UNZ", 1),
    "unknown message type": (lambda: corrupt("ordrsp", "ORDRSP:D:96A", "IFTSTA:D:96A"),
                             "UNH", 2),
    "unknown version": (lambda: corrupt("ordrsp", "ORDRSP:D:96A", "ORDRSP:D:01B"), "UNH", 2),
    "missing BGM": (lambda: drop("ordrsp", "BGM+231+4GOLDUS1+4'"), "BGM", None),
    "missing order date": (lambda: drop("ordrsp", "DTM+137:202611040600:203'"), "DTM",
                           None),
    "missing UNS": (lambda: drop("ordrsp", "UNS+S'"), "UNS", None),
    "segment outside a message": (lambda: corrupt("ordrsp", "UNZ+", "BGM+1'UNZ+"), "BGM",
                                  None),
    "duplicate message reference": (
        lambda: re.sub(rb"UNH\+2\+", b"UNH+1+", re.sub(rb"UNT\+(\d+)\+2'", rb"UNT+\1+1'",
                                                     write("orders"))), "UNH", 1),
    "quantity not a number": (lambda: corrupt("ordrsp", "QTY+21:4:CS", "QTY+21:four:CS"),
                              "QTY", 1),
    "bad date": (lambda: corrupt("ordrsp", "DTM+137:202611040600:203", "DTM+137:2026110:203"),
                 "DTM", 1),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusals(case):
    make, segment, element = REFUSALS[case]
    data = make()
    with pytest.raises(EdiError) as caught:
        edifact.read(data)
    error = caught.value
    assert error.segment == segment, str(error)
    if element:
        assert error.element == element, str(error)
    assert str(error).startswith(segment)


def test_refused_message_names_its_reference():
    data = corrupt("orders", "LIN+1'", "LIN+1'QTY+21:x'", 1)
    with pytest.raises(EdiError) as caught:
        edifact.read_purchase_orders(data)
    assert caught.value.message_reference == "1"
    assert caught.value.interchange_reference == "7001"


def test_reader_refuses_other_message_types():
    with pytest.raises(EdiError, match="not expected here"):
        edifact.read_invoice(write("ordrsp"))


@pytest.mark.parametrize("change, segment", [
    (lambda d: d["items"][0]["netCost"].update(amount=4.125), "PRI"),
    (lambda d: d["items"][0]["netCost"].update(amount="4,125"), "PRI"),
    (lambda d: d["sellingParty"].update(address={"name": "深圳", "addressLine1": "x",
                                                 "countryCode": "CN"}), "NAD"),
    (lambda d: d["sellingParty"].update(address={"name": "A\nB", "addressLine1": "x",
                                                 "countryCode": "CN"}), "NAD"),
    (lambda d: d["items"][0]["itemAcknowledgements"][0].update(acknowledgementCode="Maybe"),
     "LIN"),
    (lambda d: d["items"][1]["netCost"].update(currencyCode="EUR"), "CUX"),
])
def test_writer_refuses_what_edifact_cannot_hold(change, segment):
    ack = api("acknowledgement", "acknowledgements")
    change(ack)
    with pytest.raises(EdiError) as caught:
        edifact.write_acknowledgement(ack, VENDOR)
    assert caught.value.segment == segment


def test_writer_refuses_non_sscc_and_street_too_long():
    sc = api("shipment_confirmation_cartons", "shipmentConfirmations")
    sc["cartons"][0]["cartonIdentifiers"][0]["containerIdentificationType"] = "AMZNCC"
    with pytest.raises(EdiError, match="only SSCC"):
        edifact.write_shipment_confirmation(sc, VENDOR)
    invoice = api("invoice", "invoices")
    invoice["remitToParty"]["address"]["addressLine1"] = "x" * 36
    with pytest.raises(EdiError) as caught:
        edifact.write_invoice(invoice, VENDOR)
    assert (caught.value.segment, caught.value.element) == ("NAD", 5)


# -- CONTRL both ways ---------------------------------------------------------------------------

def test_control_accepting_what_we_read():
    received = edifact.read_purchase_orders(write("orders"))
    ours = Envelope("14", "5790000000001", "14", "5450534000000", 43, 0, test=False,
                    prepared_at=PREPARED)
    data = edifact.write_control(received, True, [], envelope=ours)
    independent_check(data)
    pydifact_check(data)
    assert b"UCI+7001+5450534000000:14+5790000000001:14+7'" in data
    result = edifact.read_control(data).documents[0]
    assert result["accepted"] is True and result["interchangeReference"] == "7001"
    assert [(m["reference"], m["type"], m["accepted"]) for m in result["messages"]] == [
        ("1", "ORDERS", True), ("2", "ORDERS", True)]
    assert edifact.write_functional_ack is edifact.write_control
    assert edifact.read_functional_ack is edifact.read_control


def test_control_rejecting_a_file_we_could_not_read():
    bad = corrupt("orders", "QTY+21:12:PCE", "QTY+21:1x:PCE")
    with pytest.raises(EdiError) as caught:
        edifact.read_purchase_orders(bad)
    data = edifact.write_control(bad, False, [caught.value])
    independent_check(data)
    text = data.decode("latin-1")
    assert "UCI+7001+5450534000000:14+5790000000001:14+4'" in text
    assert "UCM+1++4'UCS+" in text and "UCD+19+1'" in text
    result = edifact.read_control(data).documents[0]
    assert result["accepted"] is False
    message = result["messages"][0]
    assert message["reference"] == "1" and message["accepted"] is False
    texts = [e["text"] for e in message["errors"]]
    assert any(re.fullmatch(r"01 \(segment \d+\): invalid decimal notation", t)
               for t in texts), texts


def test_control_rejecting_the_interchange():
    bad = corrupt("ordrsp", "UNZ+1+42'", "UNZ+3+42'")
    with pytest.raises(EdiError) as caught:
        edifact.read_acknowledgement(bad)
    data = edifact.write_control(bad, False, [caught.value])
    result = edifact.read_control(data).documents[0]
    assert result["accepted"] is False
    assert result["errors"][0]["code"] == "29"
    assert result["errors"][0]["text"] == ("UNZ01: control count does not match number of "
                                           "instances received")


def test_control_read_refuses_a_bad_action():
    data = edifact.write_control(edifact.read_acknowledgement(write("ordrsp")), True, [])
    bad = data.replace(b"+7'", b"+5'", 1)
    with pytest.raises(EdiError) as caught:
        edifact.read_control(bad)
    assert (caught.value.segment, caught.value.element) == ("UCI", 4)
