"""Choosing among candidate methods on rolling origins of the history.

Each candidate forecasts from the last few origins of the history (with parameters chosen
on the data before each origin, see methods.py); its error is the RMSSE of the next ``h``
periods, scaled by the product's mean squared one-step naive difference. Choices are made
per demand class, over all its products and origins at once: a per-product choice on four
windows would mostly follow noise. In a class with enough products a method's parameters may
be shared by the class (one grid value for all, when that beats each product's own in-sample
choice), and a multiplicative calibration of the class's forecasts is learnt on the same
windows, one for sparse and one for regular histories (route._correct).
"""
import copy

import numpy as np

from .paths import Combined

STACK_CELLS = 2_000_000  # forecast values scored in one numpy pass (16 MB)


def selection_origins(T, horizon, n_origins, min_train):
    """(origins, h): the last ``n_origins`` origins, the latest leaving ``h`` periods.

    Steps back ``h`` periods each; the step (then ``h``) shrinks when the history is too
    short for the earliest origin to keep ``min_train`` periods."""
    n_origins = max(int(n_origins), 1)
    h = max(1, min(int(horizon), T - min_train))
    step = h
    if n_origins > 1 and T - h - (n_origins - 1) * step < min_train:
        step = max(1, (T - h - min_train) // (n_origins - 1))
    origins = {T - h - j * step for j in range(n_origins)}
    origins = sorted(o for o in origins if 2 <= o < T)
    return np.array(origins, dtype=int), h


# candidate listing leads in years (times the season length); None: every zero counts
LISTING_LEADS = (0.25, 1 / 3, 0.5, 1.0, 2.0, None)


def listing_lead(hist, horizon, n_origins, min_train, season_length):
    """How many periods before its first demand a product counts as listed, learnt on the
    rolling origins of the history. The candidates are a quarter, a third, half a year, one
    and two years (LISTING_LEADS), or no cut at all: shorter leads read one early sale as a
    run rate (on the development sets they cost accuracy). For each candidate, the rate of
    demands (periods with a sale) since listing of the products whose first demand came
    after their history began (and before the origin) forecasts how many periods of the next
    ``h`` have a sale; the lead whose forecasts have the least mean relative bias,
    (h * rate - periods with a sale) / (h * share of periods with a sale before the origin),
    wins. The products are chosen by what was known at the origin only. Parts that are
    launched (demand begins at the first sale) pick a short lead, products that were on offer
    all along (leading zeros are real zeros, e.g. stationary slow movers) keep them all
    (None); on faster stationary demand a cut of a year or more may remain (a product
    picked for having sold is busier than it looks only while sales are rare).
    Demands are counted, not summed: the lead only says since when a product was on offer,
    i.e. how often it sold, while dividing sizes by a past mean made of one or two sizes
    inflated the relative bias of every lead by the luck of the first size (a small first
    sale looks like a large later jump), so stationary parts with real leading zeros
    picked a cut too.
    Returns None when no product has zeros before its first demand."""
    S = max(int(season_length), 1)
    leads = [None if f is None else max(1, int(round(f * S))) for f in LISTING_LEADS]
    sel, h = selection_origins(hist.T, horizon, n_origins, min_train)
    nz_first = np.where(hist.nonzero.any(axis=1), hist.nonzero.argmax(axis=1), hist.T)
    rows = np.arange(hist.n)
    bias = np.zeros(len(leads))
    count = 0
    for o in sel:
        if o + h > hist.T:
            continue
        complete = np.isfinite(hist.window_sum([o], h)[:, 0])
        sold = hist.cum_nz[:, o + h] - hist.cum_nz[:, o]  # periods with a sale in the window
        share = hist.cum_nz[:, o] / np.maximum(hist.cum_obs[:, o], 1)  # > 0: sold before o
        ok = (nz_first < o) & (nz_first > hist.first) & complete
        if not ok.any():
            continue
        count += int(ok.sum())
        for j, lead in enumerate(leads):
            start = hist.first if lead is None else np.maximum(nz_first - lead, hist.first)
            seen = hist.cum_obs[:, o] - hist.cum_obs[rows, start]
            rate = (hist.cum_nz[:, o] - hist.cum_nz[rows, start]) / np.maximum(seen, 1)
            bias[j] += ((h * rate[ok] - sold[ok]) / (h * share[ok])).sum()
    if not count:
        return None
    return leads[int(np.argmin(np.abs(bias)))]


# candidate runs without demand after which a product counts as obsolete, in years (times
# the season length)
OBSOLETE_RUNS = (0.25, 0.5, 1.0, 1.5, 2.0, 3.0)
Z_REVIVAL = 1.6448536269514722  # one-sided 95 %: the share of products that came back
OBSOLETE_DEFAULT = 26  # periods: the rule when the history cannot judge any run


def revival_upper_bound(sold, windows):
    """One-sided 95 % upper bound (Wilson) of the share of windows with a sale."""
    n = np.maximum(np.asarray(windows, dtype=float), 1.0)
    p = np.asarray(sold, dtype=float) / n
    z2 = Z_REVIVAL ** 2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z_REVIVAL * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return centre + half


def obsolete_run(hist, horizon, n_origins, min_train, season_length, share=0.05):
    """After how many periods without demand a product counts as obsolete (forecast zero, no
    spread), learnt on the rolling origins of the history: the shortest run of
    OBSOLETE_RUNS after which the products that had sold before sold again within the next
    ``h`` periods with a share below ``share`` (1 - the highest quantile level used: a zero
    quantile is then right), by the 95 % upper bound of the share seen (a few windows
    without a sale prove little; zeroing a product that still sells causes stock-outs). A
    run is judged when it has windows enough for that bound to fall below ``share`` had
    none of them sold. None when every run the history can judge was followed by more sales
    (spare parts sell again after years without demand); the former fixed OBSOLETE_DEFAULT
    when no run can be judged (a short history, few products). Returns (run or None,
    whether the history judged it)."""
    S = max(int(season_length), 1)
    share = min(max(float(share), 1e-3), 0.5)
    runs = sorted({max(1, int(round(f * S))) for f in OBSOLETE_RUNS})
    sel, h = selection_origins(hist.T, horizon, n_origins, min_train)
    sel = sel[(sel >= 1) & (sel + h <= hist.T)]
    quiet = hist.quiet_runs_at(sel)  # (n, K)
    ahead = hist.window_sum(sel, h)
    ok = (hist.cum_nz[:, sel] > 0) & np.isfinite(ahead)  # had sold, window complete
    came_back = ok & (np.nan_to_num(ahead) > 0)
    windows = np.array([int((ok & (quiet >= r)).sum()) for r in runs])
    sold = np.array([int((came_back & (quiet >= r)).sum()) for r in runs])
    judged = revival_upper_bound(0, windows) <= share
    if not judged.any():
        return OBSOLETE_DEFAULT, False
    upper = revival_upper_bound(sold, windows)
    for j in np.nonzero(judged)[0]:
        if upper[j] <= share:
            return runs[j], True
    return None, True


class Windows:
    """The actual demand after each selection origin, and which (product, origin) count."""

    def __init__(self, hist, ks, origins, h, scale, min_obs=2):
        origins = np.asarray(origins, dtype=int)
        self.ks, self.h = ks, h
        idx = origins[:, None] + np.arange(h)[None, :]
        inside = idx < hist.T
        actual = hist.Y[:, np.minimum(idx, max(hist.T - 1, 0))]
        self.actual = np.where(inside[None], actual, np.nan)  # (n, K, h)
        self.seen = ~np.isnan(self.actual)
        self.count = self.seen.sum(axis=2)
        scale = np.asarray(scale, dtype=float)
        self.scale = np.where(np.isfinite(scale) & (scale > 0), scale, np.nan)
        self.valid = ((hist.cum_obs[:, origins] >= min_obs) & np.isfinite(self.scale)[:, None]
                      & (self.count > 0))
        # rmsse() runs for every candidate variant: what does not depend on it, once
        self._actual0 = np.nan_to_num(self.actual)
        self._all_seen = bool(self.seen.all())
        self._count1 = np.maximum(self.count, 1)
        self._scale0 = np.where(np.isfinite(self.scale), self.scale, 1.0)[:, None]
        # a flat forecast f scores from the actuals' sums: sum (a - f)^2 over the seen periods
        # is sum a^2 - 2 f sum a + count f^2 (no (n, K, h) array per variant)
        self._sum1 = self._actual0.sum(axis=2)
        self._sum2 = (self._actual0 * self._actual0).sum(axis=2)

    def rmsse(self, paths):
        """(n, K) RMSSE of ``paths``; NaN where not scored."""
        return self.rmsse_many([paths])[0]

    def rmsse_many(self, paths_list):
        """(len(paths_list), n, K) RMSSE of each of ``paths_list``, computed a few at a time
        (a class's parameter grid has dozens of variants: one numpy pass for several)."""
        n, k = self.valid.shape
        out = np.empty((len(paths_list), n, k))
        shaped = []
        for j, paths in enumerate(paths_list):
            f = paths.flat(self.ks)
            if f is None:
                shaped.append(j)
                continue
            sse = self._sum2 - 2.0 * f * self._sum1 + self.count * f * f
            out[j] = self._finish(np.maximum(sse, 0.0))  # rounding may leave -1e-16
        per = max(1, min(len(shaped), STACK_CELLS // max(n * k * self.h, 1)))
        for start in range(0, len(shaped), per):
            part = shaped[start:start + per]
            err2 = np.empty((len(part), n, k, self.h))
            for j, i in enumerate(part):
                err2[j] = paths_list[i].path(self.h, self.ks)
            err2 -= self._actual0
            err2 *= err2
            if not self._all_seen:
                err2[:, ~self.seen] = 0.0
            out[part] = self._finish(err2.sum(axis=3))
        out[:, ~self.valid] = np.nan
        return out

    def _finish(self, sse):
        """RMSSE from the sums of squared errors (in place)."""
        sse /= self._count1
        sse /= self._scale0
        return np.sqrt(sse, out=sse)

    def calibration(self, paths, ratio=False):
        """Factor c on the windows, in RMSSE's weighting, over the scored products and
        periods: least squares, c = sum(A F / s) / sum(F^2 / s); with ``ratio`` the ratio
        of the sums, c = sum(A / s) / sum(F / s), which leaves no bias. Where the forecast
        itself is as noisy as the demand (intermittent), least squares shrinks it towards
        zero (errors in the regressor) and the forecast ends up biased low."""
        pred = paths.path(self.h, self.ks)
        w = np.where(self.valid, 1.0 / np.where(self.valid, self.scale[:, None], 1.0), 0.0)
        w = w[:, :, None] * self.seen
        actual = self._actual0
        if ratio:  # windows without a forecast (no demand yet) cannot be scaled
            w = w * (pred.sum(axis=2) > 0)[:, :, None]
            den = (pred * w).sum()
            return float((actual * w).sum() / den) if den > 0 else 1.0
        den = (pred * pred * w).sum()
        return float((actual * pred * w).sum() / den) if den > 0 else 1.0

    def restricted(self, mask):
        """The same windows, scored only where ``mask`` (n, K) holds."""
        other = copy.copy(self)
        other.valid = self.valid & mask
        return other

    def scored(self):
        return int(self.valid.any(axis=1).sum())


def mean_score(err):
    finite = np.isfinite(err)
    return float(err[finite].mean()) if finite.any() else np.nan


def per_product_mean(err):
    """Row means of ``err`` (n, K) ignoring NaN; NaN for rows without any value."""
    finite = np.isfinite(err)
    cnt = finite.sum(axis=1)
    return np.divide(np.where(finite, err, 0.0).sum(axis=1), cnt,
                     out=np.full(err.shape[0], np.nan), where=cnt > 0)


def choose(candidates, windows, combine=True, pooled=True):
    """Pick, for one class, a variant per candidate method, then the best method (or the
    equal-weight combination of the candidates' chosen variants) by mean rolling RMSSE.

    ``candidates``: {method: [(variant label, paths), ...]}, the first variant being the
    default (for most methods: parameters chosen per product on its own one-step errors).
    With ``pooled`` every variant competes, i.e. the class may share one parameter value;
    otherwise only the first. Ties go to the earlier candidate.
    Returns (name, paths, scores {name: mean RMSSE}, per-product RMSSE (n,) of the pick,
    variants chosen {method: label})."""
    best, scores, errors, chosen = {}, {}, {}, {}
    for name, variants in candidates.items():
        variants = variants if pooled else variants[:1]
        errs = windows.rmsse_many([paths for _label, paths in variants])
        top = None
        for j, (label, paths) in enumerate(variants):
            score = mean_score(errs[j])
            if top is None or (np.isfinite(score) and not score >= top[0]):
                top = (score, label, paths, errs[j])
        scores[name], chosen[name], best[name], errors[name] = top
    if combine and len(best) > 1:
        comb = Combined(best.values())
        errors["combined"] = windows.rmsse(comb)
        best["combined"], scores["combined"] = comb, mean_score(errors["combined"])
    finite = {k: v for k, v in scores.items() if np.isfinite(v)}
    if finite:
        name = min(finite, key=finite.get)
    else:  # nothing to score on: the combination is the safest default
        name = "combined" if "combined" in best else next(iter(best))
    return name, best[name], scores, per_product_mean(errors[name]), chosen
