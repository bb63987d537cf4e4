#!/usr/bin/env bash
# Output safety and the command line: -o is atomic, a failed run leaves no half file and
# no temporary, a closed pipe ends quietly, usage errors exit 2 with a message.
. "$(dirname "$0")/../lib.sh"
D=$WINNOW_TESTDATA/dedup
printf 'OLD' > "$T/res"
expect_rc 1 winnow-dedup -q -o "$T/res" --maybe "$T/no/such/dir/maybe" "$D/traps.jsonl"
expect_eq "$(cat "$T/res")" OLD "a failed run leaves -o untouched"
expect_eq "$(ls "$T" | grep -c tmp)" 0 "no temporary file left"
expect_contains "$T/err" "no/such/dir" "the message names the path"
expect_rc 1 winnow-dedup -q -o "$T/no/such/dir/out" "$D/traps.jsonl"
expect_rc 0 winnow-dedup -q -o "$T/res" "$D/traps.jsonl"
expect_eq "$(lines "$T/res")" 16 "-o written"
# a closed pipe: quiet
out=$(set -o pipefail; winnow-dedup -q "$D/cytology.jsonl" 2>"$T/perr" | head -1 | wc -l)
expect_eq "$out" 1 "head got its line"
expect_eq "$(wc -c < "$T/perr" | tr -d ' ')" 0 "no message on a closed pipe"
# usage
expect_rc 2 winnow-dedup --no-such-option "$D/traps.jsonl"
expect_contains "$T/err" "usage:" "usage shown"
expect_rc 2 winnow-dedup - - < /dev/null
expect_contains "$T/err" "standard input ('-') can be given only once" "stdin twice"
expect_rc 2 winnow-dedup --threads 65 "$D/traps.jsonl"
expect_rc 2 winnow-dedup --threads x "$D/traps.jsonl"
expect_rc 2 winnow-dedup --maybe - "$D/traps.jsonl"
expect_rc 2 winnow-dedup --explain onlyone "$D/traps.jsonl"
expect_rc 2 winnow-dedup --block-cap 1 "$D/traps.jsonl"
expect_rc 1 winnow-dedup "$T/nonexistent.jsonl"
expect_contains "$T/err" "cannot open" "missing input named"
expect_rc 0 winnow-dedup --version
expect_contains "$T/out" "winnow-dedup" "version"
expect_rc 0 winnow-dedup -h
expect_contains "$T/out" "--decisions FILE" "help"
# a huge block (one generic title 300 times) is compared by window, and said so
for i in $(seq 300); do
  printf '{"id":"e:%d","source":"Embase","title":"Editorial","authors":["Author%d, A"],"year":2010,"journal":"Blood"}\n' $i $i
