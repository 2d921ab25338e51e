"""What Amazon took back on a remittance, and until when it can be disputed.

Amazon nets its claims against the vendor off its payments: a remittance line with a negative
amount is a deduction (shortage claim, price claim, chargeback, co-op...), a later positive line
may give it back (a reversal). Nothing on the line says which kind it is except its invoice
number, its description and sometimes its invoice type, and those differ by region. This module
classifies lines by rules that are plain data (a list of dicts an accountant can edit in Odoo),
finds the original invoice a claim refers to, and computes dispute deadlines from a table that is
plain data too.

Sources (read 2026; third-party guides, Amazon does not publish these conventions in one place)
-----------------------------------------------------------------------------------------------
Invoice numbers and descriptions
* https://wiki.amazowl.com/sop/vendor-central/read-reconcile-remittance - on remittances: your
  invoice number + "SC" = shortage claim (deducted); + "SCR" = shortage claim reversal (credit);
  + "SCRSC" = revised shortage claim (deducted); a number + "VCBSINV" = chargeback debit note;
  "XXXX-XXXXXXXX" = agreement (co-op) invoice; "XXXXXX-PROVISION FOR RECEIVABLES" = provision and
  "...RECEIVABLESR" its reversal; "IPAPUS" + 7 digits = price protection debit note (US).
  NB the same wiki's shortage SOPs (.../cancel-shortage, .../submit-POD) call the claim itself
  "invoice + SCR": the sources disagree, so SCR is classified by its sign (credit = reversal,
  debit = shortage claim).
* https://www.amalytix.com/en/glossary/remittance-payments - suffixes "(SC) shortage claim",
  "(PC) price claim"; https://www.amalytix.com/glossar/credit-note-kreditnotiz - SC/PQV
  (Purchase Quantity Variance), PC/PPV (Purchase Price Variance), QPD (Quick Pay Discount);
  https://www.amalytix.com/en/glossary/shortage-claims - "INV123-SC" (with a hyphen);
  https://www.amalytix.com/en/glossary/provisions-for-receivables -
  "161017_PROVISION_FOR_RECEIVABLES", reversal "..._PROVISION_FOR_RECEIVABLESR".
* https://supplierwiki.supplypike.com/articles/shortage-claims-at-amazon - shortages are PQVs;
  https://supplierwiki.supplypike.com/articles/pitfalls-of-amazon-deductions - provisions for
  missing actuals, receivables and aged receivables.
* India (Vendor Central export seen in public code, GitHub code search "transactionDescOptions
  Quantity shortage"): transaction types "Financial Debit Note Invoice", "Invoice", "GST Debit
  Note", "GST Credit Note", "Provision deduction", "Provision reversal", "Others"; descriptions
  "Quantity shortage", "Quantity shortage reversal", "Price variance", "Price variance
  reversal", "COOP", "COOP - Service agreement", "Provision for aged receivable", "Provision for
  to be billed receivable", "Product returns", "Allowance - Discounts received", "Payments".
* Co-op covers marketing/promotion accruals, freight allowance and damage allowance
  (https://supplierwiki.supplypike.com/articles/what-is-amazon-co-op,
  https://reasonautomation.com/content/damage-allowance-amazon); Amazon's own "Submit credit
  notes" guide lists "COOP (for example, Price Protection, Damage Allowance)" next to PQV and PPV
  credits (https://developer-docs.amazon.com/sp-api/lang-en_EN/docs/submit-credit-notes).
  Chargebacks are "Ausgleichszahlungen" in German Vendor Central
  (https://www.amalytix.com/wissen/controlling/amazon-ausgleichszahlungen-chargebacks/).
* Not verified: suffixes outside the US and EU (Amalytix, a German agency, describes the same
  SC / PC suffixes for EU accounts; no Japanese or Indian deduction numbers were found), and the
  non-English description words below (translations, kept after the English ones).

Dispute windows
* Shortages: Amazon reviews a claim within ~35 days; disputes are best filed within 30 days of the
  invoice due date, 30-40 days "maturing", later rarely won
  (https://help.supplypike.com/en/articles/6809611-dispute-timeliness-for-amazon-shortages,
  https://supplierwiki.supplypike.com/articles/amazon-dispute-timeliness,
  https://www.amalytix.com/en/glossary/shortage-claims).
* Price claims: "Dispute deductions within 30 days of the invoice due date"
  (https://help.supplypike.com/en/articles/6840859-price-claim).
* Chargebacks: 30 days from the chargeback invoice date / notification, at most two disputes
  (https://help.supplypike.com/en/articles/8954661-amazon-compliance-chargebacks,
  https://wiki.amazowl.com/sop/vendor-central/dispute-chargeback-purchase-orders,
  https://www.amalytix.com/en/glossary/chargebacks: a second dispute within 30 days of the first
  refusal).
* Co-op (and the allowances and price protection billed as co-op agreements): "can be disputed
  at any time up to the 2-year limit" from the invoice date (https://help.supplypike.com/en/
  articles/12769964-amazon-co-ops-suggested-workflow-with-supplypike).
* Absolute cap: shortage and price disputes and re-disputes only for invoices younger than 24
  months, since 2025 (http://www.amazonsellers.attorney/blog/amazon-vendor-shortage-disputes-now-
  limited-to-2-years-amz-sellers-attorneyr, https://www.threecolts.com/blog/?p=9028).
* Provisions are not disputed: Amazon recalculates and reverses them (amalytix, ideoclick
  https://ideoclick.com/2020/03/09/understanding-provisions-for-receivables/).
* A guide claiming 60 days "from deduction date" for price and co-op
  (useclearchain.com/guides/...) contradicts the others and was not followed.
* Terms discounts and unknown deductions: no published window found; 30 days is a conservative
  default so that nothing is left without a reminder.
"""
import datetime
import functools
import re
import unicodedata

