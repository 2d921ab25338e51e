"""Rolling-origin benchmark of the demand forecast engine against statsforecast.

    python tools/forecast_eval.py --data FILE.csv --h 6 --freq M [--origins 4] [--step S]
                                  [--cal-origins 4] [--only-engine] [--cache DIR]

Runs in the benchmark-only virtualenv (.venv-eval, see tools/forecast_eval.sh): the engine
itself needs numpy alone; statsforecast, pandas and scipy are only here.

Data: long ``unique_id,ds,y`` (dates put on a regular grid of FREQ periods, rows of one
period summed; integer ``ds`` are period numbers; NaN before a series' first row and for an
empty y; a period without a row after it is missing, or zero demand with ``--gaps zero``
for files that leave out periods without demand), a wide file with one column per series and
the periods in rows (first column the period label, NaN = missing), or a wide file with one
row per series and a numeric header (the periods).

Protocol: ORIGINS test origins, the last leaving exactly H periods, stepping back STEP periods
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
  PLq       pinball loss of the q quantile of the horizon total (q = 0.8, 0.9, 0.95), divided
            by H * in-sample mean |y|. Covq: share of totals at or below the q quantile.
  Seconds   wall time of fit + predict (quantiles included) at the test origins.

Quantiles of the horizon total, two recipes per method, both fixed in advance (no recipe is
chosen on the test windows):
  native     the engine: its own quantiles (lead time = H, review 0), calibrated inside the
             engine on the training part only. statsforecast's methods: total + z_q * sigma *
             sqrt(H), sigma the RMS of their in-sample one-step residuals.
  conformal  the same recipe for every method (the engine included): the method's own
             out-of-sample errors of the H-period total at CAL_ORIGINS earlier origins inside
             the training part (every origin o' with o' + H <= the test origin, on the grid of
             the test origins stepped back), each divided by sqrt(H) times the series' RMSSE
             scale before o' (an origin where the method cannot run, e.g. AutoETS on 4
             observations, gives no errors); pooled per demand class of the series
             (Syntetos-Boylan on the training part, all classes together when a class has
             fewer than 30 errors); the
             q-quantile of the pool times sqrt(H) * today's scale is added to the method's
             total (clipped at 0). The runs at the calibration origins are not timed.
The verdict compares the engine's native figures with each rival's better recipe.
The last line of the output is one JSON object with the same figures.
"""
import argparse
import hashlib
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

LEVELS = (0.8, 0.9, 0.95)
Z = {0.8: 0.8416212335729143, 0.9: 1.2815515655446004, 0.95: 1.6448536269514722}
RIVALS = ("AutoETS", "CrostonOptimized", "ADIDA", "IMAPA")
MIN_POOL = 30
# groups of (series, origin) pairs by the periods with demand before the origin: the bias of
# intermittent demand is made in the first ones (a past mean of one or two sales; none is
# possible only with returns, negative values)
DEMAND_GROUPS = ((0, 1), (2, 2), (3, 5), (6, 10), (11, None))
MIN_CAL_TRAIN = 4  # periods of training a calibration origin needs at least
SPEEDUP_TARGET = 50.0


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


def _period_grid(ds, freq):
    """Each row's period number on a regular grid of FREQ from the first to the last date
    (dates in one period fall together, a period no series has stays on the grid), the
    grid's length and what it is; None when the labels are neither dates nor period numbers
    (they are then taken as sorted)."""
    import pandas as pd

    if pd.api.types.is_integer_dtype(ds):  # period numbers (pd.to_datetime would read epochs)
        number = (ds - ds.min()).to_numpy()
        return number, int(number.max()) + 1, "numbered periods"
    if pd.api.types.is_numeric_dtype(ds):
        return None
    try:
        dates = pd.to_datetime(ds)
    except (ValueError, TypeError):
        return None
    ordinal = pd.PeriodIndex(dates.dt.to_period("W" if freq.upper() == "W" else "M")).asi8
    number = ordinal - ordinal.min()
    return number, int(number.max()) + 1, "periods of FREQ=%s" % freq.upper()


