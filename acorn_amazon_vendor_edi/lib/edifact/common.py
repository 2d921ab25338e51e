"""Segments the EANCOM D96A messages share: DTM dates, NAD parties, PIA product ids, QTY
quantities, TAX, ALC and MOA amounts.

Codes are those of the UN/EDIFACT D96A directory and EANCOM 1997; where Amazon's own usage
could not be confirmed (Amazon EU's implementation guides are not public) the choice is marked
"not confirmed". Conversions that lose nothing are preferred; what a segment cannot carry is
listed in each message module's docstring.
"""
import datetime
import re
from decimal import Decimal

from ..envelope import EdiError
from .envelope import amount_text, integer_text, limited

# -- dates ------------------------------------------------------------------------------------


def parse_iso(value, what, tag="DTM"):
    """An ISO 8601 date-time (Amazon's format) as an aware UTC datetime."""
    if not isinstance(value, str) or not value:
        raise EdiError(f"{what} {value!r} is not an ISO 8601 date-time", segment=tag)
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise EdiError(f"{what} {value!r} is not an ISO 8601 date-time",
                       segment=tag) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC)


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def edi_moment(moment):
    """(value, format): 102 CCYYMMDD at midnight, 203 CCYYMMDDHHMM, 204 with seconds.
    Times are UTC (DTM carries no zone); fractions of a second are dropped."""
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.strftime("%Y%m%d"), "102"
    if moment.second == 0:
        return moment.strftime("%Y%m%d%H%M"), "203"
    return moment.strftime("%Y%m%d%H%M%S"), "204"


FORMATS = {"102": "%Y%m%d", "203": "%Y%m%d%H%M", "204": "%Y%m%d%H%M%S"}


def read_moment(text, fmt, seg, element=1):
    pattern = FORMATS.get(fmt)
    if not pattern:
        raise seg.error(f"date/time format {fmt!r} is not one we read (102, 203, 204)",
                        element, code="14")
    try:
        moment = datetime.datetime.strptime(text, pattern)
    except ValueError as exc:
        raise seg.error(f"{text!r} is not a date in format {fmt}", element) from exc
    return moment.replace(tzinfo=datetime.UTC)


def dtm(qualifier, value, what):
    """DTM+qualifier:value:format from an ISO date-time."""
    text, fmt = edi_moment(parse_iso(value, what))
    return ("DTM", [[qualifier, text, fmt]])


def dtm_window(qualifier, value, what):
    """A window "start--end" as DTM+qualifier:start-end:718 (dates) / 719 (with minutes)."""
    if not isinstance(value, str) or "--" not in value:
        raise EdiError(f"{what} {value!r} is not 'start--end'", segment="DTM")
    start, end = (parse_iso(v, what) for v in value.split("--", 1))
    if all((m.hour, m.minute, m.second) == (0, 0, 0) for m in (start, end)):
        return ("DTM", [[qualifier, f"{start:%Y%m%d}-{end:%Y%m%d}", "718"]])
    if start.second or end.second:
        raise EdiError(f"{what} {value!r}: EDIFACT windows hold minutes, not seconds",
                       segment="DTM", element=1)
    return ("DTM", [[qualifier, f"{start:%Y%m%d%H%M}-{end:%Y%m%d%H%M}", "719"]])


def read_dtm(seg):
    """(qualifier, ISO text) of a DTM; windows (718/719) as 'start--end'."""
    qualifier, text, fmt = seg.required(1, 1, "date qualifier"), seg.text(1, 2), seg.text(1, 3)
    if not text:
        raise seg.error("the date/time (DTM01.2) is missing", 1, code="13")
    if fmt in ("718", "719"):
        if "-" not in text:
            raise seg.error(f"{text!r} is not a range 'start-end'", 1)
        a, b = text.split("-", 1)
        sub = "102" if fmt == "718" else "203"
        return qualifier, f"{iso(read_moment(a, sub, seg))}--{iso(read_moment(b, sub, seg))}"
    return qualifier, iso(read_moment(text, fmt or "102", seg))


# -- parties ----------------------------------------------------------------------------------

NAME_WIDTH = 35


def _split(text, width, parts):
    pieces = [text[i:i + width] for i in range(0, len(text), width)] or [""]
    return pieces, len(pieces) <= parts


def party_agency(party_id):
    """3055 agency of a party id: 9 (GS1) for a 13-digit GLN, else 92 (assigned by buyer).
    Not confirmed against Amazon's guide (Amazon's fulfilment centre codes are not GLNs)."""
    return "9" if re.fullmatch(r"\d{13}", party_id or "") else "92"


