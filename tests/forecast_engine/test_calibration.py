"""Quantiles and bias learnt on rolling origins inside the history only (calibrate.py and the
sparse-history correction of route.py), and the evaluation harness's common recipe."""

import forecast_engine as fe
import numpy as np
from forecast_engine import calibrate
from forecast_engine.history import History
from forecast_engine.paths import Constant


def _mixed_panel(rng, n_each=1500, T=80, extra=6):
    """Smooth, intermittent and lumpy products, history and the future totals after it."""
    size = (n_each, T + extra)
    smooth = rng.poisson(rng.uniform(3, 30, size=(n_each, 1)), size=size)
    occurs = rng.random(size) < rng.uniform(0.1, 0.4, size=(n_each, 1))
    intermittent = occurs * (1 + rng.poisson(2.0, size=size))
    lumpy = (rng.random(size) < rng.uniform(0.1, 0.4, size=(n_each, 1))) \
        * rng.negative_binomial(1, 0.05, size=size)
    Y = np.concatenate([smooth, intermittent, lumpy]).astype(float)
    return Y[:, :T], Y[:, T:].sum(axis=1)


def test_quantiles_hold_out_of_sample_in_every_class(rng):
    history, future = _mixed_panel(rng)
    res = fe.forecast(history, fe.EngineParams(horizon=6, quantile_levels=(0.8, 0.9, 0.95)),
                      lead_time=6, review=0)
    levels = np.array(res.quantile_levels)
    covered = future[:, None] <= res.lt_quantiles
    overall = covered.mean(axis=0)
    assert np.all(np.abs(overall - levels) < 0.03), dict(zip(levels, overall, strict=True))
    for cls in ("smooth", "intermittent", "lumpy"):
        rows = res.demand_class == cls
        if rows.sum() < 300:
            continue
        within = covered[rows].mean(axis=0)
        assert np.all(np.abs(within - levels) < 0.05), (cls, within)
    # how each quantile was made is reported per product and per class
    assert res.quantile_recipe.shape == res.lt_quantiles.shape
    assert set(np.unique(res.quantile_recipe)) <= set(calibrate.RECIPES) | {"amazon", "none"}
    for cls, info in res.calibration.items():
        assert set(info["recipes"].values()) <= set(calibrate.RECIPES), cls
        assert info["windows"] >= 0
    assert np.all(res.calibration_windows >= 0)


def test_sparse_and_regular_histories_get_their_own_bounded_correction(rng):
    """The class's correction factor is learnt apart for products with one or two demands
    before an origin and for the others, each within CALIBRATION_RANGE; on stationary
    Poisson demand neither group ends up far from unbiased."""
    from forecast_engine import route

    n, T, m = 4000, 48, 6
    rate = rng.gamma(0.6, 0.05, size=(n, 1))
    Y = rng.poisson(rate, size=(n, T + m)).astype(float)
    history, future = Y[:, :T], Y[:, T:].sum(axis=1)
    res = fe.forecast(history, fe.EngineParams(horizon=m, season_length=12), lead_time=m,
                      review=0)
    info = res.rolling_scores["intermittent"]["correction"]
    assert set(info) == {"sparse", "regular"}
    low, high = route.CALIBRATION_RANGE
    assert all(low <= f <= high for f in info.values())
    assert np.all((res.correction >= low) & (res.correction <= high))
    nz = (history > 0).sum(axis=1)
    for group in (nz >= 1) & (nz < 3), nz >= 3:
        rows = group & (res.demand_class == "intermittent")
        level = history[rows].mean(axis=1) * m
        # relative bias as a planner sees it: every product alike, whatever its volume
        bias = np.mean((res.lt_demand_mean[rows] - future[rows]) / level)
        assert abs(bias) < 0.3, bias


