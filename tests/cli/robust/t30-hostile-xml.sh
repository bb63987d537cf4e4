#!/usr/bin/env bash
# Hostile XML for every XML importer (PubMed XML, EndNote XML): billion laughs (entities
# nested nine deep: 10^9 "lol"s if expanded), an external entity naming a local file
# (XXE), an external DTD and a parameter entity on the network. Expected: the record is
# skipped with a clear reason, nothing is expanded, no file or URL is read, memory and
# time stay small, the rest of the file is still imported.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/robust-lib.sh"

formats=$(winnow-fetch file --list-formats | awk '{print $1}')
secret="TOP-SECRET-$$-MARKER"
echo "$secret" > "$T/secret.txt"
printf '<!ENTITY dtdmarker "DTD-WAS-LOADED-%s">\n' $$ > "$T/evil.dtd"

# a listener that notes any connection (the network entity must never be fetched)
port=""
if command -v python3 >/dev/null; then
  python3 - "$T/port" "$T/contacted" <<'PY' &
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(5); s.settimeout(60)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
try:
    c, _ = s.accept(); open(sys.argv[2], "w").write("yes"); c.close()
except Exception:
    pass
PY
  listener=$!
  for i in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
  port=$(cat "$T/port" 2>/dev/null)
fi
: "${port:=9}"

lol='<!ENTITY lol "lol">'
prev=lol
for i in 1 2 3 4 5 6 7 8 9; do
  lol="$lol<!ENTITY lol$i \"$(for k in 1 2 3 4 5 6 7 8 9 10; do printf '&%s;' $prev; done)\">"
  prev=lol$i
done
doctype_laughs="<!DOCTYPE x [$lol]>"
doctype_xxe="<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file://$T/secret.txt\"><!ENTITY % ext SYSTEM \"file://$T/evil.dtd\">%ext;<!ENTITY % net SYSTEM \"http://127.0.0.1:$port/evil.dtd\">%net;]>"
doctype_dtd="<!DOCTYPE x SYSTEM \"http://127.0.0.1:$port/pubmed.dtd\">"

pubmed_doc() { # DOCTYPE TITLE-TEXT
  cat <<EOX
<?xml version="1.0" encoding="UTF-8"?>
$1
<PubmedArticleSet>
<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">11111111</PMID>
<Article><Journal><Title>Hostile</Title></Journal><ArticleTitle>$2</ArticleTitle></Article></MedlineCitation></PubmedArticle>
<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">22222222</PMID>
<Article><Journal><Title>Fine</Title></Journal><ArticleTitle>A harmless record after it</ArticleTitle></Article></MedlineCitation></PubmedArticle>
</PubmedArticleSet>
EOX
}
endnote_doc() {
  cat <<EOX
<?xml version="1.0" encoding="UTF-8"?>
$1
<xml><records>
<record><ref-type name="Journal Article">17</ref-type><titles><title><style face="normal" font="default" size="100%">$2</style></title></titles><dates><year>2001</year></dates></record>
<record><ref-type name="Journal Article">17</ref-type><titles><title>A harmless record after it</title></titles><dates><year>2002</year></dates></record>
</records></xml>
EOX
}

