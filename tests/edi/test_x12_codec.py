"""X12 codec: golden files per transaction set, round trips read(write(x)) == x, every file we
write parsed by an independent parser (ansi-x12), refusals of bad input, 997 both ways, 820."""
import copy
import dataclasses
import datetime
import json
import os
import pathlib
import re
from decimal import Decimal

import pytest
import x12 as ansi_x12  # the independent parser (PyPI ansi-x12, MIT)

from odoo.addons.acorn_amazon_vendor_edi.lib import x12
from odoo.addons.acorn_amazon_vendor_edi.lib.envelope import EdiError, Envelope
from odoo.addons.acorn_amazon_vendor_edi.lib.x12 import ts820

ROOT = pathlib.Path(__file__).resolve().parent.parent
API_GOLDEN = ROOT / "mapping" / "golden"
GOLDEN = pathlib.Path(__file__).resolve().parent / "golden" / "x12"
UPDATE = os.environ.get("ACORN_UPDATE_GOLDEN") == "1"
AT = datetime.datetime(2026, 11, 4, 9, 30)
ENV = Envelope("ZZ", "ACORNVENDOR", "ZZ", "AMAZON", 1201, 77, prepared_at=AT)
AMAZON_ENV = Envelope("ZZ", "AMAZON", "ZZ", "ACORNVENDOR", 5001, 901, prepared_at=AT)


def api(name, key):
    return json.loads((API_GOLDEN / f"{name}.json").read_text())[key][0]


ORDER = {
    "purchaseOrderNumber": "4GOLDUS1",
    "purchaseOrderState": "New",
    "orderDetails": {
        "purchaseOrderDate": "2026-11-02T12:00:00Z",
        "purchaseOrderStateChangedDate": "2026-11-02T12:00:00Z",
        "purchaseOrderType": "RegularOrder",
        "dealCode": "DEAL-42",
        "paymentMethod": "Invoice",
        "buyingParty": {"partyId": "ABE2", "address": {
            "name": "Amazon.com Services LLC", "addressLine1": "705 Boulder Drive",
            "city": "Breinigsville", "stateOrRegion": "PA", "postalCode": "18031",
            "countryCode": "US"}},
        "sellingParty": {"partyId": "ACRN1", "taxInfo": {"taxRegistrationType": "VAT",
                                                         "taxRegistrationNumber": "US123"}},
        "shipToParty": {"partyId": "ABE2"},
        "billToParty": {"partyId": "AMZN-US", "address": {
            "name": "Amazon.com Inc.", "addressLine1": "PO Box 80387", "addressLine2": "Attn AP",
            "addressLine3": "Floor 2", "city": "Seattle", "county": "King",
            "stateOrRegion": "WA", "postalCode": "98108", "countryCode": "US",
            "phone": "+12065551234"}},
        "shipWindow": "2026-11-03T00:00:00Z--2026-11-06T00:00:00Z",
        "deliveryWindow": "2026-11-05T08:00:00Z--2026-11-12T17:30:15Z",
        "items": [
            {"itemSequenceNumber": "1", "amazonProductIdentifier": "B0GOLD0001",
             "vendorProductIdentifier": "ACN-G1",
             "orderedQuantity": {"amount": 4, "unitOfMeasure": "Cases", "unitSize": 6},
             "isBackOrderAllowed": True, "netCost": {"amount": "4.125", "currencyCode": "USD"},
             "listPrice": {"amount": "8.99", "currencyCode": "USD"}},
            {"itemSequenceNumber": "2", "amazonProductIdentifier": "B0GOLD0002",
             "vendorProductIdentifier": "ACN-G2",
             "orderedQuantity": {"amount": 10, "unitOfMeasure": "Eaches", "unitSize": 1},
             "isBackOrderAllowed": True, "netCost": {"amount": "12.50", "currencyCode": "USD"}},
        ],
    },
}


def remittance():
    Remittance, RemittanceLine = ts820._remittance_classes()
    return Remittance(
        unique_payment_id="UPI-2026-11-30-1", payment_number="PAY000123",
        payment_date=datetime.date(2026, 11, 30), amount=Decimal("190.72"), currency="USD",
        method="ACH", vendor_codes=("ACRN1",), source="edi", lines=(
            RemittanceLine("GOLD-INV-1", "USD", Decimal("214.00"), Decimal("209.72"),
                           discount=Decimal("4.28"), invoice_date=datetime.date(2026, 11, 4),
                           description="Net 60, 2% quick pay"),
            RemittanceLine("SC-778899", "USD", Decimal("-19.00"), Decimal("-19.00"),
                           description="Shortage claim")),
        line_count=2)


