#!/usr/bin/env bash
# fixgate-pg.sh: fixgate's private PostgreSQL 15 cluster for the audit store (development, tests, and small
# single-host deployments). Run with --help for the subcommands.
# The `A && B || die` checks below mean "die unless both hold" (SC2015 notes the pattern; it is intended).
# shellcheck disable=SC2015
set -euo pipefail

self=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pg_bin=${FIXGATE_PG_BIN:-/usr/lib/postgresql/15/bin}
database=fixgate
admin_role=fixgate_admin
roles=(fixgate_admin fixgate_writer fixgate_compliance)
default_port=5432
start_timeout=60
# The watcher started by `start --watch-pid` gives up after this many seconds even if both processes live.
watch_max_seconds=${FIXGATE_PG_WATCH_MAX_SECONDS:-86400}

usage() {
  cat <<EOF
fixgate-pg.sh: fixgate's private PostgreSQL 15 cluster for the audit store.

Usage:
  fixgate-pg.sh init DIR [--port N] [--fast]
      Create a cluster in DIR/data (owned by the postgres user when run as root), its Unix socket in
      DIR/socket, superuser fixgate_admin, roles fixgate_writer and fixgate_compliance with random passwords
      written to the libpq password file DIR/pgpass (mode 0600, owned by you), and database fixgate.
      Every connection authenticates with scram-sha-256. Without --port the server listens on the socket
      only; with --port N it also listens on 127.0.0.1:N. --fast turns fsync and full_page_writes off
      (commits still survive a server crash, not a machine crash): for throw-away test clusters only. By
      default fsync stays on. Does nothing (and says so) when DIR already holds a cluster.
  fixgate-pg.sh start DIR [--watch-pid PID]
      Start the server (no-op when running). With --watch-pid, a detached watcher stops the server
      (immediate mode) once process PID has gone, e.g. a test that died before it could stop it.
  fixgate-pg.sh stop DIR [--immediate]
      Stop the server: fast mode (rolls back open transactions) or immediate (like a crash; the next start
      recovers from the write-ahead log). No-op when not running.
  fixgate-pg.sh status DIR
      Say whether the server runs; exit 0 running, 3 not running, 4 no cluster in DIR.
  fixgate-pg.sh conninfo DIR ROLE [--tcp]
      Print the libpq connection string for ROLE (fixgate_admin, fixgate_writer, fixgate_compliance, or
      admin, writer, compliance): host=DIR/socket port=... dbname=fixgate user=ROLE passfile=DIR/pgpass.
      --tcp gives host=127.0.0.1 instead (needs a cluster made with --port).
  fixgate-pg.sh migrate DIR [--fixgate-db PATH]
      Apply the migrations of sql/ with fixgate-db as fixgate_admin (the server must be running). fixgate-db
      is PATH, else \$FIXGATE_DB_BIN, else build/tools/fixgate-db/fixgate-db, else fixgate-db on PATH.
  fixgate-pg.sh backup DIR FILE [--database NAME]
      Write a consistent copy of the audit database (pg_dump custom format, as fixgate_admin) to FILE:
      first to FILE.partial, synced, then renamed, so FILE is always complete. The gateway may keep
      shipping meanwhile. Prints the last journal seq the copy holds at least.
  fixgate-pg.sh restore DIR FILE [--database NAME]
      Put the audit database back as FILE (made by backup) holds it. The current database is not dropped:
      connections to it are closed and it is renamed NAME_old_<UTC date_time> (drop it once you no longer
      need it). The copy is first restored in one transaction as NAME_restoring, then renamed: a failed
      restore changes nothing. A running gateway's shipper reconnects by itself and ships again, from its
      journal, every record after the last one the copy holds. Prints that seq.
  --database NAME (backup, restore): the database to copy or replace (default fixgate); at most 43
      lower-case letters, digits and underscores.

Environment: FIXGATE_PG_BIN (default /usr/lib/postgresql/15/bin) the PostgreSQL server binaries.
Passwords are never printed and never in the repository: they live only in DIR/pgpass.

Example:
  tools/pg/fixgate-pg.sh init var/pg && tools/pg/fixgate-pg.sh start var/pg && tools/pg/fixgate-pg.sh migrate var/pg
  psql "\$(tools/pg/fixgate-pg.sh conninfo var/pg compliance)"
EOF
}

