#!/usr/bin/env bash
# Throughput of `winnow-fetch pubmed` against the stand-in E-utilities server on loopback,
# with no delays, compared with `winnow-fetch file` reading the same records from one
# PubMed XML file: does parsing keep up with the network? (issue 4: ratio >= 0.8)
#
#   bench/pubmed/run.sh [RECORDS [RUNS]]      (default 20000 records, 5 runs each)
#
# The rate limiter is off through the loopback-only test switch WINNOW_EUTILS_NO_DELAY=1
# (documented in docs/winnow-fetch.1); the server's own limiter is off too. Above 9,999
# hits the search is split into PMID ranges, as against PubMed. Both tools run in the same
# session, alternately, and the medians are compared.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
bin=${WINNOW_BIN:-$src/build/dev/bin}
n=${1:-20000}
runs=${2:-5}
tmp=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
py="$src/tests/http/eutils_server.py"
python3 "$py" --synthetic "$n" --dump-xml "$tmp/all.xml"
python3 "$py" --synthetic "$n" --no-rate-limit --port-file "$tmp/port" &
server=$!
while [ ! -s "$tmp/port" ]; do sleep 0.1; done
export WINNOW_EUTILS_URL="http://127.0.0.1:$(cat "$tmp/port")/entrez/eutils/" WINNOW_EUTILS_NO_DELAY=1
export NCBI_EMAIL=bench@example.org
now() { date +%s.%N; }
declare -a tp tf
for i in $(seq "$runs"); do
  t0=$(now); "$bin/winnow-fetch" pubmed -q benchmark --batch 500 > "$tmp/p.jsonl"; t1=$(now)
  "$bin/winnow-fetch" file -q "$tmp/all.xml" > "$tmp/f.jsonl"; t2=$(now)
  tp+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b - a}')")
  tf+=("$(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.3f", b - a}')")
done
[ "$(wc -l < "$tmp/p.jsonl")" = "$n" ] || { echo "pubmed delivered $(wc -l < "$tmp/p.jsonl") of $n" >&2; exit 1; }
[ "$(wc -l < "$tmp/f.jsonl")" = "$n" ] || { echo "file read $(wc -l < "$tmp/f.jsonl") of $n" >&2; exit 1; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
mp=$(median "${tp[@]}"); mf=$(median "${tf[@]}")
mb=$(du -m "$tmp/all.xml" | cut -f1)
echo "records: $n ($mb MB of PubMed XML), runs: $runs each"
rate() { awk -v n="$n" -v t="$1" 'BEGIN{printf "%.0f", n / t}'; }
echo "winnow-fetch pubmed (loopback, no delay): median ${mp}s  $(rate "$mp") records/s   runs: ${tp[*]}"
echo "winnow-fetch file (same XML):             median ${mf}s  $(rate "$mf") records/s   runs: ${tf[*]}"
echo "throughput ratio pubmed/file: $(awk -v a="$mf" -v b="$mp" 'BEGIN{printf "%.3f", a / b}')  (goal >= 0.8)"
