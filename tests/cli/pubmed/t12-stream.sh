#!/usr/bin/env bash
# The record stream end: `| head` ends quietly (SIGPIPE ignored for the sockets, EPIPE on
# stdout a silent exit 141); progress on stderr only when asked or on a terminal; a
# response over the size cap is refused; random 500s (seeded) are all absorbed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/server.sh"
export WINNOW_EUTILS_NO_DELAY=1
start_server --no-rate-limit
winnow-fetch pubmed asthma --batch 20 2>"$T/err" | head -1 > "$T/first"
expect_eq "${PIPESTATUS[0]}" 141 "killed quietly by the closed pipe, as git does"
expect_eq "$(jq -r .pmid "$T/first" | grep -c .)" 1 "head got its record"
expect_not_contains "$T/err" "error" "no error message"

expect_rc 0 winnow-fetch pubmed 'asthma limit:60' --batch 20 --progress
expect_contains "$T/err" "winnow-fetch: 60/60 records (100%)" "progress bar when asked"
expect_eq "$(tr '\r' '\n' < "$T/err" | grep -c 'records (')" 2 "drawn at the start and the end (at most 5 times a second)"
expect_contains "$T/err" $'\r\033[Kwinnow-fetch: note: 60 records delivered' "cleared before the next message"
expect_rc 0 winnow-fetch pubmed 'asthma limit:60' --batch 20
expect_not_contains "$T/err" "records (" "silent when stderr is not a terminal"

start_server --no-rate-limit
expect_rc 1 winnow-fetch pubmed asthma --max-response 1
expect_contains "$T/err" "efetch: response refused: the response is larger than 1048576 bytes (see --max-response)" "size cap"
expect_eq "$(slog_count '.util=="efetch"')" 1 "an oversize response is not retried"

start_server --no-rate-limit --fail-rate 0.3 --seed 11
expect_rc 0 winnow-fetch pubmed asthma --batch 10 --ledger "$T/led"
n500=$(slog_count '.status == 500')
expect_eq "$( [ "$n500" -ge 5 ] && echo yes)" yes "the server failed often ($n500 times)"
expect_eq "$(jq .retries "$T/led")" "$n500" "every failure retried, nothing else"
expect_eq "$(out_pmids "$T/out" | cmp -s - <(server_pmids asthma) && echo same)" same "complete anyway"
done_testing
