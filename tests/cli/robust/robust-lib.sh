# Helpers for the robustness scenarios (docs/robustness.md). Source after ../lib.sh.
#
# The fault-injection loops follow SQLite's and curl's torture tests: run a command once
# to count its allocations, then once for every N failing the Nth, and check what the
# user would see each time (see check_failed_run).

SHIM="$WINNOW_BIN/faultshim.so"
ROBUST_DATA="$WINNOW_TESTDATA/robust"

# 1 under ASan/UBSan builds (slower: loops sample instead of trying every N)
sanitized() { [ -n "${WINNOW_SANITIZE:-}" ]; }

# The preload shim works with gcc's dynamic ASan runtime once ASan is told not to insist
# on coming first. Leaks inside json-c/libxml2/zlib on their own out-of-memory paths are
# theirs, not winnow's: tests/shim/lsan-thirdparty.supp.
shim_env() {
  if sanitized; then
    echo "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
    echo "LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$WINNOW_SRC/tests/shim/lsan-thirdparty.supp"
  else
    echo "WNSHIM_UNUSED=0"
  fi
}
have_shim() { [ -f "$SHIM" ]; }

# A crash, a sanitizer report or an abort, as opposed to an orderly failure.
# crashed RC ERRFILE -> 0 if it crashed
crashed() {
  [ "$1" -ge 128 ] && [ "$1" != 141 ] && return 0
  grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|Segmentation|Aborted|double free|corrupted' "$2" && return 0
  return 1
}

# count_allocs CMD... -> prints libwinnow's allocation count for a clean run
count_allocs() {
  WINNOW_ALLOC_COUNT=1 "$@" 2>&1 >/dev/null | sed -n 's/^winnow: allocations: //p' | tail -1
}
# count_lib_allocs CMD... -> prints the shim's count of json-c/libxml2/zlib allocations
count_lib_allocs() {
  env $(shim_env) LD_PRELOAD="$SHIM" WNSHIM_LIBALLOC_COUNT=1 "$@" 2>&1 >/dev/null |
    sed -n 's/^faultshim: library allocations: //p' | tail -1
}

# The N values to try out of 1..COUNT: all of them, or about MAX spread evenly
# (always including 1, 2 and COUNT) when there are more.
sample_ns() {
  local count=$1 max=$2 step n
  if [ "$count" -le "$max" ]; then seq 1 "$count"; return; fi
  step=$(( (count + max - 1) / max ))
  { echo 1; echo 2; seq 3 "$step" "$count"; echo "$count"; } | sort -nu
}

# check_failed_run LABEL RC OUT_FILE REF_FILE ERR_FILE SENTINEL
# One run under an injected failure, with `-o OUT_FILE` over a file that held SENTINEL:
#   - no crash, no sanitizer report;
#   - exit 0: the output is complete and identical to the clean run's;
#   - otherwise exit 1 (2 and 3 are not about memory), a message saying "out of memory"
#     (or what failed), and OUT_FILE not half written: still the sentinel (or, when the
#     failure came after the commit, the whole new output - noted), no temporary left.
# MSG_RE (optional 7th argument) is the message expected on failure.
check_failed_run() {
  local label=$1 rc=$2 out=$3 ref=$4 err=$5 sentinel=$6 msg=${7:-out of memory}
  CHECKS=$((CHECKS+1))
  if crashed "$rc" "$err"; then
    fail "$label: crashed (exit $rc)"; sed 's/^/  | /' "$err" | head -30 >&2; return 1
  fi
  if [ "$rc" = 0 ]; then
    if ! cmp -s "$out" "$ref"; then
      fail "$label: exit 0 but the output differs from the clean run (silent loss)"
      diff "$ref" "$out" | head -5 >&2; return 1
    fi
    return 0
  fi
  if [ "$rc" != 1 ]; then
    fail "$label: exit $rc, expected 1"; sed 's/^/  | /' "$err" | head -5 >&2; return 1
  fi
  if ! grep -qE -- "$msg" "$err"; then
    fail "$label: exit 1 without a message matching '$msg'"; sed 's/^/  | /' "$err" | head -5 >&2; return 1
  fi
  if [ "$(cat "$out")" != "$sentinel" ]; then
    if cmp -s "$out" "$ref"; then
      # whole, not corrupt: the failure came after the commit (e.g. printing a summary)
      echo "note: $label: exit 1 after the output was already replaced (whole)"
    else
      fail "$label: failed run left a changed, incomplete output file"; return 1
    fi
  fi
  if ls "$out".tmp-* >/dev/null 2>&1; then
    fail "$label: temporary output file left behind: $(ls "$out".tmp-*)"; return 1
  fi
  return 0
}

# The ledger must stay valid JSON Lines whatever happened to the run.
check_ledger_valid() {
  local ledger=$1 label=$2
  [ -f "$ledger" ] || return 0
  CHECKS=$((CHECKS+1))
  if ! jq -e -c . "$ledger" >/dev/null 2>&1; then
    fail "$label: ledger '$ledger' is no longer valid JSON Lines"; tail -c 400 "$ledger" >&2
  fi
}

# use_fast_dir: $F becomes a scratch directory on a tmpfs when there is one (removed at
# exit), else $T. The decision log fdatasync's every decision, which on a real disk makes
# loops of hundreds of runs take minutes.
use_fast_dir() {
  F=$T
  if [ -w /dev/shm ] && F=$(mktemp -d /dev/shm/winnow-robust.XXXXXX 2>/dev/null); then
    trap 'rm -rf "$F"; if [ $FAILED = 0 ]; then rm -rf "$T"; else echo "kept scratch dir: $T"; fi' EXIT
  else
    F=$T
  fi
}

skip_all() { echo "skip: $TEST_NAME: $*"; exit 0; }