die() {
  echo "fixgate-pg: $*" >&2
  exit 1
}
say() { echo "fixgate-pg: $*"; }

as_root=0
[ "$(id -u)" -eq 0 ] && as_root=1

# Runs a command as the user who owns the cluster: postgres when we are root (PostgreSQL refuses to run as
# root), otherwise ourselves. From / so that a cwd postgres cannot read does not matter.
as_owner() {
  if [ "$as_root" -eq 1 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

need_pg_bin() {
  [ -x "$pg_bin/pg_ctl" ] && [ -x "$pg_bin/initdb" ] ||
    die "PostgreSQL 15 server binaries not found in $pg_bin: install them (bash tools/setup/install-deps.sh, package postgresql-15) or set FIXGATE_PG_BIN"
  if [ "$as_root" -eq 1 ]; then
    id postgres >/dev/null 2>&1 ||
      die "running as root but there is no 'postgres' user to run the server as: install postgresql-15 (it creates the user) or run as an ordinary user"
  fi
}

# An absolute path without resolving symlinks; the directory need not exist yet.
absolute() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$PWD/$1" ;;
  esac
}

check_dir_name() {
  case "$1" in
    *[[:space:]\'\"\\:]*)
      die "cluster directory '$1' contains a space, quote, backslash or colon, which PostgreSQL's configuration and libpq connection strings cannot carry here: choose a plainer path" ;;
  esac
}

cluster_dir() {
  [ $# -ge 1 ] && [ -n "$1" ] || die "missing cluster directory: see fixgate-pg.sh --help"
  local dir
  dir=$(absolute "$1")
  dir=${dir%/}
  check_dir_name "$dir"
  printf '%s\n' "$dir"
}

require_cluster() {
  local dir=$1
  [ -f "$dir/data/PG_VERSION" ] ||
    { echo "fixgate-pg: no cluster in $dir: create one with fixgate-pg.sh init $dir" >&2; exit 4; }
  [ -f "$dir/.fixgate-init-complete" ] ||
    die "$dir holds an incomplete cluster (init was interrupted): remove $dir and run fixgate-pg.sh init again"
}

cluster_port() {
  local port
  port=$(sed -n "s/^port = \([0-9]*\)$/\1/p" "$1/data/fixgate.conf" 2>/dev/null | head -n 1)
  [ -n "$port" ] || die "cannot read the port from $1/data/fixgate.conf: was this cluster made by fixgate-pg.sh init?"
  printf '%s\n' "$port"
}

cluster_listens_tcp() {
  grep -q "^listen_addresses = '127.0.0.1'$" "$1/data/fixgate.conf"
}

role_name() {
  case "$1" in
    admin | fixgate_admin) echo fixgate_admin ;;
    writer | fixgate_writer) echo fixgate_writer ;;
    compliance | fixgate_compliance) echo fixgate_compliance ;;
    *) die "unknown role '$1': use admin, writer or compliance (or fixgate_admin, fixgate_writer, fixgate_compliance)" ;;
  esac
}

conninfo_for() {
  local dir=$1 role=$2 db=${3:-$database} host=${4:-}
  [ -n "$host" ] || host=$dir/socket
  printf 'host=%s port=%s dbname=%s user=%s passfile=%s\n' "$host" "$(cluster_port "$dir")" "$db" "$role" "$dir/pgpass"
}

is_running() {
  as_owner "$pg_bin/pg_ctl" status -D "$1/data" >/dev/null 2>&1
}

