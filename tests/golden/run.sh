#!/usr/bin/env bash
# Run one golden case: tests/golden/<tool>/<case>/
#   cmd            shell commands, run in the case directory ($DATA = tests/data)
#   expected.out   expected stdout (required)
#   expected.err   expected stderr (optional; compared when present)
#   expected.rc    expected exit status (optional; default 0)
# WINNOW_UPDATE_GOLDEN=1 rewrites the expected files from the actual run (review the
# diff before committing it).
set -u
case_dir=$1
cd "$case_dir" || exit 2
export DATA="$WINNOW_TESTDATA" WINNOW_TIME=1767225600 NO_COLOR=1 LC_ALL=C.UTF-8
unset WINNOW_LEDGER
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
bash -c "$(cat cmd)" >"$out" 2>"$err"
rc=$?
want_rc=0
[ -f expected.rc ] && want_rc=$(cat expected.rc)
if [ "${WINNOW_UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$out" expected.out
  [ -f expected.err ] && cp "$err" expected.err
  [ "$rc" != 0 ] && echo "$rc" > expected.rc
  exit 0
fi
status=0
if [ "$rc" != "$want_rc" ]; then
  echo "exit status $rc, expected $want_rc"; status=1
fi
if ! diff -u expected.out "$out"; then
  echo "stdout differs from expected.out"; status=1
fi
if [ -f expected.err ] && ! diff -u expected.err "$err"; then
  echo "stderr differs from expected.err"; status=1
fi
if [ $status != 0 ]; then
  echo "--- stderr ---"; head -c 4000 "$err"
fi
exit $status
