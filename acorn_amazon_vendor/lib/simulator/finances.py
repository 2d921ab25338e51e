"""Finance Remittance API 2026-03-17 and Finances Invoices API 2026-06-25: what Amazon paid,
and Amazon's view of each invoice, from the payment runs of ``payments.py``.

Shapes, limits and errors follow Amazon's models (financeRemittance-2026-03-17.json,
financesInvoices_2026-06-25.json): replies without a ``payload`` envelope, ``nextToken`` /
``nextTokenForLineItems`` in the body, 90-day date ranges, remittances no older than a year,
100 invoice headers and 600 invoice lines per page (remittance pages: 100 headers, 100 lines,
the simulator's choice; ``finance_page_sizes`` changes them), ``marketplaceId`` required.
"""
import datetime
import hashlib
from decimal import Decimal

from .catalogue import FULFILMENT_CENTRES
from .errors import ApiError
from .params import Query, make_token, read_token
from .payments import (
    amazon_party,
    amount_json,
    asn_ids,
    claim_left,
    due_date,
    money,
    payee_code,
    remittance_header_json,
    remittance_item_json,
    settle,
    terms_text,
    vendor_party,
)
from .reports import MARKETPLACE_CURRENCIES

MAX_RANGE = datetime.timedelta(days=90)
REMITTANCE_DEFAULT_RANGE = datetime.timedelta(days=30)
REMITTANCE_HISTORY = datetime.timedelta(days=365)
# Amazon's marketplaces per region: a North American marketplace sees the USD business, a
# European one the EUR business (the simulator's two regions).
NORTH_AMERICA = ("USD", "CAD", "MXN")
REMITTANCES_QUERY = {"marketplaceId": ("str",), "startDate": ("date-time",),
                     "endDate": ("date-time",), "nextToken": ("str",)}
REMITTANCE_QUERY = {"marketplaceId": ("str",), "nextTokenForLineItems": ("str",)}
INVOICES_QUERY = {"marketplaceId": ("str",), "fromIssueDate": ("date-time",),
                  "toIssueDate": ("date-time",), "invoicesModifiedAfter": ("date-time",),
                  "nextToken": ("str",)}
INVOICE_QUERY = {"marketplaceId": ("str",), "nextTokenForLineItems": ("str",)}


def _invalid(details, message="Invalid input provided."):
    # The Finance Remittance model's 400 example: InvalidInput, "Invalid input provided."
    return ApiError(400, "InvalidInput", message, details)


def _iso(when):
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _query(request, spec, message="Invalid input provided."):
    """Parse the query; marketplaceId is required and must be a marketplace Amazon knows.
    Returns (query, region currency)."""
    raw = (request.params.get("marketplaceId") or [""])[0]
    if not raw.strip():
        raise _invalid("The marketplaceId field is required.", message)
    query = Query(request.params, spec)
    currency = MARKETPLACE_CURRENCIES.get(query.get("marketplaceId"))
    if currency is None:
        raise _invalid(f"marketplaceId {query.get('marketplaceId')} is not a marketplace "
                       "this selling partner sells to.", message)
    return query, "USD" if currency in NORTH_AMERICA else "EUR"


def _page_size(state, key):
    return int(state.settings["finance_page_sizes"][key])


def _bound(query, token_key, *extra):
    digest = hashlib.sha256("|".join((query.fingerprint(exclude=(token_key,)),) + extra)
                            .encode()).hexdigest()
    return digest[:16]


def _page(query, token_key, records, size, *extra):
    fingerprint = _bound(query, token_key, *extra)
    offset = read_token(query.get(token_key), fingerprint) if token_key in query else 0
    token = make_token(offset + size, fingerprint) if offset + size < len(records) else None
    return records[offset:offset + size], token


