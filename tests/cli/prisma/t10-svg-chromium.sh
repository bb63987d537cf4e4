#!/usr/bin/env bash
# The SVG diagram in a real browser: headless Chromium renders it, and svgcheck.py checks
# the screenshot (boxes drawn where the SVG says, text inside them, nothing running over
# a border) and the geometry (every line fits its box by the real metrics of the font the
# browser uses; readable across A4). A diagram with a line that overflows must fail both.
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
check="python3 $here/svgcheck.py"
data="$WINNOW_TESTDATA/prisma"
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { fail "chromium is not installed (scripts/install-deps.sh --test installs it)"; done_testing; }

shot() { # SVG PNG
  local w h
  w=$(sed -n 's/^<svg [^>]* width="\([0-9]*\)".*/\1/p' "$1")
  h=$(sed -n 's/^<svg [^>]* height="\([0-9]*\)".*/\1/p' "$1")
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$T/chromium" \
    --hide-scrollbars --force-device-scale-factor=1 --window-size="$w,$h" \
    --screenshot="$2" "file://$1" >"$T/chromium.log" 2>&1
}

n=0
for case in "basic.ledger" "other.ledger --previous-studies 12 --previous-reports 15" \
            "stress.ledger --previous-studies 1000 --previous-reports 1500"; do
  n=$((n+1))
  svg="$T/d$n.svg"
  (cd "$data" && winnow-prisma -q --ledger $case --svg "$svg" >/dev/null)
  expect_eq "$?" 0 "winnow-prisma --ledger $case"
  expect_rc 0 $check geometry "$svg"
  expect_contains "$T/out" "text lines checked" "geometry of $case"
  shot "$svg" "$T/d$n.png"
  expect_eq "$?" 0 "chromium screenshot of $case"
  expect_rc 0 $check pixels "$svg" "$T/d$n.png"
  expect_contains "$T/out" "boxes checked" "pixels of $case"
done

# negative control: a line that overflows its box must be caught by both checks
python3 - "$T/d1.svg" "$T/bad.svg" <<'PY'
import sys
s = open(sys.argv[1]).read()
s = s.replace('>Records screened (n\u00a0=\u00a098)</text>',
              '>Records screened (n\u00a0=\u00a098) and a great deal more text than fits</text>')
open(sys.argv[2], 'w').write(s)
PY
expect_rc 1 $check geometry "$T/bad.svg"
expect_contains "$T/out" "records_screened" "geometry catches the overflow"
shot "$T/bad.svg" "$T/bad.png"
expect_rc 1 $check pixels "$T/bad.svg" "$T/bad.png"
expect_contains "$T/out" "records_screened" "the screenshot shows the overflow"

# a blank image is not a diagram
python3 - "$T/d1.png" "$T/blank.png" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
w, h = struct.unpack('>II', d[16:24])
raw = b''.join(b'\x00' + b'\xff' * (w * 3) for _ in range(h))
def chunk(t, b): return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
open(sys.argv[2], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
                              + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
PY
expect_rc 1 $check pixels "$T/d1.svg" "$T/blank.png"
expect_contains "$T/out" "blank" "a blank screenshot fails"
done_testing
