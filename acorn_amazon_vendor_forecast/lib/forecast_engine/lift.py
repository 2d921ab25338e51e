"""A learnt lift of the forecasts of products with one or two demands so far (issue #18).

Every method reads a product that sold once or twice as a very slow mover, and so does RMSSE
(on intermittent demand it prefers forecasts near zero); on spare parts such products then
sold several times their past mean, so the forecast ends up biased low. Their forecast gets a
rate added, ``delta * the product's mean so far`` (its mean over the history as recorded, the
unit in which issue #18 measures the bias), ``delta`` per group (one demand so far, two)
learnt on the selection windows of the history: the least RMSSE over the group's windows
among the ``delta`` of LIFT_GRID that leave them unbiased, bias as issue #18 measures it,
(forecast total - actual total) / (h * the product's mean before the origin), each window
counting alike (choose_lift). A group whose windows show no low bias keeps the ``delta`` of
least RMSSE, in practice none. Each group is judged on its own windows: no group is lifted
past its own bias to make up for another's. Which products count, at every origin, is
decided by what was known then (demands so far; none obsolete then, i.e. ``obsolete_after``
periods or more without a demand), never by today's class, which would pick the windows by
what came after them. The windows' forecasts are the rolling-origin ones (data before each
origin only); the lift at every origin follows the same rule, so the quantile calibration
sees the lifted forecasts of its own windows.
"""
import numpy as np

LIFT_GROUPS = (1, 2)  # demands so far
LIFT_GRID = np.round(np.arange(0.0, 8.001, 0.05), 2)  # added rate, in the product's mean
MIN_WINDOWS = 30  # scored windows a group needs to learn its lift
MU_STEPS = 40  # bisection steps on the price of bias


class Lifted:
    """Another method's paths plus a rate per (product, origin) (n, K), never below 0."""

    def __init__(self, paths, add):
        self.paths = paths
        self.add = np.broadcast_to(np.asarray(add, dtype=float), (paths.n, len(paths.origins)))
        self.origins = paths.origins

    @property
    def n(self):
        return self.paths.n

    def rows(self, idx):
        return Lifted(self.paths.rows(idx), self.add[idx])

    def path(self, h, ks=None):
        ks = np.arange(len(self.origins)) if ks is None else np.atleast_1d(ks)
        return np.maximum(self.paths.path(h, ks) + self.add[:, ks, None], 0.0)

    def flat(self, ks):
        base = self.paths.flat(ks)
        return None if base is None else np.maximum(base + self.add[:, ks], 0.0)

    def final(self, h):
        return self.path(h, [len(self.origins) - 1])[:, 0, :]


def choose_lift(rm, bias):
    """(grid index per group, mu): per group the index minimising ``rm - mu * bias`` (its
    summed RMSSE and bias per grid value), mu the least >= 0 for which the groups' summed bias
    is >= 0 (the largest lift when none reaches it). ``bias`` must rise along the grid. With
    one group: the least RMSSE among the lifts that leave it unbiased."""
    def pick(mu):
        idx = [int(np.argmin(r - mu * b)) for r, b in zip(rm, bias, strict=True)]
        return idx, sum(b[i] for b, i in zip(bias, idx, strict=True))

    idx, total = pick(0.0)
    if total >= 0:
        return idx, 0.0
    lo, hi = 0.0, 1.0
    while pick(hi)[1] < 0 and hi < 1e6:
        hi *= 4
    for _ in range(MU_STEPS):
        mid = (lo + hi) / 2
        if pick(mid)[1] < 0:
            lo = mid
        else:
            hi = mid
    return pick(hi)[0], hi


def sparse_lift(raw, paths, ks, origins, h, obsolete_after):
    """(Lifted paths or ``paths``, added rate (n, K), summary) for the products with one or
    two demands before each origin, unless obsolete then (``obsolete_after`` observed periods
    or more without a demand): at every origin, the windows' included, only what was known at
    that origin decides (today's class would select the windows by what came after them).

    ``raw`` the History as recorded, before any zero is read as "not listed yet" (the mean
    and RMSSE scale of the bias and RMSSE as issue #18 measures them); ``paths`` the forecasts
    at all origins; ``ks`` the indices of the selection ``origins`` whose next ``h`` periods
    judge the lift. summary: {"lift": {demands: delta}, "windows": {demands: windows learnt
    on}, "bias": {demands: (mean bias of the windows before, after)}}."""
    n, K = paths.n, len(paths.origins)
    every = np.asarray(paths.origins, dtype=int)
    demands = raw.cum_nz[:, every]  # (n, K) before each origin
    seen = raw.cum_obs[:, every]
    unit = np.divide(raw.cum_y[:, every], seen, out=np.zeros((n, K)), where=seen > 0)
    group = np.where(raw.quiet_runs_at(every) < obsolete_after, demands, 0)
    summary = {"lift": {}, "windows": {}, "bias": {}}
    none = (paths, np.zeros((n, K)), summary)
    origins = np.asarray(origins, dtype=int)
    if not len(origins) or h < 1:
        return none
    idx = origins[:, None] + np.arange(h)[None, :]
    inside = (idx < raw.T).all(axis=1)
    ks, origins, idx = np.asarray(ks)[inside], origins[inside], idx[inside]
    if not len(origins):
        return none
    actual = raw.Y[:, idx]  # (n, k, h)
    scale = np.stack([raw.naive_scale_at(int(o)) for o in origins], axis=1)
    level = unit[:, ks]
    valid = (np.isfinite(actual).all(axis=2) & (raw.cum_obs[:, origins] >= 2)
             & np.isfinite(scale) & (scale > 0) & (level > 0))
    if not valid.any():
        return none
    fc = paths.path(h, ks)
    act = np.nan_to_num(actual)
    root = np.sqrt(np.where(valid, scale, 1.0))
    grp = group[:, ks]
    add = np.zeros((n, K))
    for g in LIFT_GROUPS:
        on = valid & (grp == g)
        count = int(on.sum())
        if count < MIN_WINDOWS:  # too few windows to learn from: no lift
            continue
        f, a, u = fc[on], act[on], level[on]
        lifted = f[:, :, None] + u[:, None, None] * LIFT_GRID[None, None, :]  # (w, h, G)
        rm = (np.sqrt(((a[:, :, None] - lifted) ** 2).mean(axis=1)) / root[on][:, None]).sum(0)
        # bias of each window: (sum f + h * delta * u - sum a) / (h * u)
        bias = ((f.sum(axis=1) - a.sum(axis=1)) / (h * u)).sum() + count * LIFT_GRID
        (i,), _mu = choose_lift([rm], [bias])
        delta = float(LIFT_GRID[i])
        summary["lift"][g] = delta
        summary["windows"][g] = count
        summary["bias"][g] = (float(bias[0]) / count, float(bias[i]) / count)
        add += np.where(group == g, delta * unit, 0.0)
    if not add.any():
        return paths, add, summary
    return Lifted(paths, add), add, summary
