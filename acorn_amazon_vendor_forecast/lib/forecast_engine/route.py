"""Our own forecast: each demand class routed to its candidate methods, the best kept.

smooth and erratic: SES, damped-trend ETS, moving average (and, where two full years exist,
a seasonal SES and a seasonal damped-trend ETS); intermittent: TSB, ADIDA, IMAPA,
Croston-SBA, an empirical Bayes rate; lumpy: ADIDA, IMAPA, TSB, the empirical Bayes rate.
Per class, the candidate or the equal-weight combination of the candidates with the least
rolling-origin RMSSE wins (select.py). New
products get the mean of what they sold; obsolete products zero.
"""
import numpy as np

from . import methods as m
from .paths import Combined, Constant, Factored, stitch
from .seasonal import seasonal_damped, seasonal_ses
from .select import Windows, choose, mean_score, per_product_mean

METHODS = ("ses", "tsb", "croston_sba", "adida", "imapa", "eb", "ma", "ets", "combined",
           "amazon", "zero")

# Candidates per class, in order of preference on ties.
DEFAULT_CANDIDATES = {
    "smooth": ("ses", "ets", "ma"),
    "erratic": ("ses", "ets", "ma"),
    "intermittent": ("tsb", "adida", "imapa", "croston_sba", "eb"),
    "lumpy": ("adida", "imapa", "tsb", "eb"),
}
ROUTED = tuple(DEFAULT_CANDIDATES)
SEASONAL_CLASSES = ("smooth", "erratic")  # where the seasonal methods compete
MIN_POOLED = 30  # scored products a class needs to share parameters and learn a calibration
CALIBRATION_RANGE = (0.8, 1.2)
# classes whose correction is the ratio of sums (no bias) rather than least squares: there
# the forecast is nearly as noisy as the demand (sparse demand, or erratic sizes: CV² at or
# above the cut-off) and least squares shrinks it (biased low); smooth demand keeps least
# squares, whose shrinkage there is small and pays in accuracy
RATIO_CLASSES = ("intermittent", "lumpy", "erratic")
SPARSE_K = 3  # fewer demands than this before an origin: a sparse history
MIN_SEASONAL = 5  # products with two years of history needed to judge seasonality


def candidates_for(method_by_class, cls):
    """(candidate names, mode): mode "auto" (choose among them and their combination),
    "combined" (their combination, no choice) or "fixed" (a single method)."""
    choice = (method_by_class or {}).get(cls)
    if choice is None:
        return DEFAULT_CANDIDATES[cls], "auto"
    if isinstance(choice, str):
        if choice == "combined":
            return DEFAULT_CANDIDATES[cls], "combined"
        if choice not in METHODS or choice == "amazon":
            raise ValueError("unknown method %r for class %r" % (choice, cls))
        return (choice,), "fixed"
    choice = tuple(choice)
    unknown = [c for c in choice if c not in METHODS or c in ("amazon", "combined")]
    if unknown or not choice:
        raise ValueError("unknown methods %r for class %r" % (unknown, cls))
    return choice, "auto"


def run_method(name, hist, origins, ses_variants=None):
    """Variants [(label, paths), ...] of one method on ``hist``'s products."""
    if name == "ses":
        return ses_variants if ses_variants is not None else m.ses(hist, origins)[0]
    if name == "tsb":
        return m.tsb(hist, origins)
    if name == "croston_sba":
        return m.croston_sba(hist, origins)
    if name == "adida":
        return m.adida(hist, origins, m.aggregation_levels(hist))
    if name == "imapa":
        return m.imapa(hist, origins, m.aggregation_levels(hist))
    if name == "ma":
        return m.moving_average(hist, origins)
    if name == "ets":
        return m.damped_trend(hist, origins)
    if name == "eb":
        return m.empirical_bayes(hist, origins)
    if name == "zero":
        return [("zero", Constant(origins, np.zeros(hist.n)))]
    raise ValueError("unknown method %r" % name)


class OwnForecast:
    """Paths of our own forecast for every product, and how they were chosen."""

    def __init__(self, n):
        self.method = np.full(n, "zero", dtype=object)
        self.seasonal = np.zeros(n, dtype=bool)
        self.rolling_rmsse = np.full(n, np.nan)
        self.correction = np.ones(n)  # the class's factor on each product's forecast today
        self.scores = {}
        self.pieces = []
        self.paths = None


def own_forecast(hist, classes, origins, ks_sel, sel, h_sel, season_length,
                 method_by_class=None):
    """Route every class; returns (OwnForecast, sigma (n, K) one-step RMSE of SES)."""
    n, T = hist.n, hist.T
    ses_variants, sigma, _ = m.ses(hist, origins)
    scale = hist.naive_scale_at(T)
    out = OwnForecast(n)
    for cls in ROUTED:
        rows = np.nonzero(classes == cls)[0]
        if rows.size:
            _route_class(out, cls, rows, hist, origins, ks_sel, sel, h_sel, scale,
                         [(label, p.rows(rows)) for label, p in ses_variants],
                         season_length, method_by_class)
    rows = np.nonzero(classes == "new")[0]
    if rows.size:
        out.pieces.append((rows, m.historical_mean(hist.take(rows), origins)))
        out.method[rows] = np.where(hist.n_obs[rows] > 0, "ma", "zero")
    rows = np.nonzero(classes == "obsolete")[0]
    if rows.size:
        out.pieces.append((rows, Constant(origins, np.zeros(rows.size))))
        out.method[rows] = "zero"
    out.paths = stitch(n, origins, out.pieces)
    return out, sigma


