#!/usr/bin/env python3
"""Runs every example of README.md and docs/*.md (the doc-example convention, tests/docs/README.md).

    doc_examples.py --bin DIR [--root REPO] [--only FILE ...] [--list]

Every fenced block must carry `<!-- example: KIND ARGS -->` on the line directly before its
opening fence. KIND is one of:
  proxy-config [invalid "TEXT"]       switchyard-proxy --check on the block (exit 0; or 2 + TEXT on stderr)
  controller-config [invalid "TEXT"]  same with switchyard-controller --check
  shell SCENARIO [fails] [expect "TEXT"]...   run its commands against a live scenario
  file NAME                           write the block to NAME in the scenario directory
  output                              sample output of the previous shell block (not run)
  not-run "REASON"                    shown, not run; REASON names what covers it instead
Scenarios (one per document, started at its first shell block that needs it, stopped at its end):
  none        a scratch directory with the fixtures
  proxy       demo backends blue :18081 and green :18082, switchyard-proxy on docs/examples/proxy.yaml
              (listener 127.0.0.1:8080, admin 127.0.0.1:9901)
  controller  proxy + a second proxy docs/examples/proxy-production.yaml (listener 127.0.0.1:8090,
              admin 127.0.0.1:9902) + switchyard-controller on docs/examples/controller.yaml
              (127.0.0.1:9900, state in the scenario directory)
Python 3 standard library only. Exit 0 when every example passed, 1 otherwise, 2 on a bad command line.
"""

import argparse
import fcntl
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

COMMAND_TIMEOUT_S = 60
READY_TIMEOUT_S = 10
STOP_GRACE_S = 5
PORTS_FREE_TIMEOUT_S = 180
# The scenarios' fixed ports: a process of someone else's on one of them would answer our health
# checks (the proxy and the demo backend listen with SO_REUSEPORT), so a document waits for them.
SCENARIO_PORTS = (8080, 8090, 9900, 9901, 9902, 18081, 18082)
LOCK_FILE = "/tmp/switchyard-doc-examples.lock"
TAIL_LINES = 15
KINDS = ("proxy-config", "controller-config", "shell", "file", "output", "not-run")
SCENARIOS = ("none", "proxy", "controller")
ANNOTATION = re.compile(r"^\s*<!--\s*example:\s*(.*?)\s*-->\s*$")
FENCE_OPEN = re.compile(r"^(\s*)(`{3,})\s*([^`\s]*)[^`]*$")

# Every process a document starts (scenario processes, command children, the controller's
# instances, which inherit the controller's environment) carries this marker in its environment,
# so that the cleanup finds all of them, whatever process group they moved to.
MARKER_NAME = "SWITCHYARD_DOCS_RUN"
MARKER_VALUE = uuid.uuid4().hex


class Block:
    def __init__(self, path, line, lang, text, annotation, indent):
        self.path = path            # path relative to the root, for messages
        self.line = line            # 1-based line of the opening fence
        self.lang = lang
        self.text = text
        self.annotation = annotation  # None when missing, else the raw text after "example:"
        self.indent = indent
        self.kind = None
        self.args = []
        self.error = None           # a problem of the annotation itself

    def where(self):
        return f"{self.path}:{self.line}"


# ---------------------------------------------------------------------------------------------
# Parsing

def parse_blocks(path, rel):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks = []
    i = 0
    while i < len(lines):
        m = FENCE_OPEN.match(lines[i])
        if not m:
            i += 1
            continue
        indent, ticks, lang = m.group(1), m.group(2), m.group(3)
        start = i
        close = re.compile(r"^\s*" + ticks + r"`*\s*$")
        body = []
        i += 1
        while i < len(lines) and not close.match(lines[i]):
            line = lines[i]
            # Remove the fence's indentation (blocks nested in list items).
            if line.startswith(indent):
                line = line[len(indent):]
            else:
                line = line.lstrip()
            body.append(line)
            i += 1
        unclosed = i >= len(lines)
        i += 1
        annotation = None
        if start > 0:
            a = ANNOTATION.match(lines[start - 1])
            if a:
                annotation = a.group(1)
        block = Block(rel, start + 1, lang, "\n".join(body) + ("\n" if body else ""), annotation, indent)
        if unclosed:
            block.error = "the fence is never closed"
        parse_annotation(block)
        blocks.append(block)
    return blocks


