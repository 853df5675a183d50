#!/usr/bin/env bash
# Instructions per request on the gateway's message path, counted by callgrind (stable on a noisy VM, unlike
# time): fixgate-bench runs the fixgate setup once at a low rate with the gateway under valgrind, counting only
# - FIX::ThreadedSocketConnection::processStream(): QuickFIX's handling of every inbound message, client and
#   venue (parse, validate, the application callback, and on that same thread the core, the journal and the
#   venue send), and
# - ClientSessions::runOutbox(): building and sending the client reports,
# so start-up, the journal flusher and idle threads do not count. Run with --help for the options.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$ROOT/build"
RATE=100
SECONDS_MEASURED=10
WARMUP=2
OUT=""

usage() {
  cat <<EOF
Usage: tools/fixgate-bench/profile-order-path.sh [--build DIR] [--rate N] [--duration S] [--warmup S] [--out DIR]

Runs fixgate-bench --setups fixgate --rounds 1 with the gateway under callgrind and prints the instructions
counted on the message path per request sent (rate x (warmup + duration) requests: the load is open-loop, so
every run sends the same number). callgrind slows the gateway about 50 times: keep the rate low (default 100/s
for 2 + 10 s, about a minute in all).

  --build DIR     build tree with src/app/fixgate and tools/fixgate-bench (default: build)
  --rate N        requests per second (default 100)
  --duration S    measured seconds (default 10)
  --warmup S      warmup seconds, also counted (default 2)
  --out DIR       keep callgrind.out.* here for callgrind_annotate (default: a temporary directory, removed)
  -h, --help      this text
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) BUILD="$(cd "$2" && pwd)"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --duration) SECONDS_MEASURED="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "profile-order-path: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
command -v valgrind >/dev/null || { echo "profile-order-path: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
[[ -x "$BUILD/src/app/fixgate" && -x "$BUILD/tools/fixgate-bench/fixgate-bench" ]] ||
  { echo "profile-order-path: build $BUILD first (no fixgate or fixgate-bench there)" >&2; exit 2; }

work="$(mktemp -d /tmp/fixgate-profile-XXXXXX)"
trap 'rm -rf "$work"' EXIT
out="${OUT:-$work}"
mkdir -p "$out"
cat > "$work/fixgate-under-callgrind" <<EOF
#!/usr/bin/env bash
exec valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out.%p" --collect-atstart=no \\
  '--toggle-collect=FIX::ThreadedSocketConnection::processStream()' \\
  '--toggle-collect=fixgate::fix::ClientSessions::runOutbox(*' \\
  "$BUILD/src/app/fixgate" "\$@"
EOF
chmod +x "$work/fixgate-under-callgrind"
rm -f "$out"/callgrind.out.*

echo "profile-order-path: fixgate-bench at $RATE/s for $WARMUP + $SECONDS_MEASURED s, gateway under callgrind" >&2
"$BUILD/tools/fixgate-bench/fixgate-bench" --setups fixgate --rounds 1 --rate "$RATE" --duration "$SECONDS_MEASURED" \
  --warmup "$WARMUP" --gateway-bin "$work/fixgate-under-callgrind" --repo-dir "$ROOT" >&2

# The gateway's own profile is the largest file (the other is its --check-config run, which counts nothing).
profile="$(ls -S "$out"/callgrind.out.* | head -1)"
# (awk reads to the end: an early exit would fail the pipeline on SIGPIPE)
total="$(callgrind_annotate "$profile" 2>/dev/null |
  awk '/PROGRAM TOTALS/ && $1 ~ /^[0-9,]+$/ && !found {gsub(",", "", $1); print $1; found = 1}')"
requests="$(awk -v r="$RATE" -v d="$SECONDS_MEASURED" -v w="$WARMUP" 'BEGIN {printf "%d", r * (d + w)}')"
awk -v t="$total" -v n="$requests" 'BEGIN {printf "instructions on the message path: %d for %d requests: %.0f per request\n", t, n, t / n}'
[[ -n "$OUT" ]] && echo "profile: $profile (callgrind_annotate --inclusive=yes $profile)"
exit 0
