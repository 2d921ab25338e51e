"""The compound recipe of slow movers' lead-time quantiles (compound.py, issue #18): periods
with a sale beta-binomial around a prior fitted on the sparse classes, sizes Gamma around a
mean size pulled towards theirs; chosen per class and level only where it wins on the
history's windows."""
from math import comb, exp, lgamma

import forecast_engine as fe
import numpy as np
from forecast_engine import calibrate
from forecast_engine.compound import CompoundModel, _mixture_quantiles, _sales_pmf
from forecast_engine.history import History

LEVELS = (0.5, 0.8, 0.9, 0.95)


def _slow_movers(rng, n=3000, T=60, m=6, decline=None):
    """Stationary slow movers (a rate per part from a Gamma, geometric sizes), or parts whose
    rate falls linearly to ``decline`` of it by the end; history and future totals."""
    rate = rng.gamma(0.6, 0.1, size=(n, 1))
    if decline is not None:
        rate = rate * 3.0 * np.linspace(1.0, decline, T + m)[None, :]
    k = rng.poisson(np.broadcast_to(rate, (n, T + m)))
    Y = np.where(k > 0, rng.negative_binomial(np.maximum(k, 1), 0.35) + k, 0).astype(float)
    return Y[:, :T], Y[:, T:].sum(axis=1)


def _pinball(actual, quantile, q, level):
    diff = actual - quantile
    return np.mean(np.where(diff >= 0, q * diff, (q - 1) * diff) / level)


def test_sales_distribution_is_the_beta_binomial_or_the_binomial():
    alpha, beta, m = np.array([1.5, 0.3]), np.array([20.0, 4.0]), np.array([6, 3])
    pmf = _sales_pmf(alpha, beta, m, 0.0, 10.0)

    def beta_binomial(k, n, a, b):
        return comb(n, k) * exp(lgamma(k + a) + lgamma(n - k + b) - lgamma(n + a + b)
                                - lgamma(a) - lgamma(b) + lgamma(a + b))

    for row in range(2):
        expected = [beta_binomial(k, int(m[row]), alpha[row], beta[row])
                    for k in range(int(m[row]) + 1)]
        np.testing.assert_allclose(pmf[row, :len(expected)], expected, rtol=1e-9)
        assert np.all(pmf[row, len(expected):] == 0)
    # no spread beyond chance: binomial at the share
    binomial = _sales_pmf(np.zeros(1), np.zeros(1), np.array([4]), 0.2, np.inf)[0]
    np.testing.assert_allclose(binomial, [comb(4, k) * 0.2 ** k * 0.8 ** (4 - k)
                                          for k in range(5)], rtol=1e-9)


def test_mixture_quantiles_read_the_sizes_of_the_sales():
    grid = np.linspace(0.0, 4.0, 401)
    # no sale, exactly one unit of mean size, exactly two: step distributions
    cdf = np.stack([np.ones_like(grid), (grid >= 1.0).astype(float),
                    (grid >= 2.0).astype(float)])
    pmf = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.05, 0.15, 0.8]])
    q = _mixture_quantiles(pmf, grid, cdf, np.array([0.4, 0.9]))
    np.testing.assert_allclose(q[0], [0.0, 0.0])
    assert q[1, 0] == 0.0 and abs(q[1, 1] - 1.0) < 0.02
    assert abs(q[2, 0] - 2.0) < 0.02 and abs(q[2, 1] - 2.0) < 0.02


def test_quantiles_follow_the_products_own_sizes_and_record(rng):
    history, _future = _slow_movers(rng)
    hist = History(history)
    classes = np.full(hist.n, "intermittent")
    model = CompoundModel(hist, hist.T, classes, seed=1)
    defined = model.defined()
    # products that have not sold yet get none (every other method forecasts them 0)
    assert not defined[hist.cum_nz[:, -1] == 0].any()
    assert defined[hist.cum_nz[:, -1] > 0].all()
    q = model.quantiles(np.full(hist.n, 6.0), LEVELS)
    assert np.all(np.diff(q[defined], axis=1) >= 0)
    assert np.isnan(q[~defined]).all()
    # at the same record, a larger mean size gives proportionally larger quantiles
    sold = np.nonzero(defined)[0]
    one = sold[hist.cum_nz[sold, -1] == 1]
    small, large = one[np.argmin(model.mu[one])], one[np.argmax(model.mu[one])]
    assert hist.cum_obs[small, -1] == hist.cum_obs[large, -1]  # no gaps: the same record
    assert model.mu[large] > model.mu[small]
    np.testing.assert_allclose(q[large] / model.mu[large], q[small] / model.mu[small])
    # more sales so far (same periods): a higher chance of a sale, higher quantiles per size
    many = sold[hist.cum_nz[sold, -1] >= 5]
    per_size = q[:, 2] / np.where(defined, model.mu, 1.0)
    assert per_size[many].mean() > per_size[one].mean()
    # a fractional cover lies between the whole covers around it
    q_frac = model.quantiles(np.full(hist.n, 6.5), LEVELS)
    q_7 = model.quantiles(np.full(hist.n, 7.0), LEVELS)
    assert np.all(q_frac[defined] >= q[defined] - 1e-9)
    assert np.all(q_frac[defined] <= q_7[defined] + 1e-9)


