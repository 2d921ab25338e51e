"""What was really picked and packed -> Amazon SubmitShipmentConfirmationsRequest (an ASN).

The neutral structures say what left the warehouse: ``shipped_lines`` are the totals per PO
item (one line per lot when lots differ), cartons and pallets say how they were packed.
Quantities are in eaches; Amazon wants each item in the unit it was ordered in (Cases x
unitSize or Eaches). ``check_shipment`` lists every blocking problem in plain words;
``build_shipment_confirmation(shipment, acknowledged, now)`` refuses to build while there are
any, then checks the body against Amazon's model before returning it.

``acknowledged`` maps ``(po_number, item_sequence)`` to the eaches that may still be shipped:
accepted + backordered minus what earlier ASNs already shipped (for a ``Replace``, do not
subtract what the replaced ASN shipped). The caller keeps that ledger.
"""
import dataclasses
import datetime
import re
from decimal import Decimal

from .. import amazon_schema
from ..amazon_dates import iso, to_utc
from .purchase_order import Party
from .sscc import is_valid_sscc

__all__ = ["Party", "ShippedLine", "Carton", "Pallet", "ImportDetails", "Shipment",
           "ShipmentError", "structure", "check_shipment", "build_shipment_confirmation",
           "shipped_totals"]

SHIPMENT_TYPES = ("TruckLoad", "LessThanTruckLoad", "SmallParcel")
FREIGHT_TYPES = ("TruckLoad", "LessThanTruckLoad")
TRANSACTION_TYPES = ("Original", "Replace")
UNITS = ("Eaches", "Cases")
TRANSPORTATION_MODES = ("Road", "Air", "Ocean")
# ImportDetails of a direct import's shipment (Amazon's model: its enums, 64 characters)
METHODS_OF_PAYMENT = ("PaidByBuyer", "CollectOnDelivery", "DefinedByBuyerAndSeller",
                      "FOBPortOfCall", "PrepaidBySeller", "PaidBySeller")
HANDLING_INSTRUCTIONS = ("Oversized", "Fragile", "Food", "HandleWithCare")
IMPORT_CONTAINERS_MAX = 64
# Amazon: carrierScac and carrierShipmentReferenceNumber (PRO) are mandatory for these; the
# use case guide adds India for the PRO.
CARRIER_COUNTRIES = ("US", "CA", "MX")
PRO_COUNTRIES = CARRIER_COUNTRIES + ("IN",)
# Amazon's use case guide, Europe: the bill of lading is "mandatory for all shipment
# confirmations", whatever the shipment type.
BILL_OF_LADING_COUNTRIES = ("AT", "BE", "CZ", "DE", "ES", "FR", "GB", "IE", "IT", "NL", "PL",
                            "SE", "TR")
# "cannot be a date/time": 2026-11-30, 30/11/2026, 30.11.26, 20261130, 10:30 ...
DATE_LIKE_RE = re.compile(r"^\s*(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|(19|20)\d{6}|\d{1,2}:\d{2})")
CM_PER_M = Decimal(100)
CM3_PER_M3 = Decimal(1_000_000)


