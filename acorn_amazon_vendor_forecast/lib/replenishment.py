"""Replenishment arithmetic on a forecast (pure, no ORM).

The engine gives quantiles of the demand over lead time + review period. Odoo's reordering
rule orders when the projected stock at the end of the lead time falls below its minimum and
orders up to its maximum, so with the forecast demand of the lead time already taken out of the
projection: min = safety stock, max = safety stock + the demand of one review period.
"""
import bisect
import datetime


def quantile_at(levels, values, level):
    """Linear interpolation of a quantile function known at ``levels`` (ascending)."""
    if not levels:
        return 0.0
    if level <= levels[0]:
        return values[0]
    if level >= levels[-1]:
        return values[-1]
    i = bisect.bisect_right(levels, level)
    lo, hi = levels[i - 1], levels[i]
    share = (level - lo) / (hi - lo)
    return values[i - 1] + share * (values[i] - values[i - 1])


def order_levels(levels, values, service_level, lead_review_mean, review_mean):
    """(safety stock, min, max) for a reordering rule.

    Safety stock = quantile of the lead time + review demand at the service level minus its
    mean (never negative); min = safety stock; max = min + mean demand of one review period."""
    safety = max(0.0, quantile_at(levels, values, service_level) - lead_review_mean)
    return safety, safety, safety + max(0.0, review_mean)


def weekly_share(weekly_mean, days):
    """Mean demand over the next ``days`` days from a weekly forecast (fractional weeks)."""
    total, remaining = 0.0, days / 7.0
    for mean in weekly_mean:
        if remaining <= 0:
            break
        take = min(1.0, remaining)
        total += mean * take
        remaining -= take
    if remaining > 0 and weekly_mean:  # beyond the horizon: continue the last week's rate
        total += weekly_mean[-1] * remaining
    return total


def stockout(start, available, weekly_demand, weekly_receipts, lead_days):
    """When the stock runs out if only what is already on hand or on its way arrives.

    ``available``: on hand now, less demand already promised; ``weekly_demand`` forecast
    demand not yet covered by confirmed orders, per week from ``start``; ``weekly_receipts``
    incoming quantities per week. Returns (run-out date or None, quantity short by the end of
    the lead time)."""
    stock, run_out = available, None
    if stock < 0:
        run_out = start
    horizon_weeks = max(1, -(-int(lead_days) // 7))
    short_by_lead = 0.0
    for week in range(max(horizon_weeks, len(weekly_demand))):
        demand = weekly_demand[week] if week < len(weekly_demand) else 0.0
        receipts = weekly_receipts[week] if week < len(weekly_receipts) else 0.0
        before = stock + receipts
        stock = before - demand
        if run_out is None and stock < 0:
            # the day within the week the stock crosses zero, demand spread evenly
            day = int(7 * max(0.0, before) / demand) if demand > 0 else 0
            run_out = start + datetime.timedelta(days=7 * week + min(day, 6))
        if week + 1 == horizon_weeks:
            short_by_lead = max(0.0, -stock)
    return run_out, short_by_lead
