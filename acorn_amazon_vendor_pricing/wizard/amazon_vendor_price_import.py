import base64

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..lib.price_import import PriceImportError, parse_prices

MAX_PROBLEMS_SHOWN = 20


class AmazonVendorPriceImport(models.TransientModel):
    """Observed competitor or retailer prices from a CSV or XLSX file: columns price and asin
    or sku, optionally currency, date, source, url. A file with a bad row is refused whole."""
    _name = "amazon.vendor.price.import"
    _description = "Import Observed Prices"

    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.company)
    file = fields.Binary(required=True, attachment=False)
    file_name = fields.Char()

    def action_import(self):
        self.ensure_one()
        content = base64.b64decode(self.file or b"")
        try:
            rows = parse_prices(content, self.file_name, fields.Date.context_today(self))
        except PriceImportError as exc:
            raise UserError(self._explain(exc)) from None
        company = self.company_id
        asins = {r["asin"] for r in rows if r["asin"]}
        skus = {r["sku"] for r in rows if r["sku"]}
        Product = self.env["product.product"]
        domain = [("company_id", "in", [False, company.id])]
        by_asin = {p.amazon_vendor_asin: p for p in Product.search(
            domain + [("amazon_vendor_asin", "in", list(asins))])} if asins else {}
        by_sku = {p.default_code: p for p in Product.search(
            domain + [("default_code", "in", list(skus))])} if skus else {}
        currencies = {c.name: c for c in self.env["res.currency"].with_context(
            active_test=False).search([])}
        values, problems = [], []
        for number, row in enumerate(rows, start=2):
            product = by_asin.get(row["asin"]) or by_sku.get(row["sku"])
            if not product:
                problems.append(_("row %(row)s: no product with ASIN or SKU %(code)s",
                                  row=number, code=row["asin"] or row["sku"]))
                continue
            currency = currencies.get(row["currency"]) if row["currency"] \
                else company.currency_id
            if not currency:
                problems.append(_("row %(row)s: unknown currency %(currency)s", row=number,
                                  currency=row["currency"]))
                continue
            values.append({"company_id": company.id, "product_id": product.id,
                           "price": float(row["price"]), "currency_id": currency.id,
                           "date": row["date"], "source": row["source"], "url": row["url"],
                           "origin": "import"})
        if problems:
            raise UserError(_("The file was not imported:\n%s",
                              "\n".join(problems[:MAX_PROBLEMS_SHOWN])))
        records = self.env["amazon.vendor.price.observation"].create(values)
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "type": "success", "sticky": False,
            "message": _("%s observed prices imported.", len(records)),
            "next": {"type": "ir.actions.act_window_close"}}}

    def _reason(self, code, params):
        reasons = {
            "bad_xlsx": _("the file is not a readable XLSX workbook (%(error)s)."),
            "xls": _("old Excel files (.xls) are not read: save the file as .xlsx or .csv."),
            "not_utf8": _("the CSV file is not UTF-8 text."),
            "empty": _("the file is empty."),
            "header": _("the first row must name the columns: price and asin or sku "
                        "(optional: currency, date, source, url)."),
            "too_many": _("the file has more than %(max)s rows."),
            "bad_rows": _("some rows cannot be read."),
            "no_code": _("no ASIN or SKU"),
            "bad_price": _("price %(value)s is not a positive number"),
            "bad_date": _("date %(value)s is not a date (YYYY-MM-DD)"),
            "bad_currency": _("currency %(value)s is not an ISO 4217 code"),
        }
        text = reasons.get(code, code)
        return text % params if params else text

    def _explain(self, exc):
        lines = [_("The file was not imported: %s", self._reason(exc.code, exc.params))]
        lines += [_("row %(row)s: %(problem)s", row=row, problem=self._reason(code, params))
                  for row, code, params in exc.problems[:MAX_PROBLEMS_SHOWN]]
        if len(exc.problems) > MAX_PROBLEMS_SHOWN:
            lines.append(_("... and %s more rows.", len(exc.problems) - MAX_PROBLEMS_SHOWN))
        return "\n".join(lines)