def test_classes_split_one_process_without_skewing_its_quantiles():
    """Products of one stationary process (a demand in a quarter of the periods, geometric
    sizes) fall into "intermittent" or "lumpy" by the luck of their history: a part is lumpy
    because of the big demands in the very windows the errors come from. Pooled by the class
    each product had at each origin, both classes keep their coverage (pooled by today's
    class: lumpy over-covered at 0.946, intermittent under-covered at 0.873)."""
    rng = np.random.default_rng(0)
    n, T, m = 3000, 60, 6
    occurs = rng.random((n, T + m)) < 0.25
    Y = np.where(occurs, rng.geometric(0.35, size=(n, T + m)), 0).astype(float)
    future = Y[:, T:].sum(axis=1)
    res = fe.forecast(Y[:, :T], fe.EngineParams(horizon=m, season_length=12,
                                                quantile_levels=(0.5, 0.9)),
                      lead_time=m, review=0)
    for cls in ("intermittent", "lumpy"):
        rows = res.demand_class == cls
        assert rows.sum() > 1000, cls  # both classes are well represented
        covered = (future[rows] <= res.lt_quantiles[rows, 1]).mean()
        assert abs(covered - 0.9) < 0.02, (cls, covered)


def test_windows_of_obsolete_products_stay_out_of_the_other_pools():
    """A product obsolete today was forecast zero at every origin: its past windows, from
    when it was still intermittent, must not enter the intermittent pool (with them, a
    first version covered 0.821 of the intermittent products at 0.9)."""
    rng = np.random.default_rng(0)
    n, T, m = 2000, 60, 6
    occurs = rng.random((n, T + m)) < 0.3
    Y = np.where(occurs, 1 + rng.poisson(2.0, size=(n, T + m)), 0).astype(float)
    Y[: n // 2, T - 30:] = 0.0  # half discontinued 30 periods ago
    future = Y[:, T:].sum(axis=1)
    res = fe.forecast(Y[:, :T], fe.EngineParams(horizon=m, season_length=12, obsolete_after=26,
                                                quantile_levels=(0.5, 0.9)),
                      lead_time=m, review=0)
    assert (res.demand_class[: n // 2] == "obsolete").all()
    rows = res.demand_class == "intermittent"
    assert rows.sum() > 900
    covered = (future[rows] <= res.lt_quantiles[rows, 1]).mean()
    assert abs(covered - 0.9) < 0.03, covered


def test_holdout_pools_only_hold_windows_over_by_then():
    """A recipe is judged at an origin with errors of windows already over at that origin."""
    n, T, m = 60, 40, 6
    rng = np.random.default_rng(3)
    hist = History(rng.poisson(5.0, size=(n, T)).astype(float))
    origins = np.array([16, 19, 22, 25, 28, 31, 34])  # a step of 3 < m: windows overlap
    paths = Constant(origins, np.full(n, 5.0))
    cal = calibrate.Calibration(hist, np.array(["smooth"] * n),
                                np.full((n, len(origins)), "smooth"), paths,
                                np.arange(len(origins)), origins, np.full(n, float(m)),
                                np.full((n, len(origins)), 2.0), 2, (0.5, 0.9),
                                np.full(n, 2.0))
    for recipe in ("spread", "naive"):
        # mark every window by its origin index, then look at what each pool holds
        cal.z[recipe] = np.broadcast_to(np.arange(len(origins), dtype=float),
                                        (n, len(origins))).copy()
        for k in range(len(origins)):
            pool = cal._pool(recipe, "smooth", upto=k)
            if pool is None:
                continue
            assert np.all(origins[pool.astype(int)] + m <= origins[k]), (recipe, k)


def test_history_recipe_uses_only_the_past_of_each_origin():
    rng = np.random.default_rng(5)
    Y = rng.poisson(3.0, size=(20, 60)).astype(float)
    before = calibrate._history_quantiles(History(Y), 40, np.full(20, 4), [0.5, 0.9])
    Y2 = Y.copy()
    Y2[:, 40:] = 1000.0  # what happens after the origin cannot matter
    after = calibrate._history_quantiles(History(Y2), 40, np.full(20, 4), [0.5, 0.9])
    np.testing.assert_array_equal(before, after)
    assert np.isfinite(before).all()


def test_harness_common_recipe_never_sees_the_test_window(harness, rng):
    n, T, h = 300, 40, 6
    Y = rng.poisson(rng.uniform(0.2, 8, size=(n, 1)), size=(n, T)).astype(float)
    o = 34
    grid = [10, 16, 22, 28, 34]
    point = {c: np.full((n, h), Y[:, :c].mean(axis=1, keepdims=True)) for c in grid}
    classes = fe.classify(Y[:, :o], fe.EngineParams(season_length=12)).demand_class
    first = harness.conformal_quantiles(Y, h, o, point, grid, classes)
    Y2 = Y.copy()
    Y2[:, o:] = rng.poisson(50.0, size=(n, T - o))  # the test window and beyond
    second = harness.conformal_quantiles(Y2, h, o, point, grid, classes)
    for q in harness.LEVELS:
        np.testing.assert_array_equal(first[q], second[q])


def test_recipe_reported_with_a_varying_lead_time_is_the_one_sampled(rng, monkeypatch):
    """With a variable lead time every level comes from the bootstrap of one recipe's pooled
    errors: that is the recipe reported for each level."""
    # a calibration that chose the product's history from 0.9 up and the naive scale below
    monkeypatch.setattr(calibrate.Calibration, "recipe",
                        lambda self, cls, q: "history" if q >= 0.9 else "naive")
    history, _future = _mixed_panel(rng, n_each=300, T=60)
    n = len(history)
    res = fe.forecast(history, fe.EngineParams(horizon=6), lead_time=4,
                      lead_time_std=np.where(np.arange(n) % 2 == 0, 1.0, 0.0), review=1)
    varying = (np.arange(n) % 2 == 0) & (res.demand_class != "obsolete")
    assert varying.any()
    assert np.all(res.quantile_recipe[varying] == "spread")  # history is not sampled
    fixed = (np.arange(n) % 2 == 1) & (res.demand_class != "obsolete")
    levels = np.array(res.quantile_levels)
    np.testing.assert_array_equal(
        res.quantile_recipe[fixed],
        np.broadcast_to(np.where(levels >= 0.9, "history", "naive"),
                        (int(fixed.sum()), len(levels))))


def test_quantile_origins_run_oldest_first_so_that_recipes_compete(rng):
    """Each recipe is judged at an origin with the windows of the earlier ones: the origins
    must come oldest first, or no recipe is ever judged (and the default always stays)."""
    from forecast_engine.api import _quantile_origins

    origins = _quantile_origins(80, 6, 4, 4)
    assert origins == sorted(origins) and len(origins) == 8
    history, _future = _mixed_panel(rng, n_each=300, T=60)
    res = fe.forecast(history, fe.EngineParams(horizon=6), lead_time=6, review=0)
    losses = res.calibration["smooth"]["losses"]
    assert {"today", "spread", "naive"} <= set(losses)
    assert all(v is not None for v in losses.values())


def test_a_recipe_replaces_the_default_only_when_clearly_better():
    def origins(*values):  # one mean loss per judged origin, at a single level
        return [np.array([v]) for v in values]

    default = origins(1.0, 1.2, 0.9, 1.1, 1.0)
    # lower at every judged origin by about the same amount: clearly better
    assert calibrate._clearly_better(origins(0.9, 1.1, 0.8, 1.0, 0.91), default, 0)
    # lower on average, but only thanks to one origin: noise, the default stays
    assert not calibrate._clearly_better(origins(0.5, 1.25, 0.95, 1.15, 1.05), default, 0)
    # too few origins judged to tell
    assert not calibrate._clearly_better(origins(0.5, 0.6), default[:2], 0)