# -- Finance Remittance API ------------------------------------------------------------------
def get_remittance_headers(state, request):
    query, region = _query(request, REMITTANCES_QUERY)
    now = state.clock.now()
    end = query.get("endDate") or now
    start = query.get("startDate") or min(end, now) - REMITTANCE_DEFAULT_RANGE
    if start > end:
        raise _invalid("startDate must be before endDate.")
    if end - start > MAX_RANGE:
        raise _invalid("The maximum date range between startDate and endDate is 90 days.")
    # "The minimum start date is one year ago from the current date."
    if start.date() < (now - REMITTANCE_HISTORY).date():
        raise _invalid("The minimum start date is one year ago from the current date.")
    with state.lock:
        settle(state, now)
        found = [r for r in state.payments.remittance_list
                 if r["currency"] == region and start <= r["date"] <= end]
        found.sort(key=lambda r: (r["date"], r["uniquePaymentId"]), reverse=True)
        page, token = _page(query, "nextToken", found, _page_size(state, "remittances"))
        body = {"remittances": [remittance_header_json(r) for r in page],
                "numOfRecords": len(found)}
    if token:
        body["nextToken"] = token
    return 200, body


def get_remittance(state, request):
    unique_id = request.path_args[0]
    query, region = _query(request, REMITTANCE_QUERY)
    with state.lock:
        settle(state, state.clock.now())
        remittance = state.payments.remittances.get(unique_id)
        if remittance is None or remittance["currency"] != region:
            raise ApiError(404, "NotFound", "The requested resource does not exist.",
                           "No remittance found for the specified identifier.")
        entries, token = _page(query, "nextTokenForLineItems", remittance["entries"],
                               _page_size(state, "remittance_items"), unique_id)
        body = {"remittanceHeader": remittance_header_json(remittance),
                "remittanceItems": [remittance_item_json(e) for e in entries]}
    if token:
        body["nextTokenForLineItems"] = token
    return 200, body


# -- Finances Invoices API -------------------------------------------------------------------
INVOICE_MESSAGE = "Request parameters are not valid."


def get_invoice_headers(state, request):
    query, region = _query(request, INVOICES_QUERY, INVOICE_MESSAGE)
    now = state.clock.now()
    start, end = query.get("fromIssueDate"), query.get("toIssueDate")
    if (start is None) != (end is None):
        raise _invalid("Provide both fromIssueDate and toIssueDate, or neither.",
                       INVOICE_MESSAGE)
    if start is None:
        start, end = now - MAX_RANGE, now
    if start > end:
        raise _invalid("fromIssueDate must be before toIssueDate.", INVOICE_MESSAGE)
    if end - start > MAX_RANGE:
        raise _invalid("The range between fromIssueDate and toIssueDate must not exceed 90 "
                       "days.", INVOICE_MESSAGE)
    modified = query.get("invoicesModifiedAfter")
    with state.lock:
        settle(state, now)
        found = [doc for doc in finance_documents(state)
                 if doc.currency == region and start <= doc.issued <= end
                 and (modified is None or doc.updated > modified)]
        found.sort(key=lambda d: (d.issued, d.number), reverse=True)
        page, token = _page(query, "nextToken", found, _page_size(state, "invoices"))
        body = {"invoices": [doc.header() for doc in page], "numOfRecords": len(page)}
    if token:
        body["nextToken"] = token
    return 200, body


def get_invoice(state, request):
    identifier = request.path_args[0]
    query, region = _query(request, INVOICE_QUERY, INVOICE_MESSAGE)
    with state.lock:
        settle(state, state.clock.now())
        doc = next((d for d in finance_documents(state)
                    if d.identifier == identifier and d.currency == region), None)
        if doc is None:
            raise ApiError(404, "NotFound", "The requested resource does not exist.",
                           f"No invoice {identifier} for this selling partner.")
        items, token = _page(query, "nextTokenForLineItems", doc.items(),
                             _page_size(state, "invoice_items"), identifier)
        body = {"invoiceHeader": doc.header(), "invoiceItems": items}
    if token:
        body["nextTokenForLineItems"] = token
    return 200, body


def finance_documents(state):
    """Every invoice Amazon knows: the vendor's accepted invoices and credit notes (AP) and
    Amazon's own invoices to the vendor (AR: shortage claims, chargebacks, co-op)."""
    docs = [VendorDocument(state, record) for record in state.invoices.values()
            if "terms" in record]
    docs += [ClaimDocument(state, claim) for claim in state.payments.claims.values()]
    return docs


