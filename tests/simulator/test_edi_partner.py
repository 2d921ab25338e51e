"""Amazon's EDI partner: 850/ORDERS out of the simulator's own POs, 855/856/810 and
ORDRSP/DESADV/INVOIC in over SFTP, checked with the API's business rules and answered with a
997/CONTRL, as a vendor's EDI client sees it."""
import copy
import time

import pytest

from . import documents

edi = pytest.importorskip("odoo.addons.acorn_amazon_vendor_edi.lib")
from odoo.addons.acorn_amazon_vendor_edi.lib import codecs, edifact, x12  # noqa: E402
from odoo.addons.acorn_amazon_vendor_edi.lib.envelope import Envelope  # noqa: E402
from odoo.addons.acorn_amazon_vendor_edi.lib.transport import (  # noqa: E402
    EdiTransportError,
    LoopbackAs2Server,
    SftpTransport,
    as2,
    make_ssh_key,
    make_test_identity,
)

OUR_ID = "ACORNVENDOR"
AMAZON_ID = "AMAZONTEST"
QUALIFIER = {"x12": "ZZ", "edifact": "ZZZ"}


class Vendor:
    """A vendor's EDI client: its key, its control numbers, its SFTP session."""

    def __init__(self, sim, username, vendor_code, standard, deliver=True):
        self.sim, self.standard, self.username = sim, standard, username
        self.private_key, public_key = make_ssh_key()
        self.config = {"username": username, "public_key": public_key, "standard": standard,
                       "vendor_code": vendor_code, "our_id": OUR_ID, "amazon_id": AMAZON_ID,
                       "deliver": deliver}
        reply = sim.control("edi", {"partners": [self.config]})
        self.reply = reply
        self.sftp = reply["partners"][0]["sftp"]
        self.control = 1000
        self.client = SftpTransport(
            self.sftp["host"], self.sftp["port"], username, self.private_key,
            host_key_fingerprint=self.sftp["hostKeyFingerprint"],
            upload_dir=self.sftp["uploadFolder"], download_dir=self.sftp["downloadFolder"],
            timeout=10)

    def envelope(self, control=None, receiver=AMAZON_ID):
        if control is None:
            self.control += 1
            control = self.control
        q = QUALIFIER[self.standard]
        return Envelope(sender_qualifier=q, sender_id=OUR_ID, receiver_qualifier=q,
                        receiver_id=receiver, interchange_control=control,
                        group_control=control, test=True, prepared_at=self.sim.now())

    def take(self, prefix):
        """Download and remove Amazon's files whose name starts with ``prefix``."""
        files = []
        for name in self.client.list_incoming():
            if name.startswith(prefix):
                files.append(self.client.download(name))
                self.client.remove(name)
        return files

    def send(self, name, data):
        """Upload one file; Amazon's functional acknowledgement (bytes) and its answers."""
        self.client.upload(name, data)
        answers = self.take("AMZ_997_" if self.standard == "x12" else "AMZ_CONTRL_")
        assert len(answers) == 1, "one 997/CONTRL per file"
        return answers[0], codecs.read_answers(self.standard, answers[0])

    def write(self, kind, document, **envelope):
        return codecs.write_document(self.standard, kind, document, self.envelope(**envelope))

    def log(self):
        partners = self.sim.control("edi")["partners"]
        return next(p for p in partners if p["username"] == self.username)["files"]


@pytest.fixture
def us(sim):
    vendor = Vendor(sim, "acorn-us", "ACRN1", "x12")
    with vendor.client:
        yield vendor


@pytest.fixture
def eu(sim):
    vendor = Vendor(sim, "acorn-eu", "ACRNE", "edifact")
    with vendor.client:
        yield vendor


def new_po(sim, vendor_code):
    return sim.po(lambda po: po.state == "New" and po.vendor_code == vendor_code
                  and not any(i.cancelled for i in po.items) and po.freight_terms == "Prepaid")


def acknowledge(vendor, po):
    ack = documents.acknowledgement(po, vendor.sim.now())["acknowledgements"][0]
    _raw, answers = vendor.send(f"ack_{po.number}.edi", vendor.write("acknowledgement", ack))
    assert [a.accepted for a in answers] == [True], answers
    return ack


# -- purchase orders out ------------------------------------------------------------------------

