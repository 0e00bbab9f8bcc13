# SPDX-License-Identifier: GPL-2.0-only
"""Real process listers from Debian, as users run them, beside procscope: `ps aux`, `top -b -n 1`,
`pgrep` and `ls -l` of a process's descriptors and directory. What procscope counts of their
opens, directory listings and link reads on /proc and /sys (those that worked and those that
failed) must equal what strace saw them call: strace -y names the directory behind each
descriptor, so relative opens (openat(dirfd, "stat")) and listings are judged by the file they
reached."""
import json
import re
import signal
import subprocess
import tempfile
import time

import daemon_host as dh
import scenarios as sc

LISTERS = [["ps", "aux"], ["top", "-b", "-n", "1"], ["pgrep", "-f", "procscope-matches-nothing"],
           ["ls", "-l", "/proc/self/fd/", "/proc/1/"]]
CALLS = "open,openat,openat2,getdents64,getdents,readlink,readlinkat"
# exit 1 as they should: pgrep finds nothing; ls, traced, may not read init's links (EACCES)
FAILING = ("pgrep", "ls")
PSEUDO = ("/proc", "/sys")


def pseudo(path):
    return any(path == p or path.startswith(p + "/") for p in PSEUDO)


def strace_counts(log):
    """(opens that worked, opens that failed, getdents calls, link reads that worked, link reads
    that failed) on /proc and /sys paths."""
    n = [0] * 5
    for line in log.splitlines():
        m = re.match(rf"({CALLS.replace(',', '|')})\((.*)\)\s+=\s+(-?\d+)", line)
        if not m:
            continue
        call, args, ret = m.group(1), m.group(2), int(m.group(3))
        if call.startswith("getdents"):
            d = re.match(r"\d+<([^>]*)>", args)
            n[2] += bool(d and pseudo(d.group(1)))
            continue
        name = re.search(r'"([^"]*)"', args).group(1)
        d = re.match(r"(\d+)<([^>]*)>", args)
        if not name.startswith("/") and d:
            name = d.group(2) + "/" + name
        if pseudo(name):
            first = 3 if call.startswith("readlink") else 0
            n[first + (ret < 0)] += 1
    return tuple(n)


def run_lister(procscope, argv):
    comm = argv[0]
    p = subprocess.Popen([procscope, "stat", "--json", "--fs", "all", "-c", comm, "-i", "1"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = p.stderr.readline()
        sc.expect(line.startswith("procscope: ready"), f"procscope did not start: {line!r}")
        with tempfile.NamedTemporaryFile(prefix="procscope-lister-", mode="r") as log:
            subprocess.run(["strace", "-qq", "-y", "-e", f"trace={CALLS}", "-o", log.name,
                            *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=argv[0] not in FAILING)
            want = strace_counts(log.read())
        time.sleep(1.3)  # the interval that holds the last calls ends
    finally:
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=20)
    sc.expect_eq(p.returncode, 0, f"procscope's exit status: {err}")
    got = [0] * 5
    for rec in (json.loads(l) for l in out.splitlines() if l.strip()):
        for fs in rec["fs"].values():
            for i, k in enumerate(("opens", "open_errors", "dir_reads", "link_reads",
                                   "link_errors")):
                got[i] += fs[k]
    sc.expect(want[0] >= 2 and want[2] >= 1, f"{comm} walked /proc: strace saw {want}")
    sc.expect(comm != "ls" or want[3] >= 3, f"ls read links: strace saw {want}")
    sc.expect_eq(tuple(got), want, f"{' '.join(argv)}: opens, failed opens, listings, link reads "
                 "and failed ones, procscope vs strace")


def test_real_listers(procscope, workload):
    for argv in LISTERS:
        run_lister(procscope, argv)


TESTS = [test_real_listers]


def run(procscope, workload, tally):
    for t in TESTS:
        dh.judge(tally, f"listers/{t.__name__[5:]}", lambda t=t: t(procscope, workload))
