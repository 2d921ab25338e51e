"""Vendor Central remittance exports (CSV / XLSX) -> neutral ``Remittance`` structures.

For accounts whose application lacks the finance role, accountants download what Vendor
Central shows under Payments > Remittance and import the file. ``parse_remittance_export``
reads it whole or refuses it whole: one ``RemittanceExportError`` lists every problem with its
row, and nothing is returned from a file that is partly wrong.

Research notes (what the files look like, and where that comes from)
--------------------------------------------------------------------
* Payments > Remittance lists the payments; "Export to a Spreadsheet" downloads the selected
  payments with their line items (https://wiki.amazowl.com/sop/vendor-central/read-reconcile-
  remittance). A public Vendor Central scraper (Java, Apache POI, GitHub code search "ShortagePage
  remittance-home-export-link") reads that XLSX as: a payments section whose header row starts
  with "Payment Number", "Payment Date"; then a row "Invoices"; then a lines header with
  "Payment Number", "Invoice Number", "Invoice Date", "Description", "Invoice Amount", "Terms
  Discount Taken", "Amount Paid" (US, CA, MX, BR) or "Net Amount Paid" (other marketplaces),
  "Remaining Amount", "Invoice Currency". Cells are text: amounts carry "$", "€", "£", "MXN",
  "AED", "INR" and thousands separators; dates are MM/dd/yyyy for US/CA and dd/MM/yyyy elsewhere.
* A Node importer for a Belgian vendor (GitHub code search "VendorRemittanceImporter") finds the
  same two sections ("payment number", "payment date", "payment status"; "invoice number",
  "invoice date", "invoice amount", "net amount paid", "description"), several per sheet.
* An Indian marketplace export (GitHub code search "paymentSummaryColumns Amount in Payment
  Currency"; a FastAPI uploader expecting the same set) has lines "Payment Number, Invoice
  Number, Invoice Date, Transaction type, Transaction Description, Reference Details, Original
  Invoice Number, Invoice Amount, Invoice Currency, Withholding Amount, Terms Discount Taken,
  Amount Paid, Remaining Amount" and a payments summary "Payment Number, Payment Date, Invoice
  Currency, Amount in Invoice Currency, Payment Currency, Amount in Payment Currency, Exchange
  Rate, Payment Type, Payment Status, Payment Voided Reason".
* Amazon's Finance Remittance API 2026-03-17 (amzn/selling-partner-api-models) names the same
  things: paymentNumber, paymentDate, paymentAmount / paymentAmountInInvoiceCurrency,
  exchangeRate, paymentMethod (EFT), remittanceStatus, and per line invoiceNumber,
  invoiceIssueDate, totalAmount, withholdingAmount, netAmountPaid (AmountPaid +
  TermsDiscountTaken), description, paymentTerms, invoiceType.
* Reason Automation's Vendor Central data dictionary (https://help.reasonautomation.com/vendor/
  coop-invoices-invoice-and-payment-summary, "Payments > Remittance") lists invoice_amount,
  amount_in_payment_currency, amount_paid, remaining_amount.

Not verified: the column names of a Vendor Central whose display language is not English. The
exports seen above are English even for EU and Indian marketplaces; the German, French, Italian,
Spanish and Japanese aliases below are translations of the English names, kept so that a file
saved from a translated interface is read rather than refused. The one-payment layout with the
payment written as "Payment Number: ..." rows above the lines is read too but was not seen in a
real file.

Reading rules
-------------
* CSV in UTF-8 (with or without BOM), UTF-16 (Excel "Unicode text"), cp1252 or Shift_JIS
  (cp932), delimited by comma, semicolon, tab or pipe (an Excel ``sep=`` first line is obeyed);
  XLSX through openpyxl, every sheet, text or native cells. Old binary .xls is refused.
* Headers are found by aliases, whatever the case, accents, spacing or punctuation, and a
  currency written in a header ("Amount Paid (EUR)") is used.
* Day/month order is decided once per file from all its dates (a day above 12 decides);
  otherwise from the header language (German, French, Italian, Spanish: day first), an explicit
  ``date_order``, or dotted dates (always day first); otherwise the file is refused. The decimal
  separator is decided the same way from all amounts of the file.
* Signs are Amazon's: deductions are negative; "(12.50)" and "12,50-" are negative too.
"""
import collections
import contextlib
import csv
import datetime
import io
import re
import unicodedata
from decimal import Decimal, InvalidOperation

import openpyxl

from .remittance import Remittance, RemittanceLine

MAX_PROBLEMS = 50

