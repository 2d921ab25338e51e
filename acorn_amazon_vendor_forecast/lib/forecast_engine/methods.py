"""Forecasting methods, vectorised across products.

Each method runs once over time for all products and all values of a small parameter grid,
and records its state at the requested origins. At every origin the parameters are those
with the least one-step squared error on the periods *before* that origin, so a forecast from
an early origin never used later data (honest rolling-origin errors at no extra cost).

Smoothing starts as a running mean: the gain of the k-th observation is max(alpha, 1/k), so
no method depends on a guessed initial value, and the first forecasts are plain averages.
Missing periods (NaN) leave the state unchanged. All rates are demand per period.
"""
import numpy as np

from .paths import Paths

SES_ALPHAS = np.array([0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0])
SES_DEFAULT = 2  # alpha 0.1 while too few errors are known to choose
TSB_ALPHAS = np.array([0.05, 0.1, 0.2, 0.3, 0.5])
TSB_BETAS = np.array([0.02, 0.05, 0.1, 0.2, 0.3])
ETS_ALPHAS = np.array([0.05, 0.1, 0.2, 0.3, 0.5, 0.8])
ETS_BETAS = np.array([0.005, 0.02, 0.06])
ETS_PHIS = np.array([0.8, 0.9, 0.98])
MA_WINDOWS = np.array([3, 4, 6, 8, 13, 26, 52])
CROSTON_ALPHAS = np.array([0.1, 0.05, 0.2, 0.3])  # the classic 0.1 first: the default
MIN_ERRORS = 4  # one-step errors needed before the grid choice replaces the default


def _slots(origins, T):
    origins = np.asarray(origins, dtype=int)
    if np.any(origins < 0) or np.any(origins > T) or len(np.unique(origins)) != len(origins):
        raise ValueError("origins must be distinct and within 0..T")
    return {int(o): i for i, o in enumerate(origins)}


def _pick(sse, cnt, default):
    """Grid index per (origin, product): least SSE, the default while errors are few."""
    best = np.argmin(sse, axis=1)  # (K, n)
    return np.where(cnt < MIN_ERRORS, default, best)


def _gather(rec, idx):
    """rec (K, G, n), idx (K, n) -> (K, n)."""
    return np.take_along_axis(rec, idx[:, None, :], axis=1)[:, 0, :]


def _ses_pass(y0, obs, alphas, origins):
    """SES for all alphas at once. Returns level, sse (K, G, n) and error counts (K, n)."""
    n, T = y0.shape
    slot = _slots(origins, T)
    a = np.asarray(alphas, dtype=float)[:, None]
    G, K = a.shape[0], len(slot)
    level = np.zeros((G, n))
    sse = np.zeros((G, n))
    cnt = np.zeros(n)
    k = np.zeros(n)
    rec_level = np.zeros((K, G, n))
    rec_sse = np.zeros((K, G, n))
    rec_cnt = np.zeros((K, n))
    any_obs = obs.any(axis=0)
    for t in range(T + 1):
        i = slot.get(t)
        if i is not None:
            rec_level[i], rec_sse[i], rec_cnt[i] = level, sse, cnt
        if t == T:
            break
        if not any_obs[t]:
            continue
        ob = obs[:, t]
        e = y0[:, t] - level
        seen = ob & (k > 0)
        sse += e * e * seen
        cnt += seen
        k += ob
        gain = np.maximum(a, 1.0 / np.maximum(k, 1.0)) * ob
        level += gain * e
    return rec_level, rec_sse, rec_cnt


def _variants(rec, idx, origins, labels, **extra):
    """[("per product", Paths), (label of grid value 0, Paths), ...]: the per-product choice
    of parameters, then each value of the grid for every product."""
    out = [("per product", Paths(origins, _gather(rec, idx).T,
                                 **{k: _gather(v, idx).T for k, v in extra.items()}))]
    for g in range(rec.shape[1]):
        out.append((labels[g], Paths(origins, rec[:, g, :].T,
                                     **{k: v[:, g, :].T for k, v in extra.items()})))
    return out


def _labels(fmt, *grids):
    return [fmt % values for values in zip(*grids, strict=True)]


def ses(hist, origins, alphas=SES_ALPHAS, default=SES_DEFAULT):
    """Simple exponential smoothing.

    Returns (variants, sigma, count): variants as in ``_variants`` (alpha chosen per product
    and origin, then each alpha of the grid); sigma (n, K) the one-step RMSE of the
    per-product choice before each origin, from ``count`` (n, K) errors."""
    rec_level, rec_sse, rec_cnt = _ses_pass(hist.y0, hist.obs, alphas, origins)
    idx = _pick(rec_sse, rec_cnt, default)
    sse = _gather(rec_sse, idx).T
    cnt = rec_cnt.T
    sigma = np.sqrt(np.divide(sse, cnt, out=np.full_like(sse, np.nan), where=cnt > 0))
    return _variants(rec_level, idx, origins, _labels("alpha=%g", alphas)), sigma, cnt