def written():
    """Every golden file: name -> (bytes, reader, the document(s) it was written from)."""
    ack = api("acknowledgement", "acknowledgements")
    return {
        "purchase_orders": (x12.write_purchase_orders([ORDER, _second_order()], AMAZON_ENV),
                            x12.read_purchase_orders, [ORDER, _second_order()]),
        "acknowledgement": (x12.write_acknowledgement(ack, ENV), x12.read_acknowledgement,
                            [ack]),
        **{name: (x12.write_shipment_confirmation(api(name, "shipmentConfirmations"), ENV),
                  x12.read_shipment_confirmation, [api(name, "shipmentConfirmations")])
           for name in ("shipment_confirmation_cartons", "shipment_confirmation_pallets")},
        **{name: (x12.write_invoice(api(name, "invoices"), ENV), x12.read_invoice,
                  [api(name, "invoices")]) for name in ("invoice", "credit_note")},
        "remittance": (x12.write_remittance([remittance()], AMAZON_ENV), x12.read_remittance,
                       [ts820.as_written(remittance())]),
        "functional_ack": functional_ack(),
    }


def functional_ack():
    """Our 997 for Amazon's two 850s: the first refused by a business check (PO104), the
    second by its content (BEG03 missing)."""
    orders = x12.write_purchase_orders([ORDER, _second_order()], AMAZON_ENV).decode()
    received = x12.read_purchase_orders(
        orders.replace("BEG*00*RO*4GOLDUS2", "BEG*00*RO*", 1).encode(), strict=False)
    business = EdiError("cost differs from the catalogue", "PO1", 9, 4, code="7")
    data = x12.write_functional_ack(received, {"0001": [business]}, dataclasses.replace(
        ENV, interchange_control=1202, group_control=78))
    results = [
        x12.AckResult("PO", 901, "850", "0001", "R",
                      ["PO104 (segment 9): invalid code value"], 1202),
        x12.AckResult("PO", 901, "850", "0002", "R",
                      ["BEG03 (segment 2): mandatory data element missing"], 1202)]
    return data, x12.read_functional_ack, results


def _second_order():
    order = copy.deepcopy(ORDER)
    order["purchaseOrderNumber"] = "4GOLDUS2"
    details = order["orderDetails"]
    details["purchaseOrderType"] = "RushOrder"
    details["purchaseOrderDate"] = details["purchaseOrderStateChangedDate"] = \
        "2026-11-03T00:00:00Z"
    for key in ("dealCode", "shipWindow", "buyingParty", "billToParty"):
        del details[key]
    details["items"] = [dict(details["items"][1], isBackOrderAllowed=False)]
    return order


FILES = written()


def read_documents(reader, data):
    result = reader(data)
    return result if isinstance(result, list) else result.documents


def parse_independently(data):
    document = ansi_x12.tokenize_x12(data)
    interchange = ansi_x12.parse_x12_interchange(document)
    return ansi_x12.inspect_x12_interchange(interchange)


@pytest.mark.parametrize("name", sorted(FILES))
def test_golden_file(name):
    data, _reader, _docs = FILES[name]
    path = GOLDEN / f"{name}.x12"
    text = data.decode().replace("~", "~\n")  # one segment a line, reviewable in a diff
    if UPDATE:
        path.write_text(text)
    assert path.read_text() == text, f"{path.name} differs: regenerate with " \
        "ACORN_UPDATE_GOLDEN=1 and review the diff"
    # the golden file itself (with its line breaks) reads the same
    assert read_documents(_reader, path.read_bytes()) == read_documents(_reader, data)


@pytest.mark.parametrize("name", sorted(FILES))
def test_round_trip(name):
    data, reader, documents = FILES[name]
    assert read_documents(reader, data) == documents


@pytest.mark.parametrize("name", sorted(FILES))
def test_independent_parser_accepts_what_we_write(name):
    data, _reader, documents = FILES[name]
    inspection = parse_independently(data)
    assert inspection.actual_group_count == 1
    assert inspection.total_transaction_count == len(x12.read_interchange(data).transactions)
    group = inspection.groups[0]
    assert group.declared_transaction_count == group.actual_transaction_count
    for transaction in group.transactions:
        assert transaction.declared_segment_count == transaction.actual_segment_count


