# Shell shared by the benchmark scripts (bench.sh, bench-import.sh): installing what is missing, a private PostgreSQL,
# the Release build, and stopping what they started. Source it from the repository root after setting SCRIPT (the
# name used in messages), WORK (the scratch folder) and KEEP (true leaves WORK in place).

say() { printf '[%s] %s\n' "$SCRIPT" "$*" >&2; }

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing: $*"
    if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null 2>&1 || true; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
  else
    return 1
  fi
}

need_sqlite3() {
  command -v sqlite3 >/dev/null || apt_install sqlite3 || { say "sqlite3 is missing (apt-get install sqlite3)"; exit 1; }
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# Sets PG_BIN and puts it first on PATH (psql, pg_dump and pgbench of the server's version).
need_postgres() {
  if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then apt_install postgresql-15 || apt_install postgresql || true; fi
  PG_BIN=$(pg_bin)
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then say "PostgreSQL is missing (apt-get install postgresql-15)"; exit 1; fi
  export PATH="$PG_BIN:$PATH"
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port=$1
  while (echo >/dev/tcp/127.0.0.1/"$port") >/dev/null 2>&1; do port=$((port + 1)); done
  echo "$port"
}

# A private PostgreSQL in $WORK/pg on a free loopback port from 55432, durability settings left at their defaults
# (fsync on: this measures real writes). Sets PG_PORT; pg_stop stops it.
PG_PORT=""
pg_start() {
  PG_DATA="$WORK/pg"
  mkdir -p "$PG_DATA"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown postgres "$PG_DATA" "$WORK"
  fi
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U rapport --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
    || as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U rapport --auth=trust --encoding=UTF8 --locale=C >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; exit 1; }
  local port
  port=$(free_port 55432)
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/pg.log" -w -t 60 -o "-p $port -c listen_addresses=127.0.0.1 -k $WORK -c max_connections=100" start >/dev/null \
    || { cat "$WORK/pg.log" >&2; exit 1; }
  PG_PORT=$port
  say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

pg_stop() {
  if [ -n "$PG_PORT" ]; then as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true; PG_PORT=""; fi
}

# Rapport.Bench stops the processes it starts (Rapport.Web, servers, dotnet-trace); if it was killed mid-run, they are
# ended here by the ids it recorded in $WORK/bench/*.pid. Then PostgreSQL, then the scratch folder.
bench_cleanup() {
  for pid_file in "$WORK"/bench/*.pid; do [ -f "$pid_file" ] && kill "$(cat "$pid_file")" >/dev/null 2>&1 || true; done
  pg_stop
  if [ "$KEEP" = true ]; then say "kept $WORK (data, databases, server logs)"; else rm -rf "$WORK"; fi
}

# Rapport.Bench references Rapport.Web (without its assembly), so one command builds both. Skipped when no source or
# build file changed since the last build of this script's (dotnet's own up-to-date check takes minutes on a busy machine).
build_release() {
  local stamp=bench/Rapport.Bench/bin/Release/.bench-built
  if [ -f "$stamp" ] && [ -z "$(find src bench Directory.Build.props Directory.Packages.props global.json -newer "$stamp" \
        -not -path '*/bin/*' -not -path '*/obj/*' -type f -print -quit 2>/dev/null)" ]; then
    say "Rapport.Web and Rapport.Bench are built (Release) and no source changed since"
    return
  fi
  say "building Rapport.Web and Rapport.Bench (Release)"
  if ! dotnet build bench/Rapport.Bench -c Release -nologo -v:q -clp:ErrorsOnly >"$WORK/build.log" 2>&1; then cat "$WORK/build.log" >&2; exit 1; fi
  touch "$stamp"
}

# dotnet-trace, for the profiles (kept in the user's cache, pinned); adds --dotnet-trace to BENCH_ARGS when it is there.
need_dotnet_trace() {
  local tools="${XDG_CACHE_HOME:-$HOME/.cache}/rapport-bench/tools"
  if [ ! -x "$tools/dotnet-trace" ]; then
    dotnet tool install dotnet-trace --version 10.0.750501 --tool-path "$tools" >"$WORK/tool.log" 2>&1 || { say "dotnet-trace did not install: no profile"; cat "$WORK/tool.log" >&2; }
  fi
  if [ -x "$tools/dotnet-trace" ]; then BENCH_ARGS+=(--dotnet-trace "$tools/dotnet-trace"); fi
}
