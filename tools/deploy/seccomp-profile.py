#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""seccomp-profile.py [DEFAULT.json] > procscope-seccomp.json

The container runtime's default seccomp profile, with bpf(2) allowed to holders of CAP_BPF and
perf_event_open(2) to holders of CAP_PERFMON, as containerd (1.7+) and Docker (23+) do by default.
containers-common's profile (podman, CRI-O; Debian 12's included) allows both only with
CAP_SYS_ADMIN, so there procscope needs this profile: `podman run --security-opt seccomp=FILE`,
or on Kubernetes a Localhost profile (see docs/deployment.md). Everything else is the
default profile unchanged."""
import json
import sys

GATED = {"bpf": ["CAP_BPF", "CAP_SYS_ADMIN"], "perf_event_open": ["CAP_PERFMON", "CAP_SYS_ADMIN"]}


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/containers/seccomp.json"
    with open(src) as f:
        profile = json.load(f)
    rules = []
    for rule in profile["syscalls"]:
        names = [n for n in rule["names"] if n not in GATED]
        if names:
            rules.append({**rule, "names": names})
    for name, caps in GATED.items():
        for cap in caps:
            rules.append({"names": [name], "action": "SCMP_ACT_ALLOW", "args": [],
                          "comment": f"procscope: {name} for {cap}",
                          "includes": {"caps": [cap]}, "excludes": {}})
    profile["syscalls"] = rules
    json.dump(profile, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
