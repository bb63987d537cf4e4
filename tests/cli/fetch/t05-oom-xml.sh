#!/usr/bin/env bash
# An allocation failure inside libxml2 (or json-c) while importing PubMed XML or EndNote
# XML ends the run: exit 1, "out of memory", the -o file untouched - never a record
# skipped as "malformed XML" or kept with a value left out. libxml2 2.9 reports many
# of its allocation failures only to the thread's error handler, or not at all (an
# input buffer that could not be made: the "parse" sees no element); json-c turns a
# NULL string into JSON null. The shim (tests/shim/faultshim.c) fails the Nth
# allocation made from those libraries, for every N (sampled under ASan).
# Regressions: PubMed XML record dropped at N=72-77 and 84-162, CommentOn notice "type"
# null at N=133; EndNote XML 635 of 890 N wrong.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../robust/robust-lib.sh"
use_fast_dir
have_shim || skip_all "faultshim.so not built"
max=200
sanitized && max=30
gzip -9nc "$WINNOW_TESTDATA/endnote/EndnoteXmlImporterTestArticle2.xml" > "$T/endnote.xml.gz"
for file in "$ROBUST_DATA/pubmed-35679569.xml" "$WINNOW_TESTDATA/pubmed/medline_few.xml" \
            "$WINNOW_TESTDATA/endnote/EndnoteXmlImporterTestLabelAndMultiTitle.xml" "$T/endnote.xml.gz"; do
  name=$(basename "$file")
  ref=$T/ref-$name.jsonl
  expect_rc 0 winnow-fetch file -q -o "$ref" "$file"
  n=$(count_lib_allocs winnow-fetch file -q -o "$F/count.jsonl" "$file")
  expect_eq "$([ "${n:-0}" -gt 100 ] && echo yes)" yes "library allocations counted for $name ($n)"
  runs=0 fails=0 oom=0
  for N in $(sample_ns "${n:-0}" "$max"); do
    rm -f "$F"/out.jsonl.tmp-*; printf 'OLD' > "$F/out.jsonl"
    env $(shim_env) LD_PRELOAD="$SHIM" WNSHIM_FAIL_LIBALLOC=$N \
      winnow-fetch file -q -o "$F/out.jsonl" "$file" >/dev/null 2>"$T/err"
    rc=$?
    [ $rc = 1 ] && oom=$((oom+1))
    check_failed_run "$name WNSHIM_FAIL_LIBALLOC=$N" $rc "$F/out.jsonl" "$ref" "$T/err" OLD \
      'out of memory' || { fails=$((fails+1)); [ $fails -ge 3 ] && break; }
    runs=$((runs+1))
  done
  # the loop must have made the import fail, or it proves nothing
  expect_eq "$([ $oom -gt 10 ] && echo yes)" yes "$name: runs ended by out of memory ($oom of $runs)"
done
done_testing
