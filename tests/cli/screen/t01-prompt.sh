#!/usr/bin/env bash
# The prompt in a real terminal: decide, note, label, undo, back, quit, resume; the log
# holds exactly what the screen said was saved.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
cd "$T"

t1=$(nth_title 1); t2=$(nth_title 2); t3=$(nth_title 3)
tm_start s1 "NO_COLOR=1 winnow-screen review --reviewer alice --stage ta --log alice.log '$RECORDS'"
tm_wait s1 "$t1"
tm_wait s1 "[0/50 done: include 0, exclude 0, maybe 0 | 50 waiting]"
tm_wait s1 "i include  e exclude  m maybe  r reason  n note  l label  u undo  b back  s skip  ? help  q quit"
expect_eq "$(grep -c . alice.log 2>/dev/null || echo 0)" 1 "only the header before any key"
tm_keys s1 i
tm_wait s1 "saved #1: include"
tm_wait s1 "$t2"
tm_wait s1 "[1/50 done: include 1, exclude 0, maybe 0 | 49 waiting]"
# a note is saved at once, before any decision on the record
tm_keys s1 n
tm_wait s1 "note (Enter saves, Esc cancels):"
tm_keys s1 "reads like a review" Enter
tm_wait s1 "saved #2: note"
tm_wait s1 "notes: reads like a review"
tm_keys s1 l
tm_wait s1 "labels (comma-separated"
tm_keys s1 "pilot, sauropods" Enter
tm_wait s1 "saved #3: labels"
tm_wait s1 "labels: pilot, sauropods"
tm_keys s1 e
tm_wait s1 "saved #4: exclude"
tm_wait s1 "$t3"
tm_keys s1 m
tm_wait s1 "saved #5: maybe"
tm_wait s1 "[3/50 done: include 1, exclude 1, maybe 1 | 47 waiting]"
# undo retracts the last decision and shows that record again
tm_keys s1 u
tm_wait s1 "undone #5: decide this record again"
tm_wait s1 "$t3"
tm_wait s1 "[2/50 done: include 1, exclude 1, maybe 0 | 48 waiting]"
# the undone record is in front again: back goes to the one before it, forward returns
tm_keys s1 b
tm_wait s1 "your decision: exclude (#4)"
tm_keys s1 s
tm_wait s1 "your decision: not decided"
tm_wait s1 "$t3"
tm_keys s1 i
tm_wait s1 "saved #7: include"
# back shows the previous record with its decision; a new decision changes it
tm_keys s1 b
tm_wait s1 "looking back"
tm_wait s1 "your decision: include (#7)"
tm_keys s1 b
tm_wait s1 "your decision: exclude (#4)"
tm_keys s1 i
tm_wait s1 "saved #8: include - changed"
tm_wait s1 "[3/50 done: include 3, exclude 0, maybe 0 | 47 waiting]"
# an unknown key says so; help lists the keys and returns
tm_keys s1 z
tm_wait s1 "'z' is not a key here"
tm_keys s1 '?'
tm_wait s1 "Keys (title/abstract stage"
tm_wait s1 "retract your last decision"
tm_keys s1 x
tm_wait s1 "[3/50 done:"
# not-retrieved belongs to the full-text stage
tm_keys s1 t
tm_wait s1 "not retrieved is a full-text decision"
tm_keys s1 q
tm_wait s1 "__EXIT=0__"
tm_wait s1 "alice: 5 decisions saved to 'alice.log' this session; 47 of 50 records"

# the log says exactly that
expect_eq "$(cut -f1,3,4,5,6,7,8 alice.log | tail -n +2 | tr '\t' ' ')" \
"1 alice $(nth_id 1) include - - -
2 alice $(nth_id 2) note - - reads like a review
3 alice $(nth_id 2) label - pilot, sauropods -
4 alice $(nth_id 2) exclude - - -
5 alice $(nth_id 3) maybe - - -
6 alice $(nth_id 3) undo 5 - -
7 alice $(nth_id 3) include - - -
8 alice $(nth_id 2) include - - -" "decision log after the session"

# resume: decided records are not asked again; back reaches the earlier session
tm kill-session -t s1
tm_start s2 "NO_COLOR=1 winnow-screen review --reviewer alice --stage ta --log alice.log '$RECORDS'"
tm_wait s2 "resuming: 3 of 50 already decided by alice"
tm_wait s2 "$(nth_title 4)"
tm_wait s2 "[3/50 done: include 3, exclude 0, maybe 0 | 47 waiting]"
tm_keys s2 b
tm_wait s2 "your decision: include (#8)"
tm_keys s2 s
tm_wait s2 "$(nth_title 4)"
# skip leaves a record for later: the next one comes first
tm_keys s2 s
tm_wait s2 "skipped: it comes back later"
tm_wait s2 "$(nth_title 5)"
tm_keys s2 C-d
tm_wait s2 "__EXIT=0__"

# the terminal is back in cooked mode after the session
tm kill-session -t s2
tm_start s3 "winnow-screen review --reviewer alice --stage ta --log alice.log '$RECORDS' </dev/null; stty -a | tr ' ' '\n' | grep -x -e echo -e icanon -e isig | sort | tr '\n' ,"
tm_wait s3 "[3/50 done"
tm_keys s3 q
tm_wait s3 "echo,icanon,isig,"
done_testing