def croston_sba(hist, origins, alphas=CROSTON_ALPHAS):
    """Croston's method with the Syntetos-Boylan correction: (1 - alpha/2) * size / interval.

    Sizes and intervals (in observed periods) are smoothed at each demand; 0 before any.
    One variant per alpha (no per-product choice: Croston's in-sample errors are not a
    sound criterion for its parameter)."""
    y0, obs = hist.y0, hist.obs
    n, T = y0.shape
    slot = _slots(origins, T)
    a = np.asarray(alphas, dtype=float)[:, None]
    G = a.shape[0]
    rates = np.zeros((len(slot), G, n))
    z = np.zeros((G, n))
    p = np.ones((G, n))
    q = np.zeros(n)
    nd = np.zeros(n)
    for t in range(T + 1):
        i = slot.get(t)
        if i is not None:
            rates[i] = np.where(nd > 0, (1.0 - a / 2.0) * z / p, 0.0)
        if t == T:
            break
        ob = obs[:, t]
        y = y0[:, t]
        q += ob
        d = ob & (y > 0)
        if not d.any():
            continue
        nd += d
        gain = np.maximum(a, 1.0 / np.maximum(nd, 1.0)) * d
        z += gain * (y - z)
        p += gain * (q - p)
        q = np.where(d, 0.0, q)
    return [("alpha=%g" % alphas[g], Paths(origins, rates[:, g, :].T)) for g in range(G)]


def tsb(hist, origins, alphas=TSB_ALPHAS, betas=TSB_BETAS):
    """Teunter-Syntetos-Babai: demand probability (every period) times size (at demands)."""
    y0, obs = hist.y0, hist.obs
    n, T = y0.shape
    slot = _slots(origins, T)
    A = np.repeat(alphas, len(betas))[:, None]
    B = np.tile(betas, len(alphas))[:, None]
    G, K = A.shape[0], len(slot)
    default = int(np.argmin(np.abs(A[:, 0] - 0.1) + np.abs(B[:, 0] - 0.1)))
    z = np.zeros((G, n))
    d = np.zeros((G, n))
    sse = np.zeros((G, n))
    cnt = np.zeros(n)
    k = np.zeros(n)
    nd = np.zeros(n)
    rec_rate = np.zeros((K, G, n))
    rec_sse = np.zeros((K, G, n))
    rec_cnt = np.zeros((K, n))
    any_obs = obs.any(axis=0)
    for t in range(T + 1):
        i = slot.get(t)
        if i is not None:
            rec_rate[i], rec_sse[i], rec_cnt[i] = d * z, sse, cnt
        if t == T:
            break
        if not any_obs[t]:
            continue
        ob = obs[:, t]
        y = y0[:, t]
        e = y - d * z
        seen = ob & (k > 0)
        sse += e * e * seen
        cnt += seen
        k += ob
        pos = ob & (y > 0)
        nd += pos
        gz = np.maximum(A, 1.0 / np.maximum(nd, 1.0)) * pos
        z += gz * (y - z)
        gd = np.maximum(B, 1.0 / np.maximum(k, 1.0)) * ob
        d += gd * (pos - d)
    idx = _pick(rec_sse, rec_cnt, default)
    return _variants(rec_rate, idx, origins, _labels("alpha=%g beta=%g", A[:, 0], B[:, 0]))


