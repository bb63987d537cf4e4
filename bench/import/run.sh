#!/usr/bin/env bash
# bench/import/run.sh - import speed and memory of winnow-fetch file on Web of Science,
# RIS and CSV exports of >= 100,000 records, against the I/O limit and a reference parser.
#
#   bench/import/run.sh [--bin DIR] [--records N] [--runs K] [--keep DIR]
#
# The inputs are real exports from tests/data, repeated until they hold N records
# (default 100000): WoS plain text (wos/wos_plaintext_5.txt), RIS (ris/scopus.ris) and
# a Lens CSV (csv/lens_5.csv). Every run times, in the same run and on the same file:
#   winnow-fetch file -q FILE > /dev/null     the importer (records written as JSON Lines)
#   cat FILE > /dev/null, wc -l FILE          reading the file: the I/O limit
#   python3's csv module (CSV only)           a widely used RFC 4180 parser
# and prints the median of K runs (default 5) of wall time and CPU time (user + sys),
# MB/s on both, the ratios, and the peak memory on the full file and on a tenth of it
# (flat memory: the two are about the same). The machine is shared and loaded, so CPU
# time is the steadier measure; the wall-clock ratios to cat/wc are in the same run.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${WINNOW_BIN:-$here/build/release/bin}
records=100000
runs=5
keep=
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=$2; shift 2 ;;
    --records) records=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option '$1'" >&2; exit 2 ;;
  esac
done
fetch=$bin/winnow-fetch
[ -x "$fetch" ] || { echo "bench: no winnow-fetch in '$bin' (cmake --preset release && cmake --build --preset release)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time is needed (Debian package 'time')" >&2; exit 2; }
data=$here/tests/data
work=${keep:-$(mktemp -d)}
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
export LC_ALL=C NO_COLOR=1
unset WINNOW_LEDGER

# Repeat the records of a real file until there are $records of them.
# Repeat the records of a real file until there are $records of them. Each copy gets
# its own accession number, as the records of a real export have: a file of thousands
# of copies of one record is not what is measured here.
make_inputs() {
  python3 - "$data" "$work" "$records" <<'PY'
import csv, io, os, re, sys
data, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
# WoS: FN/VR header once, the PT...ER records repeated with a numbered UT, EF at the end
w = open(os.path.join(data, "wos/wos_plaintext_5.txt"), encoding="utf-8-sig").read()
body = w[w.index("PT J"):w.rindex("EF")]
per = body.count("\nER\n") + (1 if body.startswith("ER\n") else 0)
with open(os.path.join(work, "wos.txt"), "w", encoding="utf-8") as f:
    f.write("\ufeffFN Clarivate Analytics Web of Science\nVR 1.0\n")
    for k in range(-(-n // per)):
        f.write(re.sub(r"\nUT (\S+)", lambda m: "\nUT %s.%d" % (m.group(1), k), body))
    f.write("EF\n")
# RIS: the whole file repeated, an AN line after each TY
r = open(os.path.join(data, "ris/scopus.ris"), encoding="utf-8-sig", newline="").read()
per = len(re.findall(r"(?m)^TY  - ", r))
with open(os.path.join(work, "ris.ris"), "w", encoding="utf-8", newline="") as f:
    i = 0
    for k in range(-(-n // per)):
        def an(m):
            global i
            i += 1
            return "%sAN  - bench%d%s" % (m.group(0), i, m.group(1))
        f.write(re.sub(r"(?m)^TY  - .*?(\r?\n)", an, r))
# CSV: the header once, the rows repeated with a numbered Lens ID
rows = list(csv.reader(open(os.path.join(data, "csv/lens_5.csv"), encoding="utf-8", newline="")))
with open(os.path.join(work, "lens.csv"), "w", encoding="utf-8", newline="") as f:
    out = csv.writer(f, lineterminator="\r\n")
    out.writerow(rows[0])
    for k in range(-(-n // (len(rows) - 1))):
        for row in rows[1:]:
            out.writerow(["%s.%d" % (row[0], k)] + row[1:])
PY
}

# median of numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# run K times: prints "median_wall median_cpu max_rss_kb"
measure() {
  local i out
  : > "$work/t"
  for i in $(seq 1 "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/one" "$@" > /dev/null 2>"$work/err" || {
      echo "bench: '$*' failed:" >&2; tail -3 "$work/err" >&2; exit 1; }
    cat "$work/one" >> "$work/t"
  done
  printf '%s %s %s\n' "$(awk '{print $1}' "$work/t" | median)" \
    "$(awk '{print $2 + $3}' "$work/t" | median)" "$(awk '{print $4}' "$work/t" | sort -n | tail -1)"
}

mbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s <= 0) s = 0.001; printf "%.1f", b / 1048576 / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 0.001; printf "%.1f", a / b }'; }

[ -s "$work/wos.txt" ] || make_inputs
echo "winnow-fetch: $fetch"
echo "inputs: $records records each, $runs runs, medians; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-5s %8s %9s | %-16s %8s %8s %8s %8s | %s\n' format MB records tool wall_s cpu_s wall_MB/s cpu_MB/s "peak RSS"
for f in wos.txt ris.ris lens.csv; do
  path=$work/$f
  bytes=$(stat -c %s "$path")
  got=$("$fetch" file -q "$path" 2>/dev/null | wc -l)
  set -- $(measure "$fetch" file -q "$path")
  w_wall=$1 w_cpu=$2 w_rss=$3
  set -- $(measure cat "$path")
  c_wall=$1 c_cpu=$2
  set -- $(measure wc -l "$path")
  l_wall=$1 l_cpu=$2
  # memory on a tenth of the file: flat memory means about the same peak
  head -c $((bytes / 10)) "$path" > "$work/tenth"
  set -- $(runs=1 measure "$fetch" file -q "$work/tenth")
  t_rss=$3
  mb=$(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1048576 }')
  printf '%-5s %8s %9s | %-16s %8s %8s %8s %8s | %s KB (tenth of the file: %s KB)\n' \
    "${f%%.*}" "$mb" "$got" winnow-fetch "$w_wall" "$w_cpu" "$(mbps "$bytes" "$w_wall")" \
    "$(mbps "$bytes" "$w_cpu")" "$w_rss" "$t_rss"
  printf '%-5s %8s %9s | %-16s %8s %8s %8s %8s | ratio winnow/cat %sx wall\n' "" "" "" cat \
    "$c_wall" "$c_cpu" "$(mbps "$bytes" "$c_wall")" "$(mbps "$bytes" "$c_cpu")" "$(ratio "$w_wall" "$c_wall")"
  printf '%-5s %8s %9s | %-16s %8s %8s %8s %8s | ratio winnow/wc %sx wall\n' "" "" "" "wc -l" \
    "$l_wall" "$l_cpu" "$(mbps "$bytes" "$l_wall")" "$(mbps "$bytes" "$l_cpu")" "$(ratio "$w_wall" "$l_wall")"
  if [ "${f##*.}" = csv ] && command -v python3 >/dev/null; then
    set -- $(measure python3 -c 'import csv,sys
n = 0
with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    for row in csv.reader(f):
        n += 1
print(n)' "$path")
    printf '%-5s %8s %9s | %-16s %8s %8s %8s %8s | ratio winnow/python %sx wall, %sx cpu\n' "" "" "" \
      "python3 csv" "$1" "$2" "$(mbps "$bytes" "$1")" "$(mbps "$bytes" "$2")" \
      "$(ratio "$w_wall" "$1")" "$(ratio "$w_cpu" "$2")"
  fi
done