def test_stationary_slow_movers_take_the_compound_and_keep_their_coverage(rng, monkeypatch):
    """On stationary slow movers the compound wins on the history's windows, holds its
    coverage for parts with one, two and more sales so far, and its pinball loss at 0.9 on
    the future is below that of the recipes without it."""
    history, future = _slow_movers(rng)
    params = fe.EngineParams(horizon=6, season_length=12, quantile_levels=LEVELS)
    res = fe.forecast(history, params, lead_time=6, review=0)
    assert res.calibration["intermittent"]["recipes"][0.9] == "compound"
    sparse = np.isin(res.demand_class, ("intermittent", "lumpy"))
    sold = (history > 0).sum(axis=1)
    for low, high in ((1, 1), (2, 2), (3, 99)):
        rows = sparse & (sold >= low) & (sold <= high)
        assert rows.sum() > 200, (low, high)
        covered = (future[rows] <= res.lt_quantiles[rows, 2]).mean()
        assert abs(covered - 0.9) < 0.05, (low, high, covered)
    assert "compound" in set(res.quantile_recipe[sparse, 2])
    monkeypatch.setattr(calibrate, "RECIPES", ("spread", "today", "naive", "history"))
    without = fe.forecast(history, params, lead_time=6, review=0)
    assert "compound" not in set(without.quantile_recipe.ravel())
    rows = sparse & (sold > 0)
    level = history[rows].mean(axis=1) * 6
    with_loss = _pinball(future[rows], res.lt_quantiles[rows, 2], 0.9, level)
    without_loss = _pinball(future[rows], without.lt_quantiles[rows, 2], 0.9, level)
    assert with_loss < 0.97 * without_loss, (with_loss, without_loss)


def test_ageing_parts_keep_the_recipe_of_their_forecast(rng):
    """Parts whose demand falls over the years: every period weighing alike, the compound
    would read them as selling as before; the windows of the history say so and the
    forecast's own recipe stays."""
    history, _future = _slow_movers(rng, decline=0.1)
    res = fe.forecast(history, fe.EngineParams(horizon=6, season_length=12,
                                               quantile_levels=LEVELS),
                      lead_time=6, review=0)
    info = res.calibration["intermittent"]
    assert info["recipes"][0.9] != "compound", info
    assert info["losses"]["compound"][2] > info["losses"]["today"][2]


def test_a_variable_lead_time_samples_the_compound_per_lead_time(rng):
    history, _future = _slow_movers(rng)
    params = fe.EngineParams(horizon=6, season_length=12, quantile_levels=LEVELS)
    fixed = fe.forecast(history, params, lead_time=6, review=0)
    varying = fe.forecast(history, params, lead_time=6, lead_time_std=2.0, review=0)
    assert varying.calibration["intermittent"]["recipes"][0.9] == "compound"
    rows = (varying.demand_class == "intermittent") & ((history > 0).sum(axis=1) >= 3)
    assert np.all(np.isfinite(varying.lt_quantiles[rows]))
    assert set(varying.quantile_recipe[rows].ravel()) == {"compound"}, "said as made"
    # a lead time that hardly varies: the samples are the compound's own (the pooled errors
    # of another recipe would give other quantiles), within the noise of the draws
    steady = fe.forecast(history, params, lead_time=6, lead_time_std=1e-6, review=0)
    ratio = steady.lt_quantiles[rows, 1:] / fixed.lt_quantiles[rows, 1:]
    assert abs(np.median(ratio) - 1.0) < 0.05, np.median(ratio, axis=0)
    # an uncertain lead time widens the upper quantile of the sparse parts on the whole
    assert varying.lt_quantiles[rows, 3].mean() > fixed.lt_quantiles[rows, 3].mean()


def test_products_of_whole_and_fractional_covers_together(rng):
    """Covers differ per product in Odoo (lead time and review in weeks): a fractional one
    beside a whole one (the largest) reads its whole periods below and above."""
    history, _future = _slow_movers(rng)
    hist = History(history)
    model = CompoundModel(hist, hist.T, np.full(hist.n, "intermittent"), seed=1)
    cover = np.where(np.arange(hist.n) % 2, 6.0, 5.5)
    q = model.quantiles(cover, LEVELS)
    defined = model.defined()
    assert np.isfinite(q[defined]).all()
    half = defined & (cover == 5.5)
    q5, q6 = model.quantiles(np.full(hist.n, 5.0), LEVELS), model.quantiles(
        np.full(hist.n, 6.0), LEVELS)
    assert np.all(q[half] >= q5[half] - 1e-9) and np.all(q[half] <= q6[half] + 1e-9)


def test_a_service_level_reads_the_same_quantile_as_the_level(rng):
    """The planner's service level and the same reported level are one quantile."""
    history, _future = _slow_movers(rng)
    res = fe.forecast(history, fe.EngineParams(horizon=6, season_length=12,
                                               quantile_levels=LEVELS),
                      lead_time=6, review=0, service_level=np.full(len(history), 0.9))
    rows = res.quantile_recipe[:, 2] == "compound"
    assert rows.sum() > 100
    np.testing.assert_allclose(res.lt_service_quantile[rows], res.lt_quantiles[rows, 2])
