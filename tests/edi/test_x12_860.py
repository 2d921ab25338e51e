"""X12 860 purchase order change: written from two versions of an order, read back, applied
to the order last received; a file shaped like Amazon's own 860; refusals."""
import copy
import datetime

import pytest
import x12 as ansi_x12  # the independent parser (PyPI ansi-x12, MIT)

from odoo.addons.acorn_amazon_vendor_edi.lib import codecs, order_change, x12
from odoo.addons.acorn_amazon_vendor_edi.lib.envelope import EdiError, Envelope
from odoo.addons.acorn_amazon_vendor_edi.lib.sniff import sniff

from . import order_versions

AMAZON_ENV = Envelope("ZZ", "AMAZON", "ZZ", "ACORNVENDOR", 5001, 901,
                      prepared_at=datetime.datetime(2026, 11, 22, 9, 45))


ORDER = order_versions.order("4CHGUS01", "USD", "ABE2", "shipWindow")


def _changed():
    return order_versions.changed(ORDER, "PHX3", "shipWindow")


def test_a_change_written_read_and_applied_gives_amazons_new_order():
    new = _changed()
    change = order_change.change_between(ORDER, new, sequence="2")
    assert [line["changeType"] for line in change["items"]] == ["QD", "DI", "PC", "AI"]
    data = x12.write_purchase_order_changes([change], AMAZON_ENV)
    text = data.decode()
    assert sniff(data) == ("x12", "purchase_order_change", "860")
    assert "GS*PC*" in text and "BCH*04*NE*4CHGUS01**2*20261120*****20261122~" in text
    assert "POC*2*DI*0*0*CA*7.50*NT*BP*B0US01002*VN*ACN-US012~CTP**MSR*19.99~PO4*6~" in text
    assert "N1*ST**92*PHX3~" in text and "DTM*037*20261126~" in text
    assert "CTT*4*12~" in text
    ansi_x12.inspect_x12_interchange(ansi_x12.parse_x12_interchange(
        ansi_x12.tokenize_x12(data)))  # an independent parser takes it
    received = codecs.read_purchase_order_changes("x12", data)
    assert received.refused == () and len(received.orders) == 1
    applied = order_change.apply_change(ORDER, received.orders[0])
    expected = copy.deepcopy(new)
    # BCH11 is a date: the time of the change is not carried
    expected["orderDetails"]["purchaseOrderChangedDate"] = "2026-11-22T00:00:00Z"
    assert applied == expected
    # the same change again changes nothing more (quantities are the new ones, not deltas)
    assert order_change.apply_change(applied, received.orders[0]) == applied
    assert ORDER["orderDetails"]["items"][0]["orderedQuantity"]["amount"] == 10, \
        "the order given is not modified"


AMAZON_SHAPED = (
    "ISA*00*          *00*          *ZZ*AMAZON         *ZZ*ACORNVENDOR    *261122*0945*U*"
    "00401*000000077*0*T*>~GS*PC*AMAZON*ACORNVENDOR*20261122*0945*77*X*004010~"
    "ST*860*0001~BCH*05*CP*4CHGUS01**1*20261120~CUR*BT*USD~REF*CR*ACNVC~CSH*N~"
    "DTM*063*20261130~DTM*064*20261126~N1*SU*Acorn Vendor*92*ACNVC~"
    "N1*ST*Amazon.com*15*ABE2~"
    "POC*1*NC*10*10*EA*5*NT*UP*012345678905~N9*C4*NC~"
    "POC*2*QD*0*0*CA*7.5*NT*UP*012345678912~N9*C4*QD~"
    "POC*3*QD*4*4*EA*3.2*NT*UP*012345678929~N9*C4*NC~"
    "CTT*3*14~SE*17*0001~GE*1*77~IEA*1*000000077~")