def test_partner_is_listed_in_health_and_receives_the_api_purchase_orders_as_850s(sim, us):
    health = sim.control("health")
    assert health["edi"]["sftp"] == f"127.0.0.1:{us.sftp['port']}"
    assert health["edi"]["as2"].startswith("http://127.0.0.1:")
    assert health["edi"]["partners"] == ["acorn-us"]
    assert us.sftp["hostKeyFingerprint"].startswith("SHA256:")
    files = us.take("AMZ_850_")
    expected = {po.number for po in sim.state.order_list
                if po.vendor_code == "ACRN1" and po.state == "New"}
    orders = [codecs.read_purchase_orders("x12", data) for data in files]
    received = {o["purchaseOrderNumber"]: o for r in orders for o in r.orders}
    assert set(received) == expected and len(files) == len(expected), "one file per PO"
    assert all(not r.refused for r in orders)
    number = sorted(received)[0]
    api = sim.get(f"/vendor/orders/v1/purchaseOrders/{number}").json()["payload"]
    assert [(i["itemSequenceNumber"], i["netCost"], i["orderedQuantity"]["amount"])
            for i in received[number]["orderDetails"]["items"]] == [
        (i["itemSequenceNumber"], i["netCost"], i["orderedQuantity"]["amount"])
        for i in api["orderDetails"]["items"]], "the same PO over both channels"
    parsed = x12.read_purchase_orders(files[0])
    assert (parsed.sender_id, parsed.receiver_id) == (AMAZON_ID, OUR_ID)
    controls = [x12.read_purchase_orders(f).control_number for f in files]
    assert controls == sorted(set(controls)), "Amazon's control numbers increase"
    # Nothing twice; a new PO of the control API goes out at once.
    assert sim.control("edi/acorn-us/deliver", {}) == {"files": []}
    created = sim.control("purchase-orders", {"generate": 1, "vendor_code": "ACRN1",
                                              "currency": "USD"})["purchaseOrders"][0]
    again = us.take("AMZ_850_")
    assert [o["purchaseOrderNumber"] for o in
            codecs.read_purchase_orders("x12", again[0]).orders] == [
        created["purchaseOrderNumber"]]
    assert max(controls) < x12.read_purchase_orders(again[0]).control_number


def test_a_changed_po_goes_out_as_an_860_or_ordchg_that_gives_the_apis_order(sim, us, eu):
    from odoo.addons.acorn_amazon_vendor_edi.lib import order_change

    us.take("AMZ_850_")
    eu.take("AMZ_ORDERS_")
    po = new_po(sim, "ACRN1")
    sent = codecs.read_purchase_orders("x12", x12.write_purchase_orders(
        [po.order_json()], us.envelope())).orders[0]  # the order as its 850 carried it
    first = po.items[0]
    new_amount = first.ordered // first.unit_size + 2
    sim.control(f"purchase-orders/{po.number}/change", {"items": [
        {"itemSequenceNumber": first.seq, "quantity": new_amount}]})
    files = us.take("AMZ_860_")
    assert len(files) == 1, "one 860 for the change"
    change, = codecs.read_purchase_order_changes("x12", files[0]).orders
    assert change["changeSequence"] == "1"
    assert [line["changeType"] for line in change["items"]] == \
        ["QI"] + ["NC"] * (len(po.items) - 1)
    api = sim.get(f"/vendor/orders/v1/purchaseOrders/{po.number}").json()["payload"]
    applied = order_change.apply_change(sent, change)
    assert [i["orderedQuantity"] for i in applied["orderDetails"]["items"]] == \
        [i["orderedQuantity"] for i in api["orderDetails"]["items"]]
    assert applied["orderDetails"]["purchaseOrderChangedDate"] == \
        api["orderDetails"]["purchaseOrderChangedDate"][:10] + "T00:00:00Z"
    # the partner configured again (as every demo run does): Amazon remembers what it sent;
    # the next change is said against the version the first 860 gave
    sim.control("edi", {"partners": [dict(us.config, deliver=False)]})
    sim.control(f"purchase-orders/{po.number}/change", {"items": [
        {"itemSequenceNumber": first.seq, "cancel": True}]})
    change, = codecs.read_purchase_order_changes("x12", us.take("AMZ_860_")[0]).orders
    assert (change["changeSequence"], change["items"][0]["changeType"]) == ("2", "DI")
    assert [e["messageType"] for e in us.log() if e["direction"] == "out"][-2:] == \
        ["860", "860"]
    eu_po = new_po(sim, "ACRNE")
    eu_sent = codecs.read_purchase_orders("edifact", edifact.write_purchase_orders(
        [eu_po.order_json()], eu.envelope())).orders[0]
    sim.control(f"purchase-orders/{eu_po.number}/change", {"items": [
        {"itemSequenceNumber": eu_po.items[0].seq, "cancel": True}]})
    assert us.take("AMZ_") == [], "nothing for a PO the partner never got"
    files = eu.take("AMZ_ORDCHG_")
    assert len(files) == 1, "the European partner gets an ORDCHG"
    change, = codecs.read_purchase_order_changes("edifact", files[0]).orders
    assert change["items"][0]["changeType"] == "DI"
    api = sim.get(f"/vendor/orders/v1/purchaseOrders/{eu_po.number}").json()["payload"]
    applied = order_change.apply_change(eu_sent, change)
    assert [i["orderedQuantity"]["amount"] for i in applied["orderDetails"]["items"]] == \
        [i["orderedQuantity"]["amount"] for i in api["orderDetails"]["items"]]
    assert applied["orderDetails"]["purchaseOrderChangedDate"] == \
        api["orderDetails"]["purchaseOrderChangedDate"]


