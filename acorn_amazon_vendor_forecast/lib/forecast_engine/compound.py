"""The compound quantile of a slow mover's total over lead time + review (issue #18).

Over a lead time an intermittent or lumpy product sells a handful of times at most: the
quantiles of its total are those of a compound distribution (how many periods have a sale,
how much each sells), which a forecast plus a scaled error describes badly, and the spread
of a product that sold once or twice cannot be read off its own record alone. Here both parts
come from the product's record pulled towards that of the sparse products (intermittent and
lumpy together), by as much as those products really differ:

- periods with a sale among the next m: beta-binomial, the chance of a sale per period
  Beta(a + c, b + n - c) after c periods with a sale among n observed ones, the prior (a, b)
  fitted by moments (methods.beta_prior, as for the empirical Bayes rate): a part that sold
  once in four years may well sell more often than that, and the prior says how likely;
- the units of each sale: Gamma with the pooled coefficient of variation of sizes within a
  product, around the product's mean size pulled towards the sparse products' by credibility
  (Bühlmann: its c sizes weigh c / (c + within-product / between-product variance)).

One model for both sparse classes: they are told apart by the spread of the very sizes the
model estimates (a part is "intermittent" because its few sizes happened to be alike), so a
model per class reads its sizes selected: fitted on the intermittent class alone, the 0.9
quantile covered 0.872 of stationary parts of one process. Demand is taken as stationary
(every observed period weighs alike), so the recipe competes with the others per class and
level (calibrate.py) and is used only where it wins on the history's windows (stationary slow
movers, not ageing parts). Products that have not sold yet, or outside COMPOUND_CLASSES, get
none (NaN): the caller falls back to another recipe. The number of periods with a sale has an
exact distribution; the units of N sales (in mean sizes) come from seeded draws shared by
every product, so each distinct (c, n, m) costs one mixture of them, and a product's quantile
is its mean size times that mixture's.
"""
import numpy as np

from .methods import beta_prior

COMPOUND_CLASSES = ("intermittent", "lumpy")
SIZE_DRAWS = 4000  # draws of the units of N sales, shared by every product
GRID = 2048  # points of the totals' distribution (in mean sizes) quantiles are read from
MIN_PRODUCTS = 30  # products with a sale needed to fit the prior and the sizes
MIN_CV2 = 1e-6  # sizes that never vary: each sale is its mean (Gamma of a huge shape)


