#!/usr/bin/env bash
# More hits than one search can list: the search is split into PMID ranges, every slice is
# fetched, the slices add up to Count, and each PMID is delivered exactly once. The
# stand-in enforces the limit (here 50, via the loopback-only test switch), so a client
# that paged past it would fail.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/server.sh"
start_server --max-hits 50 --no-rate-limit
export WINNOW_EUTILS_NO_DELAY=1 WINNOW_EUTILS_SLICE=50
expect_rc 0 winnow-fetch pubmed asthma --batch 20 --ledger "$T/led" --save-raw "$T/raw"
out_pmids "$T/out" > "$T/got"; server_pmids asthma > "$T/want"
expect_eq "$(lines "$T/want")" 186 "the server's records"
expect_eq "$(cmp -s "$T/got" "$T/want" && echo same)" same "every PMID delivered"
expect_eq "$(uniq -d "$T/got" | wc -l | tr -d ' ')" 0 "no PMID twice"
# the slices: disjoint ranges that add up to Count, each within the limit
expect_eq "$(jq '[.slices[].count] | add' "$T/led")" "$(jq .count "$T/led")" "slices add up to Count"
expect_eq "$(jq '[.slices[] | select(.count > 50)] | length' "$T/led")" 0 "every slice within the limit"
expect_eq "$(jq -r '[.slices[].range | split(":") | map(tonumber)] | [ . as $r | range(1; length) | select($r[.][0] != $r[.-1][1] + 1)] | length' "$T/led")" 0 "ranges are contiguous and disjoint"
expect_eq "$(jq -r '[.count, .records, .complete, .status] | join(" ")' "$T/led")" "186 186 true ok" "ledger"
# the server saw range searches built from the query, and never a request past its limit
expect_eq "$(slog_count '.util=="esearch" and (.params.term | test("^\\(asthma\\) AND [0-9]+:[0-9]+\\[uid\\]$") | not) and .params.term != "asthma"')" 0 "range searches wrap the query"
expect_eq "$(slog_count '(.params.retstart // "0" | tonumber) > 49')" 0 "no retstart past the limit"
expect_eq "$(slog_count '.error != null')" 0 "no request refused by the server"
expect_eq "$(slog_count '.util=="efetch" and .params.id != null')" 0 "no re-fetch needed"
expect_eq "$(jq .retries "$T/led")" 0 "no retries"
# the raw directory replays offline to the same bytes
expect_rc 0 winnow-fetch file "$T/raw" -o "$T/replay.jsonl"
winnow-fetch pubmed asthma --batch 20 > "$T/again" 2>/dev/null
expect_eq "$(cmp -s "$T/replay.jsonl" "$T/again" && echo same)" same "replay == a live run, byte for byte"
done_testing
