#!/usr/bin/env bash
# Arguments are checked before any request: the query, the limits, the URL policy (https,
# or http only to loopback), the test switches (loopback only), numeric ranges.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/server.sh"
start_server --no-rate-limit
expect_rc 2 winnow-fetch pubmed
expect_contains "$T/err" "give a QUERY, --query-file FILE or --pmids FILE" "no query"
expect_rc 2 winnow-fetch pubmed asthma children
expect_contains "$T/err" "one query only (quote it" "two words unquoted"
expect_rc 2 winnow-fetch pubmed asthma --pmids "$T/x"
expect_rc 2 winnow-fetch pubmed '   '
expect_contains "$T/err" "the query is empty" "blank query"
expect_rc 2 winnow-fetch pubmed asthma --mindate 2020
expect_contains "$T/err" "--mindate and --maxdate go together" "one date alone"
expect_rc 2 winnow-fetch pubmed asthma --mindate 2020-01 --maxdate 2021
expect_contains "$T/err" "'2020-01' is not a date E-utilities takes" "date format"
expect_rc 2 winnow-fetch pubmed asthma --mindate 2020 --maxdate 2021 --datetype mdat
expect_contains "$T/err" "unknown --datetype 'mdat'" "datetype"
expect_rc 2 winnow-fetch pubmed asthma --datetype edat
expect_rc 2 winnow-fetch pubmed asthma --batch 0
expect_rc 2 winnow-fetch pubmed asthma --batch 10001
expect_rc 2 winnow-fetch pubmed asthma --retries 0
printf 'asthma \377\376 children\n' > "$T/q.txt"
expect_rc 1 winnow-fetch pubmed --query-file "$T/q.txt"
expect_contains "$T/err" "is not valid UTF-8 text" "query file encoding"
expect_rc 1 winnow-fetch pubmed --query-file "$T/nonexistent"
expect_contains "$T/err" "cannot open" "missing query file"
head -c 1100000 /dev/zero | tr '\0' a > "$T/huge.txt"
expect_rc 1 winnow-fetch pubmed --query-file "$T/huge.txt"
expect_contains "$T/err" "larger than" "huge query file"
expect_eq "$(lines "$SLOG")" 0 "no request was made for any of these"

# the URL policy
for u in http://example.org/eutils/ http://127.0.0.1.example.org/x/ http://[::2]/ ftp://127.0.0.1/ file:///etc/passwd 'not a url'; do
  expect_rc 2 winnow-fetch pubmed asthma --eutils-url "$u"
done
expect_contains "$T/err" "'not a url' is not a valid URL" "garbage URL"
expect_rc 2 winnow-fetch pubmed asthma --eutils-url http://example.org/eutils/
expect_contains "$T/err" "refusing plain http for 'http://example.org/eutils/'" "plain http refused"
WINNOW_EUTILS_URL=ftp://127.0.0.1/ expect_rc 2 winnow-fetch pubmed asthma
expect_contains "$T/err" "unsupported URL scheme 'ftp'" "the environment variable is checked too"
# test switches are refused for a real server (before connecting anywhere)
WINNOW_EUTILS_URL=https://eutils.invalid/ WINNOW_EUTILS_NO_DELAY=1 expect_rc 2 winnow-fetch pubmed asthma
expect_contains "$T/err" "only for loopback test servers" "no-delay refused off loopback"
WINNOW_EUTILS_URL=https://eutils.invalid/ WINNOW_EUTILS_SLICE=10 expect_rc 2 winnow-fetch pubmed asthma
expect_contains "$T/err" "WINNOW_EUTILS_SLICE is a test switch" "slice switch refused off loopback"
# loopback spellings are accepted (localhost resolves to the server)
PORT=$(cat "$T/port")
WINNOW_EUTILS_NO_DELAY=1 expect_rc 0 winnow-fetch pubmed 'asthma limit:2' --eutils-url "http://localhost:$PORT/entrez/eutils"
expect_eq "$(lines "$T/out")" 2 "localhost, and a base URL without the trailing slash"
expect_eq "$(jq -r .path "$SLOG" | head -1)" "/entrez/eutils/esearch.fcgi" "path joined"
# redirects go to https only: one to plain http is refused, not followed, not retried
start_server --no-rate-limit --faults esearch:1:redirect
WINNOW_EUTILS_NO_DELAY=1 expect_rc 1 winnow-fetch pubmed asthma
expect_contains "$T/err" "refused to follow a redirect to" "the redirect is refused"
expect_eq "$(lines "$SLOG")" 1 "and not followed"
PORT=$(cat "$T/port")
# https is used with verification: a plain-http server on loopback does not speak TLS
WINNOW_EUTILS_NO_DELAY=1 expect_rc 4 winnow-fetch pubmed asthma --eutils-url "https://127.0.0.1:$PORT/" --retries 1
done_testing
