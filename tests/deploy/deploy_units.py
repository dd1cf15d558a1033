"""deploy/systemd: hardening options present, ExecReload sends SIGHUP, every Exec* command line
accepted by the real binary (run with --check on a valid configuration), and
`systemd-analyze verify` when it is installed."""
import os
import shlex
import shutil
import tempfile

from deploy_common import Checks, run

HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
}
EXPECTED_CAPS = {"switchyard-proxy.service": "CAP_NET_BIND_SERVICE", "switchyard-controller.service": ""}


def parse_unit(path):
    """Returns {key: [values]} over all sections (keys do not repeat across our sections)."""
    keys = {}
    with open(path) as unit:
        for line in unit:
            line = line.strip()
            if not line or line.startswith(("#", ";", "[")):
                continue
            key, _, value = line.partition("=")
            keys.setdefault(key.strip(), []).append(value.strip())
    return keys


def write_configs(tmp):
    proxy = os.path.join(tmp, "proxy.yaml")
    with open(proxy, "w") as out:
        out.write("listeners:\n  - address: 127.0.0.1:0\nadmin:\n  address: 127.0.0.1:0\n")
    controller = os.path.join(tmp, "controller.yaml")
    with open(controller, "w") as out:
        out.write(f"controller:\n  listen: 127.0.0.1:0\n  state: {tmp}/state.db\n"
                  "environments:\n  - name: production\n    proxies:\n      - {admin: 127.0.0.1:9901}\napps: []\n")
    return {"switchyard-proxy": proxy, "switchyard-controller": controller}


def check_command(checks, unit, key, command, binaries, configs):
    """Runs the unit's command line with the real binary, a valid config and --check."""
    words = shlex.split(command)
    name = os.path.basename(words[0])
    if not checks.expect(name in binaries, f"{unit} {key}: unknown binary {words[0]}"):
        return
    checks.expect(words[0] == f"/usr/local/bin/{name}", f"{unit} {key}: expected /usr/local/bin/{name}")
    args = words[1:]
    if "--config" in args:
        args[args.index("--config") + 1] = configs[name]
    if "--check" not in args:
        args.append("--check")
    code, output = run([binaries[name]] + args)
    checks.expect(code == 0, f"{unit} {key}: `{name} {' '.join(words[1:])}` refused: {output}")


def check_unit(checks, path, binaries, configs):
    unit = os.path.basename(path)
    keys = parse_unit(path)
    for key in ("ExecStartPre", "ExecStart"):
        for command in keys.get(key, []):
            check_command(checks, unit, key, command, binaries, configs)
    checks.expect(keys.get("ExecReload") == ["/bin/kill -HUP $MAINPID"], f"{unit}: ExecReload must send SIGHUP")
    for key, value in HARDENING.items():
        checks.expect(keys.get(key) == [value], f"{unit}: {key}={value} expected, got {keys.get(key)}")
    checks.expect(keys.get("CapabilityBoundingSet") == [EXPECTED_CAPS[unit]],
                  f"{unit}: CapabilityBoundingSet={EXPECTED_CAPS[unit]} expected")
    checks.expect(int(keys.get("LimitNOFILE", ["0"])[0]) >= 65536, f"{unit}: LimitNOFILE >= 65536 expected")
    checks.expect(keys.get("User") == ["switchyard"], f"{unit}: runs as user switchyard")
    return keys


def verify_with_systemd(checks, units):
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        print("systemd-analyze not installed: `systemd-analyze verify` skipped (other checks ran)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        copies = []
        for path in units:
            with open(path) as src:
                text = src.read()
            for name in ("switchyard-proxy", "switchyard-controller"):
                text = text.replace(f"/usr/local/bin/{name}", "/bin/true")
            copy = os.path.join(tmp, os.path.basename(path))
            with open(copy, "w") as out:
                out.write(text)
            copies.append(copy)
        code, output = run([analyze, "verify"] + copies, env={"SYSTEMD_LOG_LEVEL": "warning"})
        checks.expect(code == 0 and not output, f"systemd-analyze verify: rc={code} {output}")


def check(args):
    checks = Checks("systemd")
    unit_dir = os.path.join(args.root, "deploy", "systemd")
    units = sorted(os.path.join(unit_dir, f) for f in os.listdir(unit_dir) if f.endswith((".service", ".socket")))
    binaries = {"switchyard-proxy": args.proxy, "switchyard-controller": args.controller}
    with tempfile.TemporaryDirectory() as tmp:
        configs = write_configs(tmp)
        found = {}
        for path in units:
            if path.endswith(".service"):
                found[os.path.basename(path)] = check_unit(checks, path, binaries, configs)
    checks.expect(set(found) == set(EXPECTED_CAPS), f"units: expected {sorted(EXPECTED_CAPS)}, got {sorted(found)}")
    controller = found.get("switchyard-controller.service", {})
    checks.expect(controller.get("StateDirectory") == ["switchyard"], "controller: StateDirectory=switchyard")
    checks.expect(controller.get("KillMode") == ["process"], "controller: KillMode=process (instances survive)")
    proxy = found.get("switchyard-proxy.service", {})
    checks.expect(any("--handover-socket" in c for c in proxy.get("ExecStart", [])),
                  "proxy: ExecStart passes --handover-socket")
    socket = parse_unit(os.path.join(unit_dir, "switchyard-proxy.socket"))
    checks.expect(len(socket.get("ListenStream", [])) >= 1, "proxy socket: ListenStream")
    verify_with_systemd(checks, units)
    return checks.finish()