def _route_class(out, cls, rows, hist, origins, ks_sel, sel, h_sel, scale, ses_variants,
                 season_length, method_by_class):
    sub = hist.take(rows)
    windows = Windows(sub, ks_sel, sel, h_sel, scale[rows])
    pooled = windows.scored() >= MIN_POOLED
    names, mode = candidates_for(method_by_class, cls)
    cands = {name: run_method(name, sub, origins, ses_variants) for name in names}
    if mode == "combined" and len(cands) > 1:
        picks = choose(cands, windows, combine=False, pooled=pooled)[4]
        cands = {"combined": [("equal weights",
                               Combined([dict(cands[k])[v] for k, v in picks.items()]))]}
    name, paths, scores, err, variants = choose(cands, windows, combine=mode == "auto",
                                                pooled=pooled)
    method = np.full(rows.size, "ses" if name == "ses_seasonal" else name, dtype=object)
    seasonal = np.zeros(rows.size, dtype=bool)
    S = int(season_length)
    if mode == "auto" and cls in SEASONAL_CLASSES and 2 <= S <= hist.T // 2:
        paths, method, seasonal, name = _seasonal(sub, origins, windows, S, pooled, name,
                                                  paths, method, scores, variants)
    factor, correction = 1.0, {}
    if pooled and not name.startswith("zero"):
        paths, correction = _correct(windows, paths, sub.cum_nz[:, origins],
                                     ratio=cls in RATIO_CLASSES)
        factor = correction.get("regular", 1.0)
        out.correction[rows] = paths.factor[:, -1]
    err = per_product_mean(windows.rmsse(paths))
    out.pieces.append((rows, paths))
    out.method[rows] = method
    out.seasonal[rows] = seasonal
    out.rolling_rmsse[rows] = err
    out.scores[cls] = {"chosen": name, "scores": scores, "variants": variants,
                       "calibration": factor, "correction": correction,
                       "products": int(rows.size),
                       "scored": windows.scored(), "seasonal": int(seasonal.sum())}


def _seasonal(sub, origins, windows, S, pooled, name, paths, method, scores, variants):
    """Seasonal SES and seasonal damped-trend ETS against the class's choice, on the windows
    where the products had two full years of history: kept (seasonal SES alone or averaged
    with the choice, or the seasonal damped trend) only if it wins there, for the products
    with two full years today."""
    seasonal_variants, eligible = seasonal_ses(sub, origins, S)
    today = eligible[:, -1]
    on = windows.restricted(eligible[:, windows.ks])
    if not today.any() or on.scored() < MIN_SEASONAL:
        return paths, method, np.zeros(sub.n, dtype=bool), name
    _, best, seasonal_score, _, picked = choose({"ses_seasonal": seasonal_variants}, on,
                                                combine=False, pooled=pooled)
    trend_variants, _ = seasonal_damped(sub, origins, S)
    _, best_t, trend_score, _, picked_t = choose({"ets_seasonal": trend_variants}, on,
                                                 combine=False, pooled=pooled)
    options = {"base": paths, "seasonal": best, "average": Combined([paths, best]),
               "trend": best_t}
    # the two seasonal picks were scored on these windows by choose(): not scored again
    base, average = on.rmsse_many([paths, options["average"]])
    trial = {"base": mean_score(base), "seasonal": seasonal_score["ses_seasonal"],
             "average": mean_score(average), "trend": trend_score["ets_seasonal"]}
    labels = {"base": name, "seasonal": "ses_seasonal",
              "average": "combined(%s, ses_seasonal)" % name, "trend": "ets_seasonal"}
    scores.update({"%s (2 years of history)" % labels[k]: v for k, v in trial.items()})
    finite = {k: v for k, v in trial.items() if np.isfinite(v)}
    winner = min(finite, key=finite.get) if finite else "base"
    if winner == "base":
        return paths, method, np.zeros(sub.n, dtype=bool), name
    variants["ses_seasonal"] = picked["ses_seasonal"]
    variants["ets_seasonal"] = picked_t["ets_seasonal"]
    rows_s, rows_n = np.nonzero(today)[0], np.nonzero(~today)[0]
    mixed = stitch(sub.n, origins, [(rows_s, options[winner].rows(rows_s)),
                                    (rows_n, paths.rows(rows_n))])
    method = method.copy()
    method[today] = {"seasonal": "ses", "trend": "ets"}.get(winner, "combined")
    chosen = labels[winner]
    return mixed, method, today, chosen


def _correct(windows, paths, demands_before, ratio=False):
    """The class's correction of its forecasts: a factor learnt on its selection windows
    (in RMSSE's weighting, clipped to CALIBRATION_RANGE: least squares, or with ``ratio``
    the ratio of actual to forecast sums, which removes the bias; see
    select.Windows.calibration and RATIO_CLASSES), one for sparse and
    one for regular histories (per product and origin: fewer than SPARSE_K demands before
    the origin is sparse), e.g. the slow decline of ageing spare parts, which no smoothing
    method foresees, while products with one or two demands so far follow their own
    pattern. ``demands_before`` (n, K): each product's demands before each origin.
    Returns (Factored paths, {group: factor})."""
    n, K = paths.n, len(paths.origins)
    sparse = demands_before < SPARSE_K
    B = np.ones((n, K))
    out = {}
    for group, mask in (("sparse", sparse), ("regular", ~sparse)):
        on = windows.restricted(mask[:, windows.ks])
        if on.scored() < MIN_POOLED:
            continue
        b = float(np.clip(on.calibration(paths, ratio=ratio), *CALIBRATION_RANGE))
        B[mask] = b
        out[group] = b
    return Factored(paths, B), out