def test_a_file_shaped_like_amazons_own_860():
    """Replace (05), type CP, a fulfilment centre named with qualifier 15, UPCs only, N9
    after each line, no BCH11: dated by the interchange."""
    received = codecs.read_purchase_order_changes("x12", AMAZON_SHAPED.encode())
    assert received.refused == ()
    change = received.orders[0]
    assert change["purpose"] == "Replace" and change["changeSequence"] == "1"
    assert change["purchaseOrderChangedDate"] == "2026-11-22T09:45:00Z"
    assert "purchaseOrderType" not in change["orderDetails"], "CP: type unchanged"
    assert change["orderDetails"]["deliveryWindow"] == \
        "2026-11-26T00:00:00Z--2026-11-30T00:00:00Z"
    applied = order_change.apply_change(ORDER, change)
    items = applied["orderDetails"]["items"]
    assert [i["orderedQuantity"]["amount"] for i in items] == [10, 0, 4]
    assert items[1]["orderedQuantity"] == {"amount": 0, "unitOfMeasure": "Cases",
                                           "unitSize": 6}
    assert items[0]["netCost"] == {"amount": "5", "currencyCode": "USD"}
    assert applied["orderDetails"]["shipToParty"]["partyId"] == "ABE2"
    assert applied["orderDetails"]["purchaseOrderType"] == "RegularOrder"


def test_cancelling_the_whole_order_zeroes_every_line():
    text = AMAZON_SHAPED.replace("BCH*05*", "BCH*01*")
    head, _sep, _rest = text.partition("POC*1")
    text = head + "SE*10*0001~GE*1*77~IEA*1*000000077~"
    change = codecs.read_purchase_order_changes("x12", text.encode()).orders[0]
    assert change["purpose"] == "Cancel" and change["items"] == []
    applied = order_change.apply_change(ORDER, change)
    assert {i["orderedQuantity"]["amount"] for i in applied["orderDetails"]["items"]} == {0}


@pytest.mark.parametrize("edit,message", [
    (("POC*1*NC*", "POC*1*ZZ*"), "change type 'ZZ'"),
    (("POC*3*QD*", "POC*1*QD*"), "line 1 is changed twice"),
    (("CTT*3*14~", "CTT*3*15~"), "CTT02 says 15 units"),
    (("BCH*05*", "BCH*07*"), "BCH01 purpose '07'"),
    (("POC*2*QD*0*0*CA*7.5*NT*", "POC*2*QD*0*0*CA*7.5*XX*"), "only NT"),
])
def test_a_broken_change_is_refused_alone(edit, message):
    data = AMAZON_SHAPED.replace(*edit).encode()
    received = codecs.read_purchase_order_changes("x12", data)
    assert received.orders == ()
    (control, error), = received.refused
    assert control == "0001" and message in str(error)
    answer = x12.write_functional_ack(received.parsed, None, envelope=AMAZON_ENV)
    assert x12.read_functional_ack(answer)[0].code == "R"


def test_a_change_that_does_not_fit_the_order_is_refused():
    change = codecs.read_purchase_order_changes("x12", AMAZON_SHAPED.encode()).orders[0]
    other = copy.deepcopy(ORDER)
    other["purchaseOrderNumber"] = "4OTHER"
    with pytest.raises(EdiError, match="for purchase order 4CHGUS01, not 4OTHER"):
        order_change.apply_change(other, change)
    unknown = copy.deepcopy(change)
    unknown["items"][0]["itemSequenceNumber"] = "9"
    with pytest.raises(EdiError, match="line 9 is not on purchase order"):
        order_change.apply_change(ORDER, unknown)
    moved = copy.deepcopy(change)
    moved["items"][0]["amazonProductIdentifier"] = "B0SOMEELSE"
    with pytest.raises(EdiError, match="is ASIN B0US01001, the change names B0SOMEELSE"):
        order_change.apply_change(ORDER, moved)
    added = copy.deepcopy(change)
    added["items"].append({"itemSequenceNumber": "7", "changeType": "AI",
                           "orderedQuantity": {"amount": 1, "unitOfMeasure": "Eaches"}})
    with pytest.raises(EdiError, match="added line 7 .* names no product"):
        order_change.apply_change(ORDER, added)


