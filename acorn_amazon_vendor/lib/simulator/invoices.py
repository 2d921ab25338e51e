"""Vendor Invoices v1: submitInvoices and the rules an invoice or credit note must pass."""
from decimal import Decimal

from ..amazon_dates import parse_date_time
from .errors import rule_error
from .orders import check_net_cost, decimal_or_none
from .purchase_orders import to_eaches
from .submissions import submit_documents

MODULE = "vendor_invoices_v1"
TOLERANCE = Decimal("0.01")


def submit_invoices(state, request):
    return submit_documents(state, request, MODULE, "SubmitInvoicesRequest", "invoices",
                            "invoice")


def _sum(entries, key):
    return sum((decimal_or_none(e[key].get("amount")) or Decimal(0) for e in entries or []),
               Decimal(0))


def _level_total(invoice, list_key, amount_key):
    """Invoice-level details when sent, else the sum of the item-level ones."""
    if invoice.get(list_key):
        return _sum(invoice[list_key], amount_key)
    return sum((_sum(item.get(list_key), amount_key) for item in invoice.get("items") or []),
               Decimal(0))


def invoice_rules(state, body, when):
    errors, seen, effects = [], set(), []
    for index, invoice in enumerate(body["invoices"]):
        number = invoice["id"]
        where = f"invoices[{index}] ({number})"
        if number in state.invoices or number in seen:
            errors.append(rule_error("DuplicateInvoiceNumber", f"{where}: invoice number "
                                     f"{number} was already submitted.",
                                     "Every invoice and credit note needs its own number."))
        seen.add(number)
        is_invoice = invoice["invoiceType"] == "Invoice"
        items = invoice.get("items") or []
        if is_invoice and not items:
            errors.append(rule_error("MissingItems", f"{where}: an invoice must list the "
                                     "invoiced purchase order items."))
        currency = invoice["invoiceTotal"].get("currencyCode")
        invoice_date = parse_date_time(invoice["date"])
        lines = Decimal(0)
        for i, line in enumerate(items):
            l_where = f"{where} items[{i}]"
            quantity = line["invoicedQuantity"]
            po_number = line.get("purchaseOrderNumber")
            item = None
            if not po_number:
                if is_invoice:
                    errors.append(rule_error("MissingPurchaseOrderNumber", f"{l_where}: "
                                             "purchaseOrderNumber is mandatory on invoices."))
            elif po_number not in state.orders:
                errors.append(rule_error("InvalidPurchaseOrderNumber", f"{l_where}: purchase "
                                         f"order {po_number} does not exist."))
            else:
                po = state.orders[po_number]
                asin, sku = line.get("amazonProductIdentifier"), line.get("vendorProductIdentifier")
                item = po.item(None, asin, sku) if asin or sku else None
                if item is None:
                    errors.append(rule_error("InvalidItem", f"{l_where}: no item "
                                             f"{asin or sku or '(no identifier)'} on purchase "
                                             f"order {po_number}."))
                else:
                    check_net_cost(errors, l_where, line["netCost"], item)
                    if invoice_date and invoice_date < po.created:
                        errors.append(rule_error("InvalidInvoiceDate", f"{where}: the invoice "
                                                 "date is before the purchase order date of "
                                                 f"{po_number}."))
                    effects.append((item, to_eaches(quantity, item.unit_size)))
            if quantity["amount"] <= 0:
                errors.append(rule_error("InvalidQuantity", f"{l_where}: invoicedQuantity must "
                                         "be greater than zero."))
            cost = decimal_or_none(line["netCost"].get("amount"))
            if line["netCost"].get("currencyCode", currency) != currency:
                errors.append(rule_error("CurrencyMismatch", f"{l_where}: netCost currency "
                                         f"differs from the invoice total's {currency}."))
            if cost is not None:
                lines += cost * to_eaches(quantity, item.unit_size if item else 1)
        if items:
            expected = (lines + _level_total(invoice, "taxDetails", "taxAmount")
                        + _level_total(invoice, "chargeDetails", "chargeAmount")
                        - _level_total(invoice, "allowanceDetails", "allowanceAmount"))
            total = decimal_or_none(invoice["invoiceTotal"].get("amount"))
            if total is None or abs(total - expected) > TOLERANCE:
                given = invoice["invoiceTotal"].get("amount")
                errors.append(rule_error(
                    "InvoiceTotalMismatch", f"{where}: invoiceTotal {given} does not add up: "
                    f"items {lines} + taxes + charges - allowances = {expected}.",
                    "invoiceTotal is the sum of the items' net cost x quantity plus taxes and "
                    "charges, less allowances."))
    if errors:
        return errors
    for invoice in body["invoices"]:
        state.invoices[invoice["id"]] = {"date": when, "type": invoice["invoiceType"]}
    for item, eaches in effects:
        item.invoiced += eaches
    return []
