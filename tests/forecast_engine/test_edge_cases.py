"""Odd panels never make the engine warn (Odoo logs numpy warnings as WARNING lines) or return
non-finite or non-monotone figures."""
import itertools
import warnings

import forecast_engine as fe
import numpy as np
import pytest

LEVELS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99)


def _panel(kind, n, T, rng):
    if kind == "zeros":
        return np.zeros((n, T))
    if kind == "nan":
        return np.full((n, T), np.nan)
    if kind == "const":
        return np.full((n, T), 7.0)
    if kind == "sparse":
        return rng.poisson(0.1, (n, T)).astype(float)
    if kind == "huge":
        return rng.poisson(5, (n, T)) * 1e6
    if kind == "leadnan":
        return np.where(np.arange(T) < T // 2, np.nan, rng.poisson(3, (n, T))).astype(float)
    return rng.poisson(5, (n, T)).astype(float)


def _amazon(kind, n, H):
    if kind is None:
        return None
    mean, p90 = np.full((n, H), 10.0), np.full((n, H), 14.0)
    if kind == "partial":  # the current week missing, P90 gaps, a product without forecast
        mean[:, 0] = np.nan
        p90[:, ::2] = np.nan
        if n > 1:
            mean[0] = p90[0] = np.nan
    return {"sellthrough_mean": mean, "sellthrough_p90": p90, "on_hand": np.full(n, 50.0),
            "open_po": np.zeros(n), "lead_time": np.ones(n)}


@pytest.mark.parametrize("n, T, H", list(itertools.product([1, 40], [1, 2, 9, 156], [1, 26])))
def test_odd_panels_give_finite_monotone_figures_without_warnings(n, T, H):
    rng = np.random.default_rng(n * 1000 + T * 10 + H)
    for kind, amazon in itertools.product(
            ("zeros", "nan", "poisson", "sparse", "leadnan", "const", "huge"),
            (None, "full", "partial")):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = fe.forecast(
                _panel(kind, n, T, rng), fe.EngineParams(horizon=H, quantile_levels=LEVELS),
                amazon=_amazon(amazon, n, H), lead_time=rng.uniform(0, 8, n),
                lead_time_std=np.full(n, 0.5), review=np.ones(n),
                weights_override=np.full(n, np.nan))
        assert result.mean.shape == (n, H)
        assert np.isfinite(result.mean).all() and (result.mean >= 0).all(), (kind, amazon)
        assert np.isfinite(result.lt_quantiles).all(), (kind, amazon)
        assert (np.diff(result.lt_quantiles, axis=1) >= -1e-9).all(), (kind, amazon)
