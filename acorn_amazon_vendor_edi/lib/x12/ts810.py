"""810 Invoice (X12 004010, group IN) <-> one ``Invoice`` of submitInvoices (vendor invoices
v1), invoices and credit notes.

Sources: Amazon's "AMZ Procurement 810 Mapping Guide 1.1" (X12 4010, 2013) table of contents
and Stedi's Amazon "X12 810 Retail Invoice" (Release 4010): heading ST, BIG, CUR (mandatory),
N1 loops (bill-to, remit-to, ship-from), ITD terms (mandatory); detail IT1 loop with TXI and
SAC loop; summary TDS (mandatory), TXI, SAC loop, CTT (mandatory). Element-level codes follow
X12 004010 where the public copies could not be read in full (unconfirmed: the SAC02 codes
other than D240 freight / C310 discount, REF*VN for referenceNumber, REF*OI, TXI codes):

  BIG  CCYYMMDD (date) * id * * purchase order (when every item has the same one) * * *
       DI (Invoice) / CR (CreditNote)
  CUR  SE * currency                     the one currency of every amount
  REF  PO * purchase order (when every item has the same one), VN * referenceNumber
  N1   BT billToParty, RI remitToParty, SF shipFromParty, ST shipToParty
  ITD  01 Basic / 02 EndOfMonth / 03 FixedDate / 09 Proximo / ZZ + ITD12 (other types) *
       3 (invoice date) * discountPercent * * discountDueDays * * netDueDays
  DTM  003 invoice date with its time (when not midnight)
  IT1  itemSequenceNumber * qty * EA/CA * netCost * * BP * ASIN * VN * SKU * PO * po number
  PO4  unitSize;  REF OI referenceInvoiceNumber (credit notes)
  TXI  VA (VAT) / GS (GST) / ST (sales tax) / SP (PST) * taxAmount * taxRate * * * * *
       taxableAmount
  SAC  C (charge) / A (allowance) * code * * * amount in cents * ... * SAC13 API type *
       * SAC15 description, followed by its TXI
  TDS  invoiceTotal in cents (so at most 2 decimals);  CTT number of IT1 lines

Not carried: additionalDetails, hsnCode, netCostUnitOfMeasure, creditNoteDetails other than
referenceInvoiceNumber, party ``district``, taxes other than VAT/GST/ST/PST. invoiceTotal is
read back with 2 decimals; charges and allowances (SAC05) too.
"""
from ..envelope import EdiError
from . import common as c
from .interchange import require

TYPES = {"Invoice": "DI", "CreditNote": "CR"}
TYPES_BACK = {v: k for k, v in TYPES.items()}
PARTIES = (("billToParty", "BT"), ("remitToParty", "RI"), ("shipFromParty", "SF"),
           ("shipToParty", "ST"))
TERMS = {"Basic": "01", "EndOfMonth": "02", "FixedDate": "03", "Proximo": "09"}
TERMS_BACK = {v: k for k, v in TERMS.items()}
TAXES = {"VAT": "VA", "GST": "GS", "ST": "ST", "PST": "SP"}
TAXES_BACK = {v: k for k, v in TAXES.items()}
SAC_CODES = {("C", "Freight"): "D240", ("A", "Discount"): "C310"}


def _money(money, field, currency, tag, element):
    if not isinstance(money, dict):
        raise c.fail(f"{field} is missing", tag, element)
    if money.get("currencyCode") != currency:
        raise c.fail(f"{field} is in {money.get('currencyCode')!r}, the invoice in "
                     f"{currency}: an 810 has one currency (CUR)", tag, element)
    return c.amount(money.get("amount"), f"{field}.amount", tag, element)


def _taxes(taxes, field, currency):
    out = []
    for index, tax in enumerate(taxes or []):
        where = f"{field}[{index}]"
        kind = tax.get("taxType")
        if kind not in TAXES:
            raise c.fail(f"{where}.taxType {kind!r}: the 810 carries {', '.join(TAXES)}",
                         "TXI", 1)
        out.append(("TXI", [TAXES[kind], _money(tax.get("taxAmount"), f"{where}.taxAmount",
                                                 currency, "TXI", 2),
                            c.amount(tax["taxRate"], f"{where}.taxRate", "TXI", 3)
                            if tax.get("taxRate") is not None else None,
                            None, None, None, None,
                            _money(tax["taxableAmount"], f"{where}.taxableAmount", currency,
                                   "TXI", 8) if tax.get("taxableAmount") else None]))
    return out


def _sacs(entries, indicator, key, field, currency):
    out = []
    for index, entry in enumerate(entries or []):
        where = f"{field}[{index}]"
        kind = entry.get("type")
        if not kind:
            raise c.fail(f"{where}.type is missing", "SAC", 13)
        money = _money(entry.get(key), f"{where}.{key}", currency, "SAC", 5)
        out.append(("SAC", [indicator, SAC_CODES.get((indicator, kind), "ZZZZ"), None, None,
                            c.cents(money, f"{where}.{key}", "SAC"), None, None, None, None,
                            None, None, None, kind, None, entry.get("description")]))
        out += _taxes(entry.get("taxDetails"), f"{where}.taxDetails", currency)
    return out


