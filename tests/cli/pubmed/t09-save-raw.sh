#!/usr/bin/env bash
# --save-raw: every response kept (gzipped) with a manifest; `winnow-fetch file DIR` replays
# the records offline byte for byte; an interrupted fetch continues where it stopped,
# without searching again (the original search, its time and Count stand).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/server.sh"
export WINNOW_EUTILS_NO_DELAY=1
D="$T/raw"
start_server --no-rate-limit
winnow-fetch pubmed asthma --batch 20 -q > "$T/ref.jsonl" || fail "reference run"

# an interrupted run: page 4 fails for good
start_server --no-rate-limit --faults efetch:4:503,efetch:5:503
expect_rc 4 winnow-fetch pubmed asthma --batch 20 --retries 2 --save-raw "$D"
expect_contains "$T/err" "it continues from what --save-raw kept" "the rerun hint"
expect_eq "$(ls "$D" | tr '\n' ' ')" "000001-esearch.xml.gz 000002-efetch.xml.gz 000003-efetch.xml.gz 000004-efetch.xml.gz manifest.jsonl " "saved responses"
expect_eq "$(jq -r '.kind // "header"' "$D/manifest.jsonl" | tr '\n' ' ')" "header esearch plan efetch efetch efetch " "manifest"
expect_eq "$(zcat "$D/000002-efetch.xml.gz" | tail -c 20 | tr -d '\n')" "</PubmedArticleSet>" "the raw response, as received"
expect_rc 0 winnow-fetch file "$D"
expect_eq "$(lines "$T/out")" 60 "an interrupted directory replays what it has"
expect_contains "$T/err" "holds an interrupted fetch" "and says it is incomplete"

# the rerun continues: no new search, only the missing records, by id
WINNOW_TIME=1795999999 expect_rc 0 winnow-fetch pubmed asthma --batch 20 --save-raw "$D" --ledger "$T/led"
cp "$T/out" "$T/resumed.jsonl"
expect_contains "$T/err" "continuing the fetch saved in" "resume announced"
expect_eq "$(jq -s 'map(select(.util=="esearch")) | length' "$SLOG")" 1 "no second search"
expect_eq "$(jq -s '[.[] | select(.util=="efetch" and .nth > 5) | .params.id | split(",") | length] | add' "$SLOG")" 126 "only the 126 missing records fetched"
expect_eq "$(out_pmids "$T/resumed.jsonl" | cmp -s - <(out_pmids "$T/ref.jsonl") && echo same)" same "resumed output complete"
expect_eq "$(jq -c 'del(.origin)' "$T/resumed.jsonl" | md5sum)" "$(jq -c 'del(.origin)' "$T/ref.jsonl" | md5sum)" "same records as an uninterrupted run (but for origin)"
expect_eq "$(jq -c '[.resumed, .searched, .count, .records, .status]' "$T/led")" '[true,"2026-11-18T11:06:40Z",186,186,"ok"]' "ledger: resumed, original search time"

# replay == the run, byte for byte
expect_rc 0 winnow-fetch file "$D" --ledger "$T/led-file"
expect_eq "$(cmp -s "$T/out" "$T/resumed.jsonl" && echo same)" same "replay identical to the live run"
expect_not_contains "$T/err" "interrupted" "a finished directory"
expect_eq "$(jq -c '[.mode, .records, .status]' "$T/led-file")" '["file",186,"ok"]' "file ledger"
# a finished directory is served from disk, no requests
n=$(lines "$SLOG")
expect_rc 0 winnow-fetch pubmed asthma --batch 20 --save-raw "$D"
expect_eq "$(lines "$SLOG")" "$n" "nothing asked of the server"
expect_eq "$(cmp -s "$T/out" "$T/resumed.jsonl" && echo same)" same "same records again"

# refusals
expect_rc 2 winnow-fetch pubmed 'asthma limit:3' --save-raw "$D"
expect_contains "$T/err" "holds the raw responses of a different search" "another search's directory"
mkdir "$T/foreign"; echo x > "$T/foreign/notes.txt"
expect_rc 2 winnow-fetch pubmed asthma --save-raw "$T/foreign"
expect_contains "$T/err" "is not empty and holds no manifest.jsonl" "a directory that is not ours"
expect_rc 1 flock "$D/manifest.jsonl" winnow-fetch pubmed asthma --save-raw "$D"
expect_contains "$T/err" "is in use by another winnow-fetch" "one fetch per directory at a time"

# damage is detected, never replayed silently
cp -r "$D" "$T/torn"; printf '{"n":99,"kind":"efe' >> "$T/torn/manifest.jsonl"
expect_rc 0 winnow-fetch file "$T/torn"
expect_eq "$(cmp -s "$T/out" "$T/resumed.jsonl" && echo same)" same "a torn last manifest line is ignored"
cp -r "$D" "$T/bad"; zcat "$D/000003-efetch.xml.gz" | sed 's/<ArticleTitle>/<ArticleTitle>X/' | gzip > "$T/bad/000003-efetch.xml.gz"
expect_rc 3 winnow-fetch file "$T/bad" -o "$T/bad.jsonl"
expect_contains "$T/err" "000003-efetch.xml.gz' is not the response that was saved" "a changed response is refused"
expect_eq "$(ls "$T" | grep -c '^bad.jsonl')" 0 "and nothing is written"
rm "$T/bad/000004-efetch.xml.gz"
cp "$D/000003-efetch.xml.gz" "$T/bad/"
expect_rc 1 winnow-fetch file "$T/bad"
expect_contains "$T/err" "000004-efetch.xml.gz" "a missing response is named"
done_testing
