#!/usr/bin/env bash
# Passes the tests: install what is missing, build, run every test through ctest; a bounded libFuzzer run
# of every fuzz target (clang) and its seed corpus; then the same suite built with AddressSanitizer +
# UndefinedBehaviorSanitizer. .ci/run calls exactly this. FIXGATE_SKIP_FUZZ=1 / FIXGATE_SKIP_SANITIZERS=1
# skip those stages locally.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash tools/setup/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)

echo "== build (RelWithDebInfo) =="
bash tools/setup/build.sh "$root/build"
echo "== tests =="
ctest --test-dir "$root/build" --output-on-failure -j "$jobs" --timeout 300

if [ "${FIXGATE_SKIP_FUZZ:-0}" != "1" ]; then
  echo "== fuzzing (libFuzzer + ASan + UBSan, bounded: 45 s per target) =="
  bash tools/fuzz/run-fuzz.sh --seconds 45 --jobs "$jobs"
  ctest --test-dir "$root/build-fuzz" --output-on-failure -R _seeds
fi

if [ "${FIXGATE_SKIP_SANITIZERS:-0}" != "1" ]; then
  echo "== build (ASan + UBSan) =="
  bash tools/setup/build.sh "$root/build-asan" -DFIXGATE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
  echo "== tests under ASan + UBSan =="
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$root/build-asan" --output-on-failure -j "$jobs" --timeout 600
fi
echo "== all tests passed =="
