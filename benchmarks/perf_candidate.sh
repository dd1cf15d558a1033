#!/usr/bin/env bash
# Candidate command for ../shared/perf/peers.sh: renders a switchyard-proxy config from the
# harness's PERF_* variables (95/5 split between PERF_STABLE and PERF_CANARY, inline measurement
# and an armed guard, as a user would run it) and execs the proxy.
# Usage: ../shared/perf/peers.sh --name switchyard --candidate "exec $PWD/benchmarks/perf_candidate.sh"
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
conf="${PERF_DIR:-/tmp}/switchyard-perf.yaml"
cat >"$conf" <<YAML
listeners:
  - address: 127.0.0.1:${PERF_LISTEN_PORT}
admin:
  address: 127.0.0.1:0
workers: ${PERF_WORKERS}
upstreams:
  - name: stable
    endpoints: [${PERF_STABLE}]
  - name: canary
    endpoints: [${PERF_CANARY}]
routes:
  - name: bench
    split:
      - { version: stable, upstream: stable, weight: ${PERF_W_STABLE} }
      - { version: canary, upstream: canary, weight: ${PERF_W_CANARY} }
    guard: { revert_to: stable, window_ms: 10000, min_requests: 20, max_error_rate: 0.05 }
YAML
exec "${SWITCHYARD_PROXY:-$root/build/bin/switchyard-proxy}" --config "$conf"
