#!/usr/bin/env bash
# Accuracy of winnow-dedup on every labelled set: the dev sets of ../shared/dedup-train
# (converted by csv2jsonl.py), each also split in two fixed halves of its duplicate
# groups (a held-out check: a rule fitted to one half would score worse on the other),
# and generated sets (gen.py: made from ../shared/samples, never seen by the rules).
#
#   bench/dedup/accuracy.sh [DEDUP_TRAIN_DIR]
#
# Scores: removal-based (a removed record whose kept record is not a true duplicate is a
# FALSE removal; recall = true removals / records a perfect tool removes) and pairwise
# precision/recall; see score.py.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
bin=${WINNOW_BIN:-$src/build/dev/bin}
train=${1:-$src/../shared/dedup-train}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for d in "$train"/*/; do
  name=$(basename "$d")
  [ -f "$d/records_pre_merged.csv" ] || continue
  python3 "$here/csv2jsonl.py" "$d/records_pre_merged.csv" > "$tmp/$name.jsonl"
  # bib-dedupe's "search_set" column names searches deduplicated before: its labels
  # never pair two records of one set, and --keep-apart says the same to winnow-dedup
  apart=()
  head -1 "$d/records_pre_merged.csv" | grep -q '"search_set"' && apart=(--keep-apart extra.search_set)
  "$bin/winnow-dedup" -q "${apart[@]}" --maybe "$tmp/$name.maybe" -o "$tmp/$name.out" "$tmp/$name.jsonl"
  python3 "$here/score.py" --name "$name" --truth "$d/merged_record_ids.csv" --input "$tmp/$name.jsonl" --output "$tmp/$name.out"
  echo "                     maybe pairs for a person: $(wc -l < "$tmp/$name.maybe")"
  if [ "$(wc -l < "$tmp/$name.jsonl")" -gt 100 ]; then
    for k in 0 1; do
      python3 "$here/score.py" --part $k/2 --name "$name" --truth "$d/merged_record_ids.csv" --input "$tmp/$name.jsonl" --output "$tmp/$name.out"
    done
  fi
done
for n in 10000 100000; do
  python3 "$here/gen.py" --seed 7 "$n" "$tmp/gen.jsonl" "$tmp/gen.truth.csv"
  "$bin/winnow-dedup" -q --maybe "$tmp/gen.maybe" -o "$tmp/gen.out" "$tmp/gen.jsonl"
  python3 "$here/score.py" --name "generated $n" --truth "$tmp/gen.truth.csv" --input "$tmp/gen.jsonl" --output "$tmp/gen.out"
  echo "                     maybe pairs for a person: $(wc -l < "$tmp/gen.maybe")"
done
