#!/usr/bin/env bash
# Record-level guarantees: nothing is lost (every input record is written or named in
# a "duplicates" list), the same record imported twice is merged, records without title
# and identifiers are kept, fields the stage does not know pass through, and re-running
# on its own output plus new records keeps the history of earlier merges.
. "$(dirname "$0")/../lib.sh"
D=$WINNOW_TESTDATA/dedup
expect_rc 0 winnow-dedup -q -o "$T/res" "$D/traps.jsonl"
in_ids=$(jq -r .id "$D/traps.jsonl" | sort -u)
out_ids=$(jq -r '.id, (.duplicates // [] | .[].id)' "$T/res" | sort -u)
expect_eq "$out_ids" "$in_ids" "every id accounted for"
expect_eq "$(jq -r 'select(.id == "scopus:2-s2.0-2") | .duplicates[0].rule' "$T/res")" same-id "the same record twice: merged"
expect_eq "$(jq -r 'select(.id | startswith("wos:")) | .id' "$T/res" | wc -l | tr -d ' ')" 2 "no title, no identifier: both kept"
expect_eq "$(jq -r 'select(.id == "pubmed:16896267") | .screen.note' "$T/res")" "a field this stage does not know" "unknown field kept"
# a kept record takes missing fields from its duplicates
expect_eq "$(jq -r 'select(.id == "pubmed:16896267") | .pmid' "$T/res")" 16896267 "kept record keeps its PMID"
jq -c 'select(.id == "embase:354051806")' "$T/res" > "$T/nejm"
expect_eq "$(jq -r .journal_abbrev "$T/nejm")" "N Engl J Med" "missing journal_abbrev filled from a duplicate"
expect_eq "$(jq -r .pmid "$T/nejm")" 19179320 "missing PMID filled from a duplicate"
# unchanged records are written byte for byte
expect_eq "$(grep -c -F -x -f "$D/traps.jsonl" "$T/res")" 12 "unchanged records byte for byte"
# incremental: the previous output plus a new export of the same record
printf '%s\n' '{"id":"wos:000999","source":"Web of Science","title":"ECULIZUMAB FOR ATYPICAL HEMOLYTIC-UREMIC SYNDROME","authors":["NURNBERGER, J","PHILIPP, T"],"year":2009,"journal":"NEW ENGL J MED","volume":"360","pages":"542-544","doi":"10.1056/NEJMC0808527"}' > "$T/new.jsonl"
expect_rc 0 winnow-dedup -q -o "$T/res2" "$T/res" "$T/new.jsonl"
expect_eq "$(jq -c 'select(.id == "embase:354051806") | [.duplicates[].id]' "$T/res2")" \
  '["pubmed:19179320","cinahl:105578231","wos:000999"]' "earlier merges kept, new one added"
# records without an id: kept and merged on content; their entries have no id
jq -c 'del(.id)' "$D/traps.jsonl" | head -3 > "$T/noid.jsonl"
expect_rc 0 winnow-dedup --ledger "$T/l" -o "$T/res3" "$T/noid.jsonl"
expect_eq "$(lines "$T/res3")" 1 "three copies without id: one record"
expect_eq "$(jq -c '[.duplicates[] | has("id")]' "$T/res3")" "[false,false]" "no invented ids"
done_testing
