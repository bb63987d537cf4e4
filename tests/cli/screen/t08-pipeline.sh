#!/usr/bin/env bash
# Two stages scripted end to end: title/abstract by two reviewers, agreement, conflicts
# resolved, the includes exported to full text, full text with reasons and reports not
# retrieved, and the ledger lines adding up the way PRISMA needs them.
. "$(dirname "$0")/../lib.sh"
cd "$T"
export WINNOW_TIME=1767225600
R="$WINNOW_TESTDATA/screen/pubmed50.jsonl"
# ann includes records 1-30, bob 1-25 and 31-35; maybe on 26 for bob; 50 undecided by bob
jq -r .id "$R" | awk '{print $0 "\t" (NR <= 30 ? "include" : "exclude")}' > ann.tsv
jq -r .id "$R" | awk 'NR < 50 {d = (NR <= 25 || (NR > 30 && NR <= 35)) ? "include" : (NR == 26 ? "maybe" : "exclude"); print $0 "\t" d}' > bob.tsv
expect_rc 0 winnow-screen review --reviewer ann --stage ta --log ann-ta.log --answers ann.tsv --ledger L "$R"
expect_rc 0 winnow-screen review --reviewer bob --stage ta --log bob-ta.log --answers bob.tsv --ledger L "$R"
expect_rc 0 winnow-screen agree --json --conflicts conflicts.tsv ann-ta.log bob-ta.log
expect_eq "$(jq -c '[.n, .table, .observed_agreement]' "$T/out")" '[49,[[26,4],[5,14]],0.8163265306]' "TA agreement table"
expect_eq "$(jq -c '.only_one_reviewer' "$T/out")" "{\"count\":1,\"by_reviewer\":{\"ann\":1,\"bob\":0},\"ids\":[\"$(jq -r .id "$R" | sed -n 50p)\"]}" "single-reviewer record listed"
expect_eq "$(grep -c disagree conflicts.tsv)" 9 "nine disagreements listed"
expect_eq "$(grep -c only-one conflicts.tsv)" 1 "the single-reviewer record listed"
# resolve the conflicts: include the ones bob included, exclude the rest
awk -F'\t' '$2 == "disagree" {print $1 "\t" ($4 == "include" || $4 == "maybe" ? "include" : "exclude")}' conflicts.tsv > res.tsv
expect_rc 0 winnow-screen resolve --reviewer cat --log cat-ta.log --answers res.tsv --ledger L ann-ta.log bob-ta.log
expect_contains "$T/err" "cat: 9 resolutions saved to 'cat-ta.log'; 0 of 9 conflicts still open" "all resolved"
# agreement does not change with resolutions
expect_rc 0 winnow-screen agree --json ann-ta.log bob-ta.log cat-ta.log
expect_eq "$(jq -c '[.n, .table, .resolved]' "$T/out")" '[49,[[26,4],[5,14]],9]' "agreement ignores resolutions"
for s in include exclude conflict undecided maybe; do
  expect_rc 0 winnow-screen export --stage ta --decision $s --ledger L "$R" ann-ta.log bob-ta.log cat-ta.log
  cp "$T/out" "ta-$s.jsonl"
done
expect_eq "$(wc -l < ta-include.jsonl)" 31 "TA includes (25 agreed, 1 include+maybe, 5 resolved)"
expect_eq "$(wc -l < ta-exclude.jsonl)" 18 "TA excludes (14 agreed, 4 resolved)"
expect_eq "$(wc -l < ta-undecided.jsonl)" 1 "one record waits for bob"
expect_eq "$(wc -l < ta-conflict.jsonl)" 0 "no conflict left"
expect_eq "$(jq -r .id ta-maybe.jsonl)" "$(jq -r .id "$R" | sed -n 26p)" "include + maybe is an include, exported by --decision maybe"
# records come out byte for byte
expect_eq "$(head -1 ta-include.jsonl)" "$(head -1 "$R")" "records unchanged"
last=$(tail -1 L)
expect_eq "$(jq -c '[.stage, .step, .screen_stage, .records_in, .state_counts, .not_retrieved, .unmatched_ids]' <<<"$last")" \
  '["screen","export","ta",50,{"include":31,"exclude":18,"conflict":0,"undecided":1},0,0]' "TA ledger line"
