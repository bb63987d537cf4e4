#!/usr/bin/env bash
# Hostile search strings: 10,000 nested levels in every dialect (alternating AND/OR, and
# redundant parentheses), 10,000 unclosed
# ones, 10,000 NOTs in a row, and an Ovid strategy whose lines double the previous one
# 60 times (2^60 nodes if references were copied instead of shared). Expected: a clear
# error with a line and column (10,000 levels exceed the IR's depth cap), exit 1-3, no
# stack overflow, quick, small. Redundant parentheses may simply be read through.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/robust-lib.sh"

secs_max=10
sanitized && secs_max=60
limit_kb=200000
sanitized && limit_kb=1000000
deep() { awk -v t="$1" 'BEGIN { for (i = 0; i < 10000; i++) printf "("; printf "%s", t; for (i = 0; i < 10000; i++) printf ")" }'; }

q_case() { # LABEL DIALECT (query in $T/q.txt) [--lint|--to D]
  local label=$1 d=$2; shift 2
  /usr/bin/time -f '%M %e' -o "$T/time" timeout 120 winnow-screen query "$@" --dialect "$d" "$T/q.txt" > "$T/out" 2>"$T/err"
  rc=$?
  read -r kb secs < <(tail -1 "$T/time")
  crashed $rc "$T/err" && { fail "$label: crashed ($rc)"; sed 's/^/  | /' "$T/err" | head -5; }
  expect_eq "$([ $rc -le 3 ] && echo yes)" yes "$label: orderly exit ($rc)"
  expect_eq "$([ "${kb:-9999999}" -lt $limit_kb ] && echo yes)" yes "$label: memory bounded ($kb KB)"
  expect_eq "$(awk -v s="${secs:-999}" -v m=$secs_max 'BEGIN{print (s < m) ? "yes" : "no"}')" yes "$label: quick ($secs s)"
}
# alternating AND/OR: normal forms cannot flatten it, the IR really is 10,000 deep
alternating() { awk 'BEGIN { for (i = 1; i <= 10000; i++) printf "(t%d %s ", i, (i % 2) ? "OR" : "AND"; printf "x"; for (i = 0; i < 10000; i++) printf ")" }'; }
for d in generic pubmed ovid scopus wos ebsco; do
  alternating > "$T/q.txt"
  q_case "$d: 10,000 nested levels" $d --lint
  expect_eq "$rc" 3 "$d: 10,000 nested levels are refused (--lint exit 3)"
  CHECKS=$((CHECKS+1))
  grep -qiE 'deep|nest|depth' "$T/out" "$T/err" || fail "$d: the finding does not say the query is nested too deeply"
  deep 'burnout' > "$T/q.txt"
  q_case "$d: 10,000 redundant parentheses" $d --lint
  awk 'BEGIN { for (i = 0; i < 10000; i++) printf "("; printf "a" }' > "$T/q.txt"
  q_case "$d: 10,000 unclosed parentheses" $d --lint
  expect_eq "$rc" 3 "$d: unclosed parentheses are an error"
  awk 'BEGIN { printf "a"; for (i = 0; i < 10000; i++) printf " NOT b%d", i }' > "$T/q.txt"
  q_case "$d: 10,000 NOTs" $d --to pubmed
done
# Ovid: each line doubles the previous one
{ printf '1. burnout.ti,ab.\n'; for i in $(seq 2 61); do printf '%d. %d or %d\n' $i $((i-1)) $((i-1)); done; } > "$T/q.txt"
q_case "ovid: 2^60 by references" ovid --lint
q_case "ovid: 2^60 by references, translated" ovid --to pubmed
done_testing
