"""Observed competitor or retailer prices from a user's file (CSV or XLSX) -> rows.
Pure code; every problem is reported with its row number, and a file with problems is
refused whole (nothing half-imported)."""
import csv
import datetime
import io
from decimal import Decimal, InvalidOperation

COLUMNS = {"asin": ("asin",), "sku": ("sku", "vendor sku", "default_code", "internal reference"),
           "price": ("price", "observed price"), "currency": ("currency",),
           "date": ("date", "observed on"), "source": ("source", "retailer", "competitor"),
           "url": ("url", "link")}
MAX_ROWS = 200000


class PriceImportError(ValueError):
    """The file cannot be imported. ``code`` names the reason (the caller words it in the
    user's language, with ``params``); ``problems`` lists (row, code, params) per bad row."""

    def __init__(self, code, params=None, problems=()):
        super().__init__(code)
        self.code = code
        self.params = params or {}
        self.problems = list(problems)


def _table(content, filename):
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm")) or content[:2] == b"PK":
        import openpyxl

        try:
            sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True,
                                           data_only=True).active
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
            raise PriceImportError("bad_xlsx", {"error": str(exc)}) from None
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    if name.endswith(".xls"):
        raise PriceImportError("xls")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PriceImportError("not_utf8") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _header(row):
    found = {}
    for index, cell in enumerate(row):
        label = str(cell or "").strip().lower()
        for key, names in COLUMNS.items():
            if label in names and key not in found:
                found[key] = index
    return found


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value).strip()[:10])


def parse_prices(content, filename, default_date):
    """[{asin|sku, price (Decimal), currency, date, source, url}] or PriceImportError."""
    if not content:
        raise PriceImportError("empty")
    table = [row for row in _table(content, filename) if any(c not in (None, "") for c in row)]
    if not table:
        raise PriceImportError("empty")
    columns = _header(table[0])
    if "price" not in columns or not ({"asin", "sku"} & set(columns)):
        raise PriceImportError("header")
    if len(table) - 1 > MAX_ROWS:
        raise PriceImportError("too_many", {"max": MAX_ROWS})
    rows, problems = [], []
    for number, raw in enumerate(table[1:], start=2):
        def cell(key, raw=raw):
            index = columns.get(key)
            value = raw[index] if index is not None and index < len(raw) else None
            return value.strip() if isinstance(value, str) else value
        asin, sku = cell("asin"), cell("sku")
        if not asin and not sku:
            problems.append((number, "no_code", {}))
            continue
        try:
            price = Decimal(str(cell("price")).replace(",", ".")) \
                if cell("price") not in (None, "") else None
        except InvalidOperation:
            price = None
        if price is None or not price.is_finite() or price <= 0:
            problems.append((number, "bad_price", {"value": str(cell("price"))}))
            continue
        try:
            day = _date(cell("date")) if cell("date") not in (None, "") else default_date
        except ValueError:
            problems.append((number, "bad_date", {"value": str(cell("date"))}))
            continue
        currency = str(cell("currency") or "").upper() or None
        if currency and (len(currency) != 3 or not currency.isalpha()):
            problems.append((number, "bad_currency", {"value": currency}))
            continue
        rows.append({"asin": str(asin) if asin else None, "sku": str(sku) if sku else None,
                     "price": price, "currency": currency, "date": day,
                     "source": str(cell("source") or "")[:120] or None,
                     "url": str(cell("url") or "")[:500] or None})
    if problems:
        raise PriceImportError("bad_rows", problems=problems)
    return rows
