#!/usr/bin/env bash
# --append-ledger records the run (counts, runs used); winnow-prisma reading the ledger
# again ignores its own lines: same counts, same first and last timestamps.
. "$(dirname "$0")/../lib.sh"
cp "$WINNOW_TESTDATA/prisma/basic.ledger" "$T/review.ledger"
cd "$T"
expect_rc 0 winnow-prisma -q --ledger review.ledger --json --append-ledger
cp "$T/out" first.json
expect_eq "$(lines review.ledger)" 7 "one line appended"
tail -1 review.ledger > last.json
expect_rc 0 python3 - <<'PY'
import json
e = json.load(open('last.json'))
assert e['stage'] == 'prisma' and e['tool'] == 'winnow-prisma' and e['status'] == 'ok', e
assert e['counts']['records_screened'] == 98 and e['counts']['dbr_excluded']['wrong setting'] == 7
assert 'identification' not in e['counts']
assert [r['line'] for r in e['runs']] == [1, 2, 3, 4, 5, 6], e['runs']
assert e['errors'] == 0 and e['checks'] >= 10
assert '--append-ledger' in e['argv'] and '--json' in e['argv'], e['argv']
PY
expect_rc 0 winnow-prisma -q --ledger review.ledger --json
expect_eq "$(cmp -s first.json "$T/out" && echo same)" same "the prisma line changes nothing"
# a failing flow is recorded as failed, and nothing else is written
cp "$WINNOW_TESTDATA/prisma/short.ledger" short.ledger
winnow-prisma -q --ledger short.ledger --force --append-ledger --svg s.svg >/dev/null 2>&1
expect_eq "$?" 3 "counts that do not add up"
expect_contains short.ledger '"stage":"prisma"' "the failing run is recorded"
expect_contains short.ledger '"status":"failed"' "as failed"
done_testing
