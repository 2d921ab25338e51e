"""Forecast paths from a set of origins, kept compact.

Every method's forecast from origin ``o`` is ``(level + trend * (phi + ... + phi**h)) *
season[(o + h - 1) mod S]`` for ``h = 1, 2, ...``: flat methods have no trend and no season.
The arrays are (n, K) for K origins; the full (n, K, h) paths are only built on demand.
"""
import numpy as np


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
        out = np.repeat(self.level[:, ks, None], h, axis=2)
        if self.trend is not None:
            phi = self.phi[:, ks, None]
            steps = np.arange(1, h + 1)[None, None, :]
            # phi + phi^2 + ... + phi^h, with phi == 1 handled as h
            damp = np.where(np.abs(1.0 - phi) < 1e-9, steps,
                            phi * (1.0 - phi ** steps) / np.where(phi == 1.0, 1.0, 1.0 - phi))
            out = out + self.trend[:, ks, None] * damp
        if self.season is not None:
            S = self.season.shape[2]
            pos = (self.origins[ks][:, None] + np.arange(h)[None, :]) % S  # (k, h)
            sets = self.season_of[ks]
            factors = self.season[:, sets[:, None], pos]  # (n, k, h)
            out = out * factors
        return np.maximum(np.nan_to_num(out, nan=0.0), 0.0)

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
        for part in self.parts:
            p = part.path(h, ks)
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

    def final(self, h):
        return self.path(h, [len(self.origins) - 1])[:, 0, :]