def nad(qualifier, party, postal_key="postalCode", tax="taxInfo"):
    """NAD (+ RFF+VA/FC tax registration, + CTA/COM phone) segments for an Amazon party."""
    if not isinstance(party, dict):
        raise EdiError(f"party {qualifier} is not an object", segment="NAD")
    party_id = limited(party.get("partyId") or "", 35, f"NAD+{qualifier} party id", "NAD", 2)
    address = party.get("address") or {}
    values = [qualifier, [party_id, "", party_agency(party_id)] if party_id else ""]
    out = []
    if address:
        name = address.get("name") or ""
        names, fits = _split(name, NAME_WIDTH, 5)
        if not fits:
            raise EdiError(f"party name {name!r} is longer than 175 characters",
                           segment="NAD", element=4, code="39")
        streets = []
        for key in ("addressLine1", "addressLine2", "addressLine3"):
            streets.append(limited(address.get(key) or "", 35, key, "NAD", 5))
        values += ["", names, streets,
                   limited(address.get("city") or "", 35, "city", "NAD", 6),
                   limited(address.get("stateOrRegion") or "", 9, "stateOrRegion", "NAD", 7),
                   limited(address.get(postal_key) or "", 9, postal_key, "NAD", 8),
                   limited(address.get("countryCode") or "", 3, "countryCode", "NAD", 9)]
    out.append(("NAD", values))
    registrations = party.get(tax)
    if isinstance(registrations, dict):
        registrations = [registrations]
    for reg in registrations or []:
        kind = reg.get("taxRegistrationType") or "VAT"
        code = {"VAT": "VA", "GST": "FC"}.get(kind)
        if not code:
            raise EdiError(f"tax registration type {kind!r} has no EDIFACT code here",
                           segment="RFF", element=1)
        out.append(("RFF", [[code, limited(reg.get("taxRegistrationNumber") or "", 35,
                                            "taxRegistrationNumber", "RFF", 1)]]))
    if address.get("phone"):
        out.append(("CTA", ["IC"]))
        out.append(("COM", [[limited(address["phone"], 512, "phone", "COM", 1), "TE"]]))
    return out


class PartyReader:
    """Collects NAD with the RFF (tax registration) and COM (phone) that follow it."""

    def __init__(self, postal_key="postalCode", tax="taxInfo"):
        self.postal_key = postal_key
        self.tax = tax
        self.parties = {}
        self.current = None

    def nad(self, seg):
        qualifier = seg.required(1, 1, "party qualifier")
        party = {}
        if seg.text(2, 1):
            party["partyId"] = seg.text(2, 1)
        if len(seg.elements) >= 4:
            address = {}
            name = "".join(seg.elements[3]) if len(seg.elements) >= 4 else ""
            fields = [("name", name)]
            streets = seg.elements[4] if len(seg.elements) >= 5 else []
            for index, key in enumerate(("addressLine1", "addressLine2", "addressLine3")):
                fields.append((key, streets[index] if index < len(streets) else ""))
            fields += [("city", seg.text(6)), ("stateOrRegion", seg.text(7)),
                       (self.postal_key, seg.text(8)), ("countryCode", seg.text(9))]
            address.update((k, v) for k, v in fields if v)
            if address:
                party["address"] = address
        if qualifier in self.parties:
            raise seg.error(f"party NAD+{qualifier} appears twice", 1, code="35")
        self.parties[qualifier] = party
        self.current = party
        return party

    def rff(self, seg):
        """Tax registration of the current party; False if this RFF is not one."""
        if self.current is None or seg.text(1, 1) not in ("VA", "FC"):
            return False
        reg = {"taxRegistrationType": "VAT" if seg.text(1, 1) == "VA" else "GST",
               "taxRegistrationNumber": seg.required(1, 2, "tax registration number")}
        if self.tax == "taxInfo":
            self.current["taxInfo"] = reg
        else:
            self.current.setdefault(self.tax, []).append(reg)
        return True

    def com(self, seg):
        if self.current is None:
            raise seg.error("COM outside a party (NAD)", code="15")
        if seg.text(1, 2) == "TE":
            self.current.setdefault("address", {})["phone"] = seg.required(1, 1, "phone")

    def end(self):
        self.current = None


# -- items ------------------------------------------------------------------------------------

UNITS = {"Eaches": "PCE", "Cases": "CS"}
UNIT_NAMES = {v: k for k, v in UNITS.items()}


