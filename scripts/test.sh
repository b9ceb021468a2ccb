#!/usr/bin/env bash
# Runs every test project against SQLite and PostgreSQL, and the browser tests in Chromium.
# Installs what is missing (PostgreSQL 15, Chromium, Python 3) with apt when run as root on Debian/Ubuntu,
# starts a private PostgreSQL and an SMTP sink (scripts/smtp-sink.py) on loopback ports, stops them
# afterwards, and ends with one line:
#   N passed, N failed, N skipped
# Under CI=true a missing component is a failure, never a silent skip.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CONFIGURATION=${CONFIGURATION:-Debug}
CI=${CI:-false}
export CI DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { printf '[test.sh] %s\n' "$*" >&2; }
missing=()

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing: $*"
    if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null 2>&1 || true; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
  else
    return 1
  fi
}

# --- PostgreSQL 15 -----------------------------------------------------------------
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
  apt_install postgresql-15 || apt_install postgresql || true
fi
PG_BIN=$(pg_bin)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then missing+=("PostgreSQL"); PG_BIN=""; fi

# --- Chromium ------------------------------------------------------------------------
if [ ! -x /usr/bin/chromium ]; then apt_install chromium || true; fi
[ -x /usr/bin/chromium ] || missing+=("Chromium")
# A CJK font, so Chinese pages render (and screenshots show) real characters.
if ! fc-list 2>/dev/null | grep -qi "wqy\|noto sans cjk"; then apt_install fonts-wqy-microhei || true; fi

# --- Python 3 (the SMTP sink) -----------------------------------------------------------
if ! command -v python3 >/dev/null; then apt_install python3 || true; fi
command -v python3 >/dev/null || missing+=("Python 3")

if [ ${#missing[@]} -gt 0 ]; then
  say "missing: ${missing[*]}"
  if [ "$CI" = "true" ]; then say "CI=true: missing components are failures"; echo "0 passed, 1 failed, 0 skipped"; exit 1; fi
fi

# --- private PostgreSQL ------------------------------------------------------------
WORK=$(mktemp -d /tmp/rapport-test.XXXXXX)
chmod 755 "$WORK"
PG_DATA="$WORK/pg"
PG_PORT=""
SMTP_PID=""
cleanup() {
  if [ -n "$PG_PORT" ]; then as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true; fi
  if [ -n "$SMTP_PID" ]; then kill "$SMTP_PID" >/dev/null 2>&1 || true; wait "$SMTP_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

as_pg() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local port=$1
  while (echo >/dev/tcp/127.0.0.1/"$port") >/dev/null 2>&1; do port=$((port + 1)); done
  echo "$port"
}

if [ -n "$PG_BIN" ]; then
  mkdir -p "$PG_DATA"
  [ "$(id -u)" = 0 ] && { id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres; chown postgres "$PG_DATA" "$WORK"; }
  if as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U rapport --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
     || as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U rapport --auth=trust --encoding=UTF8 --locale=C >"$WORK/initdb.log" 2>&1; then
    PORT=$(free_port 55432)
    if as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/pg.log" -w -t 60 \
         -o "-p $PORT -c listen_addresses=127.0.0.1 -k $WORK -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null; then
      PG_PORT=$PORT
      export RAPPORT_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=rapport;Database=postgres;Pooling=true;Maximum Pool Size=50"
      say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
    else
      say "PostgreSQL did not start:"; cat "$WORK/pg.log" >&2
    fi
  else
    say "initdb failed:"; cat "$WORK/initdb.log" >&2
  fi
fi
if [ -z "$PG_PORT" ] && [ "$CI" = "true" ]; then echo "0 passed, 1 failed, 0 skipped"; exit 1; fi

# --- SMTP sink: a real SMTP server on loopback writing each message as a .eml file ------------
if command -v python3 >/dev/null; then
  SMTP_PORT=$(free_port 2525)
  MAIL_DIR="$WORK/mail"
  mkdir -p "$MAIL_DIR"
  python3 "$ROOT/scripts/smtp-sink.py" "$SMTP_PORT" "$MAIL_DIR" 127.0.0.1 >"$WORK/smtp.log" 2>&1 &
  SMTP_PID=$!
  for _ in $(seq 1 50); do
    (echo >/dev/tcp/127.0.0.1/"$SMTP_PORT") >/dev/null 2>&1 && break
    kill -0 "$SMTP_PID" 2>/dev/null || break
    sleep 0.2
  done
  if (echo >/dev/tcp/127.0.0.1/"$SMTP_PORT") >/dev/null 2>&1; then
    export RAPPORT_TEST_SMTP="127.0.0.1:$SMTP_PORT" RAPPORT_TEST_MAILDIR="$MAIL_DIR"
    say "SMTP sink on 127.0.0.1:$SMTP_PORT"
  else
    say "SMTP sink did not start:"; cat "$WORK/smtp.log" >&2; SMTP_PID=""
    if [ "$CI" = "true" ]; then echo "0 passed, 1 failed, 0 skipped"; exit 1; fi
  fi
fi

# --- build and test ----------------------------------------------------------------------
say "building ($CONFIGURATION)"
if ! dotnet build Rapport.slnx -c "$CONFIGURATION" -nologo -v:q -clp:ErrorsOnly >"$WORK/build.log" 2>&1; then
  cat "$WORK/build.log"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

LOG="$ROOT/TestResults/test.log"
mkdir -p "$ROOT/TestResults"
say "running tests (log: TestResults/test.log)"
dotnet test --solution Rapport.slnx -c "$CONFIGURATION" --no-build --no-progress 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}

# Microsoft.Testing.Platform prints per-project and overall "total/failed/succeeded/skipped" lines; the last block is the sum.
summary=$(grep -E '^\s*(failed|succeeded|skipped):\s*[0-9]+' "$LOG" | tail -n 3)
passed=$(awk '/succeeded:/{print $2}' <<<"$summary"); failed=$(awk '/failed:/{print $2}' <<<"$summary"); skipped=$(awk '/skipped:/{print $2}' <<<"$summary")
passed=${passed:-0}; failed=${failed:-0}; skipped=${skipped:-0}
if [ "$status" -ne 0 ] && [ "$failed" = 0 ]; then failed=1; fi
if [ "$passed" = 0 ] && [ "$status" -eq 0 ]; then say "no test ran"; status=1; failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
