"""What the transaction sets share: dates, amounts, quantities, parties (N1 loops).

Conventions (all transaction sets):
- Date-times: the API's ISO 8601 in UTC (``...Z``) <-> DTM date CCYYMMDD, time HHMM or
  HHMMSS, time code ``UT``; a time of 00:00:00 is written as the date alone. Read back as
  ``YYYY-MM-DDTHH:MM:SSZ``. Offsets other than Z are converted to UTC; fractions of a second
  are refused (X12's time could carry them, Amazon's guides do not).
- Amounts stay the exact decimal text the API gave ("4.125" stays "4.125"); never floats.
- Quantities: ItemQuantity {amount, unitOfMeasure Eaches/Cases, unitSize} <-> quantity, unit
  code (EA/CA) and, when given, PO4/PO401 pack size (the ``unitSize``).
- Parties: N1 (entity code, name, ``92`` assigned by buyer, partyId), N3 address lines, N4
  city/state/postal code/country (N405 ``CY`` + N406 county), PER phone, REF VX/GT tax
  registration. ``district`` has no X12 element and is not carried.
"""
import datetime
import re
from decimal import Decimal, InvalidOperation

from ..envelope import EdiError

DECIMAL = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)$")
ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?"
                 r"(Z|[+-]\d{2}:?\d{2})?)?$")

UNITS = {"Eaches": "EA", "Cases": "CA"}
UNITS_BACK = {v: k for k, v in UNITS.items()}
TAX_REGISTRATION = {"VAT": "VX", "GST": "GT"}  # REF01; GT: not confirmed in Amazon's guides
TAX_REGISTRATION_BACK = {v: k for k, v in TAX_REGISTRATION.items()}


def fail(message, tag=None, element=None, code=None):
    return EdiError(message, tag, None, element, code)


# -- dates ------------------------------------------------------------------------------------

def parse_iso(value, field, tag=None):
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        match = ISO.match(value) if isinstance(value, str) else None
        if not match:
            raise fail(f"{field}: {value!r} is not an ISO 8601 date-time", tag)
        year, month, day, hour, minute, second, fraction, zone = match.groups()
        if fraction and int(fraction[1:]):
            raise fail(f"{field}: {value!r} has fractions of a second, which X12 does not "
                       "carry here", tag)
        try:
            moment = datetime.datetime(int(year), int(month), int(day), int(hour or 0),
                                       int(minute or 0), int(second or 0))
        except ValueError:
            raise fail(f"{field}: {value!r} is not a valid date", tag) from None
        if zone and zone != "Z":
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            moment = moment - sign * offset
        return moment
    if moment.tzinfo:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment


def date_time(value, field, tag=None):
    """ISO -> (CCYYMMDD, HHMM[SS] or None)."""
    moment = parse_iso(value, field, tag)
    date = moment.strftime("%Y%m%d")
    if not (moment.hour or moment.minute or moment.second):
        return date, None
    return date, moment.strftime("%H%M%S" if moment.second else "%H%M")


def dtm(qualifier, value, field):
    date, time = date_time(value, field, "DTM")
    return ("DTM", [qualifier, date, time, "UT" if time else None])


def iso_from(segment, date_index, time_index=None, zone_index=None):
    """X12 date (+ time) -> ISO 8601 in UTC."""
    date = segment[date_index]
    time = segment[time_index] if time_index else ""
    where = (segment.tag, segment.position or None)
    if not re.fullmatch(r"\d{8}", date):
        raise EdiError(f"{date!r} is not a date CCYYMMDD", *where, date_index, code="8")
    if time and not re.fullmatch(r"\d{4}(\d{2})?", time):
        raise EdiError(f"{time!r} is not a time HHMM[SS]", *where, time_index, code="9")
    if zone_index and segment[zone_index] not in ("", "UT", "GM", "UTC", "Z"):
        raise EdiError(f"time code {segment[zone_index]!r}: only UT (UTC) is read", *where,
                       zone_index, code="7")
    try:
        moment = datetime.datetime.strptime(date + (time or "0000").ljust(6, "0"),
                                            "%Y%m%d%H%M%S")
    except ValueError:
        raise EdiError(f"{date} {time} is not a valid date/time", *where, date_index,
                       code="8") from None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def dtm_map(segments):
    """DTM segments -> {qualifier: ISO}."""
    out = {}
    for segment in segments:
        qualifier = segment[1]
        if not qualifier:
            raise EdiError("DTM01 qualifier is missing", "DTM", segment.position, 1, code="1")
        out[qualifier] = iso_from(segment, 2, 3, 4)
    return out


