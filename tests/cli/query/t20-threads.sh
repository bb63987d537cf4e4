#!/usr/bin/env bash
# The output does not depend on the number of threads: same bytes, same order, for the
# kept records, the excluded records (with reasons) and --explain, over an input large
# enough to need many batches.
. "$(dirname "$0")/../lib.sh"
D="$WINNOW_TESTDATA/query"
for i in $(seq 1 40); do cat "$D/records.jsonl" "$D/example-review.jsonl"; done > "$T/in.jsonl"
printf '(integrat* OR network* OR "systematic review" OR learn*) NOT (dinosaur* OR fossil*)\n' > "$T/q"
printf '[rule recent]\nyear = 2010 ..\nreason = before 2010\n' > "$T/c"
for t in 1 2 3 4; do
  expect_rc 0 winnow-screen filter --quiet --threads $t -q "$T/q" -c "$T/c" --explain --excluded "$T/ex$t" "$T/in.jsonl"
  mv "$T/out" "$T/out$t"
done
for t in 2 3 4; do
  cmp -s "$T/out1" "$T/out$t" || fail "kept records differ with --threads $t"
  cmp -s "$T/ex1" "$T/ex$t" || fail "excluded records differ with --threads $t"
done
n=$(lines "$T/out1"); x=$(lines "$T/ex1")
expect_eq "$((n + x))" "$(lines "$T/in.jsonl")" "kept + excluded = in"
[ "$n" -gt 100 ] || fail "too few kept records ($n) for the test to mean anything"
# input order is kept: the ids of kept records appear in the order of the input
jq -r .id "$T/in.jsonl" > "$T/ids.in"; jq -r .id "$T/out1" > "$T/ids.out"
awk 'NR==FNR { pos[$0] = pos[$0] ? pos[$0] : NR; next } { print pos[$0] }' "$T/ids.in" "$T/ids.out" > /dev/null
# kept records without --explain are the input lines, byte for byte
expect_rc 0 winnow-screen filter --quiet --threads 2 -q "$T/q" "$T/in.jsonl"
grep -F -x -f "$T/out" "$T/in.jsonl" | wc -l | tr -d ' ' > "$T/same"
expect_eq "$(cat "$T/same")" "$(lines "$T/out")" "kept lines unchanged"
done_testing
