"""Replenishment arithmetic on a forecast (pure)."""
import datetime

import pytest

from odoo.addons.acorn_amazon_vendor_forecast.lib import replenishment as rp

LEVELS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99)
VALUES = (100.0, 110.0, 118.0, 130.0, 140.0, 155.0, 165.0)


def test_quantile_interpolates_and_clamps():
    assert rp.quantile_at(LEVELS, VALUES, 0.9) == 130.0
    assert rp.quantile_at(LEVELS, VALUES, 0.925) == pytest.approx(135.0)
    assert rp.quantile_at(LEVELS, VALUES, 0.3) == 100.0
    assert rp.quantile_at(LEVELS, VALUES, 0.999) == 165.0


def test_levels_min_is_safety_stock_and_max_adds_review_demand():
    safety, low, high = rp.order_levels(LEVELS, VALUES, 0.95, 105.0, 20.0)
    assert (safety, low, high) == (35.0, 35.0, 55.0)
    # a quantile below the mean never gives a negative safety stock
    assert rp.order_levels(LEVELS, VALUES, 0.5, 120.0, 20.0) == (0.0, 0.0, 20.0)


def test_weekly_share_counts_fractional_weeks_and_beyond_the_horizon():
    assert rp.weekly_share([7.0, 14.0], 3) == pytest.approx(3.0)
    assert rp.weekly_share([7.0, 14.0], 10) == pytest.approx(7.0 + 6.0)
    assert rp.weekly_share([7.0, 14.0], 21) == pytest.approx(7.0 + 14.0 + 14.0)


def test_stockout_date_and_shortage_by_the_end_of_lead_time():
    start = datetime.date(2026, 6, 17)
    run_out, short = rp.stockout(start, 30.0, [10.0] * 8, [0.0] * 8, 35)
    assert run_out == start + datetime.timedelta(days=21)  # nothing left after 3 weeks
    assert short == pytest.approx(20.0)  # 5 weeks of 10 against 30
    # a receipt in week 2 keeps it covered through the lead time
    run_out, short = rp.stockout(start, 30.0, [10.0] * 8, [0.0, 0.0, 40.0], 35)
    assert short == 0.0
    assert run_out == start + datetime.timedelta(days=7 * 7)
    assert rp.stockout(start, -5.0, [1.0], [0.0], 7)[0] == start
