"""The class's correction factor (select.Windows.calibration, route.RATIO_CLASSES)."""
import forecast_engine as fe
import numpy as np
from forecast_engine import route
from forecast_engine.history import History
from forecast_engine.paths import Constant
from forecast_engine.select import Windows


def test_ratio_correction_leaves_no_bias_and_skips_windows_without_forecast():
    Y = np.array([[1, 0, 2, 0, 1, 0, 3, 0], [0, 2, 0, 0, 4, 0, 0, 2],
                  [0, 0, 0, 0, 0, 0, 1, 1]], float)
    hist = History(Y)
    origins = np.array([6])
    windows = Windows(hist, np.array([0]), origins, 2, np.ones(3))
    paths = Constant(origins, np.array([1.0, 0.5, 0.0]))  # the last: no demand yet
    # sum(A / s) / sum(F / s) over the windows with a forecast: (3 + 2) / (2 * 1 + 2 * 0.5)
    assert np.isclose(windows.calibration(paths, ratio=True), 5.0 / 3.0)
    # least squares: sum(A F) / sum(F^2) = (3 + 1) / (2 + 0.5)
    assert np.isclose(windows.calibration(paths), 4.0 / 2.5)


def test_intermittent_correction_is_not_biased_low(rng):
    """Noisy forecasts of intermittent demand: least squares would shrink them; the ratio
    keeps the class's forecast total in line with what was sold."""
    assert {"intermittent", "lumpy"} <= set(route.RATIO_CLASSES)
    n, T, m = 3000, 60, 6
    rate = rng.gamma(2.0, 0.15, size=(n, 1))
    Y = rng.poisson(rate, size=(n, T + m)).astype(float)
    history, future = Y[:, :T], Y[:, T:].sum(axis=1)
    res = fe.forecast(history, fe.EngineParams(horizon=m, season_length=12), lead_time=m,
                      review=0)
    rows = res.demand_class == "intermittent"
    assert rows.sum() > 500
    ratio = res.lt_demand_mean[rows].sum() / future[rows].sum()
    assert 0.96 < ratio < 1.05, ratio  # least squares: 0.945 here


def _erratic_total_over_expected(rng):
    """Forecast total of the erratic products over their expected demand (known rates)."""
    n, T, m = 1500, 60, 6
    rate = rng.gamma(4.0, 1.0, size=(n, 1))
    # demand in most periods (ADI < 1.32), sizes with CV² about 1: erratic
    Y = (rng.random((n, T + m)) < 0.9) * rng.gamma(1.0, rate, size=(n, T + m))
    res = fe.forecast(Y[:, :T], fe.EngineParams(horizon=m, season_length=12), lead_time=m,
                      review=0)
    rows = res.demand_class == "erratic"
    assert rows.sum() > 1000
    return res.lt_demand_mean[rows].sum() / (0.9 * m * rate[rows, 0]).sum()


def test_erratic_correction_is_not_biased_low(monkeypatch):
    """Erratic sizes make the forecast noisy too: the ratio keeps the class's total in line
    with its expected demand, where least squares would shrink it (about 4 % low here)."""
    assert "erratic" in route.RATIO_CLASSES and "smooth" not in route.RATIO_CLASSES
    ratio = _erratic_total_over_expected(np.random.default_rng(12345))
    assert 0.97 < ratio < 1.03, ratio
    monkeypatch.setattr(route, "RATIO_CLASSES", ("intermittent", "lumpy"))
    least_squares = _erratic_total_over_expected(np.random.default_rng(12345))
    assert least_squares < ratio - 0.015, (least_squares, ratio)
