"""A new product's spread comes from Amazon's P90 when its forecast comes from Amazon."""
import forecast_engine as fe
import numpy as np


def test_new_product_quantiles_follow_amazons_p90_margin():
    n, H = 2, 26
    Y = np.full((n, 30), np.nan)
    Y[:, -4:] = [[900.0, 0.0, 0.0, 700.0], [900.0, 0.0, 0.0, 700.0]]  # lumpy first weeks
    amazon = {"sellthrough_mean": np.full((n, H), 20.0),
              "sellthrough_p90": np.array([np.full(H, 20.0), np.full(H, 30.0)])}
    result = fe.forecast(Y, fe.EngineParams(horizon=H, quantile_levels=(0.5, 0.9)),
                         amazon=amazon, lead_time=np.full(n, 3.0), review=np.ones(n))
    assert list(result.method) == ["amazon", "amazon"]
    mean = result.lt_demand_mean
    np.testing.assert_allclose(mean, 80.0, rtol=1e-6)  # 4 weeks of Amazon's 20
    # no margin at Amazon's P90: no spread; a margin of 10 a week: 10 * sqrt(4) at the P90
    np.testing.assert_allclose(result.lt_quantiles[0], [80.0, 80.0], atol=1e-6)
    np.testing.assert_allclose(result.lt_quantiles[1], [80.0, 100.0], atol=1e-6)


def test_weeks_amazon_left_out_take_the_margin_of_the_others():
    n, H = 1, 26
    Y = np.full((n, 30), np.nan)
    Y[:, -3:] = [[500.0, 0.0, 300.0]]
    mean = np.full((n, H), 20.0)
    p90 = np.full((n, H), 30.0)
    mean[:, 0] = p90[:, 0] = np.nan  # Amazon's forecast starts next week
    result = fe.forecast(Y, fe.EngineParams(horizon=H, quantile_levels=(0.5, 0.9)),
                         amazon={"sellthrough_mean": mean, "sellthrough_p90": p90},
                         lead_time=np.zeros(n), review=np.ones(n))
    low, high = result.lt_quantiles[0]
    assert abs(high - low - 10.0) < 1e-6  # P90 margin of one week, not zero
