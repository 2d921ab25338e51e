"""The engine's entry points: ``classify`` and ``forecast``.

``forecast`` classifies every product, routes each class to its candidate methods and keeps
the best on rolling origins of the history (route.py), lifts the forecast of products with
one or two demands so far by a rate learnt on the same origins (lift.py), blends the result
with Amazon's signal when there is one (amazon.py), and derives quantiles of the demand over
lead time + review from past errors of that same total, per class and level by the pinball
loss (calibrate.py). Vectorised across products; deterministic for a given seed.
"""
from dataclasses import dataclass, field

import numpy as np

from . import calibrate
from .amazon import amazon_expected_orders, blend_weights, safety_from_p90
from .classify import CLASSES, Classification, classes_at, classify_history
from .history import History, listed_before_first_demand
from .lift import sparse_lift
from .quantiles import _normal_ppf
from .route import DEFAULT_CANDIDATES, METHODS, own_forecast
from .select import listing_lead, obsolete_run, selection_origins

Q_ORIGINS = 8  # origins for the errors of lead-time totals (at least n_origins)
Z90 = 1.2815515655446004  # standard normal quantile at 0.9


@dataclass
class EngineParams:
    horizon: int = 26  # periods to forecast
    season_length: int = 52  # periods per year (12 for monthly)
    adi_cutoff: float = 1.32  # Syntetos-Boylan cut-offs
    cv2_cutoff: float = 0.49
    # trailing run of zero periods -> forecast 0 ("obsolete"); None: learnt on the history
    # (select.obsolete_run), which may find that no run makes a product obsolete
    obsolete_after: int | None = None
    min_history: int = 8  # fewer observed periods -> "new" product
    # zeros more than this many periods before a product's first demand count as "not listed
    # yet" (history.listed_before_first_demand); None: learnt on the history
    # (select.listing_lead), which keeps every zero when they look like real zeros
    listed_before: int | None = None
    n_origins: int = 4  # rolling origins used to learn the choice of method and the weights
    quantile_levels: tuple = (0.5, 0.7, 0.8, 0.9, 0.95)
    # e.g. {"smooth": "ets", "intermittent": "imapa"}, "combined", or a tuple of candidates
    # to choose among; default: DEFAULT_CANDIDATES with the automatic choice
    method_by_class: dict | None = None
    bootstrap_samples: int = 500
    seed: int = 0


@dataclass
class ForecastResult:
    mean: np.ndarray  # (n, H) per-period forecast: own blended with Amazon's
    method: np.ndarray  # (n,) str, one of METHODS
    demand_class: np.ndarray  # (n,) str, one of CLASSES
    adi: np.ndarray  # (n,)
    cv2: np.ndarray  # (n,)
    n_obs: np.ndarray  # (n,) observed periods
    lt_demand_mean: np.ndarray  # (n,) expected demand over lead time + review
    lt_quantiles: np.ndarray  # (n, len(quantile_levels)) of the demand over lead time + review
    lt_service_quantile: np.ndarray | None  # (n,) at each product's service level, if given
    amazon_weight: np.ndarray  # (n,) weight of Amazon's signal in ``mean``
    own_mean: np.ndarray  # (n, H) our own forecast
    amazon_mean: np.ndarray  # (n, H) Amazon's expected orders, NaN without a signal
    rolling_rmsse: np.ndarray  # (n,) RMSSE of the chosen method on the rolling origins
    seasonal: np.ndarray  # (n,) bool: the forecast carries seasonal indices
    lead_time: np.ndarray  # (n,) lead time used (periods)
    review: np.ndarray  # (n,) review period used (periods)
    quantile_levels: tuple = ()
    # per routed class: chosen method, mean rolling RMSSE of every candidate, parameter
    # variants chosen, calibration factor, products and scored products
    rolling_scores: dict = field(default_factory=dict)
    # per class: quantile recipe chosen per level, the losses it was chosen on, windows used
    calibration: dict = field(default_factory=dict)
    # (n, len(quantile_levels)) str: how each quantile was made ("today", "spread", "naive",
    # "history" (calibrate.py), "amazon": Amazon's P90 margin, "none": no spread)
    quantile_recipe: np.ndarray | None = None
    correction: np.ndarray | None = None  # (n,) the class's factor on the own forecast
    calibration_windows: np.ndarray | None = None  # (n,) past windows of the class
    # periods before its first demand a product counts as listed (earlier zeros: not listed
    # yet), learnt on the history or EngineParams.listed_before; None: no zero was cut
    listed_before: int | None = None
    # rate added to the forecast of products with one or two demands so far (lift.py):
    # {"lift": {demands: added rate in the product's mean}, "windows": {demands: windows},
    # "bias": {demands: (mean bias of those windows without the lift, with it)}}
    lift: dict = field(default_factory=dict)
    lift_rate: np.ndarray | None = None  # (n,) demand per period added today
    # periods without demand after which a product is obsolete (learnt on the history or
    # EngineParams.obsolete_after); None: no product is. obsolete_source: "given" (the
    # parameter), "learnt" or "default" (the history could not judge any run:
    # select.OBSOLETE_DEFAULT)
    obsolete_after: int | None = None
    obsolete_source: str = "given"


