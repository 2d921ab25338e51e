"""EDIFACT ORDCHG purchase order change: written from two versions of an order, read back,
applied to the order last received; refusals."""
import datetime
import warnings

import pytest
from pydifact.segmentcollection import Interchange as PydifactInterchange

from odoo.addons.acorn_amazon_vendor_edi.lib import codecs, edifact, order_change
from odoo.addons.acorn_amazon_vendor_edi.lib.envelope import EdiError, Envelope
from odoo.addons.acorn_amazon_vendor_edi.lib.sniff import sniff

from . import order_versions

AMAZON = Envelope("14", "5450534000000", "14", "5790000000001", 7101, 0,
                  prepared_at=datetime.datetime(2026, 11, 22, 9, 45))


ORDER = order_versions.order("4CHGEU01", "EUR", "MUC3", "deliveryWindow")


def _changed():
    return order_versions.changed(ORDER, "DTM2", "deliveryWindow")


def test_an_ordchg_written_read_and_applied_gives_amazons_new_order():
    new = _changed()
    change = order_change.change_between(ORDER, new)
    data = edifact.write_purchase_order_changes([change], AMAZON)
    text = data.decode("latin-1")
    assert sniff(data) == ("edifact", "purchase_order_change", "ORDCHG")
    assert "BGM+230+4CHGEU01+4'" in text and "RFF+ON:4CHGEU01'" in text
    assert "LIN+2+2'" in text and "LIN+3+3'" in text and "LIN+4+1'" in text
    with warnings.catch_warnings():  # pydifact lacks some service segments' XML
        warnings.simplefilter("ignore")
        PydifactInterchange.from_str(text)  # an independent parser takes it
    received = codecs.read_purchase_order_changes("edifact", data)
    assert received.refused == () and len(received.orders) == 1
    applied = order_change.apply_change(ORDER, received.orders[0])
    assert applied == new, "the change's date keeps its time in DTM+137"
    assert order_change.apply_change(applied, received.orders[0]) == applied


def test_a_cancellation_and_a_change_with_unknown_codes():
    cancel = dict(order_change.change_between(ORDER, ORDER), purpose="Cancel", items=[],
                  purchaseOrderChangedDate="2026-11-23T00:00:00Z")
    data = edifact.write_purchase_order_changes([cancel], AMAZON)
    change = codecs.read_purchase_order_changes("edifact", data).orders[0]
    assert change["purpose"] == "Cancel"
    applied = order_change.apply_change(ORDER, change)
    assert {i["orderedQuantity"]["amount"] for i in applied["orderDetails"]["items"]} == {0}
    good = edifact.write_purchase_order_changes(
        [order_change.change_between(ORDER, _changed())], AMAZON).decode("latin-1")
    for edit, message in ((("LIN+2+2'", "LIN+2+9'"), "line action '9'"),
                          (("BGM+230+", "BGM+220+"), "not a purchase order change"),
                          (("BGM+230+4CHGEU01+4'", "BGM+230+4CHGEU01+7'"),
                           "message function '7'")):
        with pytest.raises(EdiError, match=message):
            codecs.read_purchase_order_changes("edifact", good.replace(*edit).encode())


def test_eancom_codes_and_a_quantity_naming_no_unit():
    good = edifact.write_purchase_order_changes(
        [order_change.change_between(ORDER, _changed())], AMAZON).decode("latin-1")
    assert "LIN+1+3'" in good
    text = good.replace("BGM+230+4CHGEU01+4'", "BGM+230+4CHGEU01+9'") \
        .replace("LIN+3+3'", "LIN+3+11'").replace("QTY+21:0:CS'", "QTY+21:1'")
    change = codecs.read_purchase_order_changes("edifact", text.encode()).orders[0]
    assert change["purpose"] == "Change", "9: the original change message"
    assert [line["changeType"] for line in change["items"]] == ["CA", "DI", "NC", "AI"]
    second = order_change.apply_change(ORDER, dict(change, items=[
        dict(change["items"][1], changeType="CA")]))["orderDetails"]["items"][1]
    assert second["orderedQuantity"] == {"amount": 1, "unitOfMeasure": "Cases",
                                         "unitSize": 6}, "the line's unit and pack are kept"
