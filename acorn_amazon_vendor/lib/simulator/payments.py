"""Amazon's accounts payable: weekly payment runs, quick-pay discounts and deductions.

What the simulated Amazon does with what was really shipped, received and invoiced, read by
the Finance Remittance and Finances Invoices endpoints (``finances.py``). Everything is
generated lazily: ``settle(state, now)`` plays the payment runs the simulated clock has passed
since the last read, like reports and transactions settle on tick.

Amazon's practice, and where the simulator takes it from (third-party vendor guides; Amazon
publishes no rule book for payments):

- Payment terms run from the invoice date, or from when Amazon received the invoice when that
  is later ("Amazon calculates the payment due date from the date the invoice received and not
  based on the printed invoice date", tpsynergy.com/amazon-vendor-central-invoicing-process).
  Amazon pays in weekly runs (``payment_run_weekday``, midnight UTC; the Finance Remittance
  model's own examples are dated on a Wednesday): a net-terms invoice in the first run on or
  after its due date, a quick-pay invoice (``discountPercent`` / ``discountDueDays``) in the
  last run before its discount date, with the discount taken (TermsDiscountTaken).
- Shortages (PQV): Amazon matches invoiced quantities against what the fulfilment centre
  received. What is not matched becomes a shortage claim, its own invoice numbered after the
  original with "SC" ("Your Invoice Number with the letters 'SC' after it: this is a shortage
  claim on this invoice", wiki.amazowl.com/sop/vendor-central/read-reconcile-remittance; also
  tpsynergy.com/post/amazon-payments-reconciliation: "50001SC"), raised with the payment of
  the invoice ("roughly five days before the due date", supplierwiki.supplypike.com/articles/
  shortage-claims-at-amazon). The invoice itself is paid in full and the claim is a negative
  line ("the entire invoice amount is listed under Invoice/Payment, while the shortage claim
  is represented as a negative value", amalytix.com/en/glossary/shortage-claims). A claim
  Amazon reverses (a dispute won, ``POST /_simulator/deductions/<n>/reverse``) comes back as
  a positive line numbered with "SCR" ("a shortage claim reversal on this invoice and is a
  credit to you", amazowl); other reversals carry the deduction's number with "R" (amazowl:
  "PROVISION FOR RECEIVABLESR"). A vendor credit note that names a claimed invoice makes
  Amazon reverse the claim up to the credit (amazowl, "cancel shortage": the credit memo is
  tracked against the SCR).
- Price claims (PPV): Amazon pays the invoice at its own cost on file when that is lower than
  the invoiced cost (help.supplypike.com/en/articles/6840859-price-claim; "price
  discrepancies happen when Amazon pays less than the invoiced price", ChannelEngine): the
  invoice line is short-paid. The simulator's invoices must carry the PO cost, so a price
  claim happens when Amazon lowers its cost after confirmation (defect type
  AMAZON_POC_LOWERING_COST_ON_PO, ``POST /_simulator/purchase-orders/<n>/cost``).
- Co-op and damage allowance: percentages of net receipts, invoiced by Amazon at the start of
  each month for the previous month's receipts ("deducted as a % of receipts. The deductions
  are made at the start of each month for the previous month's stock received",
  minsterfb.com/2022/amazon-finance-terms; "Typically, Amazon issues co-op invoices each
  month for all the net receipts ... in the previous month", CommerceIQ; damage allowance
  "typically 1% to 2% of net receipts", reasonautomation.com/content/damage-allowance-amazon).
  Agreement invoices are numbered XXXX-XXXXXXXX ("pertains to an Agreement Invoice", amazowl).
- Chargebacks: an ASN submitted more than 30 minutes after the shipment left ("Vendors must
  submit the ASN within 30 minutes of the shipment leaving the vendor facility ... an On-time
  non-compliance (OTNC) chargeback", supplierwiki.supplypike.com/articles/
  how-to-prevent-amazon-asn-chargebacks) or after the PO's window closed costs
  ``late_asn_chargeback`` per ASN, as a debit note numbered with "VCBSINV" ("A Number with the
  letters 'VCBSINV' appended to it: this is a Chargeback debit note", amazowl).
- Remittances: one per vendor code and invoice currency per run. When Amazon's debits exceed
  what it owes, nothing is paid and the lines wait for the next run (a debit balance).

Sign conventions of the remittance lines the simulator writes: the vendor's invoices positive,
Amazon's debits (claims, chargebacks, co-op, the vendor's credit notes) negative, reversals
positive; AmountPaid is the line's cash (netAmountPaid equals it) and TermsDiscountTaken the
discount as a positive amount (as Vendor Central's remittance page shows them). The lines'
cash adds up to paymentAmountInInvoiceCurrency; paymentAmount = that x exchangeRate.
"""
import datetime
import hashlib
from decimal import ROUND_HALF_UP, Decimal

