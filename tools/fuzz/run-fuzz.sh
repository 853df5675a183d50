#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang into build-fuzz/ and runs each for a bounded time.
# Run with --help for the options. Exit status: 0 no finding, 1 a target crashed, leaked, timed out or ran out
# of memory (each named with its input file), 2 usage or build problem.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ALL_TARGETS=(normalize_fuzz config_fuzz)
declare -A CORPUS=([normalize_fuzz]=normalize [config_fuzz]=config)

SECONDS_PER_TARGET=60
BUILD_DIR="$ROOT/build-fuzz"
BUILD_JOBS=1
GROW=0
BUILD=1
TARGETS=()
EXTRA=()

usage() {
  cat <<EOF
Usage: tools/fuzz/run-fuzz.sh [options] [-- libFuzzer flags...]

Fuzzes fixgate's hostile-input surfaces with libFuzzer + ASan + UBSan, each target for a bounded time:
  normalize_fuzz  client FIX messages (FIX.4.2, FIX.4.4, FIXT.1.1/5.0SP2; D F G H q and unsupported types)
                  through the gateway's data dictionaries and fix::normalize
  config_fuzz     gateway.yaml, instruments.yaml and limits.yaml through the loaders of src/config

Options:
  --seconds N      run each target for N seconds (default 60; the CI-sized run)
  --minutes M      run each target for M minutes (a long run on demand)
  --target NAME    only this target (repeatable): ${ALL_TARGETS[*]}
  --grow-corpus    afterwards merge the inputs that add coverage into tests/fuzz/corpus/<target>/
                   (otherwise new inputs stay in the scratch corpus BUILD_DIR/fuzz/<target>/corpus)
  --build-dir DIR  build tree (default build-fuzz); configured with -DFIXGATE_FUZZ=ON and clang
  --jobs N         build jobs (default 1)
  --no-build       use the binaries already in the build tree
  -h, --help       this text

Environment: CXX picks the compiler (default: the first of clang++-19..16, clang++ that has std::expected).
Crash, leak, timeout and OOM inputs are written to BUILD_DIR/fuzz/<target>/artifacts/ and named on exit;
reproduce one with: BUILD_DIR/tests/fuzz/<target> <input file>. A crash input belongs in
tests/fuzz/corpus/<target>/ as a regression seed once fixed (ctest runs every seed: <target>_seeds).
EOF
}

die() { echo "run-fuzz: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) [[ "${2:-}" =~ ^[0-9]+$ && "$2" -gt 0 ]] || die "--seconds needs a positive number"
               SECONDS_PER_TARGET="$2"; shift 2 ;;
    --minutes) [[ "${2:-}" =~ ^[0-9]+$ && "$2" -gt 0 ]] || die "--minutes needs a positive number"
               SECONDS_PER_TARGET=$(( $2 * 60 )); shift 2 ;;
    --target) [[ -n "${CORPUS[${2:-}]:-}" ]] || die "unknown target '${2:-}' (${ALL_TARGETS[*]})"
              TARGETS+=("$2"); shift 2 ;;
    --grow-corpus) GROW=1; shift ;;
    --build-dir) [[ -n "${2:-}" ]] || die "--build-dir needs a directory"
                 BUILD_DIR="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    --jobs) [[ "${2:-}" =~ ^[0-9]+$ ]] || die "--jobs needs a number"; BUILD_JOBS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=("${ALL_TARGETS[@]}")

# A clang whose standard library setup offers std::expected (libstdc++ 12 needs __cpp_concepts >= 202002L:
# clang 19 on Debian bookworm, not its default clang 14).
has_expected() {
  printf '#include <expected>\nint main() { std::expected<int, int> e = 0; return *e; }\n' |
    "$1" -std=c++2b -x c++ - -fsyntax-only >/dev/null 2>&1
}
pick_compiler() {
  if [[ -n "${CXX:-}" ]]; then echo "$CXX"; return; fi
  for c in clang++-19 clang++-18 clang++-17 clang++-16 clang++; do
    if command -v "$c" >/dev/null 2>&1 && has_expected "$c"; then echo "$c"; return; fi
  done
}