def parse_annotation(block):
    if block.error:
        return
    if block.annotation is None:
        block.error = ("unannotated block: put <!-- example: KIND ARGS --> on the line directly "
                       "before the opening fence")
        return
    try:
        words = shlex.split(block.annotation)
    except ValueError as e:
        block.error = f"bad annotation '{block.annotation}': {e}"
        return
    if not words or words[0] not in KINDS:
        block.error = f"bad annotation '{block.annotation}': KIND must be one of {', '.join(KINDS)}"
        return
    block.kind, block.args = words[0], words[1:]
    a = block.args
    if block.kind in ("proxy-config", "controller-config"):
        if a and not (len(a) == 2 and a[0] == "invalid" and a[1]):
            block.error = f"{block.kind}: expected no argument or invalid \"TEXT\", got {a}"
    elif block.kind == "shell":
        if not a or a[0] not in SCENARIOS:
            block.error = f"shell: the first argument must be a scenario ({', '.join(SCENARIOS)})"
            return
        j = 1
        while j < len(a):
            if a[j] == "fails":
                j += 1
            elif a[j] == "expect" and j + 1 < len(a) and a[j + 1]:
                j += 2
            else:
                block.error = f"shell: unknown option '{a[j]}' (fails, expect \"TEXT\")"
                return
        if block.lang not in ("sh", "console", "bash", "shell"):
            block.error = f"shell: the block must be ```sh or ```console (is '{block.lang or 'plain'}')"
    elif block.kind == "file":
        if len(a) != 1 or os.path.isabs(a[0]) or ".." in a[0].split("/"):
            block.error = "file: expected one relative NAME inside the scenario directory"
    elif block.kind == "output":
        if a:
            block.error = "output: takes no argument"
    elif block.kind == "not-run":
        if len(a) != 1 or len(a[0].strip()) < 8:
            block.error = "not-run: expected one quoted REASON naming what covers the example instead"


def shell_commands(block):
    """The commands of a shell block: (line offset in the block, command text)."""
    lines = block.text.split("\n")
    console = block.lang == "console"
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if console:
            if not line.startswith("$ "):
                i += 1
                continue
            line = line[2:]
        else:
            if not line.strip() or line.lstrip().startswith("#"):
                i += 1
                continue
        first = i
        parts = [line]
        while parts[-1].endswith("\\") and i + 1 < len(lines):
            i += 1
            nxt = lines[i]
            if console and nxt.startswith("> "):
                nxt = nxt[2:]
            parts.append(nxt)
        command = "\n".join(parts)
        # A here-document: its lines up to the terminator belong to the command.
        here = re.search(r"<<-?\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1", command)
        if here:
            terminator = here.group(2)
            while i + 1 < len(lines):
                i += 1
                command += "\n" + lines[i]
                if lines[i].strip() == terminator:
                    break
        out.append((first, command))
        i += 1
    return out


# ---------------------------------------------------------------------------------------------
# Processes

def marked_env(bin_dir):
    env = dict(os.environ)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "/usr/bin:/bin")
    env["SWITCHYARD_CONTROLLER"] = "http://127.0.0.1:9900"
    env[MARKER_NAME] = MARKER_VALUE
    env.pop("SWITCHYARD_TOKEN", None)
    return env


def marked_pids():
    """PIDs of the processes (other than this one) whose environment carries this run's marker."""
    needle = f"{MARKER_NAME}={MARKER_VALUE}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                if needle in f.read().split(b"\0"):
                    found.append(int(entry))
        except OSError:
            pass
    return found


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def kill_quietly(pid, signo, group=False):
    try:
        if group:
            os.killpg(pid, signo)
        else:
            os.kill(pid, signo)
    except (ProcessLookupError, PermissionError):
        pass


