#!/usr/bin/env bash
# Count reconciliation: esearch counts records efetch does not return (deleted PMIDs).
# Short pages are re-fetched by id; what never comes back is reported by PMID, the ledger
# lists it and says "partial" - never a complete result that is not. Book records count.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/server.sh"
export WINNOW_EUTILS_NO_DELAY=1
start_server --no-rate-limit --ghosts 3
python3 "$SERVER_PY" --ghosts 3 --list-ghosts > "$T/ghosts"
expect_rc 0 winnow-fetch pubmed asthma --batch 40 --ledger "$T/led"
out_pmids "$T/out" > "$T/got"; server_pmids asthma > "$T/want"
expect_eq "$(cmp -s "$T/got" "$T/want" && echo same)" same "every record there is, once"
expect_eq "$(jq -c '[.count, .records, .complete, .status]' "$T/led")" '[189,186,false,"partial"]' "ledger: incomplete"
expect_eq "$(jq -r '.missing_pmids[]' "$T/led")" "$(cat "$T/ghosts")" "ledger names the missing PMIDs"
expect_contains "$T/err" "3 of 189 PMIDs the search listed never came back from efetch (deleted or withdrawn records?): $(paste -sd, "$T/ghosts" | sed 's/,/, /g')" "missing PMIDs reported"
expect_contains "$T/err" "the result is incomplete: 186 of 189 records delivered" "incompleteness said"
# each ghost was asked for again by id: right after its page, and once more at the end
for g in $(cat "$T/ghosts"); do
  expect_eq "$(jq -r 'select(.util=="efetch" and .params.id != null) | .params.id' "$SLOG" | tr , '\n' | grep -cx "$g")" 2 "PMID $g asked for twice more"
done
# book records (PubmedBookArticle) are records too
expect_eq "$(jq -r 'select(.pmid == "21413195") | .pmid' "$T/out")" 21413195 "a book record delivered"
# --strict: incomplete is an error
expect_rc 3 winnow-fetch pubmed asthma --batch 40 --strict -o "$T/strict.jsonl"
expect_eq "$(ls "$T" | grep -c strict)" 0 "--strict: no output file"

# a page that comes back short once: re-fetched at once by id, complete
start_server --no-rate-limit --faults efetch:2:short:2
expect_rc 0 winnow-fetch pubmed 'asthma limit:30' --batch 10 --ledger "$T/led2"
expect_eq "$(out_pmids "$T/out" | cmp -s - <(server_pmids 'asthma limit:30') && echo same)" same "short page made good"
expect_eq "$(jq -c '[.complete, .status, .missing_pmids]' "$T/led2")" '[true,"ok",[]]' "complete"
short=$(jq -r 'select(.fault == "short") | .served | length' "$SLOG")
expect_eq "$short" 8 "the short page had 8 of 10"
expect_eq "$(jq -r 'select(.params.id != null) | .params.id | split(",") | length' "$SLOG")" 2 "exactly the 2 missing PMIDs re-fetched"
expect_contains "$T/err" "efetch returned 8 of 10 records of a page; fetching the 2 missing by PMID" "re-fetch said"
done_testing
