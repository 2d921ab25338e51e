#!/usr/bin/env bash
# The Vendor Central simulator in the foreground (Ctrl-C stops it).
source "$(dirname "$0")/env.sh"
check_python; check_odoo; ensure_venv project
exec "$PY" "$REPO/tools/sandbox.py" "$@"