class Scenario:
    """One document's scratch directory and the processes started for it."""

    def __init__(self, runner, doc):
        self.runner = runner
        busy = wait_ports_free(SCENARIO_PORTS, PORTS_FREE_TIMEOUT_S)
        self.failed = None        # why the scenario could not be started
        if busy:
            self.failed = (f"port(s) {', '.join(map(str, busy))} still in use after "
                           f"{PORTS_FREE_TIMEOUT_S} s by another process (`ss -ltnp`)")
        self.dir = tempfile.mkdtemp(prefix="sy-docs-" + re.sub(r"\W", "_", os.path.basename(doc)) + "-")
        runner.fixtures.install(self.dir, controller=True)
        self.level = 0            # 0 none, 1 proxy, 2 controller
        self.procs = []           # (name, Popen), in start order
        self.groups = []          # process groups of the commands run

    def ensure(self, scenario):
        want = SCENARIOS.index(scenario)
        if self.failed:
            return self.failed
        try:
            if want >= 1 and self.level < 1:
                self.start_proxy_level()
                self.level = 1
            if want >= 2 and self.level < 2:
                self.start_controller_level()
                self.level = 2
        except RuntimeError as e:
            self.failed = str(e)
        return self.failed

    def copy_example(self, name):
        src = os.path.join(self.runner.root, "docs", "examples", name)
        dst = os.path.join(self.dir, name)
        if not os.path.exists(dst):
            shutil.copyfile(src, dst)

    def start(self, name, argv, health_url):
        log = open(os.path.join(self.dir, name + ".log"), "ab")
        proc = subprocess.Popen(argv, cwd=self.dir, env=self.runner.env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.procs.append((name, proc))
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(health_url, timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        state = f"exited with {proc.returncode}" if proc.poll() is not None else \
            f"not ready within {READY_TIMEOUT_S} s"
        raise RuntimeError(f"{name} ({' '.join(argv)}) {state}; {health_url} not answering; log:\n" +
                           tail(os.path.join(self.dir, name + ".log")))

    def start_proxy_level(self):
        self.copy_example("proxy.yaml")
        self.start("blue", ["switchyard-demo-backend", "--port", "18081", "--name", "blue"],
                   "http://127.0.0.1:18081/healthz")
        self.start("green", ["switchyard-demo-backend", "--port", "18082", "--name", "green"],
                   "http://127.0.0.1:18082/healthz")
        self.start("proxy", ["switchyard-proxy", "--config", "proxy.yaml"], "http://127.0.0.1:9901/healthz")

    def start_controller_level(self):
        self.copy_example("proxy-production.yaml")
        self.copy_example("controller.yaml")
        self.start("proxy-production", ["switchyard-proxy", "--config", "proxy-production.yaml"],
                   "http://127.0.0.1:9902/healthz")
        self.start("controller", ["switchyard-controller", "--config", "controller.yaml"],
                   "http://127.0.0.1:9900/healthz")

    def run(self, command):
        """Runs one command with bash in the scenario directory: (exit status, output, timed out)."""
        with tempfile.TemporaryFile() as out:
            # Output goes to a file, not a pipe: a command that leaves a background process
            # behind (`cmd &`) must not hold the runner until that process ends.
            proc = subprocess.Popen(["bash", "-c", command], cwd=self.dir, env=self.runner.env,
                                    stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
            self.groups.append(proc.pid)
            timed_out = False
            try:
                proc.wait(timeout=COMMAND_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                timed_out = True
                kill_quietly(proc.pid, signal.SIGKILL, group=True)
                proc.wait()
            out.seek(0)
            text = out.read().decode("utf-8", "replace")
        return proc.returncode, text, timed_out

    def stop(self):
        # The controller first (so that it does not react to its proxies going away), then the
        # proxies, then the backends: SIGTERM, bounded wait, SIGKILL.
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                kill_quietly(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=STOP_GRACE_S)
                except subprocess.TimeoutExpired:
                    kill_quietly(proc.pid, signal.SIGKILL, group=True)
                    proc.wait()
        for group in self.groups:
            kill_quietly(group, signal.SIGTERM, group=True)
        # Whatever is left: the controller's instances (own process groups, started on purpose to
        # outlive the controller) and anything a command left in the background.
        stop_marked()
        self.procs, self.groups = [], []
        if not self.runner.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def port_busy(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def wait_ports_free(ports, timeout):
    """[] once none of `ports` is bound, else the busy ones after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    announced = False
    while True:
        busy = [p for p in ports if port_busy(p)]
        if not busy or time.monotonic() >= deadline:
            return busy
        if not announced:
            print(f"(waiting up to {timeout} s for port(s) {', '.join(map(str, busy))} to be free)", flush=True)
            announced = True
        time.sleep(0.5)


def stop_marked():
    pids = marked_pids()
    for pid in pids:
        kill_quietly(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.05)
    for pid in pids:
        if alive(pid):
            kill_quietly(pid, signal.SIGKILL)


def tail(path, n=TAIL_LINES):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return indent_text("\n".join(f.read().rstrip("\n").split("\n")[-n:]))
    except OSError as e:
        return indent_text(f"(no log: {e})")


def indent_text(text):
    return "\n".join("    | " + line for line in text.split("\n"))


# ---------------------------------------------------------------------------------------------
# Fixtures

class Fixtures:
    """server.pem/server.key (self-signed for localhost), ca.pem, admin.token, secrets.key."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="sy-docs-fixtures-")
        key, pem = os.path.join(self.dir, "server.key"), os.path.join(self.dir, "server.pem")
        result = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", pem,
             "-days", "30", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=COMMAND_TIMEOUT_S)
        if result.returncode != 0:
            raise RuntimeError("openssl could not make the test certificate:\n" + result.stdout.decode())
        shutil.copyfile(pem, os.path.join(self.dir, "ca.pem"))
        with open(os.path.join(self.dir, "admin.token"), "w") as f:
            f.write(uuid.uuid4().hex + "\n")
        secrets = os.path.join(self.dir, "secrets.key")
        with open(os.open(secrets, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(os.urandom(32).hex() + "\n")

    def install(self, dest, controller):
        names = ["server.pem", "server.key", "ca.pem", "admin.token"] + (["secrets.key"] if controller else [])
        for name in names:
            shutil.copy2(os.path.join(self.dir, name), os.path.join(dest, name))
            os.chmod(os.path.join(dest, name), 0o600 if name in ("server.key", "secrets.key", "admin.token") else 0o644)

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The run

class Runner:
    def __init__(self, args):
        self.root = os.path.abspath(args.root)
        self.bin = os.path.abspath(args.bin)
        self.keep = args.keep
        self.verbose = args.verbose
        self.env = marked_env(self.bin)
        self.fixtures = None
        self.scenario = None
        self.failures = 0
        self.counts = {}          # kind -> blocks
        self.per_file = {}        # file -> [blocks, failed]

    def fail(self, block, what, command=None, status=None, output=None):
        self.failures += 1
        self.per_file[block.path][1] += 1
        kind = block.kind or "unannotated"
        print(f"{block.where()}: {kind}: {what}")
        if command is not None:
            print("  command: " + command.replace("\n", "\n           "))
        if status is not None:
            print(f"  exit status: {status}")
        if output is not None:
            lines = output.rstrip("\n").split("\n")
            print(f"  output (last {min(len(lines), TAIL_LINES)} lines):")
            print(indent_text("\n".join(lines[-TAIL_LINES:])))
        sys.stdout.flush()

    def check_config(self, block, which):
        binary = "switchyard-proxy" if which == "proxy-config" else "switchyard-controller"
        name = "proxy.yaml" if which == "proxy-config" else "controller.yaml"
        scratch = tempfile.mkdtemp(prefix="sy-docs-config-")
        try:
            self.fixtures.install(scratch, controller=which == "controller-config")
            with open(os.path.join(scratch, name), "w") as f:
                f.write(block.text)
            command = f"{binary} --check --config {name}"
            try:
                result = subprocess.run([binary, "--check", "--config", name], cwd=scratch, env=self.env,
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, timeout=COMMAND_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.fail(block, f"--check did not finish within {COMMAND_TIMEOUT_S} s", command)
                return
            except OSError as e:
                self.fail(block, f"cannot run {binary}: {e}", command)
                return
            output = (result.stdout + result.stderr).decode("utf-8", "replace")
            stderr = result.stderr.decode("utf-8", "replace")
            if block.args:
                text = block.args[1]
                if result.returncode != 2:
                    self.fail(block, f"an invalid configuration must exit 2", command, result.returncode, output)
                elif text not in stderr:
                    self.fail(block, f"stderr does not contain '{text}'", command, result.returncode, output)
            elif result.returncode != 0:
                self.fail(block, "the configuration is refused", command, result.returncode, output)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def scenario_for(self, doc):
        if self.scenario is None:
            self.scenario = Scenario(self, doc)
        return self.scenario

    def run_shell(self, block, doc):
        scenario_name = block.args[0]
        fails = "fails" in block.args
        expects = [block.args[j + 1] for j in range(1, len(block.args) - 1) if block.args[j] == "expect"]
        scenario = self.scenario_for(doc)
        problem = scenario.ensure(scenario_name)
        if problem:
            self.fail(block, f"the '{scenario_name}' scenario did not start: {problem}")
            return
        commands = shell_commands(block)
        if not commands:
            self.fail(block, "no command in the block" + (" (console commands start with '$ ')"
                                                         if block.lang == "console" else ""))
            return
        stdout = ""
        for offset, command in commands:
            status, output, timed_out = scenario.run(command)
            stdout += output
            if self.verbose:
                print(f"$ {command}\n{output}(exit {status})", flush=True)
            line = f"{block.path}:{block.line + 1 + offset}"
            if timed_out:
                self.fail(block, f"command at {line} did not finish within {COMMAND_TIMEOUT_S} s (killed)",
                          command, status, output)
                return
            if fails and status == 0:
                self.fail(block, f"command at {line} should fail but exited 0", command, status, output)
                return
            if not fails and status != 0:
                self.fail(block, f"command at {line} failed", command, status, output)
                return
        for text in expects:
            if text not in stdout:
                self.fail(block, f"the output does not contain '{text}'", commands[-1][1], None, stdout)
                return

    def write_file(self, block, doc):
        scenario = self.scenario_for(doc)
        path = os.path.join(scenario.dir, block.args[0])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(block.text)
        os.chmod(path, 0o755 if block.text.startswith("#!") else 0o644)

    def run_document(self, path, rel, list_only):
        blocks = parse_blocks(path, rel)
        self.per_file[rel] = [len(blocks), 0]
        previous = None
        try:
            for block in blocks:
                self.counts[block.kind or "unannotated"] = self.counts.get(block.kind or "unannotated", 0) + 1
                if list_only:
                    print(f"{block.where()}: {block.kind or 'UNANNOTATED'} {shlex.join(block.args)}".rstrip())
                if block.error:
                    self.fail(block, block.error)
                elif block.kind == "output" and (previous is None or previous.kind != "shell"):
                    self.fail(block, "an output block must directly follow a shell block")
                elif list_only:
                    pass
                elif block.kind in ("proxy-config", "controller-config"):
                    self.check_config(block, block.kind)
                elif block.kind == "shell":
                    self.run_shell(block, rel)
                elif block.kind == "file":
                    self.write_file(block, rel)
                previous = block
        finally:
            if self.scenario is not None:
                self.scenario.stop()
                self.scenario = None

    def cleanup(self):
        if self.scenario is not None:
            self.scenario.stop()
            self.scenario = None
        else:
            stop_marked()
        if self.fixtures is not None:
            self.fixtures.remove()
            self.fixtures = None


def documents(root, only):
    if only:
        out = []
        for name in only:
            path = name if os.path.isabs(name) else os.path.join(root, name)
            if not os.path.isfile(path):
                path = os.path.abspath(name)
            if not os.path.isfile(path):
                print(f"doc_examples.py: --only {name}: no such file", file=sys.stderr)
                sys.exit(2)
            out.append(path)
        return out
    docs = os.path.join(root, "docs")
    out = [os.path.join(root, "README.md")]
    out += sorted(os.path.join(docs, n) for n in os.listdir(docs)
                  if n.endswith(".md") and os.path.isfile(os.path.join(docs, n)))
    return out


def main():
    parser = argparse.ArgumentParser(description="Runs the examples of README.md and docs/*.md.")
    parser.add_argument("--bin", required=True, help="directory with the four built executables")
    parser.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."),
                        help="repository root (default: this script's ../..)")
    parser.add_argument("--only", nargs="+", metavar="FILE", help="only these documents")
    parser.add_argument("--list", action="store_true", help="list the blocks and their kinds; run nothing")
    parser.add_argument("--verbose", action="store_true", help="print every command and its output")
    parser.add_argument("--keep", action="store_true", help="keep the scenario directories (debugging)")
    args = parser.parse_args()

    runner = Runner(args)
    if not args.list:
        for name in ("switchyard-proxy", "switchyard-controller", "switchyard", "switchyard-demo-backend"):
            if not os.access(os.path.join(runner.bin, name), os.X_OK):
                print(f"doc_examples.py: --bin {runner.bin}: no executable {name}", file=sys.stderr)
                return 2

    def on_signal(signo, _frame):
        runner.cleanup()
        sys.exit(128 + signo)

    for signo in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signo, on_signal)

    started = time.monotonic()
    lock = None
    if not args.list:
        # One run at a time on this machine: the scenarios use fixed ports.
        lock = open(LOCK_FILE, "w")
        deadline = time.monotonic() + PORTS_FREE_TIMEOUT_S
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    print(f"doc_examples.py: another run holds {LOCK_FILE} for more than "
                          f"{PORTS_FREE_TIMEOUT_S} s", file=sys.stderr)
                    return 1
                time.sleep(0.5)
    try:
        if not args.list:
            runner.fixtures = Fixtures()
        for path in documents(runner.root, args.only):
            rel = os.path.relpath(os.path.abspath(path), runner.root)
            runner.run_document(path, rel, args.list)
    finally:
        runner.cleanup()
        if lock is not None:
            lock.close()

    print()
    print("blocks per kind: " + ", ".join(f"{k} {v}" for k, v in sorted(runner.counts.items())))
    print("blocks per file:")
    for rel, (total, failed) in runner.per_file.items():
        print(f"  {rel:40} {total:3} blocks" + (f", {failed} FAILED" if failed else ""))
    verdict = "FAILED" if runner.failures else "ok"
    print(f"{verdict}: {runner.failures} failure(s) in {sum(t for t, _ in runner.per_file.values())} blocks "
          f"({time.monotonic() - started:.1f} s)")
    return 1 if runner.failures else 0


if __name__ == "__main__":
    sys.exit(main())
