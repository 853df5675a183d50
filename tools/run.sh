#!/usr/bin/env bash
# The main job: install what is missing, build, start the project's private PostgreSQL (var/pg, migrated),
# the exchange simulators and the gateway on the default configuration in config/, and print how a client
# connects. Ctrl-C stops everything (the PostgreSQL cluster keeps running; tools/pg/fixgate-pg.sh stop var/pg).
#   tools/run.sh          run until Ctrl-C
#   tools/run.sh --demo   also run the demo client (new, partial fill, replace, status, cancel, mass cancel,
#                         a reject), print its reports and the order's audit trail from PostgreSQL, verify
#                         the hash chain, then stop everything; exits with the demo's status
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
demo=0
case "${1:-}" in
  --demo) demo=1 ;;
  -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
  "") ;;
  *) echo "run.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac

bash "$root/tools/setup/install-deps.sh"
bash "$root/tools/setup/build.sh" "$root/build"

bin="$root/build"
run_dir="$root/var/run"
mkdir -p "$run_dir"
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
trap 'exit 130' INT TERM

wait_for_line() {  # file, text, seconds
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      echo "run.sh: timed out waiting for '$2' in $1; its last lines:" >&2
      tail -n 20 "$1" >&2
      exit 1
    fi
    sleep 0.2
  done
}

# The audit store: a private cluster under var/pg (unix socket only, passwords in var/pg/pgpass, mode 0600).
pg_dir="$root/var/pg"
bash "$root/tools/pg/fixgate-pg.sh" init "$pg_dir"
bash "$root/tools/pg/fixgate-pg.sh" start "$pg_dir"
bash "$root/tools/pg/fixgate-pg.sh" migrate "$pg_dir"
export FIXGATE_AUDIT_DB
FIXGATE_AUDIT_DB=$(bash "$root/tools/pg/fixgate-pg.sh" conninfo "$pg_dir" fixgate_writer)
compliance_db=$(bash "$root/tools/pg/fixgate-pg.sh" conninfo "$pg_dir" fixgate_compliance)

# Two venues as in config/gateway.yaml: SIM-A fills half of each order at once (the demo shows a partial fill),
# SIM-B rests orders until they cross.
"$bin/tools/exchange-sim/fixgate-exchange-sim" --port 9901 --venue SIM-A --fill-model partial \
  --data-dir "$run_dir/sim-a" >"$run_dir/sim-a.log" 2>&1 &
pids+=($!)
"$bin/tools/exchange-sim/fixgate-exchange-sim" --port 9902 --venue SIM-B --fill-model rest \
  --data-dir "$run_dir/sim-b" >"$run_dir/sim-b.log" 2>&1 &
pids+=($!)
"$bin/src/app/fixgate" --config "$root/config/gateway.yaml" >"$run_dir/fixgate.log" 2>&1 &
pids+=($!)

wait_for_line "$run_dir/fixgate.log" "fixgate ready" 20
wait_for_line "$run_dir/fixgate.log" "venue SIM-A logged on" 20
wait_for_line "$run_dir/fixgate.log" "venue SIM-B logged on" 20

cat <<INFO

fixgate is running.
  Clients connect over FIX to 127.0.0.1:9880, TargetCompID=FIXGATE, with one of the sessions in
  config/gateway.yaml, e.g. FIX.4.4 SenderCompID=ACME44, FIX.4.2 ACME42, FIXT.1.1 (FIX 5.0SP2) ACME50.
  Try:  $bin/tools/fixgate-client/fixgate-client --port 9880 --begin-string FIX.4.4 --sender ACME44 --demo
  Logs: $run_dir/fixgate.log, $run_dir/sim-a.log, $run_dir/sim-b.log; FIX message logs under var/gateway.
  Journal: var/gateway/journal. Audit (PostgreSQL, compliance role):
        $bin/tools/fixgate-audit/fixgate-audit --db "$compliance_db" orders --account ACME-1 --from 2000-01-01 --to 2100-01-01
        $bin/tools/fixgate-audit/fixgate-audit --db "$compliance_db" verify

INFO

if [ $demo -eq 1 ]; then
  set +e
  "$bin/tools/fixgate-client/fixgate-client" --port 9880 --begin-string FIX.4.4 --sender ACME44 --target FIXGATE --demo
  status=$?
  set -e
  # Let the shipper catch up (it ships what the journal has made durable, every few milliseconds).
  sleep 2
  echo
  echo "== audit trail of the demo's orders (PostgreSQL, compliance role) =="
  "$bin/tools/fixgate-audit/fixgate-audit" --db "$compliance_db" orders --account ACME-1 --from 2000-01-01 --to 2100-01-01 | tail -n 25
  echo "== hash chain =="
  "$bin/tools/fixgate-audit/fixgate-audit" --db "$compliance_db" verify || status=1
  exit $status
fi
echo "Press Ctrl-C to stop."
wait "${pids[@]}"