def load(path, freq="M", gaps="missing"):
    """(Y (n, T) with NaN, series ids, description of the format detected, notes)."""
    import pandas as pd

    notes = []
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
        df["unique_id"] = df["unique_id"].astype(str)
        grid = _period_grid(df["ds"], freq)
        if grid is None:
            labels = np.sort(df["ds"].unique())
            df["period"], T, what = np.searchsorted(labels, df["ds"]), len(labels), "periods"
        else:
            df["period"], T, what = grid
        ids = sorted(df["unique_id"].unique())
        row = np.searchsorted(ids, df["unique_id"])
        # A row with an empty y stays missing; absent rows are decided below.
        sums = df.assign(row=row).groupby(["row", "period"])["y"].sum(min_count=1)
        Y = np.full((len(ids), T), np.nan)
        present = np.zeros((len(ids), T), dtype=bool)
        r, c = sums.index.get_level_values(0), sums.index.get_level_values(1)
        Y[r, c], present[r, c] = sums.to_numpy(dtype=float), True
        started = np.maximum.accumulate(present, axis=1)
        absent = started & ~present  # no row after the series' first one
        if absent.any():
            if gaps == "zero":
                Y[absent] = 0.0
                notes.append("%d periods without a row after a series' first row (%d series) "
                             "read as zero demand (GAPS=zero)"
                             % (absent.sum(), absent.any(axis=1).sum()))
            else:
                notes.append("%d periods without a row after a series' first row (%d series) "
                             "are missing: windows holding them are not scored; if the file "
                             "leaves out periods without demand, run with GAPS=zero"
                             % (absent.sum(), absent.any(axis=1).sum()))
        return (Y, ids, "long (unique_id, ds, y): %d series, %d %s" % (len(ids), T, what),
                notes)
    if all(_is_number(c) for c in cols):
        df = pd.read_csv(path)
        return (df.to_numpy(dtype=float), [str(i) for i in range(len(df))],
                "wide, one row per series (numeric header): %d series, %d periods" % df.shape,
                notes)
    df = pd.read_csv(path)
    values = df.iloc[:, 1:].apply(pd.to_numeric, errors="coerce")
    return (values.to_numpy(dtype=float).T, [str(c) for c in values.columns],
            "wide, one column per series (first column '%s' = period): %d series, "
            "%d periods" % (df.columns[0], values.shape[1], values.shape[0]), notes)


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


