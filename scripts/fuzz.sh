#!/usr/bin/env bash
# Run winnow's libFuzzer targets (docs/robustness.md).
#
#   scripts/fuzz.sh [-t SECONDS] [-j JOBS] [--keep-going] [--merge] [--build DIR] [TARGET...]
#
# Builds the `fuzz` preset (clang, -fsanitize=fuzzer,address,undefined) unless --build
# names an existing fuzz build, then runs each TARGET (default: all that were built) for
# SECONDS (default 60) with its dictionary and options from tests/fuzz/, seeded with
# tests/fuzz/corpus/<target>/. New inputs go to a work corpus under the build
# directory (fuzz-work/<target>/), never into the committed corpus, unless --merge: then
# the inputs that add coverage are merged into tests/fuzz/corpus/<target>/ (review the
# additions and keep the corpus small; docs/robustness.md).
#
# --keep-going runs libFuzzer in fork mode and goes on after a crash (to measure a target
# for its full time while a known bug is still open); every crash still leaves an
# artifact. A crash, leak, timeout or invariant abort leaves an artifact in fuzz-work/<target>/
# artifacts/. To make it a regression test: minimise it (fuzz_<t> -minimize_crash=1
# -runs=10000 FILE), copy it to tests/fuzz/corpus/<target>/regress-<what>.<ext>, fix the
# bug, and `ctest -L fuzz-regress` replays it from then on.
#
# Prints one line per target: executions, executions per second, coverage, crashes.
set -uo pipefail
cd "$(dirname "$0")/.."
secs=60 jobs=1 merge=0 keep=0 build=build/fuzz
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    -t) secs=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    --merge) merge=1; shift ;;
    --keep-going) keep=1; shift ;;
    --build) build=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option '$1'" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [ "$build" = build/fuzz ]; then
  cmake --preset fuzz >/dev/null || exit 1
  if [ ${#targets[@]} -gt 0 ]; then
    cmake --build --preset fuzz -j"$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}") || exit 1
  else
    cmake --build --preset fuzz -j"$(nproc)" || exit 1
  fi
fi
if [ ${#targets[@]} -eq 0 ]; then
  for b in "$build"/bin/fuzz_*; do [ -x "$b" ] && targets+=("${b##*/fuzz_}"); done
fi
[ ${#targets[@]} -gt 0 ] || { echo "fuzz.sh: no fuzz targets in $build/bin" >&2; exit 1; }

opt() { sed -n "s/^$2 *= *//p" "tests/fuzz/options/fuzz_$1.options" 2>/dev/null; }
status=0
printf '%-16s %10s %8s %6s %6s %s\n' target execs exec/s cov corpus crashes
for t in "${targets[@]}"; do
  bin=$build/bin/fuzz_$t
  [ -x "$bin" ] || { echo "fuzz.sh: $bin not built" >&2; status=1; continue; }
  work=$build/fuzz-work/$t
  mkdir -p "$work/corpus" "$work/artifacts"
  args=(-max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$work/artifacts/")
  ml=$(opt "$t" max_len); [ -n "$ml" ] && args+=(-max_len="$ml")
  to=$(opt "$t" timeout); [ -n "$to" ] && args+=(-timeout="$to")
  rl=$(opt "$t" rss_limit_mb); [ -n "$rl" ] && args+=(-rss_limit_mb="$rl")
  d=$(opt "$t" dict); [ -n "$d" ] && [ -f "tests/fuzz/dict/$d" ] && args+=(-dict="tests/fuzz/dict/$d")
  if [ "$jobs" -gt 1 ] || [ $keep = 1 ]; then
    args+=(-fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  fi
  "$bin" "${args[@]}" "$work/corpus" "tests/fuzz/corpus/$t" >"$work/log.txt" 2>&1
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log.txt" | tail -1)
  eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log.txt" | tail -1)
  if [ -z "$execs" ]; then # fork mode: the last status line
    execs=$(grep -aoE '^#[0-9]+' "$work/log.txt" | tail -1 | tr -d '#')
    [ -n "$execs" ] && eps=$(( execs / secs ))
  fi
  cov=$(grep -aoE 'cov: [0-9]+' "$work/log.txt" | tail -1 | cut -d' ' -f2)
  corp=$(grep -aoE 'corp: [0-9]+' "$work/log.txt" | tail -1 | cut -d' ' -f2)
  crashes=$(ls "$work/artifacts" | wc -l)
  printf '%-16s %10s %8s %6s %6s %s\n' "$t" "${execs:--}" "${eps:--}" "${cov:--}" "${corp:--}" "$crashes"
  if [ "$crashes" -gt 0 ]; then
    status=1
    grep -aE 'ERROR:|SUMMARY:|invariant violated' "$work/log.txt" | head -3 | sed 's/^/    /'
    ls "$work/artifacts" | sed "s|^|    $work/artifacts/|"
  fi
  if [ $merge = 1 ]; then
    "$bin" -merge=1 ${ml:+-max_len=$ml} "tests/fuzz/corpus/$t" "$work/corpus" >/dev/null 2>&1
  fi
done
exit $status