limit_kb=200000
sanitized && limit_kb=1200000
tried=0
for fmt in pubmed-xml endnote-xml; do
  printf '%s\n' $formats | grep -qx "$fmt" || { echo "note: $fmt not available yet"; continue; }
  tried=$((tried+1))
  gen=pubmed_doc; [ $fmt = endnote-xml ] && gen=endnote_doc
  for c in "laughs:$doctype_laughs:&lol9;" "xxe:$doctype_xxe:&xxe; &dtdmarker;" "dtd:$doctype_dtd:&dtdmarker;"; do
    name=${c%%:*}; rest=${c#*:}; dt=${rest%:*}; ref=${rest##*:}
    $gen "$dt" "Title $ref end" > "$T/$fmt-$name.xml"
    /usr/bin/time -f '%M %e' -o "$T/time" timeout 60 \
      winnow-fetch file --format "$fmt" "$T/$fmt-$name.xml" > "$T/out.jsonl" 2>"$T/err"
    rc=$?
    label="$fmt $name"
    crashed $rc "$T/err" && fail "$label: crashed ($rc)"
    expect_eq "$rc" 0 "$label: exit status (the damaged record is skipped, not the file)"
    expect_not_contains "$T/out.jsonl" "lollollol" "$label: entities not expanded"
    expect_not_contains "$T/out.jsonl" "$secret" "$label: local file not read"
    expect_not_contains "$T/out.jsonl" "DTD-WAS-LOADED" "$label: external DTD not loaded"
    if grep -q "A harmless record after it" "$T/out.jsonl"; then
      CHECKS=$((CHECKS+1))
    else
      # a streaming reader (EndNote XML) cannot resynchronise after a fatal XML error:
      # it must say that the rest of the file was not read
      expect_contains "$T/err" "the rest of the file" "$label: the next record is imported, or the loss reported"
    fi
    read -r kb secs < <(tail -1 "$T/time")
    expect_eq "$([ "$kb" -lt $limit_kb ] && echo yes)" yes "$label: memory bounded ($kb KB)"
    expect_eq "$(awk -v s="$secs" 'BEGIN{print (s < 10) ? "yes" : "no"}')" yes "$label: quick ($secs s)"
    # the hostile record is either skipped with a reason or imported without the entity
    if [ "$(lines "$T/out.jsonl")" = 1 ]; then
      expect_contains "$T/err" "record 1" "$label: the skipped record is named"
    fi
  done
done
# a title of 11 MB: over libxml2's cap on one text node (10,000,000 bytes) for the
# streaming reader. It is a limit of the input, reported as such (not "out of memory"):
# the record is named and the loss of the rest said; the records before it are kept.
big=$(head -c 11000000 /dev/zero | tr '\0' 'a')
for fmt in pubmed-xml endnote-xml; do
  gen=pubmed_doc; [ $fmt = endnote-xml ] && gen=endnote_doc
  { $gen "" "first"; } | sed 's/<\/PubmedArticleSet>//; s/<\/records><\/xml>//' > "$T/$fmt-big.xml"
  if [ $fmt = pubmed-xml ]; then
    printf '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">33333333</PMID><Article><Journal><Title>Big</Title></Journal><ArticleTitle>%s</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n' "$big" >> "$T/$fmt-big.xml"
  else
    printf '<record><titles><title>%s</title></titles></record></records></xml>\n' "$big" >> "$T/$fmt-big.xml"
  fi
  timeout 120 winnow-fetch file --format "$fmt" "$T/$fmt-big.xml" > "$T/out.jsonl" 2>"$T/err"
  rc=$?
  crashed $rc "$T/err" && fail "$fmt big field: crashed ($rc)"
  expect_eq "$rc" 0 "$fmt big field: exit status"
  expect_not_contains "$T/err" "out of memory" "$fmt big field: not taken for out of memory"
  expect_contains "$T/out.jsonl" "A harmless record after it" "$fmt big field: the records before it are kept"
  if [ "$(grep -c '"title"' "$T/out.jsonl")" -lt 3 ]; then
    expect_contains "$T/err" "longer than 10000000 bytes" "$fmt big field: the limit is named"
    expect_contains "$T/err" "record 3" "$fmt big field: the record is named"
  fi
done
expect_eq "$([ $tried -gt 0 ] && echo yes)" yes "at least one XML format"
if [ -n "${listener:-}" ]; then
  expect_eq "$([ -e "$T/contacted" ] && echo yes || echo no)" no "no network connection attempted"
  kill "$listener" 2>/dev/null; wait "$listener" 2>/dev/null
fi
done_testing
