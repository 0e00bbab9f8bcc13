# SPDX-License-Identifier: GPL-2.0-only
"""The identity cache under churn (bpf/ident.bpf.h): files that come and go while a daemon counts,
checked per path exactly. The kernel hands a freed dentry's address to the next dentry it
allocates, so a cache that trusted addresses would charge one round's reads to the last round's
path; every round here uses new names and a different number of reads, so any such mix-up shows.

- sysfs attributes appearing and disappearing: a bridge device per round (/sys/class/net/NAME);
- cgroups created and removed: a cgroup v2 directory per round (its cgroup.events);
- short-lived processes' /proc/PID files: each round is a new process reading /proc/self/stat;
  with --per-process, each under a name of its own;
- a file whose cached identity was invalidated (its device removed and made again under the same
  name, or its entry aged out) is counted again under the right path."""
import os
import subprocess
import time

import daemon_host as dh
import scenarios as sc

ROUNDS = 40
COMM = "wl_churnid"
CGROUP2 = "/sys/fs/cgroup/unified"


def cgroup2_root():
    """Where cgroup v2 is mounted here: the unified hierarchy of a hybrid tree, or the root."""
    for root in (CGROUP2, "/sys/fs/cgroup"):
        if os.path.exists(os.path.join(root, "cgroup.controllers")) or \
                os.path.exists(os.path.join(root, "cgroup.procs")) and \
                os.path.exists(os.path.join(root, "cgroup.subtree_control")):
            return root
    raise sc.CheckFailed("no cgroup v2 hierarchy under /sys/fs/cgroup")


def reads_by_path(body):
    samples = sc.parse_metrics(body, "the churn scrape")
    got = {}
    for (name, labels), v in samples.items():
        if name == "procscope_file_reads_total":
            got[dict(labels)["path"]] = got.get(dict(labels)["path"], 0) + v
    return got


def ip(*args):
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


def one_round(workload, tag, i, cg_root):
    """Makes a bridge and a cgroup, reads each a round-specific number of times in a new
    process, removes both; returns {path as the daemon names it: reads}."""
    dev, cg = f"psc{tag}{i}", os.path.join(cg_root, f"psc-{tag}-{i}")
    ip("link", "add", "name", dev, "type", "bridge")
    os.mkdir(cg)
    try:
        w = dh.run_workload(workload, f"pread:/sys/class/net/{dev}/mtu:{i % 5 + 1}",
                            f"pread:{cg}/cgroup.events:{i % 3 + 1}", "pread:/proc/self/stat:1",
                            comm=COMM)
    finally:
        os.rmdir(cg)
        ip("link", "del", dev)
    return {f"/sys/devices/virtual/net/{dev}/mtu": sc.op_of(w, "pread", f"/sys/class/net/{dev}/mtu")["calls"],
            f"{cg}/cgroup.events": sc.op_of(w, "pread", f"{cg}/cgroup.events")["calls"],
            "/proc/[pid]/stat": sc.op_of(w, "pread", "/proc/self/stat")["calls"]}


def add(into, counts):
    for path, n in counts.items():
        into[path] = into.get(path, 0) + n


def test_identity_churn(procscope, workload):
    """Bridges, cgroups and processes made and removed round after round: every path's reads
    exact; then one bridge made again under an old name, and one file read again after its cached
    identity aged out: counted on under the right path."""
    cg_root = cgroup2_root()
    tag = os.getpid() % 1000
    d = dh.Daemon(procscope, "127.0.0.1:19123", "--fs", "proc,sysfs,cgroup2", "-c", COMM,
                  "--max-files", "4096")
    want = {}
    for i in range(ROUNDS):
        add(want, one_round(workload, tag, i, cg_root))
    # The same names again: the files' cached identities are stale (new dentries, new inodes).
    add(want, one_round(workload, tag, 0, cg_root))
    add(want, one_round(workload, tag, 1, cg_root))
    # A file kept, read again after its identity aged out (PS_IDENT_TTL_JIFFIES: 2.5 s at most).
    w = dh.run_workload(workload, "pread:/proc/self/stat:3", "sleep:3000", "pread:/proc/self/stat:4",
                        comm=COMM)
    add(want, {"/proc/[pid]/stat": sum(op["calls"] for op in w["ops"] if op["op"] == "pread")})
    status, _, body = dh.get(d.url())
    sc.expect_eq(status, 200, "HTTP status")
    got = reads_by_path(body)
    wrong = {p: (got.get(p, 0), n) for p, n in want.items() if got.get(p, 0) != n}
    extra = {p: v for p, v in got.items() if p not in want}
    sc.expect(not wrong, f"reads per path (got, want) differ: {sorted(wrong.items())[:8]}")
    sc.expect(not extra, f"reads under paths no round read: {sorted(extra.items())[:8]}")
    sc.expect_eq(len(want), 2 * ROUNDS + 1, "distinct paths the rounds read")
    d.stop()


def test_identity_per_process(procscope, workload):
    """--per-process: short-lived processes, each under its own name, reading /proc/self/stat a
    different number of times: one series per name, exact, although each process's file lives at
    an address the previous one's may have had."""
    d = dh.Daemon(procscope, "127.0.0.1:19124", "--per-process")
    want = {}
    for i in range(ROUNDS):
        comm = f"wl_pp{i}"
        w = dh.run_workload(workload, f"pread:/proc/self/stat:{i % 7 + 1}", comm=comm)
        want[comm] = want.get(comm, 0) + sc.op_of(w, "pread", "/proc/self/stat")["calls"]
    status, _, body = dh.get(d.url())
    sc.expect_eq(status, 200, "HTTP status")
    samples = sc.parse_metrics(body, "the per-process scrape")
    got = {c: sc.metric(samples, "procscope_file_reads_total", fs="proc", path="/proc/[pid]/stat",
                        comm=c) for c in want}
    sc.expect_eq(got, want, "reads of /proc/[pid]/stat per process name")
    d.stop()


TESTS = [test_identity_churn, test_identity_per_process]


def run(procscope, workload, tally):
    for t in TESTS:
        dh.judge(tally, f"churn/{t.__name__[5:]}", lambda t=t: t(procscope, workload))
