#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang) and runs each for SECONDS (default 60) on its
# corpus fuzz/corpus/<target>/. New interesting inputs go to a scratch directory; FUZZ_SAVE=1
# merges them into the repository's corpus. A crash fails the script and leaves its reproducer
# (crash-*) in build-fuzz/artifacts/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
build="$root/build-fuzz"
cmake -S "$root/fuzz" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$build" -j"${FUZZ_JOBS:-2}"

mkdir -p "$build/artifacts"
for target in request_head_fuzz config_loader_fuzz; do
  corpus="$root/fuzz/corpus/$target"
  scratch="$build/found/$target"
  mkdir -p "$scratch"
  echo "== fuzz $target for ${seconds}s"
  # detect_leaks: yaml-cpp and Beast allocate nothing that outlives an input; a leak is a bug.
  status=0
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/$target" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" "$scratch" "$corpus" \
      >"$build/$target.log" 2>&1 || status=$?
  grep -E "^(Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|invariant|loaded, yet)" \
    "$build/$target.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$build/$target.log" >&2
    echo "fuzz: $target failed (exit $status); reproducers in $build/artifacts/" >&2
    exit 1
  fi
  if [ "${FUZZ_SAVE:-0}" = 1 ]; then
    "$build/$target" -merge=1 "$corpus" "$scratch" >/dev/null 2>&1
    echo "fuzz: merged new inputs into fuzz/corpus/$target"
  fi
done