def test_envelope_read_back():
    interchange = x12.read_shipment_confirmation(FILES["shipment_confirmation_pallets"][0])
    assert (interchange.sender_qualifier, interchange.sender_id, interchange.receiver_id) == \
        ("ZZ", "ACORNVENDOR", "AMAZON")
    assert interchange.control_number == 1201 and interchange.test
    assert interchange.version == "00501" and interchange.separators.repetition == "^"
    group = interchange.groups[0]
    assert (group.functional_id, group.control_number, group.version) == ("SH", 77, "005010")
    assert [(t.set_id, t.control_number) for t in interchange.transactions] == [("856", "0001")]
    assert interchange.envelope().group_control == 77


def test_other_separators_and_line_breaks():
    env = dataclasses.replace(ENV, element_separator="|", component_separator=":",
                              segment_terminator="\n", test=False)
    data = x12.write_invoice(api("invoice", "invoices"), env)
    assert data.startswith(b"ISA|00|") and b"~" not in data
    interchange = x12.read_invoice(data)
    assert not interchange.test and interchange.separators.element == "|"
    assert interchange.documents == [api("invoice", "invoices")]
    parse_independently(data)
    # CR LF after each terminator is accepted
    crlf = FILES["invoice"][0].replace(b"~", b"~\r\n")
    assert x12.read_invoice(crlf).documents == [api("invoice", "invoices")]


def test_acknowledgement_codes_and_dates():
    ack = api("acknowledgement", "acknowledgements")
    parts = ack["items"][1]["itemAcknowledgements"]
    parts[1]["rejectionReason"] = "InvalidProductIdentifier"
    parts.append({"acknowledgementCode": "Rejected", "rejectionReason": "ObsoleteProduct",
                  "acknowledgedQuantity": {"amount": 0, "unitOfMeasure": "Eaches",
                                           "unitSize": 1}})
    ack["items"][0]["itemAcknowledgements"] = [
        {"acknowledgementCode": "Backordered",
         "acknowledgedQuantity": {"amount": 4, "unitOfMeasure": "Cases", "unitSize": 6},
         "scheduledShipDate": "2026-11-10T00:00:00Z",
         "scheduledDeliveryDate": "2026-11-14T15:00:00Z"}]
    data = x12.write_acknowledgement(ack, ENV)
    text = data.decode()
    assert "ACK*IB*4*CA*068*20261110~" in text and "DTM*067*20261114*1500*UT~" in text
    assert "ACK*R2*2*EA~" in text and "ACK*R4*0*EA~" in text and "BAK*00*AC*" in text
    assert x12.read_acknowledgement(data).documents == [ack]


def test_purchase_order_segments():
    text = FILES["purchase_orders"][0].decode()
    assert "BEG*00*NE*4GOLDUS1**20261102~" in text and "BEG*00*RO*4GOLDUS2**20261103~" in text
    assert "CSH*Y~" in text and "CSH*N~" in text
    assert "DTM*064*20261105*0800*UT~" in text and "DTM*063*20261112*173015*UT~" in text
    assert "PO1*1*4*CA*4.125*PE*BP*B0GOLD0001*VN*ACN-G1~CTP**MSR*8.99~PO4*6~" in text
    assert "N4*Seattle*WA*98108*US*CY*King~" in text and "PER*IC**TE*+12065551234~" in text


def test_a_line_reads_its_list_price_and_pack_in_either_order_past_other_segments():
    """The standard puts CTP (040) before PO4 (090), with PID, MEA, REF... allowed around
    them; our writer put PO4 first until December 2026: files of both orders read alike."""
    data = FILES["purchase_orders"][0]
    text = data.decode()
    expected = x12.read_purchase_orders(data).documents
    swapped = text.replace("CTP**MSR*8.99~PO4*6~", "PO4*6~CTP**MSR*8.99~")
    extra = text.replace("CTP**MSR*8.99~PO4*6~",
                         "CTP**MSR*8.99~PID*F****Widget~PO4*6~REF*ZZ*note~")
    sub_line = text.replace("CTP**MSR*8.99~PO4*6~",
                            "CTP**MSR*8.99~PO4*6~SLN*1**I*2*EA~CTP**MSR*1.00~PO4*12~")
    for variant, added in ((swapped, 0), (extra, 2), (sub_line, 3)):
        count = re.search(r"SE\*(\d+)\*0001~", variant).group(1)
        variant = variant.replace(f"SE*{count}*0001~", f"SE*{int(count) + added}*0001~")
        assert x12.read_purchase_orders(variant.encode()).documents == expected
    other_currency = text.replace("CTP**MSR*8.99~PO4*6~", "CUR*BY*CAD~CTP**MSR*8.99~PO4*6~")
    count = re.search(r"SE\*(\d+)\*0001~", other_currency).group(1)
    other_currency = other_currency.replace(f"SE*{count}*0001~", f"SE*{int(count) + 1}*0001~")
    with pytest.raises(EdiError, match="priced in CAD, the order in USD"):
        x12.read_purchase_orders(other_currency.encode())


