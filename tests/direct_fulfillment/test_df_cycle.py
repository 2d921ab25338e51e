"""Direct Fulfillment end to end through the real client against the simulator: orders with
and without the customer's address (RDT), acknowledgement, labels, confirmation, status
update, packing slip, customer invoice, invoice (Payments v1), inventory (v1), and each
refusal Amazon makes."""
import base64
import datetime
from decimal import Decimal

import pytest

from odoo.addons.acorn_amazon_vendor.lib.amazon_schema import SchemaError
from odoo.addons.acorn_amazon_vendor.lib.transport.errors import AmazonApiError
from odoo.addons.acorn_amazon_vendor_direct_fulfillment.lib import mapping

DAY = datetime.timedelta(days=1)


def new_order(sim, df, **options):
    created = sim.control("df", dict({"generate": 1, "currency": "USD"}, **options))["created"]
    return mapping.parse_order(df.get_order(created[0]))


def acknowledge(sim, df, order, code="00"):
    body = mapping.acknowledgement_request([mapping.acknowledgement(
        order, "SO0001", sim.now(), code)])
    tid = df.submit_acknowledgement(body)
    sim.settle()
    return df.get_transaction_status(tid)


def test_orders_need_an_rdt_for_the_address(sim, df):
    now = sim.now()
    with_address = [o for _s, _e, page in df.iter_order_pages(now - 10 * DAY, now)
                    for o in page]
    without = [o for _s, _e, page in df.iter_order_pages(now - 10 * DAY, now,
                                                         with_address=False) for o in page]
    assert len(with_address) == len(without) == len(sim.state.df.order_list) == 60
    assert all(o["orderDetails"]["shipToParty"]["name"] for o in with_address)
    assert not any("shipToParty" in o["orderDetails"] for o in without)
    assert df.rdt_requests == 1  # one RDT for every restricted path, every page and window
    assert mapping.parse_order(without[0])["customer"] is None
    parsed = mapping.parse_order(with_address[0])
    assert parsed["customer"]["addressLine1"] and parsed["items"]
    number = with_address[0]["purchaseOrderNumber"]
    assert "shipToParty" not in df.get_order(number, with_address=False)["orderDetails"]
    assert df.get_order(number)["orderDetails"]["shipToParty"]["postalCode"]


def test_get_orders_limits_and_filters(sim, df):
    now = sim.now()
    with pytest.raises(AmazonApiError) as err:
        df.api.call("df_orders", "getOrders", lambda c: c.get_orders(
            createdAfter=(now - 8 * DAY).isoformat(), createdBefore=now.isoformat()))
    assert err.value.status == 400 and "7 days" in err.value.details
    with pytest.raises(AmazonApiError) as err:
        df.api.call("df_orders", "getOrders", lambda c: c.get_orders(
            createdAfter=(now - DAY).isoformat()))
    assert err.value.status == 400
    with pytest.raises(AmazonApiError) as err:
        df.api.call("df_orders", "getOrders", lambda c: c.get_orders(
            createdAfter=(now - DAY).isoformat(), createdBefore=now.isoformat(), limit=101))
    assert err.value.status == 400
    shipped = [o for _s, _e, p in df.iter_order_pages(now - 10 * DAY, now, status="SHIPPED")
               for o in p]
    assert shipped and all(o["orderDetails"]["orderStatus"] == "SHIPPED" for o in shipped)
    west = [o for _s, _e, p in df.iter_order_pages(now - 10 * DAY, now, ship_from="ACWH1")
            for o in p]
    assert west and all(o["orderDetails"]["shipFromParty"]["partyId"] == "ACWH1" for o in west)
    # nextToken: 130 new orders in one window come in two pages of at most 100
    sim.control("df", {"generate": 130, "age_seconds": 120})
    pages = [p for _s, _e, p in df.iter_order_pages(now - 600 * datetime.timedelta(seconds=1),
                                                    now)]
    assert [len(p) for p in pages] == [100, 30]