# -- amounts and numbers ----------------------------------------------------------------------

def amount(value, field, tag=None, element=None):
    """The API's decimal (text or int; never float) -> the same text."""
    if isinstance(value, bool) or isinstance(value, float):
        raise fail(f"{field}: {value!r} must be an exact decimal (text), not a float", tag,
                   element)
    if isinstance(value, int | Decimal):
        value = str(value)
    if not isinstance(value, str) or not DECIMAL.match(value):
        raise fail(f"{field}: {value!r} is not a decimal number", tag, element)
    return value


def read_amount(segment, index, what, required=True):
    value = segment[index]
    if value == "":
        if required:
            raise EdiError(f"mandatory element {what} is missing", segment.tag,
                           segment.position, index, code="1")
        return None
    if not DECIMAL.match(value):
        raise EdiError(f"{what} {value!r} is not a number", segment.tag, segment.position,
                       index, code="6")
    return value


def integer(value, field, tag=None):
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise fail(f"{field}: {value!r} is not a whole number", tag)
    text = str(value)
    if not re.fullmatch(r"-?\d+", text):
        raise fail(f"{field}: {value!r} is not a whole number", tag)
    return text


def read_integer(segment, index, what, required=True):
    value = segment[index]
    if value == "":
        if required:
            raise EdiError(f"mandatory element {what} is missing", segment.tag,
                           segment.position, index, code="1")
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or number != number.to_integral_value():
        raise EdiError(f"{what} {value!r} is not a whole number", segment.tag,
                       segment.position, index, code="6")
    return int(number)


def cents(value, field, tag="TDS"):
    """A decimal with at most 2 places -> implied-decimal N2 text (214.00 -> 21400)."""
    text = amount(value, field, tag, 1)
    number = Decimal(text)
    if number != number.quantize(Decimal("0.01")):
        raise fail(f"{field}: {text} has more than 2 decimals, {tag} carries cents", tag, 1)
    return str(int(number * 100))


def from_cents(segment, index, what):
    value = segment[index]
    if not re.fullmatch(r"-?\d+", value or ""):
        raise EdiError(f"{what} {value!r} is not an amount in cents", segment.tag,
                       segment.position, index, code="6")
    return str((Decimal(value) / 100).quantize(Decimal("0.01")))


# -- quantities -------------------------------------------------------------------------------

def unit_code(quantity, field, tag):
    unit = quantity.get("unitOfMeasure")
    if unit not in UNITS:
        raise fail(f"{field}.unitOfMeasure {unit!r} is not one of {', '.join(UNITS)}", tag)
    return UNITS[unit]


def read_unit(segment, index):
    code = segment[index]
    if code not in UNITS_BACK:
        raise EdiError(f"unit of measure {code!r} is not EA or CA", segment.tag,
                       segment.position, index, code="7")
    return UNITS_BACK[code]


def quantity_out(quantity, field, tag):
    """ItemQuantity -> (amount text, unit code, unitSize text or None)."""
    if not isinstance(quantity, dict):
        raise fail(f"{field} is missing", tag)
    size = quantity.get("unitSize")
    return (integer(quantity.get("amount"), f"{field}.amount", tag),
            unit_code(quantity, field, tag),
            None if size is None else integer(size, f"{field}.unitSize", tag))


def quantity_in(segment, amount_index, unit_index, po4=None):
    quantity = {"amount": read_integer(segment, amount_index, "quantity"),
                "unitOfMeasure": read_unit(segment, unit_index)}
    if po4 is not None:
        quantity["unitSize"] = read_integer(po4, 1, "PO401 pack")
    return quantity


def po4(size):
    return ("PO4", [size]) if size is not None else None


def price_basis(money):
    """PO105 / IT105: the API's netCost is per each ("per each or weight unit"), while X12
    reads a unit price per the line's unit (a case) unless the basis says otherwise: PE.
    A cost per weight unit gets no basis (X12's codes here do not name Amazon's units)."""
    if not money or money.get("amount") in (None, "") or money.get("unitOfMeasure"):
        return None
    return "PE"


