#!/usr/bin/env bash
# Write errors on the decision log - the disk fills in the middle of a line, a write
# fails, a sync fails - in answers mode and at the prompt. Expected: exit 1 with a message
# that says the decision was (or may be) not saved; the log never ends in half a line
# (a short write is cut back); no decision confirmed before the failure is lost; and a
# later session resumes to exactly the log of a run that never failed. At the prompt, a
# failed sync stops the session before it says "saved" (fsyncgate: never retried).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/robust-lib.sh"
have_shim || skip_all "faultshim.so not built"
shim() { env $(shim_env) LD_PRELOAD="$SHIM" "$@"; }

export WINNOW_TIME=1767225600
R=$WINNOW_TESTDATA/screen/pubmed50.jsonl
jq -r .id "$R" | head -12 | awk '{ printf "%s\t%s\t%s\n", $0, (NR%3==0 ? "exclude" : (NR%3==1 ? "include" : "maybe")), (NR%3==0 ? "wrong population" : "") }' > "$T/answers.tsv"
review() { winnow-screen review --reviewer alice --stage ta --log "$1" --answers "$T/answers.tsv" "$R"; }
review "$T/ref.log" >/dev/null 2>&1
expect_eq "$?" 0 "reference log"

for rule in "write:run.log\$:ENOSPC+short:5" "write:run.log\$:ENOSPC:3" "write:run.log\$:EIO:12" \
            "fdatasync:run.log\$:EIO:2" "fdatasync:run.log\$:EIO:1" "write:run.log\$:EDQUOT:1"; do
  rm -f "$T/run.log" "$T"/run.log.torn-*
  shim WNSHIM_FAIL_IO="$rule" winnow-screen review --reviewer alice --stage ta --log "$T/run.log" \
    --answers "$T/answers.tsv" "$R" >/dev/null 2>"$T/err"
  rc=$?
  crashed $rc "$T/err" && fail "$rule: crashed"
  expect_eq "$rc" 1 "$rule: exit status"
  expect_contains "$T/err" "decision log '$T/run.log'" "$rule: the message names the log"
  # a failure on a decision says it may not be saved; one on the new log's header (the
  # first write or sync) says the log could not be written
  grep -qE "not (be )?saved|cannot (write|sync) decision log" "$T/err" ||
    fail "$rule: the message does not say what was not saved"
  CHECKS=$((CHECKS+1))
  if [ -s "$T/run.log" ]; then
    expect_eq "$(tail -c 1 "$T/run.log" | od -An -c | tr -d ' ')" '\n' "$rule: the log ends with a whole line"
  fi
  review "$T/run.log" >/dev/null 2>"$T/err"
  expect_eq "$?" 0 "$rule: a later session resumes"
  expect_eq "$(cmp -s "$T/run.log" "$T/ref.log" && echo same)" same "$rule: every decision there once, as if nothing had failed"
done

# at the prompt: the third sync (header, decision 1, decision 2) fails
if command -v tmux >/dev/null; then
  S="winnow-robust-$$"
  tmk() { tmux -L "$S" "$@"; }
  trap 'tmk kill-server >/dev/null 2>&1; if [ $FAILED = 0 ]; then rm -rf "$T"; else echo "kept scratch dir: $T"; fi' EXIT
  unset TMUX
  rm -f "$T/tty.log"
  tmk new-session -d -s p -x 100 -y 40 \
    "cd '$T' && env PATH='$PATH' LC_ALL=C.UTF-8 TERM=xterm-256color NO_COLOR=1 $(shim_env | tr '\n' ' ') LD_PRELOAD='$SHIM' WNSHIM_FAIL_IO='fdatasync:tty.log\$:EIO:3' winnow-screen review --reviewer bob --stage ta --log tty.log '$R'; echo __EXIT=\$?__; sleep 600"
  for i in $(seq 600); do tmk capture-pane -p -t p | grep -q "done" && break; sleep 0.05; done
  tmk send-keys -t p i
  for i in $(seq 600); do tmk capture-pane -p -t p | grep -q "saved #1" && break; sleep 0.05; done
  tmk send-keys -t p i
  for i in $(seq 600); do tmk capture-pane -p -t p -S -100 | grep -q "__EXIT=" && break; sleep 0.05; done
  screen=$(tmk capture-pane -p -t p -S -100)
  expect_contains <(printf '%s\n' "$screen") "__EXIT=1__" "prompt: a failed sync ends the session with exit 1"
  expect_contains <(printf '%s\n' "$screen") "could not sync decision log" "prompt: the reviewer is told"
  expect_not_contains <(printf '%s\n' "$screen") "saved #2" "prompt: the unsynced decision is never shown as saved"
  expect_eq "$([ "$(grep -c $'\tinclude\t' "$T/tty.log")" -ge 1 ] && echo yes)" yes "prompt: the confirmed decision #1 is in the log"
  winnow-screen review --reviewer bob --stage ta --log "$T/tty.log" --answers /dev/null "$R" >/dev/null 2>"$T/err"
  expect_eq "$?" 0 "prompt: the log reopens"
fi
done_testing