def test_rdt_opens_only_the_resources_it_names(sim, df):
    order = new_order(sim, df)
    acknowledge(sim, df, order)
    token = df.restricted_data_token([("GET", "/vendor/directFulfillment/orders/2021-12-28/"
                                              "purchaseOrders", True)])
    label = sim.http.post(f"/vendor/directFulfillment/shipping/2021-12-28/shippingLabels/"
                          f"{order['number']}", json={}, headers={"x-amz-access-token": token})
    assert label.status_code == 403
    retail = sim.http.get("/vendor/orders/v1/purchaseOrders",
                          headers={"x-amz-access-token": token})
    assert retail.status_code == 403
    # A plain access token: the label, the packing slip and the customer invoice are refused.
    for path in ("shippingLabels", "packingSlips", "customerInvoices"):
        reply = sim.get(f"/vendor/directFulfillment/shipping/2021-12-28/{path}/"
                        f"{order['number']}")
        assert reply.status_code == 403, path
    bad = sim.post("/tokens/2021-03-01/restrictedDataToken", {"restrictedResources": [
        {"method": "GET", "path": "/vendor/orders/v1/purchaseOrders"}]})
    assert bad.status_code == 400


def test_labels_only_after_acknowledgement(sim, df):
    order = new_order(sim, df)
    with pytest.raises(AmazonApiError) as err:
        df.create_shipping_labels(order["number"], mapping.create_labels_body(order))
    assert err.value.code == "InvalidOrderStatus"
    tid = df.submit_shipping_label_request(mapping.label_request_body(
        [mapping.label_request(order)]))
    sim.settle()
    status = df.get_transaction_status(tid)
    assert status["status"] == "Failure"
    assert status["errors"][0]["code"] == "InvalidOrderStatus"


def test_an_item_split_across_containers_numbers_its_pieces(sim, df):
    created = sim.control("df", {"generate": 1, "currency": "USD"})["created"][0]
    sim.state.df.orders[created].items[0].quantity = 2
    order = mapping.parse_order(df.get_order(created))
    assert acknowledge(sim, df, order)["status"] == "Success"
    first, *others = order["items"]
    packages = [{"identifier": f"{created}-{n}", "weight_kg": "1", "items": {first["seq"]: 1}}
                for n in (1, 2)]
    if others:
        packages.append({"identifier": f"{created}-3", "weight_kg": "1",
                         "items": {i["seq"]: i["quantity"] for i in others}})
    labels = mapping.parse_labels(df.create_shipping_labels(
        created, mapping.create_labels_body(order, packages)))
    for package, label in zip(packages, labels["packages"], strict=True):
        package["tracking"] = label["tracking"]

    def confirm(strip=False):
        body = mapping.confirmations_body([mapping.shipment_confirmation(order, sim.now(),
                                                                         packages)])
        if strip:
            for container in body["shipmentConfirmations"][0]["containers"]:
                del container["shipMethod"]
                for packed in container["packedItems"]:
                    packed.pop("pieceNumber", None)
        tid = df.submit_shipment_confirmations(body)
        sim.settle()
        return body["shipmentConfirmations"][0]["containers"], df.get_transaction_status(tid)

    # without them Amazon refuses the confirmation
    _containers, status = confirm(strip=True)
    assert {e["code"] for e in status["errors"]} == {"MissingShipMethod", "MissingPieceNumber"}
    containers, status = confirm()
    assert status["status"] == "Success", status
    assert all(c["shipMethod"] == order["ship_method"] for c in containers)
    split = [p for c in containers for p in c["packedItems"]
             if p["itemSequenceNumber"] == int(first["seq"])]
    assert [p["pieceNumber"] for p in split] == [1, 2]
    assert all("pieceNumber" not in p for c in containers[2:] for p in c["packedItems"])


def test_gift_wrap_and_message_are_read_for_the_packer(sim, df):
    created = sim.control("df", {"generate": 1, "currency": "USD"})["created"][0]
    sim.state.df.orders[created].gift = True
    order = mapping.parse_order(df.get_order(created))
    first = order["items"][0]
    assert (first["gift_wrap"], first["gift_message"]) == (
        "GW-RED", "Happy birthday, from all of us!")
    assert mapping.gift_note(order) == (
        f"{first['vendor_sku']}: gift wrap GW-RED; message: Happy birthday, from all of us!")
    sim.state.df.orders[created].gift = False
    assert mapping.gift_note(mapping.parse_order(df.get_order(created))) == ""


