#!/usr/bin/env bash
# The README's main command: installs dependencies, builds, then runs the demo — two demo
# backends (blue, green) behind switchyard-proxy with a 90/10 split — until Ctrl-C.
# DEMO_SECONDS=N stops it by itself after N seconds (used by CI to check that the demo works).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh
scripts/build.sh "$root/build"
bin=$root/build/bin
run=$root/.demo
mkdir -p "$run"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

"$bin/switchyard-demo-backend" --port 18081 --name blue >"$run/blue.log" 2>&1 & pids+=($!)
"$bin/switchyard-demo-backend" --port 18082 --name green >"$run/green.log" 2>&1 & pids+=($!)
"$bin/switchyard-proxy" --config demo/config/demo-proxy.yaml >"$run/proxy.log" 2>&1 & pids+=($!)

for _ in $(seq 100); do
  curl -fsS -o /dev/null http://127.0.0.1:9901/healthz 2>/dev/null && break
  sleep 0.1
done
curl -fsS -o /dev/null http://127.0.0.1:9901/healthz || { echo "demo: proxy did not start:"; cat "$run/proxy.log"; exit 1; }

echo "== 100 requests through the proxy (each a new client, so a new cohort):"
for _ in $(seq 100); do curl -s http://127.0.0.1:8080/; done | sort | uniq -c

cat <<'TXT'

Switchyard demo is running (logs in .demo/):
  proxy       http://127.0.0.1:8080/        (route "shop": blue 90 / green 10, sticky cookie sy_cohort)
  admin API   http://127.0.0.1:9901/v1/routes
  backends    blue http://127.0.0.1:18081/   green http://127.0.0.1:18082/

Try:
  curl http://127.0.0.1:8080/                                       # blue or green
  curl -H 'x-switchyard-version: green' http://127.0.0.1:8080/      # pin a version
  curl -X PUT http://127.0.0.1:9901/v1/routes/shop/weights -d '{"blue":50,"green":50}'
  curl -X POST http://127.0.0.1:9901/v1/routes/shop/revert          # everything back to blue
  curl -X PUT http://127.0.0.1:18082/admin/faults -d '{"error_rate":0.5}'   # break green

Ctrl-C stops everything.
TXT
if [ -n "${DEMO_SECONDS:-}" ]; then
  sleep "$DEMO_SECONDS"
else
  wait "${pids[2]}"
fi
