#!/usr/bin/env bash
# make forecast-eval: the forecast engine against statsforecast on one CSV file, rolling origin.
# Builds .venv-eval, a benchmark-only virtualenv (statsforecast is never needed at run time),
# from requirements/forecast-eval.txt, then runs tools/forecast_eval.py. Stops with one
# actionable line (no traceback) when something is missing.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3.11}"
VENV="$REPO/.venv-eval"
PY="$VENV/bin/python"
REQUIREMENTS="$REPO/requirements/forecast-eval.txt"
VAR="$REPO/var"

die() { echo "error: $*" >&2; exit 1; }

DATA="${DATA:-}" H="${H:-}" FREQ="${FREQ:-}" ORIGINS="${ORIGINS:-4}" STEP="${STEP:-}"
CAL_ORIGINS="${CAL_ORIGINS:-4}" CACHE="${CACHE:-}" GAPS="${GAPS:-missing}"
usage="make forecast-eval DATA=path/to/file.csv H=6 FREQ=M [ORIGINS=4] [CAL_ORIGINS=4] [GAPS=missing|zero] [CACHE=dir]"
[ -n "$DATA" ] || die "DATA is missing: $usage"
[ -f "$DATA" ] || die "DATA=$DATA: no such file"
[ -r "$DATA" ] || die "DATA=$DATA: not readable"
DATA="$(cd "$(dirname "$DATA")" && pwd)/$(basename "$DATA")"
[[ "$H" =~ ^[1-9][0-9]*$ ]] || die "H (the horizon, in periods) must be a positive whole number: $usage"
case "$FREQ" in W | M | w | m) ;; *) die "FREQ must be W (weekly) or M (monthly): $usage" ;; esac
[[ "$ORIGINS" =~ ^[1-9][0-9]*$ ]] || die "ORIGINS must be a positive whole number"
[ -z "$STEP" ] || [[ "$STEP" =~ ^[1-9][0-9]*$ ]] || die "STEP must be a positive whole number"
[[ "$CAL_ORIGINS" =~ ^[0-9]+$ ]] || die "CAL_ORIGINS must be a whole number"
case "$GAPS" in missing | zero) ;; *) die "GAPS must be missing (a period without a row is missing) or zero (no demand): $usage" ;; esac

command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
command -v "$PYTHON" >/dev/null 2>&1 || die "no Python found: install Python 3.11 (Debian: apt-get install python3.11 python3.11-venv) or set PYTHON=/path/to/python3.11"
version="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
[ "$version" = "3.11" ] || die "$PYTHON is Python $version; the pinned benchmark set needs Python 3.11: set PYTHON=/path/to/python3.11"

mkdir -p "$VAR/log"
stamp="$VENV/.installed-$(sha256sum "$REQUIREMENTS" | cut -c1-16)"
if [ ! -x "$PY" ]; then
  echo "==> creating .venv-eval with $PYTHON"
  "$PYTHON" -m venv "$VENV" || die "cannot create a virtualenv: install python3.11-venv"
  echo "*" > "$VENV/.gitignore"  # the whole folder stays out of git
fi
if [ ! -f "$stamp" ]; then
  echo "==> installing the pinned benchmark dependencies (statsforecast; log: var/log/pip-eval.log)"
  "$PY" -m pip install -q --disable-pip-version-check -r "$REQUIREMENTS" \
    >"$VAR/log/pip-eval.log" 2>&1 || die "pip install failed: see var/log/pip-eval.log"
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi

cd "$REPO"
exec "$PY" tools/forecast_eval.py --data "$DATA" --h "$H" --freq "$FREQ" --origins "$ORIGINS" \
  --cal-origins "$CAL_ORIGINS" --gaps "$GAPS" ${STEP:+--step "$STEP"} ${CACHE:+--cache "$CACHE"}
