"""Carrier status updates (Vendor Own Carrier) and label files: the pure payload builders,
the PNG-to-ZPL conversion, and the simulator keeping DF transactions out of the retail
Transaction Status API."""
import datetime
import io

import pytest
from PIL import Image, ImageDraw

from odoo.addons.acorn_amazon_vendor.lib.transport.errors import AmazonApiError
from odoo.addons.acorn_amazon_vendor_direct_fulfillment.lib import label_formats, mapping

ORDER = {"number": "TEST1234", "selling_party": "ACRN1", "ship_from": "ACWH1"}
WHERE = {"name": "Depot Reno", "addressLine1": "1 Freight Way", "city": "Reno",
         "stateOrRegion": "NV", "countryCode": "US", "postalCode": " 89501 "}
WHEN = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)


def test_status_update_builds_amazons_shape():
    upd = mapping.status_update(ORDER, "1Z001", "D1", WHEN, WHERE,
                                estimated_delivery=WHEN + datetime.timedelta(days=1))
    body = mapping.status_updates_body([upd])
    details = body["shipmentStatusUpdates"][0]["statusUpdateDetails"]
    assert details["statusCode"] == "D1" and details["reasonCode"] == "NS"
    assert details["statusDateTime"] == "2026-12-01T09:30:00Z"
    assert details["statusLocationAddress"]["postalCode"] == "89501"
    assert details["shipmentSchedule"] == {"estimatedDeliveryDateTime": "2026-12-02T09:30:00Z"}
    assert body["shipmentStatusUpdates"][0]["shipFromParty"] == {"partyId": "ACWH1"}


@pytest.mark.parametrize("text, numbers", [
    ("1Z001, 1Z002;1Z003\n 1Z004 ", ["1Z001", "1Z002", "1Z003", "1Z004"]),
    ("", []), (None, []), (" ,; ", []),
])
def test_tracking_numbers_split_on_any_separator(text, numbers):
    assert mapping.split_tracking_numbers(text) == numbers


@pytest.mark.parametrize("change, message", [
    ({"status_code": "ZZ"}, "status code"),
    ({"reason_code": "??"}, "reason code"),
    ({"tracking": ""}, "tracking number"),
    ({"location": {"name": "Depot", "countryCode": "US"}}, "addressLine1"),
])
def test_status_update_refuses_what_amazon_would(change, message):
    args = dict({"tracking": "1Z001", "status_code": "X6", "location": WHERE,
                 "reason_code": "NS"}, **change)
    with pytest.raises(mapping.MappingError, match=message):
        mapping.status_update(ORDER, args["tracking"], args["status_code"], WHEN,
                              args["location"], args["reason_code"])


def _png(width, height, black):
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    for point in black:
        draw.point(point, fill="black")
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def test_png_label_becomes_a_zpl_graphic_field():
    zpl = label_formats.png_to_zpl(_png(10, 2, [(0, 0), (9, 1)])).decode()
    # 10 dots wide -> 2 bytes a row; dot 0 of row 0 and dot 9 of row 1 print; padding blank.
    assert zpl == "^XA^PW10^LL2^FO0,0^GFA,4,4,2,80000040^FS^XZ"


def test_png_label_becomes_a_pdf_page():
    assert label_formats.png_to_pdf(_png(4, 4, [(1, 1)])).startswith(b"%PDF")


def test_df_transactions_are_not_answered_by_the_retail_api(sim, df):
    created = sim.control("df", {"generate": 1, "currency": "USD"})["created"]
    order = mapping.parse_order(df.get_order(created[0]))
    tid = df.submit_acknowledgement(mapping.acknowledgement_request([mapping.acknowledgement(
        order, "SO1", sim.now())]))
    assert df.get_transaction_status(tid)["transactionId"] == tid
    with pytest.raises(AmazonApiError) as refused:
        df.api.get_transaction(tid)
    assert refused.value.status == 404