def damped_trend(hist, origins, alphas=ETS_ALPHAS, betas=ETS_BETAS, phis=ETS_PHIS):
    """Additive damped-trend exponential smoothing (ETS(A,Ad,N) point forecasts)."""
    y0, obs = hist.y0, hist.obs
    n, T = y0.shape
    slot = _slots(origins, T)
    grid = np.array(np.meshgrid(alphas, betas, phis, indexing="ij")).reshape(3, -1)
    A, B, P = (g[:, None] for g in grid)
    G, K = A.shape[0], len(slot)
    default = int(np.argmin(np.abs(A[:, 0] - 0.1) + np.abs(B[:, 0] - 0.005)
                            + np.abs(P[:, 0] - 0.9)))
    lev = np.zeros((G, n))
    tr = np.zeros((G, n))
    sse = np.zeros((G, n))
    cnt = np.zeros(n)
    k = np.zeros(n)
    rec_l = np.zeros((K, G, n))
    rec_b = np.zeros((K, G, n))
    rec_sse = np.zeros((K, G, n))
    rec_cnt = np.zeros((K, n))
    any_obs = obs.any(axis=0)
    all_obs = obs.all(axis=0)
    damped = np.empty((G, n))  # work arrays, updated in place (the loop runs T times)
    err = np.empty((G, n))
    tmp = np.empty((G, n))
    for t in range(T + 1):
        i = slot.get(t)
        if i is not None:
            rec_l[i], rec_b[i], rec_sse[i], rec_cnt[i] = lev, tr, sse, cnt
        if t == T:
            break
        if not any_obs[t]:
            continue
        ob = obs[:, t]
        np.multiply(P, tr, out=damped)  # phi * trend
        np.subtract(y0[:, t], lev, out=err)
        err -= damped  # one-step error of the forecast level + phi * trend
        seen = ob & (k > 0)
        np.multiply(err, err, out=tmp)
        tmp *= seen
        sse += tmp
        cnt += seen
        k += ob
        np.maximum(A, 1.0 / np.maximum(k, 1.0), out=tmp)
        tmp *= err  # level: level + phi * trend + gain * error
        tmp += damped
        if all_obs[t]:
            lev += tmp
            np.multiply(B * (k > 1), err, out=tr)  # trend: phi * trend + beta * error
            tr += damped
        else:
            np.add(lev, tmp, out=lev, where=ob)
            np.multiply(B * (k > 1), err, out=tmp)
            tmp += damped
            np.copyto(tr, tmp, where=ob)
    idx = _pick(rec_sse, rec_cnt, default)
    rec_phi = np.broadcast_to(P[None, :, :], rec_l.shape)
    labels = _labels("alpha=%g beta=%g phi=%g", A[:, 0], B[:, 0], P[:, 0])
    return _variants(rec_l, idx, origins, labels, trend=rec_b, phi=rec_phi)


