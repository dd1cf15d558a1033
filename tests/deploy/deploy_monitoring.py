"""deploy/prometheus and deploy/grafana: promtool checks and unit tests of the alerting rules,
the dashboard's structure and queries, and every metric name they use scraped from a real
proxy and controller."""
import json
import os
import re
import select
import socket
import subprocess
import tempfile
import time
import urllib.request

from deploy_common import Checks, need_tool, run

# SPEC §5 and docs/analytics.md: the dashboard shows every family.
SPEC_FAMILIES = [
    "switchyard_requests_total", "switchyard_request_duration_seconds_bucket", "switchyard_upstream_errors_total",
    "switchyard_route_weight", "switchyard_guard_trips_total", "switchyard_endpoint_healthy",
    "switchyard_connections_active", "switchyard_config_reloads_total",
    "switchyard_controller_rollouts_in_progress", "switchyard_controller_rollouts_total",
    "switchyard_controller_drift_active",
]
# Grafana's variables, replaced by values PromQL accepts before promtool checks a query.
GRAFANA_VARS = {"$__rate_interval": "5m", "$__range": "1h", "$__interval": "1m", "$instance": ".*", "$route": ".*"}
NAME = re.compile(r"\b(switchyard_[a-z0-9_]+|up)\b(?!\s*\()")


def paths(root):
    return (os.path.join(root, "deploy", "prometheus"), os.path.join(root, "deploy", "grafana", "switchyard.json"))


def dashboard_queries(dashboard):
    return [(p["title"], t["expr"]) for p in dashboard["panels"] for t in p.get("targets", [])]


def alert_queries(text):
    """The `expr:` of every rule of alerts.yml (one-line or block scalars), without YAML."""
    exprs, current = [], None
    for line in text.splitlines():
        stripped = line.strip()
        if current is not None:
            if stripped and len(line) - len(line.lstrip()) > current[0]:
                current[1].append(stripped)
                continue
            exprs.append(" ".join(current[1]))
            current = None
        if stripped.startswith("expr:"):
            value = stripped[len("expr:"):].strip()
            if value == "|":
                current = (len(line) - len(line.lstrip()), [])
            else:
                exprs.append(value)
    if current is not None:
        exprs.append(" ".join(current[1]))
    return exprs


def check_prometheus(args):
    promtool = need_tool("promtool")
    checks = Checks("prometheus")
    directory, dashboard_path = paths(args.root)
    for command in (["check", "rules", "alerts.yml"], ["test", "rules", "alerts_test.yml"],
                    ["check", "config", "prometheus.yml"]):
        code, output = _run_in(directory, [promtool] + command)
        checks.expect(code == 0, f"promtool {' '.join(command)}: {output}")
    # Every alert of alerts.yml has a unit test.
    with open(os.path.join(directory, "alerts.yml")) as f:
        alerts = set(re.findall(r"- alert: (\w+)", f.read()))
    with open(os.path.join(directory, "alerts_test.yml")) as f:
        tested = set(re.findall(r"alertname: (\w+)", f.read()))
    checks.expect(alerts and alerts <= tested, f"alerts without a unit test: {sorted(alerts - tested)}")
    # The dashboard's queries are valid PromQL: promtool checks them as recording rules.
    with open(dashboard_path) as f:
        queries = dashboard_queries(json.load(f))
    with tempfile.TemporaryDirectory() as tmp:
        rules = os.path.join(tmp, "dashboard_rules.yml")
        with open(rules, "w") as out:
            out.write("groups:\n  - name: dashboard\n    rules:\n")
            for i, (_, expr) in enumerate(queries):
                for var, value in GRAFANA_VARS.items():
                    expr = expr.replace(var, value)
                out.write(f"      - record: dashboard:query{i}\n        expr: {json.dumps(expr)}\n")
        code, output = run([promtool, "check", "rules", rules])
        checks.expect(code == 0, f"dashboard queries: {output}")
    return checks.finish()


def _run_in(directory, command):
    done = subprocess.run(command, cwd=directory, capture_output=True, text=True, timeout=60)
    return done.returncode, (done.stdout + done.stderr).strip()


def check_grafana(args):
    checks = Checks("grafana")
    _, dashboard_path = paths(args.root)
    with open(dashboard_path) as f:
        dashboard = json.load(f)
    checks.expect(dashboard.get("schemaVersion", 0) >= 36, "schemaVersion >= 36")
    checks.expect(bool(dashboard.get("uid")) and bool(dashboard.get("title")), "uid and title")
    variables = {v["name"]: v for v in dashboard.get("templating", {}).get("list", [])}
    source = variables.get("datasource", {})
    checks.expect(source.get("type") == "datasource" and source.get("query") == "prometheus",
                  "a Prometheus datasource template variable")
    ids = set()
    for panel in dashboard["panels"]:
        title = panel.get("title", "?")
        checks.expect(panel.get("id") not in ids, f"panel {title}: duplicate id")
        ids.add(panel.get("id"))
        grid = panel.get("gridPos", {})
        checks.expect(all(k in grid for k in "hwxy") and grid["x"] + grid["w"] <= 24, f"panel {title}: gridPos")
        if panel["type"] == "row":
            continue
        checks.expect(panel.get("datasource", {}).get("uid") == "${datasource}", f"panel {title}: datasource variable")
        checks.expect(bool(panel.get("targets")), f"panel {title}: no query")
        for target in panel.get("targets", []):
            checks.expect(target.get("datasource", {}).get("uid") == "${datasource}", f"panel {title}: target datasource")
    used = "\n".join(expr for _, expr in dashboard_queries(dashboard))
    for family in SPEC_FAMILIES:
        checks.expect(family in used, f"no panel shows {family}")
    return checks.finish()


