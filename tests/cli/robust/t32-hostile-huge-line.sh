#!/usr/bin/env bash
# A 500 MB single line, generated on the fly and streamed through a pipe (never stored):
# in a RIS title, in a MEDLINE abstract, in a PubMed XML text node and as a JSON Lines
# record. Every reader caps line (or record) length (16 MiB by default), so the record is
# skipped with a message naming file and line, the next record is still read, and memory
# stays bounded (max RSS far below 500 MB).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/robust-lib.sh"

formats=$(winnow-fetch file --list-formats | awk '{print $1}')
big() { head -c $((500 << 20)) /dev/zero | tr '\0' 'a'; }
limit_kb=150000
sanitized && limit_kb=700000

# check LABEL: $T/out, $T/err, $T/time, rc
check() {
  local label=$1 kb secs
  read -r kb secs < <(tail -1 "$T/time")
  crashed $rc "$T/err" && fail "$label: crashed ($rc)"
  expect_eq "$rc" 0 "$label: exit status"
  expect_contains "$T/out" "After the long line" "$label: the next record is read"
  expect_not_contains "$T/out" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" "$label: the long value is not kept"
  expect_contains "$T/err" "line" "$label: the message names the line"
  expect_eq "$([ "${kb:-999999999}" -lt $limit_kb ] && echo yes)" yes "$label: memory bounded ($kb KB)"
  echo "$label: $kb KB, $secs s"
}
timed() { /usr/bin/time -f '%M %e' -o "$T/time" "$@"; }

if printf '%s\n' $formats | grep -qx ris; then
  { printf 'TY  - JOUR\nTI  - '; big; printf '\nER  - \n\nTY  - JOUR\nTI  - After the long line\nER  - \n'; } |
    timed winnow-fetch file --format ris - > "$T/out" 2>"$T/err"; rc=$?
  check "ris"
fi
# under ASan two readers (RIS, JSON Lines) are enough: each 500 MB pass takes ~10 s there
if ! sanitized && printf '%s\n' $formats | grep -qx medline; then
  { printf 'PMID- 1\nTI  - x\nAB  - '; big; printf '\n\nPMID- 2\nTI  - After the long line\n'; } |
    timed winnow-fetch file --format medline - > "$T/out" 2>"$T/err"; rc=$?
  check "medline"
fi
if ! sanitized && printf '%s\n' $formats | grep -qx pubmed-xml; then
  { printf '<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>'; big
    printf '</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n<PubmedArticle><MedlineCitation><PMID>2</PMID><Article><ArticleTitle>After the long line</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n</PubmedArticleSet>\n'; } |
    timed winnow-fetch file --format pubmed-xml - > "$T/out" 2>"$T/err"; rc=$?
  check "pubmed-xml"
fi
{ printf '{"id":"x:1","title":"'; big; printf '"}\n{"id":"x:2","title":"After the long line"}\n'; } |
  timed winnow-dedup -q - > "$T/out" 2>"$T/err"; rc=$?
check "dedup (JSON Lines)"
done_testing
