#!/usr/bin/env bash
# kill -9 while decisions are being recorded:
#   - at every exact point, through the shim (WNSHIM_KILL): before, in the middle of and
#     after the write of each of the 50 decision lines, and after each fdatasync - every
#     decision whose sync had returned must be in the log, the complete lines must be a
#     prefix of an uninterrupted run's log, and resuming must give exactly that log;
#   - at random moments (kill -9 from outside), over and over, in answers mode: 50 decisions from a TSV; after each kill the log must be a valid
#     prefix of the log of an uninterrupted run (plus at most one torn line), and resuming
#     must give exactly that log - nothing lost, nothing doubled, nothing damaged;
#   - at the prompt (tmux): keys pressed while the process is killed at a random moment;
#     every decision the screen had confirmed ("saved #k") must be in the log.
. "$(dirname "$0")/lib.sh"

export WINNOW_TIME=1767225600
R=$WINNOW_TESTDATA/screen/pubmed50.jsonl
jq -r .id "$R" | awk '{ printf "%s\t%s\t%s\n", $0, (NR%3==0 ? "exclude" : (NR%3==1 ? "include" : "maybe")), (NR%3==0 ? "wrong population" : "") }' > "$T/answers.tsv"
review() { winnow-screen review --reviewer alice --stage ta --log "$1" --answers "$T/answers.tsv" "$R"; }
review "$T/ref.log" >/dev/null 2>&1
expect_eq "$(grep -c $'\tpubmed:' "$T/ref.log")" 50 "reference: 50 decisions"
# how long an uninterrupted run takes, to spread the kills over it
t0=$(date +%s%N); review "$T/timing.log" >/dev/null 2>&1; t1=$(date +%s%N)
span=$(( (t1 - t0) / 1000000 + 20 ))
echo "an uninterrupted run takes about $((span - 20)) ms"

# check_resume LABEL: the complete lines of run.log are a prefix of ref.log; resuming
# gives exactly ref.log
check_resume() {
  local size good goodbytes
  size=$(wc -c < "$T/run.log" 2>/dev/null || echo 0)
  good=$(tr -cd "\n" < "$T/run.log" 2>/dev/null | wc -c)
  goodbytes=$(head -n "$good" "$T/run.log" 2>/dev/null | wc -c)
  CHECKS=$((CHECKS+1))
  if ! cmp -s <(head -c "$goodbytes" "$T/run.log") <(head -c "$goodbytes" "$T/ref.log"); then
    fail "$1: the log's complete lines are not a prefix of the uninterrupted log"; return 1
  fi
  review "$T/run.log" >/dev/null 2>"$T/err"
  CHECKS=$((CHECKS+1))
  if [ $? != 0 ] || ! cmp -s "$T/run.log" "$T/ref.log"; then
    fail "$1: resuming does not give the uninterrupted log"; sed 's/^/  | /' "$T/err" | head -3; return 1
  fi
}

if have_shim; then
  bad=0 points=0
  nstep=1
  sanitized && nstep=5
  for N in $(seq 1 $nstep 51); do
    for when in write:before write:half write:after fdatasync:after; do
      [ $bad -ge 3 ] && break 2
      rm -f "$T/run.log" "$T"/run.log.torn-*
      env $(shim_env) LD_PRELOAD="$SHIM" WNSHIM_KILL="${when%%:*}:run.log\$:$N:${when#*:}" \
        winnow-screen review --reviewer alice --stage ta --log "$T/run.log" --answers "$T/answers.tsv" "$R" >/dev/null 2>"$T/err"
      rc=$?
      # answers mode syncs once at the end (nothing is confirmed before the summary):
      # there are fewer syncs than writes
      [ $rc = 0 ] && [ "${when%%:*}" = fdatasync ] && continue
      [ $rc = 137 ] || { fail "kill at ${when} #$N: exit $rc, not killed"; bad=$((bad+1)); continue; }
      points=$((points+1))
      if [ "$when" = fdatasync:after ] && [ $N -ge 2 ]; then
        # the final sync returned: all 50 answers are confirmed
        have=$(grep -c $'\tpubmed:' "$T/run.log")
        expect_eq "$have" 50 "kill after the final sync: every answer in the log"
      fi
      check_resume "kill at ${when} #$N" || bad=$((bad+1))
    done
  done
  echo "exact points: $points kills at write/sync boundaries checked"
fi

landed=0 partial=0
for round in $(seq "$ROUNDS"); do
  rm -f "$T/run.log" "$T"/run.log.torn-*
  # several kills into the same log before it is finished
  for k in 1 2 3; do
    kill_after $(( RANDOM % span )) review "$T/run.log"
    [ "$KILLED" = 1 ] && landed=$((landed+1))
    crashed_msg=$(grep -E 'AddressSanitizer|runtime error' "$T/kerr")
    [ -z "$crashed_msg" ] || fail "round $round: sanitizer report: $crashed_msg"
    [ -f "$T/run.log" ] || continue
    size=$(wc -c < "$T/run.log")
    # the complete lines are a prefix of the reference, byte for byte
    good=$(tr -cd "\n" < "$T/run.log" | wc -c)
    goodbytes=$(head -n "$good" "$T/run.log" | wc -c)
    CHECKS=$((CHECKS+1))
    if ! cmp -s <(head -c "$goodbytes" "$T/run.log") <(head -c "$goodbytes" "$T/ref.log"); then
      fail "round $round kill $k: the log's complete lines are not a prefix of the uninterrupted log"
      diff <(head -n "$good" "$T/run.log") <(head -n "$good" "$T/ref.log") | head -4
    fi
    [ "$goodbytes" -lt "$size" ] && partial=$((partial+1))
  done
  review "$T/run.log" >/dev/null 2>"$T/err"
  CHECKS=$((CHECKS+1))
  if [ $? != 0 ] || ! cmp -s "$T/run.log" "$T/ref.log"; then
    fail "round $round: resuming after kill -9 does not give the uninterrupted log"
    sed 's/^/  | /' "$T/err" | head -3; diff "$T/ref.log" "$T/run.log" | head -4
  fi
