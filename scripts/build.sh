#!/usr/bin/env bash
# build.sh [DIR] [extra cmake args...]: configure (Ninja, ccache) and build everything into DIR
# (default build/). BUILD_TYPE defaults to Release at -O2 (GCC 12's -O3 raises false -Wrestrict
# warnings, which -Werror turns into errors).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/build}
shift || true
cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" \
  -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" "$@" >/dev/null
cmake --build "$dir" -j "$(nproc)"
