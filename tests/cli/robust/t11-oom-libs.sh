#!/usr/bin/env bash
# Allocation failures inside the libraries winnow calls (json-c, libxml2, zlib), which
# allocate with malloc directly and so are out of WINNOW_FAIL_ALLOC's reach: the
# LD_PRELOAD shim (tests/shim/faultshim.c) fails the Nth malloc made *from those
# libraries*. Over a real PubMed XML record, a real RIS file, a real WoS file and a
# gzip-compressed import, each run must end in order (see check_failed_run) - a NULL from
# json_object_new_* or libxml2 must become "out of memory", never a crash, never a
# silently different output. N is sampled (at most 400 per file, 40 under ASan).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/robust-lib.sh"
use_fast_dir  # outputs are fsync'd: on a tmpfs the loops run several times faster

have_shim || skip_all "faultshim.so not built"
max=400
sanitized && max=40
formats=$(winnow-fetch file --list-formats | awk '{print $1}')
gzip -9nc "$ROBUST_DATA/wos-isi2.isi" > "$T/wos.isi.gz"
tried=0
for c in "pubmed-xml $ROBUST_DATA/pubmed-35679569.xml" "ris $ROBUST_DATA/googlescholar.ris" \
         "wos $ROBUST_DATA/wos-isi2.isi" "wos $T/wos.isi.gz"; do
  set -- $c
  fmt=$1 file=$2 name=$(basename "$2")
  if ! printf '%s\n' $formats | grep -qx "$fmt"; then
    echo "note: format $fmt not available yet; $name not tested"; continue
  fi
  tried=$((tried+1))
  ref=$T/ref-$name.jsonl
  expect_rc 0 winnow-fetch file -q -o "$ref" "$file"
  n=$(count_lib_allocs winnow-fetch file -q -o "$F/count.jsonl" "$file")
  expect_eq "$([ "${n:-0}" -gt 10 ] && echo yes)" yes "library allocation count of $name ($n)"
  runs=0 fails=0
  for N in $(sample_ns "$n" "$max"); do
    rm -f "$F"/out.jsonl.tmp-*; printf 'OLD' > "$F/out.jsonl"
    env $(shim_env) LD_PRELOAD="$SHIM" WNSHIM_FAIL_LIBALLOC=$N \
      winnow-fetch file -q -o "$F/out.jsonl" "$file" >"$T/stdout" 2>"$T/err"
    rc=$?
    check_failed_run "$name WNSHIM_FAIL_LIBALLOC=$N" $rc "$F/out.jsonl" "$ref" "$T/err" OLD \
      'out of memory|Memory allocation failed' ||
      { echo "  (rerun: LD_PRELOAD=$SHIM WNSHIM_FAIL_LIBALLOC=$N winnow-fetch file -o out $file)"
        fails=$((fails+1)); [ $fails -ge 3 ] && break; }
    runs=$((runs+1))
  done
  echo "$name: $n library allocations, $runs failing runs checked"
done
expect_eq "$([ $tried -gt 0 ] && echo yes)" yes "at least one real format to import"

# winnow-dedup reads every line with json-c, twice for merged records. json-c 0.16 goes
# on when a string's buffer cannot grow, with the string cut short and no error; the
# check after each parse (wn_json_lost_values: values and string bytes against the
# text) must turn that into "out of memory", never a record with a shortened title or
# abstract. Input: merged records with long abstracts, escapes and non-ASCII text.
D=$WINNOW_SRC/tests/golden/dedup/raw-abstract/input.jsonl
ref=$T/ref-dedup.jsonl
expect_rc 0 winnow-dedup -q -j1 --prefer PubMed -o "$ref" "$D"
n=$(count_lib_allocs winnow-dedup -q -j1 --prefer PubMed -o "$F/count.jsonl" "$D")
expect_eq "$([ "${n:-0}" -gt 100 ] && echo yes)" yes "library allocation count of dedup ($n)"
runs=0 fails=0
for N in $(sample_ns "$n" "$max"); do
  rm -f "$F"/out.jsonl.tmp-*; printf 'OLD' > "$F/out.jsonl"
  env $(shim_env) LD_PRELOAD="$SHIM" WNSHIM_FAIL_LIBALLOC=$N \
    winnow-dedup -q -j1 --prefer PubMed -o "$F/out.jsonl" "$D" >"$T/stdout" 2>"$T/err"
  rc=$?
  check_failed_run "dedup WNSHIM_FAIL_LIBALLOC=$N" $rc "$F/out.jsonl" "$ref" "$T/err" OLD ||
    { echo "  (rerun: LD_PRELOAD=$SHIM WNSHIM_FAIL_LIBALLOC=$N winnow-dedup -j1 --prefer PubMed -o out $D)"
      fails=$((fails+1)); [ $fails -ge 3 ] && break; }
  runs=$((runs+1))
done
echo "dedup: $n library allocations, $runs failing runs checked"
done_testing
