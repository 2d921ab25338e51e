"""Zeros before a product's first demand: launched parts against real zeros (select.py
listing_lead, history.listed_before_first_demand)."""
import forecast_engine as fe
import numpy as np
from forecast_engine.history import History, listed_before_first_demand
from forecast_engine.select import listing_lead


def _launched(rng, n=3000, T=48, m=6):
    """Parts launched at a random period (zeros before), then stationary Poisson demand."""
    launch = rng.integers(0, T, size=n)
    rate = rng.gamma(1.0, 0.3, size=n)
    Y = rng.poisson(rate[:, None], size=(n, T + m)).astype(float)
    Y[np.arange(T + m)[None, :] < launch[:, None]] = 0.0
    return Y[:, :T], Y[:, T:].sum(axis=1), launch


def test_cut_keeps_the_lead_and_never_sold_products():
    Y = np.array([[0, 0, 0, 0, 0, 2, 0, 1], [0] * 8, [np.nan, 0, 0, 0, 3, 0, 0, 0]], float)
    out = listed_before_first_demand(Y, 2)
    assert np.isnan(out[0, :3]).all() and (out[0, 3:] == Y[0, 3:]).all()
    assert (out[1] == 0).all()  # never sold: nothing to anchor a listing on
    assert np.isnan(out[2, :2]).all() and (out[2, 2:] == Y[2, 2:]).all()


def test_launched_parts_get_a_short_lead_and_real_zeros_none(rng):
    history, _future, _launch = _launched(rng)
    lead = listing_lead(History(history), 6, 4, 8, 12)
    assert lead is not None and lead <= 6
    # stationary demand from the first period: the zeros before a first sale are real
    rate = rng.gamma(0.6, 0.05, size=(4000, 1))
    stationary = rng.poisson(rate, size=(4000, 48)).astype(float)
    assert listing_lead(History(stationary), 6, 4, 8, 12) is None
    res = fe.forecast(stationary, fe.EngineParams(horizon=6, season_length=12), lead_time=6,
                      review=0)
    assert res.listed_before is None


def _sizes(rng, counts):
    """Geometric demand sizes (mean 2.9 units) for ``counts`` demands per period."""
    units = np.zeros(counts.shape)
    hit = np.nonzero(counts)
    units[hit] = [rng.geometric(0.35, size=c).sum() for c in counts[hit]]
    return units


def test_real_zeros_of_slow_movers_with_varied_sizes_are_kept(rng):
    """Stationary very slow movers (0.03 demands a month), every part on offer from the first
    month, sizes that vary: no cut. Judged on summed units, a small first sale made the
    later demand look like a jump, and a year's lead was picked."""
    rate = rng.gamma(0.6, 0.05, size=(3000, 1))
    stationary = _sizes(rng, rng.poisson(rate, size=(3000, 60)))
    assert listing_lead(History(stationary), 12, 4, 8, 12) is None
    assert listing_lead(History(stationary), 6, 4, 8, 12) is None
    # the same parts launched at a random month still get a short lead
    launch = rng.integers(0, 60, size=(3000, 1))
    launched = _sizes(rng, rng.poisson(rate * 6, size=(3000, 60)))
    launched[np.arange(60)[None, :] < launch] = 0.0
    lead = listing_lead(History(launched), 12, 4, 8, 12)
    assert lead is not None and lead <= 6


def test_recent_launches_are_not_read_as_slow_movers(rng):
    """After the cut, the forecast of parts launched within the last year is closer to what
    they then sell than with every leading zero counted."""
    history, future, launch = _launched(rng)
    params = fe.EngineParams(horizon=6, season_length=12)
    learnt = fe.forecast(history, params, lead_time=6, review=0)
    assert learnt.listed_before is not None
    every_zero = fe.forecast(history, fe.EngineParams(horizon=6, season_length=12,
                                                      listed_before=10 ** 6),
                             lead_time=6, review=0)
    assert every_zero.listed_before == 10 ** 6
    recent = (launch >= 36) & (launch < 46) & (history.sum(axis=1) > 0)
    err = {name: np.mean(np.abs(res.lt_demand_mean[recent] - future[recent]))
           for name, res in (("learnt", learnt), ("every zero", every_zero))}
    assert err["learnt"] < err["every zero"], err
    bias = np.mean(learnt.lt_demand_mean[recent] - future[recent])
    assert bias > np.mean(every_zero.lt_demand_mean[recent] - future[recent])
