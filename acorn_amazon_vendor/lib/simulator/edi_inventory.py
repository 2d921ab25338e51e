"""Amazon's EDI partner takes a vendor's inventory report (846 / INVRPT).

The file is read by the EDI addon's codec (its structure, counts, whole quantities >= 0 are
the codec's refusals), then checked as Amazon would: the seller is one of the partner's vendor
codes, every item is in the catalogue (each identifier it gives, ASIN, vendor SKU or EAN,
names the same catalogue item), quantities are whole and not negative. A refused report is
rejected in the 997 / CONTRL at the segment and element at fault; an accepted one becomes the
latest inventory of its vendor code, shown by ``GET /_simulator/edi`` (``inventory``).
"""
import copy

from .clock import iso

KIND = "inventory"
IDENTIFIERS = (("amazonProductIdentifier", "asin"), ("vendorProductIdentifier", "vendor_sku"),
               ("ean", "ean"))


def check(document, vendor_codes, catalogue):
    """The report's problems: [{"code", "message", "item" (index or None), "field"}]."""
    problems = []
    seller = (document.get("sellingParty") or {}).get("partyId")
    if seller not in vendor_codes:
        problems.append({"code": "InvalidVendorCode", "item": None, "field": "party",
                         "message": f"sellingParty {seller!r} is not a vendor code of this "
                                    f"partner ({', '.join(vendor_codes)})"})
    index = {key: {item[key]: item for item in catalogue} for _k, key in IDENTIFIERS}
    for number, item in enumerate(document.get("items") or []):
        found = set()
        for field, key in IDENTIFIERS:
            value = item.get(field)
            if value is None:
                continue
            known = index[key].get(value)
            if known is None:
                problems.append({"code": "InvalidProductIdentifier", "item": number,
                                 "field": "identifier", "value": value,
                                 "message": f"items[{number}]: {field} {value!r} is not in "
                                            "the catalogue"})
            else:
                found.add(known["asin"])
        if len(found) > 1:
            problems.append({"code": "InvalidProductIdentifier", "item": number,
                             "field": "identifier", "message": f"items[{number}]: its "
                             f"identifiers name different products ({', '.join(sorted(found))})"})
        elif not found and not any(p["item"] == number for p in problems):
            problems.append({"code": "InvalidProductIdentifier", "item": number,
                             "field": "identifier", "message": f"items[{number}]: no ASIN, "
                             "vendor SKU or EAN Amazon knows"})
        for field in ("availableQuantity", "onOrderQuantity"):
            value = item.get(field)
            if value is None and field == "onOrderQuantity":
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                problems.append({"code": "InvalidQuantity", "item": number, "field": field,
                                 "message": f"items[{number}]: {field} {value!r} is not a "
                                            "whole number >= 0"})
    return problems


def _x12_place(problem, segments):
    """(segment, element) of a problem in an 846's segments."""
    if problem["item"] is None:
        seller = next((s for s in segments if s.tag == "N1" and s[1] == "SU"), None)
        return seller, 4
    lines = [i for i, s in enumerate(segments) if s.tag == "LIN"]
    start = lines[problem["item"]]
    if problem["field"] == "identifier":
        lin = segments[start]
        element = next((i for i in range(3, len(lin.elements) + 1, 2)
                        if problem.get("value") and lin[i] == problem["value"]), 3)
        return lin, element
    code = "33" if problem["field"] == "availableQuantity" else "63"
    end = lines[problem["item"] + 1] if problem["item"] + 1 < len(lines) else len(segments)
    quantity = next((s for s in segments[start:end] if s.tag == "QTY" and s[1] == code),
                    segments[start])
    return quantity, 2 if quantity.tag == "QTY" else None


def _edifact_place(problem, segments):
    """(tag, position, element) of a problem in an INVRPT's segments."""
    if problem["item"] is None:
        seller = next((s for s in segments if s[0] == "NAD" and s[2][0][:1] == ["SU"]), None)
        return (seller[0], seller[1], 2) if seller else ("NAD", None, 2)
    lines = [i for i, s in enumerate(segments) if s[0] == "LIN"]
    start = lines[problem["item"]]
    end = lines[problem["item"] + 1] if problem["item"] + 1 < len(lines) else len(segments)
    if problem["field"] == "identifier":  # the PIA (or LIN) holding the unknown value
        target = next((s for s in segments[start:end] if any(
            problem.get("value") in e for e in s[2][1:])), segments[start])
        return target[0], target[1], 1 if target[0] == "PIA" else 3
    code = {"availableQuantity": "145", "onOrderQuantity": "21"}[problem["field"]]
    target = next((s for s in segments[start:end] if s[0] == "QTY"
                   and s[2][0][:1] == [code]), segments[start])
    return target[0], target[1], 1 if target[0] == "QTY" else None


def receive(partner, account, document, entry, segments, standard, make_error, reference=None):
    """Check one report and keep it when it passes. Returns the errors for the functional
    acknowledgement: EdiErrors (X12) or CONTRL error dicts (EDIFACT); [] when accepted."""
    problems = check(document, account.vendor_codes, partner.state.catalogue)
    entry["documents"].append({"kind": KIND, "transactionId": None,
                               "status": "Failure" if problems else "Success",
                               "errors": [{"code": p["code"], "message": p["message"]}
                                          for p in problems]})
    entry["errors"] += [f"{reference or ''}{': ' if reference else ''}{p['code']}: "
                        f"{p['message']}" for p in problems]
    if not problems:
        latest = getattr(partner, "inventory", None)
        if latest is None:
            latest = partner.inventory = {}
        latest[document["sellingParty"]["partyId"]] = dict(
            copy.deepcopy(document), receivedAt=iso(partner.state.clock.now()),
            file=entry.get("file"), username=account.username)
        return []
    located = []
    for problem in problems:
        message = f"{problem['code']}: {problem['message']}"
        if standard == "x12":
            segment, element = _x12_place(problem, segments)
            value = segment[element] if segment is not None and element else None
            located.append(make_error(message, segment.tag if segment is not None else "N1",
                                      segment.position if segment is not None else None,
                                      element, "7", value))
        else:
            tag, position, element = _edifact_place(problem, segments)
            located.append({"message_reference": reference, "code": "12", "segment": tag,
                            "position": position, "element": element})
    return located


def describe(partner):
    """The latest accepted inventory report per vendor code."""
    return copy.deepcopy(getattr(partner, "inventory", None) or {})
