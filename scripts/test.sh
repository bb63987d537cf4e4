#!/usr/bin/env bash
# The README's second command: the whole test suite, in the normal build and again under
# AddressSanitizer + UndefinedBehaviorSanitizer.
#   scripts/test.sh           both builds
#   scripts/test.sh --quick   the normal build only
# The full run ends with valgrind over a sample of the golden tests (scripts/valgrind-golden.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
jobs=$(nproc)
cmake --preset dev >/dev/null
cmake --build --preset dev -j"$jobs"
ctest --preset dev -j"$jobs"
if [ "${1:-}" != --quick ]; then
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j"$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --preset asan -j"$jobs" -LE no-asan
  # memcheck over a sample of the golden tests (all: WINNOW_VALGRIND_MAX=0, or
  # ctest --preset valgrind); docs/robustness.md
  WINNOW_VALGRIND_MAX=${WINNOW_VALGRIND_MAX:-30} scripts/valgrind-golden.sh -B build/dev -j"$jobs"
fi
