#!/usr/bin/env bash
# winnow-fetch under valgrind on one file of each format (and the parallel path): no
# invalid access, no leak. Skipped without valgrind or in sanitizer builds.
. "$(dirname "$0")/../lib.sh"
if ! command -v valgrind >/dev/null || [ -n "${WINNOW_SANITIZE:-}" ]; then echo "skipped: no valgrind / sanitizer build"; exit 0; fi
D="$WINNOW_TESTDATA"
cd "$T"
vg() { valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect "$@"; }
expect_rc 0 vg winnow-fetch file "$D/pubmed/pubmed1.xml" "$D/pubmed/books.xml" "$D/pubmed/pubmed21n1016-excerpt.xml.gz"
expect_rc 0 vg winnow-fetch file "$D/medline/multiple-entries.txt" "$D/ris/endnote.ris" "$D/ris/jabref-many-ty.ris"
WINNOW_THREADS=2 expect_rc 0 vg winnow-fetch file "$D/eutils/records/pubmedsample18n0001.xml.gz"
expect_eq "$(lines out)" 177 "parallel path under valgrind"
expect_rc 3 vg winnow-fetch file --strict "$D/pubmed/malformed-entry.xml"
done_testing
