#!/usr/bin/env bash
# Write errors: a full disk and a failing disk, for the record output (-o, written
# atomically), standard output and the ledger. Expected every time: exit 1, one clear
# message naming what could not be written and why, the previous -o file untouched
# (old content, no temporary left), and a ledger that readers still accept.
#
# Full disk three ways: /dev/full for stdout; a 32 KiB tmpfs when this user may mount
# (root in CI containers); RLIMIT_FSIZE (ulimit -f, with SIGXFSZ ignored, so write(2)
# fails with EFBIG), which needs no privilege. Failing fsync/rename/ledger writes come
# from the LD_PRELOAD shim (tests/shim/faultshim.c).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/robust-lib.sh"

formats=$(winnow-fetch file --list-formats | awk '{print $1}')
printf '%s\n' $formats | grep -qx wos || skip_all "the wos format is not available yet"
# an input whose records (about 60 KB of JSON Lines) do not fit in 32 KiB
for i in $(seq 40); do cat "$ROBUST_DATA/wos-isi2.isi"; done > "$T/big.isi"
expect_rc 0 winnow-fetch file -q -o "$T/ref.jsonl" "$T/big.isi"
expect_eq "$([ "$(wc -c < "$T/ref.jsonl")" -gt 40000 ] && echo yes)" yes "big input makes > 40 KB of records"

# --- stdout on a full disk
winnow-fetch file -q "$T/big.isi" > /dev/full 2>"$T/err"
expect_eq "$?" 1 "stdout to /dev/full: exit status"
expect_contains "$T/err" "No space left on device" "stdout to /dev/full: message"
expect_eq "$(grep -c error: "$T/err")" 1 "stdout to /dev/full: exactly one error message"

# full_disk_case LABEL DIR REASON [WRAPPER...]: -o and --ledger into DIR, which cannot
# hold them
full_disk_case() {
  local label=$1 dir=$2 reason=$3; shift 3
  printf 'OLD' > "$dir/out.jsonl"
  "$@" winnow-fetch file -q -o "$dir/out.jsonl" "$T/big.isi" >/dev/null 2>"$T/err"
  rc=$?
  expect_eq "$rc" 1 "$label -o: exit status"
  expect_contains "$T/err" "$reason" "$label -o: the reason"
  expect_eq "$(cat "$dir/out.jsonl")" OLD "$label -o: previous output untouched"
  expect_eq "$(ls "$dir"/out.jsonl.tmp-* 2>/dev/null | wc -l)" 0 "$label -o: no temporary left"
  crashed "$rc" "$T/err" && fail "$label: crashed"
  # the ledger: a good line first, then a run whose ledger line cannot be written
  rm -f "$dir/out.jsonl"
  expect_rc 0 winnow-fetch file -q --ledger "$dir/ledger.jsonl" "$ROBUST_DATA/wos-isi2.isi"
  "$@" winnow-fetch file -q --ledger "$dir/ledger.jsonl" -o "$dir/filler.jsonl" "$T/big.isi" >/dev/null 2>"$T/err"
  expect_eq "$?" 1 "$label ledger: exit status"
  expect_contains "$T/err" "$reason" "$label ledger: the reason"
  expect_eq "$(head -1 "$dir/ledger.jsonl" | jq -r .status)" ok "$label ledger: earlier line intact"
  expect_rc 0 winnow-fetch file -q --ledger "$T/ledger-check.jsonl" "$ROBUST_DATA/wos-isi2.isi"
}

