import datetime
import time

import numpy as np
from psycopg2.extras import execute_values

from odoo import Command
from odoo.tests import tagged

from .common import ForecastCase

TODAY = datetime.date(2026, 6, 17)  # not frozen: the figures are real seconds
FIRST_WEEK = datetime.date(2024, 6, 16)
WEEKS = 104


@tagged("post_install", "-at_install")
class TestForecastScale(ForecastCase):
    """The weekly cron over many products: set-based queries, figures printed."""

    def _catalogue(self, count, seed):
        products = self.env["product.product"].create([{
            "name": f"Scale item {seed}-{i}", "is_storable": True, "list_price": 5.0 + i % 7,
            "route_ids": [Command.link(self.sea_route.id)]} for i in range(count)])
        rng = np.random.default_rng(seed)
        means = rng.gamma(1.2, 8.0, count)
        rows = []
        for product, mean in zip(products, means, strict=True):
            zero_share = rng.uniform(0.0, 0.8)
            demand = rng.poisson(mean, WEEKS) * (rng.random(WEEKS) > zero_share)
            demand[0] = max(demand[0], 1)  # every product has been ordered once
            rows += [(self.company.id, product.id, self.warehouse.id,
                      FIRST_WEEK + datetime.timedelta(weeks=w), float(q))
                     for w, q in enumerate(demand) if q]
        execute_values(self.env.cr._obj, """
            INSERT INTO amazon_vendor_demand_week
                   (company_id, product_id, warehouse_id, week_start, ordered_qty)
            VALUES %s""", rows)
        return products

    def _timed_run(self):
        queries = self.env.cr.sql_log_count
        started = time.perf_counter()
        run = self.run_forecast(refresh_history=False, today=TODAY)
        return run, time.perf_counter() - started, self.env.cr.sql_log_count - queries

    def test_weekly_run_queries_do_not_grow_with_products(self):
        self._catalogue(150, seed=1)
        self._timed_run()  # first run creates the reordering rules
        _run, _seconds, small = self._timed_run()
        self._catalogue(450, seed=2)
        self._timed_run()
        run, seconds, large = self._timed_run()
        self.assertEqual(run.series_count, 600)
        print(f"\nforecast cron, steady week: 150 series {small} queries; 600 series {large} "  # pylint: disable=print-used  # figures shown, never asserted
              f"queries, {seconds:.2f} s (engine {run.engine_seconds:.2f} s)")
        # four times the products, the same statements: nothing is queried per product
        self.assertLess(large - small, 20)


@tagged("post_install", "-at_install", "-standard", "acorn_benchmark")
class BenchForecastCron(TestForecastScale):
    """make bench: the weekly run over 5,000 products (figures printed, never asserted)."""

    def test_weekly_run_queries_do_not_grow_with_products(self):
        pass  # the standard suite runs it; the benchmark measures below

    def test_weekly_run_5000_products(self):
        started = time.perf_counter()
        self._catalogue(5000, seed=5)
        setup = time.perf_counter() - started
        first, first_seconds, first_queries = self._timed_run()
        run, seconds, queries = self._timed_run()
        lines = self.env["amazon.vendor.forecast.line"].search_count([("run_id", "=", run.id)])
        print(f"\nBENCH forecast cron 5000 products x 104 weeks (setup {setup:.1f} s):\n"  # pylint: disable=print-used  # figures shown, never asserted
              f"  first run (creates 5000 reordering rules): {first_seconds:.1f} s, "
              f"{first_queries} queries\n"
              f"  weekly run: {seconds:.1f} s, {queries} queries, "
              f"engine {run.engine_seconds:.2f} s, {lines} forecast lines stored; "
              f"classes: {run.class_summary}\n"
              f"  steps: {run.timing_summary}")
