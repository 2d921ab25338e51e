"""Judge an Odoo test log: fail on failed/errored/skipped tests, no tests, or stray warnings.

Odoo skips browser tours silently (SkipTest) when Chromium or websocket-client is missing,
and a WARNING in a clean run is a defect, so the exit code alone is not enough.
Usage: check_odoo_log.py LOGFILE [ALLOWLIST]
"""
import pathlib
import re
import sys

LEVEL = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (WARNING|ERROR|CRITICAL) (\S+) (\S+): (.*)")
RESULT = re.compile(r"odoo\.tests\.result: (\d+) failed, (\d+) error\(s\) of (\d+) tests")
SKIPPED = re.compile(r"odoo\.tests\.result: skipped (.*)")


def main(log_path, allow_path=None):
    lines = pathlib.Path(log_path).read_text(errors="replace").splitlines()
    allow = []
    if allow_path and pathlib.Path(allow_path).exists():
        allow = [re.compile(p) for p in pathlib.Path(allow_path).read_text().splitlines()
                 if p.strip() and not p.startswith("#")]
    problems, totals = [], [0, 0, 0]
    for line in lines:
        if m := RESULT.search(line):
            for i in range(3):
                totals[i] += int(m.group(i + 1))
        if m := SKIPPED.search(line):
            problems.append(f"skipped test: {m.group(1)}")
        if (m := LEVEL.match(line)) and not any(p.search(line) for p in allow):
            problems.append(f"unexpected {m.group(1)}: {m.group(3)}: {m.group(4)[:300]}")
    failed, errors, total = totals
    if total == 0:
        problems.append("no test ran")
    for problem in problems:
        print(f"  - {problem}")
    bad = failed + errors
    print(f"odoo: {total - bad} passed, {bad} failed")
    return 1 if problems or bad else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