def moving_average(hist, origins, windows=MA_WINDOWS):
    """Mean of the last w periods (observed ones)."""
    T = hist.T
    windows = windows[windows <= max(T // 2, windows.min())]
    default = int(np.argmin(np.abs(windows - 13)))
    t_idx = np.arange(T + 1)
    sums, counts = [], []
    for w in windows:
        lo = np.maximum(t_idx - w, 0)
        sums.append(hist.cum_y[:, t_idx] - hist.cum_y[:, lo])
        counts.append(hist.cum_obs[:, t_idx] - hist.cum_obs[:, lo])
    sums, counts = np.array(sums), np.array(counts)  # (G, n, T+1)
    mean = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    # one-step error at period t uses the mean at origin t
    ok = hist.obs[None, :, :] & (counts[:, :, :T] > 0) & (hist.cum_obs[None, :, :T] > 0)
    err2 = np.where(ok, (hist.y0[None] - mean[:, :, :T]) ** 2, 0.0)
    zero = np.zeros(err2.shape[:2] + (1,))
    cum_sse = np.concatenate([zero, np.cumsum(err2, axis=2)], axis=2)
    cum_cnt = np.concatenate([zero[0], np.cumsum(ok[0], axis=1)], axis=1)  # shortest window
    origins = np.asarray(origins, dtype=int)
    rec_sse = np.transpose(cum_sse[:, :, origins], (2, 0, 1))  # (K, G, n)
    rec_cnt = cum_cnt[:, origins].T
    rec_mean = np.transpose(mean[:, :, origins], (2, 0, 1))
    idx = _pick(rec_sse, rec_cnt, default)
    return _variants(rec_mean, idx, origins, _labels("window=%d", windows))


def aggregate_ses(hist, origins, k, rows=None):
    """ADIDA at aggregation level k: SES on sums of k periods, split back evenly, for the
    products ``rows`` (all by default; a slice of the panel, not a new History: IMAPA asks
    for a dozen levels).

    Buckets end exactly at each origin (one pass per alignment needed); a bucket with a
    missing period is missing. Returns rates (V, n, K): the per-product alpha, then each
    alpha of the grid."""
    origins = np.asarray(origins, dtype=int)
    y0, obs = (hist.y0, hist.obs) if rows is None else (hist.y0[rows], hist.obs[rows])
    n, T = y0.shape
    rate = np.zeros((1 + len(SES_ALPHAS), n, len(origins)))
    for r in np.unique(origins % k):
        pick = np.nonzero(origins % k == r)[0]
        nb = (T - r) // k
        span = slice(r, r + nb * k)
        sums = y0[:, span].reshape(n, nb, k).sum(axis=2)
        full = obs[:, span].reshape(n, nb, k).all(axis=2)
        rec_level, rec_sse, rec_cnt = _ses_pass(sums, full, SES_ALPHAS, (origins[pick] - r) // k)
        idx = _pick(rec_sse, rec_cnt, SES_DEFAULT)
        rate[0][:, pick] = _gather(rec_level, idx).T / k
        rate[1:, :, pick] = np.transpose(rec_level, (1, 2, 0)) / k
    return rate


AGG_LABELS = ["per product"] + ["alpha=%g" % a for a in SES_ALPHAS]


def adida(hist, origins, levels):
    """ADIDA with a per-product aggregation level ``levels`` (n,) ints >= 1."""
    levels = np.asarray(levels, dtype=int)
    rate = np.zeros((1 + len(SES_ALPHAS), hist.n, len(origins)))
    for k in np.unique(levels):
        rows = np.nonzero(levels == k)[0]
        rate[:, rows] = aggregate_ses(hist, origins, int(k), rows)
    return [(AGG_LABELS[v], Paths(origins, rate[v])) for v in range(rate.shape[0])]


def imapa(hist, origins, max_levels):
    """IMAPA: the average of ADIDA forecasts at every aggregation level 1..max_levels (n,)."""
    max_levels = np.asarray(max_levels, dtype=int)
    total = np.zeros((1 + len(SES_ALPHAS), hist.n, len(origins)))
    for k in range(1, int(max_levels.max(initial=1)) + 1):
        rows = np.nonzero(max_levels >= k)[0]
        total[:, rows] += aggregate_ses(hist, origins, k, rows)
    rate = total / np.maximum(max_levels, 1)[None, :, None]
    return [(AGG_LABELS[v], Paths(origins, rate[v])) for v in range(rate.shape[0])]


def aggregation_levels(hist, cap=12):
    """Aggregation level per product: the mean interval between demands, rounded, capped so
    that at least 4 buckets exist."""
    nz = hist.cum_nz[:, -1]
    adi = np.divide(hist.n_obs, nz, out=np.full(hist.n, np.inf), where=nz > 0)
    room = np.maximum(hist.n_obs // 4, 1)
    adi = np.where(np.isfinite(adi), adi, room)
    return np.clip(np.rint(adi), 1, np.minimum(cap, room)).astype(int)


def historical_mean(hist, origins):
    """Mean of all observed periods before each origin."""
    origins = np.asarray(origins, dtype=int)
    count = hist.cum_obs[:, origins]
    rate = np.divide(hist.cum_y[:, origins], count, out=np.zeros(count.shape), where=count > 0)
    return Paths(origins, rate)


def beta_prior(c, n):
    """(share, b) of the Beta(share * b, (1 - share) * b) prior of the products' chances of a
    sale in a period, fitted by moments on the products seen twice or more (``c`` periods
    with a sale among ``n`` observed ones): the spread of their shares c / n beyond what
    chance alone gives (binomial: each period sells or not). b is the prior's weight in
    periods, inf when the shares spread no more than chance; None when nobody was seen twice
    or none of them sold yet."""
    seen = n >= 2
    c_seen, n_seen = c[seen], n[seen]
    if not c_seen.sum():
        return None
    share = c_seen.sum() / n_seen.sum()
    weight = n_seen / n_seen.sum()
    chance = (weight / n_seen).sum()  # of the binomial variance share * (1 - share)
    observed = (weight * (c_seen / n_seen - share) ** 2).sum()
    spread = (observed - share * (1 - share) * chance) / max(1.0 - chance, 1e-12)
    b = share * (1 - share) / spread - 1.0 if spread > 0 else np.inf
    return float(share), max(float(b), 0.0)


def empirical_bayes(hist, origins):
    """Empirical Bayes rate of sale: with c periods with a sale among the n observed periods
    before an origin, (c + a) / (n + b) of the periods have a sale, times the product's mean
    demand size. The Beta prior of the products' chances of a sale in a period (a = b * the
    class's share of periods with a sale, b = its weight in periods) is fitted by moments on
    the products before that origin (beta_prior). A product with one or two demands is so
    pulled towards the class's share by as much as the products really differ; with no
    spread beyond chance every product gets the class's share (times its own size). Products
    that have not sold yet at an origin get 0, as from every other method: their zeros
    before a first sale may have been trimmed with knowledge of that sale
    (history.listed_before_first_demand)."""
    origins = np.asarray(origins, dtype=int)
    demands = hist.cum_nz[:, origins]
    periods = hist.cum_obs[:, origins]
    units = hist.cum_y[:, origins]
    level = np.zeros(demands.shape)
    for j in range(len(origins)):
        c, n = demands[:, j], periods[:, j]
        prior = beta_prior(c, n)
        if prior is None:
            continue
        share, b = prior
        if np.isfinite(b):
            rate = (c + share * b) / (n + b)
        else:  # no more spread than chance: every product at the class's share
            rate = share
        size = np.divide(units[:, j], c, out=np.zeros(c.shape), where=c > 0)
        level[:, j] = np.where(c > 0, rate * size, 0.0)
    return [("empirical bayes", Paths(origins, level))]
