#!/usr/bin/env bash
# valgrind memcheck on real runs (threads, maybe, report, decisions, spilled lines):
# no invalid access, no leak. Skipped without valgrind and in sanitizer builds.
. "$(dirname "$0")/../lib.sh"
D=$WINNOW_TESTDATA/dedup
if ! command -v valgrind >/dev/null || [ -n "${WINNOW_SANITIZE:-}" ]; then
  echo "skip: valgrind not available (or a sanitizer build)"; done_testing
fi
vg() { valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
  --errors-for-leak-kinds=definite,indirect,possible "$@"; }
printf '%s\n' '{"ids":["embase:cd002273-2","embase:cd002273-3"],"decision":"same"}' > "$T/dec"
expect_rc 0 vg winnow-dedup -q -j2 --maybe "$T/m" --report "$T/r" --decisions "$T/dec" -o "$T/o" "$D/traps.jsonl"
expect_rc 0 vg winnow-dedup -q -j2 --memory 1 -o "$T/o2" "$D/haematology.jsonl" "$D/cytology.jsonl"
expect_rc 0 vg winnow-dedup -q --max-line-bytes 2000 -o "$T/o3" "$D/bad-lines.jsonl"
expect_rc 3 vg winnow-dedup -q --strict -o "$T/o4" "$D/bad-lines.jsonl"
expect_rc 0 vg winnow-dedup --explain pubmed:19179320,cinahl:105578231 "$D/traps.jsonl"
expect_rc 0 vg winnow-dedup -q -j2 --keep-apart extra.search_set -o "$T/o5" "$D/tests_data.jsonl"
done_testing