TYPES = ("shortage", "price_variance", "quantity_variance", "chargeback", "coop",
         "damage_allowance", "price_protection", "provision", "terms_discount", "reversal",
         "other")
SIGNS = ("", "negative", "positive")
RULE_KEYS = ("code", "name", "type", "priority", "invoice_regex", "description_regex",
             "invoice_type_regex", "sign", "regions", "active", "source")
PATTERN_KEYS = ("invoice_regex", "description_regex", "invoice_type_regex")

_AMAZOWL = "https://wiki.amazowl.com/sop/vendor-central/read-reconcile-remittance"
_AMALYTIX = "https://www.amalytix.com/en/glossary/remittance-payments"
_INDIA = "Vendor Central India export (public code)"
_SHORTAGE_WINDOW = ("https://help.supplypike.com/en/articles/"
                    "6809611-dispute-timeliness-for-amazon-shortages")
_PRICE_WINDOW = "https://help.supplypike.com/en/articles/6840859-price-claim"
_CHARGEBACK_WINDOW = "https://help.supplypike.com/en/articles/8954661-amazon-compliance-chargebacks"
_COOP_WINDOW = ("https://help.supplypike.com/en/articles/"
                "12769964-amazon-co-ops-suggested-workflow-with-supplypike")
_CREDIT_NOTES = "https://developer-docs.amazon.com/sp-api/lang-en_EN/docs/submit-credit-notes"
_SEP = r"[-_ ]?"