def write_body(invoice):
    ident = invoice.get("id")
    if not ident:
        raise c.fail("id is missing", "BIG", 2)
    kind = invoice.get("invoiceType")
    if kind not in TYPES:
        raise c.fail(f"invoiceType {kind!r} is not Invoice or CreditNote", "BIG", 7)
    date, time = c.date_time(invoice.get("date"), "date", "BIG")
    total = invoice.get("invoiceTotal") or {}
    currency = total.get("currencyCode")
    if not currency:
        raise c.fail("invoiceTotal.currencyCode is missing", "CUR", 2)
    items = invoice.get("items") or []
    orders = {i.get("purchaseOrderNumber") for i in items}
    single = orders.pop() if len(orders) == 1 else None
    # BIG04 is the invoice's purchase order (X12): written when every item has the same one
    body = [("BIG", [date, ident, None, single, None, None, TYPES[kind]]),
            ("CUR", ["SE", currency])]
    if single:
        body.append(("REF", ["PO", single]))
    if invoice.get("referenceNumber"):
        body.append(("REF", ["VN", invoice["referenceNumber"]]))
    for key, code in PARTIES:
        if invoice.get(key):
            body += c.party_out(code, invoice[key], key, "postalOrZipCode",
                                "taxRegistrationDetails")
    terms = invoice.get("paymentTerms")
    if terms:
        term_type = terms.get("type")
        code = TERMS.get(term_type, "ZZ" if term_type else None)
        body.append(("ITD", [code, "3" if code else None,
                             c.amount(terms["discountPercent"], "paymentTerms.discountPercent",
                                      "ITD", 3) if terms.get("discountPercent") is not None
                             else None, None,
                             c.integer(terms["discountDueDays"], "paymentTerms.discountDueDays",
                                       "ITD") if terms.get("discountDueDays") is not None
                             else None, None,
                             c.integer(terms["netDueDays"], "paymentTerms.netDueDays", "ITD")
                             if terms.get("netDueDays") is not None else None,
                             None, None, None, None,
                             term_type if code == "ZZ" else None]))
    if time:
        body.append(c.dtm("003", invoice["date"], "date"))
    for index, item in enumerate(items):
        field = f"items[{index}]"
        if item.get("itemSequenceNumber") in (None, ""):
            raise c.fail(f"{field}.itemSequenceNumber is missing", "IT1", 1)
        qty, unit, size = c.quantity_out(item.get("invoicedQuantity"),
                                         f"{field}.invoicedQuantity", "IT1")
        ids = []
        for qualifier, key in (("BP", "amazonProductIdentifier"),
                               ("VN", "vendorProductIdentifier"), ("PO", "purchaseOrderNumber")):
            if item.get(key):
                ids += [qualifier, item[key]]
        body.append(("IT1", [c.integer(item["itemSequenceNumber"], f"{field}.itemSequenceNumber",
                                       "IT1"), qty, unit,
                             _money(item.get("netCost"), f"{field}.netCost", currency, "IT1", 4),
                             c.price_basis(item.get("netCost")), *ids]))
        body += c.compact([c.po4(size)])
        reference = (item.get("creditNoteDetails") or {}).get("referenceInvoiceNumber")
        if reference:
            body.append(("REF", ["OI", reference]))
        body += _taxes(item.get("taxDetails"), f"{field}.taxDetails", currency)
        body += _sacs(item.get("chargeDetails"), "C", "chargeAmount", f"{field}.chargeDetails",
                      currency)
        body += _sacs(item.get("allowanceDetails"), "A", "allowanceAmount",
                      f"{field}.allowanceDetails", currency)
    body.append(("TDS", [c.cents(_money(total, "invoiceTotal", currency, "TDS", 1),
                                 "invoiceTotal")]))
    body += _taxes(invoice.get("taxDetails"), "taxDetails", currency)
    body += _sacs(invoice.get("chargeDetails"), "C", "chargeAmount", "chargeDetails", currency)
    body += _sacs(invoice.get("allowanceDetails"), "A", "allowanceAmount", "allowanceDetails",
                  currency)
    body.append(("CTT", [len(items)]))
    return body


def _read_taxes(body, currency):
    taxes = []
    for txi in body.take_all("TXI"):
        kind = TAXES_BACK[require(txi, 1, "TXI01 tax type", set(TAXES_BACK))]
        tax = {"taxType": kind,
               "taxAmount": {"amount": c.read_amount(txi, 2, "TXI02 tax amount"),
                             "currencyCode": currency}}
        if txi[3]:
            tax["taxRate"] = c.read_amount(txi, 3, "TXI03 percent")
        if txi[8]:
            tax["taxableAmount"] = {"amount": c.read_amount(txi, 8, "TXI08 taxable amount"),
                                    "currencyCode": currency}
        taxes.append(tax)
    return taxes


