#!/usr/bin/env bash
# The parallel PubMed XML path writes exactly what the single-threaded one writes:
# records, messages and ledger (a 177-record baseline sample, and the same damaged).
. "$(dirname "$0")/../lib.sh"
D="$WINNOW_TESTDATA"
export WINNOW_TIME=1767225600 # fixed times: ledgers comparable
cd "$T"
gzip -dc "$D/eutils/records/pubmedsample18n0001.xml.gz" > base.xml
# damage a few records in the middle, and cut the end off
perl -0pe 's{</ArticleTitle>}{++$n % 40 == 0 ? "</ArticleTitel>" : $&}ge' base.xml | head -c 2000000 > damaged.xml
for f in base.xml damaged.xml; do
  WINNOW_THREADS=1 winnow-fetch file --ledger l1 "$f" > o1 2> e1
  WINNOW_THREADS=4 winnow-fetch file --ledger l4 "$f" > o4 2> e4
  expect_eq "$(cmp o1 o4 && echo same)" same "$f: records identical"
  expect_eq "$(cmp e1 e4 && echo same)" same "$f: messages identical"
  expect_eq "$(jq -c 'del(.run)' l1)" "$(jq -c 'del(.run)' l4 | sed 's/"l4"/"l1"/')" "$f: ledger identical"
  # every record is either imported or counted as skipped
  expect_eq "$(jq '.records + .skipped' l1)" "$(grep -c '<PubmedArticle>' "$f")" "$f: records + skipped"
  expect_eq "$(jq '.records' l1)" "$(lines o1)" "$f: records in the ledger"
  rm -f l1 l4
done
# the damaged records and the cut one were reported (each with file, record, line)
expect_eq "$(grep -c "^winnow-fetch: warning: 'damaged.xml' record [0-9]* (line [0-9]*): malformed XML" e1)" \
          "$(( $(grep -c '<PubmedArticle>' damaged.xml) - $(lines o1) ))" "every skip reported"

done_testing
