#!/usr/bin/env bash
# Any format -> winnow-export --format csv -> CSV gives the same records: the CSV export
# holds every field (lists joined with "; " or as JSON, extra as JSON). Only the id of
# a record without a source changes (it is built from the format name).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/rt.inc"
n=0
for f in "$WINNOW_TESTDATA"/{ris,medline,wos,bibtex,endnote,refer,ovid,csv}/*; do
  [ -f "$f" ] || continue
  winnow-fetch file -q "$f" >/dev/null 2>&1 || continue   # bad-input test files
  [ -n "$(winnow-fetch file -q "$f" 2>/dev/null | head -c1)" ] || continue
  rt_check csv "$f"
  n=$((n+1))
done
if have_shared; then
  while IFS=$'\t' read -r file _ _ _ _ fmt _ want _; do
    case $fmt in *E-utilities*|DTD|format) continue ;; esac
    [ "$want" = 0 ] && continue
    rt_check csv "$WINNOW_SHARED/samples/$file"
    n=$((n+1))
  done < "$WINNOW_SHARED/samples/SOURCES.tsv"
fi
echo "round trips: $n files"
done_testing
