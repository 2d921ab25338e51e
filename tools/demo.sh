#!/usr/bin/env bash
# make demo: create or update the demo database, run the Amazon cycle against the simulator,
# then serve Odoo on http://localhost:8069 (unless DEMO_SERVE=0).
source "$(dirname "$0")/env.sh"
check_python; check_odoo; check_postgres; ensure_venv project

DB="${DEMO_DB:-acorn_demo}"
export SANDBOX_PORT="${SANDBOX_PORT:-8765}"
HTTP_PORT="${DEMO_HTTP_PORT:-8069}"
LOG="$VAR/log/demo.log"
began=$SECONDS
if psql -d postgres -Atqc "select 1 from pg_database where datname='$DB'" | grep -q 1; then
  echo "==> [1/3] updating database $DB"
  odoo -d "$DB" -u acorn_amazon_vendor,acorn_amazon_vendor_forecast,acorn_amazon_vendor_payments,acorn_amazon_vendor_edi,acorn_amazon_vendor_pricing,acorn_amazon_vendor_dashboard -i acorn_amazon_vendor_forecast,acorn_amazon_vendor_payments,acorn_amazon_vendor_edi,acorn_amazon_vendor_pricing,acorn_amazon_vendor_dashboard,acorn_amazon_vendor_direct_fulfillment --stop-after-init --no-http --logfile="$LOG" \
    || die "updating $DB failed: see var/log/demo.log"
  echo "    database $DB updated in $((SECONDS - began)) s"
else
  echo "==> [1/3] creating database $DB with demo data (a few minutes)"
  odoo -d "$DB" -i acorn_amazon_vendor,acorn_amazon_vendor_forecast,acorn_amazon_vendor_payments,acorn_amazon_vendor_edi,acorn_amazon_vendor_pricing,acorn_amazon_vendor_dashboard,acorn_amazon_vendor_direct_fulfillment --stop-after-init --no-http --logfile="$LOG" \
    || die "creating $DB failed: see var/log/demo.log"
  echo "    database $DB created in $((SECONDS - began)) s"
fi
echo "==> [2/3] running the Amazon Vendor cycle against the simulator"
began=$SECONDS
( cd "$REPO" && "$PY" tools/demo.py --addons-path="$(addons_path)" --data-dir="$VAR/data" -d "$DB" \
    --logfile="$LOG" ) || die "the demo cycle failed (above); details in var/log/demo.log"
echo "    demo cycle done in $((SECONDS - began)) s"
if [ "${DEMO_SERVE:-1}" = 0 ]; then
  exit 0
fi
echo "==> [3/3] serving Odoo on http://localhost:$HTTP_PORT  (login: admin / password: admin, Ctrl-C stops)"
odoo -d "$DB" --http-port="$HTTP_PORT" --db-filter="^$DB\$" --logfile="$LOG"