def test_whole_cycle(sim, df):
    sim.control("df", {"label_format": {"ACWH1": "ZPL"}})
    order = new_order(sim, df, warehouse="ACWH1")
    assert order["customer"]["name"]
    assert acknowledge(sim, df, order)["status"] == "Success"
    assert sim.state.df.orders[order["number"]].status == "ACCEPTED"
    assert acknowledge(sim, df, order, code="02")["status"] == "Failure"  # no turning back
    items = {i["seq"]: i["quantity"] for i in order["items"]}
    packages = [{"identifier": f"{order['number']}-1", "weight_kg": "1.2", "items": items}]
    labels = mapping.parse_labels(df.create_shipping_labels(
        order["number"], mapping.create_labels_body(order, packages)))
    assert labels["format"] == "ZPL"
    assert labels["packages"][0]["content"].startswith(b"^XA")
    assert order["customer"]["name"].encode() in labels["packages"][0]["content"]
    tracking = labels["packages"][0]["tracking"]
    again = mapping.parse_labels(df.get_shipping_label(order["number"]))
    assert again["packages"][0]["tracking"] == tracking
    # a confirmation with a tracking number Amazon did not issue is refused
    wrong = [dict(packages[0], tracking="1Z999")]
    tid = df.submit_shipment_confirmations(mapping.confirmations_body(
        [mapping.shipment_confirmation(order, sim.now(), wrong)]))
    sim.settle()
    assert df.get_transaction_status(tid)["errors"][0]["code"] == "InvalidTrackingNumber"
    packages[0]["tracking"] = tracking
    body = mapping.confirmations_body([mapping.shipment_confirmation(order, sim.now(), packages,
                                                                     "WH/OUT/00001")])
    tid = df.submit_shipment_confirmations(body)
    sim.settle()
    assert df.get_transaction_status(tid)["status"] == "Success"
    assert sim.state.df.orders[order["number"]].status == "SHIPPED"
    tid = df.submit_shipment_confirmations(body)
    sim.settle()
    assert df.get_transaction_status(tid)["errors"][0]["code"] == "AlreadyShipped"
    update = {"shipmentStatusUpdates": [{
        "purchaseOrderNumber": order["number"], "sellingParty": {"partyId": "ACRN1"},
        "shipFromParty": {"partyId": "ACWH1"}, "statusUpdateDetails": {
            "trackingNumber": tracking, "statusCode": "D1", "reasonCode": "NS",
            "statusDateTime": sim.now().isoformat(), "statusLocationAddress": {
                "name": "Doorstep", "addressLine1": "1 Main", "stateOrRegion": "WA",
                "countryCode": "US"}}}]}
    tid = df.submit_shipment_status_updates(update)
    sim.settle()  # Amazon's carrier scans this warehouse's parcels itself
    assert df.get_transaction_status(tid)["errors"][0]["code"] == "NotVendorOwnCarrier"
    sim.control("df", {"own_carrier": {"ACWH1": True}})
    tid = df.submit_shipment_status_updates(update)
    sim.settle()
    assert df.get_transaction_status(tid)["status"] == "Success"
    unknown = mapping.status_updates_body([mapping.status_update(
        order, "1Z-NOT-CONFIRMED", "D1", sim.now(), {"name": "Doorstep", "addressLine1": "1 Main",
                                                     "countryCode": "US"})])
    tid = df.submit_shipment_status_updates(unknown)
    sim.settle()
    assert df.get_transaction_status(tid)["errors"][0]["code"] == "InvalidTrackingNumber"
    # invoice: totals must add up
    lines = [{"order": order["number"], "seq": i["seq"], "asin": i["asin"],
              "vendor_sku": i["vendor_sku"], "quantity": i["quantity"],
              "net_cost": i["net_price"]} for i in order["items"]]
    detail = mapping.invoice("DF-0001", sim.now(), "ACRN1", "ACWH1", "USD", lines,
                             taxes=[{"type": "ST", "amount": "1.00"}])
    broken = dict(detail, invoiceNumber="DF-0000",
                  invoiceTotal={"currencyCode": "USD", "amount": "0.01"})
    tid = df.submit_invoice(mapping.invoice_body([broken]))
    sim.settle()
    assert df.get_transaction_status(tid)["errors"][0]["code"] == "InvoiceTotalMismatch"
    tid = df.submit_invoice(mapping.invoice_body([detail]))
    sim.settle()
    assert df.get_transaction_status(tid)["status"] == "Success"
    tid = df.submit_invoice(mapping.invoice_body([dict(detail, invoiceNumber="DF-0002")]))
    sim.settle()
    assert df.get_transaction_status(tid)["errors"][0]["code"] == \
        "InvoicedQuantityExceedsShipped"


