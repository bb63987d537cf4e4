# Helpers for the kill -9 scenarios of tests/crash/ (docs/robustness.md). Source first.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/../cli/robust/robust-lib.sh"
# reproducible randomness: CRASH_SEED=n reruns a failing sequence
CRASH_SEED=${CRASH_SEED:-$(( $(date +%s) % 32768 ))}
RANDOM=$CRASH_SEED
echo "crash seed: $CRASH_SEED (CRASH_SEED=$CRASH_SEED to repeat)"
ROUNDS=${CRASH_ROUNDS:-12}
sanitized && ROUNDS=${CRASH_ROUNDS:-4}

# kill_after MS CMD...: start CMD in the background, kill -9 it after MS milliseconds
# (if still running). Sets KILLED=1 when the kill landed, RC to CMD's status.
kill_after() {
  local ms=$1; shift
  "$@" >"$T/kout" 2>"$T/kerr" &
  local pid=$!
  sleep "$(awk -v m="$ms" 'BEGIN{printf "%.3f", m / 1000}')"
  KILLED=0
  if kill -9 "$pid" 2>/dev/null; then KILLED=1; fi
  wait "$pid" 2>/dev/null
  RC=$?
}
