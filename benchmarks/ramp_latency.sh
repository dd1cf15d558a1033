#!/usr/bin/env bash
# ramp_latency.sh: the latency of a proxy's first busy seconds, switchyard-proxy against HAProxy.
#
# A fresh proxy per round (one worker/thread pinned to CPU 0; wrk and an nginx upstream serving
# both versions on CPU 1) gets a 64-connection warm-up, then the slice that is measured: the first
# one at 256 connections, during which the proxy opens ~200 more upstream connections and its
# descriptor count passes 256 and 512; then a second 256-connection slice for comparison. This is
# what ../shared/perf/peers.sh's first slice of a cell sees. It caught the worker stalls of 10-20 ms
# that growing the kernel's descriptor table caused in a threaded process (see
# common/fd_limit.hpp and docs/performance.md): p99 of the first slice 21-24 ms before, 7-10 after.
# Only ratios within one run mean anything.
#
# Needs wrk, haproxy and nginx from Debian: apt-get install wrk haproxy nginx-light
# usage: benchmarks/ramp_latency.sh [-r ROUNDS] [-d SECONDS]   (SWITCHYARD_BIN=build/bin)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SWITCHYARD_BIN:-$root/build/bin}
rounds=3 seconds=2
while getopts "r:d:" opt; do
  case $opt in
    r) rounds=$OPTARG ;;
    d) seconds=$OPTARG ;;
    *) sed -n 2,14p "$0"; exit 2 ;;
  esac
done
for tool in wrk haproxy nginx taskset; do
  command -v $tool >/dev/null || { echo "ramp_latency.sh: $tool is missing (apt-get install wrk haproxy nginx-light)" >&2; exit 2; }
done
[ -x "$bin/switchyard-proxy" ] || { echo "ramp_latency.sh: no $bin/switchyard-proxy (scripts/build.sh)" >&2; exit 2; }

work=$(mktemp -d /tmp/sy-ramp.XXXXXX)
pids=()     # the upstreams
proxy=""    # the proxy of the current round
stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
cleanup() {
  [ -z "$proxy" ] || stop_pid "$proxy"
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT

. "$root/benchmarks/ports.sh"

# The upstreams are one nginx (as in ../shared/perf/peers.sh): a fixed answer per version.
stable=$(free_port) canary=$(free_port) port=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/upstream.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/upstream.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 10000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server { listen 127.0.0.1:$stable backlog=4096; location / { return 200 "ok-blue\n"; } }
  server { listen 127.0.0.1:$canary backlog=4096; location / { return 200 "ok-green\n"; } }
}
CONF
taskset -c 1 nginx -c "$work/upstream.conf" -p "$work/nginx" >"$work/upstream.log" 2>&1 &
pids+=($!)
wait_port "$stable"
wait_port "$canary"
# nginx's own first connections are not the proxies' to pay for: warm it up directly.
taskset -c 1 wrk -t1 -c256 -d1s "http://127.0.0.1:$stable/" >/dev/null

"$root/benchmarks/bench_config.sh" "127.0.0.1:$port" 127.0.0.1:0 "127.0.0.1:$stable" "127.0.0.1:$canary" 1 \
  >"$work/switchyard.yaml"
cat >"$work/haproxy.cfg" <<CFG
global
  nbthread 1
  maxconn 8000
defaults
  mode http
  timeout connect 5s
  timeout client 75s
  timeout server 75s
  option http-keep-alive
  http-reuse always
frontend fe
  bind 127.0.0.1:$port
  default_backend be
backend be
  balance roundrobin
  server stable 127.0.0.1:$stable weight 95
  server canary 127.0.0.1:$canary weight 5
CFG
cat >"$work/percentiles.lua" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.stderr:write(string.format("%.0f %.2f %.2f %.2f %.2f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000, errors))
end
LUA
slice() {  # slice CONNS: prints "rps p50 p99 p99.9 max errors" (ms)
  taskset -c 1 wrk -t1 -c"$1" -d"${seconds}s" -s "$work/percentiles.lua" "http://127.0.0.1:$port/" 2>&1 >/dev/null | tail -1
}

printf '%-6s %-10s %8s %7s %7s %7s %7s %6s   %s\n' round proxy rps p50 p99 p99.9 max errors "(second slice: rps p99 max)"
for round in $(seq "$rounds"); do
  for name in switchyard haproxy; do
    if [ "$name" = switchyard ]; then
      taskset -c 0 "$bin/switchyard-proxy" --config "$work/switchyard.yaml" --log-level warn >"$work/$name.log" 2>&1 &
    else
      taskset -c 0 haproxy -db -f "$work/haproxy.cfg" >"$work/$name.log" 2>&1 &
    fi
    proxy=$!
    wait_port "$port"
    slice 64 >/dev/null
    read -r rps p50 p99 p999 max errors < <(slice 256)
    read -r rps2 _ p99b _ maxb _ < <(slice 256)
    printf '%-6s %-10s %8s %7s %7s %7s %7s %6s   %s %s %s\n' "$round" "$name" "$rps" "$p50" "$p99" "$p999" "$max" \
      "$errors" "$rps2" "$p99b" "$maxb"
    stop_pid "$proxy"
    proxy=""
  done
done
