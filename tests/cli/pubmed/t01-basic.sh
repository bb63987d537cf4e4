#!/usr/bin/env bash
# A small search end to end against the stand-in server: the exact records, every request
# a POST over HTTP/1.1 with tool/email/api_key, the query and the limits sent untouched,
# and the ledger line (PRISMA-S: query, translation, time, limits, Count, delivered).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/server.sh"
start_server --no-rate-limit
export WINNOW_EUTILS_NO_DELAY=1 NCBI_API_KEY=k-123
Q='asthma limit:40 AND ("child"[MeSH Terms] OR kid*) & ünïcode'
expect_rc 0 winnow-fetch pubmed "$Q" --batch 15 --mindate 2015/01 --maxdate 2024/12/31 --datetype edat --ledger "$T/led"
out_pmids "$T/out" > "$T/got"; server_pmids "$Q" > "$T/want"
expect_eq "$(lines "$T/got")" 40 "records delivered"
expect_eq "$(cmp -s "$T/got" "$T/want" && echo same)" same "exactly the PMIDs the server holds, each once"
expect_eq "$(jq -r '.id' "$T/out" | sort -u | wc -l | tr -d ' ')" 40 "unique ids"
expect_eq "$(jq -r '.source' "$T/out" | sort -u)" PubMed "source"
expect_eq "$(head -1 "$T/out" | jq -r '.origin.file')" "000002-efetch.xml.gz" "origin names the efetch response"
# requests: 1 esearch + 3 efetch pages (15+15+10), all POST, HTTP/1.1, form-encoded
expect_eq "$(lines "$SLOG")" 4 "requests made"
expect_eq "$(slog_count '.method != "POST"')" 0 "every request a POST"
expect_eq "$(slog_count '.version != "HTTP/1.1"')" 0 "HTTP/1.1"
expect_eq "$(slog_count '.ctype != "application/x-www-form-urlencoded"')" 0 "form encoding"
expect_eq "$(slog_count '.params.tool != "winnow" or .params.email != "tests@example.org" or .params.api_key != "k-123"')" 0 "tool, email, api_key sent"
expect_eq "$(jq -r 'select(.util=="esearch") | .params.term' "$SLOG")" "$Q" "query sent untouched"
expect_eq "$(jq -r 'select(.util=="esearch") | [.params.usehistory, .params.mindate, .params.maxdate, .params.datetype] | join(" ")' "$SLOG")" "y 2015/01 2024/12/31 edat" "limits sent"
expect_eq "$(jq -r 'select(.util=="efetch") | [.params.retstart, .params.retmax, .params.retmode, (.params.WebEnv|startswith("MCID_"))] | join(",")' "$SLOG" | tr '\n' ' ')" "0,15,xml,true 15,15,xml,true 30,15,xml,true " "efetch pages over the history server"
# the ledger
L="$T/led"
expect_eq "$(jq -r '[.stage, .mode, .status, .count, .records, .complete] | join(" ")' "$L")" "fetch pubmed ok 40 40 true" "ledger counts"
expect_eq "$(jq -r '.query' "$L")" "$Q" "ledger query"
expect_eq "$(jq -r '.translation' "$L")" '"asthma limit:40 AND (childMeSH Terms OR kid*) & ünïcode"[All Fields]' "ledger translation is PubMed's"
expect_eq "$(jq -r '.searched' "$L")" "2026-11-18T11:06:40Z" "ledger search time"
expect_eq "$(jq -c '.limits' "$L")" '{"mindate":"2015/01","maxdate":"2024/12/31","datetype":"edat"}' "ledger limits"
expect_eq "$(jq -c '[.missing_pmids, .sources, .requests, .retries]' "$L")" '[[],{"PubMed":{"kind":"database","records":40}},4,0]' "ledger details"
expect_not_contains "$L" "k-123" "the API key never reaches the ledger"
expect_contains "$T/err" 'PubMed searched: "asthma limit:40 AND (childMeSH Terms OR kid*) & ünïcode"[All Fields]' "translation shown"
# dates without --datetype: pdat is sent and recorded
expect_rc 0 winnow-fetch pubmed 'asthma limit:3' --mindate 2020 --maxdate 2021 --ledger "$T/led2" -q
expect_eq "$(jq -r '.limits.datetype' "$T/led2")" pdat "default datetype recorded"
expect_eq "$(jq -r 'select(.util=="esearch") | .params.datetype' "$SLOG" | tail -1)" pdat "default datetype sent"
# -o writes the same records atomically
expect_rc 0 winnow-fetch pubmed 'asthma limit:40' --batch 15 -o "$T/o.jsonl" -q
expect_eq "$(out_pmids "$T/o.jsonl" | cmp -s - "$T/want" && echo same)" same "-o output"
expect_eq "$(lines "$T/out")" 0 "nothing on stdout with -o"
# a query from a file (surrounding whitespace dropped, inner newlines kept)
printf '\n  asthma limit:7\nAND adults  \n\n' > "$T/q.txt"
expect_rc 0 winnow-fetch pubmed --query-file "$T/q.txt" -q
expect_eq "$(jq -r 'select(.util=="esearch") | .params.term' "$SLOG" | tail -2 | head -1)" "asthma limit:7" "query file: first line"
expect_eq "$(lines "$T/out")" 7 "query file records"
done_testing