def _breakdown(kind, currency, amount, parts=()):
    return {"breakdownType": kind, "breakdownAmount": amount_json(currency, amount),
            "breakdowns": list(parts)}


def _related(pairs):
    return [{"relatedIdentifierName": name, "relatedIdentifierValue": list(values)}
            for name, values in pairs if values]


def _paid(entry):
    return entry is not None and entry["payment"] is not None


class VendorDocument:
    """A vendor invoice or credit note (AP_INVENTORY), identified InvoiceNumber~PayeeCode."""

    def __init__(self, state, record):
        self.state, self.record = state, record
        self.number = record["number"]
        self.currency = record["currency"]
        self.issued = record["issued"]
        self.updated = record["updated"]
        self.payee = payee_code(record["vendor_code"])
        self.identifier = f"{self.number}~{self.payee}"
        self.sign = 1 if record["type"] == "Invoice" else -1

    def _claim(self):
        settled = self.record.get("settled") or {}
        return self.state.payments.claims.get(settled.get("claim") or "")

    def status_and_settlement(self):
        record, currency = self.record, self.currency
        settled = record.get("settled")
        total = self.sign * record["total"]
        if settled and settled.get("rejected"):
            return "REJECTED", []
        if not settled or not _paid(settled["entry"]):
            return "IN_PROGRESS", [_breakdown("QueuedForPayment", currency, total)]
        if self.sign < 0:
            return "PAID", [_breakdown("AmountPaid", currency, total)]
        claim = self._claim()
        shortage = claim["amount"] if claim else Decimal(0)
        reversed_paid = sum((r["total"] for r in (claim or {}).get("reversals", [])
                             if _paid(r)), Decimal(0))
        reversed_due = sum((r["total"] for r in (claim or {}).get("reversals", [])
                            if not _paid(r)), Decimal(0))
        # AmountPaid + QueuedForPayment = invoice amount + the (negative) reductions.
        parts = [_breakdown("AmountPaid", currency, settled["cash"] - shortage + reversed_paid)]
        if reversed_due:
            parts.append(_breakdown("QueuedForPayment", currency, reversed_due))
        if settled["discount"]:
            parts.append(_breakdown("QuickPayDiscount", currency, -settled["discount"]))
        variance = shortage - reversed_paid - reversed_due
        if shortage:
            parts.append(_breakdown("QuantityVarianceAmount", currency, -variance))
        if settled["ppv"]:
            parts.append(_breakdown("PriceVariance", currency, -settled["ppv"]))
        status = "PAID" if not variance and not settled["ppv"] else "PARTIALLY_PAID"
        return status, parts

    def related(self):
        record = self.record
        pos = sorted({line["po"] for line in record["lines"] if line["po"]})
        orders = [self.state.orders[n] for n in pos if n in self.state.orders]
        claim = self._claim()
        payments = [e["payment"] for e in [(record.get("settled") or {}).get("entry")]
                    + ((claim or {}).get("reversals") or []) + [(claim or {}).get("entry")]
                    if e and e["payment"]]
        return _related([
            ("PURCHASE_ORDER_IDS", pos),
            ("ASN_IDS", asn_ids(self.state, record["lines"])),
            ("SHORTAGE_INVOICE_IDS", [claim["number"]] if claim else []),
            ("UNIQUE_PAYMENT_IDS", sorted(set(payments))),
            ("VENDOR_CODE", [record["vendor_code"]]),
            ("PAYEE_CODE", [self.payee]),
            ("WAREHOUSE_ID", sorted({po.ship_to for po in orders})),
        ])

    def header(self):
        record, currency = self.record, self.currency
        status, settlement = self.status_and_settlement()
        total, tax = self.sign * record["total"], self.sign * record["tax"]
        return {
            "invoiceNumber": self.number,
            "invoiceIdentifier": self.identifier,
            "invoiceStatus": status,
            "invoiceType": "AP_INVENTORY",
            "payer": amazon_party(currency),
            "payee": vendor_party(record["vendor_code"]),
            "issueDate": _iso(record["issued"]),
            "dueDate": _iso(due_date(record)),
            "paymentTerms": terms_text(record, "invoice"),
            "invoiceAmount": amount_json(currency, total),
            "invoiceAmountBreakdowns": [_breakdown("Total", currency, total, [
                _breakdown("InvoiceAmountWithoutTax", currency, total - tax),
                _breakdown("TaxAmount", currency, tax)])],
            "invoiceSettlementBreakdowns": settlement,
            "relatedIdentifiers": self.related(),
            "creationDate": _iso(record["received"]),
            "lastUpdatedDate": _iso(record["updated"]),
        }

    def items(self):
        record, currency, sign = self.record, self.currency, self.sign
        lines_net = sum((line["cost"] * line["quantity"] for line in record["lines"]),
                        Decimal(0))
        ratio = record["tax"] / lines_net if lines_net else Decimal(0)
        settled = record.get("settled") or {}
        matching = settled.get("matching") or []
        country = None
        items = []
        for index, line in enumerate(record["lines"]):
            po = self.state.orders.get(line["po"])
            if po is not None and country is None:
                country = FULFILMENT_CENTRES.get(po.ship_to, {}).get("countryCode")
            net = line["cost"] * line["quantity"]
            tax = money(net * ratio)
            identifiers = [{"itemIdentifierName": name, "itemIdentifierValue": value}
                           for name, value in (("ASIN", line["asin"]), ("SKU", line["sku"]))
                           if value]
            context = {"lineItemType": "GOODS", "itemIdentifiers": identifiers}
            if index < len(matching) and sign > 0:
                context["matchingContext"] = _matching(currency, line, matching[index])
            item = {
                "lineItemId": str(index + 1),
                "unitCost": amount_json(currency, line["cost"]),
                "quantity": sign * line["quantity"],
                "totalAmount": amount_json(currency, sign * (net + tax)),
                "totalAmountBreakdown": [
                    _breakdown("ItemCostWithoutTax", currency, sign * net),
                    _breakdown("ItemTaxAmount", currency, sign * tax)],
                "lineItemContext": context,
                "relatedItemIdentifiers": _related([
                    ("PURCHASE_ORDER_IDS", [line["po"]] if line["po"] else []),
                    ("ASN_IDS", asn_ids(self.state, [line]))]),
            }
            if len(record["tax_rates"]) == 1 and record["tax"] and country:
                item["taxRateCodes"] = [f"{country} {record['tax_rates'][0]}"]
            items.append(item)
        return items


