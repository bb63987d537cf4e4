#!/usr/bin/env bash
# A decision log cut at every byte offset (a crash, a full disk or a power cut can leave
# any prefix), and a log followed by NUL bytes (the size grew before the data was
# written). For every cut:
#   - a reader (winnow-screen export) sees exactly the decisions of the complete lines,
#     and warns about the torn line instead of failing;
#   - the writer (winnow-screen review --answers, resuming) moves the torn bytes to
#     <log>.torn-<time> (byte for byte), and after it the log is identical to a log that
#     was never cut: every confirmed decision present once, nothing lost or doubled.
# Through the tools at every 7th offset (every 37th under ASan); the library itself is
# checked at every single offset by tests/crash/test_declog_cut.c.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/robust-lib.sh"

export WINNOW_TIME=1767225600
use_fast_dir
R=$WINNOW_TESTDATA/screen/pubmed50.jsonl
jq -r .id "$R" | head -12 | awk '{ printf "%s\t%s\t%s\n", $0, (NR%3==0 ? "exclude" : (NR%3==1 ? "include" : "maybe")), (NR%3==0 ? "wrong population" : "") }' > "$T/answers.tsv"
review() { winnow-screen review --reviewer alice --stage ta --log "$1" --answers "$T/answers.tsv" "$R"; }
review "$F/ref.log" >/dev/null 2>&1
expect_eq "$?" 0 "reference log"
size=$(wc -c < "$F/ref.log")
hdr=$(head -1 "$F/ref.log" | wc -c)
step=7
sanitized && step=37
torn_name="$F/cut.log.torn-2026-01-01T00:00:00Z"
bad=0
for k in $(seq 0 $step "$size") "$size"; do
  [ $bad -ge 5 ] && break
  head -c "$k" "$F/ref.log" > "$F/cut.log"
  # complete lines in the cut, and the torn tail
  prefix=$(head -c "$k" "$F/ref.log" | tr -cd '\n' | wc -c)
  tail_bytes=$(( k - $(head -c "$k" "$F/ref.log" | sed -n '$!p;$p' | head -n "$prefix" | wc -c) ))
  if [ $((k % (3 * step))) = 0 ] && [ "$k" -gt "$hdr" ]; then
    # reader: records going forward (include, or a maybe vote) among the complete lines
    want=$(head -c "$k" "$F/ref.log" | head -n "$prefix" | grep -cE $'\t(include|maybe)\t')
    winnow-screen export --stage ta --decision include "$R" "$F/cut.log" > "$T/exp.jsonl" 2>"$T/err"
    rc=$?
    CHECKS=$((CHECKS+1))
    if crashed $rc "$T/err" || [ $rc != 0 ] || [ "$(lines "$T/exp.jsonl")" != "$want" ]; then
      fail "cut at $k: reader exit $rc, $(lines "$T/exp.jsonl") includes, expected $want"; sed 's/^/  | /' "$T/err" | head -3; bad=$((bad+1))
    fi
  fi
  rm -f "$F"/cut.log.torn-*
  review "$F/cut.log" >/dev/null 2>"$T/err"
  rc=$?
  CHECKS=$((CHECKS+1))
  if crashed $rc "$T/err" || [ $rc != 0 ]; then
    fail "cut at $k: resuming exit $rc"; sed 's/^/  | /' "$T/err" | head -3; bad=$((bad+1)); continue
  fi
  CHECKS=$((CHECKS+1))
  if ! cmp -s "$F/cut.log" "$F/ref.log"; then
    fail "cut at $k: after resuming the log differs from the uncut one"; diff "$F/ref.log" "$F/cut.log" | head -4; bad=$((bad+1)); continue
  fi
  CHECKS=$((CHECKS+1))
  if [ "$tail_bytes" -gt 0 ] && [ "$k" -ge 0 ]; then
    if [ ! -f "$torn_name" ] || ! cmp -s "$torn_name" <(head -c "$k" "$F/ref.log" | tail -c "$tail_bytes"); then
      fail "cut at $k: the $tail_bytes torn bytes were not set aside in $torn_name"; bad=$((bad+1))
    fi
  elif ls "$F"/cut.log.torn-* >/dev/null 2>&1; then
    fail "cut at $k (a line boundary): a torn file was written"; bad=$((bad+1))
  fi
done
echo "checked $(( (size + step) / step )) cut points of a $size-byte log"

# NUL bytes after the last line, and a half line followed by NULs
for pad in nul half; do
  cp "$F/ref.log" "$F/cut.log"
  [ $pad = half ] && printf '13\t2026-01-01T00:00:00Z\talice\tpubmed:1' >> "$F/cut.log"
  head -c 4096 /dev/zero >> "$F/cut.log"
  rm -f "$F"/cut.log.torn-*
  review "$F/cut.log" >/dev/null 2>"$T/err"
  expect_eq "$?" 0 "$pad padding: resuming"
  expect_eq "$(cmp -s "$F/cut.log" "$F/ref.log" && echo same)" same "$pad padding: log restored"
  expect_contains "$T/err" "torn" "$pad padding: the reviewer is told"
done
# damage in the middle is refused, never repaired
cp "$F/ref.log" "$F/cut.log"
sed -i '5s/include/exclude/' "$F/cut.log"
review "$F/cut.log" >/dev/null 2>"$T/err"
expect_eq "$?" 3 "damaged middle line: refused (exit 3)"
expect_contains "$T/err" "line 5" "damaged middle line: named"
expect_eq "$(cmp -s <(sed '5s/include/exclude/' "$F/ref.log") "$F/cut.log" && echo untouched)" untouched "damaged log left untouched"
done_testing
