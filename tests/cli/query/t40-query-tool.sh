#!/usr/bin/env bash
# winnow-screen query: translation round trips through every dialect on the bundled
# strategies, and a translated strategy selects the same records as the original.
. "$(dirname "$0")/../lib.sh"
Q="$WINNOW_SRC/queries"
D="$WINNOW_TESTDATA/query"
cat "$D/records.jsonl" "$D/example-review.jsonl" > "$T/in.jsonl"
for src in "pubmed pubmed.query" "ebsco cinahl.query" "generic hse.query" "ovid $D/clean-ovid.txt"; do
  set -- $src; d=$1; f=$2; [ -f "$f" ] || f="$Q/$f"
  winnow-screen filter --quiet -d "$d" -q "$f" --default-fields ti,ab "$T/in.jsonl" | jq -r .id > "$T/ref"
  for to in pubmed ovid scopus wos ebsco generic; do
    expect_rc 0 winnow-screen query -d "$d" --to "$to" "$f"
    cp "$T/out" "$T/tr.$to"
    # the translation parses in its dialect
    expect_rc 0 winnow-screen query --lint -d "$to" "$T/tr.$to"
    grep -q ": error:" "$T/out" && fail "$d -> $to: the translation has errors: $(cat "$T/tr.$to")"
    # and, when nothing was reported as approximated, selects the same records
    if ! winnow-screen query -d "$d" --to "$to" "$f" 2>&1 >/dev/null | grep -q "warning"; then
      winnow-screen filter --quiet -d "$to" -q "$T/tr.$to" --default-fields ti,ab "$T/in.jsonl" | jq -r .id > "$T/got"
      cmp -s "$T/ref" "$T/got" || fail "$d -> $to selects other records: $(cat "$T/tr.$to")"
      CHECKS=$((CHECKS+1))
    fi
  done
done
# explain shows the precedence
printf 'a OR b AND c\n' > "$T/p"
expect_rc 0 winnow-screen query -d pubmed "$T/p"
expect_contains "$T/out" "reads as: (and (or a b) c)" "pubmed left to right"
expect_rc 0 winnow-screen query -d generic "$T/p"
expect_contains "$T/out" "reads as: (or a (and b c))" "generic AND first"
expect_contains "$T/out" "Q103" "mixed operators flagged"
done_testing