class CompoundModel:
    """The compound recipe at origin ``o`` of ``hist`` (data before ``o`` only), for the
    products whose class there (``classes`` (n,)) is sparse."""

    def __init__(self, hist, o, classes, seed=0):
        self.n = hist.n
        self.o = int(o)
        self.c = hist.cum_nz[:, self.o]
        self.periods = hist.cum_obs[:, self.o]
        self.seed = int(seed)
        self.rng = np.random.default_rng([self.seed, self.o])  # samples() only
        self.mu = np.full(self.n, np.nan)  # mean size, pulled towards the sparse products'
        # (alpha, beta, cv2) of the Beta prior; beta inf: every product at the share alpha
        self.prior = None
        self.defined_rows = np.zeros(self.n, dtype=bool)
        units, squares = hist.cum_y[:, self.o], hist.cum_y2[:, self.o]
        # one model for both sparse classes (module docstring)
        rows = np.isin(np.asarray(classes), COMPOUND_CLASSES) & (self.periods >= 2)
        sold = rows & (self.c > 0)
        if sold.sum() < MIN_PRODUCTS:
            return
        prior = beta_prior(self.c[rows], self.periods[rows])
        sizes = _sizes(self.c[sold], units[sold], squares[sold])
        if prior is None or sizes is None:
            return
        share, b = prior
        self.mu[sold], cv2 = sizes
        self.prior = ((share * b, (1.0 - share) * b, cv2) if np.isfinite(b)
                      else (share, np.inf, cv2))
        self.defined_rows = sold

    def defined(self):
        """(n,) bool: products the recipe gives quantiles for."""
        return self.defined_rows

    def quantiles(self, cover, levels):
        """(n, L) quantiles of each product's total over ``cover`` (n,) periods at
        ``levels``; NaN where not defined. A fractional cover is read between the
        quantiles of its whole periods below and above."""
        levels = np.asarray(levels, dtype=float)
        cover = np.maximum(np.broadcast_to(np.asarray(cover, dtype=float), (self.n,)), 0.0)
        out = np.full((self.n, len(levels)), np.nan)
        if self.prior is None:
            return out
        a, b, cv2 = self.prior
        rows = np.nonzero(self.defined_rows)[0]
        key = np.stack([self.c[rows], self.periods[rows], cover[rows]], axis=1)
        combos, inverse = np.unique(key, axis=0, return_inverse=True)
        low = np.floor(combos[:, 2]).astype(int)
        frac = (combos[:, 2] - low)[:, None]
        # the whole periods below each cover and, for a fractional one, the next: up to one
        # more than the largest whole cover
        grid, cdf = self._size_cdf(int(np.floor(combos[:, 2].max(initial=0))) + 1, cv2)
        alpha, beta = a + combos[:, 0], b + combos[:, 1] - combos[:, 0]
        q = (1.0 - frac) * _mixture_quantiles(_sales_pmf(alpha, beta, low, a, b), grid, cdf,
                                              levels)
        if (frac > 0).any():
            q += frac * _mixture_quantiles(_sales_pmf(alpha, beta, low + 1, a, b), grid, cdf,
                                           levels)
        out[rows] = self.mu[rows, None] * q[inverse.reshape(-1)]
        return out

    def _size_cdf(self, m_max, cv2):
        """(grid (G,), cdf (m_max + 1, G)): the distribution of the units of N sales, N =
        0..m_max, in units of the mean size (N sales of Gamma(1 / cv2, cv2)), on a grid finer
        near 0, from seeded draws shared by every product."""
        cv2 = max(cv2, MIN_CV2)
        counts = np.arange(1, max(m_max, 1) + 1)
        # drawn afresh for each call from the same seed: the same level of the same product
        # reads the same value whichever call asks (levels, a service level)
        rng = np.random.default_rng([self.seed, self.o, m_max])
        draws = np.sort(rng.gamma(counts[:, None] / cv2, cv2,
                                  size=(counts.size, SIZE_DRAWS)), axis=1)
        top = float(draws[:, -1].max()) * 1.05
        grid = np.linspace(0.0, np.sqrt(top), GRID) ** 2
        cdf = np.ones((counts.size + 1, GRID))  # no sale: nothing sold
        for j in range(counts.size):
            cdf[j + 1] = np.searchsorted(draws[j], grid, side="right") / SIZE_DRAWS
        return grid, cdf[: m_max + 1]

    def samples(self, rows, cover):
        """(len(rows), S) draws of the totals of products ``rows`` (all defined) over
        ``cover`` (len(rows), S) periods each, e.g. with a lead time that varies."""
        a, b, cv2 = self.prior
        return self.mu[rows, None] * self._standard_draws(self.c[rows], self.periods[rows],
                                                          cover, a, b, cv2)

    def _standard_draws(self, c, periods, m, a, b, cv2):
        """(k, S) totals in units of the mean size: periods with a sale among ``m`` (k, S)
        (beta-binomial, prior Beta(a, b); the fraction of a last period sells with that
        fraction of the chance), each sale Gamma(1 / cv2, cv2)."""
        k, S = m.shape
        if np.isfinite(b):
            p = self.rng.beta(np.maximum(a + c, 1e-9)[:, None],
                              np.maximum(b + periods - c, 1e-9)[:, None], size=(k, S))
        else:
            p = np.full((k, S), a)
        whole = np.floor(m)
        sales = (self.rng.binomial(whole.astype(int), p)
                 + self.rng.binomial(1, np.clip((m - whole) * p, 0.0, 1.0)))
        shape = np.maximum(sales, 1) / max(cv2, MIN_CV2)
        return np.where(sales > 0, self.rng.gamma(shape) * max(cv2, MIN_CV2), 0.0)


