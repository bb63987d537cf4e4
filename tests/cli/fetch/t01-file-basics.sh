#!/usr/bin/env bash
# winnow-fetch file as a reviewer runs it: several exports at once, stdin, --source,
# -o written atomically, the ledger's per-file entries, --detect, and the checks made
# before anything is written.
. "$(dirname "$0")/../lib.sh"
D="$WINNOW_TESTDATA"
cd "$T"

# several formats in one run: one stream, origin names each file, ids unique
expect_rc 0 winnow-fetch file --ledger led "$D/pubmed/pubmed1.xml" "$D/medline/pubmed_result2.txt" "$D/ris/cochrane-procite.ris"
expect_eq "$(lines out)" 9 "records from three formats"
expect_eq "$(jq -r '.origin.file' out | sort -u | wc -l | tr -d ' ')" 3 "three origins"
expect_eq "$(jq -r '.id' out | sort -u | wc -l | tr -d ' ')" 9 "unique ids"
expect_eq "$(jq -c '[.files[] | [.format, .records]]' led)" '[["pubmed-xml",2],["medline",4],["ris",3]]' "ledger per file"
expect_eq "$(jq -c '.sources' led)" '{"PubMed":{"kind":"database","records":6},"unknown":{"kind":"database","records":3}}' "ledger sources"
expect_eq "$(jq -r '.status' led)" ok "ledger status"

# --source names the database (and makes the ids); --source-kind goes to the ledger
expect_rc 0 winnow-fetch file --ledger led2 --source "Cochrane CENTRAL" --source-kind register "$D/ris/cochrane-procite.ris"
expect_eq "$(jq -r '.id' out | head -1)" "cochrane-central:CN-00778158" "id from --source"
expect_eq "$(jq -c '.sources' led2)" '{"Cochrane CENTRAL":{"kind":"register","records":3}}' "source kind"

# standard input, plain and gzip
expect_rc 0 winnow-fetch file - < "$D/pubmed/pubmed21n1016-excerpt.xml.gz"
expect_eq "$(lines out)" 3 "gzip on stdin"
expect_eq "$(jq -r '.origin.file' out | head -1)" "<stdin>" "stdin origin"
cat "$D/ris/mdpi.ris" > in.ris
expect_rc 0 winnow-fetch file - < in.ris
expect_eq "$(lines out)" 11 "RIS on stdin"
expect_rc 2 winnow-fetch file - -
expect_contains err "standard input ('-') can be given only once" "stdin twice"

# -o: written whole, or not at all
expect_rc 0 winnow-fetch file -o all.jsonl "$D/ris/mdpi.ris" "$D/medline/pubmed_result1.txt"
expect_eq "$(lines all.jsonl)" 12 "-o output"
expect_eq "$(lines out)" 0 "nothing on stdout with -o"
expect_rc 3 winnow-fetch file --strict -o strict.jsonl "$D/ris/mdpi.ris" "$D/pubmed/minimal-entry.xml"
[ ! -e strict.jsonl ] || fail "a failed run left strict.jsonl behind"
expect_contains err "'$D/pubmed/minimal-entry.xml' record 1 (line 2): no title or identifier (--strict)" "strict message"

# a missing or unreadable path is found before any record is written
expect_rc 1 winnow-fetch file "$D/ris/mdpi.ris" nosuch.ris
expect_eq "$(lines out)" 0 "no records before a preflight failure"
expect_contains err "cannot open 'nosuch.ris': No such file or directory" "missing file"
mkdir adir
expect_rc 1 winnow-fetch file adir
expect_contains err "'adir' is a directory" "directory"

# --format forces a format; an unknown name is a usage error
expect_rc 0 winnow-fetch file --format medline "$D/medline/pubmed-misnamed.ris"
expect_eq "$(lines out)" 50 "--format medline"
expect_rc 2 winnow-fetch file --format nbib x.ris
expect_contains err "unknown format 'nbib' (see --list-formats)" "unknown format"
expect_rc 2 winnow-fetch file
expect_contains err "no input files" "no input"

# --detect: format, source, counts; nothing else written
expect_rc 0 winnow-fetch file --detect "$D/ris/psycinfo-ovid.ris" "$D/pubmed/books.xml"
expect_eq "$(sed -n 3p out | cut -f2,4,5)" "$(printf 'pubmed-xml\t2\t0')" "--detect line"
expect_eq "$(lines out)" 3 "--detect: header + one line per file"

# a reader that goes away (| head) ends the run quietly
winnow-fetch file "$D/eutils/records/pubmedsample18n0001.xml.gz" 2>"$T/pipe.err" | head -1 > /dev/null
expect_eq "$(cat "$T/pipe.err")" "" "quiet on a closed pipe"

done_testing