postmaster_pid() {
  head -n 1 "$1/data/postmaster.pid" 2>/dev/null || true
}

show_log_tail() {
  local log=$1
  if [ -f "$log" ]; then
    echo "--- last lines of $log:" >&2
    tail -n 30 "$log" >&2
  fi
}

random_password() {
  od -An -tx1 -N24 /dev/urandom | tr -d ' \n'
}

# ---------------------------------------------------------------------------------------------------------
cmd_init() {
  local dir port="" fast=0
  dir=$(cluster_dir "${1:-}")
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      --port)
        [ $# -ge 2 ] || die "--port needs a number"
        port=$2
        shift 2 ;;
      --fast) fast=1; shift ;;
      *) die "init: unknown argument '$1': see fixgate-pg.sh --help" ;;
    esac
  done
  if [ -n "$port" ]; then
    [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] ||
      die "--port '$port' is not a TCP port number (1-65535)"
  fi
  need_pg_bin

  if [ -f "$dir/data/PG_VERSION" ]; then
    require_cluster "$dir"
    say "$dir already holds a cluster (port $(cluster_port "$dir")): nothing done"
    return 0
  fi
  if [ -d "$dir/data" ] && [ -n "$(ls -A "$dir/data")" ]; then
    die "$dir/data exists and is not empty but holds no cluster: remove it or choose another directory"
  fi

  local effective_port=${port:-$default_port}
  local socket_path="$dir/socket/.s.PGSQL.$effective_port"
  [ ${#socket_path} -le 107 ] ||
    die "the socket path $socket_path is ${#socket_path} characters, over the 107 a Unix socket allows: choose a shorter directory"

  if [ "$as_root" -eq 1 ]; then
    # The server runs as postgres: it must be able to reach DIR. Checked before anything is created.
    local existing=$dir
    while [ ! -e "$existing" ]; do existing=$(dirname "$existing"); done
    runuser -u postgres -- test -x "$existing" ||
      die "the postgres user cannot reach $existing (it or a parent directory is not searchable by it), so it could not run a cluster in $dir: choose a directory under /tmp, /var/lib or /srv, or chmod o+x the directories on the way"
  fi
  mkdir -p "$dir"
  chmod 0700 "$dir"
  mkdir -p "$dir/data" "$dir/socket" "$dir/log"
  chmod 0700 "$dir/data" "$dir/socket" "$dir/log"
  if [ "$as_root" -eq 1 ]; then
    chown postgres:postgres "$dir" "$dir/data" "$dir/socket" "$dir/log"
  fi

  # Passwords: one libpq password file, readable only by whoever ran init (the gateway and the tools run as
  # that user and point at it with passfile=). Wildcards: it serves the socket and 127.0.0.1 alike.
  local pgpass="$dir/pgpass" tmp_pgpass="$dir/pgpass.tmp"
  declare -A password
  local role
  for role in "${roles[@]}"; do password[$role]=$(random_password); done
  (
    umask 077
    {
      echo "# fixgate private cluster $dir: libpq password file (connection parameter passfile=)."
      echo "# Written by fixgate-pg.sh init. Keep it mode 0600; never copy it into the repository."
      for role in "${roles[@]}"; do echo "*:*:*:$role:${password[$role]}"; done
    } >"$tmp_pgpass"
  )
  mv -f "$tmp_pgpass" "$pgpass"

  # initdb reads the superuser's password from a file the server's user can read; it goes away at once.
  local pwfile="$dir/.initdb-pwfile"
  local started=0
  cleanup_init() {
    rm -f "$pwfile"
    if [ "$started" -eq 1 ]; then
      as_owner "$pg_bin/pg_ctl" stop -D "$dir/data" -m fast -w -t 60 >/dev/null 2>&1 || true
    fi
  }
  trap cleanup_init EXIT
  (umask 077 && printf '%s\n' "${password[$admin_role]}" >"$pwfile")
  [ "$as_root" -eq 1 ] && chown postgres:postgres "$pwfile"

  local initdb_args=(-D "$dir/data" -U "$admin_role" --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8
    --locale=C --data-checksums)
  [ "$fast" -eq 1 ] && initdb_args+=(--no-sync)
  say "initdb $dir/data (superuser $admin_role)"
  if ! as_owner "$pg_bin/initdb" "${initdb_args[@]}" >"$dir/log/initdb.log" 2>&1; then
    show_log_tail "$dir/log/initdb.log"
    die "initdb failed (log above, in $dir/log/initdb.log): remove $dir and run init again once the cause is fixed"
  fi
  rm -f "$pwfile"

  local listen="''"
  [ -n "$port" ] && listen="'127.0.0.1'"
  local durability
  if [ "$fast" -eq 1 ]; then
    # Commits still reach the kernel before the client hears of them (synchronous_commit stays on), so a
    # server crash or an immediate stop loses nothing committed; only a crash of the machine can.
    durability="# --fast: throw-away test cluster; a machine crash can corrupt it.
fsync = off
synchronous_commit = on
full_page_writes = off"
  else
    durability="# Durable: every commit is on disk before the client hears of it.
fsync = on
synchronous_commit = on
full_page_writes = on"
  fi
  cat >"$dir/data/fixgate.conf" <<EOF
# Written by fixgate-pg.sh init; included from postgresql.conf.
listen_addresses = $listen
port = $effective_port
unix_socket_directories = '$dir/socket'
unix_socket_permissions = 0770
password_encryption = scram-sha-256
max_connections = 50
shared_buffers = 128MB
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
log_min_error_statement = error
$durability
EOF
  echo "include 'fixgate.conf'" >>"$dir/data/postgresql.conf"
  cat >"$dir/data/pg_hba.conf" <<EOF
# Written by fixgate-pg.sh init: every connection authenticates with a SCRAM-SHA-256 password.
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 scram-sha-256
host    all       all   127.0.0.1/32  scram-sha-256
EOF
  if [ "$as_root" -eq 1 ]; then
    chown postgres:postgres "$dir/data/fixgate.conf" "$dir/data/pg_hba.conf"
  fi

  # The database and the login roles with their passwords (002_roles.sql then finds the roles and keeps
  # them). The statement with a password goes to psql on stdin, never on a command line; the session does
  # not log statements, not even failing ones.
  say "creating database $database and roles fixgate_writer, fixgate_compliance"
  start_server "$dir"
  started=1
  local sql
  sql="SET log_min_error_statement = panic;
SET log_statement = 'none';
CREATE DATABASE $database;
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'fixgate_writer') THEN
    CREATE ROLE fixgate_writer LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'fixgate_compliance') THEN
    CREATE ROLE fixgate_compliance LOGIN;
  END IF;
