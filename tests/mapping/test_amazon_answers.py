"""Reading Amazon's answers: duplicate refusals and quantities in eaches."""
import pytest

from odoo.addons.acorn_amazon_vendor.lib.mapping.amazon_answers import (
    eaches,
    is_duplicate_refusal,
)


@pytest.mark.parametrize("errors,expected", [
    ([{"code": "DuplicateInvoiceNumber", "message": "invoice number INV1 was already "
       "submitted."}], True),
    ([{"code": "DuplicateShipmentIdentifier", "message": "x"},
      {"code": "ShippedQuantityExceedsAcknowledged", "message": "12 shipped, 6 acknowledged"}],
     True),
    ([{"code": "InvalidInput", "message": "Invoice INV1 has already been submitted"}], True),
    # An "already" message that does not name the document proves nothing about it.
    ([{"code": "InvalidInput", "message": "This invoice number has already been submitted"}],
     False),
    ([{"code": "InvalidInput", "message": "Invoice INV12 has already been submitted"}],
     False),  # another invoice
    ([{"code": "NetCostMismatch", "message": "netCost differs"}], False),
    ([{"code": "DuplicateContainerIdentifier", "message": "SSCC used twice"}], False),
    ([{"code": "InvalidItem", "message": "the item was already cancelled by the vendor"}],
     False),
    ([], False),
    (["DuplicateInvoiceNumber"], False),
])
def test_duplicate_refusals(errors, expected):
    assert is_duplicate_refusal(errors, "INV1") is expected


def test_an_already_message_counts_only_with_the_documents_identifier():
    errors = [{"code": "InvalidInput", "message": "Invoice INV1 has already been submitted"}]
    assert is_duplicate_refusal(errors) is False
    assert is_duplicate_refusal(errors, "inv1") is True
    assert is_duplicate_refusal(errors, "INV2") is False


def test_eaches():
    assert eaches({"amount": 3, "unitOfMeasure": "Cases", "unitSize": 12}) == 36
    assert eaches({"amount": "7", "unitOfMeasure": "Eaches"}) == 7
    assert eaches({"amount": "seven"}) is None
    assert eaches(None) == 0
