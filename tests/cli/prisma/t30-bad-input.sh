#!/usr/bin/env bash
# Hostile and broken ledgers: cut at every byte, invalid UTF-8, a huge field, NUL bytes,
# an empty file, a directory; and allocation failures at every point of a run. Expected:
# a message naming the ledger (and line), exit 1 or 3 (never a crash or a silent success
# with wrong numbers), no output file left behind.
. "$(dirname "$0")/../lib.sh"
data="$WINNOW_TESTDATA/prisma"
L="$data/basic.ledger"
size=$(wc -c < "$L")

# cut at every byte: the result is either a clean error or the counts of the whole lines
bad=0
for ((i = 1; i < size; i += 7)); do
  head -c "$i" "$L" > "$T/cut.ledger"
  winnow-prisma -q --ledger "$T/cut.ledger" --json >"$T/cut.out" 2>"$T/cut.err"
  rc=$?
  case $rc in
    0|3) ;;
    *) bad=$((bad+1)); echo "cut at $i: exit $rc" >&2; sed 's/^/  /' "$T/cut.err" >&2 ;;
  esac
  if [ $rc = 0 ] && ! grep -q '"database_results":' "$T/cut.out"; then
    bad=$((bad+1)); echo "cut at $i: exit 0 without counts" >&2
  fi
  if grep -q "Sanitizer\|runtime error" "$T/cut.err"; then bad=$((bad+1)); cat "$T/cut.err" >&2; fi
done
expect_eq "$bad" 0 "ledger cut at every 7th byte"

# a torn last line is set aside with a warning; the complete lines still count
head -c $((size - 20)) "$L" > "$T/torn.ledger"
expect_rc 0 winnow-prisma --ledger "$T/torn.ledger"
expect_contains "$T/err" "line 6 is incomplete" "torn last line"
expect_contains "$T/err" "no full-text screening export" "the flow stops where the ledger does"

# invalid UTF-8 inside a line in the middle: damaged, named by line
{ head -2 "$L"; printf '{"ledger":1,"run":"d1","stage":"fetch","tool":"x\377\376","status":"ok"}\n'; tail -n +3 "$L"; } > "$T/utf8.ledger"
expect_rc 3 winnow-prisma --ledger "$T/utf8.ledger"
expect_contains "$T/err" "line 3 is not a valid ledger entry" "invalid UTF-8"

# NUL bytes
{ head -2 "$L"; printf '{"ledger":1,\000"run":"d2"}\n'; tail -n +3 "$L"; } > "$T/nul.ledger"
expect_rc 3 winnow-prisma --ledger "$T/nul.ledger"
expect_contains "$T/err" "line 3" "NUL byte"

# a huge source name (1 MB) and a huge reason: counted, drawn, the SVG still well formed
python3 - "$L" "$T/huge.ledger" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
big = 'Very long database name ' * 45000
for e in lines:
    if e['stage'] == 'fetch' and 'CINAHL' in e['sources']:
        e['sources'] = {big: e['sources']['CINAHL']}
        e['files'][0]['sources'] = {big: 30}
    if e.get('screen_stage') == 'ft':
        r = e['excluded_by_reason']; r['x' * 200000] = r.pop('abstract only')
open(sys.argv[2], 'w').write(''.join(json.dumps(e) + '\n' for e in lines))
PY
expect_rc 0 winnow-prisma -q --ledger "$T/huge.ledger" --svg "$T/huge.svg" --csv "$T/huge.csv"
expect_rc 0 python3 -c "import xml.etree.ElementTree as E; E.parse('$T/huge.svg')"
expect_eq "$(grep -c '' "$T/huge.csv")" 35 "CSV rows with a huge name"

# not files
expect_rc 1 winnow-prisma --ledger "$T"
expect_contains "$T/err" "'$T'" "a directory as ledger"
: > "$T/empty.log"
expect_rc 3 winnow-prisma --ledger "$L" "$T/empty.log"
expect_contains "$T/err" "empty.log" "an empty decision log"
expect_rc 3 winnow-prisma --ledger "$L" "$L"
expect_contains "$T/err" "basic.ledger" "a ledger given as a decision log"

# an output that cannot be written: a clear error, no temporary file left
expect_rc 1 winnow-prisma -q --ledger "$L" --svg "$T/no/such/dir/x.svg"
expect_contains "$T/err" "x.svg" "unwritable output"
if [ -e /dev/full ]; then
  winnow-prisma -q --ledger "$L" --json >/dev/full 2>"$T/err"; rc=$?
  expect_eq "$rc" 1 "stdout on a full disk"
  expect_contains "$T/err" "No space left on device" "full disk"
fi

# allocation failures at every point: never a crash, always "out of memory" and exit 1
total=$(WINNOW_ALLOC_COUNT=1 winnow-prisma -q --ledger "$L" --svg "$T/oom.svg" --csv "$T/oom.csv" 2>&1 >/dev/null | sed -n 's/.*allocations: *\([0-9]*\).*/\1/p' | tail -1)
if [ -z "$total" ]; then
  echo "note: allocation counting unavailable (built without fault injection): skipped" >&2
else
  crashes=0
  for ((n = 1; n <= total; n += (total / 150) + 1)); do
    rm -f "$T/oom.svg" "$T/oom.csv"
    WINNOW_FAIL_ALLOC=$n winnow-prisma -q --ledger "$L" --svg "$T/oom.svg" --csv "$T/oom.csv" >/dev/null 2>"$T/oom.err"
    rc=$?
    if [ $rc -ge 128 ] || grep -q "Sanitizer\|runtime error" "$T/oom.err"; then
      crashes=$((crashes+1)); echo "allocation $n: exit $rc" >&2; head -5 "$T/oom.err" >&2
    elif [ $rc != 0 ] && ! grep -q "out of memory" "$T/oom.err"; then
      crashes=$((crashes+1)); echo "allocation $n: exit $rc without 'out of memory'" >&2; head -3 "$T/oom.err" >&2
    fi
    ls "$T"/oom.*.tmp-* >/dev/null 2>&1 && { crashes=$((crashes+1)); echo "allocation $n: temporary file left" >&2; }
  done
  expect_eq "$crashes" 0 "allocation failures (of $total)"
fi
done_testing
