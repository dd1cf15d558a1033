#!/usr/bin/env bash
# Candidate command for ../shared/perf/peers.sh: renders a switchyard-proxy config from the
# harness's PERF_* variables (95/5 split between PERF_STABLE and PERF_CANARY, inline measurement
# and an armed guard, as a user would run it) and execs the proxy.
# Usage: ../shared/perf/peers.sh --name switchyard --candidate "exec $PWD/benchmarks/perf_candidate.sh"
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
conf="${PERF_DIR:-/tmp}/switchyard-perf.yaml"
"$root/benchmarks/bench_config.sh" "127.0.0.1:${PERF_LISTEN_PORT}" 127.0.0.1:0 "${PERF_STABLE}" "${PERF_CANARY}" \
  "${PERF_WORKERS}" "${PERF_W_STABLE}" "${PERF_W_CANARY}" >"$conf"
exec "${SWITCHYARD_PROXY:-$root/build/bin/switchyard-proxy}" --config "$conf"
