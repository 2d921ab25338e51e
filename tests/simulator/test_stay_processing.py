"""Amazon leaving shipment confirmations and invoices in Processing (the stay_processing
setting), and resends refused as duplicates whatever the status of the first."""
from . import documents

codes = documents.failure_codes


def stay(sim, kinds):
    return sim.control("settings", {"stay_processing": kinds})


def settle_and_read(sim, api, tid):
    sim.settle()
    return api.get_transaction(tid)


def test_clean_invoice_stays_processing_and_a_resend_is_a_duplicate(sim, api):
    assert stay(sim, ["invoice"])["stay_processing"] == ["invoice"]
    closed = sim.po(lambda p: p.state == "Closed" and p.currency == "USD")
    body = documents.invoice(closed, sim.now(), "SP-INV-1")
    first = api.submit_invoices(body)
    assert settle_and_read(sim, api, first) == {"transactionId": first, "status": "Processing"}
    listed = sim.control("documents?kind=invoice")["documents"]
    assert [(d["status"], d["settled"]) for d in listed] == [("Processing", True)]
    # Its effects apply as for a Success: the goods are billed...
    assert sum(i.invoiced for i in closed.items) == sum(i.accepted for i in closed.items)
    # ...and resending the very same invoice is refused as a duplicate.
    again = settle_and_read(sim, api, api.submit_invoices(body))
    assert codes(again) == {"DuplicateInvoiceNumber"}
    assert "already submitted" in again["errors"][0]["message"]


def test_a_failing_invoice_still_fails(sim, api):
    stay(sim, ["invoice", "shipment_confirmation"])
    closed = sim.po(lambda p: p.state == "Closed" and p.currency == "USD")
    body = documents.invoice(closed, sim.now(), "SP-INV-2")
    body["invoices"][0]["items"][0]["purchaseOrderNumber"] = "ZZZZ0000"
    status = settle_and_read(sim, api, api.submit_invoices(body))
    assert status["status"] == "Failure"
    assert "InvalidPurchaseOrderNumber" in codes(status)


def test_clean_asn_stays_processing_and_an_original_resend_is_a_duplicate(sim, api):
    stay(sim, ["shipment_confirmation"])
    po = sim.po(lambda p: p.state == "New" and p.currency == "USD" and documents.prepaid(p)
                and not any(i.cancelled for i in p.items))
    api.submit_acknowledgement(documents.acknowledgement(po, sim.now()))
    sim.settle()
    item = po.items[0]
    body = documents.shipment_confirmation(po, sim.now(), "SP-ASN-1", {item.seq: item.unit_size})
    first = settle_and_read(sim, api, api.submit_shipment_confirmations(body))
    assert first["status"] == "Processing" and "errors" not in first
    assert item.shipped == item.received == item.unit_size
    again = settle_and_read(sim, api, api.submit_shipment_confirmations(body))
    assert codes(again) == {"DuplicateShipmentIdentifier"}
    # Other kinds are not affected: an invoice still reaches Success.
    closed = sim.po(lambda p: p.state == "Closed" and p.currency == "USD")
    tid = api.submit_invoices(documents.invoice(closed, sim.now(), "SP-INV-3"))
    assert settle_and_read(sim, api, tid)["status"] == "Success"


def test_emptying_the_setting_brings_success_back(sim, api):
    stay(sim, ["invoice"])
    assert stay(sim, [])["stay_processing"] == []
    closed = sim.po(lambda p: p.state == "Closed" and p.currency == "USD")
    tid = api.submit_invoices(documents.invoice(closed, sim.now(), "SP-INV-4"))
    assert settle_and_read(sim, api, tid)["status"] == "Success"


def test_stay_processing_values_are_checked(sim):
    for bad in (["invoices"], "invoice", [1], ["invoice", "report"]):
        reply = sim.http.post("/_simulator/settings", json={"stay_processing": bad})
        assert reply.status_code == 400, bad
        assert reply.json()["errors"][0]["code"] == "InvalidInput"
    reply = sim.http.post("/_simulator/settings", json={"stay_processing": ["invoices"]})
    assert "unknown document kind invoices" in reply.json()["errors"][0]["message"]
    assert "shipment_confirmation" in reply.json()["errors"][0]["message"]
    # A refused request changes nothing, not even its valid parts.
    reply = sim.http.post("/_simulator/settings", json={"transaction_delay": 5,
                                                        "stay_processing": ["x"]})
    assert reply.status_code == 400
    health = sim.control("health")["settings"]
    assert health["stay_processing"] == [] and health["transaction_delay"] == 30.0
    assert stay(sim, ["invoice", "shipment_confirmation", "invoice"])["stay_processing"] == [
        "invoice", "shipment_confirmation"]