if [[ $BUILD -eq 1 ]]; then
  COMPILER="$(pick_compiler)"
  if [[ -z "$COMPILER" ]]; then
    die "no clang++ with std::expected found; on Debian bookworm: apt-get install clang-19 libclang-rt-19-dev"
  fi
  echo "run-fuzz: building ${TARGETS[*]} with $COMPILER into $BUILD_DIR (-j$BUILD_JOBS)"
  mkdir -p "$BUILD_DIR/fuzz"
  # FIXGATE_WERROR=OFF: clang warns where gcc (the project's compiler) does not; the fuzz build must not
  # stop on that.
  cmake -S "$ROOT" -B "$BUILD_DIR" -DFIXGATE_FUZZ=ON -DFIXGATE_WERROR=OFF -DCMAKE_CXX_COMPILER="$COMPILER" \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$BUILD_DIR/fuzz/configure.log" 2>&1 \
    || { tail -30 "$BUILD_DIR/fuzz/configure.log" >&2; die "configure failed (log: $BUILD_DIR/fuzz/configure.log)"; }
  cmake --build "$BUILD_DIR" --target "${TARGETS[@]}" -j"$BUILD_JOBS" >"$BUILD_DIR/fuzz/build.log" 2>&1 \
    || { grep -E "error|Error" "$BUILD_DIR/fuzz/build.log" | head -30 >&2; die "build failed (log: $BUILD_DIR/fuzz/build.log)"; }
fi

failed=0
for target in "${TARGETS[@]}"; do
  bin="$BUILD_DIR/tests/fuzz/$target"
  [[ -x "$bin" ]] || die "$bin is missing (configure with -DFIXGATE_FUZZ=ON and clang, or drop --no-build)"
  work="$BUILD_DIR/fuzz/$target"
  seeds="$ROOT/tests/fuzz/corpus/${CORPUS[$target]}"
  mkdir -p "$work/corpus" "$work/artifacts"
  log="$work/last-run.log"
  before=$(find "$work/artifacts" -type f | wc -l)
  # Bounded twice: libFuzzer's own -max_total_time, and timeout(1) with a margin should it not stop.
  timeout --kill-after=30 $(( SECONDS_PER_TARGET + 120 )) \
    "$bin" "$work/corpus" "$seeds" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/artifacts/" "${EXTRA[@]}" >"$log" 2>&1
  status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[^ ]*\).*/\1/p' <<<"$last")
  echo "run-fuzz: $target ${SECONDS_PER_TARGET}s runs=${runs:-?} exec/s=${eps:-?} cov=${cov:-?} ft=${ft:-?}" \
       "corpus=${corp:-?} exit=$status log=$log"
  after=$(find "$work/artifacts" -type f | wc -l)
  if [[ $status -ne 0 || $after -gt $before ]]; then
    failed=1
    input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    echo "run-fuzz: FINDING in $target (exit $status): input ${input:-see $work/artifacts/}" >&2
    grep -E "INVARIANT BROKEN|==fixgate-fuzz==|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY" \
      "$log" | head -10 >&2
    echo "run-fuzz: reproduce: $bin ${input:-<input>}   (full log: $log)" >&2
  fi
  if [[ $GROW -eq 1 ]]; then
    n0=$(find "$seeds" -type f | wc -l)
    "$bin" -merge=1 "$seeds" "$work/corpus" -max_len=65536 >"$work/merge.log" 2>&1 \
      || echo "run-fuzz: merge into $seeds failed (log: $work/merge.log)" >&2
    n1=$(find "$seeds" -type f | wc -l)
    echo "run-fuzz: $target corpus grown: $seeds $n0 -> $n1 files"
  fi
done
exit $failed
