#!/usr/bin/env bash
# The README's first command: install the Debian packages, build, and run the bundled
# offline example review end to end (fetch -> dedup -> filter -> screen -> prisma).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev -j"$(nproc)"
exec examples/run.sh
