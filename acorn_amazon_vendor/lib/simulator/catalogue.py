"""Reference data: the default catalogue, Amazon fulfilment centres, vendor codes, bill-to parties.

A catalogue item is ``{vendor_sku, asin, ean, case_size, net_cost, list_price, currency}``
(money as strings, as Amazon sends it). Each currency is bought by its own vendor codes and
shipped to fulfilment centres of that region.
"""
import random
from decimal import Decimal, InvalidOperation

from stdnum import ean

# Fulfilment centres with the addresses Amazon prints on POs (partyId = warehouse code).
FULFILMENT_CENTRES = {
    "ABE2": {"name": "Amazon.com Services LLC", "addressLine1": "705 Boulder Drive",
             "city": "Breinigsville", "stateOrRegion": "PA", "postalCode": "18031",
             "countryCode": "US"},
    "PHX7": {"name": "Amazon.com Services LLC", "addressLine1": "800 N 75th Avenue",
             "city": "Phoenix", "stateOrRegion": "AZ", "postalCode": "85043",
             "countryCode": "US"},
    "ONT8": {"name": "Amazon.com Services LLC", "addressLine1": "24300 Nandina Avenue",
             "city": "Moreno Valley", "stateOrRegion": "CA", "postalCode": "92551",
             "countryCode": "US"},
    "MDW2": {"name": "Amazon.com Services LLC", "addressLine1": "250 Emerald Drive",
             "city": "Joliet", "stateOrRegion": "IL", "postalCode": "60433",
             "countryCode": "US"},
    "DFW7": {"name": "Amazon.com Services LLC", "addressLine1": "700 Westport Parkway",
             "city": "Fort Worth", "stateOrRegion": "TX", "postalCode": "76177",
             "countryCode": "US"},
    "LEJ1": {"name": "Amazon Fulfillment Germany GmbH", "addressLine1": "Amazonstrasse 1",
             "city": "Leipzig", "stateOrRegion": "Sachsen", "postalCode": "04347",
             "countryCode": "DE"},
    "MUC3": {"name": "Amazon Fulfillment Germany GmbH", "addressLine1": "Amazonstrasse 1",
             "city": "Graben", "stateOrRegion": "Bayern", "postalCode": "86836",
             "countryCode": "DE"},
    "ORY1": {"name": "Amazon France Logistique SAS", "addressLine1": "1401 Rue du Champ Rouge",
             "city": "Saran", "stateOrRegion": "Loiret", "postalCode": "45770",
             "countryCode": "FR"},
    "MXP5": {"name": "Amazon Italia Logistica S.r.l.", "addressLine1": "Strada Dogana Po 2U",
             "city": "Castel San Giovanni", "stateOrRegion": "PC", "postalCode": "29015",
             "countryCode": "IT"},
}

# Per currency: who buys (vendor codes = sellingParty.partyId), where it ships, who pays.
REGIONS = {
    "USD": {
        "vendor_codes": ("ACRN1", "ACRN2"),
        "centres": ("ABE2", "PHX7", "ONT8", "MDW2", "DFW7"),
        "bill_to": {"partyId": "AMZN-US", "address": {
            "name": "Amazon.com Services LLC", "addressLine1": "PO Box 80463",
            "city": "Seattle", "stateOrRegion": "WA", "postalCode": "98108-0463",
            "countryCode": "US"}},
    },
    "EUR": {
        "vendor_codes": ("ACRNE",),
        "centres": ("LEJ1", "MUC3", "ORY1", "MXP5"),
        "bill_to": {"partyId": "AMZN-EU", "address": {
            "name": "Amazon EU S.a r.l.", "addressLine1": "38 avenue John F. Kennedy",
            "city": "Luxembourg", "postalCode": "L-1855", "countryCode": "LU"},
            "taxInfo": {"taxRegistrationType": "VAT", "taxRegistrationNumber": "LU20260743"}},
    },
}
SELLING_PARTIES = {
    "ACRN1": {"name": "Acorn Trading Co. Ltd", "addressLine1": "88 Keji Road",
              "city": "Shenzhen", "stateOrRegion": "Guangdong", "postalCode": "518057",
              "countryCode": "CN"},
    "ACRN2": {"name": "Acorn Home Inc.", "addressLine1": "1200 Harbor Boulevard",
              "city": "Weehawken", "stateOrRegion": "NJ", "postalCode": "07086",
              "countryCode": "US"},
    "ACRNE": {"name": "Acorn Europe GmbH", "addressLine1": "Hafenstrasse 12",
              "city": "Hamburg", "postalCode": "20457", "countryCode": "DE"},
}
CATALOGUE_KEYS = ("vendor_sku", "asin", "ean", "case_size", "net_cost", "list_price", "currency")


def _default_catalogue():
    # A fixed generator: the default catalogue is the same whatever the simulator's seed.
    rng = random.Random(2026)
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    items = []
    for index in range(30):
        currency = "EUR" if index >= 24 else "USD"
        cost = Decimal(rng.randrange(250, 9000)) / 100
        ean_body = "69" + f"{rng.randrange(10 ** 10):010d}"
        items.append({
            "vendor_sku": f"ACN-{1001 + index}",
            "asin": "B0" + "".join(rng.choice(alphabet) for _ in range(8)),
            "ean": ean_body + ean.calc_check_digit(ean_body),
            "case_size": rng.choice((1, 1, 6, 12, 24)),
            "net_cost": str(cost),
            "list_price": str((cost * Decimal("1.8")).quantize(Decimal("0.01"))),
            "currency": currency,
        })
    return items


DEFAULT_CATALOGUE = _default_catalogue()


def normalise_catalogue(items):
    """Check catalogue items and return clean copies; ValueError naming the first problem."""
    if not isinstance(items, list) or not items:
        raise ValueError("the catalogue must be a non-empty list of items")
    clean, seen = [], set()
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValueError(f"item {index} is not an object")
        missing = [k for k in CATALOGUE_KEYS if item.get(k) in (None, "")]
        if missing:
            raise ValueError(f"item {index} lacks {', '.join(missing)}")
        if item["currency"] not in REGIONS:
            raise ValueError(f"item {index}: currency must be one of {', '.join(REGIONS)}")
        try:
            costs = [Decimal(str(item[k])) for k in ("net_cost", "list_price")]
        except InvalidOperation:
            raise ValueError(f"item {index}: net_cost and list_price must be decimals") from None
        if min(costs) <= 0 or int(item["case_size"]) < 1:
            raise ValueError(f"item {index}: costs must be positive and case_size >= 1")
        if item["asin"] in seen:
            raise ValueError(f"item {index}: duplicate asin {item['asin']}")
        seen.add(item["asin"])
        clean.append({"vendor_sku": str(item["vendor_sku"]), "asin": str(item["asin"]),
                      "ean": str(item["ean"]), "case_size": int(item["case_size"]),
                      "net_cost": str(costs[0]), "list_price": str(costs[1]),
                      "currency": item["currency"]})
    return clean
