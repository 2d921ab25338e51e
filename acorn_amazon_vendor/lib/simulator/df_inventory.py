"""Vendor Direct Fulfillment Inventory v1: submitInventoryUpdate for one warehouse.

``warehouseId`` (path) is a Direct Fulfillment warehouse of the selling party; items name
catalogue products by ASIN (buyerProductIdentifier) or vendor SKU, with an ``availableQuantity``
in ``Each``, zero or more. ``isFullUpdate`` true replaces the warehouse's whole inventory (what
is not listed becomes 0); false updates only the items listed.
"""
from .. import amazon_schema
from .df_orders import DF_WAREHOUSES
from .errors import ApiError, rule_error, schema_errors

MODULE = "vendor_direct_fulfillment_inventory_v1"


def submit_inventory_update(state, request):
    warehouse = request.path_args[0]
    body = request.json_body()
    problems = amazon_schema.validate(MODULE, "SubmitInventoryUpdateRequest", body)
    if problems:
        raise schema_errors(problems)
    if not body.get("inventory"):
        raise ApiError(400, "InvalidInput", "The content of element 'inventory' is not "
                       "complete.")
    if warehouse not in {w for ws in DF_WAREHOUSES.values() for w in ws}:
        raise ApiError(400, "InvalidInput", f"Invalid warehouseId: {warehouse}",
                       "The warehouse is not a Direct Fulfillment warehouse of this vendor.")
    status, payload = state.accept("df_inventory", dict(body, warehouseId=warehouse))
    return status, {"payload": payload["payload"]}


def inventory_rules(state, body, when):
    errors = []
    warehouse = body["warehouseId"]
    inv = body["inventory"]
    by_asin = {p["asin"]: p for p in state.catalogue}
    by_sku = {p["vendor_sku"]: p for p in state.catalogue}
    currency = next(c for c, ws in DF_WAREHOUSES.items() if warehouse in ws)
    from .catalogue import REGIONS  # noqa: PLC0415
    if inv["sellingParty"].get("partyId") not in REGIONS[currency]["vendor_codes"]:
        errors.append(rule_error("InvalidSellingParty", "inventory.sellingParty: "
                                 f"{inv['sellingParty'].get('partyId')} does not ship from "
                                 f"{warehouse}."))
    levels = {}
    for index, item in enumerate(inv["items"]):
        where = f"inventory.items[{index}]"
        product = by_asin.get(item.get("buyerProductIdentifier")) or by_sku.get(
            item.get("vendorProductIdentifier"))
        if product is None:
            errors.append(rule_error("InvalidItem", f"{where}: unknown product."))
            continue
        qty = item["availableQuantity"]
        if qty.get("unitOfMeasure") != "Each":
            errors.append(rule_error("InvalidUnitOfMeasure", f"{where}: availableQuantity is "
                                     "counted in Each."))
        if not isinstance(qty.get("amount"), int) or qty["amount"] < 0:
            errors.append(rule_error("InvalidQuantity", f"{where}: amount must be an integer "
                                     ">= 0."))
            continue
        if product["vendor_sku"] in levels:
            errors.append(rule_error("DuplicateItem", f"{where}: listed twice."))
        levels[product["vendor_sku"]] = 0 if item.get("isObsolete") else qty["amount"]
    if errors:
        return errors
    stock = state.df.inventory.setdefault(warehouse, {})
    if inv["isFullUpdate"]:
        stock.clear()
    stock.update(levels)
    state.df.inventory_updates += 1
    return []
