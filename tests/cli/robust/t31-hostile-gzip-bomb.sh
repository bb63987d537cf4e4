#!/usr/bin/env bash
# A gzip bomb: 1 MB on disk that inflates to 1 GiB, inside a file that looks like a real
# export (PubMed XML: a record whose "text" is the bomb; JSON Lines for dedup: one
# 1 GiB line). The input layer inflates as it reads and never holds more than a record
# or a line (both capped), so memory stays small, time stays about the time to inflate
# 1 GiB, the record is refused with a message naming file and line, and the good records
# around it are kept. (The decompressed-size cap itself, 64 GiB by default, is checked
# with small caps by the gzip fuzz target.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/robust-lib.sh"

formats=$(winnow-fetch file --list-formats | awk '{print $1}')
# one gzip member of 64 MiB of spaces, repeated: members concatenate to one stream
head -c $((64 << 20)) /dev/zero | tr '\0' ' ' | gzip -9n > "$T/spaces.gz"
head -c $((64 << 20)) /dev/zero | tr '\0' 'a' | gzip -9n > "$T/letters.gz"
# 16 members: 1 GiB; 4 (256 MiB) under ASan, where inflating 1 GiB takes a minute
members=16
sanitized && members=4
bomb() { local i; for i in $(seq $members); do cat "$T/$1.gz"; done; }
expect_eq "$([ "$(wc -c < "$T/spaces.gz")" -lt 200000 ] && echo yes)" yes "the bomb is small on disk"

limit_kb=300000
sanitized && limit_kb=1500000
run_bounded() { # LABEL CMD... (stdout -> $T/out, stderr -> $T/err)
  local label=$1; shift
  /usr/bin/time -f '%M %e' -o "$T/time" timeout 300 "$@" > "$T/out" 2>"$T/err"
  rc=$?
  read -r kb secs < <(tail -1 "$T/time")
  crashed $rc "$T/err" && fail "$label: crashed ($rc)"
  expect_eq "$([ "${kb:-999999999}" -lt $limit_kb ] && echo yes)" yes "$label: memory bounded ($kb KB for $((members * 64)) MiB inflated)"
  echo "$label: exit $rc, $kb KB, $secs s"
}

if printf '%s\n' $formats | grep -qx pubmed-xml; then
  {
    printf '<?xml version="1.0"?>\n<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID Version="1">1</PMID><Article><ArticleTitle>Before the bomb</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n' | gzip -n
    printf '<PubmedArticle><MedlineCitation><PMID Version="1">2</PMID><Article><ArticleTitle>' | gzip -n
    bomb spaces
    printf '</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n<PubmedArticle><MedlineCitation><PMID Version="1">3</PMID><Article><ArticleTitle>After the bomb</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n</PubmedArticleSet>\n' | gzip -n
  } > "$T/bomb.xml.gz"
  run_bounded "pubmed-xml bomb" winnow-fetch file "$T/bomb.xml.gz"
  expect_eq "$rc" 0 "pubmed-xml bomb: exit status"
  expect_contains "$T/out" "Before the bomb" "pubmed-xml bomb: record before kept"
  expect_contains "$T/out" "After the bomb" "pubmed-xml bomb: record after kept"
  expect_contains "$T/err" "record 2" "pubmed-xml bomb: the refused record is named"
else
  echo "note: pubmed-xml not available yet"
fi

# JSON Lines: a 1 GiB line between two records
{
  printf '{"id":"a:1","title":"Before the bomb"}\n' | gzip -n
  bomb letters
  printf '\n{"id":"a:2","title":"After the bomb"}\n' | gzip -n
} > "$T/bomb.jsonl.gz"
run_bounded "dedup bomb" winnow-dedup -q "$T/bomb.jsonl.gz"
expect_eq "$rc" 0 "dedup bomb: exit status (the long line is skipped)"
expect_eq "$(lines "$T/out")" 2 "dedup bomb: both records kept"
expect_contains "$T/err" "line 2" "dedup bomb: the skipped line is named"
# under --strict the over-long line is an error
{ printf '{"id":"a:1"}\n'; head -c $((17 << 20)) /dev/zero | tr '\0' a; printf '\n'; } | gzip -1n > "$T/long.jsonl.gz"
winnow-dedup -q --strict "$T/long.jsonl.gz" > /dev/null 2>"$T/err"
expect_eq "$?" 3 "dedup --strict: an over-long line is an error (exit 3)"
done_testing
