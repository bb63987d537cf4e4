#!/usr/bin/env bash
# The CSV is read as the PRISMA2020 R package reads it (prisma2020_read.py): every count
# and every breakdown comes back as winnow computed it, with names holding commas and
# semicolons made safe; a CSV with a broken breakdown or a missing row is caught.
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
data="$WINNOW_TESTDATA/prisma"
n=0
for case in "basic.ledger" "other.ledger --previous-studies 12 --previous-reports 15" \
            "stress.ledger" "conflicts.ledger --force"; do
  n=$((n+1))
  (cd "$data" && winnow-prisma -q --ledger $case --csv "$T/f$n.csv" --json >"$T/f$n.json" 2>/dev/null)
  expect_rc 0 python3 "$here/prisma2020_read.py" "$T/f$n.csv" "$T/f$n.json"
  expect_contains "$T/out" "28 keys compared" "$case"
done
# the reader is not a rubber stamp: a count changed, a row lost, a reason mangled
sed 's/^records_screened\(.*\),98$/records_screened\1,99/' "$T/f1.csv" > "$T/bad1.csv"
expect_rc 1 python3 "$here/prisma2020_read.py" "$T/bad1.csv" "$T/f1.json"
expect_contains "$T/out" "records_screened: the package reads 99.0" "a wrong count is seen"
grep -v '^duplicates,' "$T/f1.csv" > "$T/bad2.csv"
expect_rc 1 python3 "$here/prisma2020_read.py" "$T/bad2.csv" "$T/f1.json"
expect_contains "$T/out" 'grep("duplicates") finds 0 rows' "a lost row is seen"
sed 's/"wrong setting, 7; /"wrong, setting, 7; /' "$T/f1.csv" > "$T/bad3.csv"
expect_rc 1 python3 "$here/prisma2020_read.py" "$T/bad3.csv" "$T/f1.json"
expect_contains "$T/out" "dbr_excluded" "a comma inside a reason is seen"
done_testing
