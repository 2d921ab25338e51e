"""Amazon's side: the purchase orders its forecast implies, and how much to trust them.

Amazon forecasts its own sell-through (consumer demand); what a vendor sees is Amazon's
purchase orders. ``amazon_expected_orders`` turns the sell-through forecast into expected
orders by replaying a periodic order-up-to policy on Amazon's inventory, and
``blend_weights`` decides, per product, the weight of those expected orders against our own
forecast from how both did in the past.
"""
import numpy as np

Z90 = 1.2815515655446004  # standard normal 0.9 quantile

DEFAULT_WEIGHT = 0.5  # Amazon's signal, no past to judge it by: an even blend
NEW_WEIGHT = 1.0  # a new product has no history of its own: Amazon's signal alone
SHRINK = 4.0  # past windows' worth of weight given to the class-pooled weight


def _fill_rows(a):
    """NaN periods of each row replaced by the row's mean of the known ones."""
    known = np.isfinite(a)
    cnt = known.sum(axis=1)
    mean = np.divide(np.where(known, a, 0.0).sum(axis=1), cnt, out=np.zeros(a.shape[0]),
                     where=cnt > 0)
    return np.where(known, a, mean[:, None]), cnt > 0


def _extend(a, extra):
    """Continue each row past its end at the mean rate of its last four periods."""
    tail = a[:, -min(4, a.shape[1]):].mean(axis=1)
    return np.concatenate([a, np.repeat(tail[:, None], extra, axis=1)], axis=1)


def _window_sums(a, start, length):
    """Sum of a[:, start : start + length] per row, fractional ``length`` (n,) allowed."""
    n, width = a.shape
    csum = np.concatenate([np.zeros((n, 1)), np.cumsum(a, axis=1)], axis=1)
    end = start + length
    whole = np.minimum(np.floor(end).astype(int), width)
    rows = np.arange(n)
    rate = a[rows, np.minimum(whole, width - 1)]
    return csum[rows, whole] + (end - whole) * rate - csum[rows, start]


def safety_from_p90(sellthrough_mean, sellthrough_p90, lead_time, review=1):
    """(n, H) safety stock per period: the 90% margin of the sell-through over the cover
    (lead time + review) from each period, with independent periods:
    sqrt(sum over the cover of (p90 - mean)^2)."""
    mean, _ = _fill_rows(np.asarray(sellthrough_mean, dtype=float))
    p90, _ = _fill_rows(np.asarray(sellthrough_p90, dtype=float))
    margin2 = np.maximum(p90 - mean, 0.0) ** 2
    n, H = margin2.shape
    cover = np.broadcast_to(np.asarray(lead_time, dtype=float), (n,)) + review
    ext = _extend(margin2, int(np.ceil(cover.max(initial=0))) + 1)
    return np.sqrt(np.stack([_window_sums(ext, t, cover) for t in range(H)], axis=1))


def amazon_expected_orders(sellthrough_mean, on_hand=None, open_po=None, lead_time=1,
                           review=1, safety=None):
    """Expected purchase-order units per period (n, H) implied by Amazon's sell-through.

    Each period t, Amazon's order-up-to level is its sell-through forecast over lead time +
    review from t (fractional periods allowed) plus ``safety`` ((n,) or (n, H) units); its
    inventory position is on hand + on order; it orders max(0, level - position), which
    arrives round(lead time) periods later. Open POs arrive evenly over the lead time. On
    hand then receives that period's arrivals and loses that period's sell-through (never
    below 0: lost sales). Rows without any sell-through forecast are NaN."""
    s, has = _fill_rows(np.asarray(sellthrough_mean, dtype=float))
    s = np.maximum(s, 0.0)
    n, H = s.shape
    on_hand = np.zeros(n) if on_hand is None else np.nan_to_num(
        np.broadcast_to(np.asarray(on_hand, dtype=float), (n,)))
    open_po = np.zeros(n) if open_po is None else np.nan_to_num(
        np.broadcast_to(np.asarray(open_po, dtype=float), (n,)))
    lead = np.maximum(np.nan_to_num(np.broadcast_to(np.asarray(lead_time, dtype=float), (n,)),
                                    nan=1.0), 0.0)
    review = np.maximum(np.broadcast_to(np.asarray(review, dtype=float), (n,)), 0.0)
    if safety is None:
        safety = np.zeros((n, H))
    safety = np.broadcast_to(np.asarray(safety, dtype=float).reshape(n, -1), (n, H))
    cover = lead + review
    ext = _extend(s, int(np.ceil(cover.max(initial=0))) + 1)
    arrive_after = np.rint(lead).astype(int)
    pipeline = np.zeros((n, H + int(arrive_after.max(initial=0)) + 1))
    # open purchase orders: evenly over the lead time (at once when there is none)
    spread = np.maximum(arrive_after, 1)
    for j in range(int(spread.max(initial=1))):
        pipeline[:, j] += np.where(j < spread, open_po / spread, 0.0)
    stock = np.maximum(on_hand, 0.0)
    on_order = open_po.copy()
    orders = np.zeros((n, H))
    rows = np.arange(n)
    for t in range(H):
        level = _window_sums(ext, t, cover) + safety[:, t]
        order = np.maximum(level - (stock + on_order), 0.0)
        orders[:, t] = order
        pipeline[rows, t + arrive_after] += order
        on_order += order
        arriving = pipeline[:, t]
        on_order -= arriving
        stock = np.maximum(stock + arriving - s[:, t], 0.0)
    orders[~has] = np.nan
    return orders


def blend_weights(own_mse, amazon_mse, windows, classes, has_signal, is_new):
    """Weight (n,) of Amazon's expected orders in the blend.

    Per product, inverse-MSE weight ``own / (own + amazon)`` over its ``windows`` past
    forecasts (both MSEs divided by the same product scale); shrunk towards its class's
    pooled weight as ``(windows * own_w + SHRINK * class_w) / (windows + SHRINK)``. Without
    any past: DEFAULT_WEIGHT with a signal, NEW_WEIGHT for a new product, 0 without signal."""
    n = len(classes)
    default = np.where(is_new, NEW_WEIGHT, DEFAULT_WEIGHT)
    weight = default.copy()
    windows = np.nan_to_num(np.asarray(windows, dtype=float))
    known = has_signal & (windows > 0) & np.isfinite(own_mse) & np.isfinite(amazon_mse)
    if known.any():
        total = own_mse + amazon_mse
        own_w = np.divide(own_mse, total, out=np.full(n, 0.5), where=known & (total > 0))
        for c in np.unique(classes):
            rows = has_signal & (classes == c)
            sel = rows & known
            if not sel.any():
                continue
            pooled = own_mse[sel].sum() + amazon_mse[sel].sum()
            class_w = own_mse[sel].sum() / pooled if pooled > 0 else 0.5
            w = np.where(known, (windows * own_w + SHRINK * class_w) / (windows + SHRINK),
                         class_w)
            weight[rows] = w[rows]
    return np.where(has_signal, np.clip(weight, 0.0, 1.0), 0.0)
