"""Helpers for the quantiles of the demand over lead time + review (calibrate.py): totals of
a forecast path over a (fractional) number of periods, the forecast totals of past windows,
the inverse normal CDF and row-wise quantiles of sorted samples.
"""
import numpy as np


def cumulative(path, m):
    """Sum of ``path`` (n, H) over the first ``m`` periods, ``m`` (n,) or (n, B), fractional
    allowed, the last period's rate continuing past H."""
    n, H = path.shape
    m = np.maximum(np.asarray(m, dtype=float), 0.0)
    flat = m.ndim == 1
    m2 = m[:, None] if flat else m
    csum = np.concatenate([np.zeros((n, 1)), np.cumsum(path, axis=1)], axis=1)
    whole = np.minimum(np.floor(m2).astype(int), H)
    rows = np.arange(n)[:, None]
    rate = path[rows, np.minimum(whole, H - 1)]
    total = csum[rows, whole] + (m2 - whole) * rate
    return total[:, 0] if flat else total


def window_forecast_totals(paths, ks, m_int, h_max):
    """(n, K) forecast totals over ``m_int`` (n,) periods from origin indices ``ks``."""
    p = paths.path(h_max, ks)
    csum = np.cumsum(p, axis=2)
    idx = np.broadcast_to((m_int - 1)[:, None, None], (p.shape[0], p.shape[1], 1))
    return np.take_along_axis(csum, idx, axis=2)[:, :, 0]


def _normal_ppf(q):
    """Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9)."""
    q = np.clip(q, 1e-12, 1 - 1e-12)
    a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
         1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
         6.680131188771972e+01, -1.328068155288572e+01]
    c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
         -2.549671010296844e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
         3.754408661907416e+00]
    low = q < 0.02425
    high = q > 1 - 0.02425
    out = np.empty_like(q)
    mid = ~(low | high)
    r = q[mid] - 0.5
    s = r * r
    out[mid] = ((((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r
                / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1))
    for mask, sign in ((low, 1.0), (high, -1.0)):
        qq = np.where(sign > 0, q[mask], 1 - q[mask])
        t = np.sqrt(-2 * np.log(qq))
        out[mask] = sign * ((((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5])
                            / ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1))
    return out


def _row_quantiles(sorted_rows, q):
    """Linear-interpolated quantiles of each row of ``sorted_rows`` at q (n, k)."""
    n, B = sorted_rows.shape
    pos = np.clip(q, 0.0, 1.0) * (B - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, B - 1)
    frac = pos - lo
    rows = np.arange(n)[:, None]
    return sorted_rows[rows, lo] * (1 - frac) + sorted_rows[rows, hi] * frac
