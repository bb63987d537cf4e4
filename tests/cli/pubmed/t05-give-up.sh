#!/usr/bin/env bash
# When to stop: after the last attempt (exit 4, "safe to rerun", no -o file), at once on a
# 4xx other than 429 (exit 1, one request), and when nothing listens (exit 4).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/server.sh"
export WINNOW_EUTILS_NO_DELAY=1
start_server --no-rate-limit --faults efetch:2:503,efetch:3:500,efetch:4:503
expect_rc 4 winnow-fetch pubmed 'asthma limit:30' --batch 10 --retries 3 -o "$T/records.jsonl" --ledger "$T/led"
expect_contains "$T/err" "efetch: E-utilities did not answer properly after 3 attempts (last: HTTP 503" "says what failed"
expect_contains "$T/err" "it is safe to rerun the same command" "says it is safe to rerun"
expect_eq "$(ls "$T" | grep -c records)" 0 "no output file, not even a temporary one"
expect_eq "$(slog_count '.util=="efetch"')" 4 "page 1, then 3 attempts at page 2, then nothing"
expect_eq "$(jq -c '[.status, .retries, .requests, .count]' "$T/led")" '["failed",2,5,30]' "ledger of the failed run"
# a rerun (the faults were one-off) completes
expect_rc 0 winnow-fetch pubmed 'asthma limit:30' --batch 10 -o "$T/records.jsonl"
expect_eq "$(out_pmids "$T/records.jsonl" | cmp -s - <(server_pmids 'asthma limit:30') && echo same)" same "rerun complete"

# an invalid API key: NCBI's 400, not retried
start_server --no-rate-limit
expect_rc 1 winnow-fetch pubmed asthma --api-key badkey
expect_contains "$T/err" "esearch: E-utilities refused the request: HTTP 400: error: API key invalid" "400 explained"
expect_eq "$(lines "$SLOG")" 1 "no retry on 400"
expect_not_contains "$T/err" "safe to rerun" "a refusal is not a transient failure"
# other 4xx: not retried either
start_server --no-rate-limit --faults efetch:1:404
expect_rc 1 winnow-fetch pubmed 'asthma limit:5' --ledger "$T/led404"
expect_eq "$(slog_count '.util=="efetch"')" 1 "no retry on 404"
expect_eq "$(jq -r .status "$T/led404")" failed "ledger says failed"
# GET is refused by the stand-in (405): the client never sends one, so this is only the
# server's own guard; check the client's requests were all POSTs
expect_eq "$(slog_count '.method != "POST"')" 0 "POST only"

# nothing listening: connection refused, retried, then exit 4
start_server --no-rate-limit; PORT=$(cat "$T/port"); stop_server
export WINNOW_EUTILS_URL="http://127.0.0.1:$PORT/entrez/eutils/"
expect_rc 4 winnow-fetch pubmed asthma --retries 2
expect_contains "$T/err" "after 2 attempts" "connection failures retried"
expect_contains "$T/err" "safe to rerun" "and reported as transient"
done_testing
