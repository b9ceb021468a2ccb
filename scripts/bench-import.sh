#!/usr/bin/env bash
# Issue 5's import benchmark: Rapport's CSV import of generated contacts against the raw load rate of the same rows
# (sqlite3 .import / psql \copy into a copy of Rapport's own tables), plus an all-duplicates re-import and the CSV export.
#
#   scripts/bench-import.sh [--rows N] [--db sqlite|postgres|both] [--runs N] [--profile] [--no-markdown] [--keep]
#
# --profile adds, per database, two imports of a 3,000-row file that show where the time goes: SQL commands per row (EF
# Core's command log) and time per phase (sampled with dotnet-trace, installed once into ~/.cache/rapport-bench/tools).
# --keep leaves the scratch folder (generated data, databases, server logs, traces) in place.
#
# Defaults: 1,000,000 rows, both databases, the median of three runs (one run from a million rows on). Installs what is
# missing (sqlite3, PostgreSQL 15) with apt when run as root, starts a private PostgreSQL on a free loopback port from
# 55432 (durable defaults: fsync stays on), builds Rapport.Web and the bench in Release, prints one table with the machine's
# facts and writes it into docs/PERFORMANCE.md. Stops everything it started. Not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

INVOKED="scripts/bench-import.sh${*:+ $*}"
ROWS=1000000
DB=both
BENCH_ARGS=()
MARKDOWN=true
PROFILE=false
KEEP=false
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    --runs) BENCH_ARGS+=(--runs "$2"); shift 2 ;;
    --profile) PROFILE=true; BENCH_ARGS+=(--profile); shift ;;
    --no-markdown) MARKDOWN=false; shift ;;
    --keep) KEEP=true; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$DB" in sqlite|postgres|both) ;; *) echo "--db is sqlite, postgres or both" >&2; exit 2 ;; esac

say() { printf '[bench-import.sh] %s\n' "$*" >&2; }

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing: $*"
    if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null 2>&1 || true; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
  else
    return 1
  fi
}

# --- tools ---------------------------------------------------------------------------
if [ "$DB" != postgres ] && ! command -v sqlite3 >/dev/null; then
  apt_install sqlite3 || { say "sqlite3 is missing (apt-get install sqlite3)"; exit 1; }
fi
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ "$DB" != sqlite ]; then
  if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then apt_install postgresql-15 || apt_install postgresql || true; fi
  PG_BIN=$(pg_bin)
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then say "PostgreSQL is missing (apt-get install postgresql-15)"; exit 1; fi
  export PATH="$PG_BIN:$PATH" # psql and pg_dump of the same version as the server
fi

# --- scratch space and clean-up --------------------------------------------------------
WORK=$(mktemp -d /tmp/rapport-bench.XXXXXX)
chmod 755 "$WORK"
PG_DATA="$WORK/pg"
PG_PORT=""
cleanup() {
  # Rapport.Bench stops the processes it starts (Rapport.Web, dotnet-trace); if it was killed mid-run, they are ended
  # here by the ids it recorded.
  for pid_file in "$WORK"/bench/*.pid; do [ -f "$pid_file" ] && kill "$(cat "$pid_file")" >/dev/null 2>&1 || true; done
  if [ -n "$PG_PORT" ]; then as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true; fi
  if [ "$KEEP" = true ]; then say "kept $WORK (data, databases, server logs, traces)"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT INT TERM

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port=$1
  while (echo >/dev/tcp/127.0.0.1/"$port") >/dev/null 2>&1; do port=$((port + 1)); done
  echo "$port"
}

# --- private PostgreSQL (durability settings left at their defaults: this measures real writes) ---------
if [ "$DB" != sqlite ]; then
  mkdir -p "$PG_DATA"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown postgres "$PG_DATA" "$WORK"
  fi
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U rapport --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
    || as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U rapport --auth=trust --encoding=UTF8 --locale=C >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; exit 1; }
  PORT=$(free_port 55432)
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/pg.log" -w -t 60 -o "-p $PORT -c listen_addresses=127.0.0.1 -k $WORK -c max_connections=100" start >/dev/null \
    || { cat "$WORK/pg.log" >&2; exit 1; }
  PG_PORT=$PORT
  BENCH_ARGS+=(--pg-host 127.0.0.1 --pg-port "$PG_PORT" --pg-user rapport)
  say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
fi

# --- build (Release) ---------------------------------------------------------------------
say "building Rapport.Web and Rapport.Bench (Release)"
for project in src/Rapport.Web bench/Rapport.Bench; do
  if ! dotnet build "$project" -c Release -nologo -v:q -clp:ErrorsOnly >"$WORK/build.log" 2>&1; then cat "$WORK/build.log" >&2; exit 1; fi
done

# --- dotnet-trace, for --profile's time per phase (kept in the user's cache, pinned) -----------------
if [ "$PROFILE" = true ]; then
  TOOLS="${XDG_CACHE_HOME:-$HOME/.cache}/rapport-bench/tools"
  if [ ! -x "$TOOLS/dotnet-trace" ]; then
    dotnet tool install dotnet-trace --version 10.0.750501 --tool-path "$TOOLS" >"$WORK/tool.log" 2>&1 || { say "dotnet-trace did not install: the profile counts SQL commands only"; cat "$WORK/tool.log" >&2; }
  fi
  [ -x "$TOOLS/dotnet-trace" ] && BENCH_ARGS+=(--dotnet-trace "$TOOLS/dotnet-trace")
fi

# --- run ------------------------------------------------------------------------------------
[ "$MARKDOWN" = true ] && BENCH_ARGS+=(--markdown "$ROOT/docs/PERFORMANCE.md")
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
dotnet "$ROOT/bench/Rapport.Bench/bin/Release/net10.0/Rapport.Bench.dll" import \
  --rows "$ROWS" --db "$DB" --work "$WORK/bench" --web "$ROOT/src/Rapport.Web/bin/Release/net10.0" \
  --commit "$COMMIT" --command "$INVOKED" \
  "${BENCH_ARGS[@]}"