def test_packing_slip_and_customer_invoice(sim, df):
    eur = new_order(sim, df, currency="EUR")
    with pytest.raises(AmazonApiError) as err:
        df.get_customer_invoice(eur["number"])  # not acknowledged yet
    assert err.value.status == 404
    acknowledge(sim, df, eur)
    content, mimetype = mapping.parse_document(df.get_customer_invoice(eur["number"]))
    assert content.startswith(b"%PDF") and mimetype == "application/pdf"
    state_order = sim.state.df.orders[eur["number"]]
    state_order.pslip = True
    content, _ = mapping.parse_document(df.get_packing_slip(eur["number"]))
    assert content.startswith(b"%PDF")
    now = sim.now()
    assert any(s["purchaseOrderNumber"] == eur["number"]
               for s in df.iter_list("packing_slips", now - DAY, now))


def test_acknowledgement_refusals(sim, df):
    order = new_order(sim, df)
    ack = mapping.acknowledgement(order, "SO1", sim.now())
    ack["itemAcknowledgements"][0]["acknowledgedQuantity"]["amount"] += 1
    tid = df.submit_acknowledgement(mapping.acknowledgement_request([ack]))
    sim.settle()
    status = df.get_transaction_status(tid)
    assert status["status"] == "Failure"
    assert status["errors"][0]["code"] == "AcknowledgedQuantityMismatch"
    ack = mapping.acknowledgement(dict(order, ship_from="ACWH9"), "SO1", sim.now())
    tid = df.submit_acknowledgement(mapping.acknowledgement_request([ack]))
    sim.settle()
    assert df.get_transaction_status(tid)["errors"][0]["code"] == "InvalidShipFromParty"
    with pytest.raises(SchemaError):
        mapping.acknowledgement_request([dict(ack, acknowledgementDate="yesterday")])
    with pytest.raises(AmazonApiError) as err:  # Amazon's model check, before any rule
        df.api._post("df_orders", "dfSubmitAcknowledgement",
                     "/vendor/directFulfillment/orders/2021-12-28/acknowledgements",
                     {"orderAcknowledgements": [{"purchaseOrderNumber": "X"}]})
    assert err.value.status == 400


def test_inventory_full_and_partial(sim, df):
    products = [p for p in sim.state.catalogue if p["currency"] == "USD"][:3]
    levels = [{"asin": p["asin"], "vendor_sku": p["vendor_sku"], "quantity": 10 + n}
              for n, p in enumerate(products)]
    df.submit_inventory_update("ACWH1", mapping.inventory_update("ACRN1", levels, True))
    sim.settle()
    assert sim.state.df.inventory["ACWH1"] == {p["vendor_sku"]: 10 + n
                                               for n, p in enumerate(products)}
    tid = df.submit_inventory_update("ACWH1", mapping.inventory_update(
        "ACRN1", [dict(levels[0], quantity=3)], False))
    sim.settle()
    assert df.get_transaction_status(tid)["status"] == "Success"
    assert sim.state.df.inventory["ACWH1"][products[0]["vendor_sku"]] == 3
    assert sim.state.df.inventory["ACWH1"][products[1]["vendor_sku"]] == 11  # partial: kept
    df.submit_inventory_update("ACWH1", mapping.inventory_update(
        "ACRN1", [dict(levels[2], quantity=0)], True))
    sim.settle()
    assert sim.state.df.inventory["ACWH1"] == {products[2]["vendor_sku"]: 0}  # full: replaced
    with pytest.raises(AmazonApiError) as err:
        df.submit_inventory_update("NOPE", mapping.inventory_update("ACRN1", levels, True))
    assert err.value.status == 400
    tid = df.submit_inventory_update("ACWH1", mapping.inventory_update(
        "ACRNE", levels, True))
    sim.settle()
    assert df.get_transaction_status(tid)["errors"][0]["code"] == "InvalidSellingParty"


