"""Two versions of one purchase order (as received, then as Amazon changed it), shared by the
tests of the X12 860 and EDIFACT ORDCHG codecs."""
import copy


def item(sequence, asin, sku, amount, cost, currency, unit="Eaches", size=1):
    return {"itemSequenceNumber": sequence, "amazonProductIdentifier": asin,
            "vendorProductIdentifier": sku,
            "orderedQuantity": {"amount": amount, "unitOfMeasure": unit, "unitSize": size},
            "isBackOrderAllowed": False, "netCost": {"amount": cost, "currencyCode": currency},
            "listPrice": {"amount": "19.99", "currencyCode": currency}}


def order(number, currency, ship_to, window_key):
    """Three lines: eaches, cases of 6, eaches."""
    prefix = number[-4:]
    return {"purchaseOrderNumber": number, "purchaseOrderState": "Acknowledged",
            "orderDetails": {
                "purchaseOrderDate": "2026-11-20T10:00:00Z",
                "purchaseOrderType": "RegularOrder",
                window_key: "2026-11-25T00:00:00Z--2026-11-28T00:00:00Z",
                "shipToParty": {"partyId": ship_to},
                "items": [item("1", f"B0{prefix}001", f"ACN-{prefix}1", 10, "5.00", currency),
                          item("2", f"B0{prefix}002", f"ACN-{prefix}2", 2, "7.50", currency,
                               "Cases", 6),
                          item("3", f"B0{prefix}003", f"ACN-{prefix}3", 5, "3.20", currency)]}}


def changed(original, ship_to, window_key):
    """Line 1 decreased, line 2 cancelled, line 3's cost lowered, line 4 added; another
    fulfilment centre and window."""
    new = copy.deepcopy(original)
    details = new["orderDetails"]
    currency = details["items"][0]["netCost"]["currencyCode"]
    prefix = new["purchaseOrderNumber"][-4:]
    details["purchaseOrderChangedDate"] = "2026-11-22T08:30:00Z"
    details["items"][0]["orderedQuantity"]["amount"] = 4
    details["items"][1]["orderedQuantity"]["amount"] = 0
    details["items"][2]["netCost"]["amount"] = "3.05"
    details["items"].append(item("4", f"B0{prefix}004", f"ACN-{prefix}4", 3, "1.25",
                                 currency))
    details["shipToParty"] = {"partyId": ship_to}
    details[window_key] = "2026-11-26T00:00:00Z--2026-11-29T00:00:00Z"
    return new
