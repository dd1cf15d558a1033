#!/usr/bin/env bash
# The README's main command: installs dependencies, builds, then runs the demo — two demo
# backends (blue, green) behind switchyard-proxy with a 90/10 split, then switchyard-controller
# rolling out a healthy v2 (promoted to 100%) and a faulty v3 (rolled back) — until Ctrl-C.
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
  # The controller's instances outlive it on purpose (re-adopted after a restart): stop the ones
  # its log says it started, if they still run the demo backend.
  if [ -f "$run/controller.log" ]; then
    for pid in $(grep -o 'started shop-[^ ]* #[0-9]* pid [0-9]*' "$run/controller.log" | awk '{print $NF}'); do
      grep -qs switchyard-demo-backend "/proc/$pid/cmdline" && kill -TERM "$pid" 2>/dev/null || true
    done
  fi
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
# --- the controller: a canary of a healthy v2, then of a faulty v3 that is rolled back ---------
rm -f "$run"/controller.db*
"$bin/switchyard-controller" --config demo/config/demo-controller.yaml >"$run/controller.log" 2>&1 & pids+=($!)
api=http://127.0.0.1:9900
for _ in $(seq 100); do
  curl -fsS -o /dev/null "$api/healthz" 2>/dev/null && break
  sleep 0.1
done
curl -fsS -o /dev/null "$api/healthz" || { echo "demo: controller did not start:"; cat "$run/controller.log"; exit 1; }
echo
echo "== controller on $api (dashboard: $api/); putting all of route shop on blue, then rolling out new versions"
curl -fsS -o /dev/null -X PUT http://127.0.0.1:9901/v1/routes/shop/weights -d '{"blue":100,"green":0}'

# Synthetic traffic through the proxy for as long as the demo runs, so that every canary step
# has figures to be judged on and the dashboard's charts move: a rate that swells and ebbs over
# a minute or two (roughly 20 to 45 requests/s), each request a new client (a new cohort).
( i=0
  while :; do
    curl -s -o /dev/null http://127.0.0.1:8080/ || true
    i=$(( (i + 1) % 3000 ))
    phase=$(( i < 1500 ? i : 3000 - i ))            # 0..1500..0
    sleep "0.0$(( 45 - phase * 33 / 1500 ))"       # 45 ms .. 12 ms between requests
  done ) & pids+=($!)

field() { grep -o "\"$1\":[^,}]*" | head -1 | cut -d: -f2- | tr -d '"'; }

# rollout VERSION: starts it (CLI when built, else the API) and prints its progress until it ends.
rollout() {
  local version=$1
  if [ -x "$bin/switchyard" ]; then
    "$bin/switchyard" rollout start shop --env demo --version "$version" || true
  else
    curl -sS -X POST "$api/v1/rollouts" -d "{\"app\":\"shop\",\"env\":\"demo\",\"version\":\"$version\"}"; echo
  fi
  local id
  id=$(curl -fsS "$api/v1/rollouts?app=shop&env=demo&limit=1" | field id)
  local last="" line body result
  for _ in $(seq 600); do
    body=$(curl -fsS "$api/v1/rollouts/$id/live" 2>/dev/null || true)
    line="state=$(echo "$body" | field state) step=$(echo "$body" | field step_index) $version weight=$(echo "$body" | field weight)%"
    [ "$line" != "$last" ] && echo "   rollout $id: $line   split now: $(echo "$body" | grep -o '"weights":{[^}]*}')"
    last=$line
    result=$(echo "$body" | field result)
    if [ -n "$result" ] && [ "$result" != "null" ]; then
      echo "   rollout $id: $result — $(echo "$body" | field reason)"
      return
    fi
    sleep 0.5
  done
  echo "   rollout $id: still running after 5 minutes"
}

echo "== canary of healthy v2 (steps 10/50/100, 3 s each):"
rollout v2
echo "== canary of faulty v3 (half of its answers are 500s):"
rollout v3
echo "== 20 requests through the proxy now:"
for _ in $(seq 20); do curl -s http://127.0.0.1:8080/; done | sort | uniq -c
echo "(controller API $api/v1/rollouts, log in .demo/controller.log)"
cat <<TXT

Dashboard: $api/
  the split of route shop, live request rate / error rate / p99 per version, the rollouts above
  with their steps and events, and promote / pause / resume / abort buttons. Synthetic traffic
  keeps flowing until the demo stops${DEMO_SECONDS:+ (in $DEMO_SECONDS s)}; try another rollout:
  build/bin/switchyard rollout start shop --env demo --version v4
TXT

if [ -n "${DEMO_SECONDS:-}" ]; then
  sleep "$DEMO_SECONDS"
else
  wait "${pids[2]}"
fi
