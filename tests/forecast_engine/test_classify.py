"""Demand classes of hand-made series (Syntetos-Boylan cut-offs, new, obsolete)."""
import forecast_engine as fe
import numpy as np
import pytest

T = 40
NAN = np.nan


def _pad(values):
    """Leading NaN ("not listed yet") up to T periods."""
    return [NAN] * (T - len(values)) + list(values)


SERIES = {
    "smooth": [5, 6, 5, 7, 6, 5, 6, 5, 6, 7] * 2,
    "erratic": [1, 20, 2, 30, 1, 25, 3, 40, 2, 1] * 2,
    "intermittent": [0, 0, 5, 0, 0, 6, 0, 0, 5, 0, 0, 6] * 2,
    "lumpy": [0, 0, 1, 0, 0, 30, 0, 0, 2, 0, 0, 50] * 2,
    "new": [3, 4, 5],
    "obsolete": [5] * 10 + [0] * 26,
}


def test_hand_made_series_fall_in_their_class():
    Y = np.array([_pad(v) for v in SERIES.values()], dtype=float)
    cl = fe.classify(Y)
    assert list(cl.demand_class) == list(SERIES)
    # leading NaN is absent history, not zero demand: the smooth series has ADI 1
    assert cl.adi[0] == pytest.approx(1.0)
    assert cl.n_obs[0] == 20
    assert cl.adi[2] == pytest.approx(3.0)
    # sizes 5 and 6: mean 5.5, population variance 0.25
    assert cl.cv2[2] == pytest.approx(0.25 / 5.5 ** 2)
    assert cl.cv2[1] > 0.49 and cl.cv2[3] > 0.49
    assert cl.trailing_zeros[5] == 26


def test_cut_offs_and_thresholds_come_from_the_params():
    Y = np.array([_pad(SERIES["intermittent"]), _pad([5] * 10 + [0] * 20)], dtype=float)
    assert list(fe.classify(Y).demand_class) == ["intermittent", "intermittent"]
    params = fe.EngineParams(adi_cutoff=4.0, obsolete_after=20)
    assert list(fe.classify(Y, params).demand_class) == ["smooth", "obsolete"]
    assert fe.classify(Y, fe.EngineParams(min_history=25)).demand_class[0] == "new"


def test_all_zero_and_all_missing_products():
    Y = np.array([[0.0] * T, [NAN] * T, _pad([0.0] * 10)])
    cl = fe.classify(Y)
    assert cl.demand_class[0] == "obsolete"
    assert cl.demand_class[1] == "new" and cl.n_obs[1] == 0
    assert np.isinf(cl.adi[2])  # no demand yet: infinite interval
    assert cl.demand_class[2] in fe.CLASSES


def test_classes_at_each_origin_are_what_the_history_then_said(rng):
    """classes_at gives, for every origin at once, the class the history before it gives."""
    from forecast_engine.classify import classes_at, classify_history
    from forecast_engine.history import History

    n, T = 400, 50
    rate = rng.uniform(0.05, 1.0, size=(n, 1))
    Y = ((rng.random((n, T)) < rate) * rng.negative_binomial(1, 0.2, size=(n, T))).astype(float)
    Y[: n // 4, 30:] = 0.0  # some go quiet: obsolete at the later origins
    Y[rng.random((n, T)) < 0.05] = NAN  # missing periods
    Y[n // 2:, : rng.integers(0, 40)] = NAN  # listed later
    origins = np.array([5, 12, 20, 33, 41, 50])
    args = (1.32, 0.49, 10, 8)
    then = classes_at(History(Y), origins, *args)
    for k, o in enumerate(origins):
        expected = classify_history(History(Y[:, :o]), *args).demand_class
        np.testing.assert_array_equal(then[:, k], expected)
    assert len(np.unique(then)) == 6  # every class occurs
