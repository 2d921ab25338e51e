"""Quantiles of the demand over lead time + review, calibrated out of sample.

Everything here is learnt from the history alone, at origins inside it: at each origin the
forecast of the next ``m = lead time + review`` periods, made with the data before that
origin only, is compared with what was then sold. Per demand class and per quantile level,
several recipes compete on those windows and the one with the least pinball loss at that
level wins (a quantile-specific choice, by the loss that sets safety stock). A window
counts for the class its product had at that origin, from the periods before it (products
new or obsolete today excepted: they were forecast as such at every origin): today's class
is read off those very windows (a part is lumpy because of the big demands in them), so
pooling by it would over-cover today's lumpy parts and under-cover the steady ones:

``today``    (the default) conformal: today's forecast total plus the q-quantile of the
             class's past errors of that total, each divided by the product's one-step error
             (RMSE) today times sqrt(m), a product whose own errors are consistently wider
             or narrower than its class's getting its scale adjusted (shrunk towards 1).
             The pooled errors carry any bias left in the forecast, so the quantile
             corrects it.
``spread``   the same, each past error divided by the product's RMSE *at its origin*.
``naive``    the same with the product's naive scale (RMS of one-step differences).
``history``  the q-quantile of the product's own past m-period totals (its last
             ``HISTORY_SPAN`` periods), no forecast at all: for slow movers whose next total
             looks like their past ones.
``compound`` intermittent and lumpy products that sold before: the quantile of a compound
             of how many periods sell and how much each sale, the product's record pulled
             towards the sparse products' (compound.py), no forecast either: for stationary
             slow movers, whose few sales say little about their spread.

A recipe is judged at each later origin as it would have been built then: pools made of the
windows already over at that origin, spreads as known then; all recipes on the same windows.
Pinball losses are divided by each product's long-run total over m periods (every product
counts alike, whatever its volume). The default wins unless another recipe has a lower loss,
by more than the noise of the judged origins (``_clearly_better``).
A class with fewer than MIN_POOL errors borrows the pool of all classes; with none at all a
normal shape on today's spread is used. Today's quantiles then use every window.
"""
import numpy as np

from .compound import CompoundModel
from .quantiles import _normal_ppf, _row_quantiles, cumulative, window_forecast_totals

RECIPES = ("spread", "today", "naive", "history", "compound")
OWN_SHAPE = ("history", "compound")  # recipes of quantiles per product, no pooled errors
DEFAULT = "today"
SHRINK = 8.0  # origins' worth of weight of the class when adjusting a product's scale
MIN_POOL = 30  # errors a class needs for a pool of its own
HISTORY_SPAN = 104  # periods of own history for the "history" recipe (at most)
MIN_HISTORY_WINDOWS = 8  # past m-period totals needed for the "history" recipe
MIN_JUDGED = 3  # origins a recipe must be judged on to replace the default
T_SWITCH = 3.0  # standard errors by which it must beat the default there (about the
# one-sided 97.5 % t quantile at the 4-6 origins usually judged)


def _today_sigma(hist, sigma_today):
    """Today's one-step RMSE, the naive scale where there is none."""
    naive = np.sqrt(np.nan_to_num(hist.naive_scale_at(hist.T)))
    return np.where(np.isfinite(sigma_today) & (sigma_today > 0), sigma_today, naive)


def _adjust(z, valid, classes):
    """(n,) scale factor per product: its RMS standardised error over its class's, shrunk
    towards 1 with the weight of SHRINK origins."""
    n_i = valid.sum(axis=1)
    z2 = np.where(valid, z, 0.0) ** 2
    ref = np.full(len(classes), max(z2.sum() / max(valid.sum(), 1), 1e-12))
    for c in np.unique(classes):
        rows = classes == c
        cnt = valid[rows].sum()
        if cnt >= MIN_POOL:
            ref[rows] = max(z2[rows].sum() / cnt, 1e-12)
    own = np.divide(z2.sum(axis=1), n_i, out=ref.copy(), where=n_i > 0)
    return np.sqrt((n_i * own + SHRINK * ref) / (n_i + SHRINK) / ref)