END \$\$;
ALTER ROLE fixgate_writer PASSWORD '${password[fixgate_writer]}';
ALTER ROLE fixgate_compliance PASSWORD '${password[fixgate_compliance]}';"
  if ! printf '%s\n' "$sql" | "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 "$(conninfo_for "$dir" "$admin_role" postgres)" \
    >"$dir/log/init-sql.log" 2>&1; then
    cat "$dir/log/init-sql.log" >&2
    show_log_tail "$dir/log/postgresql.log"
    die "creating the database and roles failed (above): remove $dir and run init again once the cause is fixed"
  fi
  as_owner "$pg_bin/pg_ctl" stop -D "$dir/data" -m fast -w -t 60 >/dev/null
  started=0
  trap - EXIT
  touch "$dir/.fixgate-init-complete"
  say "cluster ready in $dir (stopped): start it with fixgate-pg.sh start $dir; passwords are in $pgpass"
}

start_server() {
  local dir=$1
  if ! as_owner "$pg_bin/pg_ctl" start -D "$dir/data" -l "$dir/log/postgresql.log" -w -t "$start_timeout" -s \
    >"$dir/log/pg_ctl.log" 2>&1; then
    cat "$dir/log/pg_ctl.log" >&2
    show_log_tail "$dir/log/postgresql.log"
    die "the server in $dir did not start within ${start_timeout}s (server log above, in $dir/log/postgresql.log)"
  fi
}

