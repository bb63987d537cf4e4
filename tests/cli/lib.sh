# Shared helpers for shell scenario tests (a small subset of git's test-lib).
# Source it first: . "$(dirname "$0")/../lib.sh"
# Each test gets a fresh scratch directory $T, removed on success, kept on failure.
set -u
: "${WINNOW_BIN:?run through ctest}"
export PATH="$WINNOW_BIN:$PATH" NO_COLOR=1 LC_ALL=C.UTF-8
unset WINNOW_LEDGER
TEST_NAME=$(basename "$0" .sh)
mkdir -p "$WINNOW_TEST_TMP"
T=$(mktemp -d "$WINNOW_TEST_TMP/$TEST_NAME.XXXXXX")
FAILED=0
CHECKS=0
trap 'if [ $FAILED = 0 ]; then rm -rf "$T"; else echo "kept scratch dir: $T"; fi' EXIT

fail() { echo "FAIL: $*" >&2; FAILED=1; }
# expect_eq ACTUAL EXPECTED MESSAGE
expect_eq() { CHECKS=$((CHECKS+1)); [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"; }
# expect_rc EXPECTED CMD...   (runs CMD, stdout to $T/out, stderr to $T/err)
expect_rc() {
  local want=$1; shift
  CHECKS=$((CHECKS+1))
  "$@" >"$T/out" 2>"$T/err"; local rc=$?
  if [ "$rc" != "$want" ]; then
    fail "'$*' exited $rc, expected $want"; sed 's/^/  stderr: /' "$T/err" | head -20 >&2
  fi
}
# expect_contains FILE TEXT MESSAGE
expect_contains() { CHECKS=$((CHECKS+1)); grep -qF -- "$2" "$1" || { fail "$3: '$2' not in $1"; sed 's/^/  | /' "$1" | head -20 >&2; }; }
expect_not_contains() { CHECKS=$((CHECKS+1)); ! grep -qF -- "$2" "$1" || fail "$3: '$2' unexpectedly in $1"; }
# count lines of a file
lines() { wc -l < "$1" | tr -d ' '; }
have_shared() { [ -d "$WINNOW_SHARED/samples" ]; }
done_testing() {
  if [ $FAILED = 0 ]; then echo "ok: $TEST_NAME ($CHECKS checks)"; exit 0; fi
  exit 1
}
