#!/usr/bin/env bash
# make i18n: refresh each addon's .pot from a scratch database, merge it into zh_CN.po and
# list the entries still to translate (the zh_CN completeness test fails on them).
source "$(dirname "$0")/env.sh"
check_python; check_odoo; check_postgres; ensure_venv test
command -v msgmerge >/dev/null 2>&1 || die "msgmerge is missing: apt-get install gettext"
DB="${I18N_DB:-acorn_i18n}"
ADDONS="${I18N_ADDONS:-acorn_amazon_vendor,acorn_amazon_vendor_forecast,acorn_amazon_vendor_payments,acorn_amazon_vendor_edi,acorn_amazon_vendor_pricing,acorn_amazon_vendor_sms,acorn_amazon_vendor_dashboard,acorn_amazon_vendor_direct_fulfillment}"
dropdb --if-exists "$DB" >/dev/null
odoo -d "$DB" -i "$ADDONS" --without-demo=all --stop-after-init --no-http \
  --logfile="$VAR/log/i18n.log" || die "installing the addons failed: see var/log/i18n.log"
for addon in ${ADDONS//,/ }; do
  pot="$REPO/$addon/i18n/$addon.pot" po="$REPO/$addon/i18n/zh_CN.po"
  mkdir -p "$REPO/$addon/i18n"
  odoo -d "$DB" --i18n-export="$pot" --modules="$addon" --stop-after-init --no-http \
    --logfile="$VAR/log/i18n.log" || die "exporting $addon failed: see var/log/i18n.log"
  # A new addon starts its catalogue from the template.
  [ -f "$po" ] || "$PY" -c 'import sys, polib; po = polib.pofile(sys.argv[1]); po.metadata["Language"] = "zh_CN"; po.save(sys.argv[2])' "$pot" "$po"
  msgmerge -q --no-fuzzy-matching --backup=none -U "$po" "$pot"
  "$PY" - "$po" <<'PY'
import sys, polib
po = polib.pofile(sys.argv[1])
todo = [e.msgid for e in po if not e.msgstr or e.fuzzy]
print(f"{sys.argv[1]}: {len(po)} entries, {len(todo)} to translate")
for msgid in todo:
    print("  ", repr(msgid))
PY
done
dropdb --if-exists "$DB" >/dev/null