# --------------------------------------------------------------------------------------------
# Column aliases: field -> {language: [header names]}. Matching is case, accent, space and
# punctuation insensitive ("Net amount paid", "NET_AMOUNT_PAID" and "net-amount paid" match).
# English names come from the sources above; the other languages are translations (unverified).
# --------------------------------------------------------------------------------------------
ALIASES = {
    # Payment level.
    "payment_number": {
        "en": ["payment number", "payment no", "payment #", "remittance number"],
        "de": ["zahlungsnummer", "zahlungs nr", "zahlungsreferenz"],
        "fr": ["numero de paiement", "n de paiement", "no de paiement"],
        "it": ["numero pagamento", "numero di pagamento", "n pagamento"],
        "es": ["numero de pago", "n de pago", "no de pago"],
        "ja": ["支払番号", "支払い番号"],
    },
    "unique_payment_id": {"en": ["unique payment id", "unique payment identifier"]},
    "payment_date": {
        "en": ["payment date", "date paid"],
        "de": ["zahlungsdatum"],
        "fr": ["date de paiement", "date du paiement"],
        "it": ["data pagamento", "data di pagamento", "data del pagamento"],
        "es": ["fecha de pago", "fecha del pago"],
        "ja": ["支払日", "支払い日"],
    },
    "payment_amount": {
        "en": ["amount in payment currency", "payment amount", "amount in payment currencies"],
        "de": ["betrag in zahlungswahrung", "zahlungsbetrag"],
        "fr": ["montant dans la devise de paiement", "montant du paiement"],
        "it": ["importo nella valuta di pagamento", "importo del pagamento", "importo pagamento"],
        "es": ["importe en la moneda de pago", "importe del pago"],
        "ja": ["支払通貨での金額", "支払金額"],
    },
    "payment_currency": {
        "en": ["payment currency"],
        "de": ["zahlungswahrung"],
        "fr": ["devise de paiement", "devise du paiement"],
        "it": ["valuta di pagamento", "valuta pagamento", "valuta del pagamento"],
        "es": ["moneda de pago", "moneda del pago"],
        "ja": ["支払通貨"],
    },
    "amount_invoice_currency": {
        "en": ["amount in invoice currency"],
        "de": ["betrag in rechnungswahrung"],
        "fr": ["montant dans la devise de la facture", "montant dans la devise de facture"],
        "it": ["importo nella valuta della fattura"],
        "es": ["importe en la moneda de la factura"],
        "ja": ["請求書通貨での金額"],
    },
    "exchange_rate": {
        "en": ["exchange rate"],
        "de": ["wechselkurs"],
        "fr": ["taux de change"],
        "it": ["tasso di cambio"],
        "es": ["tipo de cambio", "tasa de cambio"],
        "ja": ["為替レート", "換算レート"],
    },
    "payment_method": {
        "en": ["payment type", "payment method"],
        "de": ["zahlungsart", "zahlungsmethode"],
        "fr": ["type de paiement", "mode de paiement"],
        "it": ["tipo di pagamento", "metodo di pagamento", "tipo pagamento"],
        "es": ["tipo de pago", "metodo de pago", "forma de pago"],
        "ja": ["支払方法", "支払い方法"],
    },
    "payment_status": {
        "en": ["payment status", "remittance status"],
        "de": ["zahlungsstatus"],
        "fr": ["statut du paiement", "statut de paiement"],
        "it": ["stato del pagamento", "stato pagamento"],
        "es": ["estado del pago", "estado de pago"],
        "ja": ["支払ステータス", "支払状況"],
    },
    "void_reason": {
        "en": ["payment voided reason", "void reason"],
        "de": ["stornierungsgrund"],
        "fr": ["motif d annulation du paiement"],
        "it": ["motivo annullamento pagamento"],
        "es": ["motivo de anulacion del pago"],
    },
    "vendor_code": {
        "en": ["vendor code", "vendor codes", "vendor"],
        "de": ["lieferantencode", "lieferantenkennung"],
        "fr": ["code fournisseur"],
        "it": ["codice fornitore"],
        "es": ["codigo de proveedor", "codigo del proveedor"],
        "ja": ["ベンダーコード"],
    },
    "payee_code": {
        "en": ["payee code", "payee codes"],
        "de": ["zahlungsempfangercode"],
        "fr": ["code beneficiaire"],
        "it": ["codice beneficiario"],
        "es": ["codigo de beneficiario"],
    },
    # Line level.
    "invoice_number": {
        "en": ["invoice number", "invoice no", "invoice #", "invoice id"],
        "de": ["rechnungsnummer", "rechnungs nr", "rechnungsnr"],
        "fr": ["numero de facture", "n de facture", "no de facture"],
        "it": ["numero fattura", "numero di fattura", "n fattura"],
        "es": ["numero de factura", "n de factura", "no de factura"],
        "ja": ["請求書番号"],
    },
    "invoice_date": {
        "en": ["invoice date", "invoice issue date"],
        "de": ["rechnungsdatum"],
        "fr": ["date de facture", "date de la facture", "date facture"],
        "it": ["data fattura", "data della fattura"],
        "es": ["fecha de factura", "fecha de la factura"],
        "ja": ["請求書日付", "請求日", "請求書発行日"],
    },
    "description": {
        "en": ["description", "transaction description"],
        "de": ["beschreibung", "transaktionsbeschreibung"],
        "fr": ["description", "description de la transaction"],
        "it": ["descrizione", "descrizione della transazione"],
        "es": ["descripcion", "descripcion de la transaccion"],
        "ja": ["説明", "摘要"],
    },
    "invoice_type": {
        "en": ["invoice type", "transaction type"],
        "de": ["rechnungstyp", "rechnungsart", "transaktionstyp"],
        "fr": ["type de facture", "type de transaction"],
        "it": ["tipo di fattura", "tipo fattura", "tipo di transazione"],
        "es": ["tipo de factura", "tipo de transaccion"],
        "ja": ["請求書タイプ", "請求書の種類", "取引タイプ"],
    },
    "invoice_amount": {
        "en": ["invoice amount", "total amount"],
        "de": ["rechnungsbetrag"],
        "fr": ["montant de la facture", "montant facture"],
        "it": ["importo fattura", "importo della fattura"],
        "es": ["importe de la factura", "importe factura"],
        "ja": ["請求金額", "請求書金額"],
    },
    "tax_amount": {
        "en": ["tax amount"],
        "de": ["steuerbetrag", "mwst betrag"],
        "fr": ["montant de la taxe", "montant tva"],
        "it": ["importo imposta", "importo iva"],
        "es": ["importe del impuesto", "importe iva"],
        "ja": ["税額"],
    },
    "withholding": {
        "en": ["withholding amount", "amount withheld", "tax withheld"],
        "de": ["einbehaltener betrag", "einbehalt"],
        "fr": ["montant retenu", "retenue a la source"],
        "it": ["importo trattenuto", "ritenuta"],
        "es": ["importe retenido", "retencion"],
        "ja": ["源泉徴収額"],
    },
    "discount": {
        "en": ["terms discount taken", "discount taken", "terms discount"],
        "de": ["in anspruch genommenes skonto", "skonto", "skontoabzug"],
        "fr": ["escompte applique", "escompte"],
        "it": ["sconto applicato", "sconto per pagamento"],
        "es": ["descuento aplicado", "descuento por pronto pago"],
        "ja": ["割引額", "支払条件割引"],
    },
    "amount_paid": {
        "en": ["amount paid", "net amount paid", "paid amount"],
        "de": ["gezahlter betrag", "bezahlter betrag", "nettozahlbetrag", "netto gezahlter betrag"],
        "fr": ["montant paye", "montant net paye"],
        "it": ["importo pagato", "importo netto pagato"],
        "es": ["importe pagado", "importe neto pagado"],
        "ja": ["支払額", "支払済金額", "純支払額"],
    },
    "remaining_amount": {
        "en": ["remaining amount", "amount remaining"],
        "de": ["restbetrag", "offener betrag"],
        "fr": ["montant restant"],
        "it": ["importo residuo", "importo rimanente"],
        "es": ["importe restante", "importe pendiente"],
        "ja": ["残額"],
    },
    "payment_terms": {
        "en": ["payment terms"],
        "de": ["zahlungsbedingungen"],
        "fr": ["conditions de paiement"],
        "it": ["termini di pagamento", "condizioni di pagamento"],
        "es": ["condiciones de pago", "terminos de pago"],
        "ja": ["支払条件"],
    },
    "invoice_currency": {
        "en": ["invoice currency"],
        "de": ["rechnungswahrung"],
        "fr": ["devise de la facture", "devise facture"],
        "it": ["valuta fattura", "valuta della fattura"],
        "es": ["moneda de la factura", "moneda factura"],
        "ja": ["請求書通貨"],
    },
    "currency": {
        "en": ["currency"],
        "de": ["wahrung"],
        "fr": ["devise"],
        "it": ["valuta"],
        "es": ["moneda", "divisa"],
        "ja": ["通貨"],
    },
    # Read and kept out of the neutral structures (RemittanceLine has no field for them).
    "original_invoice_number": {"en": ["original invoice number", "original invoice"]},
    "reference": {"en": ["reference details", "reference"]},
    "purchase_order": {"en": ["purchase order", "po number", "purchase order number"]},
}