# Rules are tried by ascending ``priority`` (like Odoo's ``sequence``); the first that matches
# wins. A rule matches when every pattern it has matches (``re.search``, case-insensitive, on the
# text with accents removed and spaces collapsed) and the line's sign and region fit. A named
# group ``original`` in a pattern captures the original invoice number.
DEFAULT_RULES = [
    # Invoice-number suffixes built from the vendor's invoice number.
    {"code": "shortage_claim_revised", "name": "Revised shortage claim (invoice + SCRSC)",
     "type": "shortage", "priority": 10, "invoice_regex": rf"^(?P<original>.+?){_SEP}SCRSC$",
     "sign": "negative", "source": _AMAZOWL},
    {"code": "shortage_claim_reversal", "name": "Shortage claim reversal (invoice + SCR)",
     "type": "reversal", "priority": 20,
     "invoice_regex": rf"^(?P<original>.+?){_SEP}SCR\d*$",  # SCR2...: a later reversal
     "sign": "positive", "source": _AMAZOWL},
    {"code": "shortage_claim_scr", "name": "Shortage claim (invoice + SCR, debit)",
     "type": "shortage", "priority": 25, "invoice_regex": rf"^(?P<original>.+?){_SEP}SCR$",
     "sign": "negative",
     "source": "https://wiki.amazowl.com/sop/vendor-central/cancel-shortage"},
    {"code": "shortage_claim", "name": "Shortage claim (invoice + SC)", "type": "shortage",
     "priority": 30, "invoice_regex": rf"^(?P<original>.+?){_SEP}SC$", "sign": "negative",
     "source": _AMAZOWL},
    {"code": "price_claim_reversal", "name": "Price claim reversal (invoice + PCR)",
     "type": "reversal", "priority": 40, "invoice_regex": rf"^(?P<original>.+?){_SEP}PCR$",
     "sign": "positive", "source": _AMALYTIX},
    {"code": "price_claim", "name": "Price claim (invoice + PC)", "type": "price_variance",
     "priority": 50, "invoice_regex": rf"^(?P<original>.+?){_SEP}PC$", "sign": "negative",
     "source": _AMALYTIX},
    # Amazon's own document numbers.
    {"code": "provision_reversal", "name": "Provision for receivables, reversed",
     "type": "reversal", "priority": 60,
     "invoice_regex": r"PROVISION[ _-]*FOR[ _-]*(AGED[ _-]*)?RECEIVABLES?[ _-]*R$",
     "source": "https://www.amalytix.com/en/glossary/provisions-for-receivables"},
    {"code": "provision", "name": "Provision for receivables", "type": "provision",
     "priority": 65, "invoice_regex": r"PROVISION[ _-]*FOR[ _-]*(AGED[ _-]*)?RECEIVABLES?$",
     "source": "https://www.amalytix.com/en/glossary/provisions-for-receivables"},
    {"code": "chargeback_reversal", "name": "Chargeback given back (VCBSINV, credit)",
     "type": "reversal", "priority": 68, "invoice_regex": r"VCBSINV", "sign": "positive",
     "source": _AMAZOWL},
    {"code": "chargeback_debit_note", "name": "Chargeback debit note (VCBSINV)",
     "type": "chargeback", "priority": 70, "invoice_regex": r"VCBSINV", "source": _AMAZOWL},
    {"code": "price_protection_debit_note", "name": "Price protection debit note (IPAP...)",
     "type": "price_protection", "priority": 75, "invoice_regex": r"^IPAP[A-Z]{2}\d+$",
     "source": _AMAZOWL},
    # Invoice types and descriptions (India's transaction types and descriptions first).
    {"code": "provision_reversal_type", "name": "Provision reversal", "type": "reversal",
     "priority": 100, "invoice_type_regex": r"provision\s+reversal", "source": _INDIA},
    {"code": "provision_type", "name": "Provision deduction", "type": "provision",
     "priority": 105, "invoice_type_regex": r"provision", "source": _INDIA},
    {"code": "reversal_description", "name": "Reversal (description)", "type": "reversal",
     "priority": 110,
     "description_regex": r"\brevers|\bstorn|ruckbuchung|\bannulation\b|\breintegro\b",
     "source": _INDIA},
    {"code": "provision_description", "name": "Provision (description)", "type": "provision",
     "priority": 120, "description_regex": r"\bprovision\b|\bruckstellung\b",
     "source": _INDIA},
    {"code": "price_protection_description", "name": "Price protection (description)",
     "type": "price_protection", "priority": 130,
     "description_regex": r"price\s*protection|preisschutz|protection\s+(de|des|du)\s+prix"
                          r"|protezione\s+(del\s+)?prezzo|proteccion\s+de(l)?\s+precio",
     "source": _CREDIT_NOTES},
    {"code": "damage_allowance_description", "name": "Damage allowance (description)",
     "type": "damage_allowance", "priority": 140,
     "description_regex": r"damage[sd]?\s*allowance|defect(ive)?\s*allowance"
                          r"|schaden\w*pauschale|beschadigungs\w*|dommages|indennita\s+danni"
                          r"|bonificacion\s+por\s+(danos|defectos)",
     "source": "https://reasonautomation.com/content/damage-allowance-amazon"},
    {"code": "terms_discount_description", "name": "Terms / quick-pay discount (description)",
     "type": "terms_discount", "priority": 150,
     "description_regex": r"quick\s*pay|\bQPD\b|terms\s+discount|early\s+pay(ment)?\s+discount"
                          r"|\bskonto\b|\bescompte\b|sconto\s+(per\s+)?pagamento|pronto\s+pago",
     "source": "https://www.amalytix.com/glossar/credit-note-kreditnotiz"},
    {"code": "shortage_description", "name": "Shortage (description)", "type": "shortage",
     "priority": 160,
     "description_regex": r"shortage|short[\s-]*ship|fehlmenge|manquant|\bammanco\b"
                          r"|\bfaltante\b|不足",
     "source": _INDIA},
    {"code": "quantity_variance_description", "name": "Quantity variance (PQV)",
     "type": "quantity_variance", "priority": 170,
     "description_regex": r"\bPQV\b|quantity\s+variance|mengenabweichung"
                          r"|ecart\s+de\s+quantite|differenza\s+di\s+quantita"
                          r"|diferencia\s+de\s+cantidad",
     "source": "https://supplierwiki.supplypike.com/articles/shortage-claims-at-amazon"},
    {"code": "price_variance_description", "name": "Price variance / price claim (PPV)",
     "type": "price_variance", "priority": 180,
     "description_regex": r"\bPPV\b|price\s+(variance|claim|discrepancy)|preisabweichung"
                          r"|ecart\s+de\s+prix|differenza\s+di\s+prezzo"
                          r"|diferencia\s+de\s+precio",
     "source": "https://help.supplypike.com/en/articles/6840859-price-claim"},
    {"code": "chargeback_description", "name": "Operational chargeback (description)",
     "type": "chargeback", "priority": 190,
     "description_regex": r"charge\s*back|non[\s-]*complian|operational\s+performance|\bASN\b"
                          r"|\bon[\s-]*time\b|\bprep\b|\blabel|\bcarton|\boverage|\bno[\s-]*show"
                          r"|ausgleichszahlung|strafzahlung|penalit|penalizacion"
                          r"|non[\s-]*conformit|incumplimiento",
     "source": "https://help.supplypike.com/en/articles/8954661-amazon-compliance-chargebacks"},
    {"code": "agreement_invoice", "name": "Agreement (co-op) invoice number",
     "type": "coop", "priority": 200, "invoice_regex": r"^\d{3,}-\d{4,}$", "sign": "negative",
     "source": _AMAZOWL},
    {"code": "coop_description", "name": "Co-op / accrual / marketing (description)",
     "type": "coop", "priority": 210,
     "description_regex": r"co[\s-]*op|accrual|marketing|\bMDF\b|subscribe\s*(and|&)\s*save"
                          r"|vendor[\s-]*funded|freight\s+allowance|straight\s+payment"
                          r"|contra[\s-]*cogs|werbekostenzuschuss|\bWKZ\b|agreement"
                          r"|vereinbarung|cooperation\s+commerciale",
     "source": "https://supplierwiki.supplypike.com/articles/what-is-amazon-co-op"},
    {"code": "allowance_description", "name": "Other allowance (description)", "type": "coop",
     "priority": 220, "description_regex": r"\ballowance\b", "source": _INDIA},
    {"code": "returns_description", "name": "Returns (description)", "type": "other",
     "priority": 230, "description_regex": r"\breturns?\b|\bretoure|\bretour\b|\breso\b"
                                           r"|\bdevolucion",
     "source": _INDIA},
]

