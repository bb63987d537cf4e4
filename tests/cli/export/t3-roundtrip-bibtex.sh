#!/usr/bin/env bash
# BibTeX -> winnow-export --format bibtex -> BibTeX gives the same records, entry key
# included (kept in extra.bibtex_key and written back as the key).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/rt.inc"
for f in "$WINNOW_TESTDATA"/bibtex/*.bib; do
  rt_check bibtex "$f"
done
# records from other formats: BibTeX holds the bibliographic fields (not the source's
# own type names, nor which RIS tag a value came from)
for f in "$WINNOW_TESTDATA"/ris/scopus.ris "$WINNOW_TESTDATA"/wos/wos_plaintext_5.txt "$WINNOW_TESTDATA"/csv/lens_5.csv; do
  rt_check bibtex "$f" '{title, authors, year, date, journal, volume, issue, pages, doi, issn, pmid, abstract}'
done
done_testing
