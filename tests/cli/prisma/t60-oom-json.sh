#!/usr/bin/env bash
# An allocation failure inside json-c while winnow-prisma reads the ledger or prints its
# counts ends the run with "out of memory", never a diagram or JSON with a member left
# out. json-c 0.16 drops a member silently when an object's table cannot grow while
# parsing (and clears errno when it parses a number after it), and leaves a piece out
# of a string it prints when its buffer cannot grow (a key printed as ""). Every N of
# the shim's json-c allocations (sampled under ASan).
# Regressions: N=158/159 lost removed_by_source (so duplicates_by_source was {}),
# N=194/195 the filter's query, N=231/232 and 280/281 whole ledger entries' members;
# N=594-603 printed "" keys or crashed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../robust/robust-lib.sh"
use_fast_dir
have_shim || skip_all "faultshim.so not built"
export WINNOW_TIME=1767225600
P=$WINNOW_TESTDATA/prisma/basic.ledger
max=200
sanitized && max=30
for mode in json svg; do
  run() { # run OUT [env...]: winnow-prisma writing OUT
    local out=$1; shift
    if [ $mode = json ]; then env "$@" winnow-prisma -q --ledger "$P" --force --json > "$out"
    else env "$@" winnow-prisma -q --ledger "$P" --force --svg "$out" >/dev/null; fi
  }
  run "$T/ref.$mode" 2>"$T/err"
  expect_eq "$?" 0 "$mode: clean run"
  expect_eq "$(grep -c removed_by_source "$T/ref.$mode")" 1 "$mode: the dedup entry's removed_by_source is shown"
  n=$(run /dev/null $(shim_env) LD_PRELOAD="$SHIM" WNSHIM_LIBALLOC_COUNT=1 2>&1 |
      sed -n 's/^faultshim: library allocations: //p' | tail -1)
  expect_eq "$([ "${n:-0}" -gt 100 ] && echo yes)" yes "$mode: json-c allocations counted ($n)"
  runs=0 fails=0 oom=0
  for N in $(sample_ns "${n:-0}" "$max"); do
    printf 'OLD' > "$F/out.$mode"
    run "$F/out.$mode" $(shim_env) LD_PRELOAD="$SHIM" WNSHIM_FAIL_LIBALLOC=$N 2>"$T/err"
    rc=$?
    [ $rc = 1 ] && oom=$((oom+1))
    if [ $mode = json ] && [ $rc != 0 ]; then
      printf 'OLD' > "$F/out.$mode" # stdout: nothing to keep whole
    fi
    check_failed_run "$mode WNSHIM_FAIL_LIBALLOC=$N" $rc "$F/out.$mode" "$T/ref.$mode" "$T/err" OLD \
      'out of memory' || { fails=$((fails+1)); [ $fails -ge 3 ] && break; }
    runs=$((runs+1))
  done
  expect_eq "$([ $oom -gt 10 ] && echo yes)" yes "$mode: runs ended by out of memory ($oom of $runs)"
done
done_testing