def _read_sacs(body, currency, target):
    while (sac := body.take("SAC", required=False)) is not None:
        indicator = require(sac, 1, "SAC01 allowance or charge", {"A", "C"})
        kind = require(sac, 13, "SAC13 charge/allowance type")
        key = "chargeAmount" if indicator == "C" else "allowanceAmount"
        entry = {"type": kind, key: {"amount": c.from_cents(sac, 5, "SAC05 amount"),
                                     "currencyCode": currency}}
        if sac[15]:
            entry["description"] = sac[15]
        taxes = _read_taxes(body, currency)
        if taxes:
            entry["taxDetails"] = taxes
        target.setdefault("chargeDetails" if indicator == "C" else "allowanceDetails",
                          []).append(entry)


def read_body(body):
    big = body.take("BIG")
    invoice = {"invoiceType": TYPES_BACK[require(big, 7, "BIG07 transaction type",
                                                 set(TYPES_BACK))],
               "id": require(big, 2, "BIG02 invoice number"),
               "date": c.iso_from(big, 1)}
    cur = body.take("CUR")
    currency = require(cur, 2, "CUR02 currency")
    single = big[4] or None
    for ref in body.take_all("REF"):
        if ref[1] == "PO":
            single = require(ref, 2, "REF02 purchase order")
        elif ref[1] == "VN":
            invoice["referenceNumber"] = require(ref, 2, "REF02 reference number")
        else:
            raise EdiError(f"REF01 {ref[1]!r} is not PO or VN", "REF", ref.position, 1,
                           code="7")
    parties = c.parties_in(body, "postalOrZipCode", "taxRegistrationDetails")
    for key, code in PARTIES:
        if code in parties:
            invoice[key] = parties.pop(code)
    if parties:
        raise EdiError(f"party N1*{next(iter(parties))} is not one an 810 carries", "N1",
                       code="7")
    itd = body.take("ITD", required=False)
    if itd is not None:
        terms = {}
        if itd[1]:
            terms["type"] = itd[12] if itd[1] == "ZZ" else TERMS_BACK.get(
                require(itd, 1, "ITD01 terms type", set(TERMS_BACK) | {"ZZ"}))
        if itd[3]:
            terms["discountPercent"] = c.read_amount(itd, 3, "ITD03 discount percent")
        if itd[5]:
            terms["discountDueDays"] = c.read_integer(itd, 5, "ITD05 discount days")
        if itd[7]:
            terms["netDueDays"] = c.read_integer(itd, 7, "ITD07 net days")
        invoice["paymentTerms"] = terms
    dates = c.dtm_map(body.take_all("DTM"))
    if "003" in dates:
        if dates["003"][:10] != invoice["date"][:10]:
            raise EdiError("DTM*003 is not the BIG01 invoice date", "DTM", code="8")
        invoice["date"] = dates["003"]
    items = []
    while (it1 := body.take("IT1", required=False)) is not None:
        po4 = body.take("PO4", required=False)
        item = {"itemSequenceNumber": c.read_integer(it1, 1, "IT101 line number")}
        index = 6
        while index < len(it1.elements):
            qualifier, value = it1[index], it1[index + 1]
            key = {"BP": "amazonProductIdentifier", "VN": "vendorProductIdentifier",
                   "PO": "purchaseOrderNumber"}.get(qualifier)
            if qualifier or value:
                if not key or not value:
                    raise EdiError(f"IT1 product qualifier {qualifier!r} is not BP, VN or PO "
                                   "with a value", "IT1", it1.position, index, code="7")
                item[key] = value
            index += 2
        if single and "purchaseOrderNumber" not in item:
            item["purchaseOrderNumber"] = single
        item["invoicedQuantity"] = c.quantity_in(it1, 2, 3, po4)
        item["netCost"] = {"amount": c.read_amount(it1, 4, "IT104 unit price"),
                           "currencyCode": currency}
        for ref in body.take_all("REF"):
            if ref[1] != "OI":
                raise EdiError(f"REF01 {ref[1]!r} on a line is not OI", "REF", ref.position, 1,
                               code="7")
            item["creditNoteDetails"] = {"referenceInvoiceNumber": ref[2]}
        taxes = _read_taxes(body, currency)
        if taxes:
            item["taxDetails"] = taxes
        _read_sacs(body, currency, item)
        items.append(item)
    if items:
        invoice["items"] = items
    tds = body.take("TDS")
    invoice["invoiceTotal"] = {"amount": c.from_cents(tds, 1, "TDS01 total"),
                               "currencyCode": currency}
    taxes = _read_taxes(body, currency)
    if taxes:
        invoice["taxDetails"] = taxes
    _read_sacs(body, currency, invoice)
    ctt = body.take("CTT")
    if c.read_integer(ctt, 1, "CTT01 number of line items") != len(items):
        raise EdiError(f"CTT01 says {ctt[1]} line items, the invoice has {len(items)}", "CTT",
                       ctt.position, 1, code="6")
    body.end()
    return invoice
