#!/usr/bin/env bash
# Builds ahttpd (Release) and runs it in the foreground on the built-in default configuration:
# HTTP on 127.0.0.1:8088 with /httpstatus and /static enabled. Extra arguments go to ahttpd (e.g. -C file).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
exec ./build/ahttpd "$@"
