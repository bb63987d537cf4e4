#!/usr/bin/env bash
# bench/filter/run.sh - speed of winnow-screen filter with a 20-clause search strategy
# (wildcards and phrases: bench/filter/strategy.txt) over 1,000,000 records, against
# json-c parsing the same file and doing nothing else (bench/filter/jsonc_parse.c).
#
#   bench/filter/run.sh [--bin DIR] [--records N] [--runs K] [--keep DIR]
#
# The records are the real ones of tests/data/query (263 exports of PubMed, Scopus,
# Embase, CINAHL, PsycInfo, Web of Science, Lens, plus the example review's) repeated
# until there are N (default 1,000,000). Each run times, on the same file, in turn:
#   jsonc_parse FILE                                  the limit (json-c parse only)
#   winnow-screen filter -q strategy.txt FILE         default threads (the CPUs, at most 4)
#   winnow-screen filter --threads 1 -q ... FILE      one thread
# and prints the median of K runs (default 5) of wall time and CPU time (user + sys),
# records/s, and the ratios of winnow's speed to json-c's (the issue asks >= 0.5).
# The machine is shared: run it late, and read the ratios, which are measured together.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${WINNOW_BIN:-$here/build/release/bin}
records=1000000
runs=5
keep=
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=$2; shift 2 ;;
    --records) records=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option '$1'" >&2; exit 2 ;;
  esac
done
screen=$bin/winnow-screen
[ -x "$screen" ] || { echo "bench: no winnow-screen in '$bin' (cmake --preset release && cmake --build --preset release)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time is needed (Debian package 'time')" >&2; exit 2; }
work=${keep:-$(mktemp -d)}
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
export LC_ALL=C NO_COLOR=1
unset WINNOW_LEDGER

cc -O2 -o "$work/jsonc_parse" "$here/bench/filter/jsonc_parse.c" $(pkg-config --cflags --libs json-c) ||
  { echo "bench: cannot build jsonc_parse" >&2; exit 1; }
src="$work/base.jsonl"
cat "$here/tests/data/query/records.jsonl" "$here/tests/data/query/example-review.jsonl" > "$src"
in="$work/records.jsonl"
if [ ! -s "$in" ] || [ "$(wc -l < "$in")" -ne "$records" ]; then
  per=$(wc -l < "$src")
  : > "$in"
  for _ in $(seq 1 $(( (records + per - 1) / per ))); do cat "$src"; done | head -n "$records" > "$in"
fi
bytes=$(stat -c %s "$in")
echo "input: $records records, $((bytes / 1048576)) MiB ($(nproc) CPUs)"

# one timed run: prints "wall cpu"
timed() {
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" > "$work/stdout" 2> /dev/null || { echo "bench: '$*' failed" >&2; exit 1; }
  awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$work/time"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

for i in $(seq 1 "$runs"); do
  timed "$work/jsonc_parse" "$in" >> "$work/ref"
  timed "$screen" filter --quiet -q "$here/bench/filter/strategy.txt" "$in" >> "$work/win"
  kept=$(wc -l < "$work/stdout")
  timed "$screen" filter --quiet --threads 1 -q "$here/bench/filter/strategy.txt" "$in" >> "$work/win1"
done
for f in ref win win1; do
  cut -d' ' -f1 "$work/$f" | median > "$work/$f.wall"
  cut -d' ' -f2 "$work/$f" | median > "$work/$f.cpu"
done
rw=$(cat "$work/ref.wall"); rc=$(cat "$work/ref.cpu")
report() {
  local name=$1 w c
  w=$(cat "$work/$2.wall"); c=$(cat "$work/$2.cpu")
  awk -v n="$name" -v w="$w" -v c="$c" -v rw="$rw" -v rc="$rc" -v r="$records" -v b="$bytes" 'BEGIN {
    printf "%-34s wall %7.2f s  %9.0f rec/s  %6.1f MB/s   cpu %7.2f s   speed vs json-c: wall %.2f, cpu %.2f\n",
      n, w, r / w, b / w / 1e6, c, rw / w, rc / c }'
}
echo "medians of $runs runs; the strategy keeps $kept records"
awk -v w="$rw" -v c="$rc" -v r="$records" -v b="$bytes" 'BEGIN {
  printf "%-34s wall %7.2f s  %9.0f rec/s  %6.1f MB/s   cpu %7.2f s\n", "json-c parse only (the limit)", w, r / w, b / w / 1e6, c }'
report "winnow-screen filter" win
report "winnow-screen filter --threads 1" win1
