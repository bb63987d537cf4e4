#!/usr/bin/env bash
# PubMed's real limit: 12,345 hits, a server that lists at most 9,999 of one search and
# refuses retstart beyond it. No test switch for the slice size: the real code path.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/server.sh"
start_server --synthetic 12345 --no-rate-limit
export WINNOW_EUTILS_NO_DELAY=1
expect_rc 0 winnow-fetch pubmed 'diabetes' --batch 1000 --ledger "$T/led" -q
out_pmids "$T/out" > "$T/got"; server_pmids diabetes --synthetic 12345 > "$T/want"
expect_eq "$(lines "$T/got")" 12345 "records"
expect_eq "$(cmp -s "$T/got" "$T/want" && echo same)" same "every PMID, once"
expect_eq "$(jq -c '[.count, .records, .complete, (.slices | length), ([.slices[].count] | add)]' "$T/led")" "[12345,12345,true,2,12345]" "two slices adding up to Count"
expect_eq "$(slog_count '(.params.retstart // "0" | tonumber) > 9998')" 0 "never past retstart 9998"
expect_eq "$(slog_count '.util=="esearch" and (.params.retmax|tonumber) > 9999')" 0 "never asks for more than 9,999 ids"
done_testing
