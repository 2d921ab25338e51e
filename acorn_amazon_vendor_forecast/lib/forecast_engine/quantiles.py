"""Quantiles of the demand over lead time + review, from past errors of that same total.

At origins in the history, each product's forecast of its next ``m = lead time + review``
periods is compared with what was then sold: ``z = (actual total - forecast total) / s`` with
``s = sigma * sqrt(m)``, sigma the product's one-step RMSE today (one scale per product, so
that products of any volume share one scale-free error shape, and no noisy scale from a few
early errors inflates z). The z of a demand class are pooled (all classes together when a
class has too few) and their empirical quantiles, times the product's ``s``, are added to
today's forecast total: the pooled z also carry any bias of the forecast. A product whose own
past z are consistently wider or narrower than its class gets its ``s`` adjusted, shrunk
towards 1 by its number of origins. A variable lead time is sampled (normal, truncated at 0,
fractional periods allowed) together with the pooled errors in a seeded bootstrap; quantiles
are clipped at 0 and so stay monotone in the level.
"""
import numpy as np

MIN_POOL = 30  # fewer standardised errors in a class: use the pool of all classes
SHRINK = 8.0  # origins' worth of weight of the class when adjusting a product's scale


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


class ErrorPools:
    """Standardised errors of lead-time totals, pooled per class.

    A product whose own past z are consistently wider or narrower than its class's gets a
    scale ``adjust`` (its RMS z over the class's, shrunk towards 1 with the weight of SHRINK
    origins); the pools hold z / adjust, so that adjusted scale times pooled shape gives back
    the product's own spread."""

    def __init__(self, z, valid, classes):
        classes = np.asarray(classes)
        n_i = valid.sum(axis=1)
        z2 = np.where(valid, z, 0.0) ** 2
        everywhere = z2.sum() / max(valid.sum(), 1)
        ref = np.full(len(classes), max(everywhere, 1e-12))
        for c in np.unique(classes):
            rows = classes == c
            cnt = valid[rows].sum()
            if cnt >= MIN_POOL:
                ref[rows] = max(z2[rows].sum() / cnt, 1e-12)
        own = np.divide(z2.sum(axis=1), n_i, out=ref.copy(), where=n_i > 0)
        self.adjust = np.sqrt((n_i * own + SHRINK * ref) / (n_i + SHRINK) / ref)
        zs = z / self.adjust[:, None]
        self.all = np.sort(zs[valid])
        self.pools = {}
        for c in np.unique(classes):
            pool = np.sort(zs[valid & (classes == c)[:, None]])
            if pool.size >= MIN_POOL:
                self.pools[c] = pool

    def pool(self, cls):
        if cls in self.pools:
            return self.pools[cls]
        return self.all if self.all.size >= MIN_POOL else None

    def quantile(self, cls, q):
        pool = self.pool(cls)
        if pool is None:  # almost no history anywhere: a normal shape
            return _normal_ppf(np.asarray(q, dtype=float))
        return np.quantile(pool, q)


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


def standardised_errors(paths, hist, ks, origins, m, sigma_at, min_obs):
    """(z, valid) of shape (n, K): past lead-time-total errors over ``sigma * sqrt(m)``."""
    m_int = np.clip(np.rint(m), 1, None).astype(int)
    actual = hist.window_sum(origins, m_int)
    forecast = window_forecast_totals(paths, ks, m_int, int(m_int.max()))
    scale = sigma_at * np.sqrt(m_int)[:, None]
    valid = (np.isfinite(actual) & np.isfinite(scale) & (scale > 0)
             & (hist.cum_obs[:, np.asarray(origins)] >= min_obs))
    z = np.divide(actual - forecast, scale, out=np.zeros(actual.shape), where=valid)
    return z, valid


def lead_time_quantiles(pools, classes, path, m, lead, review, lead_std, sigma, levels,
                        service_level, rng, samples):
    """Quantiles of the total over ``lead + review`` periods.

    path: (n, Hmax) today's per-period forecast; m = lead + review; sigma: (n,) today's
    one-step RMSE; lead, review, lead_std: (n,) periods. Returns (mean (n,) over m periods,
    quantiles (n, L), service quantile (n,) or None). With lead_std = 0 the quantiles are
    exact empirical quantiles of the pooled errors; otherwise bootstrap samples."""
    n = path.shape[0]
    levels = np.asarray(levels, dtype=float)
    mean = cumulative(path, m)
    scale = sigma * np.sqrt(np.maximum(m, 1e-9)) * pools.adjust
    out = np.zeros((n, len(levels)))
    service = None if service_level is None else np.zeros(n)
    for c in np.unique(classes):
        rows = classes == c
        out[rows] = mean[rows, None] + scale[rows, None] * pools.quantile(c, levels)[None, :]
        if service is not None:
            service[rows] = mean[rows] + scale[rows] * pools.quantile(c, service_level[rows])
    vary = np.nonzero(lead_std > 0)[0]
    if vary.size:
        sims = _simulate(pools, classes[vary], path[vary], lead[vary], review[vary],
                         lead_std[vary], scale[vary] / np.sqrt(np.maximum(m[vary], 1e-9)), rng,
                         samples)
        sims.sort(axis=1)
        out[vary] = _row_quantiles(sims, np.broadcast_to(levels, (vary.size, len(levels))))
        if service is not None:
            service[vary] = _row_quantiles(sims, service_level[vary, None])[:, 0]
    out = np.maximum.accumulate(np.maximum(out, 0.0), axis=1)
    if service is not None:
        service = np.maximum(service, 0.0)
    return np.maximum(mean, 0.0), out, service


def _simulate(pools, classes, path, lead, review, lead_std, unit_scale, rng, samples):
    """(n, samples) totals over a sampled lead time + review, with pooled errors."""
    n = path.shape[0]
    lt = np.maximum(lead[:, None] + lead_std[:, None] * rng.standard_normal((n, samples)), 0.0)
    m = lt + review[:, None]
    z = np.empty((n, samples))
    for c in np.unique(classes):
        rows = classes == c
        pool = pools.pool(c)
        if pool is None:
            z[rows] = rng.standard_normal((int(rows.sum()), samples))
        else:
            z[rows] = pool[rng.integers(0, pool.size, size=(int(rows.sum()), samples))]
    return cumulative(path, m) + unit_scale[:, None] * np.sqrt(m) * z


def _row_quantiles(sorted_rows, q):
    """Linear-interpolated quantiles of each row of ``sorted_rows`` at q (n, k)."""
    n, B = sorted_rows.shape
    pos = np.clip(q, 0.0, 1.0) * (B - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, B - 1)
    frac = pos - lo
    rows = np.arange(n)[:, None]
    return sorted_rows[rows, lo] * (1 - frac) + sorted_rows[rows, hi] * frac
