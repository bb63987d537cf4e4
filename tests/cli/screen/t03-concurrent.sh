#!/usr/bin/env bash
# A second writer on the same decision log is refused with a clear message naming the
# holder, whether it is another prompt or a scripted import; readers still work.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
cd "$T"

printf '%s\tinclude\n' "$(nth_id 1)" "$(nth_id 2)" > answers.tsv
tm_start c1 "NO_COLOR=1 winnow-screen review --reviewer ann --stage ta --log ann.log '$RECORDS'"
tm_wait c1 "[0/50 done"
tm_keys c1 e
tm_wait c1 "saved #1: exclude"
pid=$(tm_pid c1)
before=$(cat ann.log)
expect_rc 1 winnow-screen review --reviewer ann --stage ta --log ann.log --answers answers.tsv "$RECORDS"
expect_contains "$T/err" "winnow-screen: error: decision log 'ann.log' is in use by another process (pid $pid): only one session may write a log at a time" "second writer refused"
expect_eq "$(cat ann.log)" "$before" "the refused writer changed nothing"
# a second prompt is refused the same way
tm_start c2 "NO_COLOR=1 winnow-screen review --reviewer ann --stage ta --log ann.log '$RECORDS'"
tm_wait c2 "is in use by another process (pid $pid)"
tm_wait c2 "__EXIT=1__"
# reading while the session runs is fine (agree never locks)
expect_rc 0 winnow-screen review --reviewer ben --stage ta --log ben.log --answers answers.tsv "$RECORDS"
expect_rc 0 winnow-screen agree ann.log ben.log
expect_contains "$T/out" "records decided by both: 1" "agree reads a log in use"
# after the session ends, the import goes through
tm_keys c1 q
tm_wait c1 "__EXIT=0__"
expect_rc 0 winnow-screen review --reviewer ann --stage ta --log ann.log --answers answers.tsv "$RECORDS"
expect_contains "$T/err" "ann: 2 decisions recorded from 'answers.tsv' (1 changed an earlier one, 0 already recorded)" "import after the session"
# two imports racing: exactly one wins each time, the other is refused, nothing is mixed
for i in 1 2 3; do
  rm -f race.log
  jq -r .id "$RECORDS" | sed 's/$/\tinclude/' > all.tsv
  ( winnow-screen review --reviewer r --stage ta --log race.log --answers all.tsv "$RECORDS" 2>race1.err; echo $? > race1.rc ) &
  ( winnow-screen review --reviewer r --stage ta --log race.log --answers all.tsv "$RECORDS" 2>race2.err; echo $? > race2.rc ) &
  wait
  rcs=$(cat race1.rc race2.rc | sort | tr '\n' ' ')
  CHECKS=$((CHECKS+1))
  case "$rcs" in
    "0 0 "|"0 1 ") ;;
    *) fail "racing imports exited $rcs" ;;
  esac
  expect_rc 0 winnow-screen agree race.log ben.log
  expect_eq "$(tail -n +2 race.log | wc -l | tr -d ' ')" 50 "racing imports wrote each decision once"
done
done_testing
