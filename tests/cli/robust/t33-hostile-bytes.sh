#!/usr/bin/env bash
# Bytes from hell in every text format: a NUL byte inside a title, Latin-1 (invalid
# UTF-8) bytes, terminal escape sequences (ESC [2J, OSC title, C1 CSI), DEL, a BOM in the
# middle, CR without LF. What comes out must be valid UTF-8 JSON with no control
# characters in any value, the text after a NUL must not be cut off silently, the Latin-1
# bytes are repaired (read as Windows-1252) and counted, and JSON Lines readers refuse a
# line with invalid UTF-8 or a NUL with a message naming the line.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/robust-lib.sh"

formats=$(winnow-fetch file --list-formats | awk '{print $1}')
have() { printf '%s\n' $formats | grep -qx "$1"; }
# the hostile title, as printf escapes (a shell variable cannot hold a NUL byte): NUL,
# Latin-1 e-acute, ESC sequences, C1 CSI (U+009B), DEL, BOM
H='Caf\xe9 au lait\x00 AFTER-NUL \x1b[2J\x1b]0;pwned\x07 \xc2\x9b31m \x7f \xef\xbb\xbfend'

check_out() { # LABEL
  local label=$1
  crashed $rc "$T/err" && fail "$label: crashed ($rc)"
  expect_eq "$rc" 0 "$label: exit status"
  expect_eq "$(lines "$T/out")" 1 "$label: one record"
  CHECKS=$((CHECKS+1))
  python3 - "$T/out" <<'PY' || fail "$label: output not clean (see above)"
import json, sys, unicodedata
raw = open(sys.argv[1], "rb").read()
text = raw.decode("utf-8")              # raises on invalid UTF-8
rec = json.loads(text.splitlines()[0])
def walk(v, path):
    if isinstance(v, str):
        for ch in v:
            if (ord(ch) < 0x20 and ch != "\n") or 0x7f <= ord(ch) <= 0x9f:
                print(f"control character U+{ord(ch):04X} in {path}: {v!r}"); sys.exit(1)
    elif isinstance(v, list):
        for i, x in enumerate(v): walk(x, f"{path}[{i}]")
    elif isinstance(v, dict):
        for k, x in v.items(): walk(k, path + ".key"); walk(x, f"{path}.{k}")
walk(rec, "record")
t = rec.get("title", "")
if "AFTER-NUL" not in t: print(f"text after the NUL byte lost: {t!r}"); sys.exit(1)
if "Café" not in t: print(f"Latin-1 byte not repaired as é: {t!r}"); sys.exit(1)
if "pwned" not in t: print(f"printable text of the escape sequence dropped: {t!r}"); sys.exit(1)
PY
}

fetch_case() { # FORMAT LABEL (input in $T/in)
  have "$1" || { echo "note: $1 not available yet"; return; }
  winnow-fetch file --format "$1" "$T/in" > "$T/out" 2>"$T/err"; rc=$?
  check_out "$2"
}
printf "TY  - JOUR\r\nTI  - ${H}\r\nAU  - Doe, J\r\nPY  - 2001\r\nER  - \r\n" > "$T/in"; fetch_case ris "ris"
printf "PMID- 123\nTI  - ${H}\nAU  - Doe J\nDP  - 2001\n" > "$T/in"; fetch_case medline "medline"
printf "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Doe, J\nTI ${H}\nPY 2001\nUT WOS:1\nER\nEF\n" > "$T/in"; fetch_case wos "wos"
printf "%%0 Journal Article\n%%T ${H}\n%%A Doe, J\n%%D 2001\n" > "$T/in"; fetch_case refer "refer"
printf "@article{k, title = {${H}}, author = {Doe, J}, year = 2001}\n" > "$T/in"; fetch_case bibtex "bibtex"
printf "Title,Authors,Year\r\n\"${H}\",Doe J,2001\r\n" > "$T/in"; fetch_case csv "csv"
printf "<?xml version=\"1.0\"?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>5</PMID><Article><ArticleTitle>${H}</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n" > "$T/in"
if have pubmed-xml; then
  # XML forbids C0 controls: the record may be refused, but never crash or pass them on
  winnow-fetch file --format pubmed-xml "$T/in" > "$T/out" 2>"$T/err"; rc=$?
  crashed $rc "$T/err" && fail "pubmed-xml: crashed"
  expect_eq "$rc" 0 "pubmed-xml: exit status"
  if [ -s "$T/out" ]; then check_out "pubmed-xml"; else expect_contains "$T/err" "record 1" "pubmed-xml: refused record named"; fi
fi

# JSON Lines readers: a line with invalid UTF-8 and a line with a NUL byte are refused by
# line number; the good line between them is kept
printf '{"id":"a:1","title":"ok 1"}\n{"id":"a:2","title":"bad \xe9"}\n{"id":"a:3","title":"ok 3"}\n{"id":"a:4","title":"nul \x00 x"}\n{"id":"a:5","title":"%s"}\n' 'esc \u001b[2J \u009b ok 5' > "$T/in.jsonl"
winnow-dedup -q "$T/in.jsonl" > "$T/out" 2>"$T/err"; rc=$?
crashed $rc "$T/err" && fail "dedup: crashed"
expect_eq "$rc" 0 "dedup: exit status"
expect_eq "$(jq -r .id "$T/out" | sort | tr '\n' ' ')" "a:1 a:3 a:5 " "dedup: the three good lines kept"
expect_contains "$T/err" "line 2" "dedup: invalid UTF-8 line named"
expect_contains "$T/err" "line 4" "dedup: NUL line named"
winnow-dedup -q --strict "$T/in.jsonl" > "$T/out" 2>"$T/err"
expect_eq "$?" 3 "dedup --strict: exit 3"
# messages quote record text: they must not carry the escape sequences to the terminal
expect_eq "$(grep -c $'\x1b' "$T/err")" 0 "dedup: no ESC byte in messages"
done_testing
