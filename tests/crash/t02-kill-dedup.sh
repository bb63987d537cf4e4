#!/usr/bin/env bash
# kill -9 during winnow-dedup -o (and its --ledger line): at exact points through the
# shim (before/after the fsync of the temporary file, before/after the rename over the
# output, half-way through the ledger line) and at random moments. Afterwards the -o file
# is either the previous one or the whole new one - never half written - and the ledger
# is readable (a torn last line is set aside by the next writer).
. "$(dirname "$0")/lib.sh"

# 2,000 records, every one with 39 duplicates: enough work to be killed in the middle
for i in $(seq 40); do cat "$WINNOW_TESTDATA/screen/pubmed50.jsonl"; done > "$T/in.jsonl"
winnow-dedup -q -j1 -o "$T/ref.jsonl" "$T/in.jsonl" 2>/dev/null
expect_eq "$(lines "$T/ref.jsonl")" 50 "reference: 2,000 records, 50 unique"

# out_ok LABEL: out.jsonl is OLD or the whole reference
out_ok() {
  CHECKS=$((CHECKS+1))
  if [ "$(cat "$T/out.jsonl")" = OLD ]; then return 0; fi
  cmp -s "$T/out.jsonl" "$T/ref.jsonl" && return 0
  fail "$1: out.jsonl is neither the old file nor the whole new one ($(wc -c < "$T/out.jsonl") bytes)"
}
ledger_ok() {
  CHECKS=$((CHECKS+1))
  # all lines but a torn last one are valid JSON
  if ! head -n "$(tr -cd '\n' < "$T/ledger.jsonl" | wc -c)" "$T/ledger.jsonl" | jq -e -c . >/dev/null 2>&1; then
    fail "$1: the ledger has a damaged line before its end"
  fi
}

if have_shim; then
  for point in fsync:out.jsonl.tmp-:1:before fsync:out.jsonl.tmp-:1:after rename:out.jsonl\$:1:before \
               rename:out.jsonl\$:1:after write:ledger.jsonl\$:1:half write:ledger.jsonl\$:1:before \
               fdatasync:ledger.jsonl\$:1:before; do
    printf 'OLD' > "$T/out.jsonl"
    env $(shim_env) LD_PRELOAD="$SHIM" WNSHIM_KILL="$point" \
      winnow-dedup -q -j1 --ledger "$T/ledger.jsonl" -o "$T/out.jsonl" "$T/in.jsonl" >/dev/null 2>"$T/err"
    expect_eq "$?" 137 "kill at $point: killed"
    out_ok "kill at $point"
    case $point in
      rename:*:after|write:*|fdatasync:*) expect_eq "$(cmp -s "$T/out.jsonl" "$T/ref.jsonl" && echo new)" new "kill at $point: the output was already complete" ;;
      *) expect_eq "$(cat "$T/out.jsonl")" OLD "kill at $point: the old output stays" ;;
    esac
    ledger_ok "kill at $point"
    rm -f "$T"/out.jsonl.tmp-*
  done
  # the next run sets the torn ledger line aside and appends a whole one
  expect_rc 0 winnow-dedup -q --ledger "$T/ledger.jsonl" -o "$T/out.jsonl" "$T/in.jsonl"
  expect_eq "$(jq -e -c . "$T/ledger.jsonl" >/dev/null 2>&1 && echo valid)" valid "ledger valid after the crashes"
  expect_eq "$(ls "$T"/ledger.jsonl.torn-* 2>/dev/null | wc -l | tr -d ' ')" 1 "the torn ledger line was set aside"
fi

# random moments
t0=$(date +%s%N); winnow-dedup -q -o "$T/timing.jsonl" "$T/in.jsonl"; t1=$(date +%s%N)
span=$(( (t1 - t0) / 1000000 + 5 ))
landed=0 leftovers=0
for round in $(seq $((ROUNDS * 2))); do
  printf 'OLD' > "$T/out.jsonl"
  kill_after $(( RANDOM % span )) winnow-dedup -q --ledger "$T/ledger.jsonl" -o "$T/out.jsonl" "$T/in.jsonl"
  [ "$KILLED" = 1 ] && landed=$((landed+1))
  grep -qE 'AddressSanitizer|runtime error' "$T/kerr" && fail "round $round: sanitizer report"
  out_ok "random kill round $round"
  ledger_ok "random kill round $round"
  ls "$T"/out.jsonl.tmp-* >/dev/null 2>&1 && leftovers=$((leftovers+1))
  rm -f "$T"/out.jsonl.tmp-*
done
echo "random kills: $landed of $((ROUNDS * 2)) landed during a $span ms run; $leftovers left a temporary file (expected after kill -9)"
done_testing
