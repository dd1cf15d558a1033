#!/usr/bin/env python3
"""Memory per idle keep-alive client connection (issue 7: <= 16 KiB at 10,000 connections).

Starts a demo backend and switchyard-proxy (1 worker, the perf harness's 95/5 split with an armed
guard), then opens N client connections; each sends one keep-alive GET, reads the answer and stays
open, idle. Prints the proxy's RSS before and after, and the difference per connection.

usage: benchmarks/idle_memory.py [--bin build/bin] [--connections 10000]
"""
import argparse
import os
import resource
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def wait_http(port, deadline_s=10.0):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"nothing answers on port {port}")


def open_idle(port, count):
    """Opens `count` connections, each carrying one request, and returns them (still open)."""
    request = b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n"
    selector = selectors.DefaultSelector()
    sockets, pending = [], 0
    batch = 500  # in flight at once: the listen backlog and the proxy stay comfortable
    for start in range(0, count, batch):
        for _ in range(min(batch, count - start)):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(request)
            s.setblocking(False)
            selector.register(s, selectors.EVENT_READ, bytearray())
            sockets.append(s)
            pending += 1
        deadline = time.monotonic() + 30
        while pending:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{pending} answers missing")
            for key, _ in selector.select(timeout=1):
                data = key.fileobj.recv(65536)
                key.data.extend(data)
                head_end = key.data.find(b"\r\n\r\n")
                if not data or head_end < 0:
                    if not data:
                        raise RuntimeError("the proxy closed a connection")
                    continue
                length = 0
                for line in key.data[:head_end].split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if len(key.data) >= head_end + 4 + length:
                    selector.unregister(key.fileobj)
                    pending -= 1
    return sockets


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(root, "build", "bin"))
    parser.add_argument("--connections", type=int, default=10000)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < args.connections + 100:
        sys.exit(f"open-file limit {hard} is too low for {args.connections} connections")

    processes = []
    try:
        with tempfile.TemporaryDirectory() as scratch:
            stable, canary, listen, admin = free_port(), free_port(), free_port(), free_port()
            for name, port in (("stable", stable), ("canary", canary)):
                processes.append(subprocess.Popen(
                    [os.path.join(args.bin, "switchyard-demo-backend"), "--name", name, "--port", str(port)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            config = os.path.join(scratch, "proxy.yaml")
            with open(config, "w") as f:
                f.write(f"""listeners:
  - address: 127.0.0.1:{listen}
admin:
  address: 127.0.0.1:{admin}
workers: 1
timeouts: {{ connect_ms: 1000, request_ms: 30000, idle_ms: 600000 }}
upstreams:
  - {{ name: stable, endpoints: [127.0.0.1:{stable}] }}
  - {{ name: canary, endpoints: [127.0.0.1:{canary}] }}
routes:
  - name: bench
    split:
      - {{ version: stable, upstream: stable, weight: 95 }}
      - {{ version: canary, upstream: canary, weight: 5 }}
    guard: {{ revert_to: stable, window_ms: 10000, min_requests: 20, max_error_rate: 0.05 }}
""")
            proxy = subprocess.Popen([os.path.join(args.bin, "switchyard-proxy"), "--config", config,
                                      "--log-level", "warn"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            processes.append(proxy)
            wait_http(stable)
            wait_http(canary)
            wait_http(admin)
            # Warm up: pools, buffers, the code paths, so that "before" is a running proxy.
            warm = open_idle(listen, 200)
            for s in warm:
                s.close()
            time.sleep(0.5)
            before = rss_kib(proxy.pid)
            idle = open_idle(listen, args.connections)
            time.sleep(1.0)
            after = rss_kib(proxy.pid)
            per = (after - before) * 1024 / args.connections
            print(f"idle keep-alive connections: {args.connections}")
            print(f"proxy RSS before: {before} KiB, after: {after} KiB")
            print(f"per idle connection: {per:.0f} bytes ({per / 1024:.2f} KiB)")
            for s in idle:
                s.close()
            return 0 if proxy.poll() is None else 1
    finally:
        for p in processes:
            p.send_signal(signal.SIGTERM)
        for p in processes:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    sys.exit(main())
