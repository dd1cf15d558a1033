#!/usr/bin/env python3
"""Checks the deployment artefacts of deploy/ against the real binaries and tools, without a
cluster or a running systemd. One CTest test per check:

  check_deploy.py CHECK --root SRC --proxy BIN --controller BIN [--demo-backend BIN]

CHECK: systemd | kubernetes | prometheus | grafana | metric_names. Exit 0 = passed, 1 = failed,
77 = skipped because a tool is missing (scripts/setup.sh installs them all)."""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import deploy_kubernetes  # noqa: E402
import deploy_monitoring  # noqa: E402
import deploy_units  # noqa: E402

CHECKS = {
    "systemd": deploy_units.check,
    "kubernetes": deploy_kubernetes.check,
    "prometheus": deploy_monitoring.check_prometheus,
    "grafana": deploy_monitoring.check_grafana,
    "metric_names": deploy_monitoring.check_metric_names,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("check", choices=sorted(CHECKS))
    parser.add_argument("--root", required=True, help="source tree")
    parser.add_argument("--proxy", required=True, help="switchyard-proxy binary")
    parser.add_argument("--controller", required=True, help="switchyard-controller binary")
    args = parser.parse_args()
    return CHECKS[args.check](args)


if __name__ == "__main__":
    sys.exit(main())