def test_partner_settings_are_checked(sim):
    reply = sim.http.post("/_simulator/edi", json={"partners": [{"username": "x"}]})
    assert reply.status_code == 400
    assert "public_key" in reply.json()["errors"][0]["message"]
    reply = sim.http.post("/_simulator/edi", json={"partners": [{
        "username": "x", "password": "p", "vendor_code": "ACRN1", "our_id": "A" * 16,
        "amazon_id": AMAZON_ID}]})
    assert reply.status_code == 400 and "our_id" in reply.json()["errors"][0]["message"]
    assert sim.control("edi") == {"edi": None, "partners": []}


# -- acknowledgements ---------------------------------------------------------------------------

def test_good_855_is_accepted_and_acknowledges_the_po(sim, us):
    po = new_po(sim, "ACRN1")
    raw, answers = us.send("ack1.edi", us.write(
        "acknowledgement", documents.acknowledgement(po, sim.now())["acknowledgements"][0]))
    assert answers == [codecs.Answer(us.control, True, ())]
    ack = x12.read_functional_ack(raw)
    assert ack[0].acknowledgment_control > 0
    parsed = x12.read_interchange(raw)
    assert (parsed.sender_id, parsed.receiver_id) == (AMAZON_ID, OUR_ID)
    assert po.state == "Acknowledged", "counts in the state as an API acknowledgement"
    status = sim.get("/vendor/orders/v1/purchaseOrders/" + po.number).json()["payload"]
    assert status["purchaseOrderState"] == "Acknowledged"
    logged = sim.control("documents", )["documents"][-1]
    assert logged["kind"] == "acknowledgement" and logged["settled"]
    assert logged["document"]["acknowledgements"][0]["purchaseOrderNumber"] == po.number


def test_855_with_another_cost_is_rejected_at_po104_with_the_reason(sim, us):
    po = new_po(sim, "ACRN1")
    ack = documents.acknowledgement(po, sim.now())["acknowledgements"][0]
    ack["items"][0]["netCost"]["amount"] = "999.99"
    _raw, answers = us.send("ack_cost.edi", us.write("acknowledgement", ack))
    assert len(answers) == 1 and not answers[0].accepted
    assert answers[0].interchange_control == us.control
    assert any("PO104" in e and "999.99" in e for e in answers[0].errors), answers[0].errors
    assert po.state == "New", "nothing applied"
    entry = us.log()[-1]
    assert entry["direction"] == "out" and entry["messageType"] == "997"
    received = [f for f in us.log() if f.get("file") == "ack_cost.edi"][0]
    assert not received["accepted"]
    assert any("NetCostMismatch" in e and "999.99" in e for e in received["errors"])
    assert received["documents"][0]["status"] == "Failure"


