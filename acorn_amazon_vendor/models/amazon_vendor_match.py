"""Three-way match per Amazon PO: ordered / acknowledged / shipped / invoiced, side by side."""
import io

import xlsxwriter

from odoo import _, fields, models, tools
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

COLUMNS = [
    # (field, label, kind)
    ("po_number", _lt("Amazon PO"), "text"),
    ("order_name", _lt("Sale Order"), "text"),
    ("account_name", _lt("Account"), "text"),
    ("ship_to_code", _lt("Fulfilment Centre"), "text"),
    ("po_date", _lt("PO Date"), "date"),
    ("currency_name", _lt("Currency"), "text"),
    ("ordered_qty", _lt("Ordered"), "qty"),
    ("acknowledged_qty", _lt("Acknowledged"), "qty"),
    ("shipped_qty", _lt("Shipped"), "qty"),
    ("invoiced_qty", _lt("Invoiced"), "qty"),
    ("ordered_amount", _lt("Ordered Amount"), "money"),
    ("acknowledged_amount", _lt("Acknowledged Amount"), "money"),
    ("shipped_amount", _lt("Shipped Amount"), "money"),
    ("invoiced_amount", _lt("Invoiced Amount"), "money"),
    ("discrepancy", _lt("Discrepancy"), "text"),
]


