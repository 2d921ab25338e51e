import base64

from odoo import _, fields, models
from odoo.addons.acorn_amazon_vendor_forecast.lib import report_documents
from odoo.tools import SQL

from ..lib import amazon_prices

ROW_MODELS = {amazon_prices.NPPM: "amazon.vendor.report.margin",
              amazon_prices.RT_SALES: "amazon.vendor.report.hourly.sales"}
PARSERS = {amazon_prices.NPPM: amazon_prices.parse_nppm,
           amazon_prices.RT_SALES: amazon_prices.parse_real_time_sales}


class AmazonVendorDocument(models.Model):
    _inherit = "amazon.vendor.document"

    report_type = fields.Selection(
        selection_add=[(amazon_prices.NPPM, "Net PPM"),
                       (amazon_prices.RT_SALES, "Real-Time Sales")],
        ondelete={amazon_prices.NPPM: "set null", amazon_prices.RT_SALES: "set null"})

    def _amazon_vendor_archive_report(self, raw, compression):
        """The forecast archive keeps every report; the pricing reports are read here, and
        the Sales report's revenue and cost columns are added to the rows it archived."""
        self.ensure_one()
        try:
            document = report_documents.decode_document(raw, compression)
        except report_documents.ReportDocumentError:
            return super()._amazon_vendor_archive_report(raw, compression)
        kind = amazon_prices.report_type(document)
        if kind in PARSERS:
            return self._amazon_pricing_archive(raw, kind, document)
        result = super()._amazon_vendor_archive_report(raw, compression)
        if kind == amazon_prices.SALES and self.state == "processed":
            self._amazon_pricing_add_sales_money(amazon_prices.sales_money(document))
        return result

    def _amazon_pricing_archive(self, raw, kind, document):
        self.write({"payload_in": base64.b64encode(raw), "amazon_status": "DONE"})
        rows, skipped = PARSERS[kind](document)
        asins = {row["asin"] for row in rows}
        company = self.account_id.company_id
        by_asin = {}
        if asins:
            for product in self.env["product.product"].search(
                    [("amazon_vendor_asin", "in", list(asins)),
                     ("company_id", "in", [False, company.id])], order="id"):
                by_asin.setdefault(product.amazon_vendor_asin, product.id)
        self.env[ROW_MODELS[kind]].create([
            dict(row, document_id=self.id, account_id=self.account_id.id,
                 product_id=by_asin.get(row["asin"], False),
                 **({"net_ppm": row["net_ppm"] * 100.0} if "net_ppm" in row else {}))
            for row in rows])
        message = _("%(rows)s rows archived.", rows=len(rows))
        if skipped:
            message = _("%(rows)s rows archived, %(skipped)s incomplete rows skipped.",
                        rows=len(rows), skipped=skipped)
        dates = [row.get("end_date") or row["start_time"].date() for row in rows]
        self._set_state("processed", report_type=kind, report_row_count=len(rows),
                        error_message=False, report_date=max(dates) if dates else False)
        self.message_post(body=message)

    def _amazon_pricing_add_sales_money(self, money):
        if not money:
            return
        keys = list(money)
        self.env.cr.execute(SQL(
            """UPDATE amazon_vendor_report_sales s
                  SET ordered_revenue = v.revenue, shipped_cogs = v.cogs
                 FROM unnest(%s::varchar[], %s::date[], %s::date[], %s::float8[], %s::float8[])
                      AS v(asin, start_date, end_date, revenue, cogs)
                WHERE s.document_id = %s AND s.asin = v.asin
                  AND s.start_date = v.start_date AND s.end_date = v.end_date""",
            [k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys],
            [money[k][1] for k in keys], [money[k][2] for k in keys], self.id))
        self.env["amazon.vendor.report.sales"].invalidate_model(
            ["ordered_revenue", "shipped_cogs"])