def test_855_for_an_unknown_po_is_rejected(sim, us):
    po = new_po(sim, "ACRN1")
    ack = documents.acknowledgement(po, sim.now())["acknowledgements"][0]
    ack["purchaseOrderNumber"] = "9ZZZZZZZ"
    _raw, answers = us.send("ack_unknown.edi", us.write("acknowledgement", ack))
    assert not answers[0].accepted
    assert any("BAK03" in e for e in answers[0].errors), answers[0].errors
    received = [f for f in us.log() if f.get("file") == "ack_unknown.edi"][0]
    assert "InvalidPurchaseOrderNumber" in received["errors"][0]


def test_truncated_file_is_rejected_and_nothing_applied(sim, us):
    po = new_po(sim, "ACRN1")
    data = us.write("acknowledgement",
                    documents.acknowledgement(po, sim.now())["acknowledgements"][0])
    cut = data[:data.rindex(b"SE*")]
    _raw, answers = us.send("cut.edi", cut)
    assert answers == [codecs.Answer(us.control, False, answers[0].errors)]
    assert answers[0].errors
    assert po.state == "New"
    received = [f for f in us.log() if f.get("file") == "cut.edi"][0]
    assert "truncated" in received["errors"][0] or "IEA" in received["errors"][0]


def test_duplicate_control_number_and_wrong_receiver_are_refused(sim, us):
    first, second = [p for p in sim.state.order_list if p.state == "New"
                     and p.vendor_code == "ACRN1"][:2]
    acknowledge(us, first)
    again = documents.acknowledgement(second, sim.now())["acknowledgements"][0]
    _raw, answers = us.send("dup.edi", us.write("acknowledgement", again, control=us.control))
    assert not answers[0].accepted
    assert any("ISA13" in e for e in answers[0].errors), answers[0].errors
    assert second.state == "New"
    received = [f for f in us.log() if f.get("file") == "dup.edi"][0]
    assert "already received" in received["errors"][0]
    _raw, answers = us.send("elsewhere.edi", us.write("acknowledgement", again,
                                                      receiver="NOTAMAZON"))
    assert not answers[0].accepted and any("ISA08" in e for e in answers[0].errors)
    assert second.state == "New"
    acknowledge(us, second)
    assert second.state == "Acknowledged"


# -- ship notices and invoices ------------------------------------------------------------------

def test_856_with_a_bad_sscc_is_rejected_a_good_one_received_then_invoiced(sim, us):
    po = new_po(sim, "ACRN1")
    acknowledge(us, po)
    asn = documents.shipment_confirmation(po, sim.now(), "EDIASN1")["shipmentConfirmations"][0]
    bad = copy.deepcopy(asn)
    sscc = bad["cartons"][0]["cartonIdentifiers"][0]["containerIdentificationNumber"]
    wrong = sscc[:-1] + str((int(sscc[-1]) + 1) % 10)
    bad["cartons"][0]["cartonIdentifiers"][0]["containerIdentificationNumber"] = wrong
    _raw, answers = us.send("asn_bad.edi", us.write("shipment_confirmation", bad))
    assert not answers[0].accepted
    assert any("MAN02" in e and wrong in e for e in answers[0].errors), answers[0].errors
    assert all(i.shipped == 0 for i in po.items)
    received = [f for f in us.log() if f.get("file") == "asn_bad.edi"][0]
    assert any("InvalidSSCC" in e for e in received["errors"])

    _raw, answers = us.send("asn_good.edi", us.write("shipment_confirmation", asn))
    assert answers[0].accepted, answers[0].errors
    assert all(i.shipped == i.accepted and i.received == i.accepted for i in po.items)
    assert po.state == "Closed", "received in full, as after an API ASN"

    invoice = documents.invoice(po, sim.now(), "EDI-INV-1")["invoices"][0]
    too_much = copy.deepcopy(invoice)
    line = too_much["items"][0]
    item = po.item(None, line["amazonProductIdentifier"])
    line["invoicedQuantity"]["amount"] += 5
    too_much["invoiceTotal"]["amount"] = str(
        float(too_much["invoiceTotal"]["amount"]) + 5 * float(item.net_cost))
    too_much["invoiceTotal"]["amount"] = f"{float(too_much['invoiceTotal']['amount']):.2f}"
    _raw, answers = us.send("inv_too_much.edi", us.write("invoice", too_much))
    assert not answers[0].accepted, "more than shipped"
    received = [f for f in us.log() if f.get("file") == "inv_too_much.edi"][0]
    assert any("InvoicedQuantityExceedsShipped" in e for e in received["errors"]), received
    _raw, answers = us.send("inv.edi", us.write("invoice", invoice))
    assert answers[0].accepted, answers[0].errors
    assert "EDI-INV-1" in sim.state.invoices
    assert all(i.invoiced == i.shipped for i in po.items)