# Dispute windows per type: ``days`` counted from the first date available among ``from``
# (keys of the ``dates`` given to ``deadline``), never later than ``cap_days`` from the first of
# ``cap_from``. ``days`` None: not disputed (a reversal gives money back; provisions are
# recalculated by Amazon). Date keys: issue_date (Amazon's date on the deduction),
# due_date (the original invoice's due date), payment_date (the remittance that took it),
# invoice_date (the original invoice's date).
_CAP = {"cap_days": 730, "cap_from": ("invoice_date", "issue_date")}
DEFAULT_DEADLINES = {
    "shortage": {"days": 30, "from": ("due_date", "payment_date", "issue_date"), **_CAP,
                 "source": _SHORTAGE_WINDOW},
    "quantity_variance": {"days": 30, "from": ("due_date", "payment_date", "issue_date"),
                          **_CAP, "source": _SHORTAGE_WINDOW},
    "price_variance": {"days": 30, "from": ("due_date", "payment_date", "issue_date"), **_CAP,
                       "source": _PRICE_WINDOW},
    "chargeback": {"days": 30, "from": ("issue_date", "payment_date"), **_CAP,
                   "source": _CHARGEBACK_WINDOW},
    "coop": {"days": 730, "from": ("issue_date", "payment_date"), **_CAP,
             "source": _COOP_WINDOW},
    "damage_allowance": {"days": 730, "from": ("issue_date", "payment_date"), **_CAP,
                         "source": _COOP_WINDOW},
    "price_protection": {"days": 730, "from": ("issue_date", "payment_date"), **_CAP,
                         "source": _COOP_WINDOW},
    "terms_discount": {"days": 30, "from": ("payment_date", "issue_date"), **_CAP,
                       "source": "conservative default (no published window found)"},
    "other": {"days": 30, "from": ("issue_date", "payment_date"), **_CAP,
              "source": "conservative default (no published window found)"},
    "provision": {"days": None, "from": (), "source": "not disputed: reversed by Amazon"},
    "reversal": {"days": None, "from": (), "source": "a credit: nothing to dispute"},
}