class ShipmentError(ValueError):
    """The shipment cannot be confirmed to Amazon; ``problems`` lists why in plain words."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclasses.dataclass(frozen=True)
class ShippedLine:
    po_number: str
    item_sequence: str
    asin: str
    vendor_sku: str
    quantity_eaches: int
    unit_of_measure: str = "Eaches"  # as ordered on the PO item
    unit_size: int = 1
    lot: str = ""
    expiry: datetime.date | None = None
    manufactured: datetime.date | None = None

    @property
    def item_key(self):
        return (self.po_number, self.item_sequence)

    @property
    def detail_key(self):
        return (self.po_number, self.item_sequence, self.lot, self.expiry, self.manufactured)


@dataclasses.dataclass(frozen=True)
class Carton:
    sscc: str
    lines: tuple = ()
    weight_kg: Decimal | None = None
    length_cm: Decimal | None = None
    width_cm: Decimal | None = None
    height_cm: Decimal | None = None
    tracking_number: str = ""  # else taken from Shipment.tracking_numbers


@dataclasses.dataclass(frozen=True)
class Pallet:
    sscc: str
    cartons: tuple = ()
    weight_kg: Decimal | None = None  # gross, pallet included
    length_cm: Decimal | None = None
    width_cm: Decimal | None = None
    height_cm: Decimal | None = None
    tiers: int | None = None
    blocks: int | None = None
    lines: tuple = ()  # units stacked on the pallet directly, not in cartons


@dataclasses.dataclass(frozen=True)
class ImportDetails:
    """What the ASN of a direct import says of its voyage (the purchase order carried
    importDetails): Amazon's method of payment from the order, the containers (types and
    numbers, comma-separated), the seal, how to handle the goods."""
    method_of_payment: str = ""
    containers: str = ""
    seal_number: str = ""
    handling: str = ""


@dataclasses.dataclass(frozen=True)
class Shipment:
    identifier: str
    transaction_type: str
    shipment_type: str
    ship_from: Party
    ship_to: Party
    selling_party_id: str
    shipped_at: datetime.datetime
    estimated_delivery: datetime.datetime | None = None
    carrier_scac: str = ""
    pro_number: str = ""
    bill_of_lading: str = ""
    arn: str = ""
    tracking_numbers: tuple = ()
    loose_cartons: tuple = ()
    pallets: tuple = ()
    shipped_lines: tuple = ()
    transportation_mode: str = "Road"
    import_details: ImportDetails | None = None  # a direct import's

    @property
    def all_cartons(self):
        """Palletized cartons first (pallet by pallet), then loose ones: the ASN's order."""
        return tuple(c for p in self.pallets for c in p.cartons) + tuple(self.loose_cartons)


def _num(value):
    """A Decimal as Amazon's Decimal string: plain notation, no trailing zeros."""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text in ("-0", "") else text


def _item(line):
    return f"PO {line.po_number} item {line.item_sequence}"


def _lot(line):
    return f" (lot {line.lot})" if line.lot else ""


def _containers(shipment):
    """Every (kind, sscc, lines) that holds units: cartons, and pallets stacked with units."""
    for carton in shipment.all_cartons:
        yield "carton", carton.sscc, carton.lines
    for pallet in shipment.pallets:
        if pallet.lines:
            yield "pallet", pallet.sscc, pallet.lines


def _is_packed(shipment):
    return bool(shipment.loose_cartons or shipment.pallets)


def shipped_totals(shipment):
    """Eaches per (po_number, item_sequence) in ``shipped_lines``."""
    totals = {}
    for line in shipment.shipped_lines:
        totals[line.item_key] = totals.get(line.item_key, 0) + line.quantity_eaches
    return totals


def structure(shipment):
    """Amazon's shipmentStructure for what was packed (None when nothing was packed).

    Standard case: each carton holds one PO item; assortment: mixed items. "Master" when one
    carton (or pallet) mixes purchase orders, since Amazon's other structures put the order
    above the container. Loose cartons next to pallets do not change a palletized structure.
    """
    if shipment.pallets:
        for pallet in shipment.pallets:
            lines = list(pallet.lines) + [li for c in pallet.cartons for li in c.lines]
            if len({li.po_number for li in lines}) > 1:
                return "MasterPallet"
        if not any(p.cartons for p in shipment.pallets):
            return "PalletOfItems"
        standard = not any(p.lines for p in shipment.pallets) and all(
            len({li.item_key for li in c.lines}) == 1 for p in shipment.pallets for c in p.cartons)
        return "PalletizedStandardCase" if standard else "PalletizedAssortmentCase"
    if shipment.loose_cartons:
        cartons = shipment.loose_cartons
        if any(len({li.po_number for li in c.lines}) > 1 for c in cartons):
            return "MasterCase"
        if all(len({li.item_key for li in c.lines}) == 1 for c in cartons):
            return "LooseStandardCase"
        return "LooseAssortmentCase"
    return None


