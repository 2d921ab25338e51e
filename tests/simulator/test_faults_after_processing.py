"""Faults that leave the caller in doubt although Amazon processed the request, and success
statuses with odd bodies: what the transport must classify as "outcome unknown"."""
import pytest

from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError

from . import documents

ACKS = "submitAcknowledgement"
INVOICES = "submitInvoices"


def new_po(sim):
    return sim.po(lambda p: p.state == "New" and not any(i.cancelled for i in p.items))


@pytest.mark.parametrize("kind", ["lost_reply", "500_after", "malformed_after"])
def test_the_document_arrives_but_the_answer_is_lost(sim, kind):
    po = new_po(sim)
    sim.control("faults", {"faults": [{"kind": kind, "operation": INVOICES, "delay": 1.0}]})
    with sim.api(timeout=0.5, max_attempts=3) as api, pytest.raises(AmazonApiError) as caught:
        api.submit_invoices(documents.invoice(po, sim.now(), "INV-LOST-1"))
    assert caught.value.outcome_unknown is True
    received = sim.control("documents?kind=invoice")["documents"]
    assert len(received) == 1, "Amazon has it, and it was not sent twice"
    assert received[0]["document"]["invoices"][0]["id"] == "INV-LOST-1"


def test_an_idempotent_acknowledgement_is_simply_repeated(sim):
    po = new_po(sim)
    sim.control("faults", {"faults": [{"kind": "500_after", "operation": ACKS}]})
    with sim.api(max_attempts=3) as api:
        assert api.submit_acknowledgement(documents.acknowledgement(po, sim.now()))
    assert len(sim.control("documents?kind=acknowledgement")["documents"]) == 2


def test_a_success_status_with_errors_is_a_refusal(sim):
    po = new_po(sim)
    sim.control("faults", {"faults": [{"kind": "errors_200", "operation": ACKS}]})
    with sim.api(max_attempts=3) as api, pytest.raises(AmazonApiError) as caught:
        api.submit_acknowledgement(documents.acknowledgement(po, sim.now()))
    assert caught.value.outcome_unknown is False
    assert caught.value.code == "InternalFailure"
    assert sim.control("documents?kind=acknowledgement")["documents"] == []


def test_an_undecodable_body_is_an_error_not_a_crash(sim):
    sim.control("faults", {"faults": [{"kind": "undecodable",
                                       "operation": "getPurchaseOrder"}]})
    number = new_po(sim).number
    with sim.api(max_attempts=1) as api, pytest.raises(AmazonApiError) as caught:
        api.get_purchase_order(number)
    assert caught.value.kind == "connection"
    with sim.api(max_attempts=1) as api:
        assert api.get_purchase_order(number)["purchaseOrderNumber"] == number
