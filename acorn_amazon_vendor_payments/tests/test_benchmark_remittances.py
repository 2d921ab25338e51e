"""Benchmark (printed, never asserted on time): a remittance of many lines stored, matched and
booked against as many posted invoices. Size from ACORN_BENCH_REMITTANCE_LINES (default 2000);
measured at a quarter of it and at it, so the figures show whether the cost per line holds.
Run with: make bench."""
import logging
import os
import time

from odoo import Command
from odoo.tests import tagged

from .common import PaymentsCase

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install", "-standard", "acorn_benchmark")
class BenchmarkRemittances(PaymentsCase):
    def _invoices(self, count, prefix):
        product = next(iter(self.products.values()))
        moves = self.env["account.move"].with_context(tracking_disable=True).create([{
            "move_type": "out_invoice", "partner_id": self.amazon_partner.id,
            "invoice_line_ids": [Command.create({
                "product_id": product.id, "quantity": 1 + n % 5, "price_unit": 10.0,
                "tax_ids": [Command.clear()]})]} for n in range(count)])
        moves.action_post()
        return moves

    def _run(self, count, prefix):
        started = time.perf_counter()
        moves = self._invoices(count, prefix)
        prepared = time.perf_counter() - started
        # Every invoice paid less a 1% quick-pay discount, one shortage claim per ten invoices.
        lines = [self.line(move.name, move.amount_total,
                           discount=f"{move.amount_total / 100:.2f}") for move in moves]
        lines += [self.line(f"{move.name}SC", "-2.00", description="Shortage claim")
                  for move in moves[::10]]
        remittance = self.remittance(f"BENCH{prefix}", lines)
        self.env.flush_all()
        self.env.invalidate_all()
        queries = self.env.cr.sql_log_count
        started = time.perf_counter()
        record = self.store(remittance)
        self.env.flush_all()
        matched_at, matched_queries = time.perf_counter(), self.env.cr.sql_log_count
        record.action_book()
        self.env.flush_all()
        posted_at = time.perf_counter()
        # a large payment is reconciled by the background job, one committed step at a time
        steps = []
        while record.state == "reconciling":
            step_started = time.perf_counter()
            self.env["amazon.vendor.remittance"]._cron_reconcile_remittances()
            self.env.flush_all()
            steps.append(time.perf_counter() - step_started)
        finished = time.perf_counter()
        self.assertEqual(record.state, "booked", record.problem)
        self.assertFalse(record.line_ids.filtered(lambda line: line.match_state == "unknown"))
        figures = {
            "lines": len(lines), "invoices posted (s)": round(prepared, 1),
            "store+match (s)": round(matched_at - started, 2),
            "book (s)": round(finished - matched_at, 2),
            "longest transaction (s)": round(max([posted_at - matched_at, *steps]), 2),
            "background steps": len(steps),
            "store+match queries/line": round((matched_queries - queries) / len(lines), 3),
            "book queries/line": round((self.env.cr.sql_log_count - matched_queries)
                                       / len(lines), 3)}
        print(f"remittance benchmark: {figures}", flush=True)  # pylint: disable=print-used  # figures shown, never asserted
        _logger.info("remittance benchmark: %s", figures)
        return figures

    def test_a_large_remittance_matched_and_booked(self):
        size = int(os.environ.get("ACORN_BENCH_REMITTANCE_LINES", 2000))
        small, large = self._run(max(size // 4, 1), "S"), self._run(size, "L")
        self.assertEqual(large["lines"], size + len(range(0, size, 10)))
        self.assertGreater(small["lines"], 0)
