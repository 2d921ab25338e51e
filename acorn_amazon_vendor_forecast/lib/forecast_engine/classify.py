"""Demand classes: Syntetos-Boylan (ADI / CV²) plus "new" and "obsolete".

ADI is the average number of observed periods per non-zero demand (n_obs / n_demands, inf
without any demand); CV² is the squared coefficient of variation of the non-zero demand
sizes (population variance / mean², 0 with fewer than two demands).
"""
from dataclasses import dataclass

import numpy as np

CLASSES = ("smooth", "erratic", "intermittent", "lumpy", "new", "obsolete")


@dataclass
class Classification:
    demand_class: np.ndarray  # (n,) str
    adi: np.ndarray  # (n,)
    cv2: np.ndarray  # (n,)
    n_obs: np.ndarray  # (n,) observed periods
    trailing_zeros: np.ndarray  # (n,) observed zero periods since the last demand


def demand_stats(hist):
    """(adi, cv2) per product of a History."""
    sizes = np.where(hist.nonzero, hist.y0, 0.0)
    return _stats(hist.n_obs, hist.cum_nz[:, -1], sizes.sum(axis=1), (sizes ** 2).sum(axis=1))


def _stats(n_obs, nz, s1, s2):
    """(adi, cv2) from the observed periods, the demands, and the sums of the demand sizes
    and of their squares (arrays of any one shape)."""
    adi = np.divide(n_obs, nz, out=np.full(nz.shape, np.inf), where=nz > 0)
    mean = np.divide(s1, nz, out=np.zeros(nz.shape), where=nz > 0)
    var = np.divide(s2, nz, out=np.zeros(nz.shape), where=nz > 0) - mean ** 2
    cv2 = np.divide(np.maximum(var, 0.0), mean ** 2, out=np.zeros(nz.shape),
                    where=(nz > 1) & (mean > 0))
    return adi, cv2


def _classes(adi, cv2, trailing, n_obs, adi_cutoff, cv2_cutoff, obsolete_after, min_history):
    steady = cv2 < cv2_cutoff
    cls = np.where(adi < adi_cutoff, np.where(steady, "smooth", "erratic"),
                   np.where(steady, "intermittent", "lumpy")).astype(object)
    cls[trailing >= obsolete_after] = "obsolete"
    cls[n_obs < min_history] = "new"
    return cls.astype(str)


def classify_history(hist, adi_cutoff=1.32, cv2_cutoff=0.49, obsolete_after=26, min_history=8):
    adi, cv2 = demand_stats(hist)
    trailing = hist.trailing_zeros()
    cls = _classes(adi, cv2, trailing, hist.n_obs, adi_cutoff, cv2_cutoff, obsolete_after,
                   min_history)
    return Classification(cls, adi, cv2, hist.n_obs.astype(int), trailing.astype(int))


def classes_at(hist, origins, adi_cutoff=1.32, cv2_cutoff=0.49, obsolete_after=26,
               min_history=8):
    """(n, K) the class each product had at each origin, from the periods of ``hist`` before
    it (what classify_history would have said on them; ``hist`` is the history as the engine
    reads it, after the listing cut, and ``obsolete_after`` the run in force today)."""
    origins = np.asarray(origins, dtype=int)
    n_obs = hist.cum_obs[:, origins]
    nz = hist.cum_nz[:, origins]
    s1 = hist.cum_y[:, origins]  # zeros add nothing: the sum of the demand sizes
    s2 = hist.cum_y2[:, origins]
    adi, cv2 = _stats(n_obs, nz, s1, s2)
    return _classes(adi, cv2, hist.quiet_runs_at(origins), n_obs, adi_cutoff, cv2_cutoff,
                    obsolete_after, min_history)
