"""Quantiles of the demand over lead time + review: calibration on simulated demand."""
import forecast_engine as fe
import numpy as np
import pytest

N, T, LEAD, REVIEW = 2000, 104, 4, 1


def _coverage(Y_all, **kwargs):
    Y = Y_all[:, :T].astype(float)
    future = Y_all[:, T:T + LEAD + REVIEW].sum(axis=1)
    res = fe.forecast(Y, fe.EngineParams(horizon=8), lead_time=np.full(len(Y), LEAD),
                      review=REVIEW, **kwargs)
    return res, (future[:, None] <= res.lt_quantiles).mean(axis=0)


@pytest.mark.parametrize("process", ["poisson", "negative binomial", "intermittent"])
def test_lead_time_quantiles_are_calibrated(rng, process):
    size = (N, T + LEAD + REVIEW)
    mean = rng.uniform(1.0, 20.0, size=N)[:, None]
    if process == "poisson":
        Y_all = rng.poisson(mean, size=size)
    elif process == "negative binomial":
        k = 2.0  # variance mean + mean^2 / 2
        Y_all = rng.negative_binomial(k, k / (k + mean), size=size)
    else:  # demand in 20-60 % of the periods, Poisson sizes
        occurs = rng.random(size) < rng.uniform(0.2, 0.6, size=N)[:, None]
        Y_all = occurs * (1 + rng.poisson(mean, size=size))
    res, coverage = _coverage(Y_all)
    levels = np.array(res.quantile_levels)
    # each level is met within 3 points over 2,000 products
    assert np.all(np.abs(coverage - levels) < 0.03), dict(zip(levels, coverage, strict=True))
    # and the forecast of the total is unbiased
    truth = (mean[:, 0] if process != "intermittent"
             else (occurs.mean(axis=1) * (1 + mean[:, 0])))
    assert res.lt_demand_mean.sum() / (truth.sum() * (LEAD + REVIEW)) == pytest.approx(1, abs=0.04)


def test_quantiles_are_monotone_and_non_negative(rng):
    Y = rng.poisson(0.3, size=(300, 60)).astype(float) * rng.integers(1, 30, size=(300, 60))
    Y[:50, :40] = np.nan
    res = fe.forecast(Y, fe.EngineParams(horizon=6), lead_time=rng.uniform(1, 8, size=300),
                      lead_time_std=rng.uniform(0, 2, size=300), review=1)
    assert np.all(res.lt_quantiles >= 0)
    assert np.all(np.diff(res.lt_quantiles, axis=1) >= 0)
    assert np.all(np.isfinite(res.lt_quantiles))


def test_lead_time_variability_widens_the_upper_quantiles(rng):
    Y_all = rng.poisson(rng.uniform(5, 30, size=N)[:, None], size=(N, T + 10))
    fixed, _ = _coverage(Y_all)
    varying, _ = _coverage(Y_all, lead_time_std=np.full(N, 1.5))
    top = fixed.quantile_levels.index(0.95)
    assert np.mean(varying.lt_quantiles[:, top] > fixed.lt_quantiles[:, top]) > 0.95
    # the mean stays that of 5 periods
    assert varying.lt_demand_mean.sum() == pytest.approx(fixed.lt_demand_mean.sum(), rel=0.02)


def test_service_level_quantile(rng):
    Y = rng.poisson(8.0, size=(200, 80)).astype(float)
    res = fe.forecast(Y, fe.EngineParams(horizon=6), lead_time=3, review=1,
                      service_level=np.full(200, 0.9))
    level = res.quantile_levels.index(0.9)
    np.testing.assert_allclose(res.lt_service_quantile, res.lt_quantiles[:, level])
    mixed = fe.forecast(Y, fe.EngineParams(horizon=6), lead_time=3, review=1,
                        service_level=np.where(np.arange(200) < 100, 0.7, 0.95))
    low, high = res.quantile_levels.index(0.7), res.quantile_levels.index(0.95)
    np.testing.assert_allclose(mixed.lt_service_quantile[:100], res.lt_quantiles[:100, low])
    np.testing.assert_allclose(mixed.lt_service_quantile[100:], res.lt_quantiles[100:, high])


def test_results_are_deterministic_for_a_seed(rng):
    Y = rng.poisson(2.0, size=(200, 60)).astype(float)
    kwargs = {"lead_time": np.full(200, 3.0), "lead_time_std": np.full(200, 1.0), "review": 1}
    a = fe.forecast(Y, fe.EngineParams(horizon=5, seed=7), **kwargs)
    b = fe.forecast(Y, fe.EngineParams(horizon=5, seed=7), **kwargs)
    c = fe.forecast(Y, fe.EngineParams(horizon=5, seed=8), **kwargs)
    for field in ("mean", "lt_demand_mean", "lt_quantiles", "rolling_rmsse"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.lt_quantiles, c.lt_quantiles)  # the bootstrap did sample
    np.testing.assert_array_equal(a.mean, c.mean)
