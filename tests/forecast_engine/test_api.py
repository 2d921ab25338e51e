"""The engine's public surface, its independence from Odoo, and its speed (printed)."""
import dataclasses
import pathlib
import re
import time

import forecast_engine as fe
import numpy as np

PACKAGE = pathlib.Path(fe.__file__).resolve().parent


def test_public_names():
    assert fe.CLASSES == ("smooth", "erratic", "intermittent", "lumpy", "new", "obsolete")
    assert fe.METHODS == ("ses", "tsb", "croston_sba", "adida", "imapa", "eb", "ma", "ets",
                          "combined", "amazon", "zero")
    defaults = fe.EngineParams()
    assert (defaults.horizon, defaults.season_length, defaults.n_origins) == (26, 52, 4)
    assert defaults.quantile_levels == (0.5, 0.7, 0.8, 0.9, 0.95)


def test_package_is_plain_numpy_with_relative_imports():
    for source in PACKAGE.glob("*.py"):
        text = source.read_text()
        imports = re.findall(r"^\s*(?:from|import)\s+([\w.]+)", text, flags=re.M)
        for name in imports:
            assert not name.startswith(("odoo", "pandas", "scipy", "forecast_engine")), \
                (source.name, name)


def test_result_shapes(rng):
    n, T, H = 120, 70, 9
    Y = rng.poisson(rng.uniform(0.1, 10, size=(n, 1)), size=(n, T)).astype(float)
    Y[:10, :65] = np.nan
    res = fe.forecast(Y, fe.EngineParams(horizon=H), lead_time=rng.uniform(1, 5, size=n),
                      review=1, service_level=np.full(n, 0.95))
    assert res.mean.shape == res.own_mean.shape == res.amazon_mean.shape == (n, H)
    assert res.lt_quantiles.shape == (n, 5)
    for name in ("method", "demand_class", "adi", "cv2", "n_obs", "lt_demand_mean",
                 "lt_service_quantile", "amazon_weight", "rolling_rmsse", "seasonal"):
        assert getattr(res, name).shape == (n,), name
    assert set(res.method) <= set(fe.METHODS)
    assert set(res.demand_class) <= set(fe.CLASSES)
    assert np.all(res.mean >= 0) and np.isfinite(res.mean).all()
    assert np.all(res.demand_class[:10] == "new")
    # every routed class reports the scores of its candidates
    for cls, info in res.rolling_scores.items():
        assert info["chosen"] in info["scores"], cls
    scored = np.isfinite(res.rolling_rmsse)
    assert scored.sum() > n / 2 and np.all(res.rolling_rmsse[scored] > 0)
    assert {f.name for f in dataclasses.fields(res)} >= {
        "mean", "method", "demand_class", "adi", "cv2", "lt_demand_mean", "lt_quantiles",
        "lt_service_quantile", "amazon_weight", "own_mean", "amazon_mean", "rolling_rmsse"}


def test_speed_5000_products_156_weeks(rng):
    """Prints the time of a full forecast (quantiles included); asserts nothing on time."""
    n, T = 5000, 156
    weeks = np.arange(T)
    rate = rng.gamma(0.8, 6.0, size=(n, 1)) * (1 + 0.3 * np.sin(2 * np.pi * weeks / 52))
    Y = (rng.poisson(rate) * (rng.random((n, T)) < rng.uniform(0.2, 1.0, size=(n, 1))))
    Y = Y.astype(float)
    Y[:500, :100] = np.nan
    start = time.perf_counter()
    res = fe.forecast(Y, fe.EngineParams(), lead_time=np.full(n, 8.0),
                      lead_time_std=np.full(n, 1.5), review=1, service_level=np.full(n, 0.95))
    seconds = time.perf_counter() - start
    classes = dict(zip(*np.unique(res.demand_class, return_counts=True), strict=True))
    print("\nforecast_engine: %d products x %d weeks in %.2f s; classes %s"
          % (n, T, seconds, classes))
    assert res.mean.shape == (n, 26) and np.isfinite(res.lt_quantiles).all()
