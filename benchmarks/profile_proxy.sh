#!/usr/bin/env bash
# profile_proxy.sh [BUILD_DIR] [SECONDS]: instruction profile of switchyard-proxy on the perf
# harness's workload (one worker, 95/5 split, armed guard, keep-alive GETs of a small body).
# Runs the proxy under `valgrind --tool=callgrind` (instruction counts do not depend on how busy
# the machine is, unlike wall-clock profiles), drives it with wrk, and prints instructions per
# request and the functions that spend them (inclusive and self).
# Build with debug info for readable names: cmake -DCMAKE_CXX_FLAGS_RELEASE="-O2 -g -DNDEBUG".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-prof}
seconds=${2:-20}
out=${PROFILE_DIR:-$(mktemp -d /tmp/sy-profile.XXXXXX)}
mkdir -p "$out"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# start LOG CMD...: runs CMD in the background with its output in LOG (its PID joins `pids`).
start() {
  local log=$1; shift
  "$@" >"$log" 2>&1 &
  pids+=($!)
}

# address_in LOG: waits (20 s at most) for a "listening on H:P" line in LOG and prints H:P.
address_in() {
  for _ in $(seq 200); do
    local address
    address=$(grep -o 'listening on [0-9.:]*' "$1" | head -1 | awk '{print $3}') || true
    if [[ -n $address ]]; then echo "$address"; return 0; fi
    sleep 0.1
  done
  echo "profile_proxy.sh: no 'listening on' line in $1:" >&2; cat "$1" >&2; return 1
}

start "$out/stable.log" "$build/bin/switchyard-demo-backend" --name stable --port 0
start "$out/canary.log" "$build/bin/switchyard-demo-backend" --name canary --port 0
stable=$(address_in "$out/stable.log")
canary=$(address_in "$out/canary.log")
"$root/benchmarks/bench_config.sh" 127.0.0.1:0 127.0.0.1:0 "$stable" "$canary" 1 >"$out/proxy.yaml"
start "$out/proxy.log" env ${PROFILE_PRELOAD:+LD_PRELOAD=$PROFILE_PRELOAD} valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" \
  "$build/bin/switchyard-proxy" --config "$out/proxy.yaml" --log-level warn
proxy=$(address_in "$out/proxy.log")
admin=$(grep -o 'admin on [0-9.:]*' "$out/proxy.log" | awk '{print $3}')
# Warm up (pools, code paths), then reset the counters so that only the measured run counts.
wrk -t1 -c16 -d2s "http://$proxy/" >/dev/null
callgrind_control --zero "${pids[-1]}" >/dev/null
before=$(curl -s "http://$admin/metrics" | awk '/^switchyard_requests_total/ {s += $2} END {print s + 0}')
wrk -t1 -c64 -d"${seconds}s" "http://$proxy/" | tee "$out/wrk.txt"
after=$(curl -s "http://$admin/metrics" | awk '/^switchyard_requests_total/ {s += $2} END {print s + 0}')
callgrind_control --dump "${pids[-1]}" >/dev/null
sleep 1
dump=$(ls -t "$out"/callgrind.out.* | head -1)  # the --dump above (callgrind.out is the exit dump)
requests=$((after - before))
total=$(callgrind_annotate "$dump" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "requests measured: $requests"
echo "instructions: $total"
if [[ $requests -gt 0 ]]; then echo "instructions per request: $((total / requests))"; fi
# Template arguments make Beast/Asio names unreadable: drop them; keep the 60 costliest entries.
readable() { sed -n '/file:function/,$p' | sed -E 's/ \[[^]]*\]$//; :a; s/<[^<>]*>//g; ta' | head -62 | cut -c1-200; }
echo "--- self cost (exclusive)"
callgrind_annotate --inclusive=no --auto=no --threshold=100 "$dump" 2>/dev/null | readable || true
echo "--- inclusive cost"
callgrind_annotate --inclusive=yes --auto=no --threshold=100 "$dump" 2>/dev/null | readable || true
echo "profile data: $out"
