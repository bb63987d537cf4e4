#!/usr/bin/env bash
# Install the Debian packages winnow needs.
#   scripts/install-deps.sh           build and run (compiler, CMake, the libraries)
#   scripts/install-deps.sh --test    also what the test suite uses (tmux for the prompt,
#                                     Chromium to look at the SVG, valgrind, Python for
#                                     the stand-in E-utilities server, clang for fuzzing)
#   scripts/install-deps.sh --bench   also what the benchmarks compare against
set -euo pipefail
pkgs=(build-essential cmake pkg-config
      libjson-c-dev libutf8proc-dev libxml2-dev libxxhash-dev libcurl4-openssl-dev
      zlib1g-dev libdeflate-dev libsqlite3-dev)
for a in "$@"; do
  case $a in
    --test) pkgs+=(python3 tmux valgrind clang libclang-rt-14-dev chromium fonts-dejavu-core sqlite3 jq time) ;;
    --bench) pkgs+=(python3 hyperfine ncbi-entrez-direct jq time bc) ;;
    *) echo "usage: $0 [--test] [--bench]" >&2; exit 2 ;;
  esac
done
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
