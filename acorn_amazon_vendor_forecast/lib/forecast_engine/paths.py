"""Forecast paths from a set of origins, kept compact.

Every method's forecast from origin ``o`` is ``(level + trend * (phi + ... + phi**h)) *
season[(o + h - 1) mod S]`` for ``h = 1, 2, ...``: flat methods have no trend and no season.
The arrays are (n, K) for K origins; the full (n, K, h) paths are only built on demand.
``flat(ks)`` gives the (n, len(ks)) per-period forecast of paths that stay flat over the
horizon (no trend, no season), None otherwise: such paths are scored without building them.
"""
import numpy as np


def _non_negative(out):
    """``out`` in place: NaN and negatives to 0, +inf to the largest float (as
    ``np.maximum(np.nan_to_num(out), 0)``, without its copies: paths are built often)."""
    np.fmax(out, 0.0, out=out)
    return np.minimum(out, np.finfo(float).max, out=out)


def _damping(phi, h):
    """(len(phi), h): phi + phi^2 + ... + phi^j for j = 1..h, phi == 1 giving j."""
    phi = phi[:, None]
    steps = np.arange(1, h + 1)[None, :]
    return np.where(np.abs(1.0 - phi) < 1e-9, steps,
                    phi * (1.0 - phi ** steps) / np.where(phi == 1.0, 1.0, 1.0 - phi))


class Paths:
    def __init__(self, origins, level, trend=None, phi=None, season=None, season_of=None):
        self.origins = np.asarray(origins, dtype=int)
        self.level = level
        self.trend = trend
        self.phi = phi
        # season: (n, n_sets, S) multiplicative factors; season_of: (K,) set used per origin
        self.season = season
        self.season_of = season_of

    @property
    def n(self):
        return self.level.shape[0]

    def rows(self, idx):
        """The same paths for the products ``idx`` only."""
        def take(a):
            return None if a is None else a[idx]

        return Paths(self.origins, self.level[idx], take(self.trend), take(self.phi),
                     take(self.season), self.season_of)

    def path(self, h, ks=None):
        """(n, len(ks), h) per-period forecasts from origins ``ks`` (indices; default all)."""
        ks = np.arange(len(self.origins)) if ks is None else np.atleast_1d(ks)
        out = np.empty((self.level.shape[0], len(ks), h))
        out[...] = self.level[:, ks, None]
        if self.trend is not None:
            # phi comes from a small grid: the damping sums once per distinct value
            phi = self.phi[:, ks]
            if phi.size and (phi == phi.flat[0]).all():  # one value shared by the class
                damp = self.trend[:, ks, None] * _damping(phi.flat[0:1], h)[0]
            else:
                values, which = np.unique(phi, return_inverse=True)
                damp = _damping(values, h)[which.reshape(-1)].reshape(out.shape)
                damp *= self.trend[:, ks, None]
            out += damp
        if self.season is not None:
            S = self.season.shape[2]
            pos = (self.origins[ks][:, None] + np.arange(h)[None, :]) % S  # (k, h)
            sets = self.season_of[ks]
            factors = self.season[:, sets[:, None], pos]  # (n, k, h)
            out = out * factors
        return _non_negative(out)

    def flat(self, ks):
        if self.trend is not None or self.season is not None:
            return None
        return _non_negative(np.array(self.level[:, ks], dtype=float))

    def final(self, h):
        """(n, h) forecast from the last origin."""
        return self.path(h, [len(self.origins) - 1])[:, 0, :]


class Factored:
    """Another method's paths times a factor per (product, origin) (n, K): a class's
    calibration, which may differ between products and origins (sparse or not then)."""

    def __init__(self, paths, factor):
        self.paths = paths
        self.factor = np.broadcast_to(np.asarray(factor, dtype=float),
                                      (paths.n, len(paths.origins)))
        self.origins = paths.origins

    @property
    def n(self):
        return self.paths.n

    def rows(self, idx):
        return Factored(self.paths.rows(idx), self.factor[idx])

    def path(self, h, ks=None):
        ks = np.arange(len(self.origins)) if ks is None else np.atleast_1d(ks)
        return self.factor[:, ks, None] * self.paths.path(h, ks)

    def flat(self, ks):
        base = self.paths.flat(ks)
        return None if base is None else self.factor[:, ks] * base

    def final(self, h):
        return self.path(h, [len(self.origins) - 1])[:, 0, :]


class Combined:
    """Equal-weight average of several methods' paths (same origins)."""

    def __init__(self, parts):
        self.parts = list(parts)
        self.origins = self.parts[0].origins

    @property
    def n(self):
        return self.parts[0].n

    def rows(self, idx):
        return Combined([part.rows(idx) for part in self.parts])

    def path(self, h, ks=None):
        total = None
        for part in self.parts:  # every path() returns a new array: summed in place
            p = part.path(h, ks)
            if total is None:
                total = p
            else:
                total += p
        total /= len(self.parts)
        return total

    def flat(self, ks):
        total = None
        for part in self.parts:
            p = part.flat(ks)
            if p is None:
                return None
            total = p if total is None else total + p
        return total / len(self.parts)

    def final(self, h):
        return self.path(h, [len(self.origins) - 1])[:, 0, :]


class Constant:
    """The same per-period rate (n,) from every origin: zero forecasts, fallbacks."""

    def __init__(self, origins, rate):
        self.origins = np.asarray(origins, dtype=int)
        self.rate = np.asarray(rate, dtype=float)

    @property
    def n(self):
        return self.rate.shape[0]

    def rows(self, idx):
        return Constant(self.origins, self.rate[idx])

    def path(self, h, ks=None):
        k = len(self.origins) if ks is None else len(np.atleast_1d(ks))
        return np.broadcast_to(self.rate[:, None, None], (self.n, k, h)).copy()

    def flat(self, ks):
        return np.broadcast_to(self.rate[:, None], (self.n, len(ks))).copy()

    def final(self, h):
        return self.path(h, [len(self.origins) - 1])[:, 0, :]


def stitch(n, origins, pieces):
    """One Paths-like object from per-row pieces: ``pieces`` is a list of (rows, paths)."""
    return _Stitched(n, origins, pieces)


class _Stitched:
    def __init__(self, n, origins, pieces):
        self._n = n
        self.origins = np.asarray(origins, dtype=int)
        self.pieces = pieces

    @property
    def n(self):
        return self._n

    def rows(self, idx):
        idx = np.asarray(idx, dtype=int)
        where = np.full(self._n, -1)
        where[idx] = np.arange(idx.size)
        pieces = []
        for rows, paths in self.pieces:
            keep = np.nonzero(where[rows] >= 0)[0]
            if keep.size:
                pieces.append((where[rows[keep]], paths.rows(keep)))
        return _Stitched(idx.size, self.origins, pieces)

    def path(self, h, ks=None):
        k = len(self.origins) if ks is None else len(np.atleast_1d(ks))
        out = np.zeros((self._n, k, h))
        for rows, paths in self.pieces:
            if len(rows):
                out[rows] = paths.path(h, ks)
        return out

    def flat(self, ks):
        out = np.zeros((self._n, len(ks)))
        for rows, paths in self.pieces:
            if len(rows):
                part = paths.flat(ks)
                if part is None:
                    return None
                out[rows] = part
        return out

    def final(self, h):
        return self.path(h, [len(self.origins) - 1])[:, 0, :]
