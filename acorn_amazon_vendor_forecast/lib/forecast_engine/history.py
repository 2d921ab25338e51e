"""The demand panel as the methods see it: observed mask, running counts, origins.

``Y`` has one row per product and one column per period, oldest first. NaN means "no
observation": leading NaN is a product not yet listed, NaN elsewhere a period without data.
Neither counts as a zero; the smoothing methods simply skip such periods.

An *origin* ``o`` is a number of periods: the forecast made at origin ``o`` has seen
``Y[:, :o]`` and forecasts ``Y[:, o]``, ``Y[:, o + 1]``, ... The last origin is ``T``.
"""
import numpy as np


def as_panel(Y):
    """``Y`` as a float (n, T) array; negative demand (returns) counts as zero."""
    Y = np.array(Y, dtype=float, copy=True)
    if Y.ndim == 1:
        Y = Y[None, :]
    if Y.ndim != 2:
        raise ValueError("Y must be a 2-D array (n_products, n_periods)")
    with np.errstate(invalid="ignore"):
        Y[Y < 0] = 0.0
    Y[np.isinf(Y)] = np.nan
    return Y


def listed_before_first_demand(Y, lead):
    """``Y`` (as_panel) with the zeros more than ``lead`` periods before each product's first
    demand set to missing: the product is taken as listed ``lead`` periods before it first
    sold. A part that sold once in month 40 of 48 was not on offer for 39 months: counting
    them as zero demand makes every method (and the spread of its errors) read it as 40 times
    slower than it sells since. Products that never sold are left as they are."""
    Y = as_panel(Y)
    nonzero = np.nan_to_num(Y) > 0
    T = Y.shape[1]
    first = np.where(nonzero.any(axis=1), nonzero.argmax(axis=1), 0)
    cut = (np.arange(T)[None, :] < (first - int(lead))[:, None]) & ~np.isnan(Y)
    Y[cut] = np.nan
    return Y


class History:
    """Per-product running statistics of a demand panel, computed once."""

    def __init__(self, Y):
        self.Y = as_panel(Y)
        self.n, self.T = self.Y.shape
        self.obs = ~np.isnan(self.Y)
        self.y0 = np.where(self.obs, self.Y, 0.0)
        self.nonzero = self.y0 > 0
        zero_col = np.zeros((self.n, 1))
        # cum_*[:, o] = statistic of the first o periods
        self.cum_obs = np.concatenate([zero_col, np.cumsum(self.obs, axis=1)], axis=1)
        self.cum_y = np.concatenate([zero_col, np.cumsum(self.y0, axis=1)], axis=1)
        self.cum_nz = np.concatenate([zero_col, np.cumsum(self.nonzero, axis=1)], axis=1)
        self.cum_y2 = np.concatenate([zero_col, np.cumsum(self.y0 ** 2, axis=1)], axis=1)
        has = self.obs.any(axis=1)
        first = self.obs.argmax(axis=1) if self.T else np.zeros(self.n, dtype=int)
        self.first = np.where(has, first, self.T)
        self.n_obs = self.cum_obs[:, -1]
        # squared one-step naive differences between consecutive observed periods
        pair = self.obs[:, 1:] & self.obs[:, :-1]
        d2 = np.where(pair, np.diff(self.y0, axis=1) ** 2, 0.0)
        self.cum_d2 = np.concatenate([zero_col, zero_col, np.cumsum(d2, axis=1)], axis=1)
        self.cum_pairs = np.concatenate([zero_col, zero_col, np.cumsum(pair, axis=1)], axis=1)

    def take(self, rows):
        """A History of the given products only."""
        return History(self.Y[rows])

    def n_obs_at(self, o):
        return self.cum_obs[:, o]

    def mean_at(self, o):
        """Mean of the observed periods before origin ``o`` (0 without any)."""
        count = self.cum_obs[:, o]
        return np.divide(self.cum_y[:, o], count, out=np.zeros(self.n), where=count > 0)

    def naive_scale_at(self, o):
        """Mean squared one-step naive difference before origin ``o`` (RMSSE's scale)."""
        pairs = self.cum_pairs[:, o]
        return np.divide(self.cum_d2[:, o], pairs, out=np.full(self.n, np.nan), where=pairs > 0)

    def trailing_zeros(self):
        """Length of the run of zero demand at the end of each history (missing skipped)."""
        if not self.T:
            return np.zeros(self.n)
        last_nz = np.where(self.nonzero.any(axis=1),
                           self.T - 1 - np.argmax(self.nonzero[:, ::-1], axis=1), -1)
        # observed periods after the last non-zero demand
        start = np.maximum(last_nz + 1, self.first)
        return self.n_obs - self.cum_obs[np.arange(self.n), np.minimum(start, self.T)]

    def quiet_runs_at(self, origins):
        """(n, K) observed periods since the last demand before each origin (every observed
        period before it when there was none)."""
        origins = np.asarray(origins, dtype=int)
        t = np.arange(self.T)
        last = np.maximum.accumulate(np.where(self.nonzero, t[None, :], -1), axis=1)
        before = np.concatenate([np.full((self.n, 1), -1), last], axis=1)[:, origins]
        rows = np.arange(self.n)[:, None]
        return self.cum_obs[:, origins] - self.cum_obs[rows, before + 1]

    def window_sum(self, origins, length):
        """Actual demand summed over ``length`` periods after each origin.

        ``origins`` (K,), ``length`` int or (n,) ints. Returns (n, K) sums, NaN where a period
        of the window is missing or the window runs past the end."""
        origins = np.asarray(origins, dtype=int)
        length = np.broadcast_to(np.asarray(length, dtype=int), (self.n,))
        end = origins[None, :] + length[:, None]
        ok = end <= self.T
        end_c = np.minimum(end, self.T)
        rows = np.arange(self.n)[:, None]
        total = self.cum_y[rows, end_c] - self.cum_y[rows, origins[None, :]]
        seen = self.cum_obs[rows, end_c] - self.cum_obs[rows, origins[None, :]]
        full = ok & (seen == length[:, None])
        return np.where(full, total, np.nan)
