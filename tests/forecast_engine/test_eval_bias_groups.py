"""The harness splits the bias by the periods with demand before the origin
(tools/forecast_eval.py): a total bias near zero can be a cancellation, under on the parts that
sold once or twice and over on the busy ones, which the single figure hides."""
import json

import numpy as np


def test_group_parts_add_up_to_the_bias_and_show_a_cancellation(harness):
    demands = np.array([1, 1, 2, 4, 4, 12, 30, 0])
    bias = np.array([-3.0, -1.0, -0.5, 0.2, 0.4, 0.9, 1.1, 0.0])
    # the total, -0.1125, hides -4.0 under and +2.6 over
    results = {("m", "native"): [{"bias": bias[:4]}, {"bias": bias[4:]}]}
    report = harness.bias_by_demands(results, {"m": [demands[:4], demands[4:]]})["m"]
    groups = report["groups"]

    assert list(groups) == ["0-1", "2", "3-5", "6-10", "11+"]
    # a pair with no demand before the origin (returns only) counts with the first group
    assert groups["0-1"]["share"] == 3 / 8
    assert groups["0-1"]["bias"] == (-3.0 - 1.0 + 0.0) / 3
    assert groups["11+"]["bias"] == 1.0 and np.isclose(groups["3-5"]["bias"], 0.3)
    # a group without pairs has no bias (printed "-"), and no part
    assert groups["6-10"]["bias"] is None and groups["6-10"]["part"] == 0
    assert np.isclose(sum(g["part"] for g in groups.values()), bias.mean())
    assert np.isclose(report["sum_abs_parts"], (4.0 + 0.5 + 0.2 + 0.4 + 2.0) / 8)


def test_the_run_prints_and_reports_the_groups(harness, tmp_path, capsys):
    rng = np.random.default_rng(5)
    Y = np.where(rng.random((40, 30)) < 0.3, rng.integers(1, 5, size=(40, 30)), 0)
    path = tmp_path / "panel.csv"
    path.write_text("unique_id,ds,y\n" + "".join(
        "p%d,%d,%d\n" % (i, t, Y[i, t]) for i in range(40) for t in range(30)))
    harness.main(["--data", str(path), "--h", "6", "--freq", "M", "--only-engine"])
    lines = capsys.readouterr().out.strip().splitlines()
    report = json.loads(lines[-1])
    engine = report["bias_by_demands"]["engine"]
    groups = engine["groups"]
    assert np.isclose(sum(g["part"] for g in groups.values()),
                      report["methods"]["engine"]["native"]["bias"])
    assert np.isclose(sum(g["share"] for g in groups.values()), 1)
    row = next(line for line in lines if line.startswith("engine ") and "/" in line)
    assert row.split()[-1] == "%.3f" % engine["sum_abs_parts"]
