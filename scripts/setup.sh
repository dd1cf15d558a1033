#!/usr/bin/env bash
# Installs everything Switchyard needs to build, test and run its demo on Debian 12.
# Idempotent: packages already present are skipped quickly. Run as root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libyaml-cpp-dev libspdlog-dev libfmt-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libtcmalloc-minimal4  # switchyard-proxy's allocator (proxy/CMakeLists.txt)
  curl openssl python3 python3-prometheus-client python3-yaml wrk
  sqlite3  # docs/operations.md: the backup example (tests/docs runs every doc example)
  prometheus  # promtool: tests/deploy checks deploy/prometheus (the service is not needed)
  clang libclang-rt-14-dev
  chromium  # the dashboard's browser test (tests/dashboard; Node.js with npm must be on PATH too)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present"
fi