def test_an_850_without_cur_leaves_the_currency_to_the_account():
    """Amazon's retail 850 (unlike its Direct Fulfillment 850) has no CUR segment."""
    text = FILES["purchase_orders"][0].decode()
    cur = re.search(r"CUR\*BY\*[A-Z]{3}~", text).group(0)
    count = re.search(r"SE\*(\d+)\*0001~", text).group(1)
    without = text.replace(cur, "", 1).replace(f"SE*{count}*0001~", f"SE*{int(count) - 1}*0001~")
    order = x12.read_purchase_orders(without.encode()).documents[0]
    item = order["orderDetails"]["items"][0]
    assert "currencyCode" not in item["netCost"] and item["netCost"]["amount"]


def test_an_850_line_named_by_its_upc_only_is_matched_by_it():
    text = FILES["purchase_orders"][0].decode()
    upc = text.replace("*VN*ACN-G1~", "*UP*012345678905~", 1)
    item = x12.read_purchase_orders(upc.encode()).documents[0]["orderDetails"]["items"][0]
    assert item["vendorProductIdentifier"] == "012345678905"
    assert item["amazonProductIdentifier"] == "B0GOLD0001"


def test_shipment_with_several_orders_and_no_cartons():
    sc = api("shipment_confirmation_cartons", "shipmentConfirmations")
    sc["shippedItems"][1]["itemDetails"] = {"purchaseOrderNumber": "4GOLDUS9",
                                           "lotNumber": "LOT-7",
                                           "expiry": {"expiryDate": "2027-06-30T00:00:00Z"}}
    # a carton holding items of two orders: its items come back order by order
    sc["cartons"][2]["items"].insert(0, {"itemReference": "001", "shippedQuantity": {
        "amount": 1, "unitOfMeasure": "Cases", "unitSize": 6}})
    sc["shippedItems"][0]["shippedQuantity"]["amount"] = 3
    sc["amazonReferenceNumber"] = "ARN1234567"
    sc["shipmentConfirmationType"] = "Replace"
    data = x12.write_shipment_confirmation(sc, ENV)
    text = data.decode()
    assert text.count("MAN*GM*006141410000000036~") == 2  # mixed carton under both orders
    assert "REF*AO*ARN1234567~" in text and "BSN*05*GOLD-ASN-1*" in text
    assert x12.read_shipment_confirmation(data).documents == [sc]
    parse_independently(data)
    loose = {k: v for k, v in sc.items() if k != "cartons"}
    data = x12.write_shipment_confirmation(loose, ENV)
    assert x12.read_shipment_confirmation(data).documents == [loose]


def test_writer_refuses_what_x12_cannot_carry():
    sc = api("shipment_confirmation_cartons", "shipmentConfirmations")
    sc["shippedItems"][0]["shippedQuantity"]["amount"] = 5
    with pytest.raises(EdiError, match="not the 2 its cartons"):
        x12.write_shipment_confirmation(sc, ENV)
    invoice = api("invoice", "invoices")
    invoice["invoiceTotal"]["amount"] = "214.005"
    with pytest.raises(EdiError, match="more than 2 decimals") as caught:
        x12.write_invoice(invoice, ENV)
    assert caught.value.segment == "TDS"
    invoice = api("invoice", "invoices")
    invoice["items"][0]["netCost"]["amount"] = 4.125
    with pytest.raises(EdiError, match="not a float"):
        x12.write_invoice(invoice, ENV)
    invoice = api("invoice", "invoices")
    invoice["items"][0]["netCost"]["currencyCode"] = "EUR"
    with pytest.raises(EdiError, match="one currency"):
        x12.write_invoice(invoice, ENV)
    # a free-text element longer than X12 takes: refused here, naming it (Amazon's 997 would
    # reject the whole set as "data element too long")
    invoice = api("invoice", "invoices")
    party = invoice.get("remitToParty") or invoice["billToParty"]
    party["address"]["addressLine1"] = "Building 7, " + "Industrial Park Road " * 3
    with pytest.raises(EdiError, match="X12 takes at most 55 in N301") as caught:
        x12.write_invoice(invoice, ENV)
    assert (caught.value.segment, caught.value.element) == ("N3", 1)
    party["address"]["addressLine1"] = "Building 7, Industrial Park Road"
    assert b"N3*Building 7, Industrial Park Road" in x12.write_invoice(invoice, ENV)