def _clearly_better(losses, default, j):
    """Whether a recipe's loss at level j is below the default's on the judged origins by more
    than their noise: at least MIN_JUDGED origins, and the mean of the per-origin differences
    more than T_SWITCH standard errors below 0 (the windows of one origin share its shocks:
    origins, not windows, are the independent units). A few noisy origins keep the default."""
    if len(losses) < MIN_JUDGED:
        return False
    d = np.array([a[j] - b[j] for a, b in zip(losses, default, strict=True)])
    se = d.std(ddof=1) / np.sqrt(d.size)
    return bool(d.mean() < -T_SWITCH * se)


def pinball(actual, quantile, q):
    diff = actual - quantile
    return np.where(diff >= 0, q * diff, (q - 1.0) * diff)


def _history_quantiles(hist, o, m_int, levels, span=HISTORY_SPAN):
    """(n, L) quantiles of each product's past totals over m_int periods before origin o,
    NaN where fewer than MIN_HISTORY_WINDOWS complete windows exist."""
    n = hist.n
    m_max = int(m_int.max(initial=1))
    first = max(0, o - span)
    starts = np.arange(first, max(o - 1, first) + 1)  # window start t, end t + m <= o
    rows = np.arange(n)[:, None]
    end = starts[None, :] + m_int[:, None]
    inside = end <= o
    end_c = np.minimum(end, hist.T)
    total = hist.cum_y[rows, end_c] - hist.cum_y[rows, starts[None, :]]
    seen = hist.cum_obs[rows, end_c] - hist.cum_obs[rows, starts[None, :]]
    ok = inside & (seen == m_int[:, None])
    sums = np.where(ok, total, np.nan)
    count = ok.sum(axis=1)
    out = np.full((n, len(levels)), np.nan)
    enough = count >= MIN_HISTORY_WINDOWS
    if enough.any() and m_max:
        srt = np.sort(np.where(ok[enough], sums[enough], np.inf), axis=1)
        cnt = count[enough]
        pos = np.clip(np.asarray(levels)[None, :] * (cnt[:, None] - 1), 0, None)
        lo = np.floor(pos).astype(int)
        hi = np.minimum(lo + 1, cnt[:, None] - 1)
        frac = pos - lo
        r = np.arange(srt.shape[0])[:, None]
        out[enough] = srt[r, lo] * (1 - frac) + srt[r, hi] * frac
    return out