expect_eq "$(jq '(.state_counts | add) + .not_retrieved == .records_in' <<<"$last")" true "TA states add up"
expect_eq "$(jq -c .prisma <<<"$last")" '{"records_screened":50,"records_excluded":18,"reports_sought":31,"complete":false}' "PRISMA boxes"
expect_eq "$(jq -c 'select(.step == "review") | [.reviewer, .decisions, .records, .remaining]' L | tr '\n' ' ')" \
  '["ann",50,50,0] ["bob",49,50,1] ' "review ledger lines"
expect_eq "$(jq -c 'select(.step == "resolve") | [.reviewer, .conflicts, .decisions]' L)" '["cat",9,9]' "resolve ledger line"

# full text on the 31 included
jq -r .id ta-include.jsonl | awk '{r = NR % 6; d = r == 0 ? "exclude\twrong population" : r == 1 ? "not-retrieved" : r == 2 ? "exclude\twrong study design" : "include"; print $0 "\t" d}' > ann-ft.tsv
jq -r .id ta-include.jsonl | awk '{r = NR % 6; d = r == 0 ? "exclude\tWrong population." : r == 1 ? "not-retrieved" : r == 2 ? "exclude\tnot in English" : "include"; print $0 "\t" d}' > bob-ft.tsv
expect_rc 0 winnow-screen review --reviewer ann --stage ft --log ann-ft.log --answers ann-ft.tsv --ledger L ta-include.jsonl
expect_rc 0 winnow-screen review --reviewer bob --stage ft --log bob-ft.log --answers bob-ft.tsv --ledger L ta-include.jsonl
expect_rc 0 winnow-screen agree ann-ft.log bob-ft.log
expect_contains "$T/out" "exclusions with different reasons: 5 (agree on exclusion; a conflict for export)" "FT reason conflicts"
expect_contains "$T/out" "not retrieved by at least one reviewer (left out of the table): 6" "FT not retrieved apart"
expect_rc 0 winnow-screen export --stage ft --decision conflict ta-include.jsonl ann-ft.log bob-ft.log
expect_eq "$(wc -l < "$T/out")" 5 "different reasons are conflicts"
jq -r .id "$T/out" | sed 's/$/\texclude\twrong study design/' > res-ft.tsv
expect_rc 0 winnow-screen resolve --reviewer cat --log cat-ft.log --answers res-ft.tsv --ledger L ann-ft.log bob-ft.log
expect_rc 0 winnow-screen export --stage ft --decision include --ledger L ta-include.jsonl ann-ft.log bob-ft.log cat-ft.log
expect_eq "$(wc -l < "$T/out")" 15 "FT includes"
last=$(tail -1 L)
expect_eq "$(jq -c '[.records_in, .state_counts, .not_retrieved, .excluded_by_reason]' <<<"$last")" \
  '[31,{"include":15,"exclude":10,"conflict":0,"undecided":0},6,{"wrong study design":5,"wrong population":5}]' "FT ledger line"
expect_eq "$(jq '(.excluded_by_reason | add) == .state_counts.exclude' <<<"$last")" true "one reason per excluded report"
expect_eq "$(jq -c .prisma <<<"$last")" \
  '{"reports_sought":31,"reports_not_retrieved":6,"reports_assessed":25,"reports_excluded":10,"reports_included":15,"complete":true}' "FT PRISMA boxes"

# a log from another review is noticed: its ids are not in the records
printf 'pubmed:1\tinclude\n' > other.tsv
printf '{"id":"pubmed:1","title":"elsewhere"}\n' > other.jsonl
expect_rc 0 winnow-screen review --reviewer zed --stage ft --log zed-ft.log --answers other.tsv other.jsonl
expect_rc 0 winnow-screen export --stage ft --decision include --ledger L ta-include.jsonl ann-ft.log bob-ft.log cat-ft.log zed-ft.log
expect_contains "$T/err" "the logs decide 'pubmed:1', which is not in" "unmatched id reported"
expect_eq "$(tail -1 L | jq .unmatched_ids)" 1 "unmatched id counted"
# a log of the other stage is refused
expect_rc 2 winnow-screen export --stage ft --decision include ta-include.jsonl ann-ta.log
expect_contains "$T/err" "is for the title/abstract stage" "stage mismatch"
expect_rc 2 winnow-screen agree ann-ta.log bob-ft.log
expect_contains "$T/err" "give the logs of one stage" "agree stage mismatch"
done_testing