def _resolve(shipment, line):
    """The shipped line a packed line belongs to: same lot and dates, else the only one of
    its PO item (the packed line then carries its own lot details); None if ambiguous."""
    exact = [s for s in shipment.shipped_lines if s.detail_key == line.detail_key]
    if len(exact) == 1:
        return exact[0]
    same_item = [s for s in shipment.shipped_lines if s.item_key == line.item_key]
    return same_item[0] if len(same_item) == 1 else None


def _tracking_numbers(shipment):
    """Tracking number per carton (ASN order): the carton's own, else one per carton from
    ``tracking_numbers`` in order, else the single tracking number for every carton."""
    cartons = shipment.all_cartons
    given = [t for t in shipment.tracking_numbers if t]
    out = []
    for index, carton in enumerate(cartons):
        if carton.tracking_number:
            out.append(carton.tracking_number)
        elif len(given) == len(cartons):
            out.append(given[index])
        elif len(given) == 1:
            out.append(given[0])
        else:
            out.append("")
    return out


def _bill_of_lading(shipment):
    # Where Amazon requires one, a parcel carrier's consignment (master tracking) number is
    # the bill of lading of a small parcel shipment.
    if shipment.bill_of_lading:
        return shipment.bill_of_lading.strip()
    country = (shipment.ship_to.country_code or "").upper()
    if shipment.shipment_type == "SmallParcel" and country in BILL_OF_LADING_COUNTRIES:
        return _pro_number(shipment)
    return ""


def _pro_number(shipment):
    # A parcel carrier's reference is its (master) tracking number.
    if shipment.pro_number:
        return shipment.pro_number
    if shipment.shipment_type == "SmallParcel":
        return next((t for t in shipment.tracking_numbers if t), "") or next(
            (t for t in _tracking_numbers(shipment) if t), "")
    return ""


def _check_quantity(problems, line, where, unit_line=None):
    """Positive whole units, and whole cases when the PO item is ordered in cases."""
    unit_line = unit_line or line
    if isinstance(line.quantity_eaches, bool) or not isinstance(line.quantity_eaches, int) \
            or line.quantity_eaches <= 0:
        problems.append(f"{where}{_item(line)}: the quantity must be a positive whole number "
                        f"of units, not {line.quantity_eaches!r}")
    elif unit_line.unit_of_measure == "Cases" and _good_case(unit_line) \
            and line.quantity_eaches % unit_line.unit_size:
        problems.append(f"{where}{_item(line)}: {line.quantity_eaches} units is not a whole "
                        f"number of cases of {unit_line.unit_size}")


def _good_case(line):
    return isinstance(line.unit_size, int) and not isinstance(line.unit_size, bool) \
        and line.unit_size >= 1


def _check_lines(problems, shipment, acknowledged):
    if not shipment.shipped_lines:
        problems.append("The shipment has no lines: nothing to confirm")
        return
    seen, by_item = set(), {}
    for line in shipment.shipped_lines:
        if line.unit_of_measure not in UNITS:
            problems.append(f"{_item(line)}: unit {line.unit_of_measure!r} is neither Eaches "
                            "nor Cases")
        elif line.unit_of_measure == "Cases" and not _good_case(line):
            problems.append(f"{_item(line)}: a case must hold a whole number of units")
        _check_quantity(problems, line, "")
        if not (line.asin or line.vendor_sku):
            problems.append(f"{_item(line)}: the ASIN or the vendor SKU is needed")
        if line.detail_key in seen:
            problems.append(f"{_item(line)}{_lot(line)} is listed twice")
        seen.add(line.detail_key)
        first = by_item.setdefault(line.item_key, line)
        if (first.asin, first.vendor_sku, first.unit_of_measure, first.unit_size) != \
                (line.asin, line.vendor_sku, line.unit_of_measure, line.unit_size):
            problems.append(f"{_item(line)}: its lines disagree on product or unit")
        if line.expiry and line.manufactured and line.expiry < line.manufactured:
            problems.append(f"{_item(line)}{_lot(line)}: expires before it was made")
    acknowledged_pos = {po for po, _seq in acknowledged}
    for (po, seq), eaches in shipped_totals(shipment).items():
        if po not in acknowledged_pos:
            problems.append(f"PO {po} was not acknowledged: Amazon refuses an ASN for it")
        elif (po, seq) not in acknowledged:
            problems.append(f"PO {po} item {seq} was not acknowledged: Amazon refuses an ASN "
                            "for it")
        elif eaches > acknowledged[po, seq]:
            problems.append(f"PO {po} item {seq}: {eaches} units shipped but only "
                            f"{acknowledged[po, seq]} acknowledged and not yet shipped")