# Date and number conventions implied by a header language (used only when the values alone
# do not decide). English headers imply nothing: US and EU exports both use them.
LANG_DATE_ORDER = {"de": "DMY", "fr": "DMY", "it": "DMY", "es": "DMY", "ja": "YMD"}
LANG_DECIMAL = {"de": ",", "fr": ",", "it": ",", "es": ",", "ja": "."}

PAYMENT_FIELDS = ("payment_number", "unique_payment_id", "payment_date", "payment_amount",
                  "payment_currency", "amount_invoice_currency", "exchange_rate", "payment_method",
                  "payment_status", "invoice_currency", "vendor_code", "payee_code")
DATE_FIELDS = ("payment_date", "invoice_date")
AMOUNT_FIELDS = ("payment_amount", "amount_invoice_currency", "exchange_rate", "invoice_amount",
                 "tax_amount", "withholding", "discount", "amount_paid", "remaining_amount")
LABELS = {
    "payment_number": "Payment Number", "payment_date": "Payment Date",
    "payment_amount": "Amount in Payment Currency", "payment_currency": "Payment Currency",
    "amount_invoice_currency": "Amount in Invoice Currency", "exchange_rate": "Exchange Rate",
    "payment_status": "Payment Status", "invoice_number": "Invoice Number",
    "invoice_date": "Invoice Date", "invoice_amount": "Invoice Amount",
    "amount_paid": "Amount Paid", "discount": "Terms Discount Taken",
    "withholding": "Withholding Amount", "tax_amount": "Tax Amount",
    "remaining_amount": "Remaining Amount", "invoice_currency": "Invoice Currency",
    "currency": "Currency",
}

# Amazon's remittance statuses (API: IN_PROGRESS, SUCCESSFUL, FAILED) and the words a file uses.
STATUS_WORDS = {
    "SUCCESSFUL": ["successful", "success", "paid", "completed", "complete", "cleared",
                   "processed", "settled", "bezahlt", "abgeschlossen", "erfolgreich", "paye",
                   "effectue", "reussi", "pagato", "completato", "pagado", "completado",
                   "支払済み", "支払い済み", "完了"],
    "FAILED": ["failed", "void", "voided", "cancelled", "canceled", "returned", "rejected",
               "fehlgeschlagen", "storniert", "zuruckgewiesen", "echoue", "annule", "rejete",
               "non riuscito", "annullato", "rifiutato", "fallido", "anulado", "rechazado",
               "失敗", "取消", "キャンセル"],
    "IN_PROGRESS": ["in progress", "pending", "processing", "scheduled", "initiated",
                    "in bearbeitung", "ausstehend", "geplant", "en cours", "en attente",
                    "in corso", "in attesa", "en curso", "pendiente", "処理中", "保留中"],
}
TOTAL_WORDS = ("total", "totals", "grand total", "sum", "gesamt", "gesamtsumme", "summe",
               "total general", "totale", "totaux", "合計", "総計")

# Currency signs: None where one sign means several currencies ("$", "kr").
CURRENCY_SIGNS = {"US$": "USD", "CA$": "CAD", "C$": "CAD", "MX$": "MXN", "AU$": "AUD",
                  "A$": "AUD", "R$": "BRL", "€": "EUR", "£": "GBP", "¥": "JPY", "￥": "JPY",
                  "₹": "INR", "₺": "TRY", "zł": "PLN", "$": None, "kr": None}
ZERO_DECIMAL_CURRENCIES = {"JPY", "KRW", "CLP", "ISK", "VND", "HUF"}
_CURRENCY_RE = re.compile(r"US\$|CA\$|C\$|MX\$|AU\$|A\$|R\$|[$€£¥￥₹₺]|zł|kr|\b[A-Z]{3}\b")
_SPACES = "\u00a0\u202f\u2009 '’"

MONTHS = {}
for _number, _names in enumerate([
        "january jan januar janv janvier gennaio gen enero ene",
        "february feb februar fevr fevrier febbraio febrero",
        "march mar marz mars marzo",
        "april apr avr avril aprile abril abr",
        "may mai maggio mag mayo",
        "june jun juni juin giugno giu junio",
        "july jul juli juil juillet luglio lug julio",
        "august aug august aout agosto ago",
        "september sep sept september septembre settembre set septiembre",
        "october oct oktober okt octobre ottobre ott octubre",
        "november nov november novembre noviembre",
        "december dec dezember dez decembre dicembre dic diciembre"], start=1):
    for _name in _names.split():
        MONTHS[_name] = _number


class RemittanceExportError(ValueError):
    """The file cannot be imported; ``problems`` lists why, in plain words, with rows."""

    def __init__(self, filename, problems):
        self.filename = filename
        self.problems = list(problems)
        shown = self.problems[:MAX_PROBLEMS]
        more = len(self.problems) - len(shown)
        lines = [f"The remittance file {filename!r} cannot be imported; nothing was read:"]
        lines += [f"- {p}" for p in shown]
        if more > 0:
            lines.append(f"- ... and {more} more problems.")
        super().__init__("\n".join(lines))


