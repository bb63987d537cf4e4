#!/usr/bin/env bash
# The bundled offline example review (placeholder until every stage has landed).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/dev/bin
"$bin/winnow" --version
