#!/usr/bin/env bash
# A record with 10,000 authors, in RIS, MEDLINE, PubMed XML and WoS, plus a real RIS
# record with 7,456 authors (asreview's test data). All authors must come through in
# order, in linear time (no quadratic list handling), and the later stages (dedup,
# screening with --answers) must take the record as it is.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/robust-lib.sh"

formats=$(winnow-fetch file --list-formats | awk '{print $1}')
have() { printf '%s\n' $formats | grep -qx "$1"; }
N=10000
secs_max=10
sanitized && secs_max=60

run_case() { # FORMAT LABEL EXPECTED-COUNT (input $T/in)
  have "$1" || { echo "note: $1 not available yet"; return; }
  /usr/bin/time -f '%e' -o "$T/time" winnow-fetch file --format "$1" "$T/in" > "$T/$2.jsonl" 2>"$T/err"
  rc=$?
  crashed $rc "$T/err" && fail "$2: crashed"
  expect_eq "$rc" 0 "$2: exit status"
  expect_eq "$(jq '.authors | length' "$T/$2.jsonl")" "$3" "$2: every author kept"
  expect_eq "$(jq -r '.authors[0]' "$T/$2.jsonl" | cut -c1-8)" "Author00" "$2: first author first"
  secs=$(tail -1 "$T/time")
  expect_eq "$(awk -v s="$secs" -v m=$secs_max 'BEGIN{print (s < m) ? "yes" : "no"}')" yes "$2: quick ($secs s)"
}
{ printf 'TY  - JOUR\nTI  - Ten thousand authors\n'; for i in $(seq -w 1 $N); do printf 'AU  - Author%05d, Given\n' $i; done; printf 'PY  - 2020\nER  - \n'; } > "$T/in"
run_case ris ris $N
{ printf 'PMID- 31111111\nTI  - Ten thousand authors\n'; for i in $(seq -w 1 $N); do printf 'FAU - Author%05d, Given\nAU  - Author%05d G\n' $i $i; done; printf 'DP  - 2020\n'; } > "$T/in"
run_case medline medline $N
{ printf '<?xml version="1.0"?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version="1">31111112</PMID><Article><ArticleTitle>Ten thousand authors</ArticleTitle><AuthorList CompleteYN="Y">\n'
  for i in $(seq -w 1 $N); do printf '<Author ValidYN="Y"><LastName>Author%05d</LastName><ForeName>Given</ForeName></Author>\n' $i; done
  printf '</AuthorList></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n'; } > "$T/in"
run_case pubmed-xml pubmed-xml $N
{ printf 'FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Author00001, G\n'; for i in $(seq -w 2 $N); do printf '   Author%05d, G\n' $i; done; printf 'TI Ten thousand authors\nPY 2020\nUT WOS:000000000000001\nER\nEF\n'; } > "$T/in"
run_case wos wos $N

# the real one
if have ris; then
  winnow-fetch file "$ROBUST_DATA/ris_many_authors.ris" > "$T/real.jsonl" 2>"$T/err"
  expect_eq "$?" 0 "real many-authors RIS: exit status"
  expect_eq "$(jq '.authors | length' "$T/real.jsonl")" 7456 "real many-authors RIS: 7,456 authors"
fi

# later stages
if [ -s "$T/ris.jsonl" ]; then
  cat "$T/ris.jsonl" "$T/ris.jsonl" > "$T/twice.jsonl"
  winnow-dedup -q "$T/twice.jsonl" > "$T/dedup.jsonl" 2>"$T/err"
  expect_eq "$?" 0 "dedup: exit status"
  expect_eq "$(lines "$T/dedup.jsonl")" 1 "dedup: the same 10,000-author record twice is one record"
  printf '%s\tinclude\t\n' "$(jq -r .id "$T/ris.jsonl")" > "$T/answers.tsv"
  winnow-screen review --reviewer alice --stage ta --log "$T/alice.log" --answers "$T/answers.tsv" "$T/ris.jsonl" >/dev/null 2>"$T/err"
  expect_eq "$?" 0 "screen review --answers: exit status"
  expect_eq "$(grep -c $'\tinclude\t' "$T/alice.log")" 1 "screen review: the decision is recorded"
fi
done_testing