cmd_start() {
  local dir watch_pid=""
  dir=$(cluster_dir "${1:-}")
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      --watch-pid)
        [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || die "--watch-pid needs a process id"
        watch_pid=$2
        shift 2 ;;
      *) die "start: unknown argument '$1': see fixgate-pg.sh --help" ;;
    esac
  done
  need_pg_bin
  require_cluster "$dir"
  if is_running "$dir"; then
    say "server in $dir already running (pid $(postmaster_pid "$dir")): nothing done"
    return 0
  fi
  start_server "$dir"
  local pid
  pid=$(postmaster_pid "$dir")
  if [ -n "$watch_pid" ]; then
    # Its own session and no inherited descriptors: it outlives this script and whoever waits on our output.
    setsid "$BASH" "$self" _watch "$dir" "$watch_pid" "$pid" </dev/null >>"$dir/log/watch.log" 2>&1 &
  fi
  if cluster_listens_tcp "$dir"; then
    say "server in $dir running (pid $pid) on $dir/socket and 127.0.0.1:$(cluster_port "$dir")"
  else
    say "server in $dir running (pid $pid) on $dir/socket (port $(cluster_port "$dir"))"
  fi
}

# Internal: stop the cluster (immediate) when process $2 has gone; end when the server $3 has stopped.
cmd_watch() {
  local dir=$1 watch_pid=$2 server_pid=$3 i
  for ((i = 0; i < watch_max_seconds; i++)); do
    kill -0 "$server_pid" 2>/dev/null || exit 0
    if ! kill -0 "$watch_pid" 2>/dev/null; then
      echo "$(date -u +%FT%TZ) process $watch_pid has gone: stopping the server (pid $server_pid) in $dir"
      as_owner "$pg_bin/pg_ctl" stop -D "$dir/data" -m immediate -w -t 30 || kill -KILL "$server_pid" || true
      exit 0
    fi
    sleep 1
  done
  echo "$(date -u +%FT%TZ) watched process $watch_pid for ${watch_max_seconds}s: giving up, server left running"
}

cmd_stop() {
  local dir mode=fast
  dir=$(cluster_dir "${1:-}")
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      --immediate) mode=immediate; shift ;;
      *) die "stop: unknown argument '$1': see fixgate-pg.sh --help" ;;
    esac
  done
  need_pg_bin
  require_cluster "$dir"
  if ! is_running "$dir"; then
    say "server in $dir not running: nothing done"
    return 0
  fi
  local pid
  pid=$(postmaster_pid "$dir")
  if ! as_owner "$pg_bin/pg_ctl" stop -D "$dir/data" -m "$mode" -w -t 60 -s >"$dir/log/pg_ctl.log" 2>&1; then
    cat "$dir/log/pg_ctl.log" >&2
    show_log_tail "$dir/log/postgresql.log"
    die "the server in $dir (pid $pid) did not stop within 60s: stop it with kill -QUIT $pid (or -KILL)"
  fi
  say "server in $dir stopped ($mode)"
}

cmd_status() {
  local dir
  dir=$(cluster_dir "${1:-}")
  need_pg_bin
  require_cluster "$dir"
  if is_running "$dir"; then
    say "server in $dir running (pid $(postmaster_pid "$dir")), port $(cluster_port "$dir")"
    return 0
  fi
  say "server in $dir not running: start it with fixgate-pg.sh start $dir"
  exit 3
}

