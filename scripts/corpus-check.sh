#!/usr/bin/env bash
# corpus-check.sh - import every real export in ../shared/samples and compare the record
# count with SOURCES.tsv (column `records`, counted by hand when the corpus was built).
#
#   scripts/corpus-check.sh [--bin DIR] [--shared DIR] [--timeout SECONDS] [--verbose]
#
# Fails (exit 1) on any count mismatch, crash (signal, non-zero exit where records are
# expected), sanitizer report or timeout. Files that are not record exports as such
# (E-utilities eSearch/eLink/eSummary/ePost/eInfo/eSpell results, DTDs) are listed: they
# must be refused cleanly or read without a crash, never counted as records. Files in the
# folder that SOURCES.tsv does not list are reported too. Files listed in
# scripts/corpus-damaged.tsv hold records damaged beyond import: for them the check
# requires the stated split of records imported and records skipped-and-reported.
#
# Paths: the corpus is $WINNOW_SHARED/samples, else ../shared/samples next to the
# repository; winnow-fetch is taken from --bin, $WINNOW_BIN, build/dev/bin, or PATH.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${WINNOW_BIN:-}
shared=${WINNOW_SHARED:-$here/../shared}
tmo=120
verbose=0
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=$2; shift 2 ;;
    --shared) shared=$2; shift 2 ;;
    --timeout) tmo=$2; shift 2 ;;
    -v|--verbose) verbose=1; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "corpus-check: error: unknown option '$1'" >&2; exit 2 ;;
  esac
done
samples=$shared/samples
if [ ! -f "$samples/SOURCES.tsv" ]; then
  echo "corpus-check: no corpus at '$samples' (set WINNOW_SHARED or --shared)" >&2
  exit 77
fi
fetch=
for d in "$bin" "$here/build/dev/bin"; do
  if [ -n "$d" ] && [ -x "$d/winnow-fetch" ]; then fetch=$d/winnow-fetch; break; fi
done
[ -n "$fetch" ] || fetch=$(command -v winnow-fetch) || {
  echo "corpus-check: error: winnow-fetch not found (build it, or give --bin DIR)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1 LC_ALL=C.UTF-8
unset WINNOW_LEDGER

damaged=$here/scripts/corpus-damaged.tsv
pass=0 fail=0 other=0
failures=()
printf '%-6s %7s %7s  %-12s %s\n' status want got format file
# columns: 1 file, 6 format, 7 database, 8 records
while IFS=$'\t' read -r file _ _ _ _ fmt _ want _; do
  [ "$file" = file ] && continue
  path=$samples/$file
  if [ ! -f "$path" ]; then
    failures+=("$file: listed in SOURCES.tsv but missing")
    fail=$((fail + 1))
    continue
  fi
  rm -f "$tmp/ledger"
  timeout "$tmo" "$fetch" file -q --ledger "$tmp/ledger" -- "$path" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  got=$(wc -l < "$tmp/out" | tr -d ' ')
  detected=$(sed -n 's/.*"files":\[{"file":"[^"]*","format":"\([^"]*\)".*/\1/p' "$tmp/ledger" 2>/dev/null | head -n 1)
  [ -n "$detected" ] || detected=-
  problem=
  if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' "$tmp/err"; then
    problem="sanitizer report"
  elif [ $rc -ge 124 ]; then
    problem="crash or timeout (exit $rc)"
  fi
  case $fmt in
    *E-utilities*|DTD)
      # not record exports: refused (exit 3) or read without a crash
      status=other
      want=-
      [ -z "$problem" ] && [ $rc -gt 3 ] && problem="exit $rc"
      if [ -z "$problem" ]; then other=$((other + 1)); fi
      ;;
    *)
      status=ok
      if [ -z "$problem" ]; then
        if [ "$want" = 0 ]; then
          # an empty or unrecognisable test file: no records, a clean exit or refusal
          { [ $rc = 0 ] || [ $rc = 3 ]; } && [ "$got" = 0 ] || problem="expected no records, got $got (exit $rc)"
        elif [ $rc != 0 ]; then
          problem="exit $rc: $(grep -m1 'error' "$tmp/err" | cut -c1-160)"
        elif dline=$(grep -F "$file"$'\t' "$damaged" 2>/dev/null | grep -v '^#' | head -n 1) && [ -n "$dline" ]; then
          # known damaged records: every counted record imported or skipped and reported
          want_imp=$(printf '%s' "$dline" | cut -f2)
          want_skip=$(printf '%s' "$dline" | cut -f3)
          got_skip=$(sed -n 's/.*"skipped":\([0-9]*\).*/\1/p' "$tmp/ledger" | tail -n 1)
          if [ $((want_imp + want_skip)) != "$want" ]; then
            problem="corpus-damaged.tsv says $want_imp + $want_skip, SOURCES.tsv says $want"
          elif [ "$got" != "$want_imp" ] || [ "${got_skip:-x}" != "$want_skip" ]; then
            problem="$got imported + ${got_skip:-?} skipped, expected $want_imp + $want_skip (corpus-damaged.tsv)"
          elif ! grep -q 'warning' "$tmp/err"; then
            problem="the skipped record was not reported"
          else
            status=damaged
          fi
        elif [ "$got" != "$want" ]; then
          problem="$got records, SOURCES.tsv says $want"
        fi
      fi
      ;;
  esac
  if [ -n "$problem" ]; then
    status=FAIL
    fail=$((fail + 1))
    failures+=("$file [$fmt, read as $detected]: $problem")
  elif [ $status = ok ] || [ $status = damaged ]; then
    pass=$((pass + 1))
  fi
  if [ $verbose = 1 ] || { [ $status != ok ] && [ $status != damaged ]; }; then
    printf '%-6s %7s %7s  %-12s %s\n' "$status" "${want:--}" "$got" "$detected" "$file"
  fi
done < "$samples/SOURCES.tsv"

# files in the folder that SOURCES.tsv does not list
( cd "$samples" && find . -type f ! -name SOURCES.tsv ! -name SOURCES.md | sed 's|^\./||' | sort ) > "$tmp/present"
cut -f1 "$samples/SOURCES.tsv" | tail -n +2 | sort > "$tmp/listed"
unlisted=$(comm -23 "$tmp/present" "$tmp/listed")
if [ -n "$unlisted" ]; then
  echo "not in SOURCES.tsv (not checked):"
  printf '  %s\n' $unlisted
fi

echo "corpus-check: $pass record exports match SOURCES.tsv, $other non-record files read or refused cleanly, $fail failed"
if [ $fail -gt 0 ]; then
  printf '  %s\n' "${failures[@]}"
  exit 1
fi
exit 0
