"""The evaluation harness reads long files onto a regular grid of periods (tools/forecast_eval.py).

A demand export often leaves out the periods without demand; read as missing, every test window
of an intermittent series holds one, nothing is scored and the figures are NaN.
"""
import json

import numpy as np
import pytest


def _write(path, rows):
    path.write_text("unique_id,ds,y\n" + "".join("%s,%s,%s\n" % row for row in rows))
    return str(path)


def test_absent_periods_are_missing_or_zero_demand_as_asked(harness, tmp_path):
    data = _write(tmp_path / "sparse.csv", [
        ("a", "2024-01-01", 3), ("a", "2024-04-01", 2),          # Feb, Mar absent
        ("b", "2024-02-01", 1), ("b", "2024-03-01", ""),          # Mar given but empty
    ])
    Y, ids, fmt, notes = harness.load(data, "M")
    assert ids == ["a", "b"] and Y.shape == (2, 4)
    np.testing.assert_array_equal(Y, [[3, np.nan, np.nan, 2], [np.nan, 1, np.nan, np.nan]])
    assert "3 periods without a row" in notes[0] and "GAPS=zero" in notes[0]

    Y, _ids, _fmt, notes = harness.load(data, "M", gaps="zero")
    # before a series' first row: not on offer yet; an empty y stays missing
    np.testing.assert_array_equal(Y, [[3, 0, 0, 2], [np.nan, 1, np.nan, 0]])
    assert "read as zero demand" in notes[0]


def test_periods_follow_freq_not_the_dates_written(harness, tmp_path):
    # month ends and month starts are the same months; June, which no series has, stays
    data = _write(tmp_path / "monthly.csv", [
        ("a", "2024-03-31", 1), ("a", "2024-04-01", 2), ("a", "2024-04-15", 5),
        ("a", "2024-05-31", 3), ("a", "2024-07-01", 4),
    ])
    Y, _ids, fmt, _notes = harness.load(data, "M")
    np.testing.assert_array_equal(Y, [[1, 7, 3, np.nan, 4]])
    assert "5 periods of FREQ=M" in fmt
    # weekly: Monday and Thursday of one week fall together, a week nobody has stays
    data = _write(tmp_path / "weekly.csv", [
        ("a", "2024-01-01", 1), ("a", "2024-01-04", 2), ("a", "2024-01-15", 3)])
    Y, _ids, _fmt, _notes = harness.load(data, "W")
    np.testing.assert_array_equal(Y, [[3, np.nan, 3]])
    # period numbers are taken as numbers, not as dates
    data = _write(tmp_path / "numbered.csv", [("a", 3, 1), ("a", 5, 2), ("b", 4, 7)])
    Y, _ids, fmt, _notes = harness.load(data, "M", gaps="zero")
    np.testing.assert_array_equal(Y, [[1, 0, 2], [np.nan, 7, 0]])
    assert "of FREQ" not in fmt


def _panel(seed=3, n=60, T=36):
    rng = np.random.default_rng(seed)
    sells = rng.random((n, T)) < rng.uniform(0.1, 0.4, size=(n, 1))
    return np.where(sells, rng.integers(1, 6, size=(n, T)), 0)


def _run(harness, capsys, data, *extra):
    harness.main(["--data", data, "--h", "6", "--freq", "M", "--only-engine", *extra])
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_a_file_without_its_zero_rows_scores_as_the_full_file(harness, tmp_path, capsys):
    Y = _panel()
    Y[:, 1::4] = 0  # every window of 6 periods holds a period without demand
    months = ["%d-%02d-01" % (2020 + t // 12, t % 12 + 1) for t in range(Y.shape[1])]
    full = _write(tmp_path / "full.csv", [
        ("p%02d" % i, months[t], Y[i, t]) for i in range(len(Y)) for t in range(Y.shape[1])])
    # the sparse export keeps each series' first period, then only the periods with demand
    sparse = _write(tmp_path / "sparse.csv", [
        ("p%02d" % i, months[t], Y[i, t]) for i in range(len(Y)) for t in range(Y.shape[1])
        if t == 0 or Y[i, t]])
    expected = _run(harness, capsys, full)
    assert expected["scored_pairs"] > 0
    got = _run(harness, capsys, sparse, "--gaps", "zero")
    assert got["scored_pairs"] == expected["scored_pairs"]
    assert got["methods"]["engine"]["native"] == expected["methods"]["engine"]["native"]

    # read as missing, nothing can be scored: one clear line instead of a table of NaN
    with pytest.raises(SystemExit) as stop:
        harness.main(["--data", sparse, "--h", "6", "--freq", "M", "--only-engine"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "no (series, origin) pair can be scored" in err and "GAPS=zero" in err
