#!/usr/bin/env bash
# winnow-export as a tool: files and stdin, -o written atomically, bad input lines
# named and counted, --strict, a closed pipe, unique BibTeX keys over many records.
. "$(dirname "$0")/../lib.sh"
winnow-fetch file -q "$WINNOW_TESTDATA/csv/rayyan.csv" > "$T/r.jsonl"
expect_rc 0 winnow-export --format csv "$T/r.jsonl" "$T/r.jsonl"
expect_eq "$(grep -c . "$T/out")" 21 "two inputs, one header"
# -o: a failed run leaves no file (and no temp file)
printf '{"title":"a"}\nnot json\n' > "$T/bad.jsonl"
expect_rc 3 winnow-export --format ris --strict -o "$T/o.ris" "$T/bad.jsonl"
expect_contains "$T/err" "'$T/bad.jsonl' line 2" "the bad line is named"
CHECKS=$((CHECKS+1)); [ ! -e "$T/o.ris" ] || fail "-o file left after a failed run"
CHECKS=$((CHECKS+1)); [ -z "$(ls "$T" | grep tmp)" ] || fail "temp file left"
expect_rc 0 winnow-export --format ris -o "$T/o.ris" "$T/bad.jsonl"
expect_contains "$T/err" "1 line of the input was not" "skips are counted"
expect_eq "$(grep -c 'TY  - ' "$T/o.ris")" 1 "the good record is written"
# empty input: CSV still has its header; RIS and BibTeX are empty
: > "$T/empty.jsonl"
expect_rc 0 winnow-export --format csv "$T/empty.jsonl"
expect_eq "$(lines "$T/out")" 1 "CSV header only"
expect_rc 0 winnow-export --format bibtex "$T/empty.jsonl"
expect_eq "$(wc -c < "$T/out" | tr -d ' ')" 0 "no BibTeX for no records"
# a reader that goes away: quiet, no error message
for i in $(seq 1 300); do cat "$T/r.jsonl"; done > "$T/big.jsonl"
winnow-export --format ris "$T/big.jsonl" 2>"$T/err" | head -1 > /dev/null
expect_not_contains "$T/err" "error" "a closed pipe is not an error"
# 3000 records with few surnames: every BibTeX key is different
winnow-export --format bibtex "$T/big.jsonl" > "$T/big.bib"
expect_eq "$(grep -c '^@' "$T/big.bib")" 3000 "one entry per record"
expect_eq "$(grep '^@' "$T/big.bib" | tr 'A-Z' 'a-z' | sort | uniq -d | wc -l | tr -d ' ')" 0 "keys unique"
expect_eq "$(grep '^@' "$T/big.bib" | LC_ALL=C grep -c '[^ -~]')" 0 "keys are ASCII"
# --with-notes carries Rayyan's decisions into RIS notes
expect_rc 0 winnow-export --format ris --with-notes "$T/r.jsonl"
expect_contains "$T/out" "N1  - RAYYAN-INCLUSION: Emily: Included" "decisions as notes"
# usage
expect_rc 2 winnow-export "$T/r.jsonl"
expect_contains "$T/err" "--format is required" "the format must be named"
expect_rc 2 winnow-export --format xml
expect_rc 0 winnow-export --help
expect_contains "$T/out" "--with-notes" "help lists the options"
done_testing