def classify(Y, params=None):
    """Classification (demand_class, adi, cv2, n_obs, trailing_zeros) of every product."""
    params = params or EngineParams()
    hist = _history(Y, params)[0]
    run = _obsolete_after(hist, params, max(params.quantile_levels))[0]
    return classify_history(hist, params.adi_cutoff, params.cv2_cutoff, _threshold(run),
                            params.min_history)


def forecast(Y, params=None, *, amazon=None, lead_time=None, lead_time_std=None, review=None,
             service_level=None, weights_override=None):
    """Forecast every product of the panel ``Y`` (n, T), demand per period, oldest first,
    NaN = no observation (leading NaN: not yet listed; so are zeros more than
    ``params.listed_before`` periods before a product's first demand).

    amazon: optional dict of arrays: ``sellthrough_mean`` (n, H) (NaN where none),
    ``sellthrough_p90`` (n, H), ``on_hand`` (n,), ``open_po`` (n,), ``lead_time`` (n,)
    (Amazon's inbound lead time, periods, default 1), ``review`` (Amazon's review period,
    default 1), ``past_expected_orders`` (n, k, H) with ``past_origins`` (k,): the number of
    periods of ``Y`` known when each was issued (to learn the blend weights).
    lead_time (n,) periods, default ``horizon``; lead_time_std (n,) periods, default 0;
    review (n,) periods, default 0; service_level (n,) in (0, 1); weights_override (n,):
    Amazon's weight per product, NaN = automatic."""
    params = params or EngineParams()
    hist, listed, raw = _history(Y, params)
    n, T, H = hist.n, hist.T, int(params.horizon)
    if H < 1:
        raise ValueError("horizon must be at least 1")
    levels = tuple(float(q) for q in params.quantile_levels)
    svc = None if service_level is None else np.clip(_per_product(service_level, n, 0.95),
                                                      0.0, 1.0)
    top_level = max(levels) if svc is None else max(max(levels), float(svc.max(initial=0)))
    obsolete_after, obsolete_source = _obsolete_after(hist, params, top_level)
    cl = classify_history(hist, params.adi_cutoff, params.cv2_cutoff,
                          _threshold(obsolete_after), params.min_history)
    classes = cl.demand_class
    lead = np.maximum(_per_product(lead_time, n, H), 0.0)
    lead_std = np.maximum(_per_product(lead_time_std, n, 0.0), 0.0)
    rev = np.maximum(_per_product(review, n, 0.0), 0.0)
    cover = lead + rev

    # origins: method choice, errors of lead-time totals, Amazon's past forecasts, today
    min_train = max(int(params.min_history), 2)
    sel, h_sel = selection_origins(T, H, params.n_origins, min_train)
    q_min = max(2, int(params.min_history) // 2)  # errors from shorter histories are ignored
    m_ref = int(min(max(np.rint(cover.max(initial=1)), 1), max(T - q_min, 1)))
    q_orig = _quantile_origins(T, m_ref, params.n_origins, q_min)
    past, past_origins = _amazon_past(amazon, n)
    extra = [int(o) for o in past_origins if 0 <= o < T]
    origins = np.array(sorted(set(sel) | set(q_orig) | set(extra) | {T}), dtype=int)
    index = {int(o): i for i, o in enumerate(origins)}
    ks_sel = np.array([index[int(o)] for o in sel], dtype=int)
    ks_q = np.array([index[int(o)] for o in q_orig], dtype=int)

    own, sigma = own_forecast(hist, classes, origins, ks_sel, sel, h_sel,
                              params.season_length, params.method_by_class)
    # products with one or two demands so far: a rate added, learnt on the history (lift.py)
    own.paths, added, lift = sparse_lift(raw, own.paths, ks_sel, sel, h_sel,
                                         _threshold(obsolete_after))
    h_max = int(max(H, np.ceil((cover + 4 * lead_std).max(initial=1)) + 1))
    own_path = own.paths.final(h_max)

    # Amazon's signal and the blend
    amazon_path = _amazon_path(amazon, n, H, h_max)
    has_signal = np.isfinite(amazon_path[:, :H]).any(axis=1)
    is_new = classes == "new"
    own_mse = amz_mse = windows = np.full(n, np.nan)
    if past is not None:
        own_mse, amz_mse, windows = _past_errors(hist, own.paths, index, past, past_origins)
    weight = blend_weights(own_mse, amz_mse, windows, classes, has_signal, is_new)
    if weights_override is not None:
        wo = np.asarray(weights_override, dtype=float).reshape(n)
        weight = np.where(np.isfinite(wo), np.clip(wo, 0.0, 1.0), weight)
    weight = np.where(has_signal, weight, 0.0)
    known = np.isfinite(amazon_path)
    blended = np.where(known, own_path + weight[:, None] * (np.where(known, amazon_path, 0.0)
                                                            - own_path), own_path)
    method = own.method.astype(object)
    method[is_new & has_signal & (weight > 0)] = "amazon"
    method = method.astype(str)

    # quantiles of the demand over lead time + review, learnt on past windows (calibrate.py)
    sig_today = _sigma_today(hist, sigma[:, -1], blended[:, 0])
    rng = np.random.default_rng(params.seed)
    # per class and quantile level, the recipe with the least pinball loss on past windows
    select_levels = sorted(set(levels) | set(np.unique(svc).tolist() if svc is not None
                                             else []))
    classes_then = classes_at(hist, origins[ks_q], params.adi_cutoff, params.cv2_cutoff,
                              _threshold(obsolete_after), params.min_history)
    calibration = calibrate.Calibration(hist, classes, classes_then, own.paths, ks_q,
                                        origins[ks_q], cover, sigma[:, ks_q], q_min,
                                        select_levels, sig_today, params.seed)
    lt_mean, lt_q, lt_svc = calibrate.lead_time_quantiles(
        calibration, hist, classes, blended, cover, lead, rev, lead_std, sig_today, levels,
        svc, rng, int(params.bootstrap_samples))
    # A new product's few weeks say little about its spread: where its forecast is Amazon's,
    # so is its spread (Amazon's P90 margin over the same cover, normal shape).
    lean = is_new & has_signal & (weight > 0)
    amz_sigma = _amazon_cover_sigma(amazon, n, H, cover)
    if amz_sigma is not None and lean.any():
        z = _normal_ppf(np.asarray(levels))
        lt_q[lean] = np.maximum(lt_mean[lean, None] + amz_sigma[lean, None] * z[None, :], 0.0)
        if lt_svc is not None:
            lt_svc[lean] = np.maximum(lt_mean[lean] + amz_sigma[lean] * _normal_ppf(svc[lean]),
                                      0.0)
    recipe = np.full((n, len(levels)), calibrate.DEFAULT, dtype=object)
    windows_used = np.zeros(n, dtype=int)
    for cls in np.unique(classes):
        rows = classes == cls
        recipe[rows] = [calibration.recipe(cls, q) for q in levels]
        # a varying lead time: every level comes from the bootstrap of one recipe's errors,
        # or from the compound's own totals where it was chosen at 0.9 (calibrate.py)
        recipe[rows & (lead_std > 0)] = calibration.bootstrap_recipe(cls)
        if calibration.recipe(cls, 0.9) == "compound":
            recipe[rows & (lead_std > 0) & calibration.compound_today.defined()] = "compound"
        windows_used[rows] = calibration.windows.get(cls, 0)
    if amz_sigma is not None:
        recipe[lean] = "amazon"
    obsolete = classes == "obsolete"  # zero forecast: no spread either
    recipe[obsolete] = "none"
    lt_q[obsolete] = lt_mean[obsolete, None]
    if lt_svc is not None:
        lt_svc[obsolete] = lt_mean[obsolete]
    return ForecastResult(
        mean=blended[:, :H], method=method, demand_class=classes, adi=cl.adi, cv2=cl.cv2,
        n_obs=cl.n_obs, lt_demand_mean=lt_mean, lt_quantiles=lt_q, lt_service_quantile=lt_svc,
        amazon_weight=weight, own_mean=own_path[:, :H], amazon_mean=amazon_path[:, :H],
        rolling_rmsse=own.rolling_rmsse, seasonal=own.seasonal, lead_time=lead, review=rev,
        quantile_levels=levels, rolling_scores=own.scores,
        calibration=calibration.summary(),
        quantile_recipe=recipe.astype(str), correction=own.correction,
        calibration_windows=windows_used, listed_before=listed, lift=lift,
        lift_rate=added[:, -1],
        obsolete_after=obsolete_after, obsolete_source=obsolete_source)


def _history(Y, params):
    """(History the engine works on, listing lead used, History as recorded): a product
    counts as listed ``listed_before`` periods before its first demand, by default the lead
    learnt on the history (select.listing_lead; None: every zero counts)."""
    hist = History(Y)
    lead = params.listed_before
    if lead is None:
        lead = listing_lead(hist, params.horizon, params.n_origins,
                            max(int(params.min_history), 2), params.season_length)
    if lead is None:
        return hist, None, hist
    lead = max(int(lead), 0)
    return History(listed_before_first_demand(hist.Y, lead)), lead, hist


def _obsolete_after(hist, params, top_level):
    """(periods without demand that make a product obsolete, None: none is; source):
    ``params.obsolete_after`` ("given"), by default learnt on the history
    (select.obsolete_run, for the highest quantile level ``top_level``: "learnt", or
    "default" when it could not judge any run)."""
    source, run = "given", params.obsolete_after
    if run is not None and int(run) < 1:
        raise ValueError("obsolete_after is a number of periods, at least 1 (None: learnt)")
    if run is None:
        run, judged = obsolete_run(hist, params.horizon, params.n_origins,
                                   max(int(params.min_history), 2), params.season_length,
                                   share=1.0 - float(top_level))
        source = "learnt" if judged else "default"
    return (None if run is None else int(run)), source


def _threshold(run):
    """The run as the classification and the lift compare with: none is never reached."""
    return np.inf if run is None else run


def _per_product(value, n, default):
    if value is None:
        value = default
    out = np.array(np.broadcast_to(np.asarray(value, dtype=float), (n,)), dtype=float)
    return np.where(np.isfinite(out), out, default)


def _quantile_origins(T, m_ref, n_origins, min_train):
    """Origins for the errors of lead-time totals, oldest first (calibrate.Calibration judges
    each recipe at an origin with the windows of the earlier ones): the latest leaves
    ``m_ref`` periods, then every half of it, at most max(n_origins, Q_ORIGINS) of them."""
    step = max(1, int(np.ceil(m_ref / 2)))
    count = max(int(n_origins), Q_ORIGINS)
    return sorted(T - m_ref - j * step for j in range(count) if T - m_ref - j * step >= min_train)


def _amazon_past(amazon, n):
    if amazon is None or amazon.get("past_expected_orders") is None:
        return None, np.zeros(0, dtype=int)
    past_origins = np.atleast_1d(np.asarray(amazon["past_origins"], dtype=int))
    past = np.asarray(amazon["past_expected_orders"], dtype=float)
    return past.reshape(n, len(past_origins), -1), past_origins


def _amazon_cover_sigma(amazon, n, H, cover):
    """(n,) standard deviation of Amazon's sell-through over each product's cover, from its
    P90 margins (independent periods); None without P90s."""
    if amazon is None or amazon.get("sellthrough_p90") is None \
            or amazon.get("sellthrough_mean") is None:
        return None
    sell = _width(amazon["sellthrough_mean"], n, H)
    p90 = _width(amazon["sellthrough_p90"], n, H)
    known = np.isfinite(sell).any(axis=1)
    p90 = np.where(np.isfinite(p90) | ~np.isfinite(sell), p90, sell)  # no P90: no margin
    # weeks Amazon left out (e.g. the current one) take the mean of the others
    margin = safety_from_p90(sell, p90, cover, review=0)[:, 0]
    return np.where(known, margin / Z90, 0.0)


def _amazon_path(amazon, n, H, h_max):
    """(n, h_max) Amazon's expected orders, NaN without a signal; past H at the mean rate of
    its last four periods."""
    path = np.full((n, h_max), np.nan)
    if amazon is None or amazon.get("sellthrough_mean") is None:
        return path
    sell = _width(amazon["sellthrough_mean"], n, H)
    if any(amazon.get(k) is not None for k in ("on_hand", "open_po")):
        lead = _per_product(amazon.get("lead_time"), n, 1.0)
        review = amazon.get("review", 1)
        safety = None
        if amazon.get("sellthrough_p90") is not None:
            p90 = _width(amazon["sellthrough_p90"], n, H)
            safety = safety_from_p90(sell, np.where(np.isfinite(p90), p90, sell), lead, review)
        signal = amazon_expected_orders(sell, amazon.get("on_hand"), amazon.get("open_po"),
                                        lead, review, safety)
    else:  # no inventory figures: in steady state Amazon orders what it sells
        signal = np.where(np.isfinite(sell), np.maximum(sell, 0.0), np.nan)
    path[:, :H] = signal
    if h_max > H:
        tail = signal[:, -min(4, H):]
        cnt = np.isfinite(tail).sum(axis=1)
        rate = np.divide(np.where(np.isfinite(tail), tail, 0.0).sum(axis=1), cnt,
                         out=np.full(n, np.nan), where=cnt > 0)
        path[:, H:] = rate[:, None]
    return path


def _width(a, n, H):
    """(n, H) float array from ``a`` (n, k): cut or padded with NaN."""
    a = np.asarray(a, dtype=float).reshape(n, -1)
    if a.shape[1] < H:
        a = np.concatenate([a, np.full((n, H - a.shape[1]), np.nan)], axis=1)
    return a[:, :H]


def _sigma_today(hist, sigma, rate):
    """One-step RMSE today; without errors to measure it, the larger of the variance of what
    was observed and the forecast rate (Poisson-like)."""
    mean = hist.mean_at(hist.T)
    count = hist.n_obs
    sq = np.where(hist.obs, (hist.y0 - mean[:, None]) ** 2, 0.0).sum(axis=1)
    var = np.divide(sq, count - 1, out=np.zeros(hist.n), where=count > 1)
    fallback = np.sqrt(np.maximum(np.maximum(var, rate), 0.0))
    return np.where(np.isfinite(sigma), sigma, fallback)


def _past_errors(hist, own, index, past, past_origins):
    """Mean squared errors (scaled by the product's naive scale) of our forecasts and of
    Amazon's past expected orders over the same past periods, and the number of past
    forecasts compared, per product."""
    n, h = hist.n, past.shape[2]
    scale = hist.naive_scale_at(hist.T)
    fallback = np.maximum(hist.mean_at(hist.T), 1e-9) ** 2
    scale = np.where(np.isfinite(scale) & (scale > 0), scale, fallback)
    own_sum, amz_sum, windows = np.zeros(n), np.zeros(n), np.zeros(n)
    for j, o in enumerate(past_origins):
        if int(o) not in index or o >= hist.T:
            continue
        idx = np.arange(o, o + h)
        inside = idx < hist.T
        actual = np.full((n, h), np.nan)
        actual[:, inside] = hist.Y[:, idx[inside]]
        ours = own.path(h, [index[int(o)]])[:, 0, :]
        theirs = past[:, j, :]
        ok = np.isfinite(actual) & np.isfinite(theirs)
        cnt = ok.sum(axis=1)
        a = np.where(ok, actual, 0.0)
        own_sum += np.where(ok, (a - ours) ** 2, 0.0).sum(axis=1) / np.maximum(cnt, 1)
        amz_sum += np.where(ok, (a - np.where(ok, theirs, 0.0)) ** 2, 0.0).sum(axis=1) \
            / np.maximum(cnt, 1)
        windows += cnt > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        own_mse = np.where(windows > 0, own_sum / windows / scale, np.nan)
        amz_mse = np.where(windows > 0, amz_sum / windows / scale, np.nan)
    return own_mse, amz_mse, windows


__all__ = ["CLASSES", "DEFAULT_CANDIDATES", "METHODS", "Classification", "EngineParams",
           "ForecastResult", "amazon_expected_orders", "classify", "forecast"]
