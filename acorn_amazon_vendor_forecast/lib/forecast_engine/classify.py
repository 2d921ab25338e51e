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
    nz = hist.cum_nz[:, -1]
    adi = np.divide(hist.n_obs, nz, out=np.full(hist.n, np.inf), where=nz > 0)
    sizes = np.where(hist.nonzero, hist.y0, 0.0)
    s1 = sizes.sum(axis=1)
    s2 = (sizes ** 2).sum(axis=1)
    mean = np.divide(s1, nz, out=np.zeros(hist.n), where=nz > 0)
    var = np.divide(s2, nz, out=np.zeros(hist.n), where=nz > 0) - mean ** 2
    cv2 = np.divide(np.maximum(var, 0.0), mean ** 2, out=np.zeros(hist.n),
                    where=(nz > 1) & (mean > 0))
    return adi, cv2


def classify_history(hist, adi_cutoff=1.32, cv2_cutoff=0.49, obsolete_after=26, min_history=8):
    adi, cv2 = demand_stats(hist)
    trailing = hist.trailing_zeros()
    frequent = adi < adi_cutoff
    steady = cv2 < cv2_cutoff
    cls = np.where(frequent, np.where(steady, "smooth", "erratic"),
                   np.where(steady, "intermittent", "lumpy")).astype(object)
    cls[trailing >= obsolete_after] = "obsolete"
    cls[hist.n_obs < min_history] = "new"
    return Classification(cls.astype(str), adi, cv2, hist.n_obs.astype(int),
                          trailing.astype(int))
