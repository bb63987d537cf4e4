#!/usr/bin/env bash
# Bad input: every line that is not a record is named (file and line), skipped and
# counted in the ledger; --strict stops with exit 3; nothing else is lost.
. "$(dirname "$0")/../lib.sh"
D="$WINNOW_TESTDATA/query"
printf 'integrat* OR care\n' > "$T/q"
{ head -3 "$D/records.jsonl"; printf '{"id":"bad-utf8","title":"integrated \xff care"}\n';
  printf '{"id":"nul","title":"care"\x00}\n'; printf '["not","an","object"]\n'; printf '\n';
  head -c 300 "$D/records.jsonl" | tr -d '\n'; printf '\n'; sed -n 4p "$D/records.jsonl"; } > "$T/in.jsonl"
expect_rc 0 winnow-screen filter -q "$T/q" --ledger "$T/led" "$T/in.jsonl"
expect_contains "$T/err" "in.jsonl' line 4: invalid UTF-8: skipped" "invalid UTF-8 named"
expect_contains "$T/err" "in.jsonl' line 6: not a JSON object: skipped" "non-object named"
expect_contains "$T/err" "in.jsonl' line 8: truncated JSON: skipped" "truncated named"
expect_contains "$T/err" "4 lines skipped" "summary"
expect_eq "$(jq -c '[.records_in, .skipped, .skip_reasons["invalid UTF-8"]]' "$T/led")" "[4,4,1]" "ledger counts"
expect_rc 3 winnow-screen filter --strict -q "$T/q" "$T/in.jsonl"
expect_contains "$T/err" "line 4: invalid UTF-8 (--strict)" "strict names the line"
# gzip input, several inputs, stdin
gzip -c "$D/example-review.jsonl" > "$T/ex.jsonl.gz"
expect_rc 0 winnow-screen filter --quiet -q "$T/q" "$T/ex.jsonl.gz" - < "$D/example-review.jsonl"
expect_eq "$(lines "$T/out")" 8 "gzip + stdin"
# an empty input, a missing input, a directory
: > "$T/empty"
expect_rc 0 winnow-screen filter -q "$T/q" "$T/empty"
expect_contains "$T/err" "0 records in" "empty input"
expect_rc 1 winnow-screen filter -q "$T/q" "$T/no-such.jsonl"
expect_contains "$T/err" "cannot open '$T/no-such.jsonl'" "missing input named"
# a huge field: a 20 MB line is over the line cap - reported, counted, not cut
python3 -c "import sys; sys.stdout.write('{\"id\":\"huge\",\"title\":\"' + 'care ' * 4200000 + '\"}\n')" > "$T/huge.jsonl"
cat "$D/example-review.jsonl" >> "$T/huge.jsonl"
expect_rc 0 winnow-screen filter -q "$T/q" --ledger "$T/led2" "$T/huge.jsonl"
expect_contains "$T/err" "skipped" "over-long line reported"
expect_eq "$(jq -c '[.records_in, .skipped]' "$T/led2")" "[4,1]" "over-long line counted"
# a 5 MB title is fine, and matched
python3 -c "import sys; sys.stdout.write('{\"id\":\"big\",\"title\":\"' + 'x ' * 2500000 + 'integrated care\"}\n')" > "$T/big.jsonl"
expect_rc 0 winnow-screen filter --quiet -q "$T/q" --explain "$T/big.jsonl"
expect_eq "$(jq -c .screen.terms "$T/out")" '["integrated","care"]' "big record matched"
# a query file in UTF-16 with a BOM, with Windows-1252 curly quotes, and too long
printf '\xff\xfei\x00n\x00t\x00e\x00g\x00r\x00a\x00t\x00*\x00\n\x00' > "$T/q16"
expect_rc 0 winnow-screen filter --quiet -q "$T/q16" "$D/example-review.jsonl"
expect_eq "$(lines "$T/out")" 2 "UTF-16 query"
printf '\x93integrated care\x94\n' > "$T/q1252"
expect_rc 0 winnow-screen filter -q "$T/q1252" "$D/example-review.jsonl"
expect_contains "$T/err" "Q116" "Windows-1252 reported"
expect_contains "$T/err" "Q101" "curly quotes reported"
head -c 1100000 /dev/zero | tr '\0' 'a' > "$T/qlong"
expect_rc 3 winnow-screen filter -q "$T/qlong" "$D/example-review.jsonl"
expect_contains "$T/err" "Q007" "too long"
# output to a file is atomic: a failed run leaves no file
expect_rc 3 winnow-screen filter --strict -q "$T/q" -o "$T/kept.jsonl" "$T/in.jsonl"
[ ! -e "$T/kept.jsonl" ] || fail "a failed run left its output file"
ls "$T" | grep -q "kept.jsonl.tmp" && fail "a temporary file was left"
expect_rc 0 winnow-screen filter --quiet -q "$T/q" -o "$T/kept.jsonl" "$D/example-review.jsonl"
expect_eq "$(lines "$T/kept.jsonl")" 4 "-o FILE"
# help and usage
expect_rc 0 winnow-screen filter --help
expect_contains "$T/out" "--criteria" "help lists options"
expect_rc 2 winnow-screen filter --threads 99 -q "$T/q"
done_testing
