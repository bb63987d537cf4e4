#!/usr/bin/env bash
# --keep-apart FIELD: records with the same value of FIELD were deduplicated before (an
# earlier search, already screened), so they are never merged with each other - not
# directly, and not through a record of another set that matches both. Without the
# option the same records are merged. Bad field names are usage errors.
. "$(dirname "$0")/../lib.sh"
rec() { # id set
  printf '{"id":"%s","title":"Intestinal lipoprotein overproduction in insulin-resistant states","authors":["Adeli K.","Lewis G. F."],"year":2008,"journal":"Curr Opin Lipidol","volume":"19","issue":"3","pages":"221-8","doi":"10.1097/MOL.0b013e3282ffaf82","extra":{"search_set":"%s"}}\n' "$1" "$2"
}
{ rec old:1 old; rec old:2 old; rec new:1 new; rec new:2 new; } > "$T/in.jsonl"
expect_rc 0 winnow-dedup -q -o "$T/plain" "$T/in.jsonl"
expect_eq "$(lines "$T/plain")" 1 "without the option: four copies, one record"
expect_rc 0 winnow-dedup -q --keep-apart extra.search_set --maybe "$T/maybe" --ledger "$T/ledger" -o "$T/apart" "$T/in.jsonl"
expect_eq "$(lines "$T/apart")" 2 "two records of the old set stay two"
expect_eq "$(jq -c '[.id, (.duplicates // [] | .[].id)] | map(split(":")[0]) | sort' "$T/apart" | tr '\n' ' ')" \
  '["new","old"] ["new","old"] ' "each cluster: one old and one new record, the old ones never chained"
expect_eq "$(jq -r '.removed' "$T/ledger")" 2 "ledger: two removed"
# the same result for any input order and thread count
for order in "4 3 2 1" "3 1 4 2" "2 4 1 3"; do
  for i in $order; do sed -n "${i}p" "$T/in.jsonl"; done > "$T/shuf.jsonl"
  for j in 1 2; do
    expect_rc 0 winnow-dedup -q -j $j --keep-apart extra.search_set -o "$T/s" "$T/shuf.jsonl"
    expect_eq "$(jq -c '{id, d: [.duplicates // [] | .[].id]}' "$T/s" | sort | tr '\n' ' ')" \
      "$(jq -c '{id, d: [.duplicates // [] | .[].id]}' "$T/apart" | sort | tr '\n' ' ')" "order $order, -j $j: same merges"
  done
done
# a top-level field works too; records without the field are compared as usual
{ printf '{"id":"a","title":"Alpha beta gamma delta epsilon study","authors":["Smith, J."],"year":2001,"journal":"J Test","volume":"1","pages":"1-9","batch":"x"}\n'
  printf '{"id":"b","title":"Alpha beta gamma delta epsilon study","authors":["Smith, J."],"year":2001,"journal":"J Test","volume":"1","pages":"1-9","batch":"x"}\n'
  printf '{"id":"c","title":"Alpha beta gamma delta epsilon study","authors":["Smith, J."],"year":2001,"journal":"J Test","volume":"1","pages":"1-9"}\n'
} > "$T/top.jsonl"
expect_rc 0 winnow-dedup -q --keep-apart batch -o "$T/top" "$T/top.jsonl"
expect_eq "$(jq -r .id "$T/top" | tr '\n' ' ')" "a b " "top-level field: a and b apart, c merged into one"
expect_rc 0 winnow-dedup --keep-apart batch --explain a,b "$T/top.jsonl"
expect_eq "$(jq -r '.verdict + " " + .reason' "$T/out")" "different kept-apart" "--explain names the reason"
# the same record imported twice (one id) is one record, even inside one set
{ rec old:1 old; rec old:1 old; rec old:2 old; } > "$T/same.jsonl"
expect_rc 0 winnow-dedup -q --keep-apart extra.search_set -o "$T/same" "$T/same.jsonl"
expect_eq "$(jq -c '[.id, (.duplicates // [] | .[].rule)]' "$T/same" | tr '\n' ' ')" '["old:1","same-id"] ["old:2"] ' \
  "a repeated id merges; its set-mate stays apart"
for bad in "" ".x" "extra." "a.b.c" "$(printf 'x%.0s' $(seq 70))"; do
  expect_rc 2 winnow-dedup --keep-apart "$bad" "$T/top.jsonl"
  expect_contains "$T/err" "winnow-dedup: error: --keep-apart:" "bad field name '$bad' refused"
done
done_testing
