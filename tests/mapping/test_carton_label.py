"""SSCC carton labels as ZPL II (4 x 6 in, 203 dpi)."""
import datetime
import re
from decimal import Decimal

import pytest

from odoo.addons.acorn_amazon_vendor.lib.mapping.carton_label import (
    CartonLabel,
    labels_for_shipment,
    zpl,
    zpl_many,
)
from odoo.addons.acorn_amazon_vendor.lib.mapping.shipment import (
    Carton,
    Pallet,
    Party,
    Shipment,
    ShippedLine,
)

SSCC = "106141411234567897"
FROM = Party("WH01", name="Acorn DC", street="1 Warehouse Way", city="Edison",
             state_code="NJ", zip="08817", country_code="US")
TO = Party("ABE2", name="Amazon.com Services LLC", street="705 Boulder Drive",
           city="Breinigsville", state_code="PA", zip="18031", country_code="US")


def label(**overrides):
    values = {"sscc": SSCC, "ship_from": FROM, "ship_to": TO, "po_numbers": ("2JK3S9VC",),
              "carton_number": 2, "carton_count": 5,
              "contents": (("B0ACORN001", "ACN-1", 24),), "shipment_identifier": "ASN-0001",
              "carrier": "ABFS"}
    values.update(overrides)
    return CartonLabel(**values)


def fields(document):
    """Text of every ^FD field, hex escapes (^FH) decoded."""
    found = re.findall(r"\^FD(.*?)\^FS", document)
    return [re.sub(r"_([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), f) for f in found]


def test_label_layout():
    document = zpl(label())
    assert document.startswith("^XA\n") and document.endswith("^XZ\n")
    assert "^PW812" in document and "^LL1218" in document and "^CI28" in document
    texts = fields(document)
    for expected in ("SHIP FROM", "Acorn DC", "1 Warehouse Way", "Edison NJ 08817",
                     "SHIP TO", "ABE2", "Amazon.com Services LLC", "Breinigsville PA 18031",
                     "PO: 2JK3S9VC", "Carton 2 of 5", "Shipment: ASN-0001", "Carrier: ABFS",
                     "B0ACORN001", "ACN-1", "24", "(00) 106141411234567897"):
        assert expected in texts
    assert not any(t.startswith(("LOT", "EXP")) for t in texts)


def test_gs1_128_barcode():
    document = zpl(label())
    # Subset C start, FNC1, AI 00, the SSCC: 20 digits, 10 symbol pairs.
    assert re.search(r"\^BCN,260,N,N,N\^FD>;>800106141411234567897\^FS", document)
    x = int(re.search(r"\^FO(\d+),\d+\^BC", document).group(1))
    module = int(re.search(r"\^BY(\d+)", document).group(1))
    width = (13 * 11 + 13) * module
    assert x >= 10 * module and x + width + 10 * module <= 812  # quiet zones on the label


def test_everything_stays_on_the_label():
    document = zpl(label(contents=tuple((f"B0ACORN{n:03d}", f"ACN-{n}", n) for n in range(9)),
                         lot="L-7", expiry=datetime.date(2027, 6, 30)))
    for x, y in re.findall(r"\^FO(\d+),(\d+)", document):
        assert 0 <= int(x) < 812 and 0 <= int(y) < 1218 - 40


def test_long_contents_are_cut_with_a_count():
    contents = tuple((f"B0ACORN{n:03d}", f"ACN-{n}", 10) for n in range(1, 10))
    texts = fields(zpl(label(contents=contents)))
    assert "B0ACORN005" in texts and "B0ACORN006" not in texts
    assert "+4 more (40 units)" in texts
    six = fields(zpl(label(contents=contents[:6])))
    assert "B0ACORN006" in six and not any("more" in t for t in six)


def test_lot_expiry_and_several_pos():
    texts = fields(zpl(label(lot="L-7", expiry=datetime.date(2027, 6, 30),
                             po_numbers=("A1", "B2", "C3", "D4", "A1"))))
    assert "LOT: L-7   EXP: 2027-06-30" in texts
    assert "PO: A1, B2, C3 +1 more" in texts


def test_text_cannot_inject_zpl():
    evil = Party("WH^XZ", name="Evil^XZ~JA_Corp", street="1 ^FS Street", country_code="US")
    document = zpl(label(ship_from=evil, shipment_identifier="A_B"))
    assert "Evil^XZ" not in document and "~JA" not in document and "^FS Street" not in document
    assert "Evil_5EXZ_7EJA_5FCorp" in document
    assert document.count("^XA") == 1 and document.count("^XZ") == 1
    assert "Evil^XZ~JA_Corp" in fields(document)
    assert "Shipment: A_B" in fields(document)
    # Every field ends where it should: each ^FD has its ^FS on the same line.
    assert all(line.count("^FD") == line.count("^FS") for line in document.splitlines()
               if "^FD" in line)


def test_invalid_sscc_is_refused():
    with pytest.raises(ValueError, match="would not scan"):
        zpl(label(sscc="106141411234567898"))


def test_zpl_many():
    document = zpl_many([label(carton_number=n) for n in (1, 2, 3)])
    assert document.count("^XA") == 3 and document.count("^XZ") == 3
    assert [t for t in fields(document) if t.startswith("Carton")] == [
        "Carton 1 of 5", "Carton 2 of 5", "Carton 3 of 5"]


def test_labels_for_a_shipment():
    def line(asin, qty, lot="", expiry=None):
        return ShippedLine("2JK3S9VC", asin[-1], asin, "SKU-" + asin[-1], qty, lot=lot,
                           expiry=expiry)

    loose = Carton("006141410000000036", (line("B01", 5, "L1", datetime.date(2027, 1, 1)),
                                          line("B01", 3, "L2", datetime.date(2026, 12, 1)),
                                          line("B02", 2)))
    on_pallet = Carton("006141410000000012", (line("B01", 4, "L1"),))
    pallet = Pallet("006141410000000029", (on_pallet,), Decimal("20"))
    ship = Shipment("ASN-9", "Original", "LessThanTruckLoad", FROM, TO, "ACRN1",
                    datetime.datetime(2026, 11, 20), carrier_scac="ABFS",
                    loose_cartons=(loose,), pallets=(pallet,))
    labels = labels_for_shipment(ship)
    assert [(lb.container, lb.carton_number, lb.carton_count, lb.sscc) for lb in labels] == [
        ("Carton", 1, 2, on_pallet.sscc), ("Carton", 2, 2, loose.sscc),
        ("Pallet", 1, 1, pallet.sscc)]
    mixed = labels[1]
    assert mixed.contents == (("B01", "SKU-1", 8), ("B02", "SKU-2", 2))
    assert (mixed.lot, mixed.expiry) == ("MIXED", datetime.date(2026, 12, 1))
    assert labels[0].lot == "L1" and labels[2].contents == (("B01", "SKU-1", 4),)
    assert "Pallet 1 of 1" in fields(zpl_many(labels))