# --- tmpfs (needs mount; skipped otherwise)
mkdir -p "$T/mnt"
if mount -t tmpfs -o size=32k tmpfs "$T/mnt" 2>/dev/null; then
  trap 'umount "$T/mnt" 2>/dev/null; if [ $FAILED = 0 ]; then rm -rf "$T"; else echo "kept scratch dir: $T"; fi' EXIT
  full_disk_case tmpfs "$T/mnt" "No space left on device"
  # a new ledger on a disk that is already full, then again once there is room
  rm -f "$T/mnt"/*
  dd if=/dev/zero of="$T/mnt/fill" bs=1k count=64 2>/dev/null
  winnow-fetch file -q --ledger "$T/mnt/ledger.jsonl" "$ROBUST_DATA/wos-isi2.isi" >/dev/null 2>"$T/err"
  expect_eq "$?" 1 "tmpfs full: a ledger append that fails fails the run"
  expect_contains "$T/err" "ledger '$T/mnt/ledger.jsonl'" "tmpfs full: message names the ledger"
  rm -f "$T/mnt/fill"
  expect_rc 0 winnow-fetch file -q --ledger "$T/mnt/ledger.jsonl" "$ROBUST_DATA/wos-isi2.isi"
  expect_eq "$(jq -r .status "$T/mnt/ledger.jsonl" 2>/dev/null | tr '\n' ' ')" "ok " "tmpfs: ledger holds exactly the later run"
  umount "$T/mnt"
else
  echo "note: cannot mount a tmpfs here (not root); the RLIMIT_FSIZE case covers the full disk"
fi

# --- RLIMIT_FSIZE: files may not grow past 32 KiB
fsize() { bash -c 'trap "" XFSZ; ulimit -f 32; exec "$@"' fsize "$@"; }
mkdir -p "$T/lim"
full_disk_case rlimit "$T/lim" "File too large" fsize

# --- failing disk calls through the shim
if have_shim; then
  shim() { env $(shim_env) LD_PRELOAD="$SHIM" "$@"; }
  expect_rc 0 winnow-fetch file -q -o "$T/ref-small.jsonl" "$ROBUST_DATA/wos-isi2.isi"
  # io_case LABEL RULE MESSAGE [renamed]: -o out.jsonl over OLD with the rule active;
  # "renamed": the failure comes after the rename, so the new file may be in place -
  # but whole, never half
  io_case() {
    printf 'OLD' > "$T/out.jsonl"
    rm -f "$T"/out.jsonl.tmp-*
    shim WNSHIM_FAIL_IO="$2" winnow-fetch file -q -o "$T/out.jsonl" "$ROBUST_DATA/wos-isi2.isi" >/dev/null 2>"$T/err"
    rc=$?
    expect_eq "$rc" 1 "$1: exit status"
    expect_contains "$T/err" "$3" "$1: message"
    if [ "${4:-}" = renamed ] && cmp -s "$T/out.jsonl" "$T/ref-small.jsonl"; then
      CHECKS=$((CHECKS+1))
    else
      expect_eq "$(cat "$T/out.jsonl")" OLD "$1: previous output untouched"
    fi
    expect_eq "$(ls "$T"/out.jsonl.tmp-* 2>/dev/null | wc -l)" 0 "$1: no temporary left"
  }
  io_case "fsync EIO" "fsync:out.jsonl.tmp-:EIO" "cannot sync"
  io_case "rename EIO" "rename:out.jsonl:EIO" "cannot rename"
  io_case "open EMFILE" "open:wos-isi2:EMFILE" "Too many open files"
  io_case "output dir fsync EIO" "fsync:$(basename "$T")\$:EIO" "cannot sync directory" renamed

  # ledger: a write that stops half-way (disk filling mid-line), then a sync failure
  L=$T/ledger.jsonl
  rm -f "$L"
  expect_rc 0 winnow-fetch file -q --ledger "$L" "$ROBUST_DATA/wos-isi2.isi"
  shim WNSHIM_FAIL_IO="write:ledger.jsonl:ENOSPC+short" \
    winnow-fetch file -q --ledger "$L" "$ROBUST_DATA/wos-isi2.isi" >/dev/null 2>"$T/err"
  expect_eq "$?" 1 "ledger short write: exit status"
  expect_contains "$T/err" "No space left on device" "ledger short write: reason"
  shim WNSHIM_FAIL_IO="fdatasync:ledger.jsonl:EIO" \
    winnow-fetch file -q --ledger "$L" "$ROBUST_DATA/wos-isi2.isi" >/dev/null 2>"$T/err"
  expect_eq "$?" 1 "ledger fdatasync EIO: exit status"
  expect_contains "$T/err" "cannot sync ledger" "ledger fdatasync EIO: message"
  # the next run sets any torn tail aside; readers see only whole entries
  expect_rc 0 winnow-fetch file -q --ledger "$L" "$ROBUST_DATA/wos-isi2.isi"
  expect_eq "$(jq -e -c . "$L" >/dev/null 2>&1 && echo valid)" valid "ledger valid JSON Lines after the failures"
  expect_eq "$(jq -r .status "$L" | head -1)" ok "ledger: first entry kept"
  expect_eq "$(jq -r .status "$L" | tail -1)" ok "ledger: last entry is the clean run"
else
  echo "note: faultshim.so not built; shim cases skipped"
fi
done_testing
