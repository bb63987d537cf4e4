#!/usr/bin/env bash
# Full-text screening at the prompt (a reason for every exclusion, "not retrieved" as a
# decision), remapped keys, and resolving conflicts at the prompt with every vote shown.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
cd "$T"

head -4 "$RECORDS" > ft.jsonl
cat > reasons.txt <<'TXT'
# full-text exclusion reasons
wrong population
wrong study design
not in English
TXT
tm_start f1 "NO_COLOR=1 winnow-screen review --reviewer ann --stage ft --log ann-ft.log --reasons reasons.txt --keys include=y,exclude=x ft.jsonl"
tm_wait f1 "[0/4 done: include 0, exclude 0, not retrieved 0 | 4 waiting]"
tm_wait f1 "y include  x exclude  t not-retrieved  r reason"
tm_keys f1 m
tm_wait f1 "maybe is a title/abstract decision"
tm_keys f1 x
tm_wait f1 " 2  wrong study design"
tm_wait f1 "reason (a number or type one, Esc cancels):"
tm_keys f1 Escape
tm_wait f1 "not excluded: a full-text exclusion needs a reason"
tm_keys f1 x
tm_wait f1 "reason (a number"
tm_keys f1 9 Enter
tm_wait f1 "no reason has that number (1 to 3)"
tm_keys f1 x
tm_wait f1 "reason (a number"
tm_keys f1 2 Enter
tm_wait f1 "saved #1: exclude (wrong study design)"
tm_keys f1 t
tm_wait f1 "saved #2: not-retrieved"
tm_keys f1 r
tm_wait f1 "reason (a number"
tm_keys f1 "conference abstract only" Enter
tm_wait f1 "saved #3: exclude (conference abstract only)"
tm_keys f1 y
tm_wait f1 "saved #4: include"
tm_wait f1 "review: all 4 records are decided (full text, ann)."
tm_wait f1 "[4/4 done: include 1, exclude 2, not retrieved 1 | 0 waiting]"
tm_keys f1 y
tm_wait f1 "everything is decided"
tm_keys f1 q
tm_wait f1 "__EXIT=0__"
expect_eq "$(tail -n +2 ann-ft.log | cut -f4-6 | tr '\t' '|')" \
"$(nth_id 1)|exclude|wrong study design
$(nth_id 2)|not-retrieved|-
$(nth_id 3)|exclude|conference abstract only
$(nth_id 4)|include|-" "full-text log"

# bob disagrees on three of them
printf '%s\texclude\twrong population\n%s\tinclude\n%s\texclude\tconference abstract only\n%s\tinclude\n' \
  "$(nth_id 1)" "$(nth_id 2)" "$(nth_id 3)" "$(nth_id 4)" > bob.tsv
expect_rc 0 winnow-screen review --reviewer bob --stage ft --log bob-ft.log --answers bob.tsv ft.jsonl
expect_rc 0 winnow-screen export --stage ft --decision conflict ft.jsonl ann-ft.log bob-ft.log
expect_eq "$(jq -r .id "$T/out" | tr '\n' ' ')" "$(nth_id 1) $(nth_id 2) " "two conflicts: reasons differ, not-retrieved vs include"

# resolve at the prompt: both votes and reasons are shown
tm_start r1 "NO_COLOR=1 winnow-screen resolve --reviewer cat --log cat-ft.log --records ft.jsonl --reasons reasons.txt ann-ft.log bob-ft.log"
tm_wait r1 "resolve conflict - full text - cat"
tm_wait r1 "ann: exclude (#1) - wrong study design"
tm_wait r1 "bob: exclude (#1) - wrong population"
tm_wait r1 "[0/2 resolved: include 0, exclude 0, not retrieved 0 | 2 waiting]"
tm_keys r1 e
tm_wait r1 "reason (a number"
tm_keys r1 1 Enter
tm_wait r1 "saved #1: exclude (wrong population)"
tm_wait r1 "ann: not-retrieved (#2)"
tm_wait r1 "bob: include (#2)"
tm_keys r1 m
tm_wait r1 "a resolution decides: include or exclude"
tm_keys r1 t
tm_wait r1 "saved #2: not-retrieved"
tm_wait r1 "resolve: all 2 conflicts are decided"
tm_keys r1 q
tm_wait r1 "__EXIT=0__"
expect_eq "$(head -1 cat-ft.log | cut -f3-5)" "stage=ft	role=resolution	reviewer=cat" "resolution log header"
expect_rc 0 winnow-screen export --stage ft --decision exclude --ledger ledger.jsonl ft.jsonl ann-ft.log bob-ft.log cat-ft.log
expect_eq "$(jq -r .id "$T/out" | tr '\n' ' ')" "$(nth_id 1) $(nth_id 3) " "excluded after resolution"
expect_eq "$(tail -1 ledger.jsonl | jq -c '[.state_counts, .not_retrieved, .excluded_by_reason, .resolved]')" \
  '[{"include":1,"exclude":2,"conflict":0,"undecided":0},1,{"wrong population":1,"conference abstract only":1},2]' "ledger counts"
# resuming the resolution: nothing left
tm_start r2 "NO_COLOR=1 winnow-screen resolve --reviewer cat --log cat-ft.log --records ft.jsonl ann-ft.log bob-ft.log cat-ft.log"
tm_wait r2 "resolve: all 2 conflicts are decided"
tm_keys r2 u
tm_wait r2 "undone #2: decide this record again"
tm_wait r2 "[1/2 resolved"
tm_keys r2 i
tm_wait r2 "saved #4: include"
tm_keys r2 q
tm_wait r2 "__EXIT=0__"
done_testing
