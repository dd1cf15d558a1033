"""Shared helpers of the deploy/ checks (tests/deploy/check_deploy.py): failures, skips, and
running the real switchyard binaries."""
import os
import shutil
import subprocess
import sys

SKIP = 77  # CTest SKIP_RETURN_CODE


class Checks:
    """Collects failures so that one run reports every problem, not only the first."""

    def __init__(self, name):
        self.name = name
        self.failures = []
        self.count = 0

    def expect(self, condition, message):
        self.count += 1
        if not condition:
            self.failures.append(message)
        return condition

    def finish(self):
        for failure in self.failures:
            print(f"FAIL {self.name}: {failure}")
        print(f"{self.name}: {self.count - len(self.failures)}/{self.count} checks passed")
        return 1 if self.failures else 0


def skip(message):
    print(f"SKIP: {message}")
    sys.exit(SKIP)


def need_tool(name):
    path = shutil.which(name)
    if not path:
        skip(f"{name} is not installed (scripts/setup.sh installs it)")
    return path


def need_yaml():
    try:
        import yaml  # noqa: F401
    except ImportError:
        skip("python3-yaml is not installed (scripts/setup.sh installs it)")
    import yaml
    return yaml


def run(args, env=None, timeout=30):
    """Runs a command; returns (exit code, stdout + stderr)."""
    merged = dict(os.environ)
    if env:
        merged.update(env)
    done = subprocess.run(args, capture_output=True, text=True, env=merged, timeout=timeout)
    return done.returncode, (done.stdout + done.stderr).strip()