def test_png_labels_and_floor_denial(sim, df):
    sim.control("df", {"label_format": {"ACWH2": "PNG"}})
    order = new_order(sim, df, warehouse="ACWH2")
    acknowledge(sim, df, order)
    tid = df.submit_shipping_label_request(mapping.label_request_body(
        [mapping.label_request(order)]))
    sim.settle()
    assert df.get_transaction_status(tid)["status"] == "Success"
    labels = mapping.parse_labels(df.get_shipping_label(order["number"]))
    assert labels["format"] == "PNG" and labels["packages"][0]["content"][:4] == b"\x89PNG"
    now = sim.now()
    assert any(lb["purchaseOrderNumber"] == order["number"]
               for lb in df.iter_list("labels", now - DAY, now))
    denial = mapping.shipment_confirmation(order, sim.now(), [])
    denial["shipmentDetails"]["shipmentStatus"] = "FLOOR_DENIAL"
    denial["items"] = [{"itemSequenceNumber": int(i["seq"]),
                        "shippedQuantity": {"amount": 0, "unitOfMeasure": "Each"}}
                       for i in order["items"]]
    denial.pop("containers")
    tid = df.submit_shipment_confirmations({"shipmentConfirmations": [denial]})
    sim.settle()
    assert df.get_transaction_status(tid)["status"] == "Success"
    assert sim.state.df.orders[order["number"]].status == "CANCELLED"


def test_label_content_is_base64(sim, df):
    order = new_order(sim, df)
    acknowledge(sim, df, order)
    raw = df.create_shipping_labels(order["number"], mapping.create_labels_body(order))
    assert base64.b64decode(raw["labelData"][0]["content"])
    assert raw["sellingParty"] == {"partyId": "ACRN1"}


def test_tokens_never_logged(sim, df, caplog):
    """Neither the access token nor the Restricted Data Token reaches the logs, even at
    DEBUG (python-amazon-sp-api logs request headers there)."""
    import logging  # noqa: PLC0415

    caplog.set_level(logging.DEBUG)
    now = sim.now()
    for _s, _e, _page in df.iter_order_pages(now - DAY, now):
        pass
    rdt = next(iter(sim.state.rdts))
    text = caplog.text
    assert rdt not in text
    assert not any(token in text for token in sim.state.tokens)
    assert "Atzr|" not in text  # nor the refresh token


def test_gift_wrap_charges_ride_on_their_item_and_are_checked(sim, df):
    created = sim.control("df", {"generate": 2, "currency": "USD"})["created"]
    sim.state.df.orders[created[0]].gift = True
    sim.state.df.orders[created[1]].gift = False
    wrapped, plain = (mapping.parse_order(df.get_order(n)) for n in created)

    def line(order, item, charges=None):
        out = {"order": order["number"], "seq": item["seq"], "asin": item["asin"],
               "vendor_sku": item["vendor_sku"], "quantity": item["quantity"],
               "net_cost": item["net_price"]}
        if charges:
            out["charges"] = charges
        return out

    first = wrapped["items"][0]
    detail = mapping.invoice("DF-GW1", sim.now(), "ACRN1", wrapped["ship_from"], "USD",
                             [line(wrapped, first, [{"type": "GIFTWRAP", "amount": "2.50"}])])
    # the item carries its charge, the invoice the total of its items' charges, counted once
    assert detail["items"][0]["chargeDetails"] == [
        {"type": "GIFTWRAP", "chargeAmount": {"currencyCode": "USD", "amount": "2.50"}}]
    assert detail["chargeDetails"] == [
        {"type": "GIFTWRAP", "chargeAmount": {"currencyCode": "USD", "amount": "2.50"}}]
    items_total = sum(Decimal(i["net_price"]) * i["quantity"] for i in [first])
    assert Decimal(detail["invoiceTotal"]["amount"]) == items_total + Decimal("2.50")

    def codes(invoice):
        tid = df.submit_invoice(mapping.invoice_body([invoice]))
        sim.settle()
        return {e["code"] for e in df.get_transaction_status(tid)["errors"]}

    assert "GiftWrapNotOrdered" not in codes(detail)  # (refused for now: not shipped yet)
    other = plain["items"][0]
    unwrapped = mapping.invoice("DF-GW2", sim.now(), "ACRN1", plain["ship_from"], "USD",
                                [line(plain, other, [{"type": "GIFTWRAP", "amount": "2.50"}])])
    assert "GiftWrapNotOrdered" in codes(unwrapped)
    twice = dict(detail, invoiceNumber="DF-GW3", chargeDetails=detail["chargeDetails"] * 2,
                 invoiceTotal={"currencyCode": "USD",
                               "amount": str(items_total + Decimal("5.00"))})
    assert "ChargeTotalMismatch" in codes(twice)
