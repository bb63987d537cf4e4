#!/usr/bin/env bash
# The maybe file goes to a person and comes back as decisions: "same" merges (rule
# "manual"), "different" keeps apart for good, undecided lines are ignored; a re-run
# with the same decisions gives the same result; the ledger counts them.
. "$(dirname "$0")/../lib.sh"
D=$WINNOW_TESTDATA/dedup
expect_rc 0 winnow-dedup -q --maybe "$T/maybe" -o "$T/out0" "$D/traps.jsonl"
expect_eq "$(lines "$T/maybe")" 4 "four borderline pairs"
expect_eq "$(jq -r .decision "$T/maybe" | sort -u)" null "undecided"
# the person: part 1 / part 2 are the same (say), the Cochrane versions are different
jq -c 'if .reason == "title-numbers" then .decision = "same"
       elif .reason == "cochrane-version" then .decision = "different" else . end' "$T/maybe" > "$T/decided"
expect_rc 0 winnow-dedup -q --decisions "$T/decided" --maybe "$T/maybe2" --report "$T/report" \
  --ledger "$T/ledger" -o "$T/out1" "$D/traps.jsonl"
expect_eq "$(lines "$T/out1")" $(( $(lines "$T/out0") - 1 )) "one more record removed"
expect_contains "$T/report" "manual" "the removal names the manual rule"
expect_eq "$(lines "$T/maybe2")" 2 "decided pairs are not asked again"
expect_not_contains "$T/maybe2" "cochrane-version" "a different pair is not asked again"
expect_eq "$(jq -c '[.decisions_applied, .decisions_unmatched]' "$T/ledger")" "[2,0]" "ledger: decisions applied"
# reproducible
expect_rc 0 winnow-dedup -q --decisions "$T/decided" -o "$T/out2" "$D/traps.jsonl"
expect_eq "$(cmp -s "$T/out1" "$T/out2" && echo same)" same "the same decisions give the same result"
# minimal lines work too; a decision about a record not in the input is reported
printf '%s\n' '{"ids":["embase:cd002273-2","embase:cd002273-3"],"decision":"same"}' \
  '{"ids":["nosuch:1","embase:cd002273-3"],"decision":"different"}' > "$T/min"
expect_rc 0 winnow-dedup -q --decisions "$T/min" --report "$T/report2" --ledger "$T/ledger2" -o "$T/out3" "$D/traps.jsonl"
expect_contains "$T/report2" "embase:cd002273-" "a person can merge Cochrane versions"
expect_contains "$T/err" "1 decision name records that are not in the input" "unmatched decision reported"
expect_eq "$(jq -c .decisions_unmatched "$T/ledger2")" 1 "ledger: unmatched decision"
# "same" against two PMIDs in one cluster: the person's pair is applied first, the
# automatic pair that would chain a second PMID is refused
printf '%s\n' '{"ids":["pubmed:30000001","scopus:2-s2.0-1"],"decision":"same"}' > "$T/pm"
expect_rc 0 winnow-dedup -q --decisions "$T/pm" --report "$T/report3" --maybe "$T/maybe3" -o "$T/out4" "$D/traps.jsonl"
expect_contains "$T/report3" "scopus:2-s2.0-1	pubmed:30000001	manual" "manual pair applied"
expect_contains "$T/maybe3" "cluster-conflict" "the second PMID stays apart, as a maybe"
# bad decisions files: exit 3, naming the line
printf '%s\n' '{"ids":["a","b"],"decision":"maybe"}' > "$T/bad1"
expect_rc 3 winnow-dedup -q --decisions "$T/bad1" "$D/traps.jsonl"
expect_contains "$T/err" "line 1" "bad decision: names the line"
printf '%s\n' '{"ids":["a"],"decision":"same"}' > "$T/bad2"
expect_rc 3 winnow-dedup -q --decisions "$T/bad2" "$D/traps.jsonl"
expect_contains "$T/err" 'a decision needs "ids"' "bad ids"
printf '{"ids":["a","b"],"decision":"sa' > "$T/bad3"
expect_rc 3 winnow-dedup -q --decisions "$T/bad3" "$D/traps.jsonl"
expect_contains "$T/err" "bad decisions file" "truncated decisions file"
expect_rc 1 winnow-dedup -q --decisions "$T/nonexistent" "$D/traps.jsonl"
expect_contains "$T/err" "cannot open" "missing decisions file"
done_testing
