#!/usr/bin/env bash
# Allocation failures in the later stages, over real data: winnow-dedup -o on real
# records with duplicates, winnow-screen review --answers (the decision log), winnow-screen
# query --to, winnow-prisma --json on a real ledger. Every N of libwinnow's allocations
# (once and sticky), then a sample of json-c/libxml2 allocations through the shim.
# Each run must end in order (check_failed_run). For screening, "no lost decision": a
# failed run leaves a log that a clean rerun completes to exactly the log of a run that
# never failed - every decision once, none lost, none doubled.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/robust-lib.sh"

export WINNOW_TIME=1767225600
use_fast_dir
max=1000000 libmax=200
sanitized && { max=40; libmax=25; }

# oom_loop NAME OUT REF MSG_RE -- CMD...: CMD writes OUT (-o); loop over both schedules
oom_loop() {
  local name=$1 out=$2 ref=$3 msg=$4; shift 5
  local n ln N mode runs=0 fails=0
  n=$(count_allocs "$@")
  expect_eq "$([ "${n:-0}" -gt 5 ] && echo yes)" yes "$name: allocation count ($n)"
  for N in $(sample_ns "${n:-0}" "$max"); do
    for mode in "" ",sticky"; do
      rm -f "$out".tmp-*; printf 'OLD' > "$out"
      WINNOW_FAIL_ALLOC=$N$mode "$@" >"$T/stdout" 2>"$T/err"
      check_failed_run "$name WINNOW_FAIL_ALLOC=$N$mode" $? "$out" "$ref" "$T/err" OLD "$msg" ||
        { fails=$((fails+1)); [ $fails -ge 3 ] && break 2; }
      runs=$((runs+1))
    done
  done
  if have_shim; then
    ln=$(count_lib_allocs "$@")
    for N in $(sample_ns "${ln:-0}" "$libmax"); do
      rm -f "$out".tmp-*; printf 'OLD' > "$out"
      env $(shim_env) LD_PRELOAD="$SHIM" WNSHIM_FAIL_LIBALLOC=$N "$@" >"$T/stdout" 2>"$T/err"
      check_failed_run "$name WNSHIM_FAIL_LIBALLOC=$N" $? "$out" "$ref" "$T/err" OLD "$msg" ||
        { fails=$((fails+1)); [ $fails -ge 3 ] && break; }
      runs=$((runs+1))
    done
  fi
  echo "$name: $n + ${ln:-0} allocations, $runs failing runs checked"
}

# --- dedup
D=$ROBUST_DATA/dedup-small.jsonl
expect_rc 0 winnow-dedup -q -o "$T/dedup-ref.jsonl" "$D"
expect_eq "$(lines "$T/dedup-ref.jsonl")" 6 "dedup: 9 records, 3 duplicates removed"
oom_loop dedup "$F/dedup-out.jsonl" "$T/dedup-ref.jsonl" 'out of memory' -- \
  winnow-dedup -q -o "$F/dedup-out.jsonl" "$D"
# --keep-apart reads its field's value on its own (dd_apart_flat): every record has its
# own extra.ID, so the result is the same, and each of those reads can fail
expect_rc 0 winnow-dedup -q --keep-apart extra.ID -o "$T/dedup-apart-ref.jsonl" "$D"
expect_eq "$(cmp -s "$T/dedup-apart-ref.jsonl" "$T/dedup-ref.jsonl" && echo same)" same "dedup --keep-apart extra.ID: as without"
oom_loop dedup-apart "$F/dedup-apart.jsonl" "$T/dedup-apart-ref.jsonl" 'out of memory' -- \
  winnow-dedup -q --keep-apart extra.ID -o "$F/dedup-apart.jsonl" "$D"

# --- query translation (stdout: compared when the run succeeds)
printf '%s\n' 'NHS AND ("Integrated Health*" OR "Integrating Health*" OR "Integrated Care*") AND (Factor* OR Perform* OR Success* OR Fail*)' > "$T/q.txt"
query_to() { winnow-screen query --to pubmed "$T/q.txt" > "$F/query-out.txt"; }
winnow-screen query --to pubmed "$T/q.txt" > "$T/query-ref.txt"
expect_eq "$?" 0 "query: clean translation"
n=$(WINNOW_ALLOC_COUNT=1 winnow-screen query --to pubmed "$T/q.txt" 2>&1 >/dev/null | sed -n 's/^winnow: allocations: //p')
runs=0 fails=0
for N in $(sample_ns "${n:-0}" "$max"); do
  [ $fails -ge 3 ] && break
  WINNOW_FAIL_ALLOC=$N winnow-screen query --to pubmed "$T/q.txt" >"$F/query-out.txt" 2>"$T/err"
  rc=$?
  CHECKS=$((CHECKS+1))
  if crashed $rc "$T/err"; then fail "query WINNOW_FAIL_ALLOC=$N: crashed ($rc)"; sed 's/^/  | /' "$T/err" | head -5
    fails=$((fails+1))
  elif [ $rc = 0 ] && ! cmp -s "$F/query-out.txt" "$T/query-ref.txt"; then
    fail "query WINNOW_FAIL_ALLOC=$N: exit 0 with a different translation: $(head -c 200 "$F/query-out.txt")"
    fails=$((fails+1))
  elif [ $rc != 0 ] && ! grep -q "out of memory" "$T/err"; then
    fail "query WINNOW_FAIL_ALLOC=$N: exit $rc without 'out of memory'"; sed 's/^/  | /' "$T/err" | head -3
    fails=$((fails+1))
  fi
  runs=$((runs+1))
