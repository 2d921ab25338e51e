"""SSCC carton (and pallet) labels as ZPL II for 4 x 6 in thermal labels at 203 dpi.

Vendor Central does not print carton labels for an ASN sent through the API, so Odoo prints
them: ship-from and ship-to, PO numbers, "Carton n of m", contents, lot / expiry and the
GS1-128 SSCC barcode, (00) + SSCC, that Amazon's receiving scans against the ASN.
"""
import dataclasses
import datetime

from .sscc import gs1_128_data, gs1_128_element, is_valid_sscc

WIDTH, HEIGHT = 812, 1218  # dots: 4 x 6 in at 203 dpi
MARGIN = 30
MAX_CONTENT_LINES = 6
# Code 128 subset C: start + FNC1 + 10 digit pairs + check = 13 symbols of 11 modules, + stop (13)
BARCODE_MODULES = 13 * 11 + 13
MODULE_DOTS = 4  # 0.5 mm at 203 dpi: within GS1's 0.495-1.016 mm for logistic labels
BARCODE_HEIGHT = 260  # dots, about 32.5 mm: GS1 asks for at least 31.75 mm


@dataclasses.dataclass(frozen=True)
class CartonLabel:
    sscc: str
    ship_from: object  # Party
    ship_to: object  # Party
    po_numbers: tuple
    carton_number: int
    carton_count: int
    contents: tuple  # (asin, vendor_sku, quantity in eaches)
    lot: str = ""
    expiry: datetime.date | None = None
    shipment_identifier: str = ""
    carrier: str = ""
    container: str = "Carton"  # or "Pallet"


def _text(value, limit=None):
    """A field for ^FH: line breaks and control characters become spaces; _ ^ ~ are written
    as hex escapes, so text can never end the field or start a command."""
    text = "".join(c if c.isprintable() else " " for c in str(value or "")).strip()
    if limit and len(text) > limit:
        text = text[:limit - 1].rstrip() + "."
    return text.replace("_", "_5F").replace("^", "_5E").replace("~", "_7E")


def _field(x, y, text, height=28, width=None, limit=None, block=None):
    """One line of text; ``block`` = (width, justification) for ^FB alignment."""
    out = f"^FO{x},{y}^A0N,{height},{width or height}"
    if block:
        out += f"^FB{block[0]},1,0,{block[1]},0"
    return out + f"^FH^FD{_text(text, limit)}^FS"


def _address(party):
    city = " ".join(p for p in (party.city, party.state_code, party.zip) if p)
    return [line for line in (party.name, party.street, party.street2, city,
                              party.country_code) if line]