class AmazonVendorMatch(models.Model):
    _name = "amazon.vendor.match"
    _description = "Amazon Three-Way Match"
    _auto = False
    _order = "po_date desc, id desc"
    _rec_name = "po_number"
    # Fields the SQL view reads: flushed before any search on it.
    _depends = {
        "sale.order": ["name", "state", "company_id", "currency_id", "amazon_vendor_account_id",
                       "amazon_vendor_po_number", "amazon_vendor_ship_to_code",
                       "amazon_vendor_po_date"],
        "sale.order.line": ["order_id", "display_type", "amazon_vendor_item_sequence",
                            "amazon_vendor_ordered_qty", "amazon_vendor_accepted_qty",
                            "amazon_vendor_backordered_qty", "amazon_vendor_net_cost",
                            "qty_delivered", "qty_invoiced", "price_unit",
                            "untaxed_amount_invoiced"],
        "amazon.vendor.account": ["name"],
    }

    order_id = fields.Many2one("sale.order", readonly=True)
    order_name = fields.Char(string="Sale Order", readonly=True)
    account_id = fields.Many2one("amazon.vendor.account", readonly=True)
    account_name = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    currency_name = fields.Char(readonly=True)
    po_number = fields.Char(string="Amazon PO", readonly=True)
    ship_to_code = fields.Char(string="Fulfilment Centre", readonly=True)
    po_date = fields.Datetime(string="PO Date", readonly=True)
    ordered_qty = fields.Float(string="Ordered", readonly=True)
    acknowledged_qty = fields.Float(string="Acknowledged", readonly=True)
    shipped_qty = fields.Float(string="Shipped", readonly=True)
    invoiced_qty = fields.Float(string="Invoiced", readonly=True)
    ordered_amount = fields.Monetary(readonly=True)
    acknowledged_amount = fields.Monetary(readonly=True)
    shipped_amount = fields.Monetary(readonly=True)
    invoiced_amount = fields.Monetary(readonly=True)
    has_discrepancy = fields.Boolean(readonly=True)
    discrepancy = fields.Char(compute="_compute_discrepancy")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE VIEW {self._table} AS (
            WITH lines AS (
                SELECT so.id AS order_id,
                       SUM(sol.amazon_vendor_ordered_qty) AS ordered_qty,
                       SUM(COALESCE(sol.amazon_vendor_accepted_qty, 0)
                           + COALESCE(sol.amazon_vendor_backordered_qty, 0)) AS acknowledged_qty,
                       SUM(sol.qty_delivered) AS shipped_qty,
                       SUM(sol.qty_invoiced) AS invoiced_qty,
                       SUM(sol.amazon_vendor_ordered_qty * sol.amazon_vendor_net_cost)
                           AS ordered_amount,
                       SUM((COALESCE(sol.amazon_vendor_accepted_qty, 0)
                            + COALESCE(sol.amazon_vendor_backordered_qty, 0))
                           * sol.amazon_vendor_net_cost) AS acknowledged_amount,
                       -- rounded per line, as invoice lines are (Amazon costs may have
                       -- more decimals than the currency)
                       SUM(ROUND(sol.qty_delivered * sol.price_unit / lcur.rounding)
                           * lcur.rounding) AS shipped_amount,
                       SUM(sol.untaxed_amount_invoiced) AS invoiced_amount
                  FROM sale_order so
                  JOIN sale_order_line sol ON sol.order_id = so.id
                  JOIN res_currency lcur ON lcur.id = so.currency_id
                 WHERE so.amazon_vendor_account_id IS NOT NULL
                   AND sol.amazon_vendor_item_sequence IS NOT NULL
                   AND sol.display_type IS NULL
              GROUP BY so.id)
            SELECT so.id, so.id AS order_id, so.name AS order_name,
                   so.amazon_vendor_account_id AS account_id, acc.name AS account_name,
                   so.company_id, so.currency_id, cur.name AS currency_name,
                   so.amazon_vendor_po_number AS po_number,
                   so.amazon_vendor_ship_to_code AS ship_to_code,
                   so.amazon_vendor_po_date AS po_date,
                   l.ordered_qty, l.acknowledged_qty, l.shipped_qty, l.invoiced_qty,
                   l.ordered_amount, l.acknowledged_amount, l.shipped_amount, l.invoiced_amount,
                   (so.state = 'sale' AND (l.shipped_qty > l.acknowledged_qty
                     OR l.invoiced_qty > l.shipped_qty
                     OR ABS(l.invoiced_amount - l.shipped_amount) > 0.005
                        AND l.invoiced_qty = l.shipped_qty)) AS has_discrepancy
              FROM sale_order so
              JOIN lines l ON l.order_id = so.id
              JOIN amazon_vendor_account acc ON acc.id = so.amazon_vendor_account_id
              JOIN res_currency cur ON cur.id = so.currency_id)
        """)

    def _compute_discrepancy(self):
        for row in self:
            reasons = []
            if row.shipped_qty > row.acknowledged_qty:
                reasons.append(_("shipped above acknowledged"))
            if row.invoiced_qty > row.shipped_qty:
                reasons.append(_("invoiced above shipped"))
            elif row.invoiced_qty and row.shipped_qty > row.invoiced_qty:
                reasons.append(_("shipped not yet invoiced"))
            if row.acknowledged_qty < row.ordered_qty:
                reasons.append(_("acknowledged below ordered"))
            if row.invoiced_qty == row.shipped_qty and row.currency_id.compare_amounts(
                    row.invoiced_amount, row.shipped_amount):
                reasons.append(_("invoiced amount differs from shipped value"))
            row.discrepancy = ", ".join(reasons)

    def action_export_xlsx(self):
        """A real spreadsheet (formats, totals, highlighted discrepancies) of these rows."""
        rows = self or self.search([])
        content = rows._xlsx_content()
        attachment = self.env["ir.attachment"].create({
            "name": "amazon-three-way-match.xlsx", "raw": content,
            "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
        return {"type": "ir.actions.act_url", "target": "self",
                "url": f"/web/content/{attachment.id}?download=true"}

    def _xlsx_content(self):
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = book.add_worksheet(_("Three-way match"))
        header = book.add_format({"bold": True, "bg_color": "#232F3E", "font_color": "#FFFFFF",
                                  "border": 1, "text_wrap": True, "valign": "vcenter"})
        formats = {"text": book.add_format({}), "qty": book.add_format({"num_format": "#,##0"}),
                   "money": book.add_format({"num_format": "#,##0.00"}),
                   "date": book.add_format({"num_format": "yyyy-mm-dd hh:mm"})}
        flagged = {kind: book.add_format(dict(props, bg_color="#FDE2E1"))
                   for kind, props in (("text", {}), ("qty", {"num_format": "#,##0"}),
                                       ("money", {"num_format": "#,##0.00"}),
                                       ("date", {"num_format": "yyyy-mm-dd hh:mm"}))}
        total = book.add_format({"bold": True, "top": 2, "num_format": "#,##0.00"})
        total_qty = book.add_format({"bold": True, "top": 2, "num_format": "#,##0"})
        for col, (_field, label, kind) in enumerate(COLUMNS):
            sheet.write(0, col, str(label), header)
            sheet.set_column(col, col, 14 if kind != "text" else 18)
        sheet.freeze_panes(1, 0)
        for row_index, row in enumerate(self, start=1):
            style = flagged if row.discrepancy else formats
            for col, (field, _label, kind) in enumerate(COLUMNS):
                value = row[field]
                if kind == "date":
                    if value:
                        sheet.write_datetime(row_index, col, value, style[kind])
                    else:
                        sheet.write_blank(row_index, col, None, style[kind])
                elif kind in ("qty", "money"):
                    sheet.write_number(row_index, col, value or 0.0, style[kind])
                else:
                    sheet.write_string(row_index, col, value or "", style[kind])
        last = len(self) + 1
        # One total per currency: amounts in different currencies never add up.
        currency_col = next(col for col, column in enumerate(COLUMNS)
                            if column[0] == "currency_name")
        currency_letter = xlsxwriter.utility.xl_col_to_name(currency_col)
        currencies = self.currency_id.sorted("name")
        for offset, currency in enumerate(currencies or [None]):
            total_row = last + offset
            rows = self.filtered(lambda r, c=currency: r.currency_id == c) if currency else self
            sheet.write(total_row, 0, _("Total"), total)
            if currency:
                sheet.write(total_row, currency_col, currency.name, total)
            for col, (field, _label, kind) in enumerate(COLUMNS):
                if kind not in ("qty", "money"):
                    continue
                letter = xlsxwriter.utility.xl_col_to_name(col)
                if len(currencies) > 1:
                    formula = (f'=SUMIF(${currency_letter}$2:${currency_letter}${last},'
                               f'"{currency.name}",{letter}2:{letter}{last})')
                else:
                    formula = f"=SUM({letter}2:{letter}{last})"
                sheet.write_formula(total_row, col, formula,
                                    total if kind == "money" else total_qty,
                                    sum(row[field] or 0 for row in rows))
        sheet.autofilter(0, 0, last - 1, len(COLUMNS) - 1)
        book.close()
        return buffer.getvalue()
