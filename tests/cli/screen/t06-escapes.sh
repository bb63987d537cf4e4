#!/usr/bin/env bash
# Terminal escape sequences in record text never reach the terminal: a hostile title
# cannot retitle the window, clear the screen, move the cursor, hide or colour text.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
cd "$T"

cat > evil.jsonl <<'JSON'
{"id":"x:1","source":"Hostile","title":"Evil \u001b]2;PWNED\u0007 title \u001b[2J\u001b[H\u001b[31mred\u009b31m \u202egnp.exe","abstract":"line one \u001b[1A\u001b[2K overwritten? \b\b\b bell\u0007 \u001b[8mhidden\u001b[0m end","authors":["A\u001b[8mhidden"]}
{"id":"x:2","title":"An ordinary title","abstract":"Nothing to see."}
JSON
printf '+title\n-ordinary\n' > hl.txt
tm_start e1 "NO_COLOR=1 winnow-screen review --reviewer eve --stage ta --log eve.log --highlight hl.txt evil.jsonl"
tm_wait e1 "[0/2 done"
screen=$(tm_capture e1)
first=$(printf '%s\n' "$screen" | grep -m1 .)
expect_eq "$first" "screen - title/abstract - eve" "the screen starts with our header (no clear/home from the record)"
expect_contains <(printf '%s\n' "$screen") 'Evil ?]2;PWNED? [+title+] ?[2J?[H?[31mred?31m ?gnp.exe' "title shown with the controls made visible"
expect_contains <(printf '%s\n' "$screen") 'line one ?[1A?[2K overwritten? ??? bell? ?[8mhidden?[0m end' "abstract too"
expect_contains <(printf '%s\n' "$screen") 'Authors:   A?[8mhidden' "authors too"
expect_not_contains <(tm display -p -t e1 '#{pane_title}') "PWNED" "the window title is untouched"
# with NO_COLOR nothing on the screen carries an attribute
expect_not_contains <(tm capture-pane -e -p -t e1) $'\033[' "no attributes at all under NO_COLOR"
tm_keys e1 q
tm_wait e1 "__EXIT=0__"

# with colour: green and red come from the highlighting only; no hidden text, no record colour
tm_start e2 "env -u NO_COLOR winnow-screen review --reviewer eve --stage ta --log eve.log --highlight hl.txt evil.jsonl"
tm_wait e2 "[0/2 done"
attrs=$(tm capture-pane -e -p -t e2)
expect_contains <(printf '%s\n' "$attrs") "title" "title shown"
CHECKS=$((CHECKS+1))
printf '%s\n' "$attrs" | grep -q $'\033\\[[0-9;]*32m' || fail "no green highlight with colour on"
CHECKS=$((CHECKS+1))
printf '%s\n' "$attrs" | grep -q $'\033\\[[0-9;]*8m' && fail "hidden text reached the terminal"
# the only red on the first record would be the record's own \e[31m: there is none
CHECKS=$((CHECKS+1))
printf '%s\n' "$attrs" | grep -q $'\033\\[[0-9;]*31m' && fail "the record's colour reached the terminal"
tm_keys e2 i
tm_wait e2 "An ordinary title"
attrs=$(tm capture-pane -e -p -t e2)
CHECKS=$((CHECKS+1))
printf '%s\n' "$attrs" | grep -q $'\033\\[[0-9;]*31m' || fail "no red for the exclusion term"
tm_keys e2 q
tm_wait e2 "__EXIT=0__"
expect_not_contains <(tm display -p -t e2 '#{pane_title}') "PWNED" "window title still untouched"

# notes typed with control keys are stored escaped, and shown safely
tm_start e3 "NO_COLOR=1 winnow-screen review --reviewer eve --stage ta --log eve.log evil.jsonl"
tm_wait e3 "[1/2 done"
tm_keys e3 n
tm_wait e3 "note (Enter"
tm_keys e3 -l "tab	here é"
tm_keys e3 Enter
tm_wait e3 "saved #2: note"
tm_wait e3 "notes: tab here é"
tm_keys e3 q
tm_wait e3 "__EXIT=0__"
expect_contains eve.log "	note	-	-	tab here é	" "the note as typed (tab made a space)"
done_testing