# -- labelled REF*ZZ: our own convention for API fields X12 has no element for ----------------

def labelled(label, value):
    return ("REF", ["ZZ", value, label]) if value not in (None, "") else None


def read_labelled(refs, label):
    for segment in refs:
        if segment[1] == "ZZ" and segment[3] == label:
            return segment[2]
    return None


# -- parties ----------------------------------------------------------------------------------

def party_out(code, party, field, postal_key="postalCode", tax_key="taxInfo"):
    """PartyIdentification -> the N1 loop segments."""
    if not isinstance(party, dict) or not party.get("partyId"):
        raise fail(f"{field}.partyId is missing", "N1", 4)
    address = party.get("address") or {}
    out = [("N1", [code, address.get("name"), "92", party["partyId"]])]
    lines = [address.get(k) for k in ("addressLine1", "addressLine2", "addressLine3")]
    if any(lines):
        out.append(("N3", lines[:2]))
        if lines[2]:
            out.append(("N3", [lines[2]]))
    keys = ("city", "stateOrRegion", postal_key, "countryCode", "county")
    if any(address.get(k) for k in keys):
        county = address.get("county")
        out.append(("N4", [address.get("city"), address.get("stateOrRegion"),
                           address.get(postal_key), address.get("countryCode"),
                           "CY" if county else None, county]))
    taxes = party.get(tax_key)
    if isinstance(taxes, dict):
        taxes = [taxes]
    for tax in taxes or []:
        kind = tax.get("taxRegistrationType")
        if kind not in TAX_REGISTRATION:
            raise fail(f"{field}.{tax_key}.taxRegistrationType {kind!r} is not VAT or GST",
                       "REF", 1)
        out.append(("REF", [TAX_REGISTRATION[kind], tax.get("taxRegistrationNumber")]))
    if address.get("phone"):
        out.append(("PER", ["IC", None, "TE", address["phone"]]))
    return out


def parties_in(body, postal_key="postalCode", tax_key="taxInfo", id_qualifiers=("92",)):
    """Every N1 loop at the reader's position -> {entity code: PartyIdentification};
    ``id_qualifiers``: the N103 codes read (92 assigned by the buyer; 15 in Amazon's 860)."""
    parties = {}
    while (n1 := body.peek("N1")) is not None:
        body.index += 1
        code = n1[1]
        if not n1[4]:
            raise EdiError("N104 party identifier is missing", "N1", n1.position, 4, code="1")
        if n1[3] not in id_qualifiers:
            raise EdiError(f"N103 {n1[3]!r}: party identifiers are read with qualifier "
                           f"{' or '.join(id_qualifiers)}", "N1", n1.position, 3, code="7")
        party = {"partyId": n1[4]}
        address = {}
        if n1[2]:
            address["name"] = n1[2]
        n3s = body.take_all("N3")
        lines = [v for s in n3s for v in (s[1], s[2]) if v]
        for key, value in zip(("addressLine1", "addressLine2", "addressLine3"), lines,
                              strict=False):
            address[key] = value
        n4 = body.take("N4", required=False)
        if n4 is not None:
            for key, index in (("city", 1), ("stateOrRegion", 2), (postal_key, 3),
                               ("countryCode", 4)):
                if n4[index]:
                    address[key] = n4[index]
            if n4[5] == "CY" and n4[6]:
                address["county"] = n4[6]
        taxes = []
        for ref in body.take_all("REF"):
            if ref[1] not in TAX_REGISTRATION_BACK:
                raise EdiError(f"REF01 {ref[1]!r} in a party: only VX/GT tax registrations "
                               "are read", "REF", ref.position, 1, code="7")
            taxes.append({"taxRegistrationType": TAX_REGISTRATION_BACK[ref[1]],
                          "taxRegistrationNumber": ref[2]})
        per = body.take("PER", required=False)
        if per is not None and per[3] == "TE" and per[4]:
            address["phone"] = per[4]
        if address:
            party["address"] = address
        if taxes:
            party[tax_key] = taxes[0] if tax_key == "taxInfo" else taxes
        if code in parties:
            raise EdiError(f"two N1 loops for party {code}", "N1", n1.position, 1, code="5")
        parties[code] = party
    return parties


def compact(segments):
    return [s for s in segments if s is not None]