def _check_packing(problems, shipment):
    sscc_seen = set()
    containers = [("pallet", p.sscc) for p in shipment.pallets] + \
        [("carton", c.sscc) for c in shipment.all_cartons]
    for kind, sscc in containers:
        if not is_valid_sscc(sscc):
            problems.append(f"{kind} SSCC {sscc!r} is not 18 digits with a valid GS1 check digit")
        elif sscc in sscc_seen:
            problems.append(f"SSCC {sscc} is used on two containers")
        sscc_seen.add(sscc)
    for carton in shipment.all_cartons:
        if not carton.lines:
            problems.append(f"carton {carton.sscc} is empty")
    for pallet in shipment.pallets:
        if not (pallet.cartons or pallet.lines):
            problems.append(f"pallet {pallet.sscc} is empty")
    for kind, sscc, container in [("carton", c.sscc, c) for c in shipment.all_cartons] + \
            [("pallet", p.sscc, p) for p in shipment.pallets]:
        for name in ("weight_kg", "length_cm", "width_cm", "height_cm"):
            value = getattr(container, name)
            if value is not None and Decimal(value) <= 0:
                problems.append(f"{kind} {sscc}: {name.split('_')[0]} must be above zero")
    packed = {}
    for kind, sscc, lines in _containers(shipment):
        for line in lines:
            where = f"{kind} {sscc}: "
            target = _resolve(shipment, line)
            if target is None:
                problems.append(f"{where}{_item(line)}{_lot(line)} is not among the shipped "
                                "lines (or matches several of them)")
                continue
            _check_quantity(problems, line, where, target)
            if isinstance(line.quantity_eaches, int):
                packed[target.detail_key] = packed.get(target.detail_key, 0) \
                    + line.quantity_eaches
    for line in shipment.shipped_lines:
        inside = packed.get(line.detail_key, 0)
        if inside != line.quantity_eaches:
            problems.append(f"{_item(line)}{_lot(line)}: {line.quantity_eaches} units shipped "
                            f"but the cartons and pallets hold {inside}")


