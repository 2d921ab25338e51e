"""Rolling-origin benchmark of the demand forecast engine against statsforecast.

    python tools/forecast_eval.py --data FILE.csv --h 6 --freq M [--origins 4] [--step S]

Runs in the benchmark-only virtualenv (.venv-eval, see tools/forecast_eval.sh): the engine
itself needs numpy alone; statsforecast, pandas and scipy are only here.

Data: long ``unique_id,ds,y`` (series put on the union of all dates: NaN before a series
starts and where a date is absent), a wide file with one column per series and the periods
in rows (first column the period label, NaN = missing), or a wide file with one row per series
and a numeric header (the periods).

Protocol: ORIGINS origins, the last leaving exactly H periods, stepping back STEP periods
(default H; when that would leave the earliest origin with less than half of the series, the
step shrinks so that it keeps half). At each origin every method sees the periods before it
and forecasts H periods. A (series, origin) pair is scored when the series has at least 2
observed training values, a non-zero in-sample scale and all H test periods observed: the same
pairs for every method. Our engine gets the whole panel (NaN included); statsforecast gets each
series' observed training values (NaN dropped), ``freq=1``, ``n_jobs=1``.

Metrics, averaged over the scored (series, origin) pairs:
  RMSSE     sqrt(mean_h (y - f)^2 / scale), scale = in-sample mean of squared one-step naive
            differences (consecutive observed periods).
  TotErr    |sum f - sum y| / (H * in-sample mean |y|): error of the horizon total.
  Bias      (sum f - sum y) / (H * in-sample mean |y|).
  PL80 PL90 pinball loss of the quantile of the horizon total at 0.8 / 0.9, divided by
            H * in-sample mean |y|. Cov90: share of totals at or below the 0.9 quantile.
  Seconds   wall time of fit + predict (quantiles included) over all origins.
Quantiles: the engine's own (lead time = H, review 0). For statsforecast's methods, the
better (on the mean of PL80 and PL90) of two recipes built from their in-sample one-step
residuals e (sigma = RMS of e): 'normal' (total + z_q * sigma * sqrt(H)) and 'empirical'
(total + sigma * sqrt(H) * q-quantile of the sums of H consecutive residuals over
sigma * sqrt(H), pooled over all series). Choosing the better one after the fact favours
them; both are printed.
The last line of the output is one JSON object with the same figures.
"""
import argparse
import json
import os
import pathlib
import sys
import time
import warnings

import numpy as np

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "acorn_amazon_vendor_forecast" / "lib"))

import forecast_engine  # noqa: E402

LEVELS = (0.8, 0.9)
Z = {0.8: 0.8416212335729143, 0.9: 1.2815515655446004}


def fail(message):
    print("error: %s" % message, file=sys.stderr)
    sys.exit(2)


# --- loading -------------------------------------------------------------------------------

def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def load(path):
    """(Y (n, T) with NaN, series ids, description of the format detected)."""
    import pandas as pd

    try:
        with open(path, encoding="utf-8") as handle:
            header = handle.readline().strip()
    except OSError as exc:
        fail("cannot read DATA=%s: %s" % (path, exc.strerror or exc))
    if not header:
        fail("DATA=%s is empty" % path)
    cols = [c.strip().strip('"').lower() for c in header.split(",")]
    if {"unique_id", "ds", "y"} <= set(cols):
        df = pd.read_csv(path, usecols=["unique_id", "ds", "y"])
        try:
            df["ds"] = pd.to_datetime(df["ds"])
        except (ValueError, TypeError):
            pass
        wide = df.pivot_table(index="ds", columns="unique_id", values="y", aggfunc="sum",
                              dropna=False).sort_index()
        return (wide.to_numpy(dtype=float).T, [str(c) for c in wide.columns],
                "long (unique_id, ds, y): %d series, %d periods" % wide.shape[::-1])
    if all(_is_number(c) for c in cols):
        df = pd.read_csv(path)
        return (df.to_numpy(dtype=float), [str(i) for i in range(len(df))],
                "wide, one row per series (numeric header): %d series, %d periods" % df.shape)
    df = pd.read_csv(path)
    values = df.iloc[:, 1:].apply(pd.to_numeric, errors="coerce")
    return (values.to_numpy(dtype=float).T, [str(c) for c in values.columns],
            "wide, one column per series (first column '%s' = period): %d series, "
            "%d periods" % (df.columns[0], values.shape[1], values.shape[0]))


# --- protocol ------------------------------------------------------------------------------

