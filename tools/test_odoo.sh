#!/usr/bin/env bash
# Odoo test runner: a fresh database, the addons installed, their tests run, the log judged.
source "$(dirname "$0")/env.sh"
check_python; check_odoo; check_postgres; ensure_venv test; ensure_system_packages
"$PY" -c "import websocket" 2>/dev/null || die "websocket-client is missing from .venv: rm -rf .venv and run make test again"

DB="${TEST_DB:-acorn_test}"
ADDONS="${TEST_ADDONS:-acorn_amazon_vendor,acorn_amazon_vendor_forecast,acorn_amazon_vendor_payments,acorn_amazon_vendor_edi,acorn_amazon_vendor_pricing,acorn_amazon_vendor_sms,acorn_amazon_vendor_dashboard,acorn_amazon_vendor_direct_fulfillment}"
TAGS="${TEST_TAGS:-$(echo "$ADDONS" | sed 's#\([^,]*\)#/\1#g')}"
LOG="${TEST_LOG:-$VAR/log/odoo-test.log}"
MODE=-i
if [ -n "${REUSE_TEST_DB:-}" ] && psql -d postgres -Atqc "select 1 from pg_database where datname='$DB'" | grep -q 1; then
  MODE=-u  # developer shortcut: update the kept database instead of a fresh install
else
  dropdb --if-exists "$DB" >/dev/null
fi
echo "==> odoo tests: database $DB, addons $ADDONS (log: ${LOG#"$REPO"/})"
set +e
odoo -d "$DB" $MODE "$ADDONS" --without-demo=all --test-enable --test-tags="$TAGS" \
  --stop-after-init --http-port="${TEST_HTTP_PORT:-8169}" --max-cron-threads=0 \
  --log-level=info 2>&1 | tee "$LOG" | grep --line-buffered -E " (WARNING|ERROR|CRITICAL) |odoo\.tests\.(result|stats)|FAIL:|ERROR:|Ran [0-9]+ test|skipped"
rc=${PIPESTATUS[0]}
set -e
"$PY" "$REPO/tools/check_odoo_log.py" "$LOG" "$REPO/tools/log_allowlist.txt" || exit 1
[ "$rc" = 0 ] || die "odoo exited with status $rc (see ${LOG#"$REPO"/})"
[ -n "${KEEP_TEST_DB:-}" ] || dropdb --if-exists "$DB"
