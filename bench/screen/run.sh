#!/usr/bin/env bash
# Screening benchmarks (issue 7 limits): the prompt answers a key in under 50 ms with
# 100,000 records loaded; agree over 100,000 decisions (two logs) in under a second.
#   bench/screen/run.sh [BIN_DIR] [RUNS]
# Records are the 50 real PubMed records of tests/data/screen, repeated with new ids
# (100,000 records, 387 MB). Each figure is the median of RUNS runs (default 5); agree is
# timed against a plain Python reference on the same logs, in the same run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
bin=${1:-$src/build/dev/bin}
runs=${2:-5}
exe=$bin/winnow-screen
[ -x "$exe" ] || { echo "no $exe: build first (cmake --build build/dev)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$src/tests/data/screen/pubmed50.jsonl" "$tmp" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
out = sys.argv[2]
for n in (1000, 100000):
    with open("%s/r%d.jsonl" % (out, n), "w", encoding="utf-8") as f:
        for i in range(n):
            r = dict(recs[i % 50]); r["id"] = "pubmed:%d" % (10000000 + i); r["source_id"] = str(10000000 + i)
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
with open(out + "/a.tsv", "w") as fa, open(out + "/b.tsv", "w") as fb:
    for i in range(100000):
        fa.write("pubmed:%d\t%s\n" % (10000000 + i, "include" if i % 7 else "exclude"))
        fb.write("pubmed:%d\t%s\n" % (10000000 + i, "include" if i % 5 else ("maybe" if i % 2 else "exclude")))
PY
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "== prompt: key to next screen (decision written and fdatasync'ed), 200 keys per run"
for n in 1000 100000; do
  : > "$tmp/lat"
  for r in $(seq "$runs"); do
    python3 "$here/prompt_latency.py" "$exe" "$tmp/r$n.jsonl" "$tmp" 200 | tee -a "$tmp/lat.log" |
      sed -n 's/.*median_ms=\([0-9.]*\) p95_ms=\([0-9.]*\) max_ms=\([0-9.]*\).*/\1 \2 \3/p' >> "$tmp/lat"
  done
  med=$(cut -d' ' -f1 "$tmp/lat" | median); p95=$(cut -d' ' -f2 "$tmp/lat" | median)
  max=$(cut -d' ' -f3 "$tmp/lat" | sort -n | tail -1)
  echo "records=$n  median ${med} ms, p95 ${p95} ms (medians over $runs runs), slowest key ${max} ms; limit 50 ms: ratio $(awk -v m="$p95" 'BEGIN{printf "%.3f", m/50}') (p95/limit)"
done
grep -o 'startup_s=[0-9.]*' "$tmp/lat.log" | tail -"$runs" | sed 's/startup_s=//' | median | sed 's/^/startup with 100,000 records (load + first screen), median s: /'

echo "== agree: two logs of 100,000 decisions each"
"$exe" review --reviewer a --stage ta --log "$tmp/a.log" --answers "$tmp/a.tsv" "$tmp/r100000.jsonl" 2>/dev/null
"$exe" review --reviewer b --stage ta --log "$tmp/b.log" --answers "$tmp/b.tsv" "$tmp/r100000.jsonl" 2>/dev/null
ours=$("$exe" agree --json "$tmp/a.log" "$tmp/b.log" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("n=%d kappa=%.6f se=%.6f" % (d["n"], d["kappa"], d["kappa_se"]))')
ref=$(python3 "$here/agree_reference.py" "$tmp/a.log" "$tmp/b.log")
echo "winnow: $ours"
echo "python: $ref"
[ "$ours" = "$ref" ] || { echo "MISMATCH between winnow and the reference" >&2; exit 1; }
: > "$tmp/t_ours"; : > "$tmp/t_ref"
for r in $(seq "$runs"); do
  s=$(date +%s.%N); "$exe" agree "$tmp/a.log" "$tmp/b.log" >/dev/null; e=$(date +%s.%N)
  awk -v e="$e" -v s="$s" 'BEGIN{printf "%.4f\n", e - s}' >> "$tmp/t_ours"
  s=$(date +%s.%N); python3 "$here/agree_reference.py" "$tmp/a.log" "$tmp/b.log" >/dev/null; e=$(date +%s.%N)
  awk -v e="$e" -v s="$s" 'BEGIN{printf "%.4f\n", e - s}' >> "$tmp/t_ref"
done
o=$(median < "$tmp/t_ours"); p=$(median < "$tmp/t_ref")
echo "agree median ${o} s (limit 1 s: ratio $(awk -v o="$o" 'BEGIN{printf "%.3f", o}')); python reference ${p} s; winnow/reference $(awk -v o="$o" -v p="$p" 'BEGIN{printf "%.2f", o/p}')"
