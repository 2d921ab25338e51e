#!/usr/bin/env bash
# The top-level pytest suite (simulator, transport, system tests, benchmarks' correctness).
source "$(dirname "$0")/env.sh"
check_python; check_odoo; ensure_venv test
cd "$REPO"
exec "$PY" -m pytest -q "$@"
