#!/usr/bin/env bash
# bench_config.sh LISTEN ADMIN STABLE CANARY [WORKERS] [W_STABLE] [W_CANARY]: prints the proxy
# configuration every benchmark here measures, as users run it: a split between two upstreams
# (95/5 by default) with inline measurement and an armed guard. Addresses are host:port.
set -euo pipefail
listen=$1 admin=$2 stable=$3 canary=$4 workers=${5:-1} w_stable=${6:-95} w_canary=${7:-5}
cat <<YAML
listeners:
  - address: $listen
admin:
  address: $admin
workers: $workers
upstreams:
  - { name: stable, endpoints: [$stable] }
  - { name: canary, endpoints: [$canary] }
routes:
  - name: bench
    split:
      - { version: stable, upstream: stable, weight: $w_stable }
      - { version: canary, upstream: canary, weight: $w_canary }
    guard: { revert_to: stable, window_ms: 10000, min_requests: 20, max_error_rate: 0.05 }
YAML
