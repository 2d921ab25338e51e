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

# Where Odoo comes from (README, 'Requirements'):
#  1. ODOO_PATH (default /opt/odoo-18.0) holds a tree: it is used as it is (18.0 checked, no digest).
#  2. ODOO_PATH is missing or an empty folder, and can be created: the pinned nightly archive is
#     fetched, verified and unpacked there (tools/fetch_odoo.py; ODOO_SOURCE_URL overrides the URL).
#  3. ODOO_PATH cannot be created (e.g. /opt not writable): the repository's ignored folder
#     .odoo/18.0 is used, fetched there first if it holds no tree yet.
# A non-empty ODOO_PATH without odoo/release.py is an error: nothing is unpacked over it.
ODOO_FETCH_DIR="$REPO/.odoo/18.0"

creatable() {  # $1 is missing or an empty folder, and its nearest existing parent is writable
  local dir
  dir="$(dirname "$1")"
  while [ ! -e "$dir" ]; do dir="$(dirname "$dir")"; done
  [ -d "$dir" ] && [ -w "$dir" ]
}

fetch_odoo() {
  "$PYTHON" "$REPO/tools/fetch_odoo.py" "$1" || exit 1
}

check_odoo() {
  if [ ! -f "$ODOO_PATH/odoo/release.py" ]; then
    if [ -e "$ODOO_PATH" ] && { [ ! -d "$ODOO_PATH" ] || [ -n "$(ls -A "$ODOO_PATH")" ]; }; then
      die "ODOO_PATH=$ODOO_PATH is not empty but holds no Odoo tree (no odoo/release.py): point ODOO_PATH to an Odoo 18.0 source tree, or to a missing or empty folder to fetch Odoo there"
    elif creatable "$ODOO_PATH"; then
      fetch_odoo "$ODOO_PATH"
    elif [ -f "$ODOO_FETCH_DIR/odoo/release.py" ]; then
      echo "==> Odoo: using ${ODOO_FETCH_DIR#"$REPO"/} (ODOO_PATH=$ODOO_PATH does not exist and cannot be created)"
      ODOO_PATH="$ODOO_FETCH_DIR"
    else
      echo "==> ODOO_PATH=$ODOO_PATH cannot be created: Odoo goes to ${ODOO_FETCH_DIR#"$REPO"/} instead"
      fetch_odoo "$ODOO_FETCH_DIR"
      ODOO_PATH="$ODOO_FETCH_DIR"
    fi
  fi
  [ -f "$ODOO_PATH/odoo/release.py" ] || die "no Odoo tree at ODOO_PATH=$ODOO_PATH: put an Odoo 18.0 source tree there or set ODOO_PATH (see README, 'Requirements')"
  grep -q "version_info = (18, 0" "$ODOO_PATH/odoo/release.py" || die "ODOO_PATH=$ODOO_PATH is not Odoo 18.0: point ODOO_PATH to an Odoo 18.0 source tree"
  ODOO_PATH="$(cd "$ODOO_PATH" && pwd)"
  export ODOO_PATH
}

check_postgres() {
  command -v pg_isready >/dev/null 2>&1 || die "PostgreSQL client tools are missing: apt-get install postgresql-client (and a PostgreSQL server)"
  pg_isready -q -d postgres || die "PostgreSQL is not reachable at ${PGHOST:-local socket}:${PGPORT:-5432}: start it (pg_ctlcluster 15 main start) or set PGHOST/PGPORT/PGUSER"
  psql -d postgres -Atqc "select 1" >/dev/null 2>&1 || die "PostgreSQL refused user ${PGUSER:-$(id -un)}: create the role (createuser -s $(id -un)) or set PGUSER/PGPASSWORD"
}

ensure_venv() {
  local requirements="$REPO/requirements/$1.txt" stamp
  stamp="$VENV/.installed-$1-$(cat "$REPO"/requirements/*.txt | sha256sum | cut -c1-16)"
  local began
  if [ ! -x "$PY" ]; then
    echo "==> creating .venv with $PYTHON (first run only)"
    began=$SECONDS
    "$PYTHON" -m venv "$VENV" || die "cannot create a virtualenv: install python3.11-venv"
    echo "    .venv created in $((SECONDS - began)) s"
  fi
  if [ ! -f "$stamp" ]; then
    echo "==> installing pinned Python dependencies ($1) from PyPI (first run: a few minutes; log: var/log/pip-$1.log)"
    began=$SECONDS
    "$PY" -m pip install -q --disable-pip-version-check -r "$requirements" \
      >"$VAR/log/pip-$1.log" 2>&1 || die "pip install failed: see var/log/pip-$1.log"
    # Packages no longer pinned but still in an older .venv: pytest-odoo's plugin would
    # load itself into the pytest suite again (pytest.ini no longer turns it off).
    "$PY" -m pip uninstall -y -q pytest-odoo >>"$VAR/log/pip-$1.log" 2>&1 || true
    rm -f "$VENV"/.installed-"$1"-*
    touch "$stamp"
    echo "    dependencies installed in $((SECONDS - began)) s"
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
  ( cd "$REPO" && "$PY" "$REPO/tools/odoo_cli.py" --addons-path="$(addons_path)" --data-dir="$VAR/data" "$@" )
}