def test_segments_the_standard_allows_are_read_past_and_poc05_may_be_a_composite():
    text = AMAZON_SHAPED.replace("REF*CR*ACNVC~", "REF*CR*ACNVC~PER*BD*Buyer~ITD*01~") \
        .replace("POC*1*NC*10*10*EA*5*NT*UP*012345678905~N9*C4*NC~",
                 "POC*1*NC*10*10*EA>1*5*NT*UP*012345678905~DTM*002*20261130~N9*C4*NC~"
                 "MSG*restated~") \
        .replace("SE*17*0001~", "SE*21*0001~")
    received = codecs.read_purchase_order_changes("x12", text.encode())
    assert received.refused == ()
    line = received.orders[0]["items"][0]
    assert line["orderedQuantity"] == {"amount": 10, "unitOfMeasure": "Eaches"}
    assert line["_segment"] == 12, "each line knows its segment, for a refusal's AK3"


def test_refusals_name_their_segment_and_our_997_stays_valid():
    change = codecs.read_purchase_order_changes("x12", AMAZON_SHAPED.encode()).orders[0]
    unknown = copy.deepcopy(change)
    unknown["items"][1]["itemSequenceNumber"] = "9"
    with pytest.raises(EdiError) as caught:
        order_change.apply_change(ORDER, unknown)
    assert (caught.value.segment, caught.value.position, caught.value.element) == ("POC", 12, 1)
    received = codecs.read_purchase_order_changes("x12", AMAZON_SHAPED.encode())
    answer = codecs.write_answer("x12", received, AMAZON_SHAPED.encode(), AMAZON_ENV,
                                 refused={received.keys[0]: caught.value})
    assert "AK3*POC*12**8~AK4*1**7~AK5*R*5~" in answer.decode()
    result, = x12.read_functional_ack(answer)
    assert result.code == "R" and "POC01 (segment 12)" in " ".join(result.errors)


def test_cases_need_a_pack_size_and_line_numbers_match_as_the_core_reads_them():
    change = codecs.read_purchase_order_changes("x12", AMAZON_SHAPED.encode()).orders[0]
    padded = copy.deepcopy(ORDER)
    for item in padded["orderDetails"]["items"]:
        item["itemSequenceNumber"] = item["itemSequenceNumber"].zfill(5)
    applied = order_change.apply_change(padded, change)
    assert [i["orderedQuantity"]["amount"] for i in applied["orderDetails"]["items"]] == \
        [10, 0, 4], "'1' and '00001' are the same line"
    in_cases = copy.deepcopy(change)
    in_cases["items"][0]["orderedQuantity"] = {"amount": 2, "unitOfMeasure": "Cases"}
    with pytest.raises(EdiError, match="in cases without a pack size"):
        order_change.apply_change(ORDER, in_cases)
    stored = order_change.apply_change(ORDER, dict(in_cases, items=in_cases["items"][1:2]))
    assert stored["orderDetails"]["items"][1]["orderedQuantity"]["unitSize"] == 6, \
        "a line already in cases keeps its pack size"


def test_a_restated_party_keeps_its_address_another_party_replaces_it():
    order = copy.deepcopy(ORDER)
    order["orderDetails"]["shipToParty"] = {"partyId": "ABE2", "address": {
        "name": "Amazon.com Services LLC", "addressLine1": "705 Boulder Drive",
        "city": "Breinigsville", "countryCode": "US"}}
    change = codecs.read_purchase_order_changes("x12", AMAZON_SHAPED.encode()).orders[0]
    same = order_change.apply_change(order, change)["orderDetails"]["shipToParty"]
    assert same == {"partyId": "ABE2", "address": {
        "name": "Amazon.com", "addressLine1": "705 Boulder Drive", "city": "Breinigsville",
        "countryCode": "US"}}
    moved = copy.deepcopy(change)
    moved["orderDetails"]["shipToParty"] = {"partyId": "PHX3"}
    assert order_change.apply_change(order, moved)["orderDetails"]["shipToParty"] == \
        {"partyId": "PHX3"}