def parse_remittance_export(content, filename, *, date_order=None, decimal_separator=None,
                            currency=None):
    """Read a Vendor Central remittance export and return its payments, or raise.

    :param content: the file's bytes (CSV or XLSX; told apart by content, not by name)
    :param filename: shown in messages
    :param date_order: ``"DMY"`` or ``"MDY"`` when the user knows it (used only for dates the
        file leaves ambiguous; a file that contradicts it is refused)
    :param decimal_separator: ``"."`` or ``","``, likewise
    :param currency: ISO code for files that show no currency at all (or only "$")
    :return: list of ``Remittance`` (source ``"export"``) in file order
    :raise RemittanceExportError: any problem; nothing is returned from a half-valid file
    """
    if date_order is not None and date_order.upper() not in ("DMY", "MDY"):
        raise ValueError("date_order must be 'DMY' or 'MDY'")
    if decimal_separator is not None and decimal_separator not in (".", ","):
        raise ValueError("decimal_separator must be '.' or ','")
    parser = _Parser(filename, date_order and date_order.upper(), decimal_separator,
                     (currency or "").strip().upper())
    return parser.parse(content)


# --------------------------------------------------------------------------------------------
# Normalisation and header matching
# --------------------------------------------------------------------------------------------
def _norm(text):
    text = unicodedata.normalize("NFKC", str(text)).replace("#", " number ")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[\W_]+", " ", text.casefold())
    return " ".join(text.split())


def _build_alias_index():
    index = {}
    for field, by_lang in ALIASES.items():
        for lang, names in by_lang.items():
            for name in names:
                key = _norm(name)
                entry = index.setdefault(key, [field, set()])
                if entry[0] != field:
                    raise AssertionError(f"alias {name!r} used for {entry[0]} and {field}")
                entry[1].add(lang)
    return index


ALIAS_INDEX = _build_alias_index()
_STATUS_INDEX = {_norm(w): status for status, words in STATUS_WORDS.items() for w in words}
_TOTAL_INDEX = {_norm(w) for w in TOTAL_WORDS}
_HEADER_CURRENCY_RE = re.compile(r"\s*[\(\[]\s*(?:in\s+)?([A-Z]{3})\s*[\)\]]\s*$")


def _is_empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_text(value):
    """Text of a cell for identifiers (payment / invoice numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return " ".join(str(value).split())


class _Header:
    """A recognised header row: field -> column index, and what it says about the file."""

    def __init__(self, location, columns, column_currency, langs, duplicates, labels):
        self.location = location
        self.columns = columns
        self.column_currency = column_currency
        self.langs = langs
        self.duplicates = duplicates
        self.labels = labels
        fields = set(columns)
        if "invoice_number" in fields and fields & {"amount_paid", "invoice_amount"}:
            self.kind = "lines"
        elif "payment_number" in fields and fields & {
                "payment_date", "payment_amount", "amount_invoice_currency"}:
            self.kind = "payments"
        else:
            self.kind = None

    @property
    def key(self):
        return "invoice_number" if self.kind == "lines" else "payment_number"


def _match_header(location, cells):
    columns, column_currency, langs, duplicates, labels = {}, {}, [], [], {}
    for index, cell in enumerate(cells):
        if not isinstance(cell, str) or not cell.strip():
            continue
        text = cell.strip()
        cur = None
        found = _HEADER_CURRENCY_RE.search(text)
        if found:
            cur, text = found.group(1), text[:found.start()]
        entry = ALIAS_INDEX.get(_norm(text))
        if entry is None:
            continue
        field, field_langs = entry
        if field in columns:
            duplicates.append((field, labels[field], cell.strip()))
            continue
        columns[field] = index
        labels[field] = cell.strip()
        if cur:
            column_currency[field] = cur
        if len(field_langs) == 1:
            langs.append(next(iter(field_langs)))
    if len(columns) < 2:
        return None
    header = _Header(location, columns, column_currency, langs, duplicates, labels)
    return header if header.kind else None


# --------------------------------------------------------------------------------------------
# Raw values: dates and amounts are read in two passes (conventions first, then values)
# --------------------------------------------------------------------------------------------
_ISO_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$")
_JA_RE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_NUM_DATE_RE = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?:[ T].*)?$")


def _year(text):
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _date_shape(text):
    """('ymd', y, m, d) | ('num', a, b, y, sep) | None."""
    s = unicodedata.normalize("NFKC", text).strip()
    m = _ISO_RE.match(s) or _JA_RE.match(s)
    if m:
        return ("ymd", int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _NUM_DATE_RE.match(s)
    if m:
        return ("num", int(m.group(1)), int(m.group(3)), _year(m.group(4)), m.group(2))
    words = [w for w in _norm(s).split() if w not in ("de", "del")]
    if len(words) >= 3:
        a, b, c = words[:3]
        if a.isdigit() and b in MONTHS and c.isdigit():
            return ("ymd", _year(c), MONTHS[b], int(a))
        if a in MONTHS and b.isdigit() and c.isdigit():
            return ("ymd", _year(c), MONTHS[a], int(b))
        if a.isdigit() and len(a) == 4 and b in MONTHS and c.isdigit():
            return ("ymd", int(a), MONTHS[b], int(c))
    return None


def _amount_shape(text):
    """Split an amount's text: (negative, body, currency sign or code, error)."""
    s = unicodedata.normalize("NFKC", text).strip()
    s = s.replace("\u2212", "-").replace("\u2013", "-")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    signs = _CURRENCY_RE.findall(s)
    s = _CURRENCY_RE.sub(" ", s).strip()
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s.startswith("-"):
        negative, s = True, s[1:].strip()
    elif s.endswith("-"):
        negative, s = True, s[:-1].strip()
    elif s.startswith("+"):
        s = s[1:].strip()
    for ch in _SPACES:
        s = s.replace(ch, "")
    if len(set(signs)) > 1:
        return negative, s, None, f"shows two currencies ({', '.join(sorted(set(signs)))})"
    if not s or not re.fullmatch(r"\d[\d.,]*", s) or s[-1] in ".,":
        return negative, s, None, "is not an amount"
    return negative, s, signs[0] if signs else None, None


def _decimal_evidence(body, zero_decimals=False):
    """'.' or ',' when the text alone shows the decimal separator, 'ambiguous', or None."""
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        return "." if body.rfind(".") > body.rfind(",") else ","
    if not dots and not commas:
        return None
    sep = "." if dots else ","
    other = "," if sep == "." else "."
    if dots + commas > 1:
        return other  # repeated: a thousands separator
    if len(body) - body.index(sep) - 1 != 3:
        return sep
    return other if zero_decimals else "ambiguous"