# --- metric names against real processes ---------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(command, prefix, deadline_s=15):
    """Starts a daemon and waits for its "<prefix> ADDRESS" lines on stdout. Reads the raw pipe:
    a buffered readline() could hold the second line while select() reports nothing to read."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + deadline_s
    found, pending = {}, b""
    while time.monotonic() < deadline and process.poll() is None:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if not ready:
            continue
        chunk = os.read(process.stdout.fileno(), 4096)
        if not chunk:
            break
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            text = line.decode(errors="replace")
            for key in prefix:
                if text.startswith(key):
                    found[key] = text[len(key):].strip()
        if len(found) == len(prefix):
            return process, found
    process.kill()
    process.wait()
    raise RuntimeError(f"{command[0]} did not report {prefix} within {deadline_s} s")


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def sample_names(text):
    names = set()
    for line in text.splitlines():
        if line and not line.startswith("#"):
            names.add(re.split(r"[{ ]", line, maxsplit=1)[0])
    return names


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def scrape_real_processes(args, tmp):
    dead_port = free_port()  # nothing listens there: the request below fails with 502
    proxy_config = os.path.join(tmp, "proxy.yaml")
    with open(proxy_config, "w") as out:
        out.write(f"""listeners:
  - address: 127.0.0.1:0
admin:
  address: 127.0.0.1:0
upstreams:
  - name: shop-v1
    endpoints: [127.0.0.1:{dead_port}]
    health_check: {{ path: /healthz, interval_ms: 100, timeout_ms: 100, healthy: 1, unhealthy: 1 }}
routes:
  - name: shop
    split: [ {{ version: v1, upstream: shop-v1, weight: 100 }} ]
    guard: {{ revert_to: v1, window_ms: 1000, min_requests: 5, max_error_rate: 0.5 }}
""")
    proxy, seen = start([args.proxy, "--config", proxy_config, "--log-level", "off"],
                        ["switchyard-proxy listening on ", "switchyard-proxy admin on "])
    try:
        fetch(f"http://{seen['switchyard-proxy listening on ']}/")
        admin = seen["switchyard-proxy admin on "]
        controller_config = os.path.join(tmp, "controller.yaml")
        with open(controller_config, "w") as out:
            out.write(f"""controller:
  listen: 127.0.0.1:0
  state: {tmp}/state.db
environments:
  - name: production
    proxies: [ {{ admin: "{admin}" }} ]
apps:
  - name: shop
    route: shop
    driver: {{ kind: process, command: "true {{port}}", instances: 1, ports: 19000-19099 }}
""")
        controller, cseen = start([args.controller, "--config", controller_config, "--log-level", "off"],
                                  ["switchyard-controller listening on "])
        try:
            _, controller_metrics = fetch(f"http://{cseen['switchyard-controller listening on ']}/metrics")
        finally:
            stop(controller)
        _, proxy_metrics = fetch(f"http://{admin}/metrics")
    finally:
        stop(proxy)
    return sample_names(proxy_metrics) | sample_names(controller_metrics)


def check_metric_names(args):
    checks = Checks("metric_names")
    directory, dashboard_path = paths(args.root)
    with open(os.path.join(directory, "alerts.yml")) as f:
        alert_exprs = alert_queries(f.read())
    with open(dashboard_path) as f:
        dashboard_exprs = [expr for _, expr in dashboard_queries(json.load(f))]
    used = {}
    for where, exprs in (("alerts.yml", alert_exprs), ("switchyard.json", dashboard_exprs)):
        for expr in exprs:
            for name in NAME.findall(expr):
                used.setdefault(name, set()).add(where)
    checks.expect(len(alert_exprs) >= 10 and len(dashboard_exprs) >= 15, "queries found in alerts and dashboard")
    with tempfile.TemporaryDirectory() as tmp:
        exposed = scrape_real_processes(args, tmp)
    exposed.add("up")  # Prometheus' own per-target series
    for name, where in sorted(used.items()):
        checks.expect(name in exposed, f"{name} (used in {', '.join(sorted(where))}) is exposed by neither process")
    print(f"metric names used: {len(used)}; exposed by the proxy and controller: {len(exposed)}")
    return checks.finish()