cmd_conninfo() {
  local dir role host=""
  dir=$(cluster_dir "${1:-}")
  [ $# -ge 2 ] || die "conninfo: missing ROLE (admin, writer or compliance)"
  role=$(role_name "$2")
  shift 2
  while [ $# -gt 0 ]; do
    case "$1" in
      --tcp)
        cluster_listens_tcp "$dir" || die "$dir listens on its socket only: recreate it with init --port N for TCP"
        host=127.0.0.1
        shift ;;
      *) die "conninfo: unknown argument '$1': see fixgate-pg.sh --help" ;;
    esac
  done
  require_cluster "$dir"
  conninfo_for "$dir" "$role" "$database" "$host"
}

cmd_migrate() {
  local dir tool=${FIXGATE_DB_BIN:-}
  dir=$(cluster_dir "${1:-}")
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      --fixgate-db)
        [ $# -ge 2 ] || die "--fixgate-db needs a path"
        tool=$2
        shift 2 ;;
      *) die "migrate: unknown argument '$1': see fixgate-pg.sh --help" ;;
    esac
  done
  if [ -z "$tool" ]; then
    if [ -x "$root/build/tools/fixgate-db/fixgate-db" ]; then
      tool=$root/build/tools/fixgate-db/fixgate-db
    elif command -v fixgate-db >/dev/null 2>&1; then
      tool=$(command -v fixgate-db)
    fi
  fi
  [ -n "$tool" ] && [ -x "$tool" ] ||
    die "fixgate-db not found: build it (bash tools/setup/build.sh) or pass --fixgate-db PATH"
  need_pg_bin
  require_cluster "$dir"
  is_running "$dir" || die "server in $dir not running: start it with fixgate-pg.sh start $dir"
  "$tool" migrate --db "$(conninfo_for "$dir" "$admin_role")" --dir "$root/sql"
}

