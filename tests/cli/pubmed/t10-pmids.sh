#!/usr/bin/env bash
# --pmids FILE: fetch a list of PMIDs (no search), each once, missing ones reported; tokens
# that are not PMIDs are named with their line and skipped (an error under --strict).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/server.sh"
export WINNOW_EUTILS_NO_DELAY=1
start_server --no-rate-limit
server_pmids 'asthma limit:25' > "$T/want"
{ head -10 "$T/want" | paste -sd, ; echo "PMID:123x"; tail -15 "$T/want"; head -3 "$T/want"; echo 99999999; } > "$T/list.txt"
expect_rc 0 winnow-fetch pubmed --pmids "$T/list.txt" --batch 7 --ledger "$T/led"
expect_contains "$T/err" "list.txt' line 2: 'PMID:123x' is not a PMID; skipped" "bad token named"
expect_eq "$(out_pmids "$T/out" | cmp -s - "$T/want" && echo same)" same "each PMID once"
expect_eq "$(jq -c '[.count, .records, .missing_pmids, .pmids_skipped, .status, (.query == null)]' "$T/led")" '[26,25,[99999999],1,"partial",true]' "ledger"
expect_eq "$(slog_count '.util == "esearch"')" 0 "no search"
expect_eq "$(jq -r 'select(.util=="efetch") | .params.id | split(",") | length' "$SLOG" | head -4 | tr '\n' ' ')" "7 7 7 5 " "pages of --batch ids"
expect_rc 3 winnow-fetch pubmed --pmids "$T/list.txt" --strict
expect_contains "$T/err" "is not a PMID (--strict)" "--strict refuses bad tokens"
printf '\n \n' > "$T/empty.txt"
expect_rc 3 winnow-fetch pubmed --pmids "$T/empty.txt"
expect_contains "$T/err" "holds no PMIDs" "an empty list"
head -5 "$T/want" | expect_rc 0 winnow-fetch pubmed --pmids - -q
expect_eq "$(lines "$T/out")" 5 "PMIDs from standard input"
done_testing