# "original invoice 12345", "Rechnung: 12345", "facture n° 12345"... inside a description.
_ORIGINAL_IN_TEXT = re.compile(
    r"(?:original\s+invoice|invoice|rechnung|facture|fattura|factura)\s*(?:number|no|nr|n)?"
    r"\s*[.:#]?\s*(?P<original>(?=[A-Z0-9_/-]*\d)[A-Z0-9][A-Z0-9_/-]{2,})", re.IGNORECASE)


def _plain(text):
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(text.split())


@functools.lru_cache(maxsize=512)
def _compiled(pattern):
    return re.compile(pattern, re.IGNORECASE)


def check_rules(rules):
    """Problems of a rule table, in plain words (empty list: usable)."""
    problems = []
    codes = set()
    for index, rule in enumerate(rules, start=1):
        label = f"rule {rule.get('code') or index}"
        if not isinstance(rule, dict):
            problems.append(f"rule {index} is not a mapping")
            continue
        unknown = set(rule) - set(RULE_KEYS)
        if unknown:
            problems.append(f"{label}: unknown keys {', '.join(sorted(unknown))}")
        if rule.get("code") in codes:
            problems.append(f"{label}: the code is used twice")
        codes.add(rule.get("code"))
        if rule.get("type") not in TYPES:
            problems.append(f"{label}: type {rule.get('type')!r} is not one of "
                            f"{', '.join(TYPES)}")
        if not any(rule.get(key) for key in PATTERN_KEYS):
            problems.append(f"{label}: needs an invoice number, description or invoice type "
                            f"pattern")
        for key in PATTERN_KEYS:
            if rule.get(key):
                try:
                    _compiled(rule[key])
                except re.error as exc:
                    problems.append(f"{label}: {key} is not a valid pattern ({exc})")
        if (rule.get("sign") or "") not in SIGNS:
            problems.append(f"{label}: sign must be empty, 'negative' or 'positive'")
        if not isinstance(rule.get("priority", 0), int):
            problems.append(f"{label}: priority must be a whole number")
    return problems