done > "$T/editorials.jsonl"
expect_rc 0 winnow-dedup --ledger "$T/ledger" -o "$T/ed" "$T/editorials.jsonl"
expect_eq "$(lines "$T/ed")" 300 "300 different editorials kept"
expect_contains "$T/err" "compared within a window" "the capped block is reported"
expect_eq "$(jq -c '.blocks_windowed > 0' "$T/ledger")" true "ledger counts capped blocks"
# UTF-8 is checked strictly: an overlong "/" (C0 AF) or an encoded surrogate (ED A0 80)
# is not UTF-8 - the line is reported and skipped, never written back
{
  printf '{"id":"a:1","title":"Good title one","year":2001}\n'
  printf '{"id":"a:2","title":"Over\xc0\xaflong","year":2001}\n'
  printf '{"id":"a:3","title":"Surrogate \xed\xa0\x80 here","year":2001}\n'
  printf '{"id":"a:4","title":"Caf\xc3\xa9 au lait","year":2001}\n'
} > "$T/utf8.jsonl"
expect_rc 0 winnow-dedup -q --ledger "$T/uledger" -o "$T/u" "$T/utf8.jsonl"
expect_eq "$(lines "$T/u")" 2 "two valid lines kept"
expect_eq "$(jq -r .id "$T/u" | tr '\n' ' ')" "a:1 a:4 " "the valid ones, in order"
expect_contains "$T/err" "line 2: invalid UTF-8" "overlong form named with its line"
expect_contains "$T/err" "line 3: invalid UTF-8" "surrogate named with its line"
expect_eq "$(jq -c .skipped "$T/uledger")" 2 "both counted as skipped"
# a long abstract is checked, not built (skim.c): a bad escape in it is still a bad
# line, and an error after it is named at its byte in the line as written
long=$(printf 'word %.0s' $(seq 80))
{
  printf '{"id":"s:1","title":"Skimmed record one","abstract":"%s \\q bad escape","year":2001}\n' "$long"
  printf '{"id":"s:2","title":"Skimmed record two","abstract":"%s","year":}\n' "$long"
  printf '{"id":"s:3","title":"Skimmed record three","abstract":"%s \\u00e9 \\\" fine","year":2001}\n' "$long"
} > "$T/skim.jsonl"
expect_rc 0 winnow-dedup -q -o "$T/sk" "$T/skim.jsonl"
expect_eq "$(jq -r .id "$T/sk")" "s:3" "only the valid line is kept"
expect_eq "$(jq -r '.abstract | (length > 400) and endswith("é \" fine")' "$T/sk")" true "its abstract written back whole"
expect_contains "$T/err" "line 1: not valid JSON" "a bad escape in the abstract is a bad line"
at=$(( $(printf '{"id":"s:2","title":"Skimmed record two","abstract":"%s","year":' "$long" | wc -c) + 1 ))
expect_contains "$T/err" "line 2: not valid JSON (unexpected character at byte $at)" "the error named at its byte in the line as written"
# plain values are read straight from the line (flat.c): a bad one inside a list, an
# object or a number is still a bad line named with its line, counted, and the good
# lines around it kept; a truncated last line too
{
  printf '{"id":"p:1","title":"Plain one","authors":["Smith, J","Doe, A"],"year":2001,"extra":{"n":1,"t":["a"]}}\n'
  printf '{"id":"p:2","title":"Plain two","authors":["Smith, J" "Doe, A"],"year":2001}\n'
  printf '{"id":"p:3","title":"Plain three","year":2001,"extra":{"n":1,}}\n'
  printf '{"id":"p:4","title":"Plain four","year":02001}\n'
  printf '{"id":"p:5","title":"Plain five","authors":["Sm\xc0\xafith, J"],"year":2001}\n'
  printf '{"id":"p:6","title":"Plain six \\"quoted\\"","year":2001,"origin":{"file":"a.ris","index":6}}\n'
  printf '{"id":"p:7","title":"Plain seven","authors":["Smith, J","Doe'
} > "$T/plain.jsonl"
expect_rc 0 winnow-dedup -q --ledger "$T/pledger" -o "$T/pl" "$T/plain.jsonl"
expect_eq "$(jq -r .id "$T/pl" | tr '\n' ' ')" "p:1 p:6 " "the two valid lines kept, in order"
expect_eq "$(jq -r .title "$T/pl" | tail -1)" 'Plain six "quoted"' "an escaped title read by json-c, written back"
expect_contains "$T/err" "line 2: not valid JSON (array value separator" "a list without its comma"
expect_contains "$T/err" "line 3: not valid JSON" "an object with a trailing comma"
expect_contains "$T/err" "line 4: not valid JSON" "a number with a leading zero"
expect_contains "$T/err" "line 5: invalid UTF-8" "bad UTF-8 inside a list"
expect_contains "$T/err" "line 7: incomplete JSON (truncated line?)" "the truncated last line"
expect_eq "$(jq -c .skipped "$T/pledger")" 5 "all five counted as skipped"
# an empty file is no records, not an error
: > "$T/empty.jsonl"
expect_rc 0 winnow-dedup -q -o "$T/em" "$T/empty.jsonl"
expect_eq "$(lines "$T/em")" 0 "empty in, empty out"
done_testing
