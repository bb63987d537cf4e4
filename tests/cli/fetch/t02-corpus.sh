#!/usr/bin/env bash
# Every PubMed XML, MEDLINE and RIS export of the sample corpus (../shared/samples)
# imports with the number of records SOURCES.tsv counted for it (XML: records plus
# records skipped as damaged, which the count includes). Skipped when the corpus is
# not there.
. "$(dirname "$0")/../lib.sh"
if ! have_shared; then echo "skipped: no ../shared/samples"; exit 0; fi
S="$WINNOW_SHARED/samples"
n=0
while IFS=$'\t' read -r file fmt want; do
  got=$(winnow-fetch file --detect "$S/$file" 2>/dev/null | tail -n 1)
  f=$(cut -f2 <<< "$got"); r=$(cut -f4 <<< "$got"); k=$(cut -f5 <<< "$got")
  case $fmt in
    PubMed*|Medline*) expect_eq "$f" pubmed-xml "$file: format"; expect_eq "$((r + k))" "$want" "$file: records+skipped" ;;
    MEDLINE*) expect_eq "$f" medline "$file: format"; expect_eq "$r" "$want" "$file: records" ;;
    RIS*) expect_eq "$f" ris "$file: format"; expect_eq "$r" "$want" "$file: records"; expect_eq "$k" 0 "$file: skipped" ;;
  esac
  n=$((n + 1))
done < <(awk -F'\t' 'NR > 1 && $6 ~ /^(PubMed XML|MedlineCitation|MEDLINE|RIS)/ {print $1 "\t" $6 "\t" $8}' "$S/SOURCES.tsv")
expect_eq "$([ $n -ge 135 ] && echo yes)" yes "all samples seen ($n)"
done_testing