def test_a_file_that_is_not_edi_gets_a_rejecting_997(sim, us):
    _raw, answers = us.send("noise.edi", b"hello, Amazon")
    assert len(answers) == 1 and not answers[0].accepted


# -- EDIFACT ------------------------------------------------------------------------------------

def test_edifact_orders_ordrsp_and_contrl(sim, eu):
    files = eu.take("AMZ_ORDERS_")
    expected = {po.number for po in sim.state.order_list
                if po.vendor_code == "ACRNE" and po.state == "New"}
    received = {o["purchaseOrderNumber"] for f in files
                for o in codecs.read_purchase_orders("edifact", f).orders}
    assert received == expected
    po = new_po(sim, "ACRNE")
    ack = documents.acknowledgement(po, sim.now())["acknowledgements"][0]
    bad = copy.deepcopy(ack)
    bad["items"][0]["netCost"]["amount"] = "1.01"
    raw, answers = eu.send("ordrsp_bad.edi", eu.write("acknowledgement", bad))
    assert answers[0].interchange_control == eu.control and not answers[0].accepted
    assert any("PRI" in e or "segment" in e for e in answers[0].errors), answers[0].errors
    contrl = edifact.read_control(raw)
    assert (contrl.sender_id, contrl.receiver_id) == (AMAZON_ID, OUR_ID)
    assert po.state == "New"
    raw, answers = eu.send("ordrsp.edi", eu.write("acknowledgement", ack))
    assert answers == [codecs.Answer(eu.control, True, ())]
    assert po.state == "Acknowledged"
    later = edifact.read_control(raw)
    assert int(later.reference) > int(contrl.reference), "Amazon's references increase"
    # Truncated, and a control reference already used: refused as a whole.
    data = eu.write("acknowledgement", ack)
    _raw, answers = eu.send("ordrsp_cut.edi", data[:len(data) // 2])
    assert not answers[0].accepted
    _raw, answers = eu.send("ordrsp_dup.edi", eu.write("acknowledgement", ack,
                                                       control=eu.control - 1))
    assert not answers[0].accepted
    received = [f for f in eu.log() if f.get("file") == "ordrsp_dup.edi"][0]
    assert "already received" in received["errors"][0]


# -- AS2 ----------------------------------------------------------------------------------------

def wait_for(inbox, count, timeout=15):
    deadline = time.monotonic() + timeout
    while len(inbox) < count:
        assert time.monotonic() < deadline, f"{len(inbox)} of {count} AS2 messages arrived"
        time.sleep(0.05)
    return inbox


def as2_vendor(sim, inbox, keep, **settings):
    """A vendor's loopback AS2 server (``keep(payload, headers)`` goes to ``inbox``) set up
    as the simulator's AS2 partner; returns (vendor identity, server, Amazon's AS2 side)."""
    vendor = make_test_identity("Acorn vendor AS2")
    server = LoopbackAs2Server(
        lambda payload, filename, headers: inbox.append(keep(payload, headers)),
        vendor.key_pem, vendor.cert_pem, None, as2_id="ACORN-AS2",
        partner_as2_id="AMAZON-AS2").start()
    reply = sim.control("edi", {"partners": [dict({
        "username": "acorn-as2", "transport": "as2", "vendor_code": "ACRN2",
        "our_id": OUR_ID, "amazon_id": AMAZON_ID, "as2_id": "ACORN-AS2",
        "as2_certificate": vendor.cert_pem, "as2_url": server.url,
        "amazon_as2_id": "AMAZON-AS2"}, **settings)]})
    return vendor, server, reply["partners"][0]["as2"]


def test_as2_partner_gets_orders_and_997s_posted_and_its_855_answered_by_an_mdn(sim):
    inbox = []
    vendor, server, amazon = as2_vendor(sim, inbox, lambda payload, headers: payload)
    try:
        assert amazon["url"] == sim.control("health")["edi"]["as2"]
        server.partner_cert_pem = amazon["amazonCertificate"]
        po = new_po(sim, "ACRN2")
        assert sim.control("edi/acorn-as2/deliver", {"purchaseOrders": [po.number]})["files"]
        orders = codecs.read_purchase_orders("x12", wait_for(inbox, 1)[0]).orders
        assert [o["purchaseOrderNumber"] for o in orders] == [po.number]
        ack = documents.acknowledgement(po, sim.now())["acknowledgements"][0]
        envelope = Envelope(sender_qualifier="ZZ", sender_id=OUR_ID, receiver_qualifier="ZZ",
                            receiver_id=AMAZON_ID, interchange_control=77, group_control=77,
                            test=True, prepared_at=sim.now())
        receipt = as2.send(amazon["url"], x12.write_acknowledgement(ack, envelope), "855.edi",
                           "ACORN-AS2", "AMAZON-AS2", vendor.key_pem, vendor.cert_pem,
                           amazon["amazonCertificate"], timeout=10)
        assert receipt.mdn.ok and receipt.mdn.signed
        answers = codecs.read_answers("x12", wait_for(inbox, 2)[1])
        assert answers == [codecs.Answer(77, True, ())]
        assert po.state == "Acknowledged"
        # Signed with a key Amazon does not know: refused in the MDN, nothing read.
        stranger = make_test_identity("Not the vendor")
        with pytest.raises(EdiTransportError) as refused:
            as2.send(amazon["url"], b"ISA", "x.edi", "ACORN-AS2", "AMAZON-AS2",
                     stranger.key_pem, stranger.cert_pem, amazon["amazonCertificate"],
                     timeout=10)
        assert refused.value.kind == "refused"
        deadline = time.monotonic() + 15
        while sim.state.edi.as2.pending():  # Amazon's last post has its MDN
            assert time.monotonic() < deadline
            time.sleep(0.05)
        files = sim.control("edi")["partners"][0]["files"]
        assert files[-1]["transport"] == "as2" and not files[-1]["accepted"]
        sent = [f for f in files if f["direction"] == "out"]
        assert all(f["sent"] and "processed" in f["mdn"] for f in sent), sent
    finally:
        server.stop()


def test_as2_partner_asking_for_asynchronous_mdns_checks_them_when_they_arrive(sim):
    inbox = []
    _vendor, server, amazon = as2_vendor(sim, inbox, lambda payload, headers: headers,
                                         as2_async_mdn=True)
    try:
        server.partner_cert_pem = amazon["amazonCertificate"]
        po = new_po(sim, "ACRN2")
        assert sim.control("edi/acorn-as2/deliver", {"purchaseOrders": [po.number]})["files"]
        [headers] = wait_for(inbox, 1)
        url = as2.mdn_delivery_url(headers)
        assert url and url.startswith("http://127.0.0.1:") and url.endswith("/as2/mdn")
        deadline = time.monotonic() + 15
        while True:  # the vendor posts its MDN after answering
            sent = [f for f in sim.control("edi")["partners"][0]["files"]
                    if f["direction"] == "out"]
            if sent and sent[-1].get("mdnAsync"):
                break
            assert time.monotonic() < deadline, sent
            time.sleep(0.05)
        assert sent[-1]["mdnOk"] and "processed" in sent[-1]["mdn"], sent[-1]
    finally:
        server.stop()


def test_810_with_another_cost_is_rejected_at_it104(sim, us):
    po = new_po(sim, "ACRN1")
    acknowledge(us, po)
    sim.control(f"purchase-orders/{po.number}/receive", {"all": True})
    invoice = documents.invoice(po, sim.now(), "EDI-INV-2")["invoices"][0]
    invoice["items"][0]["netCost"]["amount"] = "0.50"
    quantity = invoice["items"][0]["invoicedQuantity"]["amount"]
    item = po.item(None, invoice["items"][0]["amazonProductIdentifier"])
    total = sum(float(po.item(None, i["amazonProductIdentifier"]).net_cost)
                * i["invoicedQuantity"]["amount"] for i in invoice["items"])
    invoice["invoiceTotal"]["amount"] = (
        f"{total - (float(item.net_cost) - 0.5) * quantity:.2f}")
    _raw, answers = us.send("inv_cost.edi", us.write("invoice", invoice))
    assert not answers[0].accepted
    assert any("IT104" in e and "0.50" in e for e in answers[0].errors), answers[0].errors
    assert "EDI-INV-2" not in sim.state.invoices


def test_after_a_reset_the_new_purchase_orders_go_out_again(sim, us):
    first = {o["purchaseOrderNumber"] for f in us.take("AMZ_850_")
             for o in codecs.read_purchase_orders("x12", f).orders}
    sim.control("reset", {"seed": 42})
    again = sim.control("edi/acorn-us/deliver", {})["files"]
    assert len(again) == len(first), "the same seed, the same numbers, new POs"


# -- inventory (846 / INVRPT) -------------------------------------------------------------------

def inventory(sim, vendor_code, quantities=(12, 0)):
    items = sim.state.catalogue[:len(quantities)]
    return {"reportId": "INV-SIM-1", "asOf": "2026-11-04T09:30:00Z",
            "sellingParty": {"partyId": vendor_code},
            "items": [{"amazonProductIdentifier": item["asin"],
                       "vendorProductIdentifier": item["vendor_sku"], "ean": item["ean"],
                       "availableQuantity": quantity}
                      for item, quantity in zip(items, quantities, strict=True)]}


def test_846_is_accepted_and_kept_as_the_latest_inventory(sim, us):
    report = inventory(sim, "ACRN1")
    _raw, answers = us.send("inv1.edi", us.write("inventory", report))
    assert answers == [codecs.Answer(us.control, True, ())]
    report["reportId"] = "INV-SIM-2"
    report["items"][0]["availableQuantity"] = 3
    _raw, answers = us.send("inv2.edi", us.write("inventory", report))
    assert answers[0].accepted
    latest = sim.control("edi")["edi"]["inventory"]["ACRN1"]
    assert latest["reportId"] == "INV-SIM-2" and latest["file"] == "inv2.edi"
    assert [i["availableQuantity"] for i in latest["items"]] == [3, 0]
    received = [f for f in us.log() if f.get("file") == "inv2.edi"][0]
    assert received["accepted"] and received["documents"][0]["kind"] == "inventory"


def test_846_with_an_unknown_item_or_vendor_code_is_rejected_at_the_element(sim, us):
    report = inventory(sim, "ACRN1")
    report["items"][1]["amazonProductIdentifier"] = "B0NOTKNOWN"
    _raw, answers = us.send("inv_item.edi", us.write("inventory", report))
    assert not answers[0].accepted
    assert any("LIN03" in e for e in answers[0].errors), answers[0].errors
    received = [f for f in us.log() if f.get("file") == "inv_item.edi"][0]
    assert any("InvalidProductIdentifier" in e and "B0NOTKNOWN" in e
               for e in received["errors"])
    _raw, answers = us.send("inv_vendor.edi", us.write("inventory", inventory(sim, "NOPE1")))
    assert not answers[0].accepted
    assert any("N104" in e for e in answers[0].errors), answers[0].errors
    assert "ACRN1" not in sim.control("edi")["edi"]["inventory"], "nothing kept"


def test_846_with_a_negative_quantity_is_rejected_at_qty02(sim, us):
    data = us.write("inventory", inventory(sim, "ACRN1", (5,))).replace(b"QTY*33*5*",
                                                                          b"QTY*33*-5*")
    _raw, answers = us.send("inv_negative.edi", data)
    assert not answers[0].accepted
    assert any("QTY02" in e for e in answers[0].errors), answers[0].errors


def test_invrpt_is_accepted_and_a_bad_one_rejected_in_the_contrl(sim, eu):
    _raw, answers = eu.send("invrpt.edi", eu.write("inventory", inventory(sim, "ACRNE")))
    assert answers == [codecs.Answer(eu.control, True, ())]
    assert sim.control("edi")["edi"]["inventory"]["ACRNE"]["items"][0]["availableQuantity"] \
        == 12
    bad = inventory(sim, "ACRNE")
    bad["items"][0]["vendorProductIdentifier"] = "NO-SUCH-SKU"
    raw, answers = eu.send("invrpt_bad.edi", eu.write("inventory", bad))
    assert not answers[0].accepted
    # CONTRL names positions, not tags: the PIA with the vendor SKU is segment 7
    assert any("segment 7" in e for e in answers[0].errors), answers[0].errors
    received = [f for f in eu.log() if f.get("file") == "invrpt_bad.edi"][0]
    assert any("NO-SUCH-SKU" in e for e in received["errors"])