@pytest.mark.parametrize("value", ["ACN*G1", "ACN>G1", "ACN~G1", "ACN\nG1"])
def test_writer_refuses_separators_in_data(value):
    ack = api("acknowledgement", "acknowledgements")
    ack["items"][0]["vendorProductIdentifier"] = value
    with pytest.raises(EdiError) as caught:
        x12.write_acknowledgement(ack, ENV)
    assert caught.value.segment == "PO1" and caught.value.element == 9


def test_writer_refuses_bad_envelopes():
    ack = api("acknowledgement", "acknowledgements")
    for bad in ({"element_separator": "*", "component_separator": "*"},
                {"segment_terminator": "A"}, {"sender_id": "X" * 16},
                {"interchange_control": 0}, {"sender_qualifier": "Z"}):
        with pytest.raises(EdiError):
            x12.write_acknowledgement(ack, dataclasses.replace(ENV, **bad))


# -- refusals -----------------------------------------------------------------------------------

PO_FILE = FILES["purchase_orders"][0].decode()


def fix_counts(text):
    """Recompute SE01 after a test edited a transaction set."""
    out, count = [], 0
    for segment in text.split("~")[:-1]:
        tag = segment.split("*")[0]
        count = 1 if tag == "ST" else count + 1
        if tag == "SE":
            parts = segment.split("*")
            segment = "*".join([parts[0], str(count), *parts[2:]])
        out.append(segment)
    return "~".join(out) + "~"


