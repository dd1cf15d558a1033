#!/usr/bin/env bash
# load_compare.sh: switchyard-proxy side by side with HAProxy and nginx under wrk, on this machine.
#
# Every proxy gets one worker/thread pinned to CPU 0 and the same work: a 95/5 split between two
# switchyard-demo-backend upstreams over keep-alive connections (switchyard with its inline
# measurement and an armed guard, as users run it). wrk and the backends share CPU 1. Cells are
# interleaved (round 1: every proxy, round 2: every proxy, ...) so that a slow moment of the VM
# hits all of them alike; the table shows medians over the rounds and the ratio to HAProxy.
# Only ratios within one run mean anything.
#
# Needs wrk, haproxy and (optionally) nginx from Debian: apt-get install wrk haproxy nginx-light
# usage: benchmarks/load_compare.sh [-d SECONDS] [-c "64 256"] [-r ROUNDS]   (SWITCHYARD_BIN=build/bin)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SWITCHYARD_BIN:-$root/build/bin}
seconds=3 conns="64 256" rounds=3
while getopts "d:c:r:" opt; do
  case $opt in
    d) seconds=$OPTARG ;;
    c) conns=$OPTARG ;;
    r) rounds=$OPTARG ;;
    *) sed -n 2,12p "$0"; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "load_compare.sh: wrk is missing (apt-get install wrk)" >&2; exit 2; }
[ -x "$bin/switchyard-proxy" ] || { echo "load_compare.sh: no $bin/switchyard-proxy (scripts/build.sh)" >&2; exit 2; }

work=$(mktemp -d /tmp/sy-compare.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT

. "$root/benchmarks/ports.sh"
start() {  # start NAME CPU CMD...: runs CMD pinned to CPU, output in $work/NAME.log
  local name=$1 cpu=$2; shift 2
  taskset -c "$cpu" "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
}

stable=$(free_port) canary=$(free_port)
start stable 1 "$bin/switchyard-demo-backend" --name stable --port "$stable"
start canary 1 "$bin/switchyard-demo-backend" --name canary --port "$canary"
wait_port "$stable"
wait_port "$canary"

names=()
declare -A port_of
add_proxy() { names+=("$1"); port_of[$1]=$2; }

port=$(free_port)
"$root/benchmarks/bench_config.sh" "127.0.0.1:$port" 127.0.0.1:0 "127.0.0.1:$stable" "127.0.0.1:$canary" 1 \
  >"$work/switchyard.yaml"
start switchyard 0 "$bin/switchyard-proxy" --config "$work/switchyard.yaml" --log-level warn
wait_port "$port"
add_proxy switchyard "$port"

if command -v haproxy >/dev/null; then
  port=$(free_port)
  cat >"$work/haproxy.cfg" <<CFG
global
  nbthread 1
  maxconn 4096
defaults
  mode http
  timeout connect 1s
  timeout client 60s
  timeout server 60s
  option http-keep-alive
  http-reuse always
frontend bench
  bind 127.0.0.1:$port
  default_backend versions
backend versions
  balance random
  server stable 127.0.0.1:$stable weight 95
  server canary 127.0.0.1:$canary weight 5
CFG
  start haproxy 0 haproxy -f "$work/haproxy.cfg"
  wait_port "$port"
  add_proxy haproxy "$port"
else
  echo "load_compare.sh: haproxy not installed: no HAProxy column (apt-get install haproxy)" >&2
fi

if command -v nginx >/dev/null; then
  port=$(free_port)
  cat >"$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  upstream versions {
    server 127.0.0.1:$stable weight=95;
    server 127.0.0.1:$canary weight=5;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://versions;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
CONF
  start nginx 0 nginx -c "$work/nginx.conf" -p "$work"
  wait_port "$port"
  add_proxy nginx "$port"
fi

# One wrk cell: prints "rps p50_ms p99_ms errors".
cell() {
  taskset -c 1 wrk -t1 -c"$2" -d"${seconds}s" --latency "http://127.0.0.1:$1/" 2>&1 | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Socket errors/ { gsub(",", ""); errors += $4 + $6 + $8 + $10 }
    /Non-2xx/ { errors += $5 }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, errors }'
}

for name in "${names[@]}"; do cell "${port_of[$name]}" 16 >/dev/null; done  # warm-up
for c in $conns; do
  for round in $(seq "$rounds"); do
    for name in "${names[@]}"; do
      echo "$c $name $(cell "${port_of[$name]}" "$c")" >>"$work/cells"
    done
    echo "connections $c: round $round/$rounds done" >&2
  done
done

echo
echo "wrk -t1, ${seconds}s per cell, $rounds interleaved rounds; medians; each proxy on one pinned core"
python3 - "$work/cells" <<'PY'
import statistics, sys
cells = {}
for line in open(sys.argv[1]):
    c, name, rps, p50, p99, errors = line.split()
    cells.setdefault((int(c), name), []).append((float(rps), float(p50), float(p99), int(errors)))
print(f"{'conns':>5} {'proxy':<11} {'rps':>9} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'vs haproxy':>10}")
for c in sorted({c for c, _ in cells}):
    base = cells.get((c, "haproxy"))
    base_rps = statistics.median(r[0] for r in base) if base else None
    for (cc, name), runs in sorted(cells.items(), key=lambda kv: kv[0][1]):
        if cc != c:
            continue
        rps = statistics.median(r[0] for r in runs)
        ratio = f"{rps / base_rps:.2f}" if base_rps else "-"
        print(f"{c:>5} {name:<11} {rps:>9.0f} {statistics.median(r[1] for r in runs):>7.2f} "
              f"{statistics.median(r[2] for r in runs):>7.2f} {sum(r[3] for r in runs):>6} {ratio:>10}")
PY