def plan_origins(T, h, n_origins, step=None):
    if step is None:
        step = h
        if n_origins > 1 and T - h - (n_origins - 1) * step < T // 2:
            step = max(1, (T - h - T // 2) // (n_origins - 1))
    origins = [T - h - j * step for j in range(n_origins)][::-1]
    origins = [o for o in origins if o >= 2]
    if not origins:
        fail("series of %d periods are too short for H=%d" % (T, h))
    return origins, step


def in_sample_stats(train):
    """(scale, mean |y|, observed count) per series of a training panel with NaN."""
    obs = ~np.isnan(train)
    d = np.diff(train, axis=1)
    pair = ~np.isnan(d)
    cnt = pair.sum(axis=1)
    scale = np.divide(np.where(pair, d * d, 0.0).sum(axis=1), cnt,
                      out=np.zeros(len(train)), where=cnt > 0)
    n_obs = obs.sum(axis=1)
    level = np.divide(np.where(obs, np.abs(train), 0.0).sum(axis=1), n_obs,
                      out=np.zeros(len(train)), where=n_obs > 0)
    return scale, level, n_obs


def pinball(actual, quantile, q):
    diff = actual - quantile
    return np.where(diff >= 0, q * diff, (q - 1) * diff)


def score(point, quantiles, test, scale, level, h):
    """Per scored pair: rmsse, toterr, bias, pl80, pl90, cov90 (arrays)."""
    rmsse = np.sqrt(np.mean((test - point) ** 2, axis=1) / scale)
    total_f = point.sum(axis=1)
    total_y = test.sum(axis=1)
    denom = h * level
    out = {"rmsse": rmsse, "toterr": np.abs(total_f - total_y) / denom,
           "bias": (total_f - total_y) / denom}
    for q in LEVELS:
        out["pl%d" % round(q * 100)] = pinball(total_y, quantiles[q], q) / denom
    out["cov90"] = (total_y <= quantiles[0.9]).astype(float)
    return out


# --- methods -------------------------------------------------------------------------------

def run_engine(train, h, season_length):
    params = forecast_engine.EngineParams(horizon=h, season_length=season_length,
                                          quantile_levels=(0.5,) + LEVELS)
    start = time.perf_counter()
    res = forecast_engine.forecast(train, params, lead_time=h, review=0)
    seconds = time.perf_counter() - start
    quantiles = {q: res.lt_quantiles[:, 1 + i] for i, q in enumerate(LEVELS)}
    return {"": (res.mean, quantiles)}, seconds


def statsforecast_models(season_length):
    from statsforecast.models import ADIDA, IMAPA, AutoETS, CrostonOptimized

    return [("AutoETS", lambda: AutoETS(season_length=season_length)),
            ("CrostonOptimized", CrostonOptimized), ("ADIDA", ADIDA), ("IMAPA", IMAPA)]


def _sf_frame(train, rows):
    import pandas as pd

    parts = []
    for i in rows:
        values = train[i][~np.isnan(train[i])]
        parts.append(pd.DataFrame({"unique_id": i, "ds": np.arange(len(values)), "y": values}))
    return pd.concat(parts, ignore_index=True)


def run_statsforecast(name, make, train, h):
    """Point forecasts and both quantile recipes; NaN rows for series not given."""
    from statsforecast import StatsForecast

    n = len(train)
    rows = np.nonzero((~np.isnan(train)).sum(axis=1) >= 2)[0]
    df = _sf_frame(train, rows)
    sf = StatsForecast(models=[make()], freq=1, n_jobs=1)
    start = time.perf_counter()
    fc = sf.forecast(df=df, h=h, fitted=True)
    fitted = sf.forecast_fitted_values()
    seconds = time.perf_counter() - start
    col = [c for c in fc.columns if c not in ("unique_id", "ds")][0]
    point = np.full((n, h), np.nan)
    ids = fc["unique_id"].to_numpy().reshape(-1, h)[:, 0].astype(int)
    point[ids] = fc[col].to_numpy(dtype=float).reshape(-1, h)
    point = np.maximum(np.nan_to_num(point, nan=0.0), 0.0)
    # in-sample one-step residuals per series
    resid = (fitted["y"] - fitted[col]).to_numpy(dtype=float)
    uid = fitted["unique_id"].to_numpy().astype(int)
    sigma = np.zeros(n)
    block_z = []
    bounds = np.flatnonzero(np.diff(uid)) + 1
    for part, idx in zip(np.split(resid, bounds), np.split(uid, bounds), strict=True):
        e = part[np.isfinite(part)]
        if not e.size:
            continue
        s = np.sqrt(np.mean(e * e))
        sigma[idx[0]] = s
        if e.size >= h and s > 0:
            sums = np.convolve(e, np.ones(h), mode="valid")
            block_z.append(sums / (s * np.sqrt(h)))
    pool = np.concatenate(block_z) if block_z else np.zeros(1)
    total = point.sum(axis=1)
    spread = sigma * np.sqrt(h)
    recipes = {
        "normal": {q: np.maximum(total + Z[q] * spread, 0.0) for q in LEVELS},
        "empirical": {q: np.maximum(total + np.quantile(pool, q) * spread, 0.0)
                      for q in LEVELS},
    }
    return {r: (point, qs) for r, qs in recipes.items()}, seconds


# --- main ----------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--h", type=int, required=True)
    parser.add_argument("--freq", required=True, choices=["W", "M", "w", "m"])
    parser.add_argument("--origins", type=int, default=4)
    parser.add_argument("--step", type=int, default=None)
    parser.add_argument("--only-engine", action="store_true",
                        help="skip statsforecast (quick engine runs)")
    args = parser.parse_args(argv)
    if not os.path.isfile(args.data):
        fail("DATA=%s: no such file" % args.data)
    if args.h < 1 or args.origins < 1:
        fail("H and ORIGINS must be positive")
    season_length = 52 if args.freq.upper() == "W" else 12
    warnings.filterwarnings("ignore")

    Y, _ids, fmt = load(args.data)
    n, T = Y.shape
    origins, step = plan_origins(T, args.h, args.origins, args.step)
    print("data: %s" % args.data)
    print("format detected: %s" % fmt)
    print("H=%d FREQ=%s (season length %d); origins (periods of history): %s, step %d"
          % (args.h, args.freq.upper(), season_length, origins, step))

    methods = [("engine", None)]
    if not args.only_engine:
        methods += statsforecast_models(season_length)
    results = {}  # (method, recipe) -> list of score dicts
    seconds = {name: 0.0 for name, _ in methods}
    scored_total = 0
    for o in origins:
        train, test = Y[:, :o], Y[:, o:o + args.h]
        scale, level, n_obs = in_sample_stats(train)
        ok = (n_obs >= 2) & (scale > 0) & ~np.isnan(test).any(axis=1)
        scored_total += int(ok.sum())
        for name, make in methods:
            if make is None:
                out, secs = run_engine(train, args.h, season_length)
            else:
                out, secs = run_statsforecast(name, make, train, args.h)
            seconds[name] += secs
            for recipe, (point, quantiles) in out.items():
                s = score(point[ok], {q: v[ok] for q, v in quantiles.items()}, test[ok],
                          scale[ok], level[ok], args.h)
                results.setdefault((name, recipe), []).append(s)

    def summary(key):
        parts = results[key]
        return {m: float(np.mean(np.concatenate([p[m] for p in parts])))
                for m in parts[0]}

    table = {}
    recipes_used = {}
    for name, _ in methods:
        keys = [k for k in results if k[0] == name]
        sums = {k: summary(k) for k in keys}
        best = min(keys, key=lambda k: sums[k]["pl80"] + sums[k]["pl90"])
        table[name] = dict(sums[best], seconds=seconds[name])
        recipes_used[name] = best[1] or "engine"
        if len(keys) > 1:
            table[name]["quantile_recipes"] = {k[1]: {"pl80": sums[k]["pl80"],
                                                      "pl90": sums[k]["pl90"],
                                                      "cov90": sums[k]["cov90"]}
                                               for k in keys}

    print("scored (series, origin) pairs: %d" % scored_total)
    header = "%-18s %7s %7s %7s %7s %7s %6s %9s  %s" % (
        "method", "RMSSE", "TotErr", "Bias", "PL80", "PL90", "Cov90", "Seconds", "quantiles")
    print(header)
    print("-" * len(header))
    for name, row in table.items():
        print("%-18s %7.4f %7.4f %+7.4f %7.4f %7.4f %6.3f %9.2f  %s" % (
            name, row["rmsse"], row["toterr"], row["bias"], row["pl80"], row["pl90"],
            row["cov90"], row["seconds"], recipes_used[name]))
    for name, row in table.items():
        for recipe, r in row.get("quantile_recipes", {}).items():
            print("  %-16s %-9s PL80 %.4f  PL90 %.4f  Cov90 %.3f" % (
                name, recipe, r["pl80"], r["pl90"], r["cov90"]))

    verdict = {}
    if not args.only_engine:
        ours = table["engine"]
        for rival in ("AutoETS", "CrostonOptimized"):
            verdict["rmsse_beats_" + rival] = ours["rmsse"] < table[rival]["rmsse"]
            verdict["pl90_beats_" + rival] = ours["pl90"] < table[rival]["pl90"]
        verdict["speedup_vs_AutoETS"] = table["AutoETS"]["seconds"] / max(ours["seconds"],
                                                                           1e-9)
        print("engine vs AutoETS / CrostonOptimized: RMSSE %s / %s, PL90 %s / %s; "
              "%.1fx faster than AutoETS" % (
                  *("better" if verdict[k] else "NOT better" for k in (
                      "rmsse_beats_AutoETS", "rmsse_beats_CrostonOptimized",
                      "pl90_beats_AutoETS", "pl90_beats_CrostonOptimized")),
                  verdict["speedup_vs_AutoETS"]))
    print(json.dumps({"data": os.path.basename(args.data), "format": fmt, "h": args.h,
                      "freq": args.freq.upper(), "season_length": season_length,
                      "origins": origins, "step": step, "scored_pairs": scored_total,
                      "methods": table, "quantiles_used": recipes_used,
                      "verdict": verdict}, sort_keys=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
