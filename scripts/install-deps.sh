#!/usr/bin/env bash
# Installs the Debian 12 packages ahttpd needs to build and test (only those missing). Needs root or sudo.
# Usage: scripts/install-deps.sh [--bench]   (--bench adds wrk, nginx and h2o for bench/)
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang
  libboost-dev libssl-dev libfmt-dev nlohmann-json3-dev libsqlite3-dev sqlite3
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-pytest python3-requests python3-websockets
  curl netcat-openbsd openssl procps
  chromium
)
# Node.js and npm: any installation will do (NodeSource's nodejs bundles npm and conflicts with Debian's npm).
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(wrk nginx-light h2o)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
install_node_clients() {
  # The npm clients the e2e tests and bench/websocket.sh drive (asterisk-manager, playwright-core, ws), pinned by
  # package-lock.json.
  local dir=tests/e2e/node
  if [[ ! -d $dir/node_modules/asterisk-manager || ! -d $dir/node_modules/playwright-core ||
        ! -d $dir/node_modules/ws ]]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
if ((${#missing[@]} == 0)); then
  install_node_clients
  exit 0
fi

echo "Installing: ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
install_node_clients
