#!/usr/bin/env bash
# kill -9 during `winnow-fetch pubmed --save-raw DIR -o FILE` against the stand-in
# E-utilities server (tests/http/eutils_server.py), at random moments and at exact
# points (before/after the write and the rename of a saved response and of the manifest).
# Afterwards: the -o file is the old one or whole, never half; DIR is consistent - every
# response its manifest names is whole (gzip -t), `winnow-fetch file DIR` replays it
# without error - and rerunning the fetch completes it: exactly the records of an
# uninterrupted fetch, each once.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip_all "python3 is needed for the stand-in server"
. "$WINNOW_SRC/tests/cli/pubmed/server.sh"
export WINNOW_EUTILS_NO_DELAY=1

start_server --no-rate-limit
winnow-fetch pubmed asthma --batch 20 -q -o "$T/ref.jsonl" 2>"$T/err"
expect_eq "$?" 0 "reference fetch"
refn=$(lines "$T/ref.jsonl")
expect_eq "$([ "$refn" -gt 100 ] && echo yes)" yes "reference has > 100 records ($refn)"
jq -c 'del(.origin)' "$T/ref.jsonl" | sort > "$T/ref.sorted"

# check LABEL: the state after a kill, then the resume
check_after_kill() {
  local label=$1 f
  CHECKS=$((CHECKS+1))
  if [ "$(cat "$T/out.jsonl")" != OLD ] && ! cmp -s <(jq -c 'del(.origin)' "$T/out.jsonl" 2>/dev/null | sort) "$T/ref.sorted"; then
    fail "$label: out.jsonl is half written ($(wc -c < "$T/out.jsonl") bytes)"
  fi
  if [ -f "$T/raw/manifest.jsonl" ]; then
    for f in $(jq -r '.file // empty' "$T/raw/manifest.jsonl" 2>/dev/null); do
      CHECKS=$((CHECKS+1))
      gzip -t "$T/raw/$f" 2>/dev/null || fail "$label: the manifest names '$f', which is not a whole gzip file"
    done
    winnow-fetch file -q "$T/raw" > "$T/replay.jsonl" 2>"$T/err"
    rc=$?
    CHECKS=$((CHECKS+1))
    [ $rc = 0 ] || { fail "$label: replaying the interrupted directory fails ($rc)"; sed 's/^/  | /' "$T/err" | head -3; }
  fi
  # resume: complete, each record once
  printf 'OLD' > "$T/out.jsonl"
  winnow-fetch pubmed asthma --batch 20 -q --save-raw "$T/raw" -o "$T/out.jsonl" 2>"$T/err"
  rc=$?
  CHECKS=$((CHECKS+1))
  if [ $rc != 0 ] || ! cmp -s <(jq -c 'del(.origin)' "$T/out.jsonl" | sort) "$T/ref.sorted"; then
    fail "$label: resuming does not give the records of an uninterrupted fetch (exit $rc)"
    sed 's/^/  | /' "$T/err" | head -3
  fi
}

if have_shim; then
  # exact points: the 1st/3rd saved response and the manifest, before/half/after
  for point in write:000003-efetch:1:half write:manifest.jsonl:3:half write:manifest.jsonl:4:before \
               rename:000002-efetch:1:before rename:000002-efetch:1:after fdatasync:manifest.jsonl:2:after \
               rename:out.jsonl:1:before rename:out.jsonl:1:after; do
    rm -rf "$T/raw"; printf 'OLD' > "$T/out.jsonl"
    env $(shim_env) LD_PRELOAD="$SHIM" WNSHIM_KILL="$point" \
      winnow-fetch pubmed asthma --batch 20 -q --save-raw "$T/raw" -o "$T/out.jsonl" >/dev/null 2>"$T/err"
    rc=$?
    if [ $rc != 137 ]; then
      echo "note: $point was never reached (exit $rc)"; continue
    fi
    check_after_kill "kill at $point"
  done
fi

# random moments, with the server's rate limit on so that a fetch takes a few seconds
start_server
t0=$(date +%s%N); winnow-fetch pubmed asthma --batch 20 -q -o "$T/timing.jsonl" 2>/dev/null; t1=$(date +%s%N)
span=$(( (t1 - t0) / 1000000 ))
landed=0
for round in $(seq $(( (ROUNDS + 1) / 2 ))); do
  rm -rf "$T/raw"; printf 'OLD' > "$T/out.jsonl"
  kill_after $(( RANDOM % span )) winnow-fetch pubmed asthma --batch 20 -q --save-raw "$T/raw" -o "$T/out.jsonl"
  [ "$KILLED" = 1 ] && landed=$((landed+1))
  grep -qE 'AddressSanitizer|runtime error' "$T/kerr" && fail "round $round: sanitizer report"
  check_after_kill "random kill round $round"
done
echo "random kills: $landed landed during a $span ms fetch"
done_testing
