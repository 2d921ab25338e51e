"""TA1 interchange acknowledgments: written alone or before a 997's group, read back, every
element checked, the note code of an envelope our reader refused, files told apart."""
import dataclasses
import datetime

import pytest
import x12 as ansi_x12  # the independent parser (PyPI ansi-x12, MIT)

from odoo.addons.acorn_amazon_vendor_edi.lib import codecs, sniff, x12
from odoo.addons.acorn_amazon_vendor_edi.lib.envelope import EdiError, Envelope
from odoo.addons.acorn_amazon_vendor_edi.lib.x12 import interchange, ta1

AT = datetime.datetime(2026, 11, 4, 9, 30)
ENV = Envelope("ZZ", "ACORNVENDOR", "ZZ", "AMAZON", 1201, 77, prepared_at=AT)
AMAZON_ENV = Envelope("ZZ", "AMAZON", "ZZ", "ACORNVENDOR", 5001, 901, prepared_at=AT)
ORDER = {"purchaseOrderNumber": "4TA1US01", "purchaseOrderState": "New", "orderDetails": {
    "purchaseOrderDate": "2026-11-02T12:00:00Z", "purchaseOrderType": "RegularOrder",
    "paymentMethod": "Invoice", "buyingParty": {"partyId": "ABE2"},
    "sellingParty": {"partyId": "ACRN1"}, "shipToParty": {"partyId": "ABE2"},
    "billToParty": {"partyId": "AMZN-US"},
    "shipWindow": "2026-11-03T00:00:00Z--2026-11-06T00:00:00Z",
    "items": [{"itemSequenceNumber": "1", "amazonProductIdentifier": "B0TA100001",
               "vendorProductIdentifier": "ACN-T1",
               "orderedQuantity": {"amount": 4, "unitOfMeasure": "Eaches", "unitSize": 1},
               "isBackOrderAllowed": False,
               "netCost": {"amount": "4.10", "currencyCode": "USD"}}]}}


def purchase_orders(ask_ta1=False):
    text = x12.write_purchase_orders([ORDER], AMAZON_ENV).decode()
    return (text[:100] + ("1" if ask_ta1 else "0") + text[101:]).encode()  # ISA14


def test_a_ta1_alone_is_written_and_read_back():
    acks = [x12.InterchangeAck(1201, "261104", "0930", "R", "025"),
            x12.InterchangeAck(1202, "261104", "0931", "A", "000")]
    data = interchange.write_acknowledgments(AMAZON_ENV, acks)
    text = data.decode()
    assert text.endswith("TA1*000001201*261104*0930*R*025~TA1*000001202*261104*0931*A*000~"
                         "IEA*0*000005001~")
    assert x12.read_interchange_acknowledgments(data) == acks
    assert sniff.sniff(data) == ("x12", "interchange_ack", "TA1")
    assert codecs.read_interchange_acks("x12", data) == [
        codecs.Answer(1201, False, ("interchange 000001201: duplicate interchange control "
                                    "number",)),
        codecs.Answer(1202, True, ())]
    assert codecs.read_interchange_acks("edifact", data) == []  # CONTRL answers there
    assert codecs.MESSAGE_TYPES["x12"]["interchange_ack"] == "TA1"


def test_a_partner_asking_for_it_gets_the_ta1_before_our_997():
    received = x12.read_purchase_orders(purchase_orders(ask_ta1=True))
    assert received.acknowledgment_requested
    answer = x12.write_functional_ack(received, envelope=ENV)
    assert "~TA1*000005001*261104*0930*A*000~GS*FA*" in answer.decode()
    (ack,) = x12.read_interchange_acknowledgments(answer)
    assert ack.accepted and ack.text() == ""
    assert [r.accepted for r in x12.read_functional_ack(answer)] == [True]
    parsed = ansi_x12.parse_x12_interchange(ansi_x12.tokenize_x12(answer))
    assert ansi_x12.inspect_x12_interchange(parsed).actual_group_count == 1
    # not asked: no TA1
    plain = x12.write_functional_ack(x12.read_purchase_orders(purchase_orders()), envelope=ENV)
    assert b"TA1" not in plain and x12.read_interchange_acknowledgments(plain) == []


