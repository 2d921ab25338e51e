"""When a run without demand makes a product obsolete (select.obsolete_run): learnt on the
history, so that spare parts that sell again after long quiet spells keep a forecast and a
spread, while discontinued products still go to zero."""
import forecast_engine as fe
import numpy as np
import pytest
from forecast_engine.history import History
from forecast_engine.select import OBSOLETE_DEFAULT, obsolete_run, revival_upper_bound

T, H = 72, 12


def _spare_parts(rng, n=2000, t=T + H):
    """Very slow movers: a demand every 20 months on average, for ever (quiet spells of two
    years and more are common and say nothing about the future)."""
    return rng.poisson(rng.gamma(2.0, 0.025, size=(n, 1)), size=(n, t)).astype(float)


def _discontinued(rng, n=2000, t=T + H):
    """Steady sellers, each discontinued for good at a random period, among slow movers
    (one in ten) whose quiet spells are no sign of the end."""
    Y = rng.poisson(rng.uniform(1, 5, size=(n, 1)), size=(n, t)).astype(float)
    Y[np.arange(t)[None, :] >= rng.integers(6, t, size=(n, 1))] = 0.0
    slow = rng.random(n) < 0.1
    Y[slow] = _spare_parts(rng, int(slow.sum()), t)
    return Y


def test_parts_that_sell_again_are_never_obsolete(rng):
    Y = _spare_parts(rng)
    assert obsolete_run(History(Y[:, :T]), H, 4, 8, 12) == (None, True)
    params = fe.EngineParams(horizon=H, season_length=12)
    res = fe.forecast(Y[:, :T], params, lead_time=H, review=0)
    assert res.obsolete_after is None and res.obsolete_source == "learnt"
    quiet = fe.classify(Y[:, :T], fe.EngineParams(horizon=H, season_length=12,
                                                  obsolete_after=26)).demand_class
    was = (quiet == "obsolete") & (Y[:, :T].sum(axis=1) > 0)
    assert was.sum() > 100  # the former fixed rule zeroed these
    assert not (res.demand_class == "obsolete").any()
    # they keep a forecast and a 0.9 quantile: the fixed rule's zeros missed their sales
    q90 = res.lt_quantiles[:, list(res.quantile_levels).index(0.9)]
    assert (res.lt_demand_mean[was] > 0).all() and (q90[was] > 0).mean() > 0.5
    future = Y[was, T:].sum(axis=1)
    assert (future > 0).mean() > 0.2
    fixed = fe.forecast(Y[:, :T], fe.EngineParams(horizon=H, season_length=12,
                                                  obsolete_after=26), lead_time=H, review=0)
    assert (fixed.lt_quantiles[was] == 0).all()
    covered = np.mean(future <= q90[was])
    assert covered > np.mean(future <= 0)


def test_discontinued_products_are_obsolete_after_a_short_run(rng):
    Y = _discontinued(rng)
    run, judged = obsolete_run(History(Y[:, :T]), H, 4, 8, 12)
    assert judged and run is not None and run <= 12
    res = fe.forecast(Y[:, :T], fe.EngineParams(horizon=H, season_length=12), lead_time=H,
                      review=0)
    assert res.obsolete_after == run and res.obsolete_source == "learnt"
    gone = res.demand_class == "obsolete"
    assert gone.sum() > 500
    assert (res.mean[gone] == 0).all() and (res.lt_quantiles[gone] == 0).all()
    # the rule's promise: at most about 5 % of them sell again within the horizon (the slow
    # movers quiet for that long do; the fixed 26 periods would zero fewer of them)
    assert (Y[gone, T:].sum(axis=1) > 0).mean() <= 0.06
    assert (Y[gone, T:].sum(axis=1) > 0).any()


def test_a_short_history_keeps_the_fixed_rule(rng):
    Y = _discontinued(rng, n=20, t=30)
    assert obsolete_run(History(Y), 6, 4, 8, 12) == (OBSOLETE_DEFAULT, False)
    res = fe.forecast(Y, fe.EngineParams(horizon=6, season_length=12), lead_time=6, review=0)
    assert res.obsolete_after == OBSOLETE_DEFAULT and res.obsolete_source == "default"
    # shorter than the fixed rule itself: still reported as the rule applied
    res = fe.forecast(Y[:, :20], fe.EngineParams(horizon=6, season_length=12), lead_time=6,
                      review=0)
    assert (res.obsolete_after, res.obsolete_source) == (OBSOLETE_DEFAULT, "default")


def test_few_quiet_windows_prove_little(rng):
    """The share of products that came back is judged by its 95 % upper bound: 5 % seen on
    100 windows, or none on 40, do not make a run obsolete at the 0.95 level."""
    assert revival_upper_bound(0, 40) > 0.05 >= revival_upper_bound(0, 60)
    assert revival_upper_bound(5, 100) > 0.05 >= revival_upper_bound(5, 400)
    # the highest quantile level sets the share: at 0.95 the discontinued products are
    # obsolete after a year; at 0.99 the slow movers among them, which come back after every
    # run, leave no run short enough to zero anything
    Y = _discontinued(rng)
    assert obsolete_run(History(Y[:, :T]), H, 4, 8, 12, share=0.05) == (12, True)
    assert obsolete_run(History(Y[:, :T]), H, 4, 8, 12, share=0.01) == (None, True)
    params = fe.EngineParams(horizon=H, season_length=12, quantile_levels=(0.5, 0.9, 0.99))
    res = fe.forecast(Y[:, :T], params, lead_time=H, review=0)
    assert res.obsolete_after is None and not (res.demand_class == "obsolete").any()


def test_a_run_below_one_period_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        fe.forecast(np.ones((2, 30)), fe.EngineParams(obsolete_after=0))


def test_an_explicit_run_is_kept(rng):
    Y = _spare_parts(rng, n=300)
    res = fe.forecast(Y[:, :T], fe.EngineParams(horizon=H, season_length=12, obsolete_after=26),
                      lead_time=H, review=0)
    assert res.obsolete_after == 26 and res.obsolete_source == "given"
    trailing = fe.classify(Y[:, :T], fe.EngineParams(obsolete_after=26)).demand_class
    assert ((res.demand_class == "obsolete") == (trailing == "obsolete")).all()
    # a setting longer than the history is reported as set (no product can reach it)
    res = fe.forecast(Y[:, :T], fe.EngineParams(horizon=H, season_length=12,
                                                obsolete_after=200), lead_time=H, review=0)
    assert (res.obsolete_after, res.obsolete_source) == (200, "given")
    assert not (res.demand_class == "obsolete").any()
