#!/usr/bin/env bash
# A closed pipe (`| head`): every stage that writes records to stdout must stop quietly
# with the status of SIGPIPE (141), as `git log | head` does - no "broken pipe" error,
# no "cannot write" message - and must not hang. Also SIGPIPE ignored by the parent (as
# in some CI runners and Python subprocesses): then write(2) returns EPIPE, and the tool
# must still end quietly (141 via re-raised SIGPIPE or its fallback).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/robust-lib.sh"

formats=$(winnow-fetch file --list-formats | awk '{print $1}')
printf '%s\n' $formats | grep -qx wos || skip_all "the wos format is not available yet"
# about 600 KB of records: far more than a pipe buffer
for i in $(seq 400); do cat "$ROBUST_DATA/wos-isi2.isi"; done > "$T/big.isi"
winnow-fetch file -q "$T/big.isi" > "$T/big.jsonl"
expect_eq "$?" 0 "big input imports"
expect_eq "$([ "$(lines "$T/big.jsonl")" -gt 1000 ] && echo yes)" yes "big stream has > 1000 records"

# pipe_case LABEL CMD...: CMD | head -c 100; check CMD's status and stderr
pipe_case() {
  local label=$1; shift
  ( "$@" 2>"$T/err" | head -c 100 >/dev/null; echo "${PIPESTATUS[0]}" > "$T/status" )
  expect_eq "$(cat "$T/status")" 141 "$label: killed by SIGPIPE (141)"
  expect_eq "$(grep -cE 'error|warning' "$T/err")" 0 "$label: nothing on stderr about the pipe"
  crashed "$(cat "$T/status")" "$T/err" && fail "$label: crashed"
}
# a decision log with one decision, so that `screen export --decision undecided` streams
# every other record
printf '%s\tinclude\t\n' "$(head -1 "$T/big.jsonl" | jq -r .id)" > "$T/answers.tsv"
winnow-screen review --reviewer alice --stage ta --log "$T/alice.log" --answers "$T/answers.tsv" \
  "$T/big.jsonl" >/dev/null 2>&1
expect_eq "$?" 0 "a one-decision log"

ign() { bash -c 'trap "" PIPE; exec "$@"' ign "$@"; }
for wrap in "" ign; do
  w=${wrap:+", SIGPIPE ignored"}
  pipe_case "fetch file$w" $wrap winnow-fetch file -q "$T/big.isi"
  pipe_case "dedup$w" $wrap winnow-dedup -q "$T/big.jsonl"
  pipe_case "screen export$w" $wrap winnow-screen export --stage ta --decision undecided "$T/big.jsonl" "$T/alice.log"
  if command -v winnow-export >/dev/null; then
    pipe_case "export ris$w" $wrap winnow-export --format ris "$T/big.jsonl"
  fi
done
done_testing