class Calibration:
    """Errors of lead-time totals at the calibration origins, and the recipe chosen per
    (class, level)."""

    def __init__(self, hist, classes, classes_then, paths, ks, origins, cover, sigma_at,
                 min_obs, levels, sigma_today, seed=0):
        self.classes = np.asarray(classes)
        # (n, K) each product's class at each origin: a window is pooled and judged with the
        # products of the class it had then (today's class was made from those very windows:
        # a part is "lumpy" because of the big demands in them). Products new or obsolete
        # today were forecast as such at every origin too (moving average, zero): their
        # windows stay in today's class, never in the pool of a class whose method did not
        # forecast them
        fixed = np.isin(self.classes, ("new", "obsolete"))[:, None]
        then = np.where(fixed, self.classes[:, None], np.asarray(classes_then))
        # (n, K) windows of each class, compared once (pools and judgements ask for them
        # per recipe and origin)
        self.members = {c: then == c for c in np.unique(then)}
        self.levels = np.asarray(levels, dtype=float)
        n = hist.n
        origins = np.asarray(origins, dtype=int)
        self.origins = origins
        self.m_int = np.clip(np.rint(cover), 1, None).astype(int)
        # done[i, j, k]: the window of product i from origin j was over by origin k
        self.done = (origins[None, :, None] + self.m_int[:, None, None]
                     <= origins[None, None, :])
        actual = hist.window_sum(origins, self.m_int)
        if len(origins):
            fc = window_forecast_totals(paths, ks, self.m_int, int(self.m_int.max()))
        else:
            fc = np.zeros((n, 0))
        level = hist.cum_y[:, origins] / np.maximum(hist.cum_obs[:, origins], 1)
        denom = level * self.m_int[:, None]
        root = np.sqrt(self.m_int)[:, None]
        naive = np.sqrt(np.nan_to_num(np.stack([hist.naive_scale_at(o) for o in origins],
                                               axis=1) if len(origins) else np.zeros((n, 0))))
        sig = np.where(np.isfinite(sigma_at) & (sigma_at > 0), sigma_at, naive)
        today = _today_sigma(hist, sigma_today)
        self.scales = {"spread": sig * root, "today": np.repeat(today[:, None], sig.shape[1],
                                                                axis=1) * root,
                       "naive": naive * root}
        seen = np.isfinite(actual) & (hist.cum_obs[:, origins] >= min_obs)
        self.valid = {r: seen & (s > 0) for r, s in self.scales.items()}
        base = seen & (denom > 0)  # windows scored (losses are relative to the level)
        self.z = {r: np.divide(actual - fc, s, out=np.zeros(actual.shape),
                               where=self.valid[r]) for r, s in self.scales.items()}
        # "today": a product whose own errors are consistently wider or narrower than its
        # class's gets its scale adjusted (shrunk towards 1 by SHRINK origins' worth)
        self.adjust = _adjust(self.z["today"], self.valid["today"], self.classes)
        self.scales["today"] = self.scales["today"] * self.adjust[:, None]
        self.z["today"] = np.divide(self.z["today"], self.adjust[:, None],
                                    out=np.zeros(actual.shape), where=self.valid["today"])
        self.actual, self.fc, self.denom, self.base = actual, fc, denom, base
        self.history = np.stack([_history_quantiles(hist, int(o), self.m_int, self.levels)
                                 for o in origins], axis=1) if len(origins) \
            else np.zeros((n, 0, len(self.levels)))
        # the compound recipe at each origin, with the classes the products had there
        self.compound = np.stack([CompoundModel(hist, int(o), then[:, k], seed).quantiles(
            self.m_int, self.levels) for k, o in enumerate(origins)], axis=1) \
            if len(origins) else np.zeros((n, 0, len(self.levels)))
        self.compound_today = CompoundModel(hist, hist.T, self.classes, seed)
        self.choice, self.losses, self.windows = {}, {}, {}
        for cls in np.unique(self.classes):
            self._choose(cls)

    # -- pools ---------------------------------------------------------------------------
    def _members(self, cls):
        """(n, K) the windows that count for class ``cls`` (its products then)."""
        members = self.members.get(cls)
        return np.zeros(self.base.shape, dtype=bool) if members is None else members

    def _pool(self, recipe, cls, upto=None):
        """The pooled standardised errors of a recipe for a class (all classes when it has
        too few); with ``upto`` (an origin index) only the windows over by that origin."""
        z, valid = self.z[recipe], self.valid[recipe]
        if upto is not None:
            valid = valid & self.done[:, :, upto]
        pool = z[self._members(cls) & valid]
        if pool.size < MIN_POOL:
            pool = z[valid]
        return pool if pool.size >= MIN_POOL else None

    def shift(self, recipe, cls, q):
        """q-quantile(s) of the pooled standardised errors (normal without a pool)."""
        pool = self._pool(recipe, cls)
        q = np.asarray(q, dtype=float)
        return _normal_ppf(q) if pool is None else np.quantile(pool, q)

    # -- choice --------------------------------------------------------------------------
    def _holdout_quantiles(self, recipe, cls, k):
        """(rows scored, (count, L) quantiles) of a recipe at origin index k, built as it
        would have been then: conformal pools from the earlier origins only and, for
        "today", the product's spread as known at that origin."""
        then = self._members(cls)
        ok = then[:, k] & self.base[:, k]
        if recipe in OWN_SHAPE:
            own = getattr(self, recipe)
            ok = ok & np.isfinite(own[:, k, 0])
            return ok, own[ok, k, :]
        if recipe == "today":  # errors of the earlier origins over the spread at origin k
            scale_k = self.scales["spread"][:, k]
            earlier = (self.valid["spread"] & self.done[:, :, k])[:, :k] \
                & (scale_k > 0)[:, None]
            if not earlier.any():
                return ok & False, None
            err = self.actual[:, :k] - self.fc[:, :k]
            z = np.divide(err, scale_k[:, None], out=np.zeros(err.shape), where=earlier)
            adjust = _adjust(z, earlier, self.classes)
            z = z / adjust[:, None]
            pool = z[then[:, :k] & earlier]
            if pool.size < MIN_POOL:
                pool = z[earlier]
            if pool.size < MIN_POOL:
                return ok & False, None
            ok = ok & (scale_k > 0)
            return ok, (self.fc[ok, k, None] + (scale_k * adjust)[ok, None]
                        * np.quantile(pool, self.levels)[None, :])
        pool = self._pool(recipe, cls, upto=k)
        ok = ok & self.valid[recipe][:, k]
        if pool is None:
            return ok & False, None
        return ok, (self.fc[ok, k, None] + self.scales[recipe][ok, k, None]
                    * np.quantile(pool, self.levels)[None, :])

    def _choose(self, cls):
        """Per level, the recipe with the least pinball loss on the later origins' windows,
        each quantile built as it would have been at that origin; every recipe is judged on
        the same windows (a recipe that cannot be built on 90 % of the windows of the
        default does not compete); the default ("today", the former recipe) unless another
        one wins."""
        n, K = self.actual.shape
        L = len(self.levels)
        built = [{r: self._holdout_quantiles(r, cls, k) for r in RECIPES}
                 for k in range(1, K)]

        def full(recipe, b):
            ok, quant = b[recipe]
            mask = np.zeros(n, dtype=bool)
            values = np.full((n, L), np.nan)
            if quant is not None and ok.any():
                mask, values[ok] = ok, quant
            return mask, values

        grids = [{r: full(r, b) for r in RECIPES} for b in built]
        base = sum(int(g[DEFAULT][0].sum()) for g in grids)
        eligible = [DEFAULT] + [
            r for r in RECIPES if r != DEFAULT and base >= MIN_POOL
            and sum(int((g[r][0] & g[DEFAULT][0]).sum()) for g in grids) >= 0.9 * base]
        losses = {r: np.zeros(L) for r in eligible}
        per_origin = {r: [] for r in eligible}  # mean loss per judged origin
        count = 0
        for k, g in zip(range(1, K), grids, strict=True):
            common = np.logical_and.reduce([g[r][0] for r in eligible])
            if not common.any():
                continue
            count += int(common.sum())
            for recipe in eligible:
                quant = np.maximum(g[recipe][1][common], 0.0)
                loss = (pinball(self.actual[common, k, None], quant, self.levels[None, :])
                        / self.denom[common, k, None])
                losses[recipe] += loss.sum(axis=0)
                per_origin[recipe].append(loss.mean(axis=0))
        choice = []
        for j in range(L):
            best = DEFAULT
            if count >= MIN_POOL:
                for recipe in eligible:
                    if losses[recipe][j] < losses[best][j] and _clearly_better(
                            per_origin[recipe], per_origin[DEFAULT], j):
                        best = recipe
            choice.append(best)
        self.choice[cls] = choice
        self.losses[cls] = {r: (losses[r] / count).tolist() if count else None
                            for r in eligible}
        self.windows[cls] = int((self.base & self._members(cls)).sum())

    # -- today ---------------------------------------------------------------------------
    def quantiles(self, hist, path, cover, sigma_today, levels):
        """(mean (n,), quantiles (n, L)) of the total over ``cover`` periods today."""
        levels = np.asarray(levels, dtype=float)
        n = hist.n
        mean = cumulative(path, cover)
        root = np.sqrt(np.maximum(cover, 1e-9))
        naive = np.sqrt(np.nan_to_num(hist.naive_scale_at(hist.T)))
        sig = _today_sigma(hist, sigma_today)
        scales = {"spread": sig * root, "today": sig * root * self.adjust,
                  "naive": naive * root}
        hist_q = _history_quantiles(hist, hist.T, self.m_int, levels)
        own = {"history": hist_q * (np.maximum(cover, 1e-9) / self.m_int)[:, None]}
        out = np.zeros((n, len(levels)))
        for cls in np.unique(self.classes):
            rows = self.classes == cls
            for j, q in enumerate(levels):
                recipe = self.recipe(cls, q)
                if recipe == "compound" and "compound" not in own:
                    own["compound"] = self.compound_today.quantiles(cover, levels)
                if recipe in OWN_SHAPE:
                    value = own[recipe][rows, j]
                    fallback = mean[rows] + scales["spread"][rows] * self.shift("spread", cls, q)
                    out[rows, j] = np.where(np.isfinite(value), value, fallback)
                else:
                    out[rows, j] = mean[rows] + scales[recipe][rows] * self.shift(recipe, cls, q)
        return mean, out, scales

    def recipe(self, cls, q):
        """The recipe chosen for class ``cls`` at the level nearest to ``q``."""
        choice = self.choice.get(cls)
        if not choice:
            return DEFAULT
        return choice[int(np.argmin(np.abs(self.levels - q)))]

    def bootstrap_recipe(self, cls):
        """The recipe whose pooled errors are sampled when the lead time varies: the one
        chosen at the 0.9 level, the spread recipe when that is the product's history or the
        compound (whose products are sampled on their own: lead_time_quantiles)."""
        recipe = self.recipe(cls, 0.9)
        return "spread" if recipe in OWN_SHAPE else recipe

    def summary(self):
        """Per class: recipe per level, loss of each recipe per level, windows used."""
        return {cls: {"recipes": dict(zip(self.levels.tolist(), self.choice[cls],
                                          strict=True)),
                      "losses": self.losses[cls], "windows": self.windows[cls]}
                for cls in self.choice}