from ..amazon_dates import parse_date_time
from .catalogue import REGIONS, SELLING_PARTIES

CENT = Decimal("0.01")
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)
DEFAULT_NET_DUE_DAYS = 60  # when an invoice states no terms (the vendor agreement's)
ASN_GRACE = datetime.timedelta(minutes=30)
# "Amazon reviews every Shortage Claim within 35 days of its creation. If a booking error is
# found, an automatic reversal of the claim occurs" (amalytix.com/en/knowledge/logistics/
# shortage-claims): units booked in after the claim reverse it, within that time.
SHORTAGE_REVIEW = datetime.timedelta(days=35)
# Vendor codes are paid through payee codes (a vendor group's bank account).
PAYEE_CODES = {"ACRN1": "ACRNP", "ACRN2": "ACRNP", "ACRNE": "ACRNQ"}
VENDOR_GROUP = "AMZN1.VG.ACORN"
INVOICE_DESCRIPTION = "Payment for goods received"  # Amazon's own example of a paid invoice
PAYMENT_METHOD = "EFT"
DEFAULT_SETTINGS = {
    "shortage_rate": 0.0,  # share of cartons the FC receives short (deterministic per seed)
    "coop_percent": 0.0,  # co-op (marketing allowance): % of net receipts, monthly
    "damage_allowance_percent": 0.0,  # damage allowance: % of net receipts, monthly
    "late_asn_chargeback": 0.0,  # amount per ASN submitted late (in the POs' currency)
    "payment_run_weekday": 2,  # Monday 0 ... Sunday 6: Amazon's weekly payment run
    # {"EUR": {"currency": "USD", "exchange_rate": "1.0842"}}: pay these invoice currencies in
    # another currency (paymentAmount = paymentAmountInInvoiceCurrency x exchangeRate).
    "payment_currencies": {},
    # Page sizes: Amazon's 100 invoice headers and 600 invoice lines; remittances choose 100.
    "finance_page_sizes": {"remittances": 100, "remittance_items": 100, "invoices": 100,
                           "invoice_items": 600},
}
KIND_TYPES = {"shortage": "Shortage Claim", "chargeback": "Chargeback", "coop": "Co-op",
              "damage_allowance": "Co-op"}


def money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def payee_code(vendor_code):
    return PAYEE_CODES.get(vendor_code, vendor_code)


def first_run_at_or_after(when, weekday):
    day = when.replace(hour=0, minute=0, second=0, microsecond=0)
    if day < when:
        day += DAY
    return day + DAY * ((weekday - day.weekday()) % 7)


def last_run_at_or_before(when, weekday):
    day = when.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - DAY * ((day.weekday() - weekday) % 7)


class PaymentBook:
    """Amazon's side of the money: its own invoices (claims), the lines waiting for a run,
    the remittances made."""

    def __init__(self, started, salt):
        self.started = started
        self.salt = salt  # makes payment ids differ between simulator runs, as Amazon's do
        self.last_run = None
        self.claims = {}  # number -> claim (Amazon's AR invoices: SC, chargebacks, co-op)
        self.entries = []  # remittance lines, paid or waiting
        self.remittances = {}  # uniquePaymentId -> remittance
        self.remittance_list = []
        self.months_done = set()  # (kind, "YYYY-MM")
        self.serial = 0
        self.asns_by_item = {}  # (po number, item seq) -> ASN ids that shipped it

    def next_serial(self):
        self.serial += 1
        return self.serial