def pia(item):
    """PIA+5 product ids: ASIN as buyer's item number (BP), vendor's id as supplier's (SA).
    Not confirmed against Amazon's guide."""
    out = []
    if item.get("amazonProductIdentifier"):
        out.append(("PIA", ["5", [limited(item["amazonProductIdentifier"], 35,
                                          "amazonProductIdentifier", "PIA", 2), "BP"]]))
    if item.get("vendorProductIdentifier"):
        out.append(("PIA", ["5", [limited(item["vendorProductIdentifier"], 35,
                                          "vendorProductIdentifier", "PIA", 2), "SA"]]))
    return out


# Item number types of a GTIN / UPC / ISBN (EANCOM: SRV, formerly EN; UP; IB): an item Amazon
# names by its barcode only is matched by it (the core matches vendorProductIdentifier
# against the product's reference and barcode).
BARCODE_TYPES = ("SRV", "EN", "UP", "IB")


def read_pia(seg, item, barcodes=None):
    """PIA ids into ``item``; the item's barcodes are added to ``barcodes`` when given."""
    for element in range(2, len(seg.elements) + 1):
        code, value = seg.text(element, 2), seg.text(element, 1)
        if code == "BP":
            item["amazonProductIdentifier"] = value
        elif code == "SA":
            item["vendorProductIdentifier"] = value
        elif code in BARCODE_TYPES and value and barcodes is not None:
            barcodes.append(value)


def qty(qualifier, quantity, what):
    """QTY+qualifier:amount:unit (PCE eaches, CS cases)."""
    if not isinstance(quantity, dict):
        raise EdiError(f"{what} is not a quantity object", segment="QTY")
    amount = integer_text(quantity.get("amount"), f"{what} amount", "QTY", 1)
    unit = quantity.get("unitOfMeasure")
    if unit is not None and unit not in UNITS:
        raise EdiError(f"{what} unitOfMeasure {unit!r} is not Eaches or Cases",
                       segment="QTY", element=1)
    return ("QTY", [[qualifier, amount, UNITS.get(unit, "")]])


def unit_size_segment(quantities):
    """QTY+59 (consumer units per traded unit) for the line: the unitSize its quantities
    share. Quantities of one line with different unit sizes cannot be told apart: refused."""
    sizes = {q.get("unitSize") for q in quantities if isinstance(q, dict)
             and q.get("unitSize") is not None and q.get("unitOfMeasure") == "Cases"}
    if len(sizes) > 1:
        raise EdiError(f"one line has cases of different sizes {sorted(sizes)}: EDIFACT "
                       "carries one unit size (QTY+59) per line", segment="QTY")
    if sizes:
        return [("QTY", [["59", integer_text(sizes.pop(), "unitSize", "QTY", 1)]])]
    if any(isinstance(q, dict) and q.get("unitSize") is not None for q in quantities):
        return [("QTY", [["59", "1"]])]
    return []


def read_qty(seg):
    """(qualifier, quantity dict without unitSize)."""
    quantity = {"amount": seg.integer(1, 2, "quantity")}
    if quantity["amount"] is None:
        raise seg.error("the quantity (QTY01.2) is missing", 1, code="13")
    unit = seg.text(1, 3)
    if unit:
        if unit not in UNIT_NAMES:
            raise seg.error(f"unit {unit!r} is not PCE or CS", 1, code="14")
        quantity["unitOfMeasure"] = UNIT_NAMES[unit]
    return seg.required(1, 1, "quantity qualifier"), quantity


def apply_unit_size(quantities, size):
    """After reading a line: Cases get the line's QTY+59, Eaches a unitSize of 1."""
    if size is None:
        return
    for quantity in quantities:
        if quantity.get("unitOfMeasure") == "Cases":
            quantity["unitSize"] = size
        else:
            quantity["unitSize"] = 1


# -- money ------------------------------------------------------------------------------------

def currency_of(*moneys):
    codes = {m.get("currencyCode") for m in moneys if isinstance(m, dict) and m}
    codes.discard(None)
    if len(codes) > 1:
        raise EdiError(f"one message mixes currencies {sorted(codes)}: EDIFACT carries one "
                       "(CUX)", segment="CUX", code="16")
    return codes.pop() if codes else ""


def money_amount(money, what, tag="MOA", element=1):
    if not isinstance(money, dict):
        raise EdiError(f"{what} is not a money object", segment=tag, element=element)
    return amount_text(money.get("amount"), what, tag, element)


def moa(qualifier, money, what):
    return ("MOA", [[qualifier, money_amount(money, what)]])


def money(amount, currency):
    out = {"amount": amount}
    if currency:
        out["currencyCode"] = currency
    return out


