"""Multiplicative seasonality: indices per period of the year, and seasonal SES.

The indices at an origin use only the full years before it, the last MAX_YEARS at most
(seasons drift: older years describe a pattern that has moved): each period's demand over its
year's mean, averaged over the years, smoothed over neighbouring weeks (weekly data is noisy
and a week is much like the next; neighbouring months are different seasons and are not
mixed), shrunk towards 1 by signal / (signal + noise) (the noise of an index from the spread
of the same period's ratio across the years, the signal from the spread of the indices in
excess of that noise: a clear pattern is kept whole, a noisy one mostly discarded) and
normalised to a mean of 1. A product needs two full years for any seasonality.

Seasonal SES smooths the deseasonalised history and multiplies its flat forecast back by the
indices; the seasonal damped trend does the same with damped-trend ETS (growing or declining
seasonal demand). Both are recomputed at every origin with that origin's indices (honest
rolling-origin errors), then compete with the non-seasonal candidates of the class.
"""
import warnings

import numpy as np

from .history import History
from .methods import ETS_PHIS, SES_ALPHAS, SES_DEFAULT, _pick, _ses_pass, damped_trend
from .paths import Paths

WEEKS_AVERAGED = 3  # weeks averaged around each week of the year (months: none)
MIN_YEARS = 2
MAX_YEARS = 5  # the most recent full years the indices are learnt from
# the damped trend's grid on deseasonalised data: smaller than methods.ETS_* (one pass per
# origin is needed, the seasonal indices change with the origin)
TREND_ALPHAS = np.array([0.05, 0.1, 0.2, 0.3])
TREND_BETAS = np.array([0.005, 0.02])
TREND_YEARS = 4  # years of history (at most) before each origin the damped trend sees


def season_indices(hist, o, S):
    """(indices (n, S) by absolute position ``t % S``, eligible (n,)) from ``Y[:, :o]``."""
    n = hist.n
    ones = np.ones((n, S))
    years = min(o // S, MAX_YEARS)
    if years < MIN_YEARS:
        return ones, np.zeros(n, dtype=bool)
    start = o - years * S
    X = hist.Y[:, start:o].reshape(n, years, S)
    seen = (~np.isnan(X)).sum(axis=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        year_mean = np.nanmean(X, axis=2)
        good = (seen == S) & (year_mean > 0)
        ratio = np.where(good[:, :, None], X / np.where(good, year_mean, 1.0)[:, :, None],
                         np.nan)
        raw = np.nanmean(ratio, axis=1)  # (n, S) by position since ``start``
        # noise of a smoothed index: spread of one period's ratio across the years
        spread = np.nanmean(np.nanvar(ratio, axis=1, ddof=1), axis=1)  # (n,)
    n_years = good.sum(axis=1)
    eligible = n_years >= MIN_YEARS
    raw = np.where(np.isfinite(raw), raw, 1.0)
    width = WEEKS_AVERAGED if S >= 52 else 1
    half = width // 2
    padded = np.concatenate([raw[:, S - half:], raw, raw[:, :half]], axis=1)
    smooth = np.mean([padded[:, j:j + S] for j in range(width)], axis=0)
    noise = np.nan_to_num(spread, nan=0.0) / (np.maximum(n_years, 1) * width)
    signal = np.maximum(np.var(smooth, axis=1) - noise, 0.0)
    weight = np.divide(signal, signal + noise, out=np.zeros(n), where=signal + noise > 0)
    weight = weight[:, None]
    idx = np.clip(1.0 + weight * (smooth - 1.0), 0.1, 10.0)
    idx = idx / idx.mean(axis=1, keepdims=True)
    idx = np.where(eligible[:, None], idx, 1.0)
    out = np.empty_like(idx)
    out[:, (start + np.arange(S)) % S] = idx
    return out, eligible


def seasonal_ses(hist, origins, S, alphas=SES_ALPHAS, default=SES_DEFAULT):
    """Variants like methods.ses (per-product alpha, then each alpha), seasonal where a
    product has two full years before the origin; eligible (n, K) per origin."""
    origins = np.asarray(origins, dtype=int)
    n, K, G = hist.n, len(origins), len(alphas)
    season = np.ones((n, K, S))
    levels = np.zeros((K, G, n))
    chosen = np.zeros((K, n), dtype=int)
    eligible = np.zeros((n, K), dtype=bool)
    for i, o in enumerate(origins):
        idx, eligible[:, i] = season_indices(hist, o, S)
        season[:, i, :] = idx
        factors = idx[:, np.arange(o) % S]
        deseason = hist.y0[:, :o] / factors
        rec_level, rec_sse, rec_cnt = _ses_pass(deseason, hist.obs[:, :o], alphas, [o])
        levels[i] = rec_level[0]
        chosen[i] = _pick(rec_sse, rec_cnt, default)[0]
    opt = np.take_along_axis(levels, chosen[:, None, :], axis=1)[:, 0, :]
    season_of = np.arange(K)
    variants = [("per product", Paths(origins, opt.T, season=season, season_of=season_of))]
    for g in range(G):
        variants.append(("alpha=%g" % alphas[g], Paths(origins, levels[:, g, :].T, season=season,
                                          season_of=season_of)))
    return variants, eligible


def seasonal_damped(hist, origins, S):
    """Damped-trend ETS on the deseasonalised last TREND_YEARS years before each origin,
    times the season's indices: variants like methods.damped_trend (per-product parameters,
    then each grid value), seasonal where a product has two full years before the origin
    (else plain damped trend); eligible (n, K) per origin. Recomputed at every origin with
    that origin's indices, in one pass over a panel of n x K rows: row (i, k) is product i's
    window before origin k, deseasonalised by origin k's indices, all windows ending together
    (missing periods, as before a short history, leave the state unchanged)."""
    origins = np.asarray(origins, dtype=int)
    n, K = hist.n, len(origins)
    L = max(min(TREND_YEARS * S, int(origins.max(initial=1))), 1)
    season = np.ones((n, K, S))
    eligible = np.zeros((n, K), dtype=bool)
    stacked = np.full((n, K, L), np.nan)
    for i, o in enumerate(origins):
        idx, eligible[:, i] = season_indices(hist, o, S)
        season[:, i, :] = idx
        span = np.arange(max(o - L, 0), o)
        if span.size:
            stacked[:, i, L - span.size:] = hist.Y[:, span] / idx[:, span % S]
    variants = damped_trend(History(stacked.reshape(n * K, L)), [L], TREND_ALPHAS,
                            TREND_BETAS, ETS_PHIS)
    season_of = np.arange(K)
    return [(label, Paths(origins, p.level.reshape(n, K), trend=p.trend.reshape(n, K),
                          phi=p.phi.reshape(n, K), season=season, season_of=season_of))
            for label, p in variants], eligible
