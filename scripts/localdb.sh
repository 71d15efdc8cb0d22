#!/usr/bin/env bash
# The project-local PostgreSQL + PostGIS cluster used when DATABASE_URL is not set.
#   scripts/localdb.sh start    create the cluster on first use, start it, create the database
#   scripts/localdb.sh stop     stop it (data is kept)
#   scripts/localdb.sh status   say whether it runs
#   scripts/localdb.sh psql     open psql on the project database
#
# Data lives in .pgdata/data, the unix socket in .pgdata/run; no TCP port is opened.
# PostgreSQL refuses to run as root, so under root the server runs as the "postgres" OS user.
# That user must reach the data directory: when the checkout sits in a folder it cannot enter
# (root's home, say) or the socket path would be too long, .pgdata becomes a symbolic link to
# /var/lib/service-network-map/<hash of the checkout path>. config/settings.py resolves the link.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DBNAME=${PGDATABASE_NAME:-servicenetworkmap}
PORT=5432

bindir=$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname)
if [ -z "$bindir" ]; then
    echo "localdb: PostgreSQL server binaries not found; run scripts/system-packages.sh" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    # runuser lives in /usr/sbin, which a root shell's PATH may lack (su without -, cron, env -i).
    run_as=("$(PATH="$PATH:/usr/sbin:/sbin" command -v runuser || echo runuser)" -u postgres --)
    owner=postgres
else
    run_as=()
    owner=$(id -un)
fi

home="$ROOT/.pgdata"
ensure_home() {
    if [ -e "$home" ]; then return; fi
    local reachable=1
    if [ ${#run_as[@]} -gt 0 ] && ! "${run_as[@]}" test -x "$ROOT"; then reachable=0; fi
    if [ ${#ROOT} -gt 70 ]; then reachable=0; fi   # unix socket paths are limited to 107 bytes
    if [ $reachable -eq 1 ]; then
        mkdir -p "$home"
    else
        local hash target
        hash=$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)
        target=/var/lib/service-network-map/$hash
        if [ "$(id -u)" -ne 0 ]; then target=${XDG_RUNTIME_DIR:-/tmp}/service-network-map-$hash; fi
        mkdir -p "$target"
        ln -s "$target" "$home"
        echo "localdb: $ROOT is not reachable by $owner; cluster placed in $target (.pgdata links there)"
    fi
    chown "$owner" "$home/" 2>/dev/null || true
    chmod 0755 "$home/"
}

pgdata() { printf '%s/data' "$(readlink -f "$home")"; }
sockdir() { printf '%s/run' "$(readlink -f "$home")"; }

is_running() { [ -d "$(pgdata)" ] && "${run_as[@]}" "$bindir/pg_ctl" -D "$(pgdata)" status >/dev/null 2>&1; }

psql_() { "$bindir/psql" -h "$(sockdir)" -p $PORT -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }

start() {
    ensure_home
    local data run
    data=$(pgdata); run=$(sockdir)
    if [ ! -s "$data/PG_VERSION" ]; then
        echo "localdb: creating a PostgreSQL cluster in $data"
        "${run_as[@]}" mkdir -p "$data" "$run"
        "${run_as[@]}" "$bindir/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=reject --no-instructions >/dev/null
        # Only the unix socket, inside the project; settings tuned for a 2-core development box.
        "${run_as[@]}" tee -a "$data/postgresql.conf" >/dev/null <<CONF

# service-network-map
listen_addresses = ''
port = $PORT
unix_socket_directories = '$run'
unix_socket_permissions = 0770
shared_buffers = 256MB
work_mem = 16MB
maintenance_work_mem = 256MB
jit = off
max_connections = 50
logging_collector = off
CONF
    fi
    "${run_as[@]}" mkdir -p "$run"
    if is_running; then
        echo "localdb: PostgreSQL already running (socket in $run)"
    else
        "${run_as[@]}" "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null \
            || { echo "localdb: PostgreSQL failed to start; last lines of $data/server.log:" >&2;
                 tail -n 20 "$data/server.log" >&2; exit 1; }
        echo "localdb: PostgreSQL started (socket in $run)"
    fi
    if [ "$(psql_ -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'")" != "1" ]; then
        psql_ -d postgres -c "CREATE DATABASE $DBNAME"
        echo "localdb: database $DBNAME created"
    fi
    psql_ -d "$DBNAME" -c "CREATE EXTENSION IF NOT EXISTS postgis" 2>/dev/null
}

stop() {
    if is_running; then
        "${run_as[@]}" "$bindir/pg_ctl" -D "$(pgdata)" -m fast -w stop >/dev/null
        echo "localdb: PostgreSQL stopped"
    else
        echo "localdb: PostgreSQL was not running"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) if is_running; then echo "running, socket in $(sockdir)"; else echo "stopped"; exit 3; fi ;;
    psql) shift; psql_ -d "$DBNAME" "$@" ;;
    *) echo "usage: $0 start|stop|status|psql" >&2; exit 2 ;;
esac