done
echo "query: $n allocations, $runs failing runs checked"

# --- screening with answers: the decision log
R=$WINNOW_TESTDATA/screen/pubmed50.jsonl
jq -r .id "$R" | head -12 | awk '{ printf "%s\t%s\t%s\n", $0, (NR%3==0 ? "exclude" : (NR%3==1 ? "include" : "maybe")), (NR%3==0 ? "wrong population" : "") }' > "$T/answers.tsv"
review() { winnow-screen review --reviewer alice --stage ta --log "$1" --answers "$T/answers.tsv" "$R"; }
review "$F/ref.log" >/dev/null 2>"$T/err"
expect_eq "$?" 0 "review: clean run"
expect_eq "$(grep -c $'\tpubmed:' "$F/ref.log")" 12 "review: 12 decisions in the reference log"
n=$(WINNOW_ALLOC_COUNT=1 review "$F/count.log" 2>&1 >/dev/null | sed -n 's/^winnow: allocations: //p')
ln=0; have_shim && ln=$(env $(shim_env) LD_PRELOAD="$SHIM" WNSHIM_LIBALLOC_COUNT=1 \
  winnow-screen review --reviewer alice --stage ta --log "$F/count2.log" --answers "$T/answers.tsv" "$R" 2>&1 >/dev/null |
  sed -n 's/^faultshim: library allocations: //p')
runs=0 fails=0
review_case() {
  local label=$1; shift
  rm -f "$F/run.log" "$F"/run.log.torn-*
  env "$@" winnow-screen review --reviewer alice --stage ta --log "$F/run.log" \
    --answers "$T/answers.tsv" "$R" >/dev/null 2>"$T/err"
  rc=$?
  CHECKS=$((CHECKS+1))
  if crashed $rc "$T/err"; then
    fail "review $label: crashed ($rc)"; sed 's/^/  | /' "$T/err" | head -10; return 1
  fi
  if [ $rc != 0 ] && ! grep -qE 'out of memory|Memory allocation failed' "$T/err"; then
    fail "review $label: exit $rc without 'out of memory'"; sed 's/^/  | /' "$T/err" | head -3; return 1
  fi
  # the rerun completes the log; it must then be exactly the never-failed log
  review "$F/run.log" >/dev/null 2>"$T/err2"
  CHECKS=$((CHECKS+1))
  if [ $? != 0 ] || ! cmp -s "$F/run.log" "$F/ref.log"; then
    fail "review $label: after a clean rerun the log differs from the reference (lost or doubled decisions)"
    diff "$F/ref.log" "$F/run.log" | head -5; sed 's/^/  | /' "$T/err2" | head -3; return 1
  fi
  return 0
}
for N in $(sample_ns "${n:-0}" "$max"); do
  for mode in "" ",sticky"; do
    review_case "WINNOW_FAIL_ALLOC=$N$mode" WINNOW_FAIL_ALLOC=$N$mode || { fails=$((fails+1)); [ $fails -ge 3 ] && break 2; }
    runs=$((runs+1))
  done
done
if have_shim; then
  for N in $(sample_ns "${ln:-0}" "$libmax"); do
    review_case "WNSHIM_FAIL_LIBALLOC=$N" $(shim_env) LD_PRELOAD="$SHIM" WNSHIM_FAIL_LIBALLOC=$N ||
      { fails=$((fails+1)); [ $fails -ge 3 ] && break; }
    runs=$((runs+1))
  done
fi
echo "review: $n + $ln allocations, $runs failing runs checked"

# --- prisma on a real ledger
P=$WINNOW_TESTDATA/prisma/basic.ledger
if [ -f "$P" ]; then
  winnow-prisma -q --ledger "$P" --force --svg "$T/prisma-ref.svg" >/dev/null 2>&1
  expect_eq "$?" 0 "prisma: clean run"
  oom_loop prisma "$F/prisma-out.svg" "$T/prisma-ref.svg" 'out of memory' -- \
    winnow-prisma -q --ledger "$P" --force --svg "$F/prisma-out.svg"
fi
done_testing
