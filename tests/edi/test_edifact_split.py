"""An EDIFACT interchange holding messages of several types (Amazon's ORDERS and an ORDRSP,
say) is cut into one interchange per type, each read by its own reader (it was refused whole:
a reader refuses the other type's messages)."""
import pytest

from odoo.addons.acorn_amazon_vendor_edi.lib import codecs, edifact
from odoo.addons.acorn_amazon_vendor_edi.lib.envelope import EdiError

from .test_edifact_codec import AMAZON, api, purchase_order


def _messages(data):
    text = data.decode("latin-1")
    return text[text.index("UNH+"):text.rindex("UNZ+")]


def _mixed():
    order = purchase_order()
    order["orderDetails"]["buyingParty"]["address"]["name"] = "O'Brien + Söhne"  # escapes
    orders = edifact.write_purchase_orders([order, purchase_order("4GOLDEU2")], AMAZON)
    ack = edifact.write_acknowledgement(api("acknowledgement", "acknowledgements"), AMAZON)
    text = orders.decode("latin-1")
    head = text[:text.index("UNH+")]
    # ORDERS 1, the ORDRSP (renumbered 3), ORDERS 2: UNZ counting all three
    first, second = _messages(orders).split("UNH+2+", 1)
    middle = _messages(ack).replace("UNH+1+", "UNH+3+").replace("+1'", "+3'")
    return (head + first + middle + "UNH+2+" + second + "UNZ+3+7001'").encode("latin-1")


def test_a_mixed_interchange_is_cut_into_one_per_message_type():
    data = _mixed()
    with pytest.raises(EdiError, match="not expected here"):
        edifact.read_purchase_orders(data)
    (kind_1, orders), (kind_2, ack) = edifact.split_by_message_type(data)
    assert (kind_1, kind_2) == ("ORDERS", "ORDRSP")
    read = edifact.read_purchase_orders(orders)
    assert [m.reference for m in read.messages] == ["1", "2"]
    assert [d["purchaseOrderNumber"] for d in read.documents] == ["4GOLDEU1", "4GOLDEU2"]
    assert read.documents[0]["orderDetails"]["buyingParty"]["address"]["name"] == \
        "O'Brien + Söhne", "escaped characters survive the cut"
    answer = edifact.read_acknowledgement(ack)
    assert [m.reference for m in answer.messages] == ["3"]
    for part in (orders, ack):  # the same UNA and UNB, UNZ counting its own messages
        text = part.decode("latin-1")
        assert text.startswith(data.decode("latin-1")[:data.decode("latin-1").index("UNH+")])
        assert text.endswith(f"UNZ+{text.count('UNH+')}+7001'")
    assert codecs.split_by_kind("edifact", data) == [orders, ack]


def test_one_type_or_a_file_that_cannot_be_cut_stays_whole():
    orders = edifact.write_purchase_orders([purchase_order()], AMAZON)
    assert edifact.split_by_message_type(orders) == [("ORDERS", orders)]
    assert edifact.split_by_message_type(b"UNB+garbage") == [(None, b"UNB+garbage")]
    unfinished = _mixed().replace(b"UNT+", b"XXX+", 1)  # a message without its UNT
    assert edifact.split_by_message_type(unfinished) == [("ORDERS", unfinished)]
    # without a UNA the parts have none either
    bare = _mixed()[9:]
    parts = edifact.split_by_message_type(bare)
    assert [kind for kind, _part in parts] == ["ORDERS", "ORDRSP"]
    assert all(part.startswith(b"UNB+") for _kind, part in parts)
    assert len(edifact.read_purchase_orders(parts[0][1]).messages) == 2


def test_what_refuses_the_whole_file_keeps_it_whole():
    data = _mixed()
    # UNZ counting more messages than the file holds: one was lost
    lost = data.replace(b"UNZ+3+", b"UNZ+4+")
    assert edifact.split_by_message_type(lost) == [("ORDERS", lost)]
    # a message reference used twice
    twice = data.replace(b"UNH+3+", b"UNH+1+").replace(b"+3'UNH+2+", b"+1'UNH+2+")
    assert b"UNH+3+" not in twice
    assert edifact.split_by_message_type(twice) == [("ORDERS", twice)]
    # a part that cannot be read: the file is refused whole (one CONTRL), never one part
    # accepted and another refused for the same interchange
    broken = data.replace(b"BGM+231+", b"BGM+231+\x00", 1)
    assert edifact.split_by_message_type(broken) == [("ORDERS", broken)]
    with pytest.raises(EdiError):
        edifact.read(broken)
