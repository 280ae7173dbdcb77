#!/usr/bin/env bash
# Builds and runs every test: a sanitizer build (ASan+UBSan) runs the unit tests, the fuzz-corpus replays
# and the end-to-end suite against the sanitized daemon (a report makes the daemon exit non-zero, which fails
# the test; the slow e2e files and the tests marked `slow` are left to the next pass); then the Release build
# runs them all. Warnings are errors. The last line is CTest's summary of the Release run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

jobs=$(nproc)
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ahttpd-ccache}"
# Hits across checkouts in different folders (CI clones anew): paths relative to the tree, no cwd in the hash.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1

echo "== sanitizer build (ASan + UBSan): unit tests, fuzz-corpus replay and end-to-end against the ASan daemon"
echo "   (except the slow e2e files and tests marked slow, which only wait out real timeouts: the release pass runs them)"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DAHTTP_SANITIZE=ON -DAHTTP_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 AHTTP_E2E_SKIP_SLOW=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE slow

echo "== release build: unit tests, fuzz-corpus replay, end-to-end"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DAHTTP_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
status=0
ctest --test-dir build --output-on-failure -j"$jobs" 2>&1 | tee build/ctest-release.log || status=$?
# CTest's summary printed again as the very last line, for CI to read.
grep -E '^[0-9]+% tests passed' build/ctest-release.log | tail -n 1
exit "$status"
