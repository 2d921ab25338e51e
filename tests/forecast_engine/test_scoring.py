"""Scoring of candidate paths on the selection windows (select.Windows.rmsse_many) and the
damped-trend paths (paths.Paths): the fast versions against the formulas written out."""
import numpy as np
import pytest
from forecast_engine import select
from forecast_engine.history import History
from forecast_engine.lift import Lifted
from forecast_engine.paths import Combined, Constant, Factored, Paths, stitch
from forecast_engine.select import Windows


def _direct_rmsse(actual, pred, scale, valid):
    """(n, K) sqrt(mean over the observed periods of (A - F)^2 / scale), NaN unscored."""
    seen = ~np.isnan(actual)
    err2 = np.where(seen, (np.nan_to_num(actual) - pred) ** 2, 0.0)
    mse = err2.sum(axis=2) / np.maximum(seen.sum(axis=2), 1)
    return np.where(valid, np.sqrt(mse / scale[:, None]), np.nan)


def _direct_damped(level, trend, phi, h):
    """level + trend * (phi + ... + phi^j) for j = 1..h, never below 0."""
    steps = np.arange(1, h + 1)
    damp = np.array([[[np.sum(p ** np.arange(1, j + 1)) for j in steps] for p in row]
                     for row in phi])
    return np.maximum(level[:, :, None] + trend[:, :, None] * damp, 0.0)


@pytest.fixture
def panel(rng):
    Y = rng.poisson(3.0, size=(40, 30)).astype(float)
    Y[3, 26] = np.nan  # a missing period inside a window
    Y[5, :20] = np.nan  # listed late: too few observations before the first origin
    return History(Y)


def _grid(rng, n, K):
    out = []
    for shared in (0.8, 0.9, 1.0):  # one phi for every product (a grid value), phi == 1 too
        out.append(Paths(np.arange(K), rng.uniform(0, 5, (n, K)), rng.normal(0, 0.5, (n, K)),
                         np.full((n, K), shared)))
    mixed = rng.choice([0.8, 0.9, 0.98, 1.0], size=(n, K))  # chosen per product
    out.append(Paths(np.arange(K), rng.uniform(0, 5, (n, K)), rng.normal(0, 0.5, (n, K)),
                     mixed))
    out.append(Paths(np.arange(K), rng.uniform(0, 5, (n, K))))  # flat
    return out


def test_damped_paths_match_the_formula(rng):
    for paths in _grid(rng, 7, 3)[:4]:
        expected = _direct_damped(paths.level, paths.trend, paths.phi, 5)
        assert np.allclose(paths.path(5), expected)
        assert np.allclose(paths.path(5, [2]), expected[:, [2]])


@pytest.mark.parametrize("cells", [10**9, 1, 700])  # all at once, one by one, in chunks
def test_rmsse_of_many_paths_equals_each_scored_alone(panel, rng, monkeypatch, cells):
    monkeypatch.setattr(select, "STACK_CELLS", cells)
    origins = np.array([18, 22, 26])
    scale = panel.naive_scale_at(panel.T)
    windows = Windows(panel, np.arange(3), origins, 4, scale)
    grid = [Paths(origins, p.level, p.trend, p.phi) for p in _grid(rng, panel.n, 3)]
    many = windows.rmsse_many(grid)
    assert many.shape == (len(grid), panel.n, 3)
    for j, paths in enumerate(grid):
        expected = _direct_rmsse(windows.actual, paths.path(4), windows.scale, windows.valid)
        # to the bit for one path scored alone or with others; a flat path is scored from the
        # actuals' sums (a rounding apart from the written-out formula)
        np.testing.assert_array_equal(windows.rmsse(paths), many[j])
        if paths.flat(windows.ks) is None:
            np.testing.assert_array_equal(many[j], expected)
        else:
            np.testing.assert_allclose(many[j], expected, rtol=1e-12, atol=1e-12)
    assert np.isnan(many[:, 5, 0]).all()  # not scored before its second observation
    assert np.isfinite(many[:, 3, 2]).all()  # the window with a missing period still counts


def test_flat_forecasts_are_the_paths_first_period_and_none_when_not_flat(rng):
    K, n = 3, 6
    flat = Paths(np.arange(K), rng.uniform(-1, 5, (n, K)))  # negatives read as 0
    trend = Paths(np.arange(K), rng.uniform(0, 5, (n, K)), rng.normal(0, 1, (n, K)),
                  np.full((n, K), 0.9))
    seasonal = Paths(np.arange(K), rng.uniform(0, 5, (n, K)),
                     season=rng.uniform(0.5, 1.5, (n, 1, 4)), season_of=np.zeros(K, dtype=int))
    const = Constant(np.arange(K), rng.uniform(0, 3, n))
    wrapped = [flat, const, Factored(flat, rng.uniform(0.8, 1.2, (n, K))),
               Combined([flat, const]), Lifted(flat, rng.uniform(-2, 1, (n, K))),
               stitch(n, np.arange(K), [(np.arange(3), flat.rows(np.arange(3))),
                                        (np.arange(3, n), const.rows(np.arange(3, n)))])]
    ks = np.array([0, 2])
    for paths in wrapped:
        full = paths.path(5, ks)
        np.testing.assert_array_equal(paths.flat(ks), full[:, :, 0])
        assert (full == full[:, :, :1]).all()  # the same every period
    for paths in (trend, seasonal, Combined([flat, trend]), Factored(seasonal, 1.1),
                  Lifted(trend, 0.5), stitch(n, np.arange(K), [(np.arange(n), trend)])):
        assert paths.flat(ks) is None


def test_choose_keeps_the_variant_of_least_mean_rmsse_and_the_first_on_ties(panel):
    origins = np.array([18, 22, 26])
    windows = Windows(panel, np.arange(3), origins, 4, panel.naive_scale_at(panel.T))
    level = np.full((panel.n, 3), 3.0)
    variants = [("far", Paths(origins, level * 3)), ("mean", Paths(origins, level)),
                ("same", Paths(origins, level.copy()))]
    name, _paths, scores, err, chosen = select.choose({"flat": variants}, windows)
    assert (name, chosen["flat"]) == ("flat", "mean")
    assert np.isclose(scores["flat"], select.mean_score(windows.rmsse(variants[1][1])))
    assert err.shape == (panel.n,)
