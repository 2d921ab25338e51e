"""What a forecast that knew the truth would score on the synthetic slow movers (README,
"Slow movers' quantiles from a compound of sales and sizes"): the expected demand of every
part and month, and the true quantiles of its horizon total, scored by the harness's own
rules at its test origins (H=12, 4 origins).

    python3 data/forecast-validation/synthetic_oracle.py var/synthetic_slow_movers.csv

It shows where the targets of issue #18 stand on this set: RMSSE prefers forecasts below
the expected demand (a window without a sale costs the forecast itself), so the truth scores
worse than a forecast biased low, and what the truth's quantiles leave as pinball loss.
"""
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "tools"))
sys.path.insert(0, str(HERE.parents[1] / "acorn_amazon_vendor_forecast" / "lib"))

import forecast_eval as fe  # noqa: E402 - after the paths above
from synthetic_slow_movers import SIZE_P, draw  # noqa: E402

H = 12
DRAWS = 4000


def main(path):
    Y, ids, _fmt, _notes = fe.load(path, "M")
    _rng, expected, _demands = draw()
    if list(ids) != ["s%04d" % i for i in range(len(ids))] or expected.shape != Y.shape:
        sys.exit("%s is not the file synthetic_slow_movers.py writes" % path)
    units = expected / SIZE_P  # expected units a month
    origins, _step = fe.plan_origins(Y.shape[1], H, 4)
    rng = np.random.default_rng(1)
    rows = {}
    for o in origins:
        test = Y[:, o:o + H]
        scale, level, n_obs = fe.in_sample_stats(Y[:, :o])
        ok = (n_obs >= 2) & (scale > 0)
        # the true distribution of the total: Poisson demands, geometric sizes
        count = rng.poisson(expected[:, o:o + H].sum(axis=1)[:, None], size=(len(Y), DRAWS))
        total = np.where(count > 0,
                         rng.negative_binomial(np.maximum(count, 1), SIZE_P) + count, 0)
        truth = {q: np.quantile(total, q, axis=1) for q in fe.LEVELS}
        for factor in (1.0, 0.9, 0.8):
            point = factor * units[:, o:o + H]
            s = fe.score(point[ok], {q: v[ok] for q, v in truth.items()}, test[ok], scale[ok],
                         level[ok], H)
            rows.setdefault(factor, []).append(s)
    for factor, parts in rows.items():
        mean = {k: float(np.mean(np.concatenate([p[k] for p in parts]))) for k in parts[0]}
        print("expected demand x %.1f: RMSSE %.4f  bias %+.4f" % (factor, mean["rmsse"],
                                                                  mean["bias"]))
        if factor == 1.0:
            print("true quantiles of the total: pinball 0.8 / 0.9 / 0.95 %.4f / %.4f / %.4f, "
                  "coverage %.3f / %.3f / %.3f" % tuple(mean[k] for k in (
                      "pl80", "pl90", "pl95", "cov80", "cov90", "cov95")))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: synthetic_oracle.py var/synthetic_slow_movers.csv")
    main(sys.argv[1])
