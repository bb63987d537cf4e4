#!/usr/bin/env bash
# Allocation failures inside libxml2 (and zlib, json-c) while `winnow-screen filter
# --mesh` reads the MeSH descriptor file: the preload shim (tests/shim/faultshim.c)
# fails the Nth allocation those libraries make, for every N (sampled under ASan), over
# the plain file and its .gz. Each run either gives exactly the clean run's records, or
# exits 1 saying "out of memory" - never "malformed XML in the MeSH descriptor file"
# (exit 3), never a tree with a heading left out (a different set of records kept), and
# never libxml2's own messages on stderr.
# Regressions: 76 of 201 N ended as "malformed XML" (exit 3), 12 as "cannot start the
# XML reader" without "out of memory".
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../robust/robust-lib.sh"
have_shim || skip_all "faultshim.so not built"
max=400
sanitized && max=120
D="$WINNOW_TESTDATA/query"
printf '%s\n' '{"id":"r1","mesh":["*Breast Neoplasms/drug therapy","Humans"]}' \
  '{"id":"r2","mesh":["Neoplasms"]}' '{"id":"r3","mesh":["Humans"]}' \
  '{"id":"r4","mesh":["Delivery of Health Care, Integrated"]}' > "$T/in.jsonl"
printf 'cancer[mh] OR "delivery of health care"[mh]\n' > "$T/q.txt"
gzip -9nc "$D/mesh-sample.xml" > "$T/mesh.xml.gz"
# a script, so that env and the shim can run it; $1 is the MeSH file
{ echo '#!/usr/bin/env bash'
  echo "exec winnow-screen filter -d pubmed -q '$T/q.txt' --mesh \"\$1\" --explain '$T/in.jsonl'"
} > "$T/run"
chmod +x "$T/run"
for mesh in "$D/mesh-sample.xml" "$T/mesh.xml.gz"; do
  name=$(basename "$mesh")
  "$T/run" "$mesh" > "$T/ref.out" 2> "$T/ref.err"
  expect_eq "$?" 0 "$name: clean run"
  # the explosion and the entry terms really come from the file
  expect_eq "$(jq -r .id "$T/ref.out" | tr '\n' ' ')" "r1 r2 r4 " "$name: records kept"
  n=$(count_lib_allocs "$T/run" "$mesh")
  expect_eq "$([ "${n:-0}" -gt 100 ] && echo yes)" yes "$name: library allocations counted ($n)"
  runs=0 oom=0 fails=0
  for N in $(sample_ns "${n:-0}" "$max"); do
    env $(shim_env) LD_PRELOAD="$SHIM" WNSHIM_FAIL_LIBALLOC=$N "$T/run" "$mesh" > "$T/x.out" 2> "$T/err"
    rc=$?
    runs=$((runs+1))
    CHECKS=$((CHECKS+1))
    bad=
    if crashed "$rc" "$T/err"; then
      bad="crashed (exit $rc)"
    elif [ "$rc" = 0 ]; then
      cmp -s "$T/x.out" "$T/ref.out" || bad="exit 0 with different records"
    elif [ "$rc" != 1 ] || ! grep -q 'out of memory' "$T/err"; then
      bad="exit $rc without 'out of memory'"
    else
      oom=$((oom+1))
    fi
    # everything on stderr is ours (libxml2 printed "parser error : ..." lines), but
    # for LeakSanitizer's list of the suppressions it used (third-party leaks)
    [ -z "$bad" ] && grep -vE '^winnow-screen: |^-+$|^Suppressions used:|^ +count +bytes +template|^ +[0-9]+ +[0-9]+ ' \
      "$T/err" | grep -q . && bad="stray stderr lines"
    if [ -n "$bad" ]; then
      fail "$name WNSHIM_FAIL_LIBALLOC=$N: $bad"; sed 's/^/  | /' "$T/err" | head -5 >&2
      fails=$((fails+1)); [ $fails -ge 3 ] && break
    fi
  done
  # the loop must have made the load fail, or it proves nothing
  expect_eq "$([ $oom -gt $((runs / 2)) ] && echo yes)" yes "$name: runs ended by out of memory ($oom of $runs)"
  echo "$name: $n library allocations, $runs runs, $oom out of memory"
done
done_testing