def _sizes(c, units, squares):
    """(mean size per product pulled towards the products' (len(c),), pooled squared
    coefficient of variation of sizes within a product) for products with ``c`` >= 1 sales
    of ``units`` in all (``squares``: sum of squared sizes); None without products that sold
    twice. Bühlmann credibility in relative terms (sizes = the product's mean size times a
    factor of mean 1 and variance ``within``): the relative variance of the products' mean
    sizes is read beyond what their own few sizes give, ``between`` = (var(rel) - within *
    mean(1/c)) / (1 + within * mean(1/c)), and a product's c sizes weigh c / (c + k), k =
    within * (1 + between) / between."""
    own = units / c
    twice = c >= 2
    if not twice.any():
        return None
    within = float((squares - c * own * own)[twice].sum()
                   / ((c[twice] - 1) * own[twice] ** 2).sum())
    within = max(within, 0.0)
    mean = float(units.sum() / c.sum())
    noise = within * float(np.mean(1.0 / c))
    between = (float(np.var(own / mean)) - noise) / (1.0 + noise)
    if between <= 0:  # mean sizes differ no more than the sizes' own spread gives
        return np.full(c.shape, mean), within
    weight = c / (c + within * (1.0 + between) / between)
    return weight * own + (1.0 - weight) * mean, within


def _sales_pmf(alpha, beta, m, a, b):
    """(k, max(m) + 1) probabilities of 0..m periods with a sale among ``m`` (k,) ints:
    beta-binomial with Beta(alpha, beta) (k,), binomial at the products' share ``a`` when
    the prior has no spread (``b`` inf)."""
    m = np.asarray(m, dtype=int)
    width = int(m.max(initial=0)) + 1
    j = np.arange(width)[None, :]
    inside = j <= m[:, None]
    mm = m[:, None].astype(float)
    if np.isfinite(b):
        al, be = np.maximum(alpha, 1e-9)[:, None], np.maximum(beta, 1e-9)[:, None]
        # log P(0) = sum_{i<m} log((be + i) / (al + be + i)); then the ratio P(j+1) / P(j)
        steps = np.where(j < mm, np.log(be + j) - np.log(al + be + j), 0.0)
        ratio = np.log(np.maximum(mm - j, 1e-300)) - np.log(j + 1.0) + np.log(j + al) \
            - np.log(np.maximum(mm - j - 1.0 + be, 1e-300))
    else:
        p = min(max(float(a), 1e-12), 1.0 - 1e-12)
        steps = np.where(j < mm, np.log1p(-p), 0.0)
        ratio = np.log(np.maximum(mm - j, 1e-300)) - np.log(j + 1.0) + np.log(p) \
            - np.log1p(-p)
    log_p = np.concatenate([steps.sum(axis=1, keepdims=True),
                            np.cumsum(ratio, axis=1)[:, :-1]], axis=1)
    log_p[:, 1:] += log_p[:, :1]
    pmf = np.where(inside, np.exp(log_p), 0.0)
    return pmf / pmf.sum(axis=1, keepdims=True)


def _mixture_quantiles(pmf, grid, cdf, levels):
    """(k, L) quantiles at ``levels`` of the mixture of the size distributions ``cdf``
    (rows 0..m on ``grid``) with weights ``pmf`` (k, m + 1), linear between grid points."""
    width = pmf.shape[1]
    mix = pmf @ cdf[:width]  # (k, G)
    out = np.empty((pmf.shape[0], len(levels)))
    for i, q in enumerate(levels):
        idx = np.minimum((mix < q).sum(axis=1), grid.size - 1)  # first point at or above q
        lo = np.maximum(idx - 1, 0)
        rows = np.arange(pmf.shape[0])
        f_lo, f_hi = mix[rows, lo], mix[rows, idx]
        t = np.clip(np.divide(q - f_lo, f_hi - f_lo, out=np.ones(idx.shape),
                              where=f_hi > f_lo), 0.0, 1.0)
        out[:, i] = np.where(idx == 0, 0.0, grid[lo] + t * (grid[idx] - grid[lo]))
    return out