# -- what is recorded when documents are processed -------------------------------------------
def _decimal(value, default="0"):
    try:
        return Decimal(str(value if value is not None else default))
    except ArithmeticError:
        return Decimal(default)


MAX_TERM_DAYS = 3650  # longer terms (or NaN, infinity) are read as no terms at all


def _days(value):
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not 0 <= value <= MAX_TERM_DAYS:  # NaN fails both comparisons
        return None
    return int(value)


def invoice_terms(invoice):
    """The invoice's paymentTerms: (net due days, discount percent, discount due days);
    without usable net days, the vendor agreement's DEFAULT_NET_DUE_DAYS."""
    terms = invoice.get("paymentTerms") or {}
    net = _days(terms.get("netDueDays"))
    net = DEFAULT_NET_DUE_DAYS if net is None else net
    percent = _decimal(terms.get("discountPercent"))
    days = _days(terms.get("discountDueDays")) or 0
    if not percent.is_finite() or percent <= 0 or percent >= 100 or not days:
        percent, days = Decimal(0), 0
    return net, percent, days


def terms_text(record, style="remittance"):
    """"Net 60" / "2% 10, Net 60" (remittance lines) or "NET60" / "2% 10, NET 60" (Amazon's
    invoices), as Amazon's examples write them."""
    net, percent, days = record["terms"]
    if percent:
        return f"{percent.normalize():f}% {days}, {'Net' if style == 'remittance' else 'NET'} " \
               f"{net}"
    return f"Net {net}" if style == "remittance" else f"NET{net}"


def record_invoice(state, invoice, lines, when):
    """Keep what payments need of an accepted invoice or credit note. ``lines``: [(po number,
    item, eaches, net cost)] as the rules read them."""
    total = _decimal(invoice["invoiceTotal"].get("amount"))
    taxes = invoice.get("taxDetails") or [t for item in invoice.get("items") or []
                                           for t in item.get("taxDetails") or []]
    tax = sum((_decimal((t.get("taxAmount") or {}).get("amount")) for t in taxes), Decimal(0))
    rates = sorted({str(t.get("taxRate")) for t in taxes if t.get("taxRate") is not None})
    issued = parse_date_time(invoice.get("date")) or when
    references = {(item.get("creditNoteDetails") or {}).get("referenceInvoiceNumber")
                  for item in invoice.get("items") or []} - {None}
    record = {
        "number": invoice["id"], "type": invoice["invoiceType"], "date": when,
        "received": when, "issued": issued, "updated": when,
        "currency": invoice["invoiceTotal"].get("currencyCode"), "total": total, "tax": tax,
        "tax_rates": rates, "vendor_code": invoice["remitToParty"].get("partyId"),
        "terms": invoice_terms(invoice), "reference": min(references) if references else None,
        "lines": [{"po": po_number, "seq": item.seq if item else None,
                   "asin": item.asin if item else None,
                   "sku": item.vendor_sku if item else None, "quantity": eaches,
                   "cost": cost} for po_number, item, eaches, cost in lines],
        "settled": None,  # what the payment run made of it
    }
    state.invoices[invoice["id"]] = record
    return record