def _to_decimal(body, decimal_sep):
    thousands = "," if decimal_sep == "." else "."
    if body.count(decimal_sep) > 1:
        raise InvalidOperation
    if thousands in body and decimal_sep in body and body.rfind(thousands) > body.find(
            decimal_sep):
        raise InvalidOperation
    return Decimal(body.replace(thousands, "").replace(decimal_sep, "."))


# --------------------------------------------------------------------------------------------
# The parser
# --------------------------------------------------------------------------------------------
class _Section:
    def __init__(self, header):
        self.header = header
        self.rows = []  # (location, cells)


class _Parser:
    def __init__(self, filename, date_order, decimal_sep, currency):
        self.filename = filename
        self.date_order_hint = date_order
        self.decimal_hint = decimal_sep
        self.currency_hint = currency
        self.problems = []
        self.date_order = None
        self.decimal_sep = None

    def fail(self):
        raise RemittanceExportError(self.filename, self.problems)

    # ---------------------------------------------------------------- reading
    def parse(self, content):
        if not content or not content.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
            self.problems.append("the file is empty")
            self.fail()
        if content[:4] == b"PK\x03\x04":
            tables = self._read_xlsx(content)
        elif content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            self.problems.append(
                "this is an old binary Excel file (.xls); open it in Excel or LibreOffice and "
                "save it as .xlsx or CSV")
            self.fail()
        elif self.filename.lower().endswith((".xlsx", ".xlsm")):
            self.problems.append("the file is named .xlsx but is not an Excel workbook "
                                 "(damaged or incomplete download?)")
            self.fail()
        else:
            tables = self._read_csv(content)
        sections, preamble, langs = self._find_sections(tables)
        if self.problems:
            self.fail()
        return self._build(sections, preamble, langs)

    def _read_xlsx(self, content):
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True,
                                              data_only=True)
        except Exception as exc:  # any failure means a file we cannot open
            self.problems.append(
                f"the file cannot be opened as an Excel workbook (.xlsx): {exc or type(exc)}")
            self.fail()
        tables = []
        try:
            for sheet in workbook.worksheets:
                if not hasattr(sheet, "iter_rows"):
                    continue
                if hasattr(sheet, "reset_dimensions"):
                    sheet.reset_dimensions()
                rows = []
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                    rows.append((f"sheet {sheet.title!r}, row {number}", list(values)))
                tables.append(rows)
        except Exception as exc:  # a damaged part of the workbook
            self.problems.append(f"the Excel workbook is damaged and cannot be read: {exc}")
            self.fail()
        finally:
            workbook.close()
        return tables

    def _decodings(self, content):
        if content.startswith(b"\xef\xbb\xbf"):
            return [("utf-8-sig", content)]
        if content.startswith((b"\xff\xfe", b"\xfe\xff")):
            return [("utf-16", content)]
        sample = content[:4000]
        if len(sample) > 8 and sample[1::2].count(0) > len(sample) // 4:
            return [("utf-16-le", content)]
        if len(sample) > 8 and sample[0::2].count(0) > len(sample) // 4:
            return [("utf-16-be", content)]
        return [("utf-8", content), ("cp1252", content), ("cp932", content)]

    def _read_csv(self, content):
        best = None  # (score, encoding, delimiter, rows)
        decoded_any = False
        for encoding, data in self._decodings(content):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            decoded_any = True
            if "\x00" in text or sum(1 for c in text[:4000] if ord(c) < 9) > 2:
                continue
            for score, delimiter, rows in self._csv_candidates(text):
                if best is None or score > best[0]:
                    best = (score, encoding, delimiter, rows)
            if best and best[0] > 0:
                break  # the first encoding that shows known headers wins
        if not decoded_any:
            self.problems.append("the file is neither an Excel workbook nor a readable text "
                                 "(CSV) file")
            self.fail()
        if best is None or best[0] == 0:
            self._no_header(best[3] if best else [])
        return [best[3]]

    def _csv_candidates(self, text):
        offset, forced = 0, None
        first_line = text.split("\n", 1)[0].strip()
        if re.fullmatch(r"sep=.", first_line, flags=re.IGNORECASE):
            forced, text, offset = first_line[4], text.split("\n", 1)[1] if "\n" in text else "", 1
        for delimiter in [forced] if forced else [",", ";", "\t", "|"]:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            rows = []
            try:
                for cells in reader:
                    rows.append((f"row {reader.line_num + offset}", cells))
            except csv.Error:
                continue
            score = max((len(h.columns) for h in (_match_header(loc, cells)
                                                  for loc, cells in rows[:200]) if h), default=0)
            yield score, delimiter, rows

    def _no_header(self, rows):
        seen = [" | ".join(str(c).strip() for c in cells if not _is_empty(c))
                for _, cells in rows if any(not _is_empty(c) for c in cells)][:1]
        hint = f" (first line: {seen[0][:120]!r})" if seen else ""
        self.problems.append(
            "this is not a Vendor Central remittance export: no row has the expected columns "
            "such as 'Payment Number', 'Payment Date', 'Invoice Number', 'Amount Paid'" + hint)
        self.fail()

    def _find_sections(self, tables):
        sections, preamble, langs = [], {}, []
        for rows in tables:
            current = None
            for location, cells in rows:
                filled = [(i, c) for i, c in enumerate(cells) if not _is_empty(c)]
                if not filled:
                    continue
                header = _match_header(location, cells)
                if header:
                    for field, first, second in header.duplicates:
                        self.problems.append(
                            f"{location}: the columns {first!r} and {second!r} both mean "
                            f"{LABELS.get(field, field)!r}; keep one of them")
                    langs += header.langs
                    current = _Section(header)
                    sections.append(current)
                    continue
                if current is None:
                    self._read_preamble(location, filled, preamble)
                    continue
                if self._skippable(current.header, filled):
                    continue
                current.rows.append((location, cells))
        if "payment_number" not in preamble:
            preamble.clear()  # title lines such as "Vendor: ...", not a payment
        if not sections:
            if preamble:
                self.problems.append("the file shows a payment but no table of invoices")
                self.fail()
            self._no_header([row for rows in tables for row in rows])
        for section in sections:
            missing = [f for f in (("invoice_number", "invoice_amount", "amount_paid")
                                   if section.header.kind == "lines"
                                   else ("payment_number", "payment_date"))
                       if f not in section.header.columns]
            for field in missing:
                self.problems.append(f"{section.header.location}: the table has no "
                                     f"{LABELS[field]!r} column")
        return sections, preamble, langs

    def _read_preamble(self, location, filled, preamble):
        """'Payment Number: 123' or 'Payment Number | 123' rows above a one-payment table."""
        if len(filled) == 1 and isinstance(filled[0][1], str) and ":" in filled[0][1]:
            key, value = filled[0][1].split(":", 1)
        elif len(filled) == 2 and isinstance(filled[0][1], str):
            key, value = filled[0][1].rstrip(": "), filled[1][1]
        else:
            return
        entry = ALIAS_INDEX.get(_norm(key))
        if entry and entry[0] in PAYMENT_FIELDS and not _is_empty(value):
            preamble.setdefault(entry[0], (location, value.strip() if isinstance(value, str)
                                           else value))

    @staticmethod
    def _skippable(header, filled):
        """Title, note and total rows inside a table (they carry no data)."""
        key_col = header.columns.get(header.key)
        first_index, first = filled[0]
        if isinstance(first, str) and _norm(first) in _TOTAL_INDEX and (
                first_index == key_col or all(i != key_col for i, _ in filled)):
            return True
        if len(filled) == 1:
            index, value = filled[0]
            return index != key_col or not re.search(r"\d", _cell_text(value))
        return False

    # ---------------------------------------------------------------- conventions
    def _collect(self, sections, preamble):
        dates, amounts, currencies = [], [], set()
        for section in sections:
            cols = section.header.columns
            currencies.update(section.header.column_currency.values())
            for location, cells in section.rows:
                for field in ("payment_currency", "invoice_currency", "currency"):
                    value = _get(cells, cols.get(field))
                    if not _is_empty(value):
                        currencies.add(_cell_text(value).upper())
                for field in DATE_FIELDS:
                    value = _get(cells, cols.get(field))
                    if isinstance(value, str) and value.strip():
                        dates.append((location, value))
                for field in AMOUNT_FIELDS:
                    value = _get(cells, cols.get(field))
                    if isinstance(value, str) and value.strip():
                        amounts.append((location, value))
        for field, (location, value) in preamble.items():
            if field in DATE_FIELDS and isinstance(value, str):
                dates.append((location, value))
            elif field in AMOUNT_FIELDS and isinstance(value, str):
                amounts.append((location, value))
            elif field in ("payment_currency", "invoice_currency"):
                currencies.add(_cell_text(value).upper())
        return dates, amounts, currencies

    def _decide_date_order(self, dates, lang):
        day_first, month_first, ambiguous, dotted = [], [], [], True
        for location, text in dates:
            shape = _date_shape(text)
            if not shape or shape[0] != "num":
                continue
            _, a, b, _, sep = shape
            dotted = dotted and sep == "."
            if a > 12 >= b:
                day_first.append((location, text))
            elif b > 12 >= a:
                month_first.append((location, text))
            elif a <= 12 and b <= 12 and a != b:
                ambiguous.append((location, text))
        if day_first and month_first:
            self.problems.append(
                f"the dates mix two orders: {day_first[0][1]!r} ({day_first[0][0]}) is day "
                f"first but {month_first[0][1]!r} ({month_first[0][0]}) is month first")
            return None
        found = "DMY" if day_first else "MDY" if month_first else None
        if found and self.date_order_hint and found != self.date_order_hint:
            example = (day_first or month_first)[0]
            self.problems.append(
                f"the dates are {'day' if found == 'DMY' else 'month'} first ({example[1]!r}, "
                f"{example[0]}) but {self.date_order_hint} was chosen")
            return None
        if found:
            return found
        if not ambiguous:
            return "DMY"  # nothing to decide: every date reads the same either way
        order = (self.date_order_hint or LANG_DATE_ORDER.get(lang)
                 or ("DMY" if dotted else None))
        if order in ("DMY", "MDY"):
            return order
        location, text = ambiguous[0]
        self.problems.append(
            f"the dates cannot be read safely: {text!r} ({location}) may be day/month or "
            f"month/day and no date in the file has a day above 12; choose the date order "
            f"(day first or month first) and import again")
        return None

    def _decide_decimal(self, amounts, lang, zero_decimals):
        votes = collections.defaultdict(list)
        ambiguous = []
        for location, text in amounts:
            _, body, sign, error = _amount_shape(text)
            if error:
                continue
            cur = CURRENCY_SIGNS.get(sign, sign) if sign else None
            evidence = _decimal_evidence(body, zero_decimals or cur in ZERO_DECIMAL_CURRENCIES)
            if evidence == "ambiguous":
                ambiguous.append((location, text))
            elif evidence:
                votes[evidence].append((location, text))
        if len(votes) > 1:
            dot, comma = votes["."][0], votes[","][0]
            self.problems.append(
                f"the amounts mix two decimal separators: {dot[1]!r} ({dot[0]}) and "
                f"{comma[1]!r} ({comma[0]})")
            return None
        if votes:
            found = next(iter(votes))
            if self.decimal_hint and found != self.decimal_hint:
                example = votes[found][0]
                self.problems.append(
                    f"the amounts use {found!r} as decimal separator ({example[1]!r}, "
                    f"{example[0]}) but {self.decimal_hint!r} was chosen")
                return None
            return found
        if not ambiguous:
            return "."
        decided = self.decimal_hint or LANG_DECIMAL.get(lang)
        if decided:
            return decided
        location, text = ambiguous[0]
        self.problems.append(
            f"the amounts cannot be read safely: {text!r} ({location}) may be a thousand or "
            f"one point something, and no amount in the file shows its decimals; choose the "
            f"decimal separator and import again")
        return None

    # ---------------------------------------------------------------- values
    def _date(self, value, location, label):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if not isinstance(value, str):
            self.problems.append(f"{location}: {label} {value!r} is not a date")
            return None
        shape = _date_shape(value)
        # An impossible date (31 February) is reported as not a date below.
        with contextlib.suppress(ValueError):
            if shape and shape[0] == "ymd":
                return datetime.date(shape[1], shape[2], shape[3])
            if shape and shape[0] == "num" and self.date_order:
                _, a, b, year, _ = shape
                day, month = (a, b) if self.date_order == "DMY" else (b, a)
                return datetime.date(year, month, day)
        if shape and shape[0] == "num" and not self.date_order:
            return None  # already reported: the order could not be decided
        self.problems.append(f"{location}: {label} {value.strip()!r} is not a date")
        return None

    def _amount(self, value, location, label):
        """(Decimal, currency code or None, ambiguous sign or None) or None if unreadable."""
        if isinstance(value, bool) or isinstance(value, datetime.date):
            self.problems.append(f"{location}: {label} {value!r} is not an amount")
            return None
        if isinstance(value, int):
            return Decimal(value), None, None
        if isinstance(value, float):
            return Decimal(repr(value)), None, None
        negative, body, sign, error = _amount_shape(str(value))
        if error:
            self.problems.append(f"{location}: {label} {str(value).strip()!r} {error}")
            return None
        if self.decimal_sep is None:
            return None  # already reported
        try:
            number = _to_decimal(body, self.decimal_sep)
        except InvalidOperation:
            self.problems.append(f"{location}: {label} {str(value).strip()!r} is not an amount")
            return None
        code = CURRENCY_SIGNS.get(sign, sign) if sign else None
        return (-number if negative else number), code, (sign if sign and not code else None)

    def _currency_code(self, value, location, label):
        text = _cell_text(value).strip()
        if not text:
            return ""
        code = CURRENCY_SIGNS.get(text, text.upper())
        if not code or not re.fullmatch(r"[A-Z]{3}", code):
            self.problems.append(f"{location}: {label} {text!r} is not a currency code")
            return ""
        return code

    # ---------------------------------------------------------------- building
    def _build(self, sections, preamble, langs):
        lang = _main_language(langs)
        has_lines = any(s.header.kind == "lines" for s in sections)
        dates, amounts, currencies = self._collect(sections, preamble)
        self.date_order = self._decide_date_order(dates, lang)
        if self.currency_hint:
            currencies.add(self.currency_hint)
        zero = bool(currencies) and currencies <= ZERO_DECIMAL_CURRENCIES
        self.decimal_sep = self._decide_decimal(amounts, lang, zero)

        payments = {}  # number -> dict
        if preamble:
            self._payment_from_values(payments, {f: v for f, (_, v) in preamble.items()},
                                      {f: loc for f, (loc, _) in preamble.items()})
        lines = []
        for section in sections:
            header = section.header
            for location, cells in section.rows:
                values = {f: _get(cells, i) for f, i in header.columns.items()}
                if header.kind == "payments":
                    self._payment_from_values(payments, values, location, header)
                else:
                    line = self._line_from_values(values, location, header)
                    if line:
                        lines.append(line)
        if not payments and not lines and not self.problems:
            self.problems.append("the file has the columns of a remittance export but no rows")
        if self.problems:
            self.fail()
        return self._assemble(payments, lines, has_lines)

    def _payment_from_values(self, payments, values, location, header=None):
        """``location``: the row, or for a preamble a dict field -> row."""
        where = location.get("payment_number", "") if isinstance(location, dict) else location

        def loc(field):
            return location.get(field, where) if isinstance(location, dict) else location

        number = _cell_text(values.get("payment_number")).strip()
        if not number:
            self.problems.append(f"{where}: the payment has no payment number")
            return
        record = {"number": number, "location": where, "currency_signs": set()}
        if not _is_empty(values.get("payment_date")):
            record["date"] = self._date(values["payment_date"], loc("payment_date"),
                                        "payment date")
        else:
            self.problems.append(f"{where}: payment {number} has no payment date")
        column_currency = header.column_currency if header else {}
        for field in ("payment_amount", "amount_invoice_currency", "exchange_rate"):
            value = values.get(field)
            if _is_empty(value):
                continue
            parsed = self._amount(value, loc(field), LABELS[field].lower())
            if parsed:
                record[field] = parsed[0]
                if parsed[1] or column_currency.get(field):
                    record[field + "_currency"] = parsed[1] or column_currency[field]
                if parsed[2]:
                    record["currency_signs"].add(parsed[2])
        for field in ("payment_currency", "invoice_currency"):
            if not _is_empty(values.get(field)):
                record[field] = self._currency_code(values[field], loc(field),
                                                    LABELS[field].lower())
        record["method"] = _cell_text(values.get("payment_method"))
        record["unique_id"] = _cell_text(values.get("unique_payment_id"))
        record["vendor_codes"] = _codes(values.get("vendor_code"))
        record["payee_codes"] = _codes(values.get("payee_code"))
        status_text = _cell_text(values.get("payment_status"))
        record["status"] = "SUCCESSFUL"
        if status_text:
            status = _STATUS_INDEX.get(_norm(status_text))
            if status is None:
                self.problems.append(f"{loc('payment_status')}: payment status "
                                     f"{status_text!r} is not one this import knows")
            else:
                record["status"] = status
        previous = payments.get(number)
        if previous is None:
            payments[number] = record
            return
        compared = ("date", "payment_amount", "amount_invoice_currency", "payment_currency")
        if any(previous.get(k) != record.get(k) for k in compared):
            self.problems.append(f"{where}: payment {number} is listed twice with different "
                                 f"details (first at {previous['location']})")

    def _line_from_values(self, values, location, header):
        number = _cell_text(values.get("invoice_number")).strip()
        if not number:
            self.problems.append(f"{location}: the line has no invoice number")
            return None
        line = {"location": location, "invoice_number": number,
                "payment_number": _cell_text(values.get("payment_number")).strip(),
                "currency_signs": set(), "currencies": set()}
        if not _is_empty(values.get("payment_date")):
            line["payment_date"] = self._date(values["payment_date"], location, "payment date")
        if not _is_empty(values.get("invoice_date")):
            line["invoice_date"] = self._date(values["invoice_date"], location, "invoice date")
        for field in ("invoice_amount", "amount_paid", "discount", "withholding", "tax_amount",
                      "remaining_amount"):
            value = values.get(field)
            if _is_empty(value):
                if field in ("invoice_amount", "amount_paid") and field in header.columns:
                    self.problems.append(f"{location}: invoice {number} has no "
                                         f"{LABELS[field].lower()}")
                continue
            parsed = self._amount(value, location, LABELS[field].lower())
            if parsed:
                line[field] = parsed[0]
                cur = parsed[1] or header.column_currency.get(field)
                if cur:
                    line["currencies"].add(cur)
                if parsed[2]:
                    line["currency_signs"].add(parsed[2])
        for field in ("invoice_currency", "currency"):
            if not _is_empty(values.get(field)):
                code = self._currency_code(values[field], location, LABELS[field].lower())
                if code:
                    line.setdefault("currency_column", code)
                    if line["currency_column"] != code:
                        self.problems.append(f"{location}: the line names two currencies "
                                             f"({line['currency_column']}, {code})")
        line["description"] = _cell_text(values.get("description"))
        line["invoice_type"] = _cell_text(values.get("invoice_type"))
        line["payment_terms"] = _cell_text(values.get("payment_terms"))
        line["vendor_codes"] = _codes(values.get("vendor_code"))
        return line

    def _line_currency(self, line, payment):
        column = line.get("currency_column")
        shown = line["currencies"]
        if column and shown - {column}:
            self.problems.append(f"{line['location']}: the amounts show "
                                 f"{', '.join(sorted(shown))} but the currency column says "
                                 f"{column}")
            return None
        if len(shown) > 1:
            self.problems.append(f"{line['location']}: the amounts show several currencies "
                                 f"({', '.join(sorted(shown))})")
            return None
        payment = payment or {}
        code = (column or next(iter(shown), None) or payment.get("invoice_currency")
                or payment.get("amount_invoice_currency_currency")
                or payment.get("payment_currency") or payment.get("payment_amount_currency")
                or self.currency_hint)
        if not code:
            signs = line["currency_signs"] or payment.get("currency_signs")
            if signs:
                self.problems.append(
                    f"{line['location']}: the amounts show {next(iter(signs))!r}, which several "
                    f"currencies use, and the file has no currency column; choose the currency")
            else:
                self.problems.append(f"{line['location']}: the file shows no currency for this "
                                     f"line; choose the currency")
            return None
        return code

    def _assemble(self, payments, lines, has_lines):
        by_payment = collections.OrderedDict((number, []) for number in payments)
        for line in lines:
            number = line["payment_number"]
            if not number:
                if len(payments) == 1:
                    number = next(iter(payments))
                else:
                    self.problems.append(
                        f"{line['location']}: the line has no payment number and the file "
                        f"{'lists several payments' if payments else 'shows no payment'}")
                    continue
            payment = payments.get(number)
            if payment is None:
                if line.get("payment_date") is None:
                    self.problems.append(
                        f"{line['location']}: payment {number} is not in the file's payments "
                        f"and the line has no payment date")
                    continue
                payment = payments[number] = {"number": number, "location": line["location"],
                                              "date": line["payment_date"], "status": "SUCCESSFUL",
                                              "currency_signs": set(), "method": "",
                                              "unique_id": "", "vendor_codes": (),
                                              "payee_codes": ()}
                by_payment[number] = []
            elif line.get("payment_date") and payment.get("date") and \
                    line["payment_date"] != payment["date"]:
                self.problems.append(
                    f"{line['location']}: payment date {line['payment_date']} differs from the "
                    f"date of payment {number} ({payment['date']}, {payment['location']})")
            by_payment[number].append(line)

        result = []
        for number, payment_lines in by_payment.items():
            payment = payments[number]
            if has_lines and not payment_lines:
                self.problems.append(f"{payment['location']}: payment {number} has no invoice "
                                     f"lines in the file")
                continue
            built = [self._neutral_line(line, payment) for line in payment_lines]
            if any(b is None for b in built):
                continue
            remittance = self._neutral_payment(payment, built)
            if remittance:
                result.append(remittance)
        if self.problems:
            self.fail()
        return result

    def _neutral_line(self, line, payment):
        code = self._line_currency(line, payment)
        if code is None or "invoice_amount" not in line or "amount_paid" not in line:
            return None
        return RemittanceLine(
            invoice_number=line["invoice_number"], currency=code,
            invoice_amount=line["invoice_amount"], amount_paid=line["amount_paid"],
            discount=line.get("discount", Decimal(0)),
            withholding=line.get("withholding", Decimal(0)),
            tax_amount=line.get("tax_amount"), invoice_date=line.get("invoice_date"),
            description=line["description"], invoice_type=line["invoice_type"],
            payment_terms=line["payment_terms"], vendor_codes=line["vendor_codes"])

    def _neutral_payment(self, payment, lines):
        number, where = payment["number"], payment["location"]
        line_currencies = {line.currency for line in lines}
        invoice_currency = (payment.get("invoice_currency")
                            or payment.get("amount_invoice_currency_currency")
                            or (next(iter(line_currencies)) if len(line_currencies) == 1
                                else ""))
        currency = (payment.get("payment_currency") or payment.get("payment_amount_currency")
                    or invoice_currency or self.currency_hint)
        amount = payment.get("payment_amount")
        amount_inv = payment.get("amount_invoice_currency")
        paid = sum((line.amount_paid for line in lines), Decimal(0))
        if amount is None and amount_inv is not None and (
                not payment.get("payment_currency") or currency == invoice_currency):
            amount = amount_inv
        if amount is None and lines and len(line_currencies) == 1 and (
                not currency or currency in line_currencies):
            amount, currency = paid, next(iter(line_currencies))
        if not currency:
            sign = next(iter(payment["currency_signs"]), None)
            self.problems.append(
                f"{where}: payment {number} shows no currency"
                + (f" (only {sign!r}, which several currencies use)" if sign else "")
                + "; choose the currency")
            return None
        if amount is None:
            self.problems.append(f"{where}: payment {number} shows no amount")
            return None
        if lines and len(line_currencies) == 1:
            expected = amount_inv if amount_inv is not None else (
                amount if currency in line_currencies else None)
            if expected is not None and expected != paid:
                self.problems.append(
                    f"{where}: the lines of payment {number} add up to {paid} "
                    f"{next(iter(line_currencies))} but the payment shows {expected}; the file "
                    f"is incomplete or its columns were misread")
                return None
        if payment.get("date") is None:
            return None  # reported
        return Remittance(
            unique_payment_id=payment.get("unique_id") or number, payment_number=number,
            payment_date=payment["date"], amount=amount, currency=currency,
            status=payment.get("status", "SUCCESSFUL"),
            invoice_currency=invoice_currency, amount_invoice_currency=amount_inv,
            exchange_rate=payment.get("exchange_rate"), method=payment.get("method", ""),
            vendor_codes=payment.get("vendor_codes", ()),
            payee_codes=payment.get("payee_codes", ()), lines=tuple(lines), source="export")


def _get(cells, index):
    if index is None or index >= len(cells):
        return None
    return cells[index]


def _codes(value):
    text = _cell_text(value)
    return tuple(c for c in (p.strip() for p in re.split(r"[,;/]", text)) if c)


def _main_language(langs):
    """The header language when it is clearly not English, else ''."""
    counts = collections.Counter(langs)
    if not counts:
        return ""
    lang, count = counts.most_common(1)[0]
    return lang if lang != "en" and count > counts.get("en", 0) else ""
