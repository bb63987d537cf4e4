#!/usr/bin/env bash
# Politeness, timed for real (no test switch): under 3 requests/s without a key and under
# 10/s with one, so NCBI's limiter never triggers; when a server is stricter, its 429s and
# Retry-After are honoured and the fetch still completes.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/server.sh"
# the smallest gap between consecutive requests, and the span of the whole run
# (times are taken by the server as requests arrive, so they carry a little jitter)
min_gap() { jq -s '[range(1; length) as $i | .[$i].t - .[$i-1].t] | min' "$SLOG"; }
# the shortest time spanned by N+1 consecutive requests: > 1 s means at most N per second
min_span() { jq -s --argjson n "$1" '[range($n; length) as $i | .[$i].t - .[$i-$n].t] | min' "$SLOG"; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN{print (a >= b) ? "yes" : "no (" a " < " b ")"}'; }

start_server   # NCBI's limits: 3/s, 10/s with a key
expect_rc 0 winnow-fetch pubmed 'asthma limit:50' --batch 10 -q
expect_eq "$(lines "$SLOG")" 6 "requests"
expect_eq "$(slog_count '.status == 429')" 0 "never throttled without a key"
expect_eq "$(ge "$(min_gap)" 0.25)" yes "about 0.35 s between requests (no burst)"
expect_eq "$(ge "$(min_span 3)" 0.95)" yes "never 4 requests within a second"

start_server
expect_rc 0 winnow-fetch pubmed 'asthma limit:100' --batch 10 -q --api-key k-1
expect_eq "$(lines "$SLOG")" 11 "requests with a key"
expect_eq "$(slog_count '.status == 429')" 0 "never throttled with a key"
expect_eq "$(ge "$(min_gap)" 0.05)" yes "about 0.11 s between requests with a key (no burst)"
expect_eq "$(ge "$(min_span 9)" 0.95)" yes "never 10 requests within a second"
span=$(jq -s '.[-1].t - .[0].t' "$SLOG")
expect_eq "$(ge 2.5 "$span")" yes "a key makes it faster than 0.35 s spacing would"

# a server twice as strict as NCBI: it throttles, the client waits as told
start_server --rate-window 2.0 --retry-after 1
expect_rc 0 winnow-fetch pubmed 'asthma limit:40' --batch 5 --ledger "$T/led" -q
n429=$(slog_count '.status == 429')
expect_eq "$( [ "$n429" -gt 0 ] && echo yes)" yes "the strict server throttled ($n429 times)"
expect_eq "$(jq .retries "$T/led")" "$n429" "each 429 retried once"
after=$(jq -s '[range(1; length) as $i | select(.[$i-1].status == 429) | .[$i].t - .[$i-1].t] | min' "$SLOG")
expect_eq "$(ge "$after" 1.0)" yes "Retry-After honoured after every 429"
expect_eq "$(out_pmids "$T/out" | cmp -s - <(server_pmids 'asthma limit:40') && echo same)" same "complete"
done_testing
