#!/usr/bin/env bash
# kill -9 in the middle of a session: every decision the screen confirmed is in the log,
# the log is valid, and the next session resumes. Other signals restore the terminal.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
cd "$T"

tm_start k1 "NO_COLOR=1 winnow-screen review --reviewer bob --stage ta --log bob.log '$RECORDS'"
tm_wait k1 "[0/50 done"
for k in 1 2 3 4 5; do
  tm_keys k1 i
  tm_wait k1 "saved #$k: include"
done
# then a burst of keys without waiting, and kill -9 while they are being handled
for k in 1 2 3 4 5 6 7 8 9 10 11 12; do tm_keys k1 e; done
seen=$(tm_capture k1 | sed -n 's/.*saved #\([0-9]*\):.*/\1/p' | tail -1)
pid=$(tm_pid k1)
expect_eq "$([ -n "$pid" ] && echo yes)" yes "found the prompt's process"
kill -9 "$pid"
tm_wait k1 "__EXIT=137__"
decisions=$(tail -n +2 bob.log | grep -c -P '\t(include|exclude)\t')
CHECKS=$((CHECKS+1))
[ "$decisions" -ge "$seen" ] || fail "the screen confirmed #$seen but the log has $decisions decisions"
[ "$decisions" -ge 5 ] || fail "fewer than the 5 awaited decisions in the log ($decisions)"
# the log is whole: agree reads it without a warning about a torn line
expect_rc 0 winnow-screen review --reviewer carl --stage ta --log carl.log --answers /dev/null "$RECORDS"
expect_rc 0 winnow-screen agree bob.log carl.log
expect_not_contains "$T/err" "incomplete" "no torn line after kill -9"
expect_contains "$T/out" "decided by only one reviewer: $decisions (bob only $decisions, carl only 0)" "agree counts every saved decision"

# resume after the crash
tm kill-session -t k1
tm_start k2 "NO_COLOR=1 winnow-screen review --reviewer bob --stage ta --log bob.log '$RECORDS'"
tm_wait k2 "resuming: $decisions of 50 already decided by bob"
tm_wait k2 "$(nth_title $((decisions + 1)))"
tm_keys k2 i
tm_wait k2 "saved #$((decisions + 1)): include"
tm_keys k2 q
tm_wait k2 "__EXIT=0__"

# TERM, INT and HUP from outside: the terminal is restored before the process ends
for sig in TERM INT HUP; do
  tm kill-session -t "s$sig" 2>/dev/null
  tm_start "s$sig" "winnow-screen review --reviewer bob --stage ta --log bob.log '$RECORDS'; echo; stty -a | tr ' ' '\n' | grep -x -e echo -e icanon | sort | tr '\n' ,; echo"
  tm_wait "s$sig" "waiting]"
  pid=$(tm_pid "s$sig")
  kill -"$sig" "$pid"
  tm_wait "s$sig" "echo,icanon,"
done
# the log is still valid after all of it
expect_rc 0 winnow-screen agree bob.log carl.log
expect_not_contains "$T/err" "damaged" "log valid after the signals"
done_testing