def calibration_origins(origins, step, h, n_cal):
    """Origins before the first test origin, on the same grid, with enough training: as many
    as give the first test origin ``n_cal`` windows that end before it."""
    first = origins[0]
    cal = [first - j * step for j in range(1, n_cal + -(-h // step))]
    return sorted(o for o in set(cal) if o >= MIN_CAL_TRAIN)


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
    """Per scored pair: rmsse, toterr, bias, plq and covq for each level (arrays)."""
    rmsse = np.sqrt(np.mean((test - point) ** 2, axis=1) / scale)
    total_f = point.sum(axis=1)
    total_y = test.sum(axis=1)
    denom = h * level
    out = {"rmsse": rmsse, "toterr": np.abs(total_f - total_y) / denom,
           "bias": (total_f - total_y) / denom}
    for q in LEVELS:
        out["pl%d" % round(q * 100)] = pinball(total_y, quantiles[q], q) / denom
    for q in LEVELS:
        out["cov%d" % round(q * 100)] = (total_y <= quantiles[q]).astype(float)
    return out


# --- the common (conformal) recipe -----------------------------------------------------------

def conformal_quantiles(Y, h, o, point_at, cal, classes):
    """Quantiles of the H-period total from origin ``o`` by the common recipe.

    ``point_at`` {origin: (n, h) point forecasts}, ``cal`` the calibration origins available,
    ``classes`` (n,) demand classes at ``o``. Only data before ``o`` is used."""
    n = Y.shape[0]
    zs, oks = [], []
    for c in cal:
        if c + h > o or c not in point_at:  # not over yet, or the method could not run
            continue
        scale_c = np.sqrt(in_sample_stats(Y[:, :c])[0]) * np.sqrt(h)
        actual = Y[:, c:c + h].sum(axis=1)  # NaN when a period is missing
        ok = np.isfinite(actual) & (scale_c > 0) & ((~np.isnan(Y[:, :c])).sum(axis=1) >= 2)
        z = np.divide(actual - point_at[c].sum(axis=1), scale_c, out=np.zeros(n),
                      where=ok)
        zs.append(z)
        oks.append(ok)
    scale_o = np.sqrt(in_sample_stats(Y[:, :o])[0]) * np.sqrt(h)
    total = point_at[o].sum(axis=1)
    out = {}
    if not zs:  # no window before this origin: a normal shape on the naive scale
        for q in LEVELS:
            out[q] = np.maximum(total + Z[q] * scale_o, 0.0)
        return out
    z, ok = np.stack(zs, axis=1), np.stack(oks, axis=1)
    every = z[ok]
    for q in LEVELS:
        out[q] = np.zeros(n)
    for cls in np.unique(classes):
        rows = classes == cls
        pool = z[rows][ok[rows]]
        if pool.size < MIN_POOL:
            pool = every
        for q in LEVELS:
            shift = np.quantile(pool, q) if pool.size else Z[q]
            out[q][rows] = np.maximum(total[rows] + shift * scale_o[rows], 0.0)
    return out


# --- methods -------------------------------------------------------------------------------

def run_engine(train, h, season_length):
    params = forecast_engine.EngineParams(horizon=h, season_length=season_length,
                                          quantile_levels=(0.5,) + LEVELS)
    start = time.perf_counter()
    res = forecast_engine.forecast(train, params, lead_time=h, review=0)
    seconds = time.perf_counter() - start
    quantiles = {q: res.lt_quantiles[:, 1 + i] for i, q in enumerate(LEVELS)}
    return res.mean, quantiles, seconds


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


def run_statsforecast(make, train, h):
    """(point (n, h), in-sample residual RMS sigma (n,), seconds); zeros for series with
    fewer than 2 observations."""
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
    resid = (fitted["y"] - fitted[col]).to_numpy(dtype=float)
    uid = fitted["unique_id"].to_numpy().astype(int)
    sigma = np.zeros(n)
    bounds = np.flatnonzero(np.diff(uid)) + 1
    for part, idx in zip(np.split(resid, bounds), np.split(uid, bounds), strict=True):
        e = part[np.isfinite(part)]
        if e.size:
            sigma[idx[0]] = np.sqrt(np.mean(e * e))
    return point, sigma, seconds


class Cache:
    """statsforecast's results per (data, method, origin, H), to rerun the engine quickly.
    Off unless --cache is given; the README's figures come from runs without it."""

    def __init__(self, folder, data_path, h, season_length):
        self.folder = pathlib.Path(folder) if folder else None
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256(pathlib.Path(data_path).read_bytes()).hexdigest()[:16]
            self.prefix = "%s-h%d-s%d" % (digest, h, season_length)

    def get(self, name, origin, compute):
        if not self.folder:
            return compute()
        path = self.folder / ("%s-%s-o%d.npz" % (self.prefix, name, origin))
        if path.exists():
            data = np.load(path)
            return data["point"], data["sigma"], float(data["seconds"])
        point, sigma, seconds = compute()
        np.savez(path, point=point, sigma=sigma, seconds=seconds)
        return point, sigma, seconds


def _group_label(low, high):
    if high is None:
        return "%d+" % low
    return str(low) if low == high else "%d-%d" % (low, high)


def bias_by_demands(results, demands_of):
    """{method: {"groups": {group: {"share", "bias", "part"}}, "sum_abs_parts"}}: the pairs
    grouped by their periods with demand before the origin; ``bias`` the group's mean bias
    (None without pairs), ``part`` its share of the total bias (the total is the sum of the
    parts). A bias near zero can be a cancellation, under on the sparse groups, over on the
    busy ones: ``sum_abs_parts`` adds the parts' sizes."""
    out = {}
    for name, parts in demands_of.items():
        demands = np.concatenate(parts)
        bias = np.concatenate([s["bias"] for s in results[(name, "native")]])
        groups = {}
        for low, high in DEMAND_GROUPS:
            rows = (demands >= low) if low > 0 else np.ones(demands.size, bool)
            if high is not None:
                rows &= demands <= high
            groups[_group_label(low, high)] = {
                "share": float(rows.mean()) if rows.size else 0.0,
                "bias": float(bias[rows].mean()) if rows.any() else None,
                "part": float(bias[rows].sum() / bias.size) if bias.size else 0.0}
        out[name] = {"groups": groups,
                     "sum_abs_parts": sum(abs(g["part"]) for g in groups.values())}
    return out


def print_bias_by_demands(by_method):
    first = next(iter(by_method.values()))["groups"]
    print("bias by periods with demand before the origin (share of the pairs): the group's "
          "mean bias / its part of the total bias; sum |part|: the parts' sizes added")
    print("%-17s" % "method" + "".join(
        " %17s" % ("%s (%.0f%%)" % (label, 100 * g["share"])) for label, g in first.items())
        + " %10s" % "sum |part|")
    for name, entry in by_method.items():
        print("%-17s" % name + "".join(
            " %17s" % ("%+.2f / %+.3f" % (g["bias"], g["part"]) if g["bias"] is not None
                       else "-") for g in entry["groups"].values())
            + " %10.3f" % entry["sum_abs_parts"])


# --- main ----------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--h", type=int, required=True)
    parser.add_argument("--freq", required=True, choices=["W", "M", "w", "m"])
    parser.add_argument("--origins", type=int, default=4)
    parser.add_argument("--step", type=int, default=None)
    parser.add_argument("--cal-origins", type=int, default=4,
                        help="earlier origins whose errors calibrate the conformal recipe")
    parser.add_argument("--gaps", choices=["missing", "zero"], default="missing",
                        help="long files: a period without a row after a series' first row is "
                             "missing (default) or zero demand")
    parser.add_argument("--only-engine", action="store_true",
                        help="skip statsforecast (quick engine runs)")
    parser.add_argument("--cache", default=None,
                        help="folder keeping statsforecast's forecasts between runs")
    args = parser.parse_args(argv)
    if not os.path.isfile(args.data):
        fail("DATA=%s: no such file" % args.data)
    if args.h < 1 or args.origins < 1 or args.cal_origins < 0:
        fail("H and ORIGINS must be positive")
    season_length = 52 if args.freq.upper() == "W" else 12
    warnings.filterwarnings("ignore")

    Y, _ids, fmt, notes = load(args.data, args.freq, args.gaps)
    n, T = Y.shape
    origins, step = plan_origins(T, args.h, args.origins, args.step)
    cal = calibration_origins(origins, step, args.h, args.cal_origins)
    print("data: %s" % args.data)
    print("format detected: %s" % fmt)
    for note in notes:
        print("note: %s" % note)
    print("H=%d FREQ=%s (season length %d); test origins (periods of history): %s, step %d; "
          "calibration origins: %s" % (args.h, args.freq.upper(), season_length, origins,
                                       step, cal))

    methods = [("engine", None)]
    if not args.only_engine:
        methods += statsforecast_models(season_length)
    cache = Cache(args.cache, args.data, args.h, season_length)
    results = {}  # (method, recipe) -> list of score dicts
    seconds = {name: 0.0 for name, _ in methods}
    scored_total = 0
    tests = []
    demands_of = {}  # method -> [periods with demand before the origin of each scored pair]
    for o in origins:
        train, test = Y[:, :o], Y[:, o:o + args.h]
        scale, level, n_obs = in_sample_stats(train)
        ok = (n_obs >= 2) & (scale > 0) & ~np.isnan(test).any(axis=1)
        scored_total += int(ok.sum())
        params = forecast_engine.EngineParams(horizon=args.h, season_length=season_length)
        classes = forecast_engine.classify(train, params).demand_class
        demands = (np.nan_to_num(train) > 0).sum(axis=1)
        tests.append((o, test, scale, level, ok, classes, demands))
    if not scored_total:
        fail("no (series, origin) pair can be scored: a pair needs 2 observed training values, "
             "a non-zero scale and all H test periods observed%s"
             % ("" if args.gaps == "zero" else "; if the file leaves out periods without "
                "demand, run with GAPS=zero"))
    grid = sorted(set(cal) | set(origins))
    for name, make in methods:
        point_at, native_at = {}, {}
        for o in grid:
            train = Y[:, :o]
            if make is None:
                point, quantiles, secs = run_engine(train, args.h, season_length)
            else:
                try:
                    point, sigma, secs = cache.get(
                        name, o, lambda make=make, train=train: run_statsforecast(
                            make, train, args.h))
                except Exception as exc:  # e.g. AutoETS: "tiny datasets" at an early origin
                    if o in origins:
                        raise
                    print("  %s cannot run at calibration origin %d (%s): not used"
                          % (name, o, exc), flush=True)
                    continue
                total = point.sum(axis=1)
                quantiles = {q: np.maximum(total + Z[q] * sigma * np.sqrt(args.h), 0.0)
                             for q in LEVELS}
            point_at[o], native_at[o] = point, quantiles
            if o in origins:
                seconds[name] += secs
        for o, test, scale, level, ok, classes, demands in tests:
            recipes = {"native": native_at[o],
                       "conformal": conformal_quantiles(Y, args.h, o, point_at, grid, classes)}
            for recipe, quantiles in recipes.items():
                s = score(point_at[o][ok], {q: v[ok] for q, v in quantiles.items()}, test[ok],
                          scale[ok], level[ok], args.h)
                results.setdefault((name, recipe), []).append(s)
            demands_of.setdefault(name, []).append(demands[ok])
        print("  %s done (%.1f s at the test origins)" % (name, seconds[name]), flush=True)

    def summary(key):
        parts = results[key]
        return {m: float(np.mean(np.concatenate([p[m] for p in parts]))) for m in parts[0]}

    table = {name: {recipe: summary((name, recipe)) for recipe in ("native", "conformal")}
             for name, _ in methods}
    for name in table:
        table[name]["seconds"] = seconds[name]

    print("scored (series, origin) pairs: %d" % scored_total)
    header = "%-17s %-9s %7s %7s %7s %7s %7s %7s %6s %6s %6s %8s" % (
        "method", "quantiles", "RMSSE", "TotErr", "Bias", "PL80", "PL90", "PL95", "Cov80",
        "Cov90", "Cov95", "Seconds")
    print(header)
    print("-" * len(header))
    for name, rows in table.items():
        for recipe in ("native", "conformal"):
            r = rows[recipe]
            print("%-17s %-9s %7.4f %7.4f %+7.4f %7.4f %7.4f %7.4f %6.3f %6.3f %6.3f %8s" % (
                name if recipe == "native" else "", recipe, r["rmsse"], r["toterr"], r["bias"],
                r["pl80"], r["pl90"], r["pl95"], r["cov80"], r["cov90"], r["cov95"],
                "%.2f" % rows["seconds"] if recipe == "native" else ""))

    verdict = {}
    if not args.only_engine:
        ours = table["engine"]["native"]
        lines = []
        for rival in RIVALS:
            best_pl90 = min(table[rival][r]["pl90"] for r in ("native", "conformal"))
            verdict["rmsse_beats_" + rival] = ours["rmsse"] < table[rival]["native"]["rmsse"]
            verdict["pl90_beats_" + rival] = ours["pl90"] < best_pl90
            lines.append("%s: RMSSE %s, PL90 %s" % (
                rival, "better" if verdict["rmsse_beats_" + rival] else "NOT better",
                "better" if verdict["pl90_beats_" + rival] else "NOT better"))
        verdict["bias_within_AutoETS"] = abs(ours["bias"]) <= abs(
            table["AutoETS"]["native"]["bias"])
        verdict["speedup_vs_AutoETS"] = table["AutoETS"]["seconds"] / max(
            table["engine"]["seconds"], 1e-9)
        verdict["all"] = (all(v for k, v in verdict.items() if k.endswith(tuple(RIVALS)))
                          and verdict["bias_within_AutoETS"]
                          and verdict["speedup_vs_AutoETS"] >= SPEEDUP_TARGET)
        print("engine (native quantiles) against each rival's better recipe: " + "; ".join(lines))
        print("engine |bias| %.4f vs AutoETS %.4f: %s; %.1fx faster than AutoETS (target %gx)"
              % (abs(ours["bias"]), abs(table["AutoETS"]["native"]["bias"]),
                 "no worse" if verdict["bias_within_AutoETS"] else "WORSE",
                 verdict["speedup_vs_AutoETS"], SPEEDUP_TARGET))
        print("target met: %s" % ("yes" if verdict["all"] else "NO"))
    groups = bias_by_demands(results, demands_of)
    print_bias_by_demands(groups)
    print(json.dumps({"data": os.path.basename(args.data), "format": fmt, "h": args.h,
                      "freq": args.freq.upper(), "season_length": season_length,
                      "origins": origins, "step": step, "calibration_origins": cal,
                      "scored_pairs": scored_total, "methods": table, "verdict": verdict,
                      "bias_by_demands": groups}, sort_keys=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
