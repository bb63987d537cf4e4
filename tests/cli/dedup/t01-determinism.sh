#!/usr/bin/env bash
# Deterministic output: byte-identical for any number of threads, whether the input lines
# stay in memory or go to the temporary file, from a file, standard input or gzip; and
# shuffling the input changes only the order of the output lines, never which records
# are merged, kept, or listed as maybe pairs.
. "$(dirname "$0")/../lib.sh"
D=$WINNOW_TESTDATA/dedup
# the cytology set twice (the second copy under other ids: every record has a duplicate)
cat "$D/cytology.jsonl" > "$T/in.jsonl"
sed 's/"id":"id_/"id":"copy_/' "$D/cytology.jsonl" >> "$T/in.jsonl"
cat "$D/traps.jsonl" >> "$T/in.jsonl"
n=$(lines "$T/in.jsonl")

expect_rc 0 winnow-dedup -q -j1 --maybe "$T/m1" --report "$T/r1" -o "$T/o1" "$T/in.jsonl"
removed=$(($(lines "$T/r1") - 1))
expect_eq "$(( $(lines "$T/o1") + removed ))" "$n" "every record is written or reported removed"
for j in 2 3 8; do
  expect_rc 0 winnow-dedup -q -j$j --maybe "$T/m$j" --report "$T/r$j" -o "$T/o$j" "$T/in.jsonl"
  expect_eq "$(cmp -s "$T/o1" "$T/o$j" && cmp -s "$T/m1" "$T/m$j" && cmp -s "$T/r1" "$T/r$j" && echo same)" same "-j$j output identical to -j1"
done
# lines spilled to the temporary file past a 1 MiB budget (a pipe: a regular file is
# mapped, and mapped lines stay in the file)
cat "$T/in.jsonl" | expect_rc 0 winnow-dedup -q --memory 1 --maybe "$T/ms" -o "$T/os"
expect_eq "$(cmp -s "$T/o1" "$T/os" && cmp -s "$T/m1" "$T/ms" && echo same)" same "spilled lines: same output"
# a mapped file and the same bytes streamed give the same output, whatever ends the
# lines (LF, CR LF, a lone CR, nothing at the end), with blank, bad and over-long lines
awk 'NR%7==0{printf "%s\r\n",$0; next} NR%11==0{printf "%s\r",$0; next}
     NR%13==0{print ""; print $0; next} NR%17==0{print "{bad"; print $0; next} {print}' \
  "$T/in.jsonl" > "$T/mix.jsonl"
printf '%s' "$(head -1 "$D/traps.jsonl" | sed 's/"id":"/"id":"last_/')" >> "$T/mix.jsonl"
expect_rc 0 winnow-dedup -q --max-line-bytes 3000 --maybe "$T/mm" -r "$T/rm" -o "$T/om" "$T/mix.jsonl"
cp "$T/err" "$T/em"
WINNOW_DEDUP_NO_MAP=1 expect_rc 0 winnow-dedup -q --max-line-bytes 3000 --maybe "$T/mn" -r "$T/rn" -o "$T/on" "$T/mix.jsonl"
cp "$T/err" "$T/en"
cat "$T/mix.jsonl" | expect_rc 0 winnow-dedup -q --max-line-bytes 3000 --memory 1 --maybe "$T/mp" -o "$T/op"
cp "$T/err" "$T/ep"
expect_eq "$(cmp -s "$T/om" "$T/on" && cmp -s "$T/om" "$T/op" && cmp -s "$T/mm" "$T/mn" && cmp -s "$T/rm" "$T/rn" && cmp -s "$T/em" "$T/en" && echo same)" same "mapped, streamed and spilled: same output"
expect_eq "$(sed 's/<stdin>/mix.jsonl/' "$T/ep" | sed "s|$T/||" | cmp -s - <(sed "s|$T/||" "$T/em") && echo same)" same "mapped and streamed: same messages"
expect_eq "$(grep -c 'line longer than 3000 bytes' "$T/em")" "$(awk 'length($0) > 3000' "$T/mix.jsonl" | wc -l)" "every over-long line reported"
expect_eq "$(grep -c $'\r' "$T/om")" 0 "no CR written back"
expect_eq "$(tail -c1 "$T/om" | od -An -c | tr -d ' ')" '\n' "the last line ends in LF"
# a record's values parsed as an array (flat.c) or the line as an object: the same output
# and the same messages - also for lines the array path leaves to the object path (a key
# given twice, an escaped key, spaces around every token) and for values json-c refuses
{ printf '%s\n' '{"id":"w1", "title" : "Spaced out around every token" ,"year":2001 } ' \
    '{"id":tru}' '{"id":"k2","title":"First title","title":"Second title"}' \
    '{"ti\u0074le":"An escaped key","id":"e3"}' '{"id":"x4","year":[1}}' '{"id":"y5",}'
  head -300 "$T/in.jsonl"; } > "$T/flat.jsonl"
