#!/usr/bin/env bash
# Allocation failures in the query tools (docs/robustness.md): `winnow-screen query`
# (--to every dialect, --lint, --explain) and `winnow-screen filter` with criteria,
# --explain, --excluded and a ledger, with the Nth allocation failing - libwinnow's
# (WINNOW_FAIL_ALLOC=N, once and sticky) and json-c's (the preload shim). Every run
# either gives exactly the clean run's results (the translation or findings; the kept
# and excluded records and the ledger line), or exits 1
# saying "out of memory" - never a different translation (a failed lookup once made a
# word quoted), a record dropped as "not valid JSON", or a ledger line without counts.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../robust/robust-lib.sh"
Q="$WINNOW_SRC/queries"
D="$WINNOW_TESTDATA/query"
max=60
sanitized && max=12

# one run under an injected failure: $1 label, $2 rc, then pairs of files OUT REF
judge() {
  local label=$1 rc=$2 same=1
  shift 2
  CHECKS=$((CHECKS+1))
  if crashed "$rc" "$T/err"; then
    fail "$label: crashed ($rc)"; sed 's/^/  | /' "$T/err" | head -5; return
  fi
  while [ $# -ge 2 ]; do cmp -s "$1" "$2" || same=0; shift 2; done
  if [ "$rc" = 0 ]; then
    [ $same = 1 ] || fail "$label: exit 0 with a different result"
  elif [ "$rc" != 1 ] || ! grep -q "out of memory" "$T/err"; then
    fail "$label: exit $rc without 'out of memory': $(head -c 200 "$T/err")"
  fi
}

# --- winnow-screen query, every mode, a strategy per dialect
for spec in "pubmed $Q/pubmed.query" "ebsco $Q/cinahl.query" "generic $Q/hmic.query" \
            "ovid $D/clean-ovid.txt"; do
  set -- $spec
  d=$1 f=$2
  for mode in "--to pubmed" "--to ovid" "--to scopus" "--to wos" "--to ebsco" "--to generic" \
              --lint --explain; do
    winnow-screen query -d "$d" $mode "$f" > "$T/ref.out" 2> /dev/null
    ref_rc=$?
    n=$(count_allocs winnow-screen query -d "$d" $mode "$f")
    for N in $(sample_ns "${n:-0}" "$max"); do
      for s in "" ",sticky"; do
        WINNOW_FAIL_ALLOC=$N$s winnow-screen query -d "$d" $mode "$f" > "$T/x.out" 2> "$T/err"
        rc=$?
        # --lint exits 3 on findings: the same status is a complete run
        [ "$rc" = "$ref_rc" ] && [ "$rc" != 1 ] && rc=0
        # stdout only: a note on stderr may be lost to the failure (core's messages say so)
        judge "query -d $d $mode WINNOW_FAIL_ALLOC=$N$s" "$rc" "$T/x.out" "$T/ref.out"
      done
    done
  done
done

# --- winnow-screen filter: query, criteria, --explain, --excluded, ledger
# a script, so that env and the shim can run it; $1 is the prefix of the files written
{ echo '#!/usr/bin/env bash'
  echo "WINNOW_TIME=1767225600 exec winnow-screen filter -q '$Q/pubmed.query' -d pubmed -c '$Q/hmic.criteria' --explain --threads 1 --excluded '$T/'\"\$1\".ex --ledger '$T/'\"\$1\".led '$D/example-review.jsonl' > '$T/'\"\$1\".out"
} > "$T/filter"
chmod +x "$T/filter"
ledger() { jq -S -c 'del(.run, .started, .finished, .argv)' "$1" 2>/dev/null; }
"$T/filter" ref 2> "$T/ref.err"
expect_eq "$?" 0 "filter: clean run"
ledger "$T/ref.led" > "$T/ref.ledn"
expect_eq "$(jq -c '[.records_in, .records_out]' "$T/ref.led")" "[4,1]" "filter: clean counts"
try_filter() { # $1 label, then the environment of the run (the failure)
  local label=$1
  shift
  rm -f "$T"/x.*
  env "$@" "$T/filter" x 2> "$T/err"
  rc=$?
  ledger "$T/x.led" > "$T/x.ledn"
  [ -f "$T/x.ex" ] || : > "$T/x.ex"
  judge "filter $label" "$rc" "$T/x.out" "$T/ref.out" "$T/x.ex" "$T/ref.ex" "$T/x.ledn" "$T/ref.ledn"
}
n=$(count_allocs "$T/filter" cnt)
for N in $(sample_ns "${n:-0}" "$max"); do
  try_filter "WINNOW_FAIL_ALLOC=$N" WINNOW_FAIL_ALLOC=$N
  try_filter "WINNOW_FAIL_ALLOC=$N,sticky" WINNOW_FAIL_ALLOC=$N,sticky
done
if have_shim; then
  ln=$(count_lib_allocs "$T/filter" cnt)
  for N in $(sample_ns "${ln:-0}" "$max"); do
    try_filter "json-c allocation $N" $(shim_env) LD_PRELOAD="$SHIM" WNSHIM_FAIL_LIBALLOC=$N
  done
fi
done_testing