def test_an_older_change_and_a_restatement_are_recognised():
    change = {"changeSequence": "2", "purchaseOrderChangedDate": "2026-11-22T00:00:00Z"}
    assert order_change.is_older(change, "3", None)
    assert not order_change.is_older(change, "2", None), "an equal sequence says nothing"
    assert not order_change.is_older(change, "1", "2026-11-23T00:00:00Z"), \
        "the sequence decides when both have one"
    undated = {"changeSequence": None, "purchaseOrderChangedDate": "2026-11-22T00:00:00Z"}
    assert order_change.is_older(undated, None, "2026-11-23T00:00:00Z")
    assert not order_change.is_older(undated, None, "2026-11-21T00:00:00Z")
    restated = order_change.apply_change(ORDER, order_change.change_between(
        ORDER, dict(ORDER, orderDetails=dict(ORDER["orderDetails"],
                                             purchaseOrderChangedDate="2026-11-24T00:00:00Z"))))
    assert restated["orderDetails"]["purchaseOrderChangedDate"] == "2026-11-24T00:00:00Z"
    assert not order_change.changes_anything(ORDER, restated)
    assert order_change.changes_anything(ORDER, order_change.apply_change(
        ORDER, codecs.read_purchase_order_changes("x12", AMAZON_SHAPED.encode()).orders[0]))


def test_a_stored_order_without_readable_lines_is_refused_not_crashed():
    change = codecs.read_purchase_order_changes("x12", AMAZON_SHAPED.encode()).orders[0]
    for details in (None, {"items": None}, {"items": [None]}):
        broken = dict(ORDER, orderDetails=details)
        with pytest.raises(EdiError, match="has no readable lines"):
            order_change.apply_change(broken, change)


def test_two_groups_with_the_same_transaction_number_are_answered_apart():
    group = AMAZON_SHAPED[AMAZON_SHAPED.index("GS*"):AMAZON_SHAPED.index("IEA*")]
    second = group.replace("*77*X*004010~", "*78*X*004010~").replace("GE*1*77~", "GE*1*78~") \
        .replace("4CHGUS01", "4CHGUS02")
    data = (AMAZON_SHAPED[:AMAZON_SHAPED.index("GS*")] + group + second
            + "IEA*2*000000077~").encode()
    received = codecs.read_purchase_order_changes("x12", data)
    assert received.keys == ((77, "0001"), (78, "0001"))
    answer = codecs.write_answer("x12", received, data, AMAZON_ENV, refused={
        (78, "0001"): EdiError("never received", "BCH", 2, 3, code="7")})
    assert [(r.group_control, r.code) for r in x12.read_functional_ack(answer)] == \
        [(77, "A"), (78, "R")]


def test_equal_sequences_fall_back_to_the_day_and_a_window_of_the_other_kind_replaces():
    same = {"changeSequence": "1", "purchaseOrderChangedDate": "2026-11-25T00:00:00Z"}
    assert not order_change.is_older(same, "1", "2026-11-22T00:00:00Z"), \
        "Amazon may number every change 1"
    assert not order_change.is_older(dict(same, purchaseOrderChangedDate=
                                           "2026-11-22T00:00:00Z"), "1",
                                      "2026-11-22T08:30:00Z"), "a date alone: the same day"
    assert order_change.is_older(dict(same, purchaseOrderChangedDate="2026-11-21T00:00:00Z"),
                                 "1", "2026-11-22T08:30:00Z")
    change = codecs.read_purchase_order_changes("x12", AMAZON_SHAPED.encode()).orders[0]
    details = order_change.apply_change(ORDER, change)["orderDetails"]
    assert "shipWindow" not in details and details["deliveryWindow"].startswith("2026-11-26"), \
        "a delivery window restated alone replaces the ship window (Prepaid)"
