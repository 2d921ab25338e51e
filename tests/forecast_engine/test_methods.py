"""Known answers of the methods, by hand and against plain scalar loops."""
import forecast_engine as fe
import numpy as np
import pytest
from forecast_engine import methods
from forecast_engine.history import History

SHORT = [0.0, 3.0, 0.0, 0.0, 5.0, 0.0]


def _variant(variants, label):
    return dict(variants)[label]


def _final(paths):
    return paths.final(1)[:, 0]


def test_ses_by_hand():
    # running-mean start: gains 1, max(0.5, 1/2), max(0.5, 1/3) -> 2, 3, 4.5
    variants, sigma, count = methods.ses(History([[2.0, 4.0, 6.0]]), [3])
    assert _final(_variant(variants, "alpha=0.5")) == pytest.approx([4.5])
    assert count[0, 0] == 2  # one-step errors after the first observation


def test_croston_sba_by_hand():
    # demand 3 after 2 periods: z = 3, p = 2; demand 5 after 3 periods, gain max(0.1, 1/2):
    # z = 4, p = 2.5; SBA: (1 - 0.1 / 2) * 4 / 2.5 = 1.52
    variants = methods.croston_sba(History([SHORT]), [6])
    assert _final(_variant(variants, "alpha=0.1")) == pytest.approx([1.52])
    # before any demand there is nothing to forecast
    assert _final(_variant(methods.croston_sba(History([[0.0, 0.0, 0.0]]), [3]),
                           "alpha=0.1")) == pytest.approx([0.0])


def test_tsb_by_hand():
    # while 1/k exceeds the smoothing constants, TSB is demand frequency (2 of 6 periods)
    # times mean size (4)
    variants = methods.tsb(History([SHORT]), [6])
    assert _final(_variant(variants, "alpha=0.1 beta=0.1")) == pytest.approx([4 / 3])


def _tsb_scalar(y, alpha, beta):
    z = d = 0.0
    k = nd = 0
    for v in y:
        if np.isnan(v):
            continue
        k += 1
        if v > 0:
            nd += 1
            z += max(alpha, 1 / nd) * (v - z)
        d += max(beta, 1 / k) * ((v > 0) - d)
    return d * z


def _croston_scalar(y, alpha):
    z = 0.0
    p = 1.0
    q = nd = 0
    for v in y:
        if np.isnan(v):
            continue
        q += 1
        if v > 0:
            nd += 1
            g = max(alpha, 1 / nd)
            z += g * (v - z)
            p += g * (q - p)
            q = 0
    return (1 - alpha / 2) * z / p if nd else 0.0


def test_vectorised_methods_match_scalar_loops(rng):
    Y = rng.poisson(0.6, size=(30, 50)).astype(float) * rng.integers(1, 6, size=(30, 50))
    Y[:5, :12] = np.nan  # not listed yet
    Y[5, 20] = np.nan  # a period without data
    hist = History(Y)
    tsb = _final(_variant(methods.tsb(hist, [50]), "alpha=0.2 beta=0.05"))
    sba = _final(_variant(methods.croston_sba(hist, [50]), "alpha=0.2"))
    for i in range(len(Y)):
        assert tsb[i] == pytest.approx(_tsb_scalar(Y[i], 0.2, 0.05))
        assert sba[i] == pytest.approx(_croston_scalar(Y[i], 0.2))


def test_forecasts_from_an_origin_use_only_the_periods_before_it(rng):
    Y = rng.poisson(3.0, size=(10, 40)).astype(float)
    early = [_final(p) for _, p in methods.tsb(History(Y[:, :30]), [30])]
    late = methods.tsb(History(Y), [30, 40])
    for (_, paths), expected in zip(late, early, strict=True):
        assert paths.path(1, [0])[:, 0, 0] == pytest.approx(expected)


