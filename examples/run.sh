#!/usr/bin/env bash
# The bundled example review, end to end and offline: from the databases' exports to the
# PRISMA 2020 flow diagram, every number computed from what the stages logged.
#
#   examples/run.sh [OUTDIR]        (default build/example; needs a build in build/dev,
#                                    or WINNOW_BIN=DIR pointing at the programs)
#
# The review is the one of shared/example-review.md (integrated care in the NHS); the
# exports are in examples/data (see its PROVENANCE.tsv), the reviewers' decisions in
# examples/decisions (one TSV per reviewer and stage: record id, decision, reason).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build/example}
bin=${WINNOW_BIN:-$root/build/dev/bin}
export PATH="$bin:$PATH"
export WINNOW_LEDGER="$out/review.ledger"
# the review's own dates (ledger and decision-log times come from WINNOW_TIME, so every
# run writes the same logs): searched 8 April 2020, screened in April and May
at() { export WINNOW_TIME=$(date -u -d "$1" +%s); }
data="$root/examples/data" dec="$root/examples/decisions" queries=${WINNOW_QUERIES:-$root/queries}
for t in winnow-fetch winnow-dedup winnow-screen winnow-prisma; do
  command -v "$t" >/dev/null || { echo "examples/run.sh: $t not found in $bin: build first (scripts/setup.sh)" >&2; exit 1; }
done
rm -rf "$out"
mkdir -p "$out"
cd "$out"
step() { printf '\n== %s\n' "$*"; }

step "1. Identification: each database's export into the record stream"
at 2020-04-08T09:00:00Z
winnow-fetch file -q "$data/pubmed.xml" -o pubmed.jsonl
winnow-fetch file -q --source CINAHL "$data/cinahl.csv" -o cinahl-export.jsonl
# CINAHL's export came from a broader search: its strategy is applied here, exactly
winnow-screen filter --quiet --query "$queries/cinahl.query" --dialect ebsco \
  --query-reason "not matched by the CINAHL strategy" cinahl-export.jsonl -o cinahl.jsonl
winnow-fetch file -q --source HMIC "$data/hmic.ris" -o hmic.jsonl
# reference lists of the included studies (snowballing): PRISMA's other methods
winnow-fetch file -q --source "Reference lists" --source-kind citation "$data/snowball.ris" -o snowball.jsonl
wc -l pubmed.jsonl cinahl-export.jsonl cinahl.jsonl hmic.jsonl snowball.jsonl | sed '$d'

step "2. Duplicates removed (the same study from several databases)"
at 2020-04-08T10:00:00Z
cat pubmed.jsonl cinahl.jsonl hmic.jsonl | winnow-dedup --prefer PubMed,CINAHL,HMIC -o unique.jsonl

step "3. The search limits (dates, language) applied to every record"
winnow-screen filter --quiet --criteria "$root/examples/criteria.txt" unique.jsonl -o screen.jsonl
echo "$(wc -l < screen.jsonl) records to screen"

step "4. Title/abstract screening: two reviewers, blind; a third settles conflicts"
at 2020-04-20T14:00:00Z
for r in alice bob; do
  winnow-screen review --reviewer $r --stage ta --log ta-$r.log --answers "$dec/ta-$r.tsv" screen.jsonl
done
winnow-screen agree ta-alice.log ta-bob.log
winnow-screen resolve --reviewer carol --stage ta --log ta-carol.log --answers "$dec/ta-carol.tsv" \
  ta-alice.log ta-bob.log
at 2020-04-22T16:00:00Z
winnow-screen export --stage ta --decision include screen.jsonl ta-alice.log ta-bob.log ta-carol.log \
  -o fulltext.jsonl

step "5. Full text: reports sought, not retrieved, assessed, excluded with a reason"
at 2020-05-11T10:00:00Z
for r in alice bob; do
  winnow-screen review --reviewer $r --stage ft --log ft-$r.log --answers "$dec/ft-$r.tsv" fulltext.jsonl
done
winnow-screen resolve --reviewer carol --stage ft --log ft-carol.log --answers "$dec/ft-carol.tsv" \
  ft-alice.log ft-bob.log
at 2020-05-13T15:00:00Z
winnow-screen export --stage ft --decision include fulltext.jsonl ft-alice.log ft-bob.log ft-carol.log \
  -o included.jsonl
# the reports found by citation searching go straight to full text
for r in alice bob; do
  winnow-screen review --reviewer $r --stage ft --log other-$r.log --answers "$dec/other-$r.tsv" snowball.jsonl
done
winnow-screen export --stage ft --decision include snowball.jsonl other-alice.log other-bob.log \
  -o included-other.jsonl

step "6. The PRISMA 2020 flow, from the ledger and the decision logs"
at 2020-05-14T09:00:00Z
winnow-prisma --ledger review.ledger --csv PRISMA.csv --svg PRISMA.svg ta-*.log ft-*.log other-*.log
echo
echo "diagram: $out/PRISMA.svg   PRISMA2020 CSV: $out/PRISMA.csv   ledger: $out/review.ledger"