def _check_transport(problems, shipment):
    kind = shipment.shipment_type
    country = (shipment.ship_to.country_code or "").upper()
    scac = shipment.carrier_scac or ""
    if kind in FREIGHT_TYPES or country in CARRIER_COUNTRIES:
        if not scac:
            problems.append(f"The carrier's SCAC is required for {kind} shipments"
                            + (f" to {country}" if country in CARRIER_COUNTRIES else ""))
    if scac and not (2 <= len(scac) <= 4 and scac.isascii() and scac.isalpha()
                     and scac.isupper()):
        problems.append(f"SCAC {scac!r} is not a two to four capital letter carrier code")
    bill = _bill_of_lading(shipment)
    if (kind in FREIGHT_TYPES or country in BILL_OF_LADING_COUNTRIES) and len(bill) < 2:
        where = f"{kind} shipments" if kind in FREIGHT_TYPES else f"shipments to {country}"
        problems.append(f"The bill of lading number is required for {where} (and cannot be a "
                        "single character)")
    if bill and DATE_LIKE_RE.match(bill):
        problems.append(f"The bill of lading number {bill!r} looks like a date or a time: "
                        "Amazon refuses it; enter the number printed on the bill of lading")
    if kind == "SmallParcel":
        numbers = _tracking_numbers(shipment)
        if shipment.all_cartons and not all(numbers):
            problems.append(f"Every carton of a small parcel shipment needs a tracking number "
                            f"({sum(1 for t in numbers if t)} of {len(numbers)} have one)")
        if not shipment.all_cartons and not any(shipment.tracking_numbers):
            problems.append("A small parcel shipment needs its tracking number")
    if country in PRO_COUNTRIES and not _pro_number(shipment):
        problems.append(f"The carrier's PRO (shipment reference) number is required for "
                        f"shipments to {country}")
    if shipment.transportation_mode and \
            shipment.transportation_mode not in TRANSPORTATION_MODES:
        problems.append(f"Transportation mode {shipment.transportation_mode!r} is not Road, "
                        "Air or Ocean")


def _check_import(problems, shipment):
    details = shipment.import_details
    if details is None:
        return
    if details.method_of_payment and details.method_of_payment not in METHODS_OF_PAYMENT:
        problems.append(f"Method of payment {details.method_of_payment!r} is not one Amazon "
                        f"knows ({', '.join(METHODS_OF_PAYMENT)})")
    if details.handling and details.handling not in HANDLING_INSTRUCTIONS:
        problems.append(f"Handling instruction {details.handling!r} is not one Amazon knows "
                        f"({', '.join(HANDLING_INSTRUCTIONS)})")
    if len(details.containers) > IMPORT_CONTAINERS_MAX:
        problems.append(f"The containers ({details.containers!r}) take more than "
                        f"{IMPORT_CONTAINERS_MAX} characters: Amazon takes at most that")


def check_shipment(shipment, acknowledged, now):
    """Every reason Amazon (or good sense) would refuse this ASN, in plain words."""
    problems = []
    if not (shipment.identifier or "").strip():
        problems.append("The shipment needs an identifier")
    if shipment.transaction_type not in TRANSACTION_TYPES:
        problems.append(f"Confirmation type {shipment.transaction_type!r} is not Original or "
                        "Replace")
    if shipment.shipment_type not in SHIPMENT_TYPES:
        problems.append(f"Shipment type {shipment.shipment_type!r} is not TruckLoad, "
                        "LessThanTruckLoad or SmallParcel")
    for label, value in (("selling party", shipment.selling_party_id),
                         ("ship-from party", shipment.ship_from.party_id),
                         ("ship-to party", shipment.ship_to.party_id)):
        if not value:
            problems.append(f"The {label} code is missing")
    if shipment.shipped_at is None:
        problems.append("The shipped date is missing")
    elif to_utc(shipment.shipped_at) > to_utc(now):
        problems.append(f"The shipped date {iso(shipment.shipped_at)} is in the future")
    elif shipment.estimated_delivery and \
            to_utc(shipment.estimated_delivery) < to_utc(shipment.shipped_at):
        problems.append("The estimated delivery is before the shipped date")
    _check_lines(problems, shipment, acknowledged)
    if _is_packed(shipment):
        _check_packing(problems, shipment)
    _check_transport(problems, shipment)
    _check_import(problems, shipment)
    return list(dict.fromkeys(problems))  # one PO not acknowledged is said once


# -- building -------------------------------------------------------------------------------
def _party(party):
    out = {"partyId": party.party_id}
    if party.name and party.street and party.country_code:
        address = {"name": party.name, "addressLine1": party.street}
        for key, value in (("addressLine2", party.street2), ("city", party.city),
                           ("stateOrRegion", party.state_code), ("postalCode", party.zip),
                           ("countryCode", party.country_code),
                           ("phone", getattr(party, "phone", ""))):
            if value:
                address[key] = value
        out["address"] = address
    return out


