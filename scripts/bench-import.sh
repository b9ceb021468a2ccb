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

SCRIPT=bench-import.sh
. scripts/bench-lib.sh

# --- tools ---------------------------------------------------------------------------
if [ "$DB" != postgres ]; then need_sqlite3; fi
if [ "$DB" != sqlite ]; then need_postgres; fi

# --- scratch space, clean-up, private PostgreSQL, build ------------------------------
WORK=$(mktemp -d /tmp/rapport-bench.XXXXXX)
chmod 755 "$WORK"
trap bench_cleanup EXIT INT TERM
if [ "$DB" != sqlite ]; then
  pg_start
  BENCH_ARGS+=(--pg-host 127.0.0.1 --pg-port "$PG_PORT" --pg-user rapport)
fi
build_release

# --- dotnet-trace, for --profile's time per phase -------------------------------------------
if [ "$PROFILE" = true ]; then need_dotnet_trace; fi

# --- run ------------------------------------------------------------------------------------
[ "$MARKDOWN" = true ] && BENCH_ARGS+=(--markdown "$ROOT/docs/PERFORMANCE.md")
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
dotnet "$ROOT/bench/Rapport.Bench/bin/Release/net10.0/Rapport.Bench.dll" import \
  --rows "$ROWS" --db "$DB" --work "$WORK/bench" --web "$ROOT/src/Rapport.Web/bin/Release/net10.0" \
  --commit "$COMMIT" --command "$INVOKED" \
  "${BENCH_ARGS[@]}"