def _matching(currency, line, match):
    matched, short, unit_ppv = match["matched"], match["short"], match["unit_ppv"]
    context = {
        "matchedQuantity": matched,
        "matchedAmount": amount_json(currency, money(matched * line["cost"])),
        "paidQuantity": matched,
        "paidAmount": amount_json(currency, money(matched * (line["cost"] - unit_ppv))),
        "quantityVariance": short,
    }
    reasons = []
    if short:
        reasons.append({"varianceType": "PQV", "defectTypes": ["SHORTAGES_IN_TRANSIT"]})
    if unit_ppv:
        context["priceVariance"] = amount_json(currency, money(matched * unit_ppv))
        reasons.append({"varianceType": "PPV",
                        "defectTypes": ["AMAZON_POC_LOWERING_COST_ON_PO"]})
    if reasons:
        context["varianceReasons"] = reasons
    return context


class ClaimDocument:
    """Amazon's own invoice to the vendor (OTHER): a shortage claim, a chargeback, co-op."""

    def __init__(self, state, claim):
        self.state, self.claim = state, claim
        self.number = self.identifier = claim["number"]
        self.currency = claim["currency"]
        self.issued = claim["issued"]
        self.updated = claim["updated"]

    def header(self):
        claim, currency = self.claim, self.currency
        amount = claim["amount"]
        if not _paid(claim["entry"]):
            status, settlement = "IN_PROGRESS", [_breakdown("QueuedForPayment", currency,
                                                            amount)]
        else:
            reversed_paid = sum((r["total"] for r in claim["reversals"] if _paid(r)),
                                Decimal(0))
            settlement = [_breakdown("AmountPaid", currency, amount - reversed_paid)]
            if reversed_paid:
                settlement.append(_breakdown("Other", currency, -reversed_paid))
            status = "PARTIALLY_DEDUCTED" if reversed_paid else "DEDUCTED"
        payments = sorted({e["payment"] for e in [claim["entry"]] + claim["reversals"]
                           if e["payment"]})
        header = {
            "invoiceNumber": claim["number"],
            "invoiceIdentifier": claim["number"],
            "invoiceStatus": status,
            "invoiceType": "OTHER",
            "payer": vendor_party(claim["vendor"]),
            "payee": amazon_party(currency),
            "issueDate": _iso(claim["issued"]),
            "invoiceAmount": amount_json(currency, amount),
            "invoiceAmountBreakdowns": [_breakdown("Total", currency, amount, [
                _breakdown("InvoiceAmountWithoutTax", currency, amount - claim["tax"]),
                _breakdown("TaxAmount", currency, claim["tax"])])],
            "invoiceSettlementBreakdowns": settlement,
            "relatedIdentifiers": _related([
                ("PURCHASE_ORDER_IDS", claim["pos"]), ("ASN_IDS", claim["asns"]),
                ("AGREEMENT_IDS", [claim["agreement"]] if claim["agreement"] else []),
                ("UNIQUE_PAYMENT_IDS", payments), ("VENDOR_CODE", [claim["vendor"]]),
                ("PAYEE_CODE", [payee_code(claim["vendor"])])]),
            "creationDate": _iso(claim["issued"]),
            "lastUpdatedDate": _iso(claim["updated"]),
        }
        if claim.get("period"):
            start, end = claim["period"]
            header["billingPeriod"] = {"startDate": _iso(start), "endDate": _iso(end)}
        return header

    def items(self):
        claim, currency = self.claim, self.currency
        net_total = claim["amount"] - claim["tax"]
        items = []
        for index, entry in enumerate(claim["items"]):
            line = entry.get("line")
            net = entry["cost"] * entry["quantity"]
            tax = money(net * claim["tax"] / net_total) if net_total else Decimal(0)
            context = {"lineItemType": entry["type"]}
            if line:
                context["itemIdentifiers"] = [
                    {"itemIdentifierName": name, "itemIdentifierValue": value}
                    for name, value in (("ASIN", line["asin"]), ("SKU", line["sku"])) if value]
            if entry.get("description"):
                context["itemDescription"] = entry["description"]
            if entry.get("charge"):
                context["serviceChargeType"] = entry["charge"]
            if claim.get("period"):
                start, end = claim["period"]
                context["serviceChargePeriod"] = {"startDate": _iso(start), "endDate": _iso(end)}
            item = {
                "lineItemId": str(index + 1),
                "unitCost": amount_json(currency, entry["cost"]),
                "quantity": entry["quantity"],
                "totalAmount": amount_json(currency, net + tax),
                "totalAmountBreakdown": [_breakdown("ItemCostWithoutTax", currency, net),
                                         _breakdown("ItemTaxAmount", currency, tax)],
                "lineItemContext": context,
            }
            if line:
                item["relatedItemIdentifiers"] = _related([
                    ("PURCHASE_ORDER_IDS", [line["po"]]),
                    ("ASN_IDS", asn_ids(self.state, [line]))])
            items.append(item)
        return items


def describe(state):
    """The control API's view of the payments (GET /_simulator/payments)."""
    with state.lock:
        settle(state, state.clock.now())
        book = state.payments
        return {
            "lastRun": _iso(book.last_run) if book.last_run else None,
            "remittances": [dict(remittance_header_json(r),
                                 remittanceItems=[remittance_item_json(e)
                                                  for e in r["entries"]])
                            for r in book.remittance_list],
            "deductions": [{"invoiceNumber": c["number"], "kind": c["kind"],
                            "vendorCode": c["vendor"], "currency": c["currency"],
                            "amount": str(c["amount"]), "left": str(claim_left(c)),
                            "issued": _iso(c["issued"]), "description": c["description"],
                            "deducted": c["entry"]["payment"],
                            "reversals": [{"invoiceNumber": r["number"],
                                           "amount": str(r["total"]),
                                           "paidIn": r["payment"]} for r in c["reversals"]]}
                           for c in book.claims.values()],
            "waiting": [remittance_item_json(e) for e in book.entries if e["payment"] is None],
        }