expect_rc 0 winnow-dedup -q --max-line-bytes 3000 --maybe "$T/mf" -r "$T/rf" -o "$T/of" "$T/flat.jsonl"
cp "$T/err" "$T/ef"
WINNOW_DEDUP_NO_FLAT=1 expect_rc 0 winnow-dedup -q --max-line-bytes 3000 --maybe "$T/mo" -r "$T/ro" -o "$T/oo" "$T/flat.jsonl"
cp "$T/err" "$T/eo"
expect_eq "$(cmp -s "$T/of" "$T/oo" && cmp -s "$T/mf" "$T/mo" && cmp -s "$T/rf" "$T/ro" && cmp -s "$T/ef" "$T/eo" && echo same)" same "values as an array, line as an object: same output and messages"
expect_eq "$(grep -c '"id":"\(w1\|k2\|e3\)"' "$T/of")" 3 "the unusual lines are records"
expect_eq "$(grep -c 'title":"Second title' "$T/of")" 1 "a key given twice: the last value"
expect_eq "$(grep -oE "line 2: not valid JSON \(.* at byte [0-9]+\)" "$T/ef" | grep -oE "byte [0-9]+")" "byte 10" "a value json-c refuses: the message of the line as written"
# standard input, gzip
winnow-dedup -q < "$T/in.jsonl" > "$T/ostdin"
expect_eq "$(cmp -s "$T/o1" "$T/ostdin" && echo same)" same "standard input: same output"
gzip -c "$T/in.jsonl" > "$T/in.jsonl.gz"
expect_rc 0 winnow-dedup -q -o "$T/ogz" "$T/in.jsonl.gz"
expect_eq "$(cmp -s "$T/o1" "$T/ogz" && echo same)" same "gzip input: same output"
# two files are one stream
head -1000 "$T/in.jsonl" > "$T/a.jsonl"; tail -n +1001 "$T/in.jsonl" > "$T/b.jsonl"
expect_rc 0 winnow-dedup -q -o "$T/o2f" "$T/a.jsonl" "$T/b.jsonl"
expect_eq "$(cmp -s "$T/o1" "$T/o2f" && echo same)" same "two files: same output"

# many output windows (20 copies of the cytology set, 37k lines): with more than one
# thread, each window is written by the writer thread while the next is merged; the
# output is the one -j1 writes window by window, and a full disk or a closed pipe in the
# middle of it ends the run the same way
for c in $(seq 20); do sed "s/\"id\":\"id_/\"id\":\"c${c}_/" "$D/cytology.jsonl"; done > "$T/many.jsonl"
expect_rc 0 winnow-dedup -q -j1 -r "$T/rmany1" -o "$T/omany1" "$T/many.jsonl"
expect_eq "$(( $(lines "$T/omany1") + $(lines "$T/rmany1") - 1 ))" "$(lines "$T/many.jsonl")" "many windows: every record written or reported removed"
withdups=$(grep -c '"duplicates"' "$T/omany1")
expect_eq "$(( $(lines "$T/rmany1") - 1 >= 19 * withdups && withdups > 1000 ))" 1 "many windows: each merged record absorbed its 19 copies"
for j in 2 3; do
  expect_rc 0 winnow-dedup -q -j$j -o "$T/omany$j" "$T/many.jsonl"
  expect_eq "$(cmp -s "$T/omany1" "$T/omany$j" && echo same)" same "many windows: -j$j output identical to -j1"
done
winnow-dedup -q -j2 "$T/many.jsonl" > /dev/full 2>"$T/efull"
expect_eq "$?" 1 "many windows, full disk: exit status"
expect_contains "$T/efull" "No space left on device" "many windows, full disk: message"
expect_eq "$(grep -c error: "$T/efull")" 1 "many windows, full disk: one error message"
out=$(set -o pipefail; winnow-dedup -q -j2 "$T/many.jsonl" 2>"$T/epipe" | head -c 100000 | wc -c)
expect_eq "$out" 100000 "many windows, closed pipe: head got its bytes"
expect_eq "$(wc -c < "$T/epipe" | tr -d ' ')" 0 "many windows, closed pipe: no message"

# shuffled input (fixed seed): the same records merged, the same maybe pairs
for seed in 1 2 3; do
  shuf --random-source=<(yes $seed) "$T/in.jsonl" > "$T/shuf.jsonl"
  expect_rc 0 winnow-dedup -q -j2 --maybe "$T/msh" --report "$T/rsh" -o "$T/osh" "$T/shuf.jsonl"
  expect_eq "$(sort "$T/osh" | md5sum)" "$(sort "$T/o1" | md5sum)" "shuffle $seed: same unique records"
  expect_eq "$(sort "$T/rsh" | md5sum)" "$(sort "$T/r1" | md5sum)" "shuffle $seed: same removals"
  expect_eq "$(md5sum < "$T/msh")" "$(md5sum < "$T/m1")" "shuffle $seed: same maybe file (sorted by id)"
done
# small blocks: nearly every block is compared by window after sorting its records by
# title (from the end for title-suffix keys), year, author, page - an order that must not
# depend on the input's either
expect_rc 0 winnow-dedup -q -j1 --block-cap 2 --window 3 --ledger "$T/lw1" --maybe "$T/mw1" -r "$T/rw1" -o "$T/ow1" "$T/in.jsonl"
windowed=$(grep -o '"blocks_windowed":[0-9]*' "$T/lw1" | cut -d: -f2)
expect_eq "$([ "${windowed:-0}" -gt 1000 ] && echo many)" many "small blocks: compared by window ($windowed blocks)"
for seed in 4 5; do
  shuf --random-source=<(yes $seed) "$T/in.jsonl" > "$T/shuf.jsonl"
  expect_rc 0 winnow-dedup -q -j2 --block-cap 2 --window 3 --maybe "$T/mws" -r "$T/rws" -o "$T/ows" "$T/shuf.jsonl"
  expect_eq "$(sort "$T/ows" | md5sum)" "$(sort "$T/ow1" | md5sum)" "small blocks, shuffle $seed: same unique records"
  expect_eq "$(sort "$T/rws" | md5sum)" "$(sort "$T/rw1" | md5sum)" "small blocks, shuffle $seed: same removals"
  expect_eq "$(md5sum < "$T/mws")" "$(md5sum < "$T/mw1")" "small blocks, shuffle $seed: same maybe file"
done
done_testing
