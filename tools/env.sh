# Shared bootstrap for the Makefile targets: sourced, never run directly.
# Checks Python, Odoo and PostgreSQL, builds .venv from the pinned requirements, and stops
# with one actionable line (no traceback) when something is missing.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3.11}"
ODOO_PATH="${ODOO_PATH:-/opt/odoo-18.0}"
VENV="$REPO/.venv"
PY="$VENV/bin/python"
VAR="$REPO/var"
mkdir -p "$VAR/log"

die() { echo "error: $*" >&2; exit 1; }

check_python() {
  command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
  command -v "$PYTHON" >/dev/null 2>&1 || die "no Python found: install Python 3.11 (Debian: apt-get install python3.11 python3.11-venv) or set PYTHON=/path/to/python3.11"
  local version
  version="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
  [ "$version" = "3.11" ] || die "$PYTHON is Python $version; Odoo 18 here needs Python 3.11: set PYTHON=/path/to/python3.11"
}

check_odoo() {
  [ -f "$ODOO_PATH/odoo/release.py" ] || die "no Odoo tree at ODOO_PATH=$ODOO_PATH: put an Odoo 18.0 source tree there or set ODOO_PATH (see README, 'Requirements')"
  grep -q "version_info = (18, 0" "$ODOO_PATH/odoo/release.py" || die "ODOO_PATH=$ODOO_PATH is not Odoo 18.0: point ODOO_PATH to an Odoo 18.0 source tree"
}

check_postgres() {
  command -v pg_isready >/dev/null 2>&1 || die "PostgreSQL client tools are missing: apt-get install postgresql-client (and a PostgreSQL server)"
  pg_isready -q -d postgres || die "PostgreSQL is not reachable at ${PGHOST:-local socket}:${PGPORT:-5432}: start it (pg_ctlcluster 15 main start) or set PGHOST/PGPORT/PGUSER"
  psql -d postgres -Atqc "select 1" >/dev/null 2>&1 || die "PostgreSQL refused user ${PGUSER:-$(id -un)}: create the role (createuser -s $(id -un)) or set PGUSER/PGPASSWORD"
}

ensure_venv() {
  local requirements="$REPO/requirements/$1.txt" stamp
  stamp="$VENV/.installed-$1-$(cat "$REPO"/requirements/*.txt | sha256sum | cut -c1-16)"
  if [ ! -x "$PY" ]; then
    echo "==> creating .venv with $PYTHON"
    "$PYTHON" -m venv "$VENV" || die "cannot create a virtualenv: install python3.11-venv"
  fi
  if [ ! -f "$stamp" ]; then
    echo "==> installing pinned Python dependencies ($1)"
    "$PY" -m pip install -q --disable-pip-version-check -r "$requirements" \
      >"$VAR/log/pip-$1.log" 2>&1 || die "pip install failed: see var/log/pip-$1.log"
    rm -f "$VENV"/.installed-"$1"-*
    touch "$stamp"
  fi
  # Odoo is not on the package registry: the venv finds it through a .pth file.
  "$PY" -c 'import site, sys; print(site.getsitepackages()[0])' | {
    read -r site; echo "$ODOO_PATH" > "$site/odoo-source.pth"; }
}

ensure_system_packages() {
  # Chromium runs the browser tours; wkhtmltopdf renders the carton label PDFs.
  local missing=()
  command -v chromium >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || missing+=(chromium)
  command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing ${missing[*]} (Debian packages)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") \
      >"$VAR/log/apt.log" 2>&1 || die "cannot install ${missing[*]}: see var/log/apt.log"
  else
    die "missing ${missing[*]}: apt-get install ${missing[*]} (the tours and label PDFs need them)"
  fi
}

addons_path() {
  local paths="$ODOO_PATH/odoo/addons"
  [ -d "$ODOO_PATH/addons" ] && paths="$ODOO_PATH/addons,$paths"
  echo "$paths,$REPO"
}

odoo() {
  export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$VAR/runtime}"; mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
  ( cd "$REPO" && "$PY" -m odoo --addons-path="$(addons_path)" --data-dir="$VAR/data" "$@" )
}
