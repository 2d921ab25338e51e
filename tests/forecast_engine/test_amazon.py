"""Amazon's expected orders (order-up-to replay) and the blend with our own forecast."""
import forecast_engine as fe
import numpy as np
import pytest


def test_expected_orders_by_hand():
    # sell-through 10 a week, 15 on hand, nothing on order, lead time 2, review 1:
    # t0: level 30, position 15 -> order 15 (arrives t2); sells 10 -> 5 on hand
    # t1: position 5 + 15 = 20 -> order 10; sells 10 -> 0 on hand (5 lost)
    # t2: position 0 + 25 = 25 -> order 5; 15 arrive, 10 sold -> 5 on hand
    # t3: position 5 + 10 + 5 = 20 -> 10; t4: 5 + 5 + 10 -> 10; t5: 0 + 10 + 10 -> 10
    orders = fe.amazon_expected_orders(np.full((1, 6), 10.0), on_hand=[15.0], open_po=[0.0],
                                       lead_time=[2], review=1)
    np.testing.assert_allclose(orders, [[15, 10, 5, 10, 10, 10]])


def test_open_purchase_orders_arrive_over_the_lead_time():
    # 20 already ordered arrive 10 + 10; level 20 (lead time 2, no review)
    # t0: position 0 + 20 -> 0; t1: 0 + 10 -> 10; t2: 0 + 20 - 10 -> 10 ... see docstring
    orders = fe.amazon_expected_orders(np.full((1, 4), 10.0), on_hand=[0.0], open_po=[20.0],
                                       lead_time=[2], review=0)
    np.testing.assert_allclose(orders, [[0, 10, 10, 0]])


def test_expected_orders_properties(rng):
    sell = rng.gamma(2.0, 5.0, size=(50, 12))
    sell[0] = np.nan  # no forecast from Amazon for this product
    base = fe.amazon_expected_orders(sell, on_hand=np.full(50, 20.0), lead_time=3, review=1)
    assert np.isnan(base[0]).all()
    assert np.all(base[1:] >= 0)
    richer = fe.amazon_expected_orders(sell, on_hand=np.full(50, 200.0), lead_time=3, review=1)
    assert np.all(richer[1:].sum(axis=1) <= base[1:].sum(axis=1) + 1e-9)
    safer = fe.amazon_expected_orders(sell, on_hand=np.full(50, 20.0), lead_time=3, review=1,
                                      safety=np.full(50, 15.0))
    assert np.all(safer[1:].sum(axis=1) >= base[1:].sum(axis=1))
    # fractional lead time: the cover is 3.5 periods of sell-through
    frac = fe.amazon_expected_orders(np.full((1, 3), 10.0), lead_time=2.5, review=1)
    assert frac[0, 0] == pytest.approx(35.0)


def test_safety_from_p90():
    mean = np.full((1, 6), 10.0)
    p90 = np.full((1, 6), 13.0)
    safety = fe.safety_from_p90(mean, p90, lead_time=[3], review=1)
    # four independent periods with a 3-unit margin each: sqrt(4 * 9) = 6
    np.testing.assert_allclose(safety, 6.0)


def _panel(rng, n=60, T=80, level=10.0):
    return rng.poisson(level, size=(n, T)).astype(float)


def test_new_product_follows_amazon_and_established_ones_blend_half(rng):
    Y = _panel(rng)
    Y[0, :-3] = np.nan  # listed three periods ago
    H = 6
    sell = np.full((len(Y), H), np.nan)
    sell[0] = 7.0
    sell[1] = 30.0
    res = fe.forecast(Y, fe.EngineParams(horizon=H), amazon={"sellthrough_mean": sell})
    assert res.demand_class[0] == "new" and res.method[0] == "amazon"
    np.testing.assert_allclose(res.mean[0], 7.0)
    assert res.amazon_weight[0] == 1.0
    assert res.amazon_weight[1] == 0.5
    np.testing.assert_allclose(res.mean[1], 0.5 * res.own_mean[1] + 15.0)
    np.testing.assert_allclose(res.amazon_weight[2:], 0.0)
    np.testing.assert_allclose(res.mean[2:], res.own_mean[2:])
    assert np.isnan(res.amazon_mean[2:]).all()
    # the lead-time mean follows the blended forecast
    assert res.lt_demand_mean[1] == pytest.approx(res.mean[1].sum())


def test_weights_override(rng):
    Y = _panel(rng)
    H = 4
    sell = np.full((len(Y), H), 20.0)
    override = np.full(len(Y), np.nan)
    override[:3] = [0.0, 1.0, 0.25]
    res = fe.forecast(Y, fe.EngineParams(horizon=H), amazon={"sellthrough_mean": sell},
                      weights_override=override)
    np.testing.assert_allclose(res.amazon_weight[:4], [0.0, 1.0, 0.25, 0.5])
    np.testing.assert_allclose(res.mean[0], res.own_mean[0])
    np.testing.assert_allclose(res.mean[1], 20.0)


def test_expected_orders_feed_the_blend_when_inventory_is_known(rng):
    Y = _panel(rng, n=5)
    H = 6
    amazon = {"sellthrough_mean": np.full((5, H), 10.0), "on_hand": np.full(5, 15.0),
              "open_po": np.zeros(5), "lead_time": np.full(5, 2.0)}
    res = fe.forecast(Y, fe.EngineParams(horizon=H), amazon=amazon)
    np.testing.assert_allclose(res.amazon_mean, np.tile([15, 10, 5, 10, 10, 10], (5, 1)))


def test_weights_are_learnt_from_amazons_past_forecasts(rng):
    Y = _panel(rng, n=80, T=80)
    H = 4
    origins = [60, 64, 68, 72]
    exact = np.stack([Y[:, o:o + H] for o in origins], axis=1)
    sell = np.full((80, H), 10.0)
    good = fe.forecast(Y, fe.EngineParams(horizon=H), amazon={
        "sellthrough_mean": sell, "past_expected_orders": exact, "past_origins": origins})
    assert np.all(good.amazon_weight > 0.9)  # Amazon was right every time
    noisy = exact + rng.normal(0, 40, size=exact.shape)
    bad = fe.forecast(Y, fe.EngineParams(horizon=H), amazon={
        "sellthrough_mean": sell, "past_expected_orders": noisy, "past_origins": origins})
    assert np.all(bad.amazon_weight < 0.2)
