"""getTransaction: Amazon's shape, ids, unknown ids, and settlement order."""
import re

from odoo.addons.acorn_amazon_vendor.lib.amazon_schema import validate

from . import documents

TRANSACTIONS = "/vendor/transactions/v1/transactions"


def test_transaction_reply_shape_and_id(sim, api):
    closed = sim.po(lambda p: p.state == "Closed" and p.currency == "USD")
    tid = api.submit_invoices(documents.invoice(closed, sim.now(), "T-1"))
    assert re.fullmatch(r"\d{14}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}",
                        tid)
    reply = sim.get(f"{TRANSACTIONS}/{tid}").json()
    assert reply == {"payload": {"transactionStatus": {"transactionId": tid,
                                                       "status": "Processing"}}}
    assert validate("vendor_transaction_status_v1", "GetTransactionResponse", reply) == []
    sim.settle()
    assert api.get_transaction(tid) == {"transactionId": tid, "status": "Success"}


def test_unknown_transaction(sim):
    reply = sim.get(f"{TRANSACTIONS}/20260101000000-00000000-0000-4000-0000-000000000000")
    assert reply.status_code == 404 and reply.json()["errors"][0]["code"] == "NotFound"
    assert sim.get(f"{TRANSACTIONS}/x", limit=1).status_code == 400


def test_documents_settle_in_submission_order(sim, api):
    po = sim.po(lambda p: p.state == "New" and p.currency == "USD" and documents.prepaid(p)
                and not any(i.cancelled for i in p.items))
    ack = api.submit_acknowledgement(documents.acknowledgement(po, sim.now()))
    # Submitted before the acknowledgement settled, checked after it: the ASN passes.
    asn = api.submit_shipment_confirmations(documents.shipment_confirmation(
        po, sim.now(), "ORDER-1", {i.seq: i.ordered for i in po.items}))
    invoice = api.submit_invoices(documents.invoice(
        po, sim.now(), "ORDER-INV", {i.seq: i.ordered for i in po.items}))
    assert sim.settle() == 3
    assert [api.get_transaction(t)["status"] for t in (ack, asn, invoice)] == [
        "Processing", "Success", "Success"]
    assert po.state == "Closed"