def tax_segments(detail, currency_check):
    """TAX+7+type+++:::rate+category, MOA+124 tax amount, MOA+125 taxable amount.

    5153 holds the tax type when it is a code of at most 3 letters (VAT, GST...), else OTH
    with Amazon's name in 5152 (MwSt., Consumption...)."""
    tax_type = detail.get("taxType")
    if not tax_type:
        raise EdiError("taxType is missing", segment="TAX", element=2, code="13")
    tax_type = limited(tax_type, 35, "taxType", "TAX", 2)
    code = tax_type if re.fullmatch(r"[A-Z]{1,3}", tax_type) else "OTH"
    element = [code] if code == tax_type else [code, "", "", tax_type]
    rate = detail.get("taxRate")
    values = ["7", element]
    if rate is not None:
        rate = amount_text(rate, "taxRate", "TAX", 5)
        values += ["", "", ["", "", "", rate], "Z" if Decimal(rate) == 0 else "S"]
    out = [("TAX", values)]
    for key, qualifier in (("taxAmount", "124"), ("taxableAmount", "125")):
        if detail.get(key) is not None:
            currency_check(detail[key])
            out.append(moa(qualifier, detail[key], key))
    return out


def read_tax(seg):
    name = seg.text(2, 4) or seg.required(2, 1, "tax type")
    detail = {"taxType": name}
    rate = seg.number(5, 4, "tax rate")
    if rate:
        detail["taxRate"] = rate
    return detail


# Charge and allowance types (Amazon's names) -> 7161 special service codes. Amazon's type is
# also written in 7160 so every type survives a round trip; codes not confirmed.
SERVICE_CODES = {"Freight": "FC", "Packing": "PC", "Duty": "DL", "Service": "SER",
                 "SmallOrder": "SO", "InsurancePlacementCost": "IN", "InsuranceFee": "IN",
                 "SpecialHandlingService": "SH", "CollectionAndRecyclingService": "ZZZ",
                 "EnvironmentalProtectionService": "ZZZ", "TaxCollectedAtSource": "ZZZ",
                 "Discount": "DI", "DiscountIncentive": "DI", "Defective": "ZZZ",
                 "Promotional": "PAD", "UnsaleableMerchandise": "ZZZ", "Special": "ZZZ"}


def alc_segments(detail, charge, currency_check):
    """ALC+C|A++++code:::type:description, MOA+8 amount, then its TAX/MOA."""
    kind = detail.get("type")
    if not kind:
        raise EdiError("charge/allowance type is missing", segment="ALC", element=5,
                       code="13")
    amount_key = "chargeAmount" if charge else "allowanceAmount"
    description = limited(detail.get("description") or "", 35, "description", "ALC", 5)
    out = [("ALC", ["C" if charge else "A", "", "", "",
                    [SERVICE_CODES.get(kind, "ZZZ"), "", "",
                     limited(kind, 35, "type", "ALC", 5), description]])]
    if detail.get(amount_key) is None:
        raise EdiError(f"{amount_key} is missing", segment="MOA", code="13")
    currency_check(detail[amount_key])
    out.append(moa("8", detail[amount_key], amount_key))
    for tax in detail.get("taxDetails") or []:
        out.extend(tax_segments(tax, currency_check))
    return out


# -- message layout ---------------------------------------------------------------------------

def split_lines(segs, line_tag="LIN", summary_tag="UNS", need_summary=True):
    """(header segments, [line groups each starting with LIN], summary segments after UNS)."""
    header, lines, summary = [], [], []
    in_summary = False
    for seg in segs:
        if in_summary:
            summary.append(seg)
        elif seg.tag == summary_tag:
            in_summary = True
        elif seg.tag == line_tag:
            lines.append([seg])
        elif lines:
            lines[-1].append(seg)
        else:
            header.append(seg)
    if need_summary and not in_summary:
        raise EdiError(f"the section control {summary_tag} is missing", segment=summary_tag,
                       position=len(segs) + 2, code="13")
    return header, lines, summary


def first(segs, tag, qualifier=None, what=None, required=False):
    for seg in segs:
        if seg.tag == tag and (qualifier is None or seg.text(1, 1) == qualifier):
            return seg
    if required:
        name = f"{tag}+{qualifier}" if qualifier else tag
        raise EdiError(f"{what or name} ({name}) is missing", segment=tag, code="13")
    return None


def check_cnt(summary, count, qualifier="2"):
    """CNT+2 (number of line items), when present, must match."""
    seg = first(summary, "CNT", qualifier)
    if seg is not None and seg.integer(1, 2, "line count") != count:
        raise seg.error(f"CNT says {seg.text(1, 2)} lines, the message has {count}", 1,
                        code="29")
