#!/usr/bin/env bash
# PubMed's ErrorList / WarningList mean it did not search the query as written: shown
# with the translation, and the fetch stops (exit 3) unless --allow-warnings.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/server.sh"
export WINNOW_EUTILS_NO_DELAY=1
start_server --no-rate-limit
expect_rc 3 winnow-fetch pubmed 'asthma limit:5 AND zzznotfound' --ledger "$T/led"
expect_contains "$T/err" "warning: PubMed error: PhraseNotFound: zzznotfound" "ErrorList shown"
expect_contains "$T/err" 'PubMed searched: "asthma limit:5 AND zzznotfound"[All Fields]' "translation shown"
expect_contains "$T/err" "pass --allow-warnings" "how to go on"
expect_eq "$(lines "$T/out")" 0 "no records"
expect_eq "$(slog_count '.util == "efetch"')" 0 "nothing fetched"
expect_eq "$(jq -c '[.status, .count, .records, .warnings]' "$T/led")" '["failed",5,0,[{"list":"ErrorList","type":"PhraseNotFound","text":"zzznotfound"}]]' "ledger"

expect_rc 0 winnow-fetch pubmed 'asthma limit:5 AND zzznotfound' --allow-warnings --ledger "$T/led2"
expect_eq "$(lines "$T/out")" 5 "--allow-warnings fetches what PubMed found"
expect_eq "$(jq -c '[.status, .warnings[0].type, .translation]' "$T/led2")" '["ok","PhraseNotFound","\"asthma limit:5 AND zzznotfound\"[All Fields]"]' "warnings kept in the ledger"

expect_rc 3 winnow-fetch pubmed '"zzz no such phrase" AND asthma limit:5'
expect_contains "$T/err" 'PubMed warning: QuotedPhraseNotFound: "zzz no such phrase"' "WarningList shown"
expect_rc 3 winnow-fetch pubmed 'asthma[zzzfield] limit:5'
expect_contains "$T/err" "PubMed error: FieldNotFound: zzzfield" "FieldNotFound shown"

# nothing found is not a warning: an empty, complete result
start_server --no-rate-limit
expect_rc 0 winnow-fetch pubmed nothing --ledger "$T/led3"
expect_contains "$T/err" "PubMed warning: OutputMessage: No items found." "the message is shown as a note"
expect_not_contains "$T/err" "winnow-fetch: warning" "but is not a warning"
expect_eq "$(jq -c '[.status, .count, .records, .complete]' "$T/led3")" '["ok",0,0,true]' "empty result is complete"
expect_eq "$(slog_count '.util == "efetch"')" 0 "and needs no efetch"
done_testing