def test_constant_series_forecast_the_constant():
    Y = np.full((40, 60), 5.0)
    res = fe.forecast(Y, fe.EngineParams(horizon=8), lead_time=4, review=1)
    assert set(res.demand_class) == {"smooth"}
    np.testing.assert_allclose(res.mean, 5.0)
    # no error ever: the lead time + review quantiles are the mean itself
    np.testing.assert_allclose(res.lt_demand_mean, 25.0)
    np.testing.assert_allclose(res.lt_quantiles, 25.0)
    hist = History(Y)
    for method in (methods.tsb, methods.damped_trend, methods.moving_average):
        for _, paths in method(hist, [60]):
            assert _final(paths) == pytest.approx(np.full(40, 5.0))


def test_intermittent_forecast_through_the_api_matches_the_hand_computation():
    Y = np.array([SHORT])
    params = fe.EngineParams(horizon=3, min_history=4,
                             method_by_class={"intermittent": "croston_sba"})
    res = fe.forecast(Y, params)
    assert res.demand_class[0] == "intermittent"
    assert res.method[0] == "croston_sba"
    np.testing.assert_allclose(res.mean, 1.52)
    params = fe.EngineParams(horizon=3, min_history=4, method_by_class={"intermittent": "tsb"})
    assert fe.forecast(Y, params).method[0] == "tsb"


def test_trend_is_followed_by_the_damped_trend(rng):
    t = np.arange(60)
    Y = 10 + 2.0 * t + rng.normal(0, 0.5, size=(40, 60))
    res = fe.forecast(Y, fe.EngineParams(horizon=6, season_length=12))
    assert res.rolling_scores["smooth"]["chosen"] in ("ets", "combined")
    assert np.all(np.diff(res.mean, axis=1) > 0)  # still rising
    # 10 + 2 * 60 = 130 next; damping keeps it a little below the straight line
    assert np.all(np.abs(res.mean[:, 0] - 130) < 0.05 * 130)


def test_seasonal_series_get_seasonal_forecasts(rng):
    t = np.arange(156 + 26)
    truth = 100 * (1 + 0.5 * np.sin(2 * np.pi * t / 52))
    Y = rng.poisson(np.broadcast_to(truth, (60, len(t)))).astype(float)
    res = fe.forecast(Y[:, :156], fe.EngineParams(horizon=26, season_length=52))
    assert res.seasonal.all()
    future = truth[156:]
    assert np.corrcoef(res.mean.mean(axis=0), future)[0, 1] > 0.9
    flat_error = np.mean((Y[:, 104:156].mean(axis=1, keepdims=True) - future) ** 2)
    assert np.mean((res.mean - future) ** 2) < 0.2 * flat_error


def test_new_and_obsolete_products():
    Y = np.full((3, 40), np.nan)
    Y[0, -3:] = [2.0, 4.0, 6.0]  # new: 3 observed periods
    Y[1] = [5.0] * 10 + [0.0] * 30  # obsolete: 30 zero periods
    res = fe.forecast(Y, fe.EngineParams(horizon=4), lead_time=2)  # product 2: no data at all
    assert list(res.demand_class) == ["new", "obsolete", "new"]
    np.testing.assert_allclose(res.mean[0], 4.0)  # mean of what it sold
    np.testing.assert_allclose(res.mean[1:], 0.0)
    assert list(res.method) == ["ma", "zero", "zero"]
    np.testing.assert_allclose(res.lt_quantiles[1:], 0.0)
    assert np.all(res.lt_quantiles[0] >= 0) and res.lt_quantiles[0, -1] > 8.0


def test_method_override_is_validated():
    with pytest.raises(ValueError):
        fe.forecast(np.ones((2, 20)), fe.EngineParams(method_by_class={"smooth": "prophet"}))
    res = fe.forecast(np.ones((2, 20)) * 3, fe.EngineParams(
        horizon=2, method_by_class={"smooth": "combined"}))
    assert list(res.method) == ["combined", "combined"]
    np.testing.assert_allclose(res.mean, 3.0)