# Parses "DIR FILE [--database NAME]" for backup and restore into the globals dir, file, db.
parse_copy_args() {
  local what=$1
  shift
  dir=$(cluster_dir "${1:-}")
  [ $# -ge 2 ] && [ -n "$2" ] || die "$what: missing FILE: see fixgate-pg.sh --help"
  file=$(absolute "$2")
  db=$database
  shift 2
  while [ $# -gt 0 ]; do
    case "$1" in
      --database)
        [ $# -ge 2 ] || die "--database needs a name"
        db=$2
        shift 2 ;;
      *) die "$what: unknown argument '$1': see fixgate-pg.sh --help" ;;
    esac
  done
  # At most 43 characters: restore keeps the database it replaces as NAME_old_YYYYMMDD_HHMMSS, and
  # PostgreSQL cuts names at 63.
  [[ "$db" =~ ^[a-z_][a-z0-9_]{0,42}$ ]] ||
    die "--database '$db': use at most 43 lower-case letters, digits and underscores (a name PostgreSQL takes unquoted)"
  need_pg_bin
  require_cluster "$dir"
  is_running "$dir" || die "server in $dir not running: start it with fixgate-pg.sh start $dir"
}

# psql as fixgate_admin on database $1, the statement $2; prints the single value it returns.
admin_query() {
  "$pg_bin/psql" -X -q -At -v ON_ERROR_STOP=1 -c "$2" "$(conninfo_for "$dir" "$admin_role" "$1")"
}

# The last seq of audit.journal_records in database $1 (0 when empty).
audit_last_seq() {
  admin_query "$1" "SELECT coalesce(max(seq), 0) FROM audit.journal_records"
}

cmd_backup() {
  local dir file db
  parse_copy_args backup "$@"
  [ -d "$(dirname "$file")" ] || die "cannot write $file: directory $(dirname "$file") does not exist"
  local at_least partial=$file.partial
  at_least=$(audit_last_seq "$db") ||
    die "cannot read audit.journal_records in database $db: is it a migrated fixgate audit database?"
  rm -f "$partial"
  if ! "$pg_bin/pg_dump" --format=custom --file="$partial" --dbname="$(conninfo_for "$dir" "$admin_role" "$db")"; then
    rm -f "$partial"
    die "pg_dump of database $db failed (above): nothing written to $file"
  fi
  sync "$partial"
  mv -f "$partial" "$file"
  sync "$(dirname "$file")"
  say "backup of database $db written to $file ($(du -h "$file" | cut -f1)): journal records up to seq $at_least at least"
}

cmd_restore() {
  local dir file db
  parse_copy_args restore "$@"
  [ -r "$file" ] || die "no backup file $file (or it is not readable)"
  "$pg_bin/pg_restore" --list "$file" >/dev/null 2>&1 ||
    die "$file is not a backup made by fixgate-pg.sh backup (pg_restore cannot read it): nothing changed"
  local kept staging=${db}_restoring
  kept="${db}_old_$(date -u +%Y%m%d_%H%M%S)"
  [ "$(admin_query postgres "SELECT count(*) FROM pg_database WHERE datname = '$kept'")" = "0" ] ||
    die "a database named $kept exists already (a restore in the same second?): nothing changed; try again"

  # Restored under another name first, in one transaction: a failure leaves the current database untouched.
  admin_query postgres "DROP DATABASE IF EXISTS $staging" >/dev/null
  admin_query postgres "CREATE DATABASE $staging OWNER $admin_role" >/dev/null
  # A dump does not carry the privileges on the database itself: these are sql/002_roles.sql's.
  admin_query postgres "REVOKE ALL ON DATABASE $staging FROM PUBLIC" >/dev/null
  admin_query postgres "GRANT CONNECT ON DATABASE $staging TO fixgate_writer, fixgate_compliance" >/dev/null
  if ! "$pg_bin/pg_restore" --exit-on-error --single-transaction \
    --dbname="$(conninfo_for "$dir" "$admin_role" "$staging")" "$file"; then
    admin_query postgres "DROP DATABASE IF EXISTS $staging" >/dev/null || true
    die "restoring $file failed (above): nothing changed"
  fi
  local restored_to
  restored_to=$(audit_last_seq "$staging")

  if [ "$(admin_query postgres "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = "1" ]; then
    # No new connections (the shipper retries on its own), then close the open ones: a database in use
    # cannot be renamed.
    admin_query postgres "ALTER DATABASE $db WITH ALLOW_CONNECTIONS false" >/dev/null
    local i open=1
    for ((i = 0; i < 100; i++)); do
      open=$(admin_query postgres "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$db'")
      [ "$open" = "0" ] && break
      sleep 0.1
    done
    if [ "$open" != "0" ] || ! admin_query postgres "ALTER DATABASE $db RENAME TO $kept" >/dev/null; then
      admin_query postgres "ALTER DATABASE $db WITH ALLOW_CONNECTIONS true" >/dev/null
      admin_query postgres "DROP DATABASE IF EXISTS $staging" >/dev/null || true
      die "could not close the connections to database $db or rename it to $kept: nothing changed; try again"
    fi
    admin_query postgres "ALTER DATABASE $kept WITH ALLOW_CONNECTIONS true" >/dev/null
    say "database $db renamed $kept (kept as it was; drop it once you no longer need it)"
  fi
  admin_query postgres "ALTER DATABASE $staging RENAME TO $db" >/dev/null
  say "database $db restored from $file: audit.journal_records ends at seq $restored_to; a running gateway ships the records after it again from its journal"
}

# ---------------------------------------------------------------------------------------------------------
[ $# -ge 1 ] || { usage >&2; exit 2; }
command=$1
shift
case "$command" in
  -h | --help | help) usage ;;
  init) cmd_init "$@" ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  status) cmd_status "$@" ;;
  conninfo) cmd_conninfo "$@" ;;
  migrate) cmd_migrate "$@" ;;
  backup) cmd_backup "$@" ;;
  restore) cmd_restore "$@" ;;
  _watch) cmd_watch "$@" ;;
  *) echo "fixgate-pg: unknown command '$command'" >&2; usage >&2; exit 2 ;;
esac