def zpl(label):
    """One label as a ZPL II document (^XA ... ^XZ)."""
    if not is_valid_sscc(label.sscc):
        raise ValueError(f"SSCC {label.sscc!r} is not 18 digits with a valid check digit: "
                         "such a label would not scan")
    out = ["^XA", "^CI28", f"^PW{WIDTH}", f"^LL{HEIGHT}", "^LH0,0"]
    half = WIDTH // 2
    # Ship from (left, small) and ship to (right, larger, with the FC code): GS1 reading order.
    out.append(_field(MARGIN, 30, "SHIP FROM", 22))
    for n, line in enumerate(_address(label.ship_from)[:6]):
        out.append(_field(MARGIN, 60 + n * 30, line, 24, limit=28))
    out.append(_field(half + 14, 30, "SHIP TO", 22))
    y = 60
    if label.ship_to.party_id:
        out.append(_field(half + 14, y, label.ship_to.party_id, 44))
        y += 52
    for n, line in enumerate(_address(label.ship_to)[:5]):
        out.append(_field(half + 14, y + n * 32, line, 26, limit=26))
    out += [f"^FO{half},20^GB3,310,3^FS", f"^FO0,330^GB{WIDTH},3,3^FS"]

    pos = list(dict.fromkeys(label.po_numbers))
    po_text = ", ".join(pos[:3]) + (f" +{len(pos) - 3} more" if len(pos) > 3 else "")
    out.append(_field(MARGIN, 346, f"PO: {po_text}", 34, limit=40))
    out.append(_field(MARGIN, 394, f"{label.container} {label.carton_number} of "
                                   f"{label.carton_count}", 44))
    for y, text in ((392, label.shipment_identifier and f"Shipment: {label.shipment_identifier}"),
                    (424, label.carrier and f"Carrier: {label.carrier}")):
        if text:
            out.append(_field(0, y, text, 24, limit=30, block=(WIDTH - MARGIN, "R")))
    out.append(f"^FO0,460^GB{WIDTH},3,3^FS")

    out.append(_field(MARGIN, 472, "ASIN", 22))
    out.append(_field(250, 472, "VENDOR SKU", 22))
    out.append(_field(0, 472, "QTY", 22, block=(WIDTH - MARGIN, "R")))
    shown = label.contents if len(label.contents) <= MAX_CONTENT_LINES \
        else label.contents[:MAX_CONTENT_LINES - 1]
    y = 502
    for asin, sku, quantity in shown:
        out.append(_field(MARGIN, y, asin, 28, limit=14))
        out.append(_field(250, y, sku, 28, limit=24))
        out.append(_field(0, y, quantity, 28, block=(WIDTH - MARGIN, "R")))
        y += 34
    if len(shown) < len(label.contents):
        hidden = label.contents[len(shown):]
        out.append(_field(MARGIN, y, f"+{len(hidden)} more "
                                     f"({sum(int(q) for _a, _s, q in hidden)} units)", 28))
    lot = "   ".join(p for p in (label.lot and f"LOT: {label.lot}",
                                 label.expiry and f"EXP: {label.expiry.isoformat()}") if p)
    if lot:
        out.append(_field(MARGIN, 714, lot, 28, limit=48))
    out.append(f"^FO0,752^GB{WIDTH},3,3^FS")

    # GS1-128: start in subset C (>;), FNC1 (>8), then AI 00 + the 18 digits.
    left = (WIDTH - BARCODE_MODULES * MODULE_DOTS) // 2
    out.append(_field(MARGIN, 766, "SSCC", 22))
    out.append(f"^BY{MODULE_DOTS},3,{BARCODE_HEIGHT}")
    out.append(f"^FO{left},800^BCN,{BARCODE_HEIGHT},N,N,N^FD>;>8{gs1_128_data(label.sscc)}^FS")
    readable = gs1_128_element(label.sscc).replace(")", ") ", 1)
    out.append(_field(0, 800 + BARCODE_HEIGHT + 20, readable, 40, block=(WIDTH, "C")))
    out += ["^PQ1", "^XZ"]
    return "\n".join(out) + "\n"


def zpl_many(labels):
    """Several labels in one print job."""
    return "".join(zpl(label) for label in labels)


def _contents(lines):
    totals = {}
    for line in lines:
        key = (line.asin, line.vendor_sku)
        totals[key] = totals.get(key, 0) + line.quantity_eaches
    return tuple((asin, sku, qty) for (asin, sku), qty in totals.items())


def _lot_and_expiry(lines):
    lots = {line.lot for line in lines if line.lot}
    expiries = [line.expiry for line in lines if line.expiry]
    # Several lots in one box: say so; the earliest expiry is the one that matters.
    return (lots.pop() if len(lots) == 1 else "MIXED" if lots else ""), \
        (min(expiries) if expiries else None)


def labels_for_shipment(shipment):
    """One label per carton ("Carton n of m" over the whole shipment), then one per pallet."""
    labels = []
    for kind, containers in (("Carton", shipment.all_cartons), ("Pallet", shipment.pallets)):
        for number, container in enumerate(containers, start=1):
            lines = list(getattr(container, "lines", ())) + [
                li for c in getattr(container, "cartons", ()) for li in c.lines]
            lot, expiry = _lot_and_expiry(lines)
            labels.append(CartonLabel(
                sscc=container.sscc, ship_from=shipment.ship_from, ship_to=shipment.ship_to,
                po_numbers=tuple(sorted({li.po_number for li in lines})),
                carton_number=number, carton_count=len(containers), contents=_contents(lines),
                lot=lot, expiry=expiry, shipment_identifier=shipment.identifier,
                carrier=shipment.carrier_scac, container=kind))
    return labels