def _damped_scalar(y, alpha, beta, phi):
    lev = tr = 0.0
    k = 0
    for v in y:
        if np.isnan(v):
            continue
        fc = lev + phi * tr
        e = v - fc
        k += 1
        lev = fc + max(alpha, 1 / k) * e
        tr = phi * tr + (beta * e if k > 1 else 0.0)
    return lev + phi * tr  # the forecast of the next period


def test_damped_trend_matches_a_scalar_loop(rng):
    Y = 20 + np.arange(40) * 0.5 + rng.normal(0, 2, size=(12, 40))
    Y[:3, :7] = np.nan  # not listed yet
    Y[4, [10, 25]] = np.nan  # periods without data
    got = _final(_variant(methods.damped_trend(History(Y), [40]), "alpha=0.2 beta=0.02 phi=0.9"))
    want = [_damped_scalar(y, 0.2, 0.02, 0.9) for y in Y]
    assert got == pytest.approx(want)


def _growing_seasonal(rng, n=60, T=96):
    t = np.arange(T)
    truth = (100 + 1.5 * t) * (1 + 0.4 * np.sin(2 * np.pi * t / 12))
    return rng.poisson(np.broadcast_to(truth, (n, T))).astype(float), truth


def test_growing_seasonal_series_get_the_seasonal_damped_trend(rng):
    Y, truth = _growing_seasonal(rng)
    res = fe.forecast(Y[:, :84], fe.EngineParams(horizon=12, season_length=12))
    assert res.rolling_scores["smooth"]["chosen"] == "ets_seasonal"
    assert res.seasonal.all() and set(res.method) == {"ets"}
    future = truth[84:]
    # the seasonal SES alone stays at the level of the past year: the trend beats it
    ses_level = Y[:, 72:84].mean()
    assert np.mean(np.abs(res.mean.mean(axis=0) - future)) < 0.5 * np.mean(
        np.abs(ses_level - future))


def test_seasonal_damped_trend_uses_only_the_past_of_each_origin(rng):
    from forecast_engine.seasonal import seasonal_damped

    Y, _truth = _growing_seasonal(rng, n=8)
    origins = [40, 60, 84]
    before, eligible = seasonal_damped(History(Y), origins, 12)
    Y2 = Y.copy()
    Y2[:, 60:] *= 3.0  # what happens after the second origin
    after, _ = seasonal_damped(History(Y2), origins, 12)
    assert eligible[:, 1:].all()
    for (label, p), (_, q) in zip(before, after, strict=True):
        np.testing.assert_array_equal(p.path(12, [0, 1]), q.path(12, [0, 1]), err_msg=label)
        assert not np.allclose(p.path(12, [2]), q.path(12, [2]))


def _retail_year(rng, n, years, december):
    """Monthly sales with a December peak ``december`` times a normal month, Poisson noise."""
    shape = np.ones(12)
    shape[11] = december
    return rng.poisson(np.tile(200.0 * shape, years)[None, :].repeat(n, axis=0)).astype(float)


def test_monthly_indices_keep_a_one_month_peak(rng):
    """Neighbouring months are different seasons: December's index is December's own (a
    3-month average would give Nov, Dec and Jan each about 1.7 and miss the peak by half)."""
    from forecast_engine.seasonal import season_indices

    Y = _retail_year(rng, 20, 4, december=3.0)
    idx, eligible = season_indices(History(Y), 48, 12)
    assert eligible.all()
    expected = np.r_[np.ones(11), 3.0] / (14.0 / 12)  # normalised to a mean of 1
    np.testing.assert_allclose(idx.mean(axis=0), expected, rtol=0.05)
    res = fe.forecast(Y, fe.EngineParams(horizon=12, season_length=12))
    assert res.seasonal.all()
    december, november = res.mean[:, 11].mean(), res.mean[:, 10].mean()
    assert 2.6 < december / november < 3.4, (december, november)


