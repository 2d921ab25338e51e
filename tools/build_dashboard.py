"""Write the Amazon Vendor spreadsheet dashboard (Odoo 18.0's spreadsheet JSON, data version
21) to acorn_amazon_vendor_dashboard/data/files/amazon_vendor_dashboard.json.

The dashboard is generated rather than drawn by hand so that every chart, pivot and list gets
the same global-filter matching. Usage: python3 tools/build_dashboard.py
Texts are English: cells use _t("..."), chart titles and filter labels are translated by
Odoo's spreadsheet term extractor (the addon's .pot).
"""
import json
import pathlib

OUT = pathlib.Path(__file__).resolve().parent.parent / \
    "acorn_amazon_vendor_dashboard/data/files/amazon_vendor_dashboard.json"
REPORT = "amazon.vendor.report"
STOCKOUT = "amazon.vendor.report.stockout"

# Global filters (stable ids: a saved filter value or a test refers to them).
F_DATE = "a1f0c0de-0001-4d00-8000-000000000001"
F_ACCOUNT = "a1f0c0de-0002-4d00-8000-000000000002"
F_REGION = "a1f0c0de-0003-4d00-8000-000000000003"
F_MARKETPLACE = "a1f0c0de-0004-4d00-8000-000000000004"
F_FC = "a1f0c0de-0005-4d00-8000-000000000005"
FILTERS = [
    {"id": F_DATE, "type": "date", "label": "Period", "defaultValue": "last_three_months",
     "rangeType": "relative"},
    {"id": F_ACCOUNT, "type": "relation", "label": "Vendor Account",
     "modelName": "amazon.vendor.account", "defaultValue": [], "defaultValueDisplayNames": []},
    {"id": F_REGION, "type": "text", "label": "Region", "defaultValue": "",
     "rangeOfAllowedValues": "Data!E2:E4"},
    {"id": F_MARKETPLACE, "type": "relation", "label": "Marketplace",
     "modelName": "amazon.vendor.marketplace", "defaultValue": [],
     "defaultValueDisplayNames": []},
    {"id": F_FC, "type": "text", "label": "Fulfilment Centre", "defaultValue": ""},
]


def matching(date_field="date", date_type="datetime", dimensions=True):
    """fieldMatching of one data source: the period on ``date_field`` (None: not dated by
    the period), and the account, region, marketplace and centre when ``dimensions``."""
    result = {}
    result[F_DATE] = {"chain": date_field, "type": date_type, "offset": 0} if date_field \
        else {}
    for fid, chain, ftype in ((F_ACCOUNT, "account_id", "many2one"),
                              (F_REGION, "region", "selection"),
                              (F_MARKETPLACE, "marketplace_id", "many2one"),
                              (F_FC, "ship_to_code", "char")):
        result[fid] = {"chain": chain, "type": ftype} if dimensions else {}
    return result


STOCKOUT_MATCHING = matching(date_field=None, dimensions=False)

# -- pivots -------------------------------------------------------------------------------
TABLE_MEASURES = ["order_count", "ack_on_time_rate", "confirmation_rate", "fill_rate",
                  "asn_on_time_rate", "acceptance_rate", "open_amount"]
TOTAL_MEASURES = ["order_count", "ack_count", "ack_on_time_count", "ack_ordered_qty",
                  "confirmed_qty", "shipped_qty", "shipment_count", "asn_on_time_count",
                  "answered_count", "accepted_count"]
pivots = {}


def pivot(pid, name, model, measures, rows=(), domain=(), field_matching=None, sort=None):
    pivots[str(pid)] = {
        "type": "ODOO", "id": str(pid), "formulaId": str(pid), "name": name, "model": model,
        "domain": list(domain), "context": {},
        "measures": [{"id": m, "fieldName": m} for m in measures],
        "rows": [{"fieldName": r} for r in rows], "columns": [],
        "sortedColumn": {"groupId": [[], []], "measure": sort, "order": "desc"} if sort
        else None,
        "fieldMatching": field_matching if field_matching is not None else matching(),
    }


pivot(1, "Amazon Vendor totals", REPORT, TOTAL_MEASURES)
pivot(2, "Open Amazon receivables", REPORT, ["open_amount"], domain=[["kind", "=", "invoice"]],
      field_matching=matching(date_field=None))