@pytest.mark.parametrize(("edit", "note"), [
    (lambda t: t[:t.rindex("*") + 1] + "000009999~", "001"),  # IEA02 is not ISA13
    (lambda t: t.replace("IEA*1*", "IEA*2*"), "021"),  # IEA01 counts 2 groups
    (lambda t: t[:t.rindex("GE*")], "023"),  # cut before its trailers
    (lambda t: t[:100] + "2" + t[101:], "019"),  # ISA14 neither 0 nor 1
    (lambda t: t.replace("*00401*", "*00300*", 1), "017"),  # ISA12 unknown version
    (lambda t: t[:102] + "X" + t[103:], "020"),  # ISA15 neither T nor P
    (lambda t: t.replace("GS*PO*AMAZON", "GS*AMAZON", 1), "024"),  # a GS that cannot be read
])
def test_an_envelope_our_reader_refuses_gets_a_ta1_naming_it(edit, note):
    broken = edit(purchase_orders().decode()).encode()
    with pytest.raises(EdiError) as caught:
        x12.read_purchase_orders(broken)
    data = codecs.write_envelope_refusal("x12", broken, caught.value, ENV)
    (ack,) = x12.read_interchange_acknowledgments(data)
    assert (ack.interchange_control, ack.date, ack.time, ack.code, ack.note) == \
        (5001, "261104", "0930", "R", note), str(caught.value)
    assert ack.text().startswith("interchange 000005001: ")
    assert data.decode().startswith("ISA*00*          *00*          *ZZ*ACORNVENDOR    *ZZ*"
                                    "AMAZON         *261104*0930*U*00401*000001201*0*T*>~")


def test_no_ta1_when_the_header_cannot_be_read_or_for_edifact():
    error = EdiError("the file is truncated", "ISA")
    assert codecs.write_envelope_refusal("x12", b"ISA*00*truncated", error, ENV) is None
    assert codecs.write_envelope_refusal("x12", b"\xff" * 200, error, ENV) is None
    no_number = purchase_orders().decode()
    no_number = (no_number[:90] + "00000500A" + no_number[99:]).encode()  # TA101 needs ISA13
    assert codecs.write_envelope_refusal("x12", no_number, error, ENV) is None
    assert codecs.write_envelope_refusal("edifact", b"UNA:+.? 'UNB+UNOC", error, ENV) is None


@pytest.mark.parametrize(("segment", "element"), [
    ("TA1*12A45*261104*0930*R*025", 1),  # no control number to find our file by
    ("TA1*1234567890*261104*0930*R*025", 1),  # more than 9 digits
    ("TA1*000001201*261104*0930*X*000", 4),  # not A, E or R
])
def test_a_ta1_that_is_not_one_is_refused_naming_the_element(segment, element):
    data = interchange.write_acknowledgments(AMAZON_ENV, []).decode()
    data = data.replace("IEA*", segment + "~IEA*").encode()
    with pytest.raises(EdiError) as caught:
        x12.read_interchange_acknowledgments(data)
    assert (caught.value.segment, caught.value.element) == ("TA1", element)


def test_a_refusal_worded_a_partners_own_way_is_still_read():
    data = interchange.write_acknowledgments(AMAZON_ENV, []).decode()
    data = data.replace("IEA*", "TA1*1201*2611*9:30*R*999~IEA*").encode()
    assert codecs.read_interchange_acks("x12", data) == [
        codecs.Answer(1201, False, ("interchange 000001201: interchange note 999",))]


def test_a_ta1_before_a_997_is_read_whatever_the_sets_hold():
    received = x12.read_purchase_orders(purchase_orders(ask_ta1=True))
    answer = x12.write_functional_ack(received, envelope=ENV).decode()
    broken = answer.replace("AK9*A*1*1*1", "AK9*Q*1*1*1")  # a 997 set that cannot be read
    with pytest.raises(EdiError):
        x12.read_functional_ack(broken.encode())
    assert [a.note for a in x12.read_interchange_acknowledgments(broken.encode())] == ["000"]


@pytest.mark.parametrize(("edit", "note"), [
    (lambda t: t.replace("*AMAZON         *", "*AMAZON        *", 1), "006"),  # ISA06 short
    (lambda t: t[:90] + "0" + t[90:], "018"),  # ISA13 of 10 digits
    (lambda t: t.replace("~", "", 1), "004"),  # the ISA's segment terminator missing
])
def test_the_note_names_the_element_at_fault(edit, note):
    broken = edit(purchase_orders().decode()).encode()
    with pytest.raises(EdiError) as caught:
        x12.read_purchase_orders(broken)
    assert ta1.note_for(caught.value) == note, str(caught.value)


def test_the_writer_refuses_what_a_ta1_cannot_say():
    for bad in (dataclasses.replace(x12.InterchangeAck(1, "261104", "0930", "A", "000"),
                                    code="Q"),
                x12.InterchangeAck(1, "261104", "0930", "R", "032"),
                x12.InterchangeAck(10**9, "261104", "0930", "R", "001"),
                x12.InterchangeAck(1, "2611O4", "0930", "R", "001"),
                x12.InterchangeAck(1, "261104", "9:30", "R", "001")):
        with pytest.raises(EdiError):
            interchange.write_acknowledgments(AMAZON_ENV, [bad])
    assert set(ta1.NOTES) == {f"{n:03d}" for n in range(32)}