def test_indices_follow_the_recent_years_when_the_season_moves(rng):
    """Ten years with the peak in June, then five in December: the indices are learnt on
    the last MAX_YEARS full years, so today's peak is December's."""
    from forecast_engine import seasonal
    from forecast_engine.seasonal import season_indices

    old = _retail_year(rng, 10, 10, december=1.0)
    old[:, 5::12] *= 3.0  # June
    Y = np.concatenate([old, _retail_year(rng, 10, seasonal.MAX_YEARS, december=3.0)], axis=1)
    idx, _ = season_indices(History(Y), Y.shape[1], 12)
    assert np.all(idx[:, 11] > 2.0) and np.all(idx[:, 5] < 1.3)
    long_ago, _ = season_indices(History(Y), 120, 12)  # the origin before the change
    assert np.all(long_ago[:, 5] > 2.0) and np.all(long_ago[:, 11] < 1.3)


def test_empirical_bayes_by_hand():
    # sales in 0, 1, 2 and 5 of 8 periods (sizes 2, 2 and 4): class share 8 / 32 = 1/4; the
    # shares' variance 7/128 less chance (1/4 * 3/4 * 1/8) over 1 - 1/8: 1/28; Beta prior of
    # weight b = (3/16) / (1/28) - 1 = 17/4, share * b = 17/16: (c + 17/16) / (8 + 17/4),
    # i.e. (16c + 17) / 196 of the periods, times the product's own size
    Y = np.zeros((4, 8))
    Y[1, 3] = 2.0
    Y[2, [1, 5]] = 2.0
    Y[3, [0, 2, 4, 6, 7]] = 4.0
    level = _final(_variant(methods.empirical_bayes(History(Y), [8]), "empirical bayes"))
    # a product that has not sold yet gets nothing, as from every other method
    assert level == pytest.approx([0.0, 33 / 196 * 2, 49 / 196 * 2, 97 / 196 * 4])
    # sales in 3, 4 and 5 of 8 periods spread less than chance: every product at the
    # class's share (1/2) times its own size, not at its own share
    Y = np.zeros((3, 8))
    Y[0, :3], Y[1, :4], Y[2, :5] = 2.0, 1.0, 3.0
    assert _final(_variant(methods.empirical_bayes(History(Y), [8]), "empirical bayes")) \
        == pytest.approx([1.0, 0.5, 1.5])


def test_empirical_bayes_competes_in_the_sparse_classes(rng):
    Y = rng.poisson(rng.gamma(0.6, 0.3, size=(300, 1)), size=(300, 48)).astype(float)
    res = fe.forecast(Y, fe.EngineParams(horizon=6, season_length=12,
                                         method_by_class={"intermittent": "eb",
                                                          "lumpy": "eb"}),
                      lead_time=6, review=0)
    sparse = np.isin(res.demand_class, ["intermittent", "lumpy"])
    assert sparse.any() and set(res.method[sparse]) == {"eb"}
    assert "eb" in fe.DEFAULT_CANDIDATES["intermittent"]
    assert "eb" in fe.DEFAULT_CANDIDATES["lumpy"]


def test_empirical_bayes_beats_each_products_own_rate_on_a_population(rng):
    """Stationary slow movers of different rates: the shrunk rate is nearer each product's
    true rate than its own count over the history (the one-demand parts most of all), and
    uses only the periods before the origin."""
    rate = rng.gamma(0.6, 0.05, size=(4000, 1))
    Y = rng.poisson(rate, size=(4000, 60)).astype(float)
    hist = History(Y)
    shrunk = _final(_variant(methods.empirical_bayes(hist, [48]), "empirical bayes"))
    own = Y[:, :48].mean(axis=1)
    truth = rate[:, 0]
    assert np.mean((shrunk - truth) ** 2) < 0.85 * np.mean((own - truth) ** 2)
    once = (Y[:, :48] > 0).sum(1) == 1
    assert abs(np.mean(shrunk[once] - truth[once])) < abs(np.mean(own[once] - truth[once]))
    later = Y.copy()
    later[:, 48:] = 99.0
    again = _final(_variant(methods.empirical_bayes(History(later), [48]), "empirical bayes"))
    assert again == pytest.approx(shrunk)
