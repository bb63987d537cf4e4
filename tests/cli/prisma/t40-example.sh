#!/usr/bin/env bash
# The bundled example review, run end to end by examples/run.sh (the README's main
# command runs it), offline and in seconds; then every PRISMA number recounted without
# winnow (example_expected.py) and compared; the diagram checked in Chromium.
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
ex="$WINNOW_SRC/examples"
start=$(date +%s)
WINNOW_BIN="$WINNOW_BIN" bash "$ex/run.sh" "$T/example" >"$T/run.out" 2>"$T/run.err"
rc=$?
expect_eq "$rc" 0 "examples/run.sh"
if [ "$rc" != 0 ]; then sed 's/^/  | /' "$T/run.err" | tail -20 >&2; done_testing; fi
secs=$(( $(date +%s) - start ))
[ "$secs" -le 60 ] || fail "the example took ${secs}s (it should take seconds)"
# it prints the counts and writes the diagram
expect_contains "$T/run.out" "Records screened" "the counts are printed"
expect_contains "$T/run.out" "All " "the checks hold"
expect_not_contains "$T/run.err" "error:" "no errors"
for f in PRISMA.svg PRISMA.csv review.ledger; do
  [ -s "$T/example/$f" ] || fail "$f not written"
done
# every number against the independent recount
winnow-prisma -q --ledger "$T/example/review.ledger" --json "$T"/example/ta-*.log "$T"/example/ft-*.log \
  "$T"/example/other-*.log > "$T/prisma.json"
expect_eq "$?" 0 "winnow-prisma --json on the example"
expect_rc 0 python3 "$here/example_expected.py" "$ex" "$T/prisma.json"
expect_not_contains "$T/out" "FAIL" "the recount agrees"
# the CSV reads back as the PRISMA2020 package reads it
expect_rc 0 python3 "$here/prisma2020_read.py" "$T/example/PRISMA.csv" "$T/prisma.json"
# agreement at title/abstract: 2x2 = [[5, 2], [0, 3]] -> kappa 0.6 (by hand: po 0.8, pe 0.5)
expect_contains "$T/run.out" "0.6" "Cohen's kappa of the title/abstract screening"
# the diagram fits, by geometry (real font metrics) and in the browser
expect_rc 0 python3 "$here/svgcheck.py" geometry "$T/example/PRISMA.svg"
svg="$T/example/PRISMA.svg"
w=$(sed -n 's/^<svg [^>]* width="\([0-9]*\)".*/\1/p' "$svg")
h=$(sed -n 's/^<svg [^>]* height="\([0-9]*\)".*/\1/p' "$svg")
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$T/chromium" \
  --hide-scrollbars --force-device-scale-factor=1 --window-size="$w,$h" \
  --screenshot="$T/example.png" "file://$svg" >"$T/chromium.log" 2>&1
expect_eq "$?" 0 "chromium renders the example's diagram"
expect_rc 0 python3 "$here/svgcheck.py" pixels "$svg" "$T/example.png"
# the diagram the README shows is the one the example draws (run ids in <metadata> aside)
expect_eq "$(grep -v '^<metadata' "$ex/PRISMA.svg" | cmp -s - <(grep -v '^<metadata' "$T/example/PRISMA.svg") && echo same)" \
  same "examples/PRISMA.svg is up to date (copy build/example/PRISMA.svg after changing the example)"
# the same run again gives the same counts (reproducible)
WINNOW_BIN="$WINNOW_BIN" bash "$ex/run.sh" "$T/example2" >"$T/run2.out" 2>&1
expect_eq "$?" 0 "examples/run.sh again"
expect_eq "$(cmp -s "$T/example/PRISMA.csv" "$T/example2/PRISMA.csv" && echo same)" same "the CSV is reproducible"
done_testing