def lead_time_quantiles(cal, hist, classes, path, cover, lead, review, lead_std, sigma_today,
                        levels, service_level, rng, samples):
    """Quantiles of the total over lead time + review: (mean (n,), quantiles (n, L), service
    quantile (n,) or None). A variable lead time is sampled (normal, truncated at 0) together
    with the class's pooled errors of the recipe chosen at the 0.9 level (the spread recipe
    when that is the history), in a seeded bootstrap; where the compound was chosen at 0.9,
    its own totals over each sampled lead time."""
    levels = np.asarray(levels, dtype=float)
    mean, out, scales = cal.quantiles(hist, path, cover, sigma_today, levels)
    service = None
    if service_level is not None:
        service = np.zeros(hist.n)
        for value in np.unique(service_level):
            rows = service_level == value
            _m, q, _s = cal.quantiles(hist, path, cover, sigma_today, [value])
            service[rows] = q[rows, 0]
    vary = np.nonzero(lead_std > 0)[0]
    if vary.size:
        sims = np.empty((vary.size, samples))
        lt = np.maximum(lead[vary, None] + lead_std[vary, None]
                        * rng.standard_normal((vary.size, samples)), 0.0)
        m = lt + review[vary, None]
        z = np.empty((vary.size, samples))
        unit = np.zeros(vary.size)
        cls_v = np.asarray(classes)[vary]
        for cls in np.unique(cls_v):
            rows = cls_v == cls
            recipe = cal.bootstrap_recipe(cls)
            pool = cal._pool(recipe, cls)
            count = int(rows.sum())
            z[rows] = (rng.standard_normal((count, samples)) if pool is None
                       else pool[rng.integers(0, pool.size, size=(count, samples))])
            unit[rows] = scales[recipe][vary][rows] / np.sqrt(np.maximum(cover[vary][rows],
                                                                           1e-9))
        sims = cumulative(path[vary], m) + unit[:, None] * np.sqrt(m) * z
        compound = np.array([cal.recipe(c, 0.9) == "compound" for c in cls_v], dtype=bool) \
            & cal.compound_today.defined()[vary]
        if compound.any():
            sims[compound] = cal.compound_today.samples(vary[compound], m[compound])
        sims.sort(axis=1)
        out[vary] = _row_quantiles(sims, np.broadcast_to(levels, (vary.size, len(levels))))
        if service is not None:
            service[vary] = _row_quantiles(sims, service_level[vary, None])[:, 0]
    out = np.maximum.accumulate(np.maximum(out, 0.0), axis=1)
    if service is not None:
        service = np.maximum(service, 0.0)
    return np.maximum(mean, 0.0), out, service
