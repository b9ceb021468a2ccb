#!/usr/bin/env bash
# Issue 6's benchmarks: Rapport against ceilings measured in the same run, one table.
#
#   scripts/bench.sh [--rows N] [--db sqlite|postgres|both] [--runs N] [--duration S] [--import-rows N] [--profile] [--no-markdown] [--keep]
#                    [--only pipeline-report]
#
# Workloads (docs/PERFORMANCE.md says what each measures and against what): point read and create under wrk (16
# connections, --duration seconds a run, default 15) against pgbench / a bare SQLite endpoint; list (first and deep keyset
# page, sorted by a custom field, filtered) and search (Latin, Chinese substring, phone) against their SQL run directly,
# with SQL statements per request and search plans; growth (the reads at 10,000 rows, and 100,000 from a million on,
# against the full size); Rapport's import of an --import-rows file (default 1,000; 0 leaves it out) and the server's memory.
# --profile adds one point-read and one create run per database sampled with dotnet-trace: where the server's CPU goes.
# Then issue 7's pipeline report (run_pipeline_report): --rows generated deals, the report against the same GROUP BY run
# directly (goal ≤ 1.5×) and its statements on sales_deals (goal 1); --only pipeline-report runs just that.
#
# Defaults: 1,000,000 rows, both databases, the median of three runs. Installs what is missing (wrk, sqlite3, PostgreSQL
# 15) with apt when run as root, starts a private PostgreSQL (durable defaults), builds Rapport.Web and the bench in
# Release, prints the table with the machine's facts and writes it into docs/PERFORMANCE.md between its markers. Stops
# everything it started. --keep leaves the scratch folder (data, databases, logs, plans). Not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
STARTED=$(date +%s)

INVOKED="scripts/bench.sh${*:+ $*}"
ROWS=1000000
DB=both
RUNS=3
BENCH_ARGS=()
MARKDOWN=true
KEEP=false
PROFILE=false
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --duration) BENCH_ARGS+=(--duration "$2"); shift 2 ;;
    --import-rows) BENCH_ARGS+=(--import-rows "$2"); shift 2 ;;
    --no-markdown) MARKDOWN=false; shift ;;
    --keep) KEEP=true; BENCH_ARGS+=(--keep); shift ;;
    --profile) PROFILE=true; shift ;;
    --only) ONLY=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$DB" in sqlite|postgres|both) ;; *) echo "--db is sqlite, postgres or both" >&2; exit 2 ;; esac

SCRIPT=bench.sh
. scripts/bench-lib.sh

# --- tools ---------------------------------------------------------------------------
command -v wrk >/dev/null || apt_install wrk || { say "wrk is missing (apt-get install wrk)"; exit 1; }
need_sqlite3 # the ceilings' loader on SQLite, and the bench's look-ups
if [ "$DB" != sqlite ]; then
  need_postgres
  command -v pgbench >/dev/null || apt_install postgresql-contrib || { say "pgbench is missing"; exit 1; }
fi

# --- scratch space, clean-up, private PostgreSQL, build ------------------------------
WORK=$(mktemp -d /tmp/rapport-bench.XXXXXX)
chmod 755 "$WORK"
finish() {
  bench_cleanup
  say "wall time $(( $(date +%s) - STARTED )) s"
}
trap finish EXIT INT TERM
if [ "$DB" != sqlite ]; then
  pg_start
  BENCH_ARGS+=(--pg-host 127.0.0.1 --pg-port "$PG_PORT" --pg-user rapport)
fi
build_release
if [ "$PROFILE" = true ]; then need_dotnet_trace; fi

# --- issue 7: the pipeline report over --rows deals -----------------------------------------
run_pipeline_report() {
  local args=(--rows "$ROWS" --db "$DB" --runs "$RUNS" --work "$WORK/pipeline" --web "$ROOT/src/Rapport.Web/bin/Release/net10.0")
  [ "$DB" != sqlite ] && args+=(--pg-host 127.0.0.1 --pg-port "$PG_PORT" --pg-user rapport)
  [ "$KEEP" = true ] && args+=(--keep)
  mkdir -p "$WORK/pipeline"
  dotnet "$ROOT/bench/Rapport.Bench/bin/Release/net10.0/Rapport.Bench.dll" pipeline "${args[@]}"
}

# --- run ------------------------------------------------------------------------------------
if [ "$ONLY" = pipeline-report ]; then
  run_pipeline_report
  exit $?
fi
[ "$MARKDOWN" = true ] && BENCH_ARGS+=(--markdown "$ROOT/docs/PERFORMANCE.md")
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
mkdir -p "$WORK/bench"
dotnet "$ROOT/bench/Rapport.Bench/bin/Release/net10.0/Rapport.Bench.dll" suite \
  --rows "$ROWS" --db "$DB" --runs "$RUNS" --work "$WORK/bench" --web "$ROOT/src/Rapport.Web/bin/Release/net10.0" \
  --commit "$COMMIT" --command "$INVOKED" --started "$STARTED" \
  "${BENCH_ARGS[@]}"
run_pipeline_report
