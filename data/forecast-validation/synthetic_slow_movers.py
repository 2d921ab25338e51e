"""Write the synthetic very-slow-mover set the README quotes (a check of the regime of the
outside test, several thousand monthly series of very intermittent demand; a check, and
since the listing lead's criterion was changed after looking at it, development data).

    python3 data/forecast-validation/synthetic_slow_movers.py var/synthetic_slow_movers.csv
    make forecast-eval DATA=var/synthetic_slow_movers.csv H=12 FREQ=M

3,000 parts x 84 months, every part on offer from the first month (its leading zeros are
real zeros): a demand rate per part drawn from Gamma(shape 0.6, scale 0.05) (0.03 demands a
month on average), one part in three declining linearly to 40 % of it by the last month,
demands per month Poisson(rate), each of a geometric size (p = 0.35, mean 2.9 units).
numpy's generator, seed 7: the same file wherever numpy draws the same stream (numpy does
not promise that across versions; checked with 1.26, sha256 in README.md beside this file).
"""
import sys

import numpy as np


SIZE_P = 0.35  # geometric sizes: mean 1 / SIZE_P units


def draw(n=3000, months=84, seed=7):
    """(generator, demands a month expected (n, months), demands (n, months)): the truth
    behind the set, for synthetic_oracle.py; the generator goes on to draw the sizes."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(0.6, 0.05, size=n)
    decline = np.ones((n, months))
    decline[rng.permutation(n)[: n // 3]] = np.linspace(1.0, 0.4, months)[None, :]
    expected = rate[:, None] * decline
    return rng, expected, rng.poisson(expected)


def main(path, n=3000, months=84, seed=7):
    rng, _expected, demands = draw(n, months, seed)
    with open(path, "w", encoding="utf-8") as out:
        out.write("unique_id,ds,y\n")
        for i in range(n):
            for t in range(months):
                k = demands[i, t]
                units = rng.geometric(SIZE_P, size=k).sum() if k else 0
                out.write("s%04d,%d-%02d-01,%d\n" % (i, 2000 + t // 12, t % 12 + 1, units))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: synthetic_slow_movers.py OUT.csv")
    main(sys.argv[1])