def shortfall(state, ident, sc, shipped):
    """Eaches per (po, seq) the FC books in short of this ASN: with ``shortage_rate``, a
    deterministic (seeded) share of its cartons arrives a few units short. ``shipped``:
    itemSequenceNumber -> (po, seq, eaches) of the confirmation's shippedItems."""
    rate = float(state.settings.get("shortage_rate") or 0)
    if rate <= 0 or sc.get("shipmentConfirmationType") != "Original":
        return {}
    containers = [(c.get("cartonSequenceNumber") or str(i), c.get("items") or [])
                  for i, c in enumerate(sc.get("cartons") or [])]
    containers += [(f"P{i}", p.get("items") or []) for i, p in enumerate(sc.get("pallets") or [])]
    if not containers:
        containers = [(ref, [{"itemReference": ref, "eaches": entry[2]}])
                      for ref, entry in shipped.items()]
    short = {}
    for name, lines in containers:
        draw = hashlib.sha256(f"{state.seed}|shortage|{ident}|{name}".encode()).digest()
        if int.from_bytes(draw[:4]) / 2 ** 32 >= rate:
            continue
        for n, line in enumerate(lines):
            entry = shipped.get(line.get("itemReference"))
            if not entry:
                continue
            po_number, seq, total_eaches = entry
            eaches = line.get("eaches")
            if eaches is None:
                eaches = _line_eaches(line, state, po_number, seq)
            if eaches <= 0:
                continue
            # Between one unit and a quarter of the carton's units go missing.
            missing = 1 + draw[4 + n % 20] % max(1, eaches // 4)
            key = (po_number, seq)
            short[key] = min(total_eaches, short.get(key, 0) + min(missing, eaches))
    return short


def _line_eaches(line, state, po_number, seq):
    quantity = line.get("shippedQuantity") or {}
    amount = int(quantity.get("amount") or 0)
    if quantity.get("unitOfMeasure") == "Cases":
        item = state.orders[po_number].item(seq)
        return amount * int(quantity.get("unitSize") or item.unit_size)
    return amount


def late_asn_reason(state, sc, pos, submitted):
    """Why this ASN is late, or None: more than 30 minutes after the shipment left, or after
    the window of one of its POs closed."""
    shipped_at = parse_date_time(sc.get("shippedDate"))
    if shipped_at and submitted - shipped_at > ASN_GRACE:
        minutes = int((submitted - shipped_at).total_seconds() // 60)
        return f"submitted {minutes} minutes after the shipment left (30 allowed)"
    for number, po in sorted(pos.items()):
        window = po.ship_window if po.freight_terms == "Collect" else po.delivery_window
        end = parse_date_time((window or "").partition("--")[2])
        if end and submitted > end:
            return f"submitted after purchase order {number}'s window closed"
    return None


def record_asn(state, ident, sc, when, submitted, lines, short, pos):
    """Keep an accepted ASN for the payments (ASN ids, receipts) and issue its late-ASN
    chargeback when ``late_asn_chargeback`` is set."""
    record = state.asns.setdefault(ident, {})
    record.update({"submitted": submitted, "short": short, "pos": sorted(pos),
                   "shipTo": sc["shipToParty"].get("partyId")})
    for key in lines:
        state.payments.asns_by_item.setdefault(key, set()).add(ident)
    amount = _decimal(state.settings.get("late_asn_chargeback"))
    if amount <= 0 or not pos or sc.get("shipmentConfirmationType") != "Original":
        return  # a Replace corrects an ASN: timeliness is the original's
    reason = late_asn_reason(state, sc, pos, submitted)
    if not reason:
        return
    book = state.payments
    po = pos[min(pos)]
    number = f"{100000000 + book.next_serial():09d}VCBSINV"
    _add_claim(state, {
        "number": number, "kind": "chargeback", "vendor": sc["sellingParty"].get("partyId"),
        "currency": po.currency, "amount": money(amount), "tax": Decimal(0), "issued": when,
        "description": f"Chargeback: ASN on-time non-compliance, shipment {ident} ({reason})",
        "reference": None, "pos": sorted(pos), "asns": [ident], "agreement": None,
        "items": [{"description": "ASN on-time non-compliance", "quantity": 1,
                   "cost": money(amount), "type": "SERVICES", "charge": "OTHER"}]})


def _add_claim(state, claim):
    book = state.payments
    claim.update(reversals=[], updated=claim["issued"], entry=None)
    book.claims[claim["number"]] = claim
    claim["entry"] = _entry(book, claim["vendor"], claim["currency"], claim["number"],
                            claim["issued"], -claim["amount"], -claim["tax"],
                            claim["description"], KIND_TYPES[claim["kind"]], claim["issued"],
                            claim=claim["number"])
    return claim


def _entry(book, vendor, currency, number, issued, total, tax, description, invoice_type,
           due, paid=None, discount=Decimal(0), terms="", **source):
    entry = {"vendor": vendor, "currency": currency, "number": number, "issued": issued,
             "total": total, "tax": tax, "paid": total if paid is None else paid,
             "discount": discount, "description": description, "invoice_type": invoice_type,
             "terms": terms, "due": due, "payment": None, **source}
    book.entries.append(entry)
    return entry


# -- reversals -------------------------------------------------------------------------------
def reverse_claim(state, number, amount, when, reason="Dispute won"):
    """Amazon gives back ``amount`` (all that is left by default) of deduction ``number``: a
    positive line in the next run. Returns the reversal entry; ValueError when nothing is
    left to reverse, LookupError when there is no such deduction."""
    settle(state, when)
    claim = state.payments.claims.get(number)
    if claim is None:
        raise LookupError(number)
    left = claim_left(claim)
    amount = left if amount is None else money(amount)
    if amount <= 0 or amount > left:
        raise ValueError(f"deduction {number} has {left} {claim['currency']} left to reverse; "
                         f"{amount} cannot be reversed")
    return reverse_claim_now(state, claim, amount, when, reason)


def claim_left(claim):
    """What Amazon still holds of a deduction (its amount less the reversals)."""
    return claim["amount"] - sum((r["total"] for r in claim["reversals"]), Decimal(0))


def reverse_claim_now(state, claim, amount, when, reason):
    suffix = "R" if not claim["reversals"] else f"R{len(claim['reversals']) + 1}"
    tax = money(claim["tax"] * amount / claim["amount"]) if claim["amount"] else Decimal(0)
    entry = _entry(state.payments, claim["vendor"], claim["currency"], claim["number"] + suffix,
                   when, amount, tax, f"{KIND_TYPES[claim['kind']]} reversal {claim['number']}: "
                   f"{reason}", f"{KIND_TYPES[claim['kind']]} Reversal", when,
                   reversal_of=claim["number"])
    claim["reversals"].append(entry)
    claim["updated"] = when
    _touch_invoice(state, claim.get("reference"), when)
    return entry


def _touch_invoice(state, number, when):
    record = state.invoices.get(number) if number else None
    if record:
        record["updated"] = max(record["updated"], when)


# -- payment runs ----------------------------------------------------------------------------
def settle(state, now):
    """Play every payment run between the last one played and ``now``."""
    book = state.payments
    weekday = int(state.settings["payment_run_weekday"])
    if book.last_run is None:
        book.last_run = last_run_at_or_before(book.started, weekday)
    run = first_run_at_or_after(book.last_run + datetime.timedelta(seconds=1), weekday)
    while run <= now:
        _run(state, run, weekday)
        book.last_run = run
        run = first_run_at_or_after(run + datetime.timedelta(seconds=1), weekday)


def pay_run(record, weekday):
    """(run that pays ``record``, quick-pay discount taken) for a vendor invoice."""
    start = max(record["issued"], record["received"])
    net, percent, days = record["terms"]
    if percent:
        run = last_run_at_or_before(start + DAY * days, weekday)
        if run >= record["received"]:
            return run, True
    # Terms count in days: the run on the due date pays it, whatever the hour it fell due.
    due_day = (start + DAY * net).replace(hour=0, minute=0, second=0, microsecond=0)
    return first_run_at_or_after(due_day, weekday), False


def due_date(record):
    start = max(record["issued"], record["received"])
    net, percent, days = record["terms"]
    return start + DAY * (days if percent else net)


def _run(state, run, weekday):
    book = state.payments
    _review_shortages(state, run)
    for record in list(state.invoices.values()):
        if record.get("settled") is not None or "terms" not in record:
            continue
        try:
            if record["type"] == "Invoice":
                when, quick = pay_run(record, weekday)
                if when <= run:
                    _schedule_invoice(state, record, run, quick)
            elif record["received"] <= run:
                _schedule_credit_note(state, record, run)
        except (ArithmeticError, OverflowError, ValueError) as exc:
            # Amounts or dates no payment can hold (a total of 1E+99999 that added up):
            # Amazon's accounts payable rejects the invoice rather than pay it.
            record["settled"] = {"run": run, "rejected": f"{type(exc).__name__}: {exc}"}
            record["updated"] = run
    _monthly_allowances(state, run)
    groups = {}
    for entry in book.entries:
        if entry["payment"] is None and entry["due"] <= run:
            groups.setdefault((entry["vendor"], entry["currency"]), []).append(entry)
    for (vendor, currency), entries in sorted(groups.items()):
        total = sum((e["paid"] for e in entries), Decimal(0))
        if total <= 0:
            continue  # a debit balance: Amazon pays nothing, the lines wait for a later run
        _remit(state, run, vendor, currency, entries, total)


def _schedule_invoice(state, record, run, quick):
    """Match the invoice against the receipts, price it at Amazon's cost, raise its shortage
    claim, and queue its line for this run."""
    lines_net = sum((line["cost"] * line["quantity"] for line in record["lines"]), Decimal(0))
    ratio = record["tax"] / lines_net if lines_net else Decimal(0)
    short_net = ppv_net = Decimal(0)
    matching, short_lines = [], []
    for line in record["lines"]:
        po = state.orders.get(line["po"])
        item = po.item(line["seq"]) if po and line["seq"] else None
        quantity = line["quantity"]
        if item is None:
            matched, amazon_cost = 0, line["cost"]
        else:
            matched = max(0, min(quantity, item.received - item.matched))
            item.matched += matched
            amazon_cost = Decimal(str(item.amazon_cost)) if item.amazon_cost is not None \
                else Decimal(str(item.net_cost))
        short = quantity - matched
        unit_ppv = max(Decimal(0), line["cost"] - amazon_cost)
        short_net += short * line["cost"]
        ppv_net += matched * unit_ppv
        matching.append({"matched": matched, "short": short, "amazon_cost": amazon_cost,
                         "unit_ppv": unit_ppv})
        if short:
            short_lines.append((line, short))
    total = record["total"]
    ppv = money(ppv_net * (1 + ratio))
    claim = None
    if short_net:
        tax = money(short_net * ratio)
        claim = _add_claim(state, {
            "number": record["number"] + "SC", "kind": "shortage",
            "vendor": record["vendor_code"], "currency": record["currency"],
            "amount": money(short_net) + tax, "tax": tax, "issued": run,
            "description": f"Shortage claim on invoice {record['number']}: "
                           f"{sum(s for _, s in short_lines)} units not received",
            "reference": record["number"], "pos": sorted({line["po"] for line, _ in short_lines}),
            "asns": asn_ids(state, [line for line, _ in short_lines]), "agreement": None,
            "items": [{"line": line, "quantity": short, "cost": line["cost"],
                       "type": "GOODS", "charge": None} for line, short in short_lines]})
    shortage = claim["amount"] if claim else Decimal(0)
    percent = record["terms"][1] if quick else Decimal(0)
    discount = money((total - ppv - shortage) * percent / 100) if percent else Decimal(0)
    cash = money(total - ppv - discount)
    entry = _entry(state.payments, record["vendor_code"], record["currency"],
                   record["number"], record["issued"], total, record["tax"],
                   INVOICE_DESCRIPTION, "Standard", run, paid=cash, discount=discount,
                   terms=terms_text(record), invoice=record["number"])
    record["settled"] = {"run": run, "quick": quick, "discount": discount, "ppv": ppv,
                         "cash": cash, "claim": claim["number"] if claim else None,
                         "matching": matching, "entry": entry}
    record["updated"] = run


def _schedule_credit_note(state, record, run):
    """A vendor credit note is netted in the next run; one that names a claimed invoice makes
    Amazon reverse that claim up to the credit."""
    total = -record["total"]
    reference = record["reference"]
    entry = _entry(state.payments, record["vendor_code"], record["currency"], record["number"],
                   record["issued"], total, -record["tax"],
                   f"Credit memo for invoice {reference}" if reference else "Credit memo",
                   "Credit Memo", run, invoice=record["number"])
    record["settled"] = {"run": run, "entry": entry, "cash": total}
    record["updated"] = run
    invoice = state.invoices.get(record["reference"] or "")
    claim_number = ((invoice or {}).get("settled") or {}).get("claim")
    claim = state.payments.claims.get(claim_number or "")
    if claim:
        amount = min(claim_left(claim), record["total"])
        if amount > 0:
            reverse_claim_now(state, claim, amount, run,
                              f"credit memo {record['number']} accepted")


def _review_shortages(state, run):
    """Units the FC booked in after a shortage claim was raised reverse it (Amazon's own
    review, within SHORTAGE_REVIEW of the claim)."""
    for claim in list(state.payments.claims.values()):
        if claim["kind"] != "shortage" or run - claim["issued"] > SHORTAGE_REVIEW:
            continue
        recovered = Decimal(0)
        for entry in claim["items"]:
            line = entry["line"]
            po = state.orders.get(line["po"])
            item = po.item(line["seq"]) if po and line["seq"] else None
            left = entry["quantity"] - entry.get("recovered", 0)
            take = min(left, item.received - item.matched) if item else 0
            if take > 0:
                item.matched += take
                entry["recovered"] = entry.get("recovered", 0) + take
                recovered += take * entry["cost"]
        net = claim["amount"] - claim["tax"]
        if recovered and net:
            amount = min(claim_left(claim), money(recovered * claim["amount"] / net))
            if amount > 0:
                reverse_claim_now(state, claim, amount, run, "units received after the claim")


def asn_ids(state, lines):
    """The ASNs that shipped the PO items of ``lines``."""
    index = state.payments.asns_by_item
    return sorted({ident for line in lines for ident in index.get((line["po"], line["seq"]),
                                                                  ())})


def _monthly_allowances(state, run):
    """Co-op and damage allowance: on the first of each month, Amazon invoices the given
    percentages of the previous month's net receipts (per vendor code and currency)."""
    book = state.payments
    percents = {"coop": _decimal(state.settings.get("coop_percent")),
                "damage_allowance": _decimal(state.settings.get("damage_allowance_percent"))}
    month = book.started.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    while True:
        issue = (month + datetime.timedelta(days=32)).replace(day=1)
        if issue > run:
            break
        label = f"{month:%Y-%m}"
        if issue > book.started:
            for kind, percent in percents.items():
                if (kind, label) in book.months_done:
                    continue
                book.months_done.add((kind, label))
                if percent > 0:
                    _allowance_claims(state, kind, percent, month, issue)
        month = issue


def _allowance_claims(state, kind, percent, month, issue):
    receipts = {}
    for po in state.order_list:
        for item in po.items:
            cost = Decimal(str(item.amazon_cost if item.amazon_cost is not None
                               else item.net_cost))
            for when, eaches in item.receipts:
                if month <= when < issue:
                    key = (po.vendor_code, item.currency)
                    receipts[key] = receipts.get(key, Decimal(0)) + cost * eaches
    book = state.payments
    name = "marketing allowance" if kind == "coop" else "damage allowance"
    for (vendor, currency), value in sorted(receipts.items()):
        amount = money(value * percent / 100)
        if amount <= 0:
            continue
        agreement = agreement_number(vendor, kind)
        number = f"{agreement[-4:]}-{book.next_serial():08d}"
        _add_claim(state, {
            "number": number, "kind": kind, "vendor": vendor, "currency": currency,
            "amount": amount, "tax": Decimal(0), "issued": issue,
            "description": f"Co-op agreement {agreement}: {name} {percent.normalize():f}% of "
                           f"net receipts {month:%Y-%m} ({money(value)} {currency})",
            "reference": None, "pos": [], "asns": [], "agreement": agreement,
            "period": (month, issue - datetime.timedelta(seconds=1)),
            "items": [{"description": f"{name.capitalize()} {month:%Y-%m}", "quantity": 1,
                       "cost": amount, "type": "SERVICES",
                       "charge": "DAMAGE_ALLOWANCE" if kind == "damage_allowance" else "OTHER"}]})


def agreement_number(vendor, kind):
    digest = hashlib.sha256(f"{vendor}|{kind}".encode()).hexdigest()
    return str(10000000 + int(digest[:8], 16) % 90000000)


def _remit(state, run, vendor, currency, entries, total):
    book = state.payments
    serial = book.next_serial()
    unique_id = f"{book.salt}{serial:04d}"
    conversion = (state.settings.get("payment_currencies") or {}).get(currency) or {}
    rate = Decimal(str(conversion.get("exchange_rate", "1")))
    paid_currency = conversion.get("currency", currency)
    entries.sort(key=lambda e: (e["total"] < 0, e["issued"], e["number"]))
    remittance = {
        "uniquePaymentId": unique_id, "paymentNumber": f"{350000000 + serial}",
        "date": run, "vendor": vendor, "payee": payee_code(vendor), "currency": currency,
        "amount": total, "paid_currency": paid_currency, "rate": rate,
        "paid_amount": money(total * rate), "entries": entries,
        "country": REGIONS.get(currency, {}).get("bill_to", {}).get("address", {}).get(
            "countryCode", "US"),
    }
    for entry in entries:
        entry["payment"] = unique_id
        source = entry.get("invoice") or entry.get("claim") or entry.get("reversal_of")
        _touch_invoice(state, source, run)
        claim = book.claims.get(entry.get("claim") or entry.get("reversal_of") or "")
        if claim:
            claim["updated"] = max(claim["updated"], run)
            _touch_invoice(state, claim.get("reference"), run)
    book.remittances[unique_id] = remittance
    book.remittance_list.append(remittance)


# -- Amazon's JSON ---------------------------------------------------------------------------
def amount_json(currency, value):
    return {"currencyCode": currency, "currencyAmount": float(value)}


def remittance_header_json(remittance):
    related = [{"relatedIdentifierName": "VENDOR_CODE",
                "relatedIdentifierValue": [remittance["vendor"]]},
               {"relatedIdentifierName": "PAYEE_CODE",
                "relatedIdentifierValue": [remittance["payee"]]}]
    return {
        "paymentDate": remittance["date"].strftime("%Y-%m-%dT%H:%M:%SZ"),
        "paymentNumber": remittance["paymentNumber"],
        "uniquePaymentId": remittance["uniquePaymentId"],
        "exchangeRate": float(remittance["rate"]),
        "paymentAmount": amount_json(remittance["paid_currency"], remittance["paid_amount"]),
        "paymentAmountInInvoiceCurrency": amount_json(remittance["currency"],
                                                      remittance["amount"]),
        "paymentMethod": PAYMENT_METHOD,
        "remittanceStatus": remittance.get("status", "SUCCESSFUL"),
        "lineItemCount": len(remittance["entries"]),
        "relatedIdentifiers": related,
        "countryCode": remittance["country"],
    }


def remittance_item_json(entry):
    currency = entry["currency"]
    item = {
        "invoiceNumber": entry["number"],
        "invoiceIssueDate": entry["issued"].strftime("%Y-%m-%dT%H:%M:%SZ"),
        "withholdingAmount": amount_json(currency, 0),
        "totalAmount": amount_json(currency, entry["total"]),
        "totalAmountBreakdown": [
            {"breakdownType": "InvoiceAmount",
             "breakdownAmount": amount_json(currency, entry["total"] - entry["tax"])},
            {"breakdownType": "TaxAmount", "breakdownAmount": amount_json(currency, entry["tax"])},
        ],
        "netAmountPaid": amount_json(currency, entry["paid"]),
        "netAmountPaidBreakdown": [
            {"breakdownType": "AmountPaid", "breakdownAmount": amount_json(currency,
                                                                            entry["paid"])},
            {"breakdownType": "TermsDiscountTaken",
             "breakdownAmount": amount_json(currency, entry["discount"])},
        ],
        "description": entry["description"],
        "invoiceType": entry["invoice_type"],
        "relatedItemIdentifiers": [{"relatedIdentifierName": "VENDOR_CODE",
                                    "relatedIdentifierValue": [entry["vendor"]]}],
    }
    if entry["terms"]:
        item["paymentTerms"] = entry["terms"]
    return item


def vendor_party(vendor):
    name = SELLING_PARTIES.get(vendor, {}).get("name", vendor)
    codes = sorted({payee_code(v) for v in PAYEE_CODES} | {payee_code(vendor)})
    return {"partnerId": VENDOR_GROUP, "partnerType": "VENDOR", "partnerName": name,
            "partnerEntities": codes}


def amazon_party(currency):
    return {"partnerId": "AMAZON_EU" if currency == "EUR" else "AMAZON_US",
            "partnerType": "AMAZON", "partnerName": "Amazon", "partnerEntities": []}
