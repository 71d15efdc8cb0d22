#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the project needs, only those missing, and say what was done.
#   scripts/system-packages.sh            PostgreSQL + PostGIS + pgRouting, GDAL, gettext, Python venv
#   scripts/system-packages.sh --browser  the same plus Debian's chromium (browser tests)
# Runs apt-get as root, or through sudo for other users.
set -euo pipefail

want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

apt_updated=0
apt_install() {
    if ! command -v apt-get >/dev/null; then
        echo "system-packages: apt-get not found; install these yourself: $*" >&2
        exit 1
    fi
    if [ $apt_updated -eq 0 ]; then
        "${sudo[@]}" apt-get update -qq
        apt_updated=1
    fi
    echo "system-packages: installing $* with apt-get"
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing=()

# PostgreSQL server: take the newest major version installed, else the distribution's default.
# With DATABASE_URL set the project uses that server and needs no local one.
pg_major() {
    find /usr/lib/postgresql -maxdepth 3 -path '*/bin/initdb' 2>/dev/null \
        | sed -E 's#/usr/lib/postgresql/([0-9]+)/bin/initdb#\1#' | sort -n | tail -n 1
}
if [ -z "${DATABASE_URL:-}" ]; then
    if [ -z "$(pg_major)" ]; then
        apt_install postgresql
    fi
    major=$(pg_major)
    installed "postgresql-$major-postgis-3" || missing+=("postgresql-$major-postgis-3")
    # Coverage by road (servicepoints/analysis/roads.py).
    installed "postgresql-$major-pgrouting" || missing+=("postgresql-$major-pgrouting")
    server="PostgreSQL $major with PostGIS and pgRouting, "
else
    server=""
fi
installed gdal-bin || missing+=(gdal-bin)
command -v msgfmt >/dev/null || missing+=(gettext)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
# WeasyPrint (the partnership guide's PDF) draws text with Pango; DejaVu is its font.
installed libpango-1.0-0 || missing+=(libpango-1.0-0)
installed libpangoft2-1.0-0 || missing+=(libpangoft2-1.0-0)
installed fonts-dejavu-core || missing+=(fonts-dejavu-core)
if [ $want_browser -eq 1 ]; then
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    installed fonts-dejavu-core || missing+=(fonts-dejavu-core)
fi
if [ ${#missing[@]} -gt 0 ]; then
    apt_install "${missing[@]}"
else
    echo "system-packages: ${server}GDAL and gettext already installed"
fi
