#!/usr/bin/env bash
# The README's test command: installs dependencies, builds, and runs every test
# (release build, then an AddressSanitizer + UndefinedBehaviorSanitizer build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh
scripts/verify_units.sh

echo "== release build"
# Release without full debug info, sanitizers with line tables only (-g1): on 2 cores, full
# debug info of Beast-heavy files costs more build time than every test run together.
scripts/build.sh "$root/build"
(cd build && ctest --output-on-failure -j2 --timeout 300)

if [ "${SWITCHYARD_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== ASan + UBSan build"
  BUILD_TYPE=Debug scripts/build.sh "$root/build-asan" -DSWITCHYARD_SANITIZE=ON -DSWITCHYARD_BUILD_BENCHMARKS=OFF \
    -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1"
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     SWITCHYARD_STREAM_TEST_MIB=64 ctest --output-on-failure -j2 --timeout 600)
fi
if [ "${SWITCHYARD_SKIP_FUZZ:-0}" != 1 ]; then
  echo "== fuzzing (60 s per target)"
  scripts/fuzz.sh 60
fi
echo "== all tests passed"