pivot(3, "Stock-out risks", STOCKOUT, ["risk_count"], field_matching=STOCKOUT_MATCHING)
DIMENSIONS = [  # (pivot id, row field, title)
    (4, "account_id", "Per vendor account"),
    (5, "region", "Per region"),
    (6, "marketplace_id", "Per marketplace"),
    (7, "ship_to_code", "Per fulfilment centre"),
]
for pid, field, title in DIMENSIONS:
    pivot(pid, title, REPORT, TABLE_MEASURES, rows=[field], sort="order_count")

# -- lists --------------------------------------------------------------------------------
LIST_COLUMNS = ["product_id", "date", "warehouse_id", "shortage_qty"]
lists = {"1": {
    "id": "1", "name": "Stock-out risks", "model": STOCKOUT, "columns": LIST_COLUMNS,
    "domain": [], "context": {}, "orderBy": [{"name": "date", "asc": True}],
    "fieldMatching": STOCKOUT_MATCHING,
}}

# -- the Data sheet: scorecard values -----------------------------------------------------
data_cells = {"A1": "=_t(\"KPI\")", "B1": "=_t(\"Value\")", "C1": "=_t(\"Out of\")",
              "E1": "=_t(\"Regions\")", "E2": "NA", "E3": "EU", "E4": "FE"}
data_formats = {}
KPIS = [  # (row, label, value, out of, format)
    (2, "Acknowledged on time", "ack_on_time_count", "ack_count", "pct"),
    (3, "Confirmation rate", "confirmed_qty", "ack_ordered_qty", "pct"),
    (4, "Fill rate", "shipped_qty", "confirmed_qty", "pct"),
    (5, "ASN on time", "asn_on_time_count", "shipment_count", "pct"),
    (6, "Invoices accepted", "accepted_count", "answered_count", "pct"),
]
for row, label, numerator, denominator, _fmt in KPIS:
    data_cells[f"A{row}"] = f'=_t("{label}")'
    # A ratio of sums; no denominator, no rate (blank rather than a false 0 %).
    data_cells[f"B{row}"] = (f'=IFERROR(PIVOT.VALUE(1,"{numerator}")'
                             f'/PIVOT.VALUE(1,"{denominator}"),"")')
    data_cells[f"C{row}"] = f'=PIVOT.VALUE(1,"{denominator}")'
    data_formats[f"B{row}"] = 1
    data_formats[f"C{row}"] = 3
data_cells["A7"] = '=_t("Open Amazon receivables")'
data_cells["B7"] = '=PIVOT.VALUE(2,"open_amount")'
data_formats["B7"] = 2
data_cells["A8"] = '=_t("Stock-out risks")'
data_cells["B8"] = '=PIVOT.VALUE(3,"risk_count")'
data_formats["B8"] = 3
data_cells["A9"] = '=_t("Purchase orders")'
data_cells["B9"] = '=PIVOT.VALUE(1,"order_count")'
data_formats["B9"] = 3

# -- the Dashboard sheet ------------------------------------------------------------------
COL_WIDTHS = [220] + [135] * 7  # A..H: 1165 px, the figures fit in
ROW = 23
cells, styles = {}, {}
figures = []
fig_counter = [0]


def fig_id():
    fig_counter[0] += 1
    return f"a1f0c0de-f{fig_counter[0]:03d}-4d00-8000-0000000000{fig_counter[0]:02d}"


def scorecard(x, y, title, row, descr):
    figures.append({
        "id": fig_id(), "x": x, "y": y, "width": 282, "height": 104, "tag": "chart",
        "data": {"type": "scorecard", "title": {"text": title, "bold": True,
                                                 "color": "#434343"},
                 "background": "#EFF6FF", "keyValue": f"Data!B{row}",
                 "baseline": f"Data!C{row}" if descr else "", "baselineMode": "text",
                 "baselineDescr": descr or "", "baselineColorUp": "#434343",
                 "baselineColorDown": "#434343", "humanize": False}})


