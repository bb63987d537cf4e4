#!/usr/bin/env bash
# A damaged line in the middle of a decision log is an error (exit 3) naming the line,
# for every command that reads it, and the log is never repaired automatically.
. "$(dirname "$0")/../lib.sh"
cd "$T"
R="$WINNOW_TESTDATA/screen/pubmed50.jsonl"
jq -r .id "$R" | head -5 | sed 's/$/\tinclude/' > five.tsv
expect_rc 0 winnow-screen review --reviewer ann --stage ta --log ann.log --answers five.tsv "$R"
expect_rc 0 winnow-screen review --reviewer ben --stage ta --log ben.log --answers five.tsv "$R"
# an edit in line 3 (the second decision): include -> exclude, checksum left as it was
sed '3s/\tinclude\t/\texclude\t/' ann.log > bad.log
off=$(head -2 ann.log | wc -c)
cp bad.log keep.log
expect_rc 3 winnow-screen agree bad.log ben.log
expect_contains "$T/err" "winnow-screen: error: decision log 'bad.log' is damaged at line 3 (byte $off): its checksum does not match" "agree names the line"
expect_rc 3 winnow-screen export --stage ta --decision include "$R" bad.log ben.log
expect_contains "$T/err" "is damaged at line 3 (byte $off)" "export names the line"
expect_rc 3 winnow-screen review --reviewer ann --stage ta --log bad.log --answers five.tsv "$R"
expect_contains "$T/err" "is damaged at line 3 (byte $off)" "review names the line"
expect_rc 3 winnow-screen resolve --reviewer cat --log cat.log bad.log ben.log
expect_eq "$(cmp bad.log keep.log && echo same)" same "never repaired automatically"
# every byte of a middle line flipped: always refused, never taken as torn
bad=0
for pos in $(seq $((off + 1)) $(( $(head -3 ann.log | wc -c) - 1 ))); do
  # flip the lowest bit of byte $pos
  byte=$(od -An -tu1 -j $((pos - 1)) -N1 ann.log | tr -d ' ')
  { head -c $((pos - 1)) ann.log; printf "\\$(printf %03o $((byte ^ 1)))"; tail -c +$((pos + 1)) ann.log; } > flip.log
  winnow-screen agree flip.log ben.log >/dev/null 2>err.txt; rc=$?
  [ $rc = 3 ] && grep -q "line 3 (byte $off)" err.txt || bad=$((bad + 1))
done
CHECKS=$((CHECKS+1)); [ $bad = 0 ] || fail "$bad flipped bytes were not reported as damage at line 3"
# a deleted middle line is a gap in the sequence
sed '4d' ann.log > gap.log
expect_rc 3 winnow-screen agree gap.log ben.log
expect_contains "$T/err" "line 4" "gap reported at the line after the hole"
expect_contains "$T/err" "a gap in the sequence numbers (lines are missing)" "gap explained"
# not a log at all, and an empty file
expect_rc 3 winnow-screen agree five.tsv ben.log
expect_contains "$T/err" "'five.tsv' is not a winnow decision log" "wrong file"
: > empty.log
expect_rc 3 winnow-screen agree empty.log ben.log
expect_contains "$T/err" "decision log 'empty.log' is empty" "empty file"
expect_rc 1 winnow-screen agree missing.log ben.log
expect_contains "$T/err" "cannot open decision log 'missing.log': No such file or directory" "missing file"
done_testing
