import datetime

from odoo.tests import freeze_time, tagged

from .common import ForecastCase


@tagged("post_install", "-at_install")
class TestDemandHistory(ForecastCase):
    def _weeks(self, product):
        rows = self.env["amazon.vendor.demand.week"].search([("product_id", "=", product.id)])
        return {r.week_start: (r.ordered_qty, r.rejected_qty, r.cancelled_qty, r.order_count)
                for r in rows}

    @freeze_time("2026-11-25 10:00:00")
    def test_backfill_buckets_by_amazon_week_and_keeps_cancellations_apart(self):
        product = self._product("Desk lamp")
        # Saturday 2026-11-14 closes one Amazon week; Sunday 2026-11-15 opens the next.
        self._amazon_order(product, 12, datetime.datetime(2026, 11, 14, 23, 0))
        self._amazon_order(product, 5, datetime.datetime(2026, 11, 15, 1, 0), rejected=2)
        self._amazon_order(product, 7, datetime.datetime(2026, 11, 18, 9, 0))
        self._amazon_order(product, 40, datetime.datetime(2026, 11, 19, 9, 0), state="cancel")
        self._amazon_order(product, 3, datetime.datetime(2025, 1, 2, 9, 0))  # old: backfilled
        written = self.env["amazon.vendor.demand.week"]._refresh(self.company)
        self.assertEqual(written, 3)
        self.assertEqual(self._weeks(product), {
            datetime.date(2026, 11, 8): (12.0, 0.0, 0.0, 1),
            datetime.date(2026, 11, 15): (12.0, 2.0, 40.0, 2),
            datetime.date(2024, 12, 29): (3.0, 0.0, 0.0, 1),
        })

    @freeze_time("2026-11-25 10:00:00")
    def test_later_refresh_rereads_recent_weeks_only(self):
        product = self._product("Stand mixer")
        old = self._amazon_order(product, 4, datetime.datetime(2026, 6, 3, 9, 0))
        recent = self._amazon_order(product, 9, datetime.datetime(2026, 11, 10, 9, 0))
        Demand = self.env["amazon.vendor.demand.week"]
        Demand._refresh(self.company)
        # Amazon changes both orders; only the recent weeks are read again
        old.order_line.amazon_vendor_ordered_qty = 6
        recent.order_line.amazon_vendor_ordered_qty = 11
        Demand._refresh(self.company)
        weeks = self._weeks(product)
        self.assertEqual(weeks[datetime.date(2026, 5, 31)][0], 4.0)
        self.assertEqual(weeks[datetime.date(2026, 11, 8)][0], 11.0)
        Demand._refresh(self.company, full=True)
        self.assertEqual(self._weeks(product)[datetime.date(2026, 5, 31)][0], 6.0)

    def test_other_company_orders_stay_out(self):
        product = self._product("Kettle")
        other = self.env["res.company"].create({"name": "Other Co"})
        order = self._amazon_order(product, 8, datetime.datetime(2026, 10, 1, 9, 0))
        order.with_context(allowed_company_ids=[other.id, self.company.id]).sudo().write(
            {"company_id": other.id, "warehouse_id": self.env["stock.warehouse"].search(
                [("company_id", "=", other.id)], limit=1).id})
        self._amazon_order(product, 5, datetime.datetime(2026, 10, 2, 9, 0))
        Demand = self.env["amazon.vendor.demand.week"]
        Demand._refresh(self.company)
        rows = Demand.search([("product_id", "=", product.id)])
        self.assertEqual(rows.mapped("ordered_qty"), [5.0], "only this company's order")
        self.assertEqual(rows.company_id, self.company)