def chart(x, y, title, model, measure, group_by, domain, kind="odoo_line",
          field_matching=None, w=570, h=280):
    mode = "line" if kind == "odoo_line" else "bar"
    data = {
        "type": kind, "title": {"text": title, "bold": True, "color": "#434343"},
        "background": "#FFFFFF", "legendPosition": "none",
        "metaData": {"groupBy": group_by, "measure": measure, "order": None,
                     "resModel": model, "mode": mode},
        "searchParams": {"comparison": None, "context": {}, "domain": domain,
                         "groupBy": group_by, "orderBy": []},
        "verticalAxisPosition": "left", "stacked": False,
        "fieldMatching": field_matching if field_matching is not None else matching(),
    }
    if kind == "odoo_line":
        data.update({"fillArea": False, "cumulative": False})
    figures.append({"id": fig_id(), "x": x, "y": y, "width": w, "height": h, "tag": "chart",
                    "data": data})


def heading(cell, text):
    cells[cell] = {"content": f'=_t("{text}")', "style": 1}


heading("A1", "Amazon Vendor performance")
cards = [("Acknowledged on time", 2, "acknowledgements"),
         ("Confirmation rate", 3, "units ordered"),
         ("Fill rate", 4, "units confirmed"),
         ("ASN on time", 5, "shipments"),
         ("Invoices accepted", 6, "answered"),
         ("Open receivables", 7, None),
         ("Stock-out risks", 8, None),
         ("Purchase orders", 9, None)]
