"""Vendor Direct Fulfillment Payments v1: submitInvoice (answers ``{"payload":
{"transactionId"}}``; the outcome is read with the DF Transactions API).

Rules at settle time: a unique invoiceNumber per vendor; remitToParty is the vendor code of the
orders billed; items name shipped DF orders, quantities no more than shipped and not yet
invoiced, netCost equal to the order's netPrice, one currency; the invoiceTotal must equal the
items (netCost x quantity) plus charges plus the taxes listed in taxTotals, to the cent. An
item's GIFTWRAP charge needs an item the customer had gift-wrapped; when items carry charges,
the invoice's chargeDetails are their totals per type (our reading of "Total charge amount
details for all line items": counted once).
"""
from decimal import Decimal, InvalidOperation

from .errors import rule_error
from .submissions import submit_documents

MODULE = "vendor_direct_fulfillment_payments_v1"


def _dec(money):
    try:
        return Decimal(str((money or {}).get("amount")))
    except InvalidOperation:
        return None


def submit_invoice(state, request):
    return submit_documents(state, request, MODULE, "SubmitInvoiceRequest", "invoices",
                            "df_invoice")


def invoice_rules(state, body, when):
    errors, effects = [], []
    book = state.df
    numbers = set()
    for index, inv in enumerate(body["invoices"]):
        where = f"invoices[{index}] ({inv['invoiceNumber']})"
        key = (inv["remitToParty"].get("partyId"), inv["invoiceNumber"])
        if key in book.invoices or key in numbers:
            errors.append(rule_error("DuplicateInvoiceNumber", f"{where}: invoice number "
                                     "already used."))
        numbers.add(key)
        currency = inv["invoiceTotal"].get("currencyCode")
        total = Decimal(0)
        item_charges = {}
        for i, line in enumerate(inv["items"]):
            lwhere = f"{where} items[{i}]"
            order = book.orders.get(line["purchaseOrderNumber"])
            if order is None:
                errors.append(rule_error("InvalidPurchaseOrderNumber", f"{lwhere}: order "
                                         f"{line['purchaseOrderNumber']} does not exist."))
                continue
            if order.vendor_code != inv["remitToParty"].get("partyId"):
                errors.append(rule_error("InvalidRemitToParty", f"{lwhere}: remitToParty is "
                                         f"not the order's vendor code {order.vendor_code}."))
            if order.warehouse != inv["shipFromParty"].get("partyId"):
                errors.append(rule_error("InvalidShipFromParty", f"{lwhere}: shipFromParty is "
                                         f"not the order's warehouse {order.warehouse}."))
            item = order.item(line["itemSequenceNumber"], line.get("buyerProductIdentifier"),
                              line.get("vendorProductIdentifier"))
            if item is None:
                errors.append(rule_error("InvalidItem", f"{lwhere}: no such item."))
                continue
            qty = line["invoicedQuantity"].get("amount") or 0
            if order.status != "SHIPPED":
                errors.append(rule_error("OrderNotShipped", f"{lwhere}: the order is not "
                                         "shipped; invoice shipped goods only."))
            elif qty <= 0 or item.invoiced + qty > item.shipped:
                errors.append(rule_error("InvoicedQuantityExceedsShipped", f"{lwhere}: "
                                         f"{qty} invoiced, {item.shipped - item.invoiced} "
                                         "shipped and not yet invoiced."))
            cost = _dec(line["netCost"])
            if cost is None or cost != Decimal(item.net_price) \
                    or line["netCost"].get("currencyCode") != item.currency:
                errors.append(rule_error("NetCostMismatch", f"{lwhere}: netCost differs from "
                                         f"the order's netPrice {item.currency} "
                                         f"{item.net_price}."))
            if line["netCost"].get("currencyCode") != currency:
                errors.append(rule_error("CurrencyMismatch", f"{lwhere}: one currency per "
                                         "invoice."))
            total += (cost or 0) * qty
            effects.append((item, qty))
            for charge in line.get("chargeDetails") or []:
                if charge.get("type") == "GIFTWRAP" and not order.gift_wrapped(item):
                    errors.append(rule_error("GiftWrapNotOrdered", f"{lwhere}: a GIFTWRAP "
                                             "charge for an item the customer did not have "
                                             "gift-wrapped."))
                item_charges[charge.get("type")] = item_charges.get(charge.get("type"), 0) \
                    + (_dec(charge["chargeAmount"]) or 0)
        invoice_charges = {}
        for charge in inv.get("chargeDetails") or []:
            total += _dec(charge["chargeAmount"]) or 0
            invoice_charges[charge.get("type")] = invoice_charges.get(charge.get("type"), 0) \
                + (_dec(charge["chargeAmount"]) or 0)
        # the invoice's charges are the totals of its items' (counted once in invoiceTotal)
        if item_charges and item_charges != invoice_charges:
            errors.append(rule_error("ChargeTotalMismatch", f"{where}: chargeDetails "
                                     f"{invoice_charges} are not the totals of the items' "
                                     f"charges {item_charges}."))
        for tax in inv.get("taxTotals") or []:
            total += _dec(tax["taxAmount"]) or 0
        stated = _dec(inv["invoiceTotal"])
        if stated is None or stated.quantize(Decimal("0.01")) != total.quantize(Decimal("0.01")):
            errors.append(rule_error("InvoiceTotalMismatch", f"{where}: invoiceTotal "
                                     f"{inv['invoiceTotal'].get('amount')} is not the sum of "
                                     f"items, charges and taxes ({total:.2f})."))
    if errors:
        return errors
    for item, qty in effects:
        item.invoiced += qty
    for key in numbers:
        book.invoices[key] = when
    return []
