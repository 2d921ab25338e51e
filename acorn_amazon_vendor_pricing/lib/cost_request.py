"""The spreadsheet Vendor Central's cost-change request takes (there is no API to submit a
cost change): one row per item with the current and new cost, the effective date and the
reason. Pure code: rows in, XLSX bytes out (openpyxl)."""
import io

HEADERS = ("ASIN", "Vendor SKU", "Vendor Code", "Product Title", "Currency", "Current Cost",
           "New Cost", "Current List Price", "New List Price", "Effective Date",
           "Reason for Change")
KEYS = ("asin", "sku", "vendor_code", "title", "currency", "current_cost", "new_cost",
        "current_list_price", "new_list_price", "effective_date", "reason")


def build_xlsx(rows, sheet_title="Cost Change Request"):
    import openpyxl  # Odoo's own dependency; imported here so the module loads without it

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(key) if row.get(key) not in (None, False) else None
                      for key in KEYS])
    for column, width in zip("ABCDEFGHIJK", (14, 16, 12, 40, 9, 13, 13, 17, 15, 14, 50),
                             strict=True):
        sheet.column_dimensions[column].width = width
    for cell in sheet["J"][1:]:
        cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_xlsx(content):
    """[{header: value}] of the first sheet (used to check what was produced)."""
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        return []
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]