for i, (title, row, descr) in enumerate(cards):
    scorecard(4 + (i % 4) * 290, ROW + 8 + (i // 4) * 114, title, row, descr)
# Charts: two per row, each 12 rows high, from row 7.
CHARTS = [
    ("Acknowledged on time (%) by week", REPORT, "ack_on_time_rate", ["date:week"],
     [["ack_count", ">", 0]], "odoo_line", None),
    ("Confirmation rate (%) by week", REPORT, "confirmation_rate", ["date:week"],
     [["ack_ordered_qty", ">", 0]], "odoo_line", None),
    ("Fill rate (%) by week", REPORT, "fill_rate", ["date:week"],
     [["confirmed_qty", ">", 0]], "odoo_line", None),
    ("ASN on time (%) by week", REPORT, "asn_on_time_rate", ["date:week"],
     [["shipment_count", ">", 0]], "odoo_line", None),
    ("Invoices accepted (%) by week", REPORT, "acceptance_rate", ["date:week"],
     [["answered_count", ">", 0]], "odoo_line", None),
    ("Purchase orders by week", REPORT, "order_count", ["date:week"],
     [["kind", "=", "order"]], "odoo_bar", None),
    ("Open Amazon receivables by due week", REPORT, "open_amount", ["date_due:week"],
     [["kind", "=", "invoice"], ["open_amount", "!=", 0]], "odoo_bar",
     matching(date_field=None)),
    ("Stock-out risks by week they run out", STOCKOUT, "risk_count", ["date:week"], [],
     "odoo_bar", STOCKOUT_MATCHING),
]
CHART_ROW, CHART_ROWS = 12, 13
for i, (title, model, measure, group_by, domain, kind, fm) in enumerate(CHARTS):
    x = 4 if i % 2 == 0 else 4 + 570 + 12
    y = (CHART_ROW - 1 + (i // 2) * CHART_ROWS) * ROW
    chart(x, y, title, model, measure, group_by, domain, kind, fm)

# Tables per account, region, marketplace and fulfilment centre.
COLS = "ABCDEFGH"
HEADERS = ["Purchase orders", "Ack. on time (%)", "Confirmation (%)", "Fill rate (%)",
           "ASN on time (%)", "Invoices accepted (%)", "Open receivables"]
TOP = 8
row = CHART_ROW + (len(CHARTS) + 1) // 2 * CHART_ROWS + 1
for pid, field, title in DIMENSIONS:
    heading(f"A{row}", title)
    row += 1
    for col, text in zip(COLS[1:], HEADERS, strict=True):
        cells[f"{col}{row}"] = {"content": f'=_t("{text}")', "style": 2}
    cells[f"A{row}"] = {"content": '=_t("Name")', "style": 2}
    for rank in range(1, TOP + 1):
        r = row + rank
        cells[f"A{r}"] = {"content": f'=PIVOT.HEADER({pid},"#{field}",{rank})', "style": 3}
        for col, measure in zip(COLS[1:], TABLE_MEASURES, strict=True):
            cells[f"{col}{r}"] = {
                "content": f'=PIVOT.VALUE({pid},"{measure}","#{field}",{rank})',
                "format": 2 if measure == "open_amount" else 4 if "rate" in measure else 3}
    row += TOP + 2

heading(f"A{row}", "Stock-out risks (forecast)")
row += 1
for col, text in zip("ABCD", ["Product", "Runs out on", "Warehouse", "Short by lead time"],
                     strict=True):
    cells[f"{col}{row}"] = {"content": f'=_t("{text}")', "style": 2}
for rank in range(1, TOP + 2):
    r = row + rank
    for col, column in zip("ABCD", LIST_COLUMNS, strict=True):
        cells[f"{col}{r}"] = {"content": f'=ODOO.LIST(1,{rank},"{column}")', "style": 3}
last_row = row + TOP + 3


def sheet_cells(spec):
    """Odoo 18.0 (data version 21) keeps contents in cells and styles/formats apart."""
    out, style_map, format_map = {}, {}, {}
    for xc, value in spec.items():
        if isinstance(value, str):
            value = {"content": value}
        out[xc] = {"content": value["content"]}
        if "style" in value:
            style_map[xc] = value["style"]
        if "format" in value:
            format_map[xc] = value["format"]
    return out, style_map, format_map


dash_cells, dash_styles, dash_formats = sheet_cells(cells)
data_sheet_cells, _s, _f = sheet_cells(data_cells)
data_formats.update(_f)

snapshot = {
    "version": 21,
    "sheets": [
        {"id": "dashboard", "name": "Dashboard", "colNumber": len(COL_WIDTHS),
         "rowNumber": last_row, "rows": {}, "cols": {str(i): {"size": w}
                                                    for i, w in enumerate(COL_WIDTHS)},
         "merges": [], "cells": dash_cells, "styles": dash_styles, "formats": dash_formats,
         "borders": {}, "conditionalFormats": [], "figures": figures, "tables": [],
         "areGridLinesVisible": False, "isVisible": True, "headerGroups": {"ROW": [], "COL": []},
         "dataValidationRules": [], "comments": {}},
        {"id": "data", "name": "Data", "colNumber": 6, "rowNumber": 12, "rows": {},
         "cols": {"0": {"size": 200}, "1": {"size": 110}, "2": {"size": 110}},
         "merges": [], "cells": data_sheet_cells, "styles": {}, "formats": data_formats,
         "borders": {}, "conditionalFormats": [], "figures": [], "tables": [],
         "areGridLinesVisible": True, "isVisible": True, "headerGroups": {"ROW": [], "COL": []},
         "dataValidationRules": [], "comments": {}},
    ],
    "styles": {"1": {"textColor": "#01666b", "bold": True, "fontSize": 16},
               "2": {"bold": True, "fontSize": 11, "textColor": "#434343",
                     "fillColor": "#E6F2F3"},
               "3": {"textColor": "#434343", "verticalAlign": "middle"}},
    "formats": {"1": "0.0%", "2": "#,##0.00", "3": "#,##0", "4": "0.0"},
    "borders": {},
    "revisionId": "START_REVISION",
    "uniqueFigureIds": True,
    "settings": {"locale": {"name": "English (US)", "code": "en_US",
                            "thousandsSeparator": ",", "decimalSeparator": ".",
                            "dateFormat": "mm/dd/yyyy", "timeFormat": "hh:mm:ss",
                            "formulaArgSeparator": ",", "weekStart": 1}},
    "pivots": pivots,
    "pivotNextId": len(pivots) + 1,
    "customTableStyles": {},
    "odooVersion": 12,
    "globalFilters": FILTERS,
    "lists": lists,
    "listNextId": len(lists) + 1,
    "chartOdooMenusReferences": {},
}

if __name__ == "__main__":
    OUT.write_text(json.dumps(snapshot, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {OUT.relative_to(OUT.parents[3])}: {len(figures)} figures, "
          f"{len(pivots)} pivots, {len(lists)} lists")
