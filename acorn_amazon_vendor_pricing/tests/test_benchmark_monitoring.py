"""Benchmark (printed, never asserted on time): a monitoring pass over many products with 90
days of daily sales each; time and queries at two sizes, to show both stay flat per product.

Run with ``--test-tags=acorn_benchmark``; PRICING_BENCH_PRODUCTS sets the larger size
(default 20000)."""
import datetime
import logging
import os
import time

from odoo.tests import tagged
from odoo.tools import SQL

from .common import PricingCase

_logger = logging.getLogger(__name__)
DAYS = 90


@tagged("post_install", "-at_install", "-standard", "acorn_benchmark")
class TestMonitoringBenchmark(PricingCase):

    def _populate(self, count, prefix):
        """``count`` products with 90 daily sales rows, a net PPM and an inventory row, in
        bulk SQL (the pass is measured, not the set-up)."""
        Template = self.env["product.template"]
        templates = Template.create([{
            "name": f"{prefix} {n}", "default_code": f"{prefix}-{n}",
            "amazon_vendor_asin": f"B{prefix[:2].upper()}{n:08d}", "list_price": 20.0,
            "amazon_vendor_net_cost": 10.0, "amazon_vendor_map_price": 17.0 if n % 7 == 0
            else 0.0} for n in range(count)])
        self.env["amazon.vendor.product.price"].create([{
            "account_id": self.account.id, "product_tmpl_id": template.id,
            "cost_on_file": 9.5 if n % 11 == 0 else 10.0}
            for n, template in enumerate(templates)])
        self.env.flush_all()
        sales = self._document("GET_VENDOR_SALES_REPORT")
        margin = self._document("GET_VENDOR_NET_PURE_PRODUCT_MARGIN_REPORT")
        end = self.today - datetime.timedelta(days=1)
        self.env.cr.execute(SQL(
            """INSERT INTO amazon_vendor_report_sales
                   (document_id, account_id, company_id, product_id, asin, start_date,
                    end_date, ordered_units, ordered_revenue, shipped_units, shipped_revenue,
                    shipped_cogs, customer_returns)
               SELECT %(doc)s, %(account)s, %(company)s, pp.id, pt.amazon_vendor_asin,
                      %(end)s - d, %(end)s - d, 10, 10 * (15 + mod(pp.id, 6)), 10,
                      10 * (15 + mod(pp.id, 6)), 100, 0
                 FROM product_template pt JOIN product_product pp ON pp.product_tmpl_id = pt.id
                      CROSS JOIN generate_series(0, %(days)s - 1) d
                WHERE pt.id = ANY(%(templates)s)""",
            doc=sales.id, account=self.account.id, company=self.env.company.id, end=end,
            days=DAYS, templates=templates.ids))
        self.env.cr.execute(SQL(
            """INSERT INTO amazon_vendor_report_margin
                   (document_id, account_id, company_id, product_id, asin, start_date,
                    end_date, net_ppm)
               SELECT %(doc)s, %(account)s, %(company)s, pp.id, pt.amazon_vendor_asin,
                      %(end)s, %(end)s, mod(pp.id, 20) - 3
                 FROM product_template pt JOIN product_product pp ON pp.product_tmpl_id = pt.id
                WHERE pt.id = ANY(%(templates)s)""",
            doc=margin.id, account=self.account.id, company=self.env.company.id, end=end,
            templates=templates.ids))
        self.env.invalidate_all()

    def _pass(self):
        self.env.flush_all()
        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        start = time.perf_counter()
        summary = self.monitor()
        self.env.flush_all()
        return {"products": summary["products_monitored"],
                "seconds": round(time.perf_counter() - start, 2),
                "queries": self.cr.sql_log_count - queries,
                "new_alerts": summary["new_alerts"], "suggestions": summary["suggestions"]}

    def test_monitoring_pass_scales_flat(self):
        large = int(os.environ.get("PRICING_BENCH_PRODUCTS", "20000"))
        small = max(1, large // 10)
        figures = {}
        self._populate(small, "small")
        figures["small_first"] = self._pass()  # every alert and suggestion is new
        figures["small_daily"] = self._pass()  # the next day: the same alerts seen again
        self._populate(large - small, "large")
        figures["large_first"] = self._pass()
        figures["large_daily"] = self._pass()
        figures["sales_rows"] = large * DAYS
        lines = [f"{name}: {f['products']} products {f['seconds']}s {f['queries']} queries "
                 f"({f['new_alerts']} new alerts, {f['suggestions']} suggestions)"
                 for name, f in figures.items() if isinstance(f, dict)]
        message = (f"pricing benchmark ({DAYS} days of daily sales, {figures['sales_rows']} "
                   f"sales rows): " + "; ".join(lines))
        print(message, flush=True)  # pylint: disable=print-used  # figures shown, never asserted
        _logger.info(message)