REFUSALS = {
    "empty": ("", None, "does not start with an ISA"),
    "not x12": ("UNA:+.? 'UNB+UNOC:3+X'", None, "does not start with an ISA"),
    "truncated ISA": (PO_FILE[:80], "ISA", "truncated"),
    "truncated file": (PO_FILE[:-30], None, "truncated"),
    "no IEA": (PO_FILE[:PO_FILE.index("IEA")], "IEA", "IEA interchange trailer is missing"),
    "ISA not 106": (PO_FILE.replace("AMAZON         *", "AMAZON        *", 1), "ISA",
                    "not 106 characters"),
    "inconsistent separator": (PO_FILE.replace("BEG*00*NE", "BEG|00|NE", 1), "BEG",
                               "not a segment identifier"),
    "terminator in ISA": (PO_FILE.replace("ACORNVENDOR    ", "ACORNVENDOR~   ", 1), "ISA",
                          "segment terminator"),
    "SE01 count": (PO_FILE.replace("SE*", "SE*9", 1), "SE", "SE01 says"),
    "SE02 control": (PO_FILE.replace("*0002~GE", "*0009~GE"), "SE",
                     "does not match ST02"),
    "GE01 count": (PO_FILE.replace("GE*2*", "GE*3*"), "GE", "GE01 says 3"),
    "GE02 control": (PO_FILE.replace("GE*2*901", "GE*2*902"), "GE", "does not match GS06"),
    "IEA01 count": (PO_FILE.replace("IEA*1*", "IEA*2*"), "IEA", "IEA01 says 2"),
    "IEA02 control": (PO_FILE.replace("IEA*1*000005001", "IEA*1*000005002"), "IEA",
                      "does not match ISA13"),
    "unknown set": (fix_counts(PO_FILE.replace("ST*850*0002", "ST*875*0002")), "ST",
                    "not one this reader handles"),
    "wrong group": (PO_FILE.replace("GS*PO*", "GS*IN*"), "GS", "belongs in a PO group"),
    "wrong version": (PO_FILE.replace("*X*004010~", "*X*005010~"), "GS", "004010"),
    "missing segment": (fix_counts(re.sub(r"CSH\*Y~", "", PO_FILE, count=1)), "CSH",
                        "mandatory segment CSH"),
    "missing element": (PO_FILE.replace("BEG*00*NE*4GOLDUS1", "BEG*00*NE*", 1), "BEG",
                        "BEG03"),
    "bad code": (PO_FILE.replace("BEG*00*NE", "BEG*00*XX", 1), "BEG", "BEG02"),
    "bad date": (PO_FILE.replace("**20261102~", "**20261302~", 1), "BEG", "not a valid date"),
    "CTT count": (PO_FILE.replace("CTT*2*14~", "CTT*3*14~"), "CTT", "CTT01 says 3"),
    "unexpected segment": (fix_counts(PO_FILE.replace("CTT*2*14~", "CTT*2*14~NTE*x~", 1)),
                           "NTE", "unexpected segment"),
    "segment outside": (PO_FILE.replace("GE*2*", "MSG*hi~GE*2*", 1), "MSG", "outside"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_reader_refuses_the_whole_file(case):
    text, segment, message = REFUSALS[case]
    with pytest.raises(EdiError, match=re.escape(message)) as caught:
        x12.read_purchase_orders(text.encode())
    if segment:
        assert caught.value.segment == segment
    assert str(caught.value)  # plain words, segment named when known


def test_reader_refuses_non_utf8_and_other_sets():
    with pytest.raises(EdiError, match="not ASCII/UTF-8"):
        x12.read_purchase_orders(PO_FILE.replace("Amazon.com Services", "Amaz\xf3n").encode(
            "latin-1"))
    with pytest.raises(EdiError, match="not one this reader handles"):
        x12.read_invoice(FILES["purchase_orders"][0])


def test_refusals_of_each_set_when_content_is_wrong():
    cases = [
        (FILES["acknowledgement"][0], x12.read_acknowledgement, "ACK*IA*4*CA", "ACK*ZZ*4*CA",
         "ACK01"),
        (FILES["invoice"][0], x12.read_invoice, "TDS*21400", "TDS*214.00", "TDS01"),
        (FILES["shipment_confirmation_pallets"][0], x12.read_shipment_confirmation,
         "HL*4*3*P", "HL*4*9*P", "cannot hang under"),
        (FILES["shipment_confirmation_cartons"][0], x12.read_shipment_confirmation,
         "MEA*WT*G*7.5*KG", "MEA*WT*G*7.5*XX", "weight unit"),
        (FILES["remittance"][0], x12.read_remittance, "BPR*C*190.72", "BPR*C*abc", "BPR02"),
    ]
    for data, reader, old, new, message in cases:
        assert old.encode() in data
        with pytest.raises(EdiError, match=message):
            reader(data.replace(old.encode(), new.encode(), 1))


# -- 997 ----------------------------------------------------------------------------------------

def test_functional_ack_accepts_everything():
    received = x12.read_purchase_orders(FILES["purchase_orders"][0])
    data = x12.write_functional_ack(received, envelope=dataclasses.replace(
        ENV, interchange_control=1202, group_control=78))
    text = data.decode()
    assert "AK1*PO*901~AK2*850*0001~AK5*A~AK2*850*0002~AK5*A~AK9*A*2*2*2~" in text
    parse_independently(data)
    results = x12.read_functional_ack(data)
    assert [(r.group_control, r.set_id, r.transaction_control, r.code, r.errors)
            for r in results] == [(901, "850", "0001", "A", []), (901, "850", "0002", "A", [])]
    assert all(r.accepted and r.acknowledgment_control == 1202 for r in results)


def test_functional_ack_rejects_one_set_and_names_segment_and_element():
    bad = PO_FILE.replace("BEG*00*RO*4GOLDUS2", "BEG*00*RO*", 1)
    with pytest.raises(EdiError):
        x12.read_purchase_orders(bad.encode())
    received = x12.read_purchase_orders(bad.encode(), strict=False)
    first, second = received.transactions
    assert first.accepted and first.document["purchaseOrderNumber"] == "4GOLDUS1"
    assert not second.accepted and second.document is None
    business = EdiError("cost differs from the catalogue", "PO1", 9, 4, code="7")
    data = x12.write_functional_ack(received, {"0001": [business]})
    text = data.decode()
    assert "AK2*850*0001~AK3*PO1*9**8~AK4*4**7~AK5*R*5~" in text
    assert "AK2*850*0002~AK3*BEG*2**8~AK4*3**1~AK5*R*5~AK9*R*2*2*0~" in text
    results = x12.read_functional_ack(data)
    assert [(r.transaction_control, r.code, r.accepted) for r in results] == \
        [("0001", "R", False), ("0002", "R", False)]
    assert results[1].errors == ["BEG03 (segment 2): mandatory data element missing"]
    assert results[0].errors == ["PO104 (segment 9): invalid code value"]


def test_functional_ack_counts_and_codes():
    bad = fix_counts(PO_FILE).replace("SE*", "SE*99", 1)  # SE01 wrong in the first set
    received = x12.read_purchase_orders(bad.encode(), strict=False)
    data = x12.write_functional_ack(received)
    assert "AK5*R*4~" in data.decode() and "AK9*P*2*2*1~" in data.decode()
    results = x12.read_functional_ack(data)
    assert "number of included segments does not match actual count" in results[0].errors[0]
    assert results[1].accepted


def test_functional_ack_from_amazon_rejecting_a_group():
    text = ("ISA*00*          *00*          *ZZ*AMAZON         *ZZ*ACORNVENDOR    *261104*0930*"
            "U*00401*000000009*0*P*>~GS*FA*AMAZON*ACORNVENDOR*20261104*0930*9*X*004010~"
            "ST*997*0001~AK1*IN*77~AK9*R*1*0*0*5~SE*4*0001~GE*1*9~IEA*1*000000009~")
    results = x12.read_functional_ack(text.encode())
    assert len(results) == 1 and not results[0].accepted
    assert results[0].transaction_control is None and results[0].group_control == 77
    assert "number of included transaction sets does not match" in results[0].errors[0]
    wrong = text.replace("AK9*R*1*0*0*5", "AK9*Q*1*0*0*5")
    with pytest.raises(EdiError, match="AK901"):
        x12.read_functional_ack(wrong.encode())


def test_an_810_names_its_purchase_order_in_big04():
    """BIG04 is the invoice's purchase order (X12): written when every item has the same
    one, and read for items that name none."""
    text = (GOLDEN / "invoice.x12").read_text().replace("\n", "")
    assert "*GOLD-INV-1**4GOLDUS1***DI~" in text
    bare = fix_counts(text.replace("REF*PO*4GOLDUS1~", "").replace("*PO*4GOLDUS1~", "~"))
    (invoice,) = x12.read_invoice(bare.encode()).documents
    assert {i["purchaseOrderNumber"] for i in invoice["items"]} == {"4GOLDUS1"}


def test_a_005010_997_from_amazon_is_read():
    """Amazon acknowledges each group in its version: our 856 is 005010, so may be its 997
    (AK1 and AK2 carry one more element there); other sets keep their version."""
    text = ("ISA*00*          *00*          *ZZ*AMAZON         *ZZ*ACORNVENDOR    *261104*0930*"
            "^*00501*000000011*0*P*>~GS*FA*AMAZON*ACORNVENDOR*20261104*0930*11*X*005010~"
            "ST*997*0001~AK1*SH*78*005010~AK2*856*0001*005010~AK5*A~AK9*A*1*1*1~SE*6*0001~"
            "GE*1*11~IEA*1*000000011~")
    (result,) = x12.read_functional_ack(text.encode())
    assert (result.functional_id, result.group_control, result.set_id, result.accepted) == \
        ("SH", 78, "856", True)
    po_5010 = PO_FILE.replace("*X*004010~", "*X*005010~", 1)
    with pytest.raises(EdiError, match="read in version 004010"):
        x12.read_purchase_orders(po_5010.encode())


def _mixed_interchange():
    """Amazon's 850s and its 997 of one of our files in one interchange (TA1 first)."""
    orders = PO_FILE.split("~GS*", 1)[1].rsplit("~IEA*", 1)[0]
    ack = ("GS*FA*AMAZON*ACORNVENDOR*20261104*0930*902*X*004010~ST*997*0001~AK1*PR*77~"
           "AK2*855*0001~AK5*A~AK9*A*1*1*1~SE*6*0001~GE*1*902")
    isa = PO_FILE.split("~", 1)[0]
    ta1 = "TA1*000001201*261104*0930*A*000"
    return f"{isa}~{ta1}~GS*{orders}~{ack}~IEA*2*{isa.split('*')[13]}~".encode()


def test_an_interchange_of_several_kinds_is_cut_into_one_per_kind():
    data = _mixed_interchange()
    with pytest.raises(EdiError, match="997"):
        x12.read_purchase_orders(data)  # one kind's reader refuses the other's group
    (set_850, part_850), (set_997, part_997) = x12.split_by_set(data)
    assert (set_850, set_997) == ("850", "997")
    orders = x12.read_purchase_orders(part_850)
    assert [t.document["purchaseOrderNumber"] for t in orders.transactions] == \
        ["4GOLDUS1", "4GOLDUS2"]
    assert [a.interchange_control for a in orders.acknowledgments] == [1201], \
        "the TA1s that open the file go with its first part"
    (answer,) = x12.read_functional_ack(part_997)
    assert (answer.functional_id, answer.group_control, answer.accepted) == ("PR", 77, True)
    assert x12.read_interchange(part_997).acknowledgments == []
    for part in (part_850, part_997):  # the same envelope, IEA counting its own groups
        parsed = x12.read_interchange(part)
        assert parsed.control_number == int(data.decode().split("*")[13])
        assert part.decode().startswith(data.decode()[:106])
        parse_independently(part)
    # one kind, or a file that cannot be cut: whole
    assert x12.split_by_set(PO_FILE.encode()) == [("850", PO_FILE.encode())]
    assert x12.split_by_set(b"ISA*garbage") == [(None, b"ISA*garbage")]
    unfinished = data.decode().replace("~GE*1*902~", "~", 1).encode()
    assert x12.split_by_set(unfinished) == [("850", unfinished)]


# -- 820 ----------------------------------------------------------------------------------------

def test_remittance_from_an_820_with_adjustments():
    text = ("ISA*00*          *00*          *ZZ*AMAZON         *ZZ*ACORNVENDOR    *261130*0800*"
            "U*00401*000000031*0*P*>~GS*RA*AMAZON*ACORNVENDOR*20261130*0800*31*X*004010~"
            "ST*820*0001~BPR*C*395.00*C*ACH*CCP*01*111000025*DA*123456******"
            "*20261130~TRN*1*PAY777~CUR*PR*USD~N1*PR*Amazon.com~N1*PE*Acorn*92*ACRN1~ENT*1~"
            "ADX*-25.00*CS**CB-991~RMR*IV*INV-1**420.00*430.00*10.00~DTM*003*20261001~"
            "ADX*-5.00*01~SE*12*0001~GE*1*31~IEA*1*000000031~")
    [payment] = x12.read_remittance(text.encode())
    assert (payment.unique_payment_id, payment.payment_number, payment.amount,
            payment.payment_date, payment.method, payment.vendor_codes, payment.source) == \
        ("PAY777", "PAY777", Decimal("395.00"), datetime.date(2026, 11, 30), "ACH",
         ("ACRN1",), "edi")
    debit, invoice = payment.lines
    assert (debit.invoice_number, debit.amount_paid, debit.is_deduction) == \
        ("CB-991", Decimal("-25.00"), True)
    assert (invoice.invoice_number, invoice.invoice_amount, invoice.amount_paid,
            invoice.discount, invoice.invoice_date) == \
        ("INV-1", Decimal("430.00"), Decimal("420.00"), Decimal("10.00"),
         datetime.date(2026, 10, 1))
    assert "adjustment -5.00 (reason 01)" in invoice.description
    assert sum(line.amount_paid for line in payment.lines) == payment.amount
    # segments the standard allows around them (notes, references, the payee's address, an
    # NM1 loop, a line's REF before its DTM) read past: the same remittance
    fuller = text \
        .replace("~TRN*1*PAY777~", "~NTE**weekly run~TRN*1*PAY777~") \
        .replace("CUR*PR*USD~", "REF*EV*ACRN1~CUR*PR*USD~DTM*097*20261130~") \
        .replace("N1*PE*Acorn*92*ACRN1~", "N1*PE*Acorn*92*ACRN1~N3*1 Main St~N4*Reno*NV~") \
        .replace("ENT*1~", "ENT*1~NM1*PE*2*Acorn~") \
        .replace("~DTM*003*20261001~", "~REF*PO*4GOLD1~DTM*003*20261001~") \
        .replace("SE*12*0001~", "SE*19*0001~")
    assert x12.read_remittance(fuller.encode()) == [payment]
    # a note on Amazon's own debit is kept with it; a date inside the RMR's adjustment loop
    # is not the invoice's
    noted = text.replace("ADX*-25.00*CS**CB-991~", "ADX*-25.00*CS**CB-991~NTE**late ASN~") \
        .replace("ADX*-5.00*01~", "ADX*-5.00*01~DTM*003*20261015~") \
        .replace("SE*12*0001~", "SE*14*0001~")
    [again] = x12.read_remittance(noted.encode())
    assert again.lines[0].description == "adjustment CS; late ASN"
    assert again.lines[1].invoice_date == datetime.date(2026, 10, 1)