def _quantity(unit_line, eaches):
    if unit_line.unit_of_measure == "Cases":
        return {"amount": eaches // unit_line.unit_size, "unitOfMeasure": "Cases",
                "unitSize": unit_line.unit_size}
    return {"amount": eaches, "unitOfMeasure": "Eaches", "unitSize": 1}


def _details(line, with_po=True):
    details = {"purchaseOrderNumber": line.po_number} if with_po else {}
    if line.lot:
        details["lotNumber"] = line.lot
    expiry = {}
    if line.manufactured:
        expiry["manufacturerDate"] = iso(line.manufactured)
    if line.expiry:
        expiry["expiryDate"] = iso(line.expiry)
    if expiry:
        details["expiry"] = expiry
    return details


def _measures(container):
    out = {}
    dims = (container.length_cm, container.width_cm, container.height_cm)
    if all(d is not None for d in dims):
        # Amazon's Dimensions have no centimetres: send metres.
        out["dimensions"] = {"length": _num(Decimal(dims[0]) / CM_PER_M),
                             "width": _num(Decimal(dims[1]) / CM_PER_M),
                             "height": _num(Decimal(dims[2]) / CM_PER_M),
                             "unitOfMeasure": "Meter"}
    if container.weight_kg is not None:
        out["weight"] = {"unitOfMeasure": "Kg", "value": _num(container.weight_kg)}
    return out


def _volume_cm3(container):
    dims = (container.length_cm, container.width_cm, container.height_cm)
    if any(d is None for d in dims):
        return None
    return Decimal(dims[0]) * Decimal(dims[1]) * Decimal(dims[2])


def _container_items(shipment, lines, references):
    """ContainerItems of one carton or pallet: one per shipped item, or per lot when the
    shipped item has no lot of its own and the container says which lots it holds."""
    totals = {}
    for line in lines:
        target = _resolve(shipment, line)
        own = line.detail_key if line.detail_key != target.detail_key else None
        key = (target.detail_key, own)
        first, eaches = totals.get(key, (line, 0))
        totals[key] = (first, eaches + line.quantity_eaches)
    items = []
    for (target_key, own), (line, eaches) in totals.items():
        number, target = references[target_key]
        item = {"itemReference": number, "shippedQuantity": _quantity(target, eaches)}
        details = _details(line, with_po=False) if own else {}
        if details:
            item["itemDetails"] = details
        items.append(item)
    return items


def _measurements(shipment):
    out = {}
    outer = list(shipment.pallets) + list(shipment.loose_cartons)  # what stands on the truck
    if outer and all(c.weight_kg is not None for c in outer):
        out["grossShipmentWeight"] = {
            "unitOfMeasure": "Kg", "value": _num(sum(Decimal(c.weight_kg) for c in outer))}
    volumes = [_volume_cm3(c) for c in outer]
    if outer and all(v is not None for v in volumes):
        cubic_metres = (sum(volumes) / CM3_PER_M3).quantize(Decimal("0.0001"))
        out["shipmentVolume"] = {"unitOfMeasure": "CuM", "value": _num(cubic_metres)}
    # Amazon: cartonCount only for non-palletized shipments, palletCount only for palletized.
    if shipment.pallets:
        out["palletCount"] = len(shipment.pallets)
    elif shipment.loose_cartons:
        out["cartonCount"] = len(shipment.loose_cartons)
    return out