def _sorted_active(rules):
    indexed = [(rule.get("priority", 0), index, rule) for index, rule in enumerate(rules)
               if rule.get("active", True)]
    return [rule for _, _, rule in sorted(indexed, key=lambda item: item[:2])]


def _amount(line):
    return line.amount_paid or line.invoice_amount


def _matches(rule, line, country):
    regions = [r.upper() for r in rule.get("regions") or ()]
    if regions and country and country.upper() not in regions:
        return None
    sign = rule.get("sign") or ""
    amount = _amount(line)
    if (sign == "negative" and not amount < 0) or (sign == "positive" and not amount > 0):
        return None
    texts = {"invoice_regex": _plain(line.invoice_number),
             "description_regex": _plain(line.description),
             "invoice_type_regex": _plain(line.invoice_type)}
    found = {}
    patterns = [key for key in PATTERN_KEYS if rule.get(key)]
    if not patterns:
        return None
    for key in patterns:
        match = _compiled(rule[key]).search(texts[key])
        if not match:
            return None
        found[key] = match
    return found


def classify(line, rules=None, *, country=""):
    """The deduction type of a remittance line and the rule that decided it.

    :param line: a ``RemittanceLine``
    :param rules: a rule table (``DEFAULT_RULES`` when None)
    :param country: the remittance's country (ISO code); rules with ``regions`` apply only there
        (all rules apply when it is unknown)
    :return: ``(type, rule)``; ``("other", None)`` when no rule matches
    """
    for rule in _sorted_active(DEFAULT_RULES if rules is None else rules):
        if _matches(rule, line, country) is not None:
            return rule["type"], rule
    return "other", None


def original_invoice_number(line, rules=None, *, country=""):
    """The vendor invoice a deduction refers to, when Amazon wrote it into the line.

    From the ``original`` group of the matching rule (a shortage claim "INV123SC" -> "INV123"),
    else from the description ("... original invoice INV123 ..."). None when the line does not
    say.
    """
    for rule in _sorted_active(DEFAULT_RULES if rules is None else rules):
        found = _matches(rule, line, country)
        if found is None:
            continue
        for match in found.values():
            original = match.groupdict().get("original")
            if original and original.strip(" -_"):
                return original.strip(" -_")
        break
    match = _ORIGINAL_IN_TEXT.search(_plain(line.description))
    if match and _plain(match.group("original")).upper() != _plain(line.invoice_number).upper():
        return match.group("original")
    return None


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


def deadline(deduction_type, dates, rules=None):
    """Last day to dispute a deduction of ``deduction_type``, or None.

    :param dates: ``{"issue_date", "due_date", "payment_date", "invoice_date": date}`` (any
        subset; datetimes are read as their date)
    :param rules: a deadline table (``DEFAULT_DEADLINES`` when None)
    :return: a ``datetime.date``; None when the type is not disputed or no date it counts from
        is known (the caller shows "deadline unknown")
    """
    table = DEFAULT_DEADLINES if rules is None else rules
    spec = table.get(deduction_type) or table.get("other")
    if not spec or spec.get("days") is None:
        return None
    start = next((d for d in (_as_date(dates.get(key)) for key in _keys(spec.get("from")))
                  if d), None)
    if start is None:
        return None
    last = start + datetime.timedelta(days=spec["days"])
    if spec.get("cap_days") is not None:
        cap_start = next((d for d in (_as_date(dates.get(key))
                                      for key in _keys(spec.get("cap_from"))) if d), None)
        if cap_start is not None:
            last = min(last, cap_start + datetime.timedelta(days=spec["cap_days"]))
    return last


def _keys(value):
    if not value:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)
