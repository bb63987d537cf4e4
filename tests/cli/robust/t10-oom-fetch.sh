#!/usr/bin/env bash
# Allocation-failure loop over real imports (SQLite/curl torture): winnow-fetch file on
# a real RIS export, a real PubMed XML record and a real WoS export, failing libwinnow's
# Nth allocation for every N (once, then "sticky": every allocation from the Nth on).
# Each run must end in order - exit 1 with "out of memory", the -o file untouched, no
# temporary left, no crash or sanitizer report - or succeed with exactly the clean
# output. Under ASan the N are sampled (about 40 per file) to keep CI short.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/robust-lib.sh"
use_fast_dir  # outputs are fsync'd: on a tmpfs the loops run several times faster

max=1000000
sanitized && max=40
formats=$(winnow-fetch file --list-formats | awk '{print $1}')
tried=0
for c in "ris googlescholar.ris" "pubmed-xml pubmed-35679569.xml" "wos wos-isi2.isi"; do
  set -- $c
  fmt=$1 file=$ROBUST_DATA/$2
  if ! printf '%s\n' $formats | grep -qx "$fmt"; then
    echo "note: format $fmt not available yet; $2 not tested"; continue
  fi
  tried=$((tried+1))
  ref=$T/ref-$fmt.jsonl
  expect_rc 0 winnow-fetch file -q -o "$ref" "$file"
  expect_eq "$(test -s "$ref" && echo yes)" yes "clean import of $2 writes records"
  n=$(count_allocs winnow-fetch file -q -o "$F/count.jsonl" "$file")
  expect_eq "$([ "${n:-0}" -gt 10 ] && echo yes)" yes "allocation count of $2 ($n)"
  runs=0 fails=0
  for N in $(sample_ns "$n" "$max"); do
    for mode in "" ",sticky"; do
      rm -f "$F"/out.jsonl.tmp-*; printf 'OLD' > "$F/out.jsonl"
      WINNOW_FAIL_ALLOC=$N$mode winnow-fetch file -q --ledger "$F/ledger.jsonl" \
        -o "$F/out.jsonl" "$file" >"$T/stdout" 2>"$T/err"
      rc=$?
      check_failed_run "$2 WINNOW_FAIL_ALLOC=$N$mode" $rc "$F/out.jsonl" "$ref" "$T/err" OLD ||
        { echo "  (rerun: WINNOW_FAIL_ALLOC=$N$mode winnow-fetch file -o out $file)"
          fails=$((fails+1)); [ $fails -ge 3 ] && break 2; }
      runs=$((runs+1))
    done
  done
  check_ledger_valid "$F/ledger.jsonl" "$2"
  echo "$2: $n allocations, $runs failing runs checked"
done
expect_eq "$([ $tried -gt 0 ] && echo yes)" yes "at least one real format to import"
done_testing