def build_shipment_confirmation(shipment, acknowledged, now):
    """The SubmitShipmentConfirmationsRequest body for one shipment (raises ShipmentError)."""
    problems = check_shipment(shipment, acknowledged, now)
    if problems:
        raise ShipmentError(problems)
    # itemSequenceNumber is the ASN's own 001, 002... (PO item numbers repeat across POs);
    # cartons and pallets point at it through itemReference.
    references, shipped_items = {}, []
    for index, line in enumerate(shipment.shipped_lines, start=1):
        number = f"{index:03d}"
        references[line.detail_key] = (number, line)
        item = {"itemSequenceNumber": number}
        if line.asin:
            item["amazonProductIdentifier"] = line.asin
        if line.vendor_sku:
            item["vendorProductIdentifier"] = line.vendor_sku
        item["shippedQuantity"] = _quantity(line, line.quantity_eaches)
        item["itemDetails"] = _details(line)
        shipped_items.append(item)

    cartons, carton_numbers = [], {}
    for index, (carton, tracking) in enumerate(
            zip(shipment.all_cartons, _tracking_numbers(shipment), strict=True), start=1):
        carton_numbers[id(carton)] = f"{index:03d}"
        entry = {"cartonIdentifiers": [{"containerIdentificationType": "SSCC",
                                        "containerIdentificationNumber": carton.sscc}],
                 "cartonSequenceNumber": f"{index:03d}"}
        entry.update(_measures(carton))
        if tracking:
            entry["trackingNumber"] = tracking
        entry["items"] = _container_items(shipment, carton.lines, references)
        cartons.append(entry)

    pallets = []
    for pallet in shipment.pallets:
        entry = {"palletIdentifiers": [{"containerIdentificationType": "SSCC",
                                        "containerIdentificationNumber": pallet.sscc}]}
        if pallet.tiers is not None:
            entry["tier"] = pallet.tiers
        if pallet.blocks is not None:
            entry["block"] = pallet.blocks
        entry.update(_measures(pallet))
        if pallet.cartons:
            entry["cartonReferenceDetails"] = {
                "cartonCount": len(pallet.cartons),
                "cartonReferenceNumbers": [carton_numbers[id(c)] for c in pallet.cartons]}
        if pallet.lines:
            entry["items"] = _container_items(shipment, pallet.lines, references)
        pallets.append(entry)

    transport = {}
    for key, value in (("carrierScac", shipment.carrier_scac),
                       ("carrierShipmentReferenceNumber", _pro_number(shipment)),
                       ("transportationMode", shipment.transportation_mode),
                       ("billOfLadingNumber", _bill_of_lading(shipment))):
        if value:
            transport[key] = value
    confirmation = {
        "shipmentIdentifier": shipment.identifier,
        "shipmentConfirmationType": shipment.transaction_type,
        "shipmentType": shipment.shipment_type,
    }
    kind = structure(shipment)
    if kind:
        confirmation["shipmentStructure"] = kind
    if transport:
        confirmation["transportationDetails"] = transport
    if shipment.arn:
        confirmation["amazonReferenceNumber"] = shipment.arn
    details = shipment.import_details
    if details is not None:
        imports = {key: value for key, value in (
            ("methodOfPayment", details.method_of_payment),
            ("sealNumber", details.seal_number.strip()),
            ("importContainers", details.containers.strip()),
            ("handlingInstructions", details.handling)) if value}
        if imports:
            confirmation["importDetails"] = imports
    confirmation["shipmentConfirmationDate"] = iso(now)
    confirmation["shippedDate"] = iso(shipment.shipped_at)
    if shipment.estimated_delivery:
        confirmation["estimatedDeliveryDate"] = iso(shipment.estimated_delivery)
    confirmation.update({
        "sellingParty": {"partyId": shipment.selling_party_id},
        "shipFromParty": _party(shipment.ship_from),
        "shipToParty": _party(shipment.ship_to),
    })
    measurements = _measurements(shipment)
    if measurements:
        confirmation["shipmentMeasurements"] = measurements
    confirmation["shippedItems"] = shipped_items
    if cartons:
        confirmation["cartons"] = cartons
    if pallets:
        confirmation["pallets"] = pallets
    body = {"shipmentConfirmations": [confirmation]}
    errors = amazon_schema.validate(
        "vendor_shipments_v1", "SubmitShipmentConfirmationsRequest", body)
    if errors:
        raise ShipmentError(errors)
    return body
