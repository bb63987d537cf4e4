#!/usr/bin/env bash
# The corpus check: every export in ../shared/samples imports with the record count of
# SOURCES.tsv, without a crash or sanitizer report (scripts/corpus-check.sh). Skipped
# when ../shared is not there (a clone on its own).
. "$(dirname "$0")/../lib.sh"
if ! have_shared; then
  echo "skip: no corpus at $WINNOW_SHARED/samples"
  exit 0
fi
CHECKS=$((CHECKS+1))
if "$WINNOW_SRC/scripts/corpus-check.sh" --bin "$WINNOW_BIN" --shared "$WINNOW_SHARED" > "$T/report" 2>&1; then
  tail -1 "$T/report"
else
  fail "corpus check failed"
  grep -v '^other' "$T/report" | tail -20 >&2
fi
done_testing
