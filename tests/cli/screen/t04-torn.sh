#!/usr/bin/env bash
# A torn last line, cut at every byte offset: readers warn and skip it, the next writer
# moves it to LOG.torn-TIME and carries on; nothing confirmed is ever lost.
. "$(dirname "$0")/../lib.sh"
cd "$T"
export WINNOW_TIME=1767225600
R="$WINNOW_TESTDATA/screen/pubmed50.jsonl"
jq -r .id "$R" | head -4 | sed 's/$/\tinclude/' > four.tsv
jq -r .id "$R" | head -3 | sed 's/$/\texclude/' > other.tsv
expect_rc 0 winnow-screen review --reviewer ann --stage ta --log full.log --answers four.tsv "$R"
expect_rc 0 winnow-screen review --reviewer ben --stage ta --log ben.log --answers other.tsv "$R"
size=$(stat -c %s full.log)
last=$(tail -1 full.log | wc -c)
start=$((size - last))
bad=0
for cut in $(seq $((start + 1)) $((size - 1))); do
  head -c "$cut" full.log > torn.log
  winnow-screen agree --json torn.log ben.log > out.json 2> err.txt || bad=$((bad + 1))
  grep -q "its last line (line 5, $((cut - start)) bytes) is incomplete" err.txt || bad=$((bad + 1))
  [ "$(jq .n out.json)" = 3 ] || bad=$((bad + 1))
  # the writer sets the bytes aside and truncates
  winnow-screen review --reviewer ann --stage ta --log torn.log --answers four.tsv "$R" 2> err.txt || bad=$((bad + 1))
  grep -q "was moved to 'torn.log.torn-2026-01-01T00:00:00Z'" err.txt || bad=$((bad + 1))
  tail -c +$((start + 1)) full.log | head -c $((cut - start)) | cmp -s - torn.log.torn-2026-01-01T00:00:00Z || bad=$((bad + 1))
  [ "$(stat -c %s torn.log.torn-2026-01-01T00:00:00Z)" = $((cut - start)) ] || bad=$((bad + 1))
  # ... and the import completed the log again
  [ "$(tail -n +2 torn.log | wc -l)" = 4 ] || bad=$((bad + 1))
  winnow-screen agree torn.log ben.log > /dev/null 2> err.txt || bad=$((bad + 1))
  [ -s err.txt ] && bad=$((bad + 1))
  rm -f torn.log torn.log.torn-*
done
CHECKS=$((CHECKS+1))
[ $bad = 0 ] || fail "$bad failures over the $((last - 1)) torn offsets"
CHECKS=$((CHECKS+1))
[ "$last" -gt 60 ] || fail "the last line is suspiciously short ($last bytes)"
# zeros after the last line (the size grew before the data was written)
cp full.log zero.log
head -c 100 /dev/zero >> zero.log
expect_rc 0 winnow-screen agree zero.log ben.log
expect_contains "$T/err" "(line 6, 100 bytes) is incomplete" "NUL tail reported"
expect_rc 0 winnow-screen review --reviewer ann --stage ta --log zero.log --answers four.tsv "$R"
expect_eq "$(cmp zero.log full.log && echo same)" same "the NUL tail was cut off, nothing else changed"
done_testing
