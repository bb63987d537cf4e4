#!/usr/bin/env bash
# The example review's six search strategies (queries/) with their limits, run on the
# bundled records: 263 real records from the sample exports plus the records of
# ../shared/example-review.md. Asserts which records each strategy keeps, the reason
# each example record is excluded, and that the ledger adds up.
. "$(dirname "$0")/../lib.sh"
Q="$WINNOW_SRC/queries"
D="$WINNOW_TESTDATA/query"
cat "$D/records.jsonl" "$D/example-review.jsonl" > "$T/in.jsonl"
total=$(lines "$T/in.jsonl")
expect_eq "$total" 267 "bundled records"

# reason of an example record in an excluded file
reason() { jq -r --arg id "$2" 'select(.id == $id) | .screen.excluded.rule' "$1"; }

tail -n +2 "$Q/strategies.tsv" | while IFS=$'\t' read -r name db dialect query criteria; do
  expect_rc 0 winnow-screen filter --quiet -d "$dialect" -q "$Q/$query" -c "$Q/$criteria" \
    --excluded "$T/ex-$name.jsonl" --ledger "$T/ledger.jsonl" "$T/in.jsonl"
  jq -r .id "$T/out" > "$T/kept-$name"
  # the ledger: every record read is kept or excluded with one reason
  jq -e --argjson n "$total" 'select(.stage == "filter") | .records_in == $n and
      .records_in == .records_out + ([.excluded_automatic[]] | add // 0) + ([.excluded_other[]] | add // 0)' \
      <(tail -1 "$T/ledger.jsonl") > /dev/null || fail "$name: ledger counts do not add up"
  expect_eq "$(lines "$T/ex-$name.jsonl")" "$((total - $(lines "$T/kept-$name")))" "$name: excluded file"
  echo "$name" >> "$T/ran"
done
expect_eq "$(lines "$T/ran")" 6 "strategies run"

# HMIC (2000 - current) keeps the review itself and nothing else
expect_eq "$(cat "$T/kept-hmic")" "example:bhat-2022" "hmic keeps"
for s in nuffield-trust cinahl pubmed nice-evidence hse; do
  expect_eq "$(lines "$T/kept-$s")" 0 "$s keeps nothing (the review is after the date limit)"
done
# Alderwick 2024: excluded by the date limit, with its reason, wherever there is one
for s in nuffield-trust cinahl pubmed nice-evidence hse; do
  expect_eq "$(reason "$T/ex-$s.jsonl" example:alderwick-2024)" "date-limit" "$s: Alderwick 2024"
done
expect_contains "$T/ex-pubmed.jsonl" '"reason":"published outside 08/12/1997 - 08/04/2020 (PubMed limit)"' "pubmed reason text"
expect_eq "$(reason "$T/ex-hmic.jsonl" example:alderwick-2024)" "search-string" "hmic: Alderwick 2024 is in the date range"
# Shand & Turner: "Integrated Care" only in the journal name: no strategy finds it
# with the default fields (title, abstract, keywords)
for s in hmic cinahl pubmed; do
  expect_eq "$(reason "$T/ex-$s.jsonl" example:shand-2019)" "search-string" "$s: Shand & Turner"
done
# ... but its concept block finds it in all fields or the journal
printf '"Integrated Health*" OR "Integrating Health*" OR "Integrated Care*"\n' > "$T/concept.q"
expect_rc 0 winnow-screen filter --quiet -q "$T/concept.q" "$D/example-review.jsonl"
expect_eq "$(jq -r .id "$T/out" | tr '\n' ' ')" "example:bhat-2022 " "concept block, default fields"
expect_rc 0 winnow-screen filter --quiet -q "$T/concept.q" --default-fields all "$D/example-review.jsonl"
expect_eq "$(jq -r .id "$T/out" | tr '\n' ' ')" "example:shand-2019 example:bhat-2022 " "concept block, all fields"
expect_rc 0 winnow-screen filter --quiet -d pubmed -q <(printf '"Journal of Integrated Care"[ta]\n') "$D/example-review.jsonl"
expect_eq "$(jq -r .id "$T/out")" "example:shand-2019" "[ta] journal"
# Nuffield Trust: the preprint fails the content type
expect_eq "$(reason "$T/ex-nuffield-trust.jsonl" example:neighbourhood-preprint)" "content-type" "nuffield: preprint"
# HSE takes no truncation: without its date limit it still misses the review
# ("integrated healthcare", "factors"), which the truncated strings find
expect_rc 0 winnow-screen filter --quiet -q "$Q/hse.query" "$D/example-review.jsonl"
expect_eq "$(lines "$T/out")" 0 "hse without limits"
expect_rc 0 winnow-screen filter --quiet -q "$Q/hmic.query" "$D/example-review.jsonl"
expect_eq "$(jq -r .id "$T/out")" "example:bhat-2022" "hmic without limits"
# the neighbourhood preprint: "integrating community health" is not the phrase
# "Integrating Health*", but a proximity search finds it
expect_rc 0 winnow-screen filter --quiet -d ovid -q <(printf 'integrat* adj3 (care or health*)\n') "$D/example-review.jsonl"
expect_contains "$T/out" '"id":"example:neighbourhood-preprint"' "proximity finds the preprint"
# none of the 263 real records is about integrated care in the NHS
for s in hmic nuffield-trust cinahl pubmed nice-evidence hse; do
  expect_not_contains "$T/kept-$s" "pubmed:" "$s keeps no unrelated PubMed record"
done
done_testing