done
echo "answers mode: $ROUNDS rounds, $landed kills landed mid-run, $partial left a torn line"
expect_eq "$([ $landed -gt 0 ] && echo yes)" yes "at least one kill landed while decisions were being written"

# --- at the prompt
if command -v tmux >/dev/null; then
  S="winnow-crash-$$"
  tmk() { tmux -L "$S" "$@"; }
  trap 'tmk kill-server >/dev/null 2>&1; if [ $FAILED = 0 ]; then rm -rf "$T"; else echo "kept scratch dir: $T"; fi' EXIT
  unset TMUX
  # a session that lives as long as the test: killing the last test session would make
  # the server exit while the next one is being started ("server exited unexpectedly")
  tmk new-session -d -s keeper "sleep 3600"
  # exact: the prompt syncs every decision before it says "saved"; kill right after the
  # Nth sync returned - the N-1 decisions synced after the header must all be there
  if have_shim; then
    for N in 2 3 7 12; do
      rm -f "$T/tty.log"
      tmk new-session -d -s x$N -x 100 -y 40 \
        "cd '$T' && env PATH='$PATH' LC_ALL=C.UTF-8 TERM=xterm-256color NO_COLOR=1 $(shim_env | tr '\n' ' ') LD_PRELOAD='$SHIM' WNSHIM_KILL='fdatasync:tty.log\$:$N:after' winnow-screen review --reviewer bob --stage ta --log tty.log '$R'; echo __EXIT=\$?__; sleep 600"
      for i in $(seq 600); do tmk capture-pane -p -t x$N | grep -q "done" && break; sleep 0.05; done
      for i in $(seq 15); do tmk send-keys -t x$N i; done
      for i in $(seq 600); do tmk capture-pane -p -t x$N | grep -q "__EXIT=" && break; sleep 0.05; done
      tmk capture-pane -p -t x$N -S -200 > "$T/pane-x$N.txt"
      expect_contains "$T/pane-x$N.txt" "__EXIT=137__" "prompt: killed at sync #$N (screen: pane-x$N.txt)"
      have=$(grep -c $'\tpubmed:' "$T/tty.log" 2>/dev/null)
      expect_eq "$([ "${have:-0}" -ge $((N - 1)) ] && echo yes)" yes "prompt: kill after sync #$N: the $((N - 1)) synced decisions are in the log ($have)"
      tmk kill-session -t x$N
    done
  fi
  for round in $(seq $(( (ROUNDS + 2) / 3 ))); do
    rm -f "$T/tty.log"
    tmk new-session -d -s p$round -x 100 -y 40 \
      "cd '$T' && env PATH='$PATH' LC_ALL=C.UTF-8 TERM=xterm-256color NO_COLOR=1 WINNOW_TIME=$WINNOW_TIME winnow-screen review --reviewer bob --stage ta --log tty.log '$R'; echo __EXIT=\$?__; sleep 600"
    for i in $(seq 600); do tmk capture-pane -p -t p$round | grep -q "done" && break; sleep 0.05; done
    # a stream of decisions; the kill comes at a random moment during it
    keys=$(( 5 + RANDOM % 30 ))
    for i in $(seq $keys); do tmk send-keys -t p$round $([ $((i % 2)) = 0 ] && echo i || echo e); done
    sleep "$(awk -v m=$(( RANDOM % 400 )) 'BEGIN{printf "%.3f", m / 1000}')"
    pid=$(pgrep -P "$(tmk display -p -t p$round '#{pane_pid}')" -f winnow-screen | head -1)
    [ -n "$pid" ] && kill -9 "$pid"
    for i in $(seq 600); do tmk capture-pane -p -t p$round | grep -q "__EXIT=" && break; sleep 0.05; done
    # (the screen is kept in the scratch dir, which a failing run leaves behind)
    tmk capture-pane -p -t p$round -S -200 > "$T/pane-p$round.txt"
    seen=$(sed -n 's/.*saved #\([0-9]*\):.*/\1/p' "$T/pane-p$round.txt" | tail -1)
    have=$(grep -c $'\tpubmed:' "$T/tty.log" 2>/dev/null)
    CHECKS=$((CHECKS+1))
    [ "${have:-0}" -ge "${seen:-0}" ] || fail "prompt round $round: the screen confirmed #$seen, the log has $have decisions (screen: pane-p$round.txt)"
    # and the log is readable: resuming from it works
    winnow-screen review --reviewer bob --stage ta --log "$T/tty.log" --answers /dev/null "$R" >/dev/null 2>"$T/err"
    expect_eq "$?" 0 "prompt round $round: the log reopens after kill -9"
    echo "prompt round $round: $keys keys, confirmed #${seen:-0}, $have in the log"
    tmk kill-session -t p$round
  done
else
  echo "note: tmux not installed; prompt rounds skipped"
fi
done_testing
