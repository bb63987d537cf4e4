#!/usr/bin/env bash
# Allocation failures everywhere on the pubmed path (WINNOW_FAIL_ALLOC, as SQLite's and
# curl's torture loops): every run ends with a clean exit code and a message - no crash,
# no sanitizer report, no half-written -o file, never a "complete" result that is not.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/server.sh"
export WINNOW_EUTILS_NO_DELAY=1
start_server --no-rate-limit
run() { winnow-fetch pubmed 'asthma limit:12' --batch 5 -q --save-raw "$T/raw" -o "$T/o.jsonl" --ledger "$T/led"; }
WINNOW_ALLOC_COUNT=1 run 2> "$T/count"
total=$(grep -o 'allocations: [0-9]*' "$T/count" | grep -o '[0-9]*$')
if [ -z "$total" ]; then echo "skip: built without WINNOW_FAULT_INJECTION"; done_testing; fi
step=$(( total / 60 + 1 )); runs=0; bad=0
for i in $(seq 1 "$step" "$total"); do
  rm -rf "$T/raw" "$T/o.jsonl" "$T/led"
  WINNOW_FAIL_ALLOC=$i run 2> "$T/e"; rc=$?; runs=$((runs+1))
  case $rc in 0|1|4) ;; *) bad=$((bad+1)); echo "allocation $i: exit $rc" >&2; head -3 "$T/e" >&2 ;; esac
  if grep -q "AddressSanitizer\|runtime error\|LeakSanitizer" "$T/e"; then bad=$((bad+1)); echo "allocation $i:" >&2; head -5 "$T/e" >&2; fi
  if [ $rc = 0 ]; then
    [ "$(lines "$T/o.jsonl")" = 12 ] || { bad=$((bad+1)); echo "allocation $i: exit 0 with $(lines "$T/o.jsonl") records" >&2; }
  else
    [ ! -e "$T/o.jsonl" ] || { bad=$((bad+1)); echo "allocation $i: failed but left $T/o.jsonl" >&2; }
    grep -q "error:" "$T/e" || { bad=$((bad+1)); echo "allocation $i: exit $rc without a message" >&2; }
  fi
done
expect_eq "$bad" 0 "$runs runs with an allocation failing, all clean"
done_testing
