#!/usr/bin/env bash
# Every transient failure E-utilities is known for, once each, in one fetch: 5xx, 429 with
# Retry-After, an empty body, a truncated document, a connection cut mid-body, 200s whose
# body is an error (<ERROR>, {"error":...}, a DocSum comment), a stalled response. Each is
# retried and the result is complete; the server log shows exactly the retries made.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/server.sh"
# (two failures in a row at most, so that no request runs out of its 6 attempts)
F="esearch:1:503,efetch:1:500,efetch:2:empty,efetch:4:truncate,efetch:5:cut,efetch:7:error200"
F="$F,efetch:8:json200,efetch:10:502,efetch:11:429:1,efetch:13:docsum,efetch:14:stall:4"
start_server --no-rate-limit --faults "$F"
export WINNOW_EUTILS_NO_DELAY=1
expect_rc 0 winnow-fetch pubmed 'asthma limit:60' --batch 10 --timeout 1 --ledger "$T/led"
out_pmids "$T/out" > "$T/got"; server_pmids 'asthma limit:60' > "$T/want"
expect_eq "$(cmp -s "$T/got" "$T/want" && echo same)" same "complete despite the failures"
expect_eq "$(uniq -d "$T/got" | wc -l | tr -d ' ')" 0 "no record twice"
expect_eq "$(slog_count '.util=="esearch"')" 2 "esearch: one retry"
expect_eq "$(slog_count '.util=="efetch"')" 16 "efetch: 6 pages + 10 retries"
expect_eq "$(jq -r 'select(.fault != null) | .fault' "$SLOG" | tr '\n' ' ')" "503 500 empty truncate cut error200 json200 502 429 docsum stall " "each fault served once, in order"
expect_eq "$(jq -c '[.requests, .retries, .records, .status]' "$T/led")" '[18,11,60,"ok"]' "ledger: requests and retries"
# Retry-After: 1 was honoured (the next request came at least 1 s later)
gap=$(jq -s 'map(select(.util=="efetch")) | (.[11].t - .[10].t)' "$SLOG")
expect_eq "$(awk -v g="$gap" 'BEGIN{print (g >= 1.0) ? "yes" : "no (" g ")"}')" yes "waited for Retry-After"
for why in "HTTP 503" "HTTP 500" "empty response" "truncated response" "HTTP 429" "Unable to fetch records: backend temporarily unavailable" "error: API rate limit exceeded" "DocSum backend failure" "HTTP 502" "Operation too slow"; do
  expect_contains "$T/err" "$why" "retry reason shown"
done
expect_contains "$T/err" "retrying in" "retries are announced"
done_testing
