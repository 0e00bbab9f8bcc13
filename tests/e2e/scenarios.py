# SPDX-License-Identifier: GPL-2.0-only
"""End-to-end scenarios: what to run (procscope arguments and workloads) and what must come out.

Each scenario runs through tests/e2e/run-scenario.sh, on the host or inside a VM guest; the
checks below run on the host over the files it leaves, parsing JSON with Python's json module.
Counts are asserted exactly, against what the workload reports the kernel returned.
"""
import json
import os
import re
import shlex
import subprocess
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

SYSFS_ATTR = "/sys/kernel/mm/transparent_hugepage/enabled"
SYSCTL = "/proc/sys/vm/overcommit_ratio"  # harmless to write back its own value
# The host bridge's configuration space: x86's q35/pc machine, and arm64's virt machine, whose
# kernel names the bus with its PCI domain.
PCI_CONFIG = {"amd64": "/proc/bus/pci/00/00.0", "arm64": "/proc/bus/pci/0000:00/00.0"}
HOST_FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


class CheckFailed(AssertionError):
    pass


def expect(cond, message):
    if not cond:
        raise CheckFailed(message)


def expect_eq(actual, wanted, what):
    if actual != wanted:
        raise CheckFailed(f"{what}: got {actual!r}, want {wanted!r}")


def expect_counted(got: Dict[str, int], wanted: Dict[str, int], records: List[dict], what: str):
    """Counts per file: exact, or short by no more than the program runs the kernel skipped and
    procscope reported ("missed": on a preemptible kernel a program preempted on a CPU makes
    the kernel skip the next task's run of it there), never over."""
    missed = sum(r.get("missed", 0) for r in records)
    if got == wanted or not missed:
        expect_eq(got, wanted, what)
        return
    short = {k: wanted.get(k, 0) - got.get(k, 0) for k in set(got) | set(wanted)}
    if any(n < 0 for n in short.values()) or sum(short.values()) > missed:
        raise CheckFailed(f"{what}: got {got!r}, want {wanted!r} (runs missed: {missed})")


class Outcome:
    """The files run-scenario.sh left in one directory."""

    def __init__(self, directory: str):
        self.dir = directory

        def read(name, default=""):
            try:
                with open(os.path.join(directory, name), encoding="utf-8", errors="replace") as f:
                    return f.read()
            except FileNotFoundError:
                return default

        self.stdout = read("stdout")
        self.stderr = read("stderr")
        self.rc = int(read("rc", "-1").strip() or -1)
        self.ready = read("ready").strip() == "yes"
        self.links_after = [l for l in read("links.after").split() if l]
        self.links_error = read("links.error").strip() or (
            "" if os.path.exists(os.path.join(directory, "links.after")) else
            "the scenario runner never looked (no links.after)")
        self.ncpus = int(read("ncpus", "0").strip() or 0)
        self.read = read
        self.commands_failed = [
            f"c{i}: {read(f'c{i}.err').strip()}" for i in range(1, 100)
            if os.path.exists(os.path.join(directory, f"c{i}.rc"))
            and read(f"c{i}.rc").strip() != "0"]
        self.workloads = []
        i = 1
        while os.path.exists(os.path.join(directory, f"w{i}.rc")):
            out = read(f"w{i}.out")
            rc = int(read(f"w{i}.rc").strip())
            expect(rc == 0, f"workload {i} failed ({rc}): {read(f'w{i}.err').strip()}")
            self.workloads.append(json.loads(out.strip().splitlines()[-1]))
            i += 1

    def records(self) -> List[dict]:
        """procscope's NDJSON output, every line parsed (a bad line fails the check)."""
        recs = []
        for n, line in enumerate(self.stdout.splitlines(), 1):
            if not line.strip():
                continue
            try:
                recs.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise CheckFailed(f"stdout line {n} is not JSON ({e}): {line[:200]}")
        return recs

    def describe(self) -> str:
        return (f"rc={self.rc} ready={self.ready}\n--- stderr ---\n{self.stderr[-2000:]}"
                f"\n--- stdout ---\n{self.stdout[-3000:]}")


def file_totals(records: List[dict], per_process=False) -> Dict:
    """Sums `top --json` intervals per path (per (pid, path) with per_process)."""
    totals: Dict = {}
    for rec in records:
        for f in rec["files"]:
            key = (f["pid"], f["path"]) if per_process else f["path"]
            t = totals.setdefault(key, {"reads": 0, "read_bytes": 0, "writes": 0,
                                        "write_bytes": 0, "errors": 0, "opens": 0,
                                        "dir_reads": 0, "dir_entries": 0, "link_reads": 0,
                                        "stats": 0, "fs": f["fs"]})
            for k in ("reads", "read_bytes", "writes", "write_bytes", "errors", "opens",
                      "dir_reads", "dir_entries", "link_reads", "stats"):
                t[k] += f[k]
            if per_process:
                t["comm"] = f["comm"]
    return totals


def op_of(workload: dict, kind: str, path: str) -> dict:
    for op in workload["ops"]:
        if op["op"] == kind and op["path"] == path:
            return op
    raise CheckFailed(f"workload has no {kind} of {path}")


def expect_clean_exit(o: Outcome):
    expect(o.ready, "procscope never printed its ready line:\n" + o.describe())
    expect_eq(o.rc, 0, "exit status after SIGTERM or the end of the run")
    expect(not o.links_error, f"cannot check for BPF links left behind: {o.links_error}")
    expect(not o.links_after, f"BPF links left behind: {o.links_after}")


def judge(tally, test: str, s: "Scenario", outdir: str, ctx: dict):
    """Applies a scenario's check to its result directory and records PASS or FAIL."""
    try:
        s.check(Outcome(outdir), ctx)
        tally.ok(test)
    except (CheckFailed, ValueError, KeyError, IndexError, TypeError) as e:
        detail = ""
        try:
            detail = "\n" + Outcome(outdir).describe()
        except Exception:  # the outcome itself may be what is broken
            pass
        tally.fail(test, f"{type(e).__name__}: {e}{detail}")


@dataclass
class Scenario:
    name: str
    args: List[str]
    workloads: List[List[str]] = field(default_factory=list)
    check: Optional[Callable[[Outcome, dict], None]] = None
    wait_exit: bool = False  # the run ends by itself (-n/-d)
    where: tuple = ("host", "vm")  # where it runs
    needs_mode: bool = True  # append --mode MODE when a mode is forced
    auto: bool = False  # VM: also run in the auto mode (which picks fentry there)
    prefix: List[str] = field(default_factory=list)  # run procscope under this command


# ---------------------------------------------------------------- the checks


def check_self_cost(o: Outcome, ctx):
    """--self-cost: exact counts still, and each interval says what the programs cost; every
    counted read ran at least one of them."""
    check_top_exact(o, ctx)
    recs = o.records()
    for rec in recs:
        expect(isinstance(rec.get("bpf", {}).get("run_ns"), int) and
               isinstance(rec["bpf"].get("runs"), int), f"record lacks bpf run_ns/runs: {rec}")
    w = o.workloads[0]
    reads = op_of(w, "pread", "/proc/self/stat")["calls"] + op_of(w, "pread", SYSFS_ATTR)["calls"]
    runs = sum(r["bpf"]["runs"] for r in recs)
    expect(runs >= reads, f"programs ran {runs} times for {reads} counted reads")
    expect(sum(r["bpf"]["run_ns"] for r in recs) > 0, "no run time")


def check_top_exact(o: Outcome, ctx):
    expect_clean_exit(o)
    recs = o.records()
    expect(len(recs) >= 1, "no interval printed")
    for rec in recs:
        for k in ("time", "interval_s", "mode", "files", "dropped"):
            expect(k in rec, f"record lacks '{k}': {rec}")
        expect(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", rec["time"]),
               f"time is not ISO-8601 UTC: {rec['time']}")
        expect_eq(rec["mode"], ctx["mode"], "mode in the record")
    tot = file_totals(recs)
    w = o.workloads[0]
    stat = op_of(w, "pread", "/proc/self/stat")
    attr = op_of(w, "pread", SYSFS_ATTR)
    expect_eq(set(tot), {"/proc/[pid]/stat", SYSFS_ATTR}, "files seen")
    expect_eq(tot["/proc/[pid]/stat"]["reads"], stat["calls"], "reads of /proc/[pid]/stat")
    expect_eq(tot["/proc/[pid]/stat"]["read_bytes"], stat["bytes"], "bytes of /proc/[pid]/stat")
    expect_eq(tot["/proc/[pid]/stat"]["fs"], "proc", "fs of /proc/[pid]/stat")
    expect_eq(tot[SYSFS_ATTR]["reads"], attr["calls"], f"reads of {SYSFS_ATTR}")
    expect_eq(tot[SYSFS_ATTR]["read_bytes"], attr["bytes"], f"bytes of {SYSFS_ATTR}")
    expect_eq(tot[SYSFS_ATTR]["fs"], "sysfs", "fs of the sysfs attribute")
    expect_eq(sum(r["dropped"] for r in recs), 0, "dropped")
    ready = re.search(r"^procscope: ready mode=(\w+) probes=(\d+)$", o.stderr, re.M)
    expect(ready, f"no well-formed ready line in: {o.stderr!r}")
    expect_eq(ready.group(1), ctx["mode"], "mode in the ready line")


def check_no_latency(o: Outcome, ctx):
    expect_clean_exit(o)
    # Only the return programs of reads and writes: the fexit programs without their fentry;
    # in the tracepoint mode sys_exit, and sys_enter for the opens and listings (a name, a
    # buffer), which it hands to their own program by tail call.
    probes = int(re.search(r"probes=(\d+)", o.stderr).group(1))
    if ctx["mode"] == "tracepoint":
        expect_eq(probes, 2, "probes attached without latency (sys_exit; sys_enter for opens)")
    totals = file_totals(o.records())
    w = o.workloads[0]
    for path, op in (("/proc/[pid]/stat", op_of(w, "pread", "/proc/self/stat")),
                     (SYSFS_ATTR, op_of(w, "pread", SYSFS_ATTR))):
        expect_eq((totals[path]["reads"], totals[path]["read_bytes"]), (op["calls"], op["bytes"]),
                  f"reads and bytes of {path}")
    for rec in o.records():
        for f in rec["files"]:
            expect(f["avg_lat_ns"] is None and f["max_lat_ns"] is None,
                   f"a latency without latency measurement: {f}")


def check_walk_files(o: Outcome, ctx):
    """Opens and listings per file: exact, each listing's records counted, and the opens that
    failed on a pid that exited nowhere in the files (they have no file)."""
    expect_clean_exit(o)
    tot = file_totals(o.records())
    w = o.workloads[0]
    opens = op_of(w, "opens", "/proc/self/status")
    gone = op_of(w, "opens", "/proc/999999999/status")
    lst = op_of(w, "list", "/proc/self/task")
    expect_eq((opens["calls"], gone["calls"], gone["errors"]), (7, 0, 5), "the workload's own count")
    expect_eq(tot["/proc/[pid]/status"]["opens"], opens["calls"], "opens of /proc/[pid]/status")
    task = tot["/proc/[pid]/task"]
    expect_eq(task["opens"], lst["iterations"], "opens of /proc/[pid]/task (one per listing)")
    expect_eq((task["dir_reads"], task["dir_entries"]), (lst["calls"], lst["bytes"]),
              "listing calls and the records they returned")
    expect_eq(set(tot), {"/proc/[pid]/status", "/proc/[pid]/task"}, "files seen")


def check_walk_links(o: Outcome, ctx):
    """Link reads per file by the name given: absolute, relative to a directory descriptor,
    on sysfs; "self" and a descriptor's number folded; none counted for the failed ones."""
    expect_clean_exit(o)
    tot = file_totals(o.records())
    w = o.workloads[0]
    exe = op_of(w, "readlink", "/proc/self/exe")
    fd = op_of(w, "readlinkat", "/proc/self/fd/0")
    net = op_of(w, "readlink", "/sys/class/net/lo")
    gone = op_of(w, "readlink", "/proc/999999999/exe")
    expect_eq((exe["calls"], fd["calls"], net["calls"], gone["errors"]), (7, 5, 4, 3),
              "the workload's own count")
    got = {p: t["link_reads"] for p, t in tot.items() if t["link_reads"]}
    expect_counted(got, {"/proc/[pid]/exe": 7, "/proc/[pid]/fd/[fd]": 5, "/sys/class/net/lo": 4},
                   o.records(), "link reads by path")


def check_walk_stats(o: Outcome, ctx):
    """Stat calls per file, exact, through every call of the family: by absolute name (stat,
    lstat, statx), by descriptor (the fstat system call, glibc's fstat: newfstatat with
    AT_EMPTY_PATH), by a name in a page not yet faulted in at the call's entry (read at its
    return); none counted for the failed ones."""
    expect_clean_exit(o)
    tot = file_totals(o.records())
    w = o.workloads[0]
    want = {"/proc/[pid]/status": ("stat", "/proc/self/status"),
            "/proc/[pid]/exe": ("lstat", "/proc/self/exe"),
            "/sys/kernel/mm": ("statx", "/sys/kernel/mm"),
            "/proc/[pid]/stat": ("fstat", "/proc/self/stat"),
            "/proc/cpuinfo": ("fstatat", "/proc/cpuinfo"),
            "/proc/loadavg": ("coldstat", "/proc/loadavg")}
    expect_eq(op_of(w, "stat", "/proc/999999999/status")["errors"], 2, "the failed stats")
    got = {p: t["stats"] for p, t in tot.items() if t["stats"]}
    expect_counted(got, {p: op_of(w, *k)["calls"] for p, k in want.items()}, o.records(),
                   "stat calls by path")


def check_fd_folding(o: Outcome, ctx):
    """A process's descriptors are one file: every fdinfo entry the workload read (and opened)
    counted on /proc/[pid]/fdinfo/[fd], none on a numbered path; the directory listed."""
    expect_clean_exit(o)
    tot = file_totals(o.records())
    op = op_of(o.workloads[0], "files", "/proc/self/fdinfo")
    expect(op["calls"] >= 3, f"the workload read its descriptors' fdinfo: {op}")
    fd = tot.get("/proc/[pid]/fdinfo/[fd]", {})
    expect_eq((fd.get("reads"), fd.get("opens")), (op["calls"], op["calls"]),
              "reads and opens of /proc/[pid]/fdinfo/[fd]")
    expect_eq(sorted(p for p in tot if re.search(r"/fdinfo/\d", p)), [], "numbered fdinfo paths")
    # readdir stops once it has the files it wants: at least one listing call, with entries
    listing = tot.get("/proc/[pid]/fdinfo", {})
    expect(listing.get("dir_reads", 0) >= 1 and listing.get("dir_entries", 0) >= op["calls"],
           f"the listing of /proc/[pid]/fdinfo: {listing}")


def check_walk_stat(o: Outcome, ctx):
    """Per filesystem: successful opens and listings, and the failed opens (ENOENT of a pid that
    does not exist), exact."""
    expect_clean_exit(o)
    fs, _ = stat_sums(o.records())
    w = o.workloads[0]
    opens = op_of(w, "opens", "/proc/self/status")
    gone = op_of(w, "opens", "/proc/999999999/status")
    lst = op_of(w, "list", "/sys/kernel")
    links = op_of(w, "readlink", "/proc/self/exe")
    gone_links = op_of(w, "readlink", "/proc/999999999/exe")
    stats = op_of(w, "stat", "/sys/kernel/mm")
    gone_stats = op_of(w, "stat", "/proc/999999999/status")
    got = (fs["proc"]["opens"], fs["proc"]["open_errors"], fs["sysfs"]["opens"],
           fs["sysfs"]["dir_reads"], fs["proc"]["link_reads"], fs["proc"]["link_errors"],
           fs["sysfs"]["stats"], fs["proc"]["stat_errors"])
    expect_eq(got, (opens["calls"], gone["errors"], lst["iterations"], lst["calls"],
                    links["calls"], gone_links["errors"], stats["calls"], gone_stats["errors"]),
              "proc opens, failed proc opens, sysfs opens and listings, proc link reads and "
              "failed ones, sysfs stat calls and failed proc ones")


def check_per_process(o: Outcome, ctx):
    expect_clean_exit(o)
    tot = file_totals(o.records(), per_process=True)
    want = {}
    for w in o.workloads:
        op = op_of(w, "pread", "/proc/self/status")
        want[(w["pid"], "/proc/[pid]/status")] = (op["calls"], op["bytes"], w["comm"])
    got = {k: (v["reads"], v["read_bytes"], v["comm"]) for k, v in tot.items()}
    expect_eq(got, want, "per-process rows (pid, path) -> (reads, bytes, comm)")


def check_comm_filter(o: Outcome, ctx):
    expect_clean_exit(o)
    tot = file_totals(o.records())
    chosen = o.workloads[0]
    op = op_of(chosen, "pread", "/proc/self/stat")
    expect_eq({k: v["reads"] for k, v in tot.items()}, {"/proc/[pid]/stat": op["calls"]},
              "reads seen with -c (the other process's reads must not count)")


def check_fs_filter_sysfs(o: Outcome, ctx):
    expect_clean_exit(o)
    tot = file_totals(o.records())
    attr = op_of(o.workloads[0], "pread", SYSFS_ATTR)
    expect_eq({k: v["reads"] for k, v in tot.items()}, {SYSFS_ATTR: attr["calls"]},
              "files seen with --fs sysfs")


def check_fs_filter_proc(o: Outcome, ctx):
    expect_clean_exit(o)
    tot = file_totals(o.records())
    stat = op_of(o.workloads[0], "pread", "/proc/self/stat")
    expect_eq({k: v["reads"] for k, v in tot.items()}, {"/proc/[pid]/stat": stat["calls"]},
              "files seen with --fs proc")


# What the tests expect, written here rather than read from procscope: the hooks of stat's
# "functions" object, and the audit rules with their severities, in --list-rules order. The
# architecture is Debian's name (ctx["arch"], amd64 unless a VM guest says otherwise).
def arch_of(ctx) -> str:
    return ctx.get("arch", "amd64")


def sys_fn(ctx, name: str) -> str:
    """A system call's entry point in the kernel: __x64_sys_NAME, __arm64_sys_NAME."""
    return ("__arm64_sys_" if arch_of(ctx) == "arm64" else "__x64_sys_") + name


def hooks(ctx) -> List[str]:
    """stat's function counters: arm64 has no getdents, readlink, stat or lstat calls."""
    legacy = arch_of(ctx) != "arm64"
    return ["vfs_read", "vfs_write", "vfs_readv", "vfs_writev", "proc_reg_read",
            "proc_reg_read_iter", "proc_reg_write", "seq_read_iter", "kernfs_fop_read_iter",
            "kernfs_fop_write_iter", "show_cpuinfo", "proc_sys_call_handler", "do_filp_open",
            sys_fn(ctx, "getdents64")] + ([sys_fn(ctx, "getdents"), sys_fn(ctx, "readlink")]
                                          if legacy else []) + \
        [sys_fn(ctx, "readlinkat")] + ([sys_fn(ctx, "newstat"), sys_fn(ctx, "newlstat")]
                                       if legacy else []) + \
        [sys_fn(ctx, n) for n in ("newfstat", "newfstatat", "statx")]


# /proc/cpuinfo's show function: x86's show_cpuinfo runs once per CPU, arm64's (c_show) once
# for every CPU.
CPUINFO_SHOW = {"amd64": "show_cpuinfo", "arm64": "c_show"}


def cpuinfo_shows(ctx, ncpus: int) -> int:
    return 1 if arch_of(ctx) == "arm64" else ncpus


SEVERITIES = ["info", "low", "medium", "high", "critical"]
AUDIT_RULES = [("environ-read", "high"), ("mem-access", "critical"), ("maps-read", "medium"),
               ("cmdline-read", "low"), ("kcore-read", "critical"), ("kmsg-read", "medium"),
               ("kallsyms-read", "medium"), ("sysctl-write", "medium"), ("sysfs-write", "medium"),
               ("sysrq-trigger-write", "high"), ("pidns-foreign-read", "high"),
               ("pidns-descendant-read", "info"), ("sysctl-weakened", "high"),
               ("proc-write", "medium"), ("process-tunable-write", "high"),
               ("ptrace-attach", "high"), ("ptrace-attach-denied", "medium"),
               ("process-vm-read", "high"), ("process-vm-read-denied", "medium"),
               ("process-vm-write", "critical"), ("process-vm-write-denied", "medium"),
               ("pidfd-getfd", "high"), ("pidfd-getfd-denied", "medium"),
               ("recon-read", "high")]


def check_max_files(o: Outcome, ctx):
    expect_clean_exit(o)
    recs = o.records()
    tot = file_totals(recs)
    w = o.workloads[0]
    calls = sum(op["calls"] for op in w["ops"])
    own = [p for p in tot if p != "[other]"]
    expect_eq(len(own), 2, f"files with rows of their own under --max-files 2 ({own})")
    expect("[other]" in tot, f"no [other] entry: {sorted(tot)}")
    expect_eq(sum(v["reads"] for v in tot.values()), calls, "reads in all rows, [other] included")
    other = tot["[other]"]
    expect_eq(sum(r["dropped"] for r in recs), other["reads"] + other["opens"] + other["dir_reads"],
              "dropped equals the calls counted in [other] (reads, opens, listings)")


def check_errors(o: Outcome, ctx):
    expect_clean_exit(o)
    tot = file_totals(o.records())
    mem = op_of(o.workloads[0], "pread", "/proc/self/mem")
    expect(mem["errors"] == mem["calls"] > 0, f"workload's reads of mem should all fail: {mem}")
    row = tot.get("/proc/[pid]/mem")
    expect(row, f"no /proc/[pid]/mem row: {sorted(tot)}")
    expect_eq(row["errors"], mem["errors"], "errors of /proc/[pid]/mem")
    expect_eq(row["reads"], mem["calls"], "reads of /proc/[pid]/mem")
    expect_eq(row["read_bytes"], 0, "bytes of failed reads")


def check_thread_self(o: Outcome, ctx):
    expect_clean_exit(o)
    tot = file_totals(o.records())
    op = op_of(o.workloads[0], "readv", "/proc/thread-self/stat")
    expect_eq({k: (v["reads"], v["read_bytes"]) for k, v in tot.items()},
              {"/proc/[pid]/task/[tid]/stat": (op["calls"], op["bytes"])},
              "preadv of /proc/thread-self/stat, normalized")


def check_sysctl_write(o: Outcome, ctx):
    expect_clean_exit(o)
    tot = file_totals(o.records())
    op = next(op for op in o.workloads[0]["ops"] if op["op"] == "write")
    path = "/proc/sys/vm/overcommit_ratio"
    expect(path in tot, f"no row for {path}: {sorted(tot)}")
    expect_eq((tot[path]["writes"], tot[path]["write_bytes"]), (op["calls"], op["bytes"]),
              "writes and bytes written to the sysctl")


def check_stat(o: Outcome, ctx):
    expect_clean_exit(o)
    recs = o.records()
    w = o.workloads[0]
    stat = op_of(w, "pread", "/proc/self/stat")
    attr = op_of(w, "pread", SYSFS_ATTR)
    cpuinfo = op_of(w, "read", "/proc/cpuinfo")
    fs = {"proc": 0, "sysfs": 0}
    fn: Dict[str, Optional[int]] = {}
    for rec in recs:
        expect_eq(set(rec["fs"]), {"proc", "sysfs"}, "filesystems in a stat record")
        for name in fs:
            fs[name] += rec["fs"][name]["reads"]
        for name, v in rec["functions"].items():
            if v is None:
                fn[name] = None
            else:
                fn[name] = fn.get(name, 0) + v["calls"]
    expect_eq(fs, {"proc": stat["calls"] + cpuinfo["calls"], "sysfs": attr["calls"]},
              "reads per filesystem")
    if ctx["mode"] == "tracepoint":
        expect_eq(fn, {h: None for h in hooks(ctx)},
                  "function counters: every hook unavailable (null) in tracepoint mode")
        return
    # Function modes: the hooks along the paths the workload took, exactly. Each iteration of
    # the read op opens /proc/cpuinfo and reads it to the end: one complete read.
    full_reads = cpuinfo["iterations"]
    # /proc/PID files have file_operations of their own (seq_read_iter directly); only entries
    # made with proc_create (cpuinfo) go through proc_reg_read_iter. kernfs serves ordinary
    # sysfs attributes through seq_file too, so seq_read_iter sees every read here.
    every = stat["calls"] + attr["calls"] + cpuinfo["calls"]
    expect_eq(fn["vfs_read"], every, "vfs_read calls")
    expect_eq(fn["seq_read_iter"], every, "seq_read_iter calls")
    expect_eq(fn["proc_reg_read_iter"], cpuinfo["calls"], "proc_reg_read_iter calls")
    expect_eq(fn["proc_reg_read"], 0, "proc_reg_read calls")
    expect_eq(fn["kernfs_fop_read_iter"], attr["calls"], "kernfs_fop_read_iter calls")
    per_read = cpuinfo_shows(ctx, o.ncpus)
    expect_eq(fn["show_cpuinfo"], per_read * full_reads,
              f"show_cpuinfo calls ({per_read} per complete read x {full_reads}; {o.ncpus} CPUs)")


def stat_sums(records: List[dict]):
    """Sums `stat --json` intervals: per-fs counts and per-function calls (None: unavailable)."""
    fs: Dict[str, Dict[str, int]] = {}
    fn: Dict[str, Optional[int]] = {}
    for rec in records:
        for name, v in rec["fs"].items():
            t = fs.setdefault(name, {})
            for k in ("reads", "read_bytes", "writes", "write_bytes", "errors", "opens",
                      "open_errors", "dir_reads", "link_reads", "link_errors", "stats",
                      "stat_errors"):
                t[k] = t.get(k, 0) + v[k]
        for name, v in rec["functions"].items():
            fn[name] = None if v is None else (fn.get(name) or 0) + v["calls"]
    return fs, fn


def check_proc_read_and_sysctl(o: Outcome, ctx):
    """A /proc entry that still has .proc_read (PCI config space, proc_bus_pci_read), and reads
    and writes under /proc/sys, which go through proc_sys_call_handler."""
    expect_clean_exit(o)
    w = o.workloads[0]
    pci = op_of(w, "pread", PCI_CONFIG[arch_of(ctx)])
    wr = op_of(w, "write", SYSCTL)
    rd = op_of(w, "pread", SYSCTL)
    fs, fn = stat_sums(o.records())
    expect_eq((fs["proc"]["reads"], fs["proc"]["read_bytes"]),
              (pci["calls"] + rd["calls"], pci["bytes"] + rd["bytes"]), "proc reads and bytes")
    expect_eq((fs["proc"]["writes"], fs["proc"]["write_bytes"]), (wr["calls"], wr["bytes"]),
              "proc writes and bytes")
    if ctx["mode"] == "tracepoint":
        expect_eq(fn, {h: None for h in hooks(ctx)}, "functions: every hook null")
        return
    expect_eq(fn["proc_reg_read"], pci["calls"], "proc_reg_read calls")
    expect_eq(fn["proc_sys_call_handler"], wr["calls"] + rd["calls"],
              "proc_sys_call_handler calls")
    expect_eq(fn["vfs_write"], wr["calls"], "vfs_write calls")
    expect_eq(fn["vfs_read"], pci["calls"] + rd["calls"], "vfs_read calls")


DAEMON_ADDR = "127.0.0.1:19110"


def scrape(n: int, addr: str = DAEMON_ADDR) -> List[str]:
    """A scenario step that saves /metrics as metrics.N (busybox wget in the guest), given 30 s:
    a daemon that never answers fails the scenario instead of hanging the guest (busybox 1.35's
    own wget -T crashes)."""
    return ["!", "timeout", "30", "wget", "-q", "-O", f"metrics.{n}", f"http://{addr}/metrics"]


def parse_metrics(text: str, what: str) -> Dict:
    """Checks a scrape with promtool and parses it with prometheus_client's parser into
    {(sample name, frozenset(labels)): value}."""
    from prometheus_client.parser import text_string_to_metric_families
    p = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                       text=True)
    expect(p.returncode == 0, f"promtool check metrics failed on {what}: {p.stdout}{p.stderr}")
    samples = {}
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            samples[(s.name, frozenset(s.labels.items()))] = s.value
    return samples


def metric(samples: Dict, name: str, **labels) -> Optional[float]:
    return samples.get((name, frozenset(labels.items())))


def check_daemon_metrics(o: Outcome, ctx):
    expect_clean_exit(o)
    expect(not o.commands_failed, f"scrapes failed: {o.commands_failed}")
    scrapes = [parse_metrics(o.read(f"metrics.{n}"), f"scrape {n}") for n in (1, 2)]
    w1, w2 = o.workloads
    stat1, stat2 = op_of(w1, "pread", "/proc/self/stat"), op_of(w2, "pread", "/proc/self/stat")
    attr = op_of(w1, "pread", SYSFS_ATTR)
    cpuinfo = op_of(w1, "read", "/proc/cpuinfo")
    want = [
        {("/proc/[pid]/stat", "proc"): (stat1["calls"], stat1["bytes"]),
         (SYSFS_ATTR, "sysfs"): (attr["calls"], attr["bytes"]),
         ("/proc/cpuinfo", "proc"): (cpuinfo["calls"], cpuinfo["bytes"])},
    ]
    want.append(dict(want[0]))
    want[1][("/proc/[pid]/stat", "proc")] = (stat1["calls"] + stat2["calls"],
                                             stat1["bytes"] + stat2["bytes"])
    for n, (samples, expected) in enumerate(zip(scrapes, want), 1):
        got = {}
        for (name, labels), v in samples.items():
            if name == "procscope_file_reads_total":
                lab = dict(labels)
                got[(lab["path"], lab["fs"])] = (
                    int(v), int(metric(samples, "procscope_file_read_bytes_total", **lab)))
        expect_eq(got, expected, f"reads and bytes per file in scrape {n}")
        info = [dict(l) for (name, l) in samples if name == "procscope_build_info"]
        expect(len(info) == 1 and info[0]["mode"] == ctx["mode"], f"build_info: {info}")
        if ctx["mode"] != "tracepoint":
            reads = sum(c for c, _ in expected.values())
            expect_eq(metric(samples, "procscope_function_calls_total", function="vfs_read"),
                      reads, f"vfs_read calls in scrape {n}")
        else:
            expect(not any(name == "procscope_function_calls_total" for name, _ in samples),
                   "function series in tracepoint mode")
        count = metric(samples, "procscope_read_latency_seconds_count", fs="proc")
        expect_eq(count, sum(c for (p, fs), (c, _) in expected.items() if fs == "proc"),
                  f"proc latency observations in scrape {n}")
    # Counters never go backwards between scrapes.
    for key, v in scrapes[0].items():
        if key[0].endswith("_total") and key in scrapes[1]:
            expect(scrapes[1][key] >= v, f"{key} went backwards: {v} -> {scrapes[1][key]}")


def trace_records(o: Outcome):
    """The events and the closing {"received", "lost", "ustacks_truncated"} record of `trace
    --json`."""
    recs = o.records()
    expect(recs and set(recs[-1]) == {"received", "lost", "ustacks_truncated"},
           f"no closing summary: {recs[-1:]}")
    return recs[:-1], recs[-1]


def expected_func(ctx, syscall):
    return syscall if ctx["mode"] == "tracepoint" else "vfs_read"


def check_trace_events(o: Outcome, ctx):
    expect_clean_exit(o)
    events, summary = trace_records(o)
    w = o.workloads[0]
    stat, attr, mem = (op_of(w, "pread", p) for p in ("/proc/self/stat", SYSFS_ATTR,
                                                       "/proc/self/mem"))
    expect_eq(summary, {"received": len(events), "lost": 0, "ustacks_truncated": 0}, "summary")
    by_path: Dict[str, List[dict]] = {}
    for e in events:
        by_path.setdefault(e["path"], []).append(e)
        expect_eq((e["pid"], e["tid"], e["comm"], e["uid"]), (w["pid"], w["pid"], w["comm"], 0),
                  "who")
        expect_eq(e["func"], expected_func(ctx, "pread64"), "func")
    expect_eq(sorted(by_path), sorted(["/proc/[pid]/stat", "/proc/[pid]/mem", SYSFS_ATTR]),
              "paths")
    for path, op in (("/proc/[pid]/stat", stat), (SYSFS_ATTR, attr), ("/proc/[pid]/mem", mem)):
        evs = by_path[path]
        expect_eq(len(evs), op["calls"], f"events of {path}")
        expect_eq(sum(max(e["ret"], 0) for e in evs), op["bytes"], f"bytes of {path}")
        expect_eq(sum(e["ret"] < 0 for e in evs), op["errors"], f"errors of {path}")
    raw = {e["raw_path"] for e in by_path["/proc/[pid]/stat"]}
    expect_eq(raw, {f"/proc/{w['pid']}/stat"}, "raw path")
    expect(all(e["ret"] == -5 for e in by_path["/proc/[pid]/mem"]), "mem reads fail with EIO")
    expect(all(e["lat_ns"] and e["lat_ns"] > 0 for e in events), "every event has a latency")


def check_trace_walks(o: Outcome, ctx):
    """trace --op open,readdir: an event per open and per listing call, exact, with the failed
    opens under the name they were given; no reads."""
    expect_clean_exit(o)
    events, summary = trace_records(o)
    w = o.workloads[0]
    opens = op_of(w, "opens", "/proc/self/status")
    gone = op_of(w, "opens", "/proc/999999999/status")
    lst = op_of(w, "list", "/proc/self/task")
    expect_eq(summary, {"received": len(events), "lost": 0, "ustacks_truncated": 0}, "summary")
    tp = ctx["mode"] == "tracepoint"
    groups: Dict[tuple, List[dict]] = {}
    for e in events:
        key = (e["op"], e["raw_path"], e["ret"] if e["op"] == "open" else "n")
        groups.setdefault(key, []).append(e)
        expect_eq((e["pid"], e["comm"]), (w["pid"], w["comm"]), "who")
        expect(e["lat_ns"] > 0, f"no latency: {e}")
        want = (("openat" if tp else "do_filp_open") if e["op"] == "open" else
                ("getdents64" if tp else sys_fn(ctx, "getdents64")))
        expect_eq(e["func"], want, "func")
    status, task = f"/proc/{w['pid']}/status", f"/proc/{w['pid']}/task"
    expect_eq({k: len(v) for k, v in groups.items()},
              {("open", status, 0): opens["calls"],
               ("open", "/proc/999999999/status", -2): gone["errors"],
               ("open", task, 0): lst["iterations"],
               ("readdir", task, "n"): lst["calls"]}, "events by call, name and result")
    expect(all(e["path"] == "/proc/[pid]/status"
               for e in groups[("open", "/proc/999999999/status", -2)]),
           "a failed open's name normalized as a path")


def trace_filter_check(kind):
    def check(o: Outcome, ctx):
        expect_clean_exit(o)
        events, summary = trace_records(o)
        w = o.workloads[0]
        if kind == "errors":
            want = op_of(w, "pread", "/proc/self/mem")["calls"]
            expect(all(e["ret"] < 0 for e in events), "only failed calls")
        elif kind == "path":
            want = op_of(w, "pread", "/proc/self/stat")["calls"]
            expect(all(e["path"] == "/proc/[pid]/stat" for e in events), "only */stat")
        else:  # a latency no read reaches
            want = 0
        expect_eq(len(events), want, f"events with the {kind} filter")
    return check


def check_trace_count(o: Outcome, ctx):
    expect(o.ready, "not ready:\n" + o.describe())
    expect_eq(o.rc, 0, "exit status after -n")
    events, _ = trace_records(o)
    expect_eq(len(events), 10, "events printed with -n 10")
    expect(not o.links_error, f"cannot check for BPF links left behind: {o.links_error}")
    expect(not o.links_after, f"BPF links left behind: {o.links_after}")


def check_trace_tiny_ringbuf(o: Outcome, ctx):
    expect_clean_exit(o)
    events, summary = trace_records(o)
    caused = op_of(o.workloads[0], "pread", "/proc/self/stat")["calls"]
    expect_eq(summary["received"], len(events), "received = events printed")
    expect_eq(summary["received"] + summary["lost"], caused, "received + lost = caused")
    expect(summary["lost"] > 0, f"a 4 KiB ring buffer should overflow: {summary}")
    expect(f"{summary['received']} events received, {summary['lost']} lost" in o.stderr,
           "the loss is reported on stderr")


FUNC_MODES = ("fentry", "kprobe")  # where kernel functions can be traced


def symbols(frames: List[dict]) -> List[str]:
    return [f["symbol"] for f in frames]


def is_function(sym: str, name: str) -> bool:
    """@sym names function @name, or a compiler's clone of it (name.constprop.0), or a
    versioned symbol of it (name@@GLIBC_2.34)."""
    return sym == name or sym.startswith(name + ".") or sym.startswith(name + "@")


def index_of(syms: List[str], name: str) -> int:
    return next(i for i, sym in enumerate(syms) if is_function(sym, name))


def expect_caller_order(frames: List[dict], names: List[str], what: str):
    """@names appear in @frames (innermost first), each called by the next."""
    syms = symbols(frames)
    at = []
    for n in names:
        idx = [i for i, sym in enumerate(syms) if is_function(sym, n)]
        expect(idx, f"{what}: no {n} frame in {syms}")
        at.append(idx[0])
    expect(at == sorted(at), f"{what}: {names} not in caller order in {syms}")


def expect_workload_user_stack(frames: List[dict], what: str):
    """The workload's named function, with its binary and file:line, called from main."""
    expect_caller_order(frames, ["workload_read_named", "main"], what)
    named = next(f for f in frames if f["symbol"].startswith("workload_read_named"))
    expect(named["binary"].endswith("/workload"), f"{what}: binary {named['binary']!r}")
    expect(named["file"] and named["file"].endswith("workload.c") and named["line"] > 0,
           f"{what}: no file:line for workload_read_named: {named}")


def check_trace_user_stack(o: Outcome, ctx):
    expect_clean_exit(o)
    events, summary = trace_records(o)
    calls = op_of(o.workloads[0], "stackread", "/proc/cpuinfo")["calls"]
    expect_eq(len(events), calls, "events")
    expect_eq(summary["lost"], 0, "events lost")
    for n, e in enumerate(events):
        expect("kstack" not in e, "a kernel stack without -K")
        expect_workload_user_stack(e["ustack"], f"event {n}")


def check_trace_exited(o: Outcome, ctx):
    expect_eq(o.commands_failed, [], "stopping and continuing procscope")
    check_trace_user_stack(o, ctx)
    pid = o.workloads[0]["pid"]
    expect(o.read("c2.out").strip() == "gone", f"workload {pid} still ran at SIGCONT")


def folded_lines(o: Outcome) -> Dict[str, int]:
    out = {}
    for line in o.stdout.splitlines():
        stack, _, count = line.rpartition(" ")
        expect(stack and count.isdigit(), f"not a folded line: {line!r}")
        expect(stack not in out, f"stack printed twice: {stack}")
        out[stack] = int(count)
    return out


def check_trace_folded(o: Outcome, ctx):
    expect_clean_exit(o)
    calls = op_of(o.workloads[0], "stackread", "/proc/cpuinfo")["calls"]
    lines = folded_lines(o)
    expect_eq(sum(lines.values()), calls, "folded counts summed")
    for stack in lines:
        frames = stack.split(";")
        expect_eq(frames[0], "wl_fold", "first frame (the process)")
        expect(any(f.startswith("workload_read_named") for f in frames), f"no named frame: {stack}")
        expect(frames.index("main") < [i for i, f in enumerate(frames)
                                       if f.startswith("workload_read_named")][0],
               f"main is not the caller of workload_read_named: {stack}")
        if ctx["mode"] in FUNC_MODES:
            expect("vfs_read_[k]" in frames, f"no vfs_read_[k] kernel frame: {stack}")


def check_trace_flamegraph(o: Outcome, ctx):
    import xml.etree.ElementTree as ET
    expect_clean_exit(o)
    calls = op_of(o.workloads[0], "stackread", "/proc/cpuinfo")["calls"]
    events, _ = trace_records(o)
    expect_eq(len(events), calls, "events printed beside the flame graph")
    svg = os.path.join(o.dir, "flame.svg")
    expect(os.path.exists(svg), "no flame.svg written")
    root = ET.parse(svg).getroot()  # a real XML parser: not well-formed fails here
    ns = "{http://www.w3.org/2000/svg}"
    expect_eq(root.tag, ns + "svg", "root element")
    expect(root.find(ns + "script") is not None, "no script: the SVG would not zoom")
    titles = [t.text for t in root.iter(ns + "title")]
    counts = {}
    for t in titles:
        m = re.match(r"^(.*) \((\d+), [\d.]+%\)$", t)
        expect(m, f"frame title {t!r}")
        counts.setdefault(m.group(1), int(m.group(2)))
    expect_eq(counts.get("all"), calls, "the root frame's count")
    expect_eq(counts.get("wl_flame"), calls, "the process frame's count")
    expect(any(k.startswith("workload_read_named") for k in counts), f"frames: {sorted(counts)}")
    if ctx["mode"] in FUNC_MODES:
        expect("vfs_read_[k]" in counts, f"no vfs_read_[k] frame: {sorted(counts)}")
    clickable = [g for g in root.iter(ns + "g") if g.get("class") == "f"]
    expect(clickable and all(g.get("onclick") == "zoom(this)" for g in clickable),
           "frames do not zoom on click")


# ---- user stacks of programs built without frame pointers (tests/unwind, docs/stacks.md)


def unwind_program(prog: str, *args: str) -> List[str]:
    """A command running one of tests/unwind's programs, which sit beside the workload."""
    return ["!", "sh", "-c", f'exec "$(dirname "$PROCSCOPE_WORKLOAD")/{prog}" ' +
            " ".join(shlex.quote(a) for a in args)]


def unwind_result(o: Outcome, n: int = 1) -> dict:
    """What the unwind program run as command @n printed: {"pid", "calls", "bytes", "errors"}."""
    expect_eq(o.commands_failed, [], "the commands")
    r = json.loads(o.read(f"c{n}.out").strip().splitlines()[-1])
    expect(r["calls"] > 0 and r["errors"] == 0, f"the program's reads: {r}")
    return r


# From the C library's read to the program's start, every function between, innermost first.
UNWIND_CHAIN = ["unwind_leaf", "unwind_middle", "unwind_deep", "unwind_outer", "main",
                "__libc_start_main"]


def expect_unwound(frames: List[dict], program: str, what: str, lib: str = None):
    """A whole stack of unwind_target: the read in the C library, then each of its functions
    in the binary that has it (@lib for the middle and leaf), to __libc_start_main."""
    expect(frames and "libc.so" in (frames[0]["binary"] or ""),
           f"{what}: the innermost frame is not the C library's: {frames[:1]}")
    expect_caller_order(frames, UNWIND_CHAIN, what)
    for f in frames:
        name = f["symbol"].split(".")[0]
        if name in UNWIND_CHAIN[:4]:
            where = lib if lib and name in ("unwind_leaf", "unwind_middle") else program
            expect((f["binary"] or "").endswith("/" + where),
                   f"{what}: {name} in {f['binary']!r}, not {where}")


def unwind_json_check(program: str, lib: str = None, lines: bool = True, command: int = 1):
    """The program, run as command @command, read as often as it said; each event's stack
    whole."""
    def check(o: Outcome, ctx):
        expect_clean_exit(o)
        r = unwind_result(o, command)
        events, summary = trace_records(o)
        expect_eq(len(events), r["calls"], "events")
        expect_eq(summary["lost"], 0, "events lost")
        expect_eq(summary["ustacks_truncated"], 0, "user stacks truncated")
        for n, e in enumerate(events):
            expect_eq(e["pid"], r["pid"], f"event {n}'s pid")
            expect_eq(e["ustack_truncated"], False, f"event {n} truncated")
            expect_unwound(e["ustack"], program, f"event {n}", lib)
            if lines:  # built with -g: the source lines of its own functions
                leaf = next(f for f in e["ustack"] if f["symbol"].startswith("unwind_leaf"))
                expect(leaf["file"] and leaf["file"].endswith(
                    "unwind_lib.c" if lib else "unwind_target.c") and leaf["line"] > 0,
                    f"event {n}: no file:line for unwind_leaf: {leaf}")
    return check


def table_events(o: Outcome) -> List[List[str]]:
    """trace's table: per event, the symbols of its frame lines (indented below it)."""
    events = []
    for line in o.stdout.splitlines()[1:]:  # the header first
        if line.startswith("        "):
            expect(events, f"a frame line before any event: {line!r}")
            events[-1].append(line.split()[0].split("+0x")[0])
        elif line.strip():
            events.append([])
    return events


def check_unwind_table(o: Outcome, ctx):
    expect_clean_exit(o)
    r = unwind_result(o)
    events = table_events(o)
    expect_eq(len(events), r["calls"], "events in the table")
    for n, syms in enumerate(events):
        expect_caller_order([{"symbol": s} for s in syms], UNWIND_CHAIN, f"table event {n}")


def check_unwind_folded(o: Outcome, ctx):
    expect_clean_exit(o)
    r = unwind_result(o)
    lines = folded_lines(o)
    expect_eq(sum(lines.values()), r["calls"], "folded counts summed")
    for stack in lines:
        frames = [f.split(".")[0].split("@")[0] for f in stack.split(";")]
        expect_eq(frames[0], "unwind_lib", "first frame (the process)")
        chain = [f for f in frames if f in UNWIND_CHAIN]
        expect_eq(chain, list(reversed(UNWIND_CHAIN)), f"the chain, outermost first: {stack}")


# unwind_inline's chain: the two functions inlined into Reader::run are frames of their own.
INLINE_CHAIN = ["psunwind::read_at(int, char*, unsigned long)", "psunwind::Reader::read_once()",
                "psunwind::Reader::run(long)", "main", "__libc_start_main"]


def check_unwind_inline(o: Outcome, ctx):
    import xml.etree.ElementTree as ET
    expect_clean_exit(o)
    r = unwind_result(o)
    events, _ = trace_records(o)
    expect_eq(len(events), r["calls"], "events")
    for n, e in enumerate(events):
        expect_caller_order(e["ustack"], INLINE_CHAIN, f"event {n}")
        inlined = [f["symbol"] for f in e["ustack"] if f.get("inlined")]
        expect_eq(inlined, INLINE_CHAIN[:2], f"event {n}'s inlined frames")
    root = ET.parse(os.path.join(o.dir, "flame.svg")).getroot()
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    names = {re.sub(r" \(\d+, [\d.]+%\)$", "", t) for t in titles}
    for name in [f + "_[i]" for f in INLINE_CHAIN[:2]] + INLINE_CHAIN[2:4]:
        expect(name in names, f"no {name!r} frame in the flame graph: {sorted(names)}")


def check_unwind_exited(o: Outcome, ctx):
    unwind_json_check("unwind_lib", lib="libpsunwind.so", command=2)(o, ctx)
    pid = unwind_result(o, 2)["pid"]
    expect(o.read("c3.out").strip() == "gone", f"{pid} still ran when procscope went on")


def check_unwind_truncated(o: Outcome, ctx):
    """unwind_deep 40 deep, 1 KiB each, against a copy of 4 KiB: the frames the copy holds,
    marked and counted as truncated."""
    expect_clean_exit(o)
    r = unwind_result(o)
    events, summary = trace_records(o)
    expect_eq(len(events), r["calls"], "events")
    expect_eq(summary["ustacks_truncated"], r["calls"], "user stacks truncated")
    expect(f"{r['calls']} user stacks truncated" in o.stderr, "the count on stderr")
    for n, e in enumerate(events):
        syms = symbols(e["ustack"])
        expect_eq(e["ustack_truncated"], True, f"event {n} truncated")
        expect_caller_order(e["ustack"], UNWIND_CHAIN[:3], f"event {n}")
        expect("main" not in syms, f"event {n}: main beyond a 4 KiB copy: {syms}")


def check_unwind_debian_cat(o: Outcome, ctx):
    """Debian's cat (no frame pointers, no symbols of its own): its frames, [unknown] in its
    binary, between the C library's read and __libc_start_main (__libc_start_call_main, a
    local symbol, is named only where libc6-dbg is installed)."""
    expect_clean_exit(o)
    expect_eq(o.commands_failed, [], "the commands")
    events, _ = trace_records(o)
    expect(events, "no event of cat")
    for n, e in enumerate(events):
        frames, syms = e["ustack"], symbols(e["ustack"])
        expect_caller_order(frames, ["read", "__libc_start_main"], f"event {n}")
        own = [i for i, f in enumerate(frames) if (f["binary"] or "").endswith("/cat")]
        expect(len(own) >= 2 and all(frames[i]["symbol"] == "[unknown]" for i in own),
               f"event {n}: cat's own frames: {frames}")
        # cat's code calls read; its _start calls __libc_start_main
        expect(index_of(syms, "read") < own[0] < own[-2] <
               index_of(syms, "__libc_start_main") < own[-1], f"event {n}: order {frames}")


def check_unwind_python(o: Outcome, ctx):
    """Debian's python3 (its interpreter in libpython, a library between main and the read),
    gone before procscope reads its event."""
    expect_clean_exit(o)
    expect_eq(o.commands_failed, [], "the commands")
    expect(o.read("c3.out").strip() == "gone", "python3 still ran when procscope went on")
    events, _ = trace_records(o)
    expect(events, "no event of python3")
    for n, e in enumerate(events):
        expect_caller_order(e["ustack"], ["read", "_Py_read", "_PyEval_EvalFrameDefault",
                                          "__libc_start_main"], f"event {n}")


def check_trace_func_stacks(o: Outcome, ctx):
    if ctx["mode"] == "tracepoint" and ctx.get("forced"):
        return usage_error(r"FUNC arguments need the fentry or kprobe mode")(o, ctx)
    if ctx["mode"] == "tracepoint":  # auto mode on a kernel with neither fentry nor kprobes
        return usage_error(r"no attach mode works.*kernel functions can only be traced with "
                           r"fentry .* or kprobes", status=1)(o, ctx)
    expect_clean_exit(o)
    events, summary = trace_records(o)
    calls = op_of(o.workloads[0], "stackread", "/proc/cpuinfo")["calls"]
    expect_eq(summary["lost"], 0, "events lost")
    show = CPUINFO_SHOW[arch_of(ctx)]
    expect_eq(len(events), calls * cpuinfo_shows(ctx, o.ncpus),
              f"{show} calls ({cpuinfo_shows(ctx, o.ncpus)} per read, {o.ncpus} CPUs)")
    for n, e in enumerate(events):
        expect_eq((e["func"], e["op"], e["path"], e["comm"]),
                  (show, "call", "/proc/cpuinfo", "wl_func"), f"event {n}")
        expect_caller_order(e["kstack"], [show, "seq_read_iter", "vfs_read"],
                            f"kernel stack of event {n}")
        expect_workload_user_stack(e["ustack"], f"user stack of event {n}")


KPTR = "/proc/sys/kernel/kptr_restrict"


def check_kptr_restrict(o: Outcome, ctx):
    saved = o.read("kptr.orig").strip()
    if saved.isdigit():
        # Put the setting back even when the run went wrong before the restoring command.
        with open(KPTR) as f:
            if f.read().strip() == "2":
                with open(KPTR, "w") as w:
                    w.write(saved)
    expect_clean_exit(o)
    expect_eq(o.commands_failed, [], "restoring kernel.kptr_restrict")
    warnings = [l for l in o.stderr.splitlines() if "kptr_restrict" in l]
    expect_eq(len(warnings), 1, f"one warning about hidden kernel addresses in {o.stderr!r}")
    expect("kernel frames print as [unknown]" in warnings[0], f"warning {warnings[0]!r}")
    events, _ = trace_records(o)
    expect_eq(len(events), op_of(o.workloads[0], "pread", "/proc/self/stat")["calls"], "events")
    for e in events:
        expect(e["kstack"] and all(f["symbol"] == "[unknown]" and f["offset"] is None
                                   for f in e["kstack"]),
               f"kernel frames should be unknown: {e['kstack']}")


def check_sigterm(o: Outcome, ctx):
    expect_clean_exit(o)
    # The partial interval at SIGTERM is printed.
    expect(len(o.records()) >= 1, "no interval printed at SIGTERM")


def check_count_limit(o: Outcome, ctx):
    expect(o.ready, "not ready:\n" + o.describe())
    expect_eq(o.rc, 0, "exit status after -n 2")
    expect_eq(len(o.records()), 2, "records printed with -n 2")
    expect(not o.links_error, f"cannot check for BPF links left behind: {o.links_error}")
    expect(not o.links_after, f"BPF links left behind: {o.links_after}")


def check_duration_limit(o: Outcome, ctx):
    expect(o.ready, "not ready:\n" + o.describe())
    expect_eq(o.rc, 0, "exit status after -d")
    recs = o.records()
    # -d 1 with -i 0.4: intervals end at 0.4, 0.8 and 1.0 s.
    expect_eq(len(recs), 3, "records printed with -d 1 -i 0.4")
    expect(recs[-1]["interval_s"] < recs[0]["interval_s"], "the last interval is the short rest")


def check_table(o: Outcome, ctx):
    expect_clean_exit(o)
    stat = op_of(o.workloads[0], "pread", "/proc/self/stat")
    lines = o.stdout.splitlines()
    expect(any(re.match(r"^\d\d:\d\d:\d\d mode=\w+ interval=[\d.]+s files=\d+ dropped=0 "
                        r"missed=\d+$", l)
               for l in lines), f"no interval header in:\n{o.stdout}")
    expect(any(l.split()[:1] == ["READS"] and l.split()[-2:] == ["FS", "PATH"] for l in lines),
           f"no column header in:\n{o.stdout}")
    total = 0
    for l in lines:
        parts = l.split()
        if parts and parts[-1] == "/proc/[pid]/stat":
            total += int(parts[0])
    expect_eq(total, stat["calls"], "READS column of /proc/[pid]/stat summed over intervals")


def usage_error(pattern, status=2):
    def check(o: Outcome, ctx):
        expect(not o.ready, "procscope started although the input was bad")
        expect_eq(o.rc, status, "exit status")
        lines = [l for l in o.stderr.splitlines() if l.strip()]
        expect_eq(len(lines), 1, f"one line on stderr (got {lines!r})")
        expect(re.search(pattern, lines[0]), f"stderr {lines[0]!r} does not match {pattern!r}")
    return check


def stdout_matches(pattern):
    def check(o: Outcome, ctx):
        expect_eq(o.rc, 0, "exit status")
        expect(re.search(pattern, o.stdout, re.M), f"stdout does not match {pattern!r}:\n{o.stdout}")
    return check


# ---------------------------------------------------------------- audit

AUDIT_DAEMON_ADDR = "127.0.0.1:19111"
CAPS_DAEMON_ADDR = "127.0.0.1:19112"
CAP_BPF = 39


def audit_records(o: Outcome, text: Optional[str] = None):
    """The event records of `audit --json` (or of an audit log), and the closing summary."""
    recs = []
    for n, line in enumerate((o.stdout if text is None else text).splitlines(), 1):
        if line.strip():
            try:
                recs.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise CheckFailed(f"line {n} is not JSON ({e}): {line[:200]}")
    if text is not None:
        return recs, None
    expect(recs and "received" in recs[-1], f"no summary record at the end: {recs[-1:]}")
    return recs[:-1], recs[-1]


def expect_event(rec: dict, rule: str, op: str, peek: dict, what: str, relation="same-uid"):
    """One record of a peek by the workload: rule, reader, target, path, calls and bytes."""
    expect_eq(rec["rule"], rule, f"{what}: rule")
    expect_eq(rec["op"], op, f"{what}: op")
    expect_eq(rec["reader"]["pid"], peek["reader"], f"{what}: reader pid")
    expect(rec["reader"]["exe"] and rec["reader"]["exe"].endswith("/workload"),
           f"{what}: reader exe {rec['reader']['exe']!r}")
    # The tests run as root: reader and target are both uid 0.
    expect_eq((rec["reader"]["uid"], rec["target"]["uid"]), (0, 0), f"{what}: uids")
    # cgroup2 is mounted on the host and in the guests: the path must resolve.
    expect_eq(rec["reader"]["cgroup"], peek["reader_cgroup"], f"{what}: reader cgroup")
    expect_eq(rec["target"]["pid"], peek["target"], f"{what}: target pid")
    expect_eq(rec["target"]["comm"], "wl_target", f"{what}: target comm")
    expect_eq(rec["target"]["relation"], relation, f"{what}: relation")
    expect_eq(rec["target"]["pidns"], "same", f"{what}: pid namespace")
    # The file itself, whatever path (a symlink) the reader opened.
    expect_eq(rec["path"], f"/proc/{peek['target']}/{peek['path']}", f"{what}: path")
    expect(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", rec["time"]),
           f"{what}: time {rec['time']!r}")


def impact_sums(o: Outcome):
    """Sums `impact --json` intervals: rows by (reader pid, target pid, file), targets by pid."""
    rows, targets = {}, {}
    for rec in o.records():
        for r in rec["rows"]:
            k = (r["reader"]["pid"], r["target"]["pid"], r["file"])
            acc = rows.setdefault(k, {"reads": 0, "holds": 0, "hold_ns": 0, "waits": 0,
                                      "wait_ns": 0, "reader_comm": r["reader"]["comm"],
                                      "target_comm": r["target"]["comm"]})
            for f in ("reads", "holds", "hold_ns", "waits", "wait_ns"):
                acc[f] += r[f]
        for t in rec["targets"]:
            acc = targets.setdefault(t["pid"], {"waits": 0, "wait_ns": 0, "readers_wait_ns": 0,
                                                "other_wait_ns": 0})
            for f in acc:
                acc[f] += t[f]
    return rows, targets


# Slack for what the target's worker did not time: its exit and the page faults between two
# timed operations also take its mmap_lock.
IMPACT_UNTIMED_NS = 20_000_000


def kernel_version(ctx) -> tuple:
    m = re.match(r"(\d+)\.(\d+)", ctx["release"])
    return (int(m.group(1)), int(m.group(2)))


def impact_refused(o: Outcome, ctx) -> bool:
    """Before 5.11 there are no mmap_lock tracepoints: impact must say so in one line and exit
    1. True when that was the case (and checked)."""
    if kernel_version(ctx) >= (5, 11):
        return False
    expect_eq(o.rc, 1, f"exit status without mmap_lock tracepoints (stderr: {o.stderr})")
    lines = [l for l in o.stderr.splitlines() if l.strip()]
    expect(len(lines) == 1 and "mmap_lock tracepoints" in lines[0],
           f"one line naming the missing tracepoints: {lines}")
    return True


def impact_run(o: Outcome, ctx, name: str):
    """The workload's impact op on /proc/PID/NAME, the rows of its target and every target's
    waits; None where the kernel has no mmap_lock tracepoints (the refusal checked)."""
    if impact_refused(o, ctx):
        return None
    expect_clean_exit(o)
    w = op_of(o.workloads[0], "impact", name)
    rows, targets = impact_sums(o)
    return w, {k: v for k, v in rows.items() if k[1] == w["target"]}, targets


def expect_impact_reads(o: Outcome, reads: int, made: int):
    """Exact, but for runs of procscope's programs the kernel skipped (the same program busy on
    that CPU, preempted), which procscope counts and shows as "missed"."""
    missed = sum(rec["missed"] for rec in o.records())
    expect(made - missed <= reads <= made, f"reads {reads}, made {made}, runs missed {missed}")


def impact_readers_check(require_charged: bool):
    """check_impact_readers, and with @require_charged that some wait was charged (a run long
    enough for the worker to have waited while a reader held the lock)."""
    def check(o: Outcome, ctx):
        check_impact_readers(o, ctx)
        run = impact_run(o, ctx, "smaps_rollup")
        if run and require_charged:
            _, mine, _ = run
            expect(sum(v["wait_ns"] for v in mine.values()) > 0,
                   f"the worker waited while readers held the lock: {mine}")
    return check


def check_impact_readers(o: Outcome, ctx):
    """Two readers of a target's smaps_rollup (which takes the mmap_lock on every kernel of the
    matrix; smaps and maps read under per-VMA locks on newer ones): one row each, reads exact,
    the lock held; the waits charged to them fall within the target's waits and within the
    time its worker measured inside mmap and munmap. Whether the worker waited while a reader
    held the lock at all depends on timing (20 reads take milliseconds here; under TCG the
    vCPUs take turns): impact_contention requires it, with a longer run, on the host."""
    run = impact_run(o, ctx, "smaps_rollup")
    if not run:
        return
    w, mine, targets = run
    expect_eq(sorted(k[0] for k in mine), sorted([w["reader"], w["reader2"]]),
              f"reader pids of target {w['target']}: {mine}")
    for k, v in mine.items():
        expect_eq(k[2], "/proc/[pid]/smaps_rollup", "file")
        expect_eq((v["reader_comm"], v["target_comm"]), ("wl_reader", o.workloads[0]["comm"]),
                  "comms")
        expect(v["holds"] > 0 and v["hold_ns"] > 0, f"reader {k[0]} held the lock: {v}")
    expect_impact_reads(o, sum(v["reads"] for v in mine.values()), w["calls"])
    t = targets.get(w["target"])
    expect(t is not None, f"target {w['target']} has its waits: {targets}")
    charged = sum(v["wait_ns"] for v in mine.values())
    expect(charged <= t["readers_wait_ns"] <= t["wait_ns"],
           f"rows' waits {charged} <= charged {t['readers_wait_ns']} <= all {t['wait_ns']}")
    expect_eq(t["readers_wait_ns"] + t["other_wait_ns"], t["wait_ns"], "charged + other")
    expect(t["readers_wait_ns"] <= w["op_ns"] + IMPACT_UNTIMED_NS,
           f"charged {t['readers_wait_ns']} ns within the worker's own time in mmap and "
           f"munmap, {w['op_ns']} ns")


def stall_check(require_events: bool):
    """trace --min-stall 100us -U while two readers read the workload's smaps_rollup: every
    event is a wait of the workload's worker of at least 100 us, charged in part to one of its
    two readers (by pid and name) through smaps_rollup, with the worker's user stack from the
    libc call that waited up to main; none lost. With @require_events, at least one (a host
    run long enough to contend, as impact_contention)."""
    def check(o: Outcome, ctx):
        if impact_refused(o, ctx):
            return
        expect_clean_exit(o)
        events, summary = trace_records(o)
        w = op_of(o.workloads[0], "impact", "smaps_rollup")
        expect_eq(summary["lost"], 0, "events lost")
        if require_events:
            expect(events, f"no stall of at least 100 us (worker's worst {w['worst_ns']} ns)")
        for n, e in enumerate(events):
            what = f"stall {n}"
            expect_eq((e["op"], e["func"], e["pid"], e["comm"]),
                      ("stall", "mmap_lock", w["target"], o.workloads[0]["comm"]), what)
            expect(e["reader"]["pid"] in (w["reader"], w["reader2"]) and
                   e["reader"]["comm"] == "wl_reader", f"{what}: reader {e['reader']}")
            expect_eq(e["path"], "/proc/[pid]/smaps_rollup", f"{what}: the reader's file")
            expect(e["lat_ns"] >= 100_000 and 0 < e["readers_wait_ns"] <= e["lat_ns"],
                   f"{what}: wait {e['lat_ns']}, readers' share {e['readers_wait_ns']}")
            expect(e["lat_ns"] <= w["worst_ns"] + IMPACT_UNTIMED_NS,
                   f"{what}: wait {e['lat_ns']} within the worker's worst step {w['worst_ns']}")
            # What stalls is mostly the worker's mmap and munmap, but also its fork of the
            # second reader (dup_mmap takes the lock) or a page fault (in ld.so, the vDSO):
            # each has a user stack, and the workload's own frames in it are named.
            expect(e["ustack"], f"{what}: no user stack")
            for f in e["ustack"]:
                expect(not (f["binary"] or "").endswith("/workload") or f["symbol"] != "[unknown]",
                       f"{what}: a frame of the workload not named: {f}")
        full = [e for e in events if symbols(e["ustack"])[:1] in (["__mmap"], ["__munmap"])]
        if require_events:
            expect(full, f"no stall in mmap or munmap: {[symbols(e['ustack']) for e in events]}")
        for n, e in enumerate(full):
            expect_caller_order(e["ustack"], ["thread_main", "main"], f"stall in mmap {n}")
    return check


def check_impact_no_reader(o: Outcome, ctx):
    """No reader: the target is nobody's, and nothing is charged."""
    if impact_refused(o, ctx):
        return
    expect_clean_exit(o)
    w = op_of(o.workloads[0], "impact", "smaps")
    rows, targets = impact_sums(o)
    expect(w["worker_ops"] > 0, f"the worker ran: {w}")
    expect_eq([k for k in rows if k[1] == w["target"]], [], "rows of the unread target")
    expect_eq(targets.get(w["target"]), None, "waits of the unread target")


def check_impact_nothing(o: Outcome, ctx):
    """A reader filter that matches nothing: intervals without rows, not an error."""
    expect_clean_exit(o)
    recs = o.records()
    expect(recs, "intervals were printed")
    for rec in recs:
        expect_eq((rec["rows"], rec["targets"]), ([], []), "rows and targets")


def check_impact_status(o: Outcome, ctx):
    """A reader of status, which takes no mmap_lock on most kernels: then no row (rows are
    for readers that took the target's lock); where it does, its row, and whatever is charged
    stays within the worker's own time."""
    run = impact_run(o, ctx, "status")
    if not run:
        return
    w, mine, targets = run
    for k, v in mine.items():
        expect_eq((k[0], k[2]), (w["reader"], "/proc/[pid]/status"), "row")
        expect_impact_reads(o, v["reads"], w["calls"])
        expect(v["holds"] > 0, f"a row of a reader that took the lock: {v}")
    t = targets.get(w["target"], {"readers_wait_ns": 0})
    expect(t["readers_wait_ns"] <= w["op_ns"] + IMPACT_UNTIMED_NS,
           f"charged {t['readers_wait_ns']} ns, worker {w['op_ns']} ns")


def check_audit_environ(o: Outcome, ctx):
    """A sibling's environ: exactly one event; the own process's and an own thread's: none."""
    expect_clean_exit(o)
    recs, summary = audit_records(o)
    sib = op_of(o.workloads[0], "peek", "environ")
    expect_eq(len(recs), 1, f"records (only the sibling's environ read): {recs}")
    expect_event(recs[0], "environ-read", "read", sib, "sibling's environ")
    expect_eq(recs[0]["severity"], "high", "severity")
    expect_eq((recs[0]["calls"], recs[0]["bytes"]), (sib["data_calls"], sib["bytes"]),
              "calls and bytes (the reads that returned data)")
    expect_eq((summary["received"], summary["lost"], summary["allowed"]), (1, 0, 0),
              "received, lost, allowed")
    for w in o.workloads[1:]:
        peek = w["ops"][0]
        expect_eq(peek["data_calls"], 1, f"the {peek['read_path']} read worked")
    # What a responder asks next: the technique, who started the reader, where the target is.
    w, reader = o.workloads[0], recs[0]["reader"]
    expect_eq(recs[0]["mitre"], "T1552", "ATT&CK technique")
    parent, grandparent = reader["parent"], reader["grandparent"]
    expect(parent and (parent["pid"], parent["comm"]) == (w["pid"], w["comm"]) and
           (parent["exe"] or "").endswith("/workload"),
           f"the reader's parent is the workload {w['pid']} ({w['comm']}): {parent}")
    expect(grandparent and grandparent["pid"] > 0 and grandparent["comm"] and
           grandparent["exe"], f"the reader's grandparent (the scenario's shell): {grandparent}")
    expect_eq(recs[0]["target"]["cgroup"], sib["reader_cgroup"],
              "the target's cgroup (the workload's, as the reader's)")


ENFORCE_CGROUP = "/sys/fs/cgroup/procscope-enforce-allowed"


def kernel_version(ctx) -> tuple:
    return tuple(int(n) for n in re.match(r"(\d+)\.(\d+)", ctx["release"]).groups())


def enforce_kind(ctx) -> str:
    """The programs --enforce must pick: BPF LSM where bpf is an active LSM (Debian's kernels
    from 6.1 name it in CONFIG_LSM), fmod_ret on 5.10 (bpf not in its list); none on arm64
    before 6.4, which attaches neither (no trampolines on kernel functions)."""
    if arch_of(ctx) == "arm64" and kernel_version(ctx) < (6, 4):
        return "none"
    return "fmod_ret" if ctx["release"].startswith("5.10.") else "lsm"


def enforce_refused(o: Outcome, ctx) -> bool:
    """Where the kernel attaches no program that can refuse (enforce_kind none): whether
    --enforce was refused with the one line that says why (exit 1), checked."""
    if enforce_kind(ctx) != "none":
        return False
    usage_error(r"^procscope: --enforce: this kernel lets no BPF program refuse an access: "
                r"the kernel refuses BPF LSM programs \(the kernel has no trampolines for "
                r"its functions \(arm64 has them from Linux 6\.4\)\), and fmod_ret programs "
                r"on security_file_permission \(the kernel has no trampolines", status=1)(o, ctx)
    return True


def expect_enforce_ready(o: Outcome, ctx, dry_run=False):
    want = f"enforce={enforce_kind(ctx)}" + (" dry-run" if dry_run else "")
    expect(re.search(r"^procscope: ready mode=\w+ .* " + want + "$", o.stderr, re.M),
           f"ready line with {want!r}: {o.stderr!r}")


def check_audit_enforce(o: Outcome, ctx):
    """--enforce environ-read,ptrace-attach: root's read of a sibling's environ and its attach
    to a child get EPERM and read nothing, each reported as denied; nobody's read (allowlisted
    by uid) and the reader's own environ work and are not reported; a process_vm_readv (not an
    enforced rule) works and is reported as usual."""
    if enforce_refused(o, ctx):
        return
    expect_clean_exit(o)
    expect_enforce_ready(o, ctx)
    recs, summary = audit_records(o)
    root, attach, nobody, own = o.workloads
    denied = op_of(root, "peek", "environ")
    expect_eq((denied["errors"] > 0, denied["bytes"], denied["data_calls"]), (True, 0, 0),
              f"root's read of a sibling's environ refused, nothing read: {denied}")
    door = op_of(attach, "door", "attach")
    expect_eq((door["calls"], door["errors"]), (0, 1), "the attach refused")
    allowed = op_of(nobody, "peek", "environ")
    expect_eq((allowed["errors"], allowed["bytes"] > 0), (0, True),
              f"the allowlisted reader's read worked: {allowed}")
    in_cgroup = op_of(report_file(o, "cgroup.json", "the reader in the allowlisted cgroup"),
                      "peek", "environ")
    expect_eq((in_cgroup["errors"], in_cgroup["bytes"] > 0), (0, True),
              f"the read in the allowlisted cgroup worked: {in_cgroup}")
    mine = op_of(own, "peek", "environ")
    vm_read = op_of(own, "door", "vm_read")
    expect_eq((mine["errors"], mine["bytes"] > 0, vm_read["calls"], vm_read["errors"]),
              (0, True, 1, 0), "the own environ and an unenforced door worked")
    got = [(r["rule"], r["op"], r["error"], r["action"], r["reader"]["pid"], r["target"]["pid"],
            r["calls"], r["bytes"]) for r in recs]
    want = [("environ-read", "read", "EPERM", "denied", denied["reader"], denied["target"],
             denied["errors"], 0),
            ("ptrace-attach", "attach", "EPERM", "denied", attach["pid"], door["target"], 1, 0),
            ("process-vm-read", "vm_read", None, None, own["pid"], vm_read["target"], 1, 8)]
    expect_eq(got, want, "the records: the two refusals, the unenforced door")
    expect_eq((summary["denied"], summary["lost"]), (denied["errors"] + 1, 0), "denied, lost")
    expect(summary["allowed"] >= 2, f"the allowlisted reads counted as allowed: {summary}")


def check_audit_enforce_exit(o: Outcome, ctx):
    """A read refused while procscope runs works once it has exited: nothing is left."""
    if enforce_refused(o, ctx):
        return
    expect_clean_exit(o)
    expect_enforce_ready(o, ctx)
    recs, summary = audit_records(o)
    during = op_of(o.workloads[0], "peek", "environ")
    after = op_of(report_file(o, "after.json", "the reader after procscope's exit"), "peek",
                  "environ")
    expect_eq((during["errors"] > 0, during["bytes"]), (True, 0), "refused while running")
    expect_eq((after["errors"], after["bytes"] > 0), (0, True),
              f"the same read after procscope exited: {after}")
    expect_eq([(r["rule"], r["action"]) for r in recs], [("environ-read", "denied")],
              "one refusal reported")


def check_audit_enforce_dry_run(o: Outcome, ctx):
    """--enforce-dry-run: the read works, its record says it would have been denied."""
    if enforce_refused(o, ctx):
        return
    expect_clean_exit(o)
    expect_enforce_ready(o, ctx, dry_run=True)
    recs, summary = audit_records(o)
    peek = op_of(o.workloads[0], "peek", "environ")
    expect_eq((peek["errors"], peek["bytes"] > 0), (0, True), f"the read worked: {peek}")
    expect_eq([(r["rule"], r["action"], r["error"], r["bytes"]) for r in recs],
              [("environ-read", "would-deny", None, peek["bytes"])], "the record")
    expect_eq(summary["denied"], peek["data_calls"], "calls that would have been denied")


def check_audit_enforce_refused(o: Outcome, ctx):
    """Where the kernel loads neither BPF LSM nor fmod_ret programs (this machine: no fentry,
    LSM programs refused), --enforce is refused with one line saying what it lacks."""
    if ctx["mode"] == "tracepoint":
        usage_error(r"^procscope: --enforce: this kernel lets no BPF program refuse an access: "
                    r".*fmod_ret", status=1)(o, ctx)
    else:
        expect_clean_exit(o)
        expect(re.search(r" enforce=(lsm|fmod_ret)$", o.stderr, re.M),
               f"a kernel with trampolines: enforcement ready: {o.stderr!r}")


def check_audit_doors(o: Outcome, ctx):
    """The doors that are system calls, on a child: one record per kind with its calls; refused
    (as nobody, on init): the denied rules; on the own process and its threads: nothing."""
    expect_clean_exit(o)
    recs, summary = audit_records(o)
    root, _, nobody = o.workloads
    want = []
    for call, rule, technique, moves in (("vm_read", "process-vm-read", "T1003", True),
                                         ("vm_write", "process-vm-write", "T1055", True),
                                         ("getfd", "pidfd-getfd", "T1005", False),
                                         ("attach", "ptrace-attach", "T1055.008", False)):
        op = op_of(root, "door", call)
        expect_eq((op["calls"], op["errors"]), (op["iterations"], 0), f"the child's {call}")
        want.append((rule, call, op["calls"], 8 * op["calls"] if moves else 0, None, root["pid"],
                     0, op["target"], "wl_target", 0, "child", technique))
    for call, rule, technique in (("vm_read", "process-vm-read-denied", "T1003"),
                                  ("attach", "ptrace-attach-denied", "T1055.008"),
                                  ("getfd", "pidfd-getfd-denied", "T1005"),
                                  ("vm_write", "process-vm-write-denied", "T1055")):
        op = op_of(nobody, "door", call)
        expect_eq((op["calls"], op["errors"]), (0, 1), f"init's {call} as nobody (refused)")
        want.append((rule, call, 1, 0, "EPERM", nobody["pid"], 65534, 1, None, 0, "other-uid",
                     technique))
    got = [(r["rule"], r["op"], r["calls"], r["bytes"], r["error"], r["reader"]["pid"],
            r["reader"]["uid"], r["target"]["pid"], r["target"]["comm"], r["target"]["uid"],
            r["target"]["relation"], r["mitre"]) for r in recs]
    # init's name differs by system: any
    got = [g[:8] + ((None,) if g[5] == nobody["pid"] else (g[8],)) + g[9:] for g in got]
    expect_eq(got, want, "the door records (none for the own process and its threads)")
    for r in recs:
        expect_eq((r["path"], r["target"]["pidns"]), (None, "same"), f"{r['rule']}: path, pidns")
        parent = r["reader"]["parent"]
        expect(parent and parent["pid"] > 0 and parent["comm"],
               f"{r['rule']}: the reader's parent (the scenario's shell): {parent}")
    expect_eq((summary["received"], summary["lost"], summary["allowed"]),
              (sum(w[2] for w in want), 0, 0), "received, lost, allowed")


def report_file(o: Outcome, name: str, what: str) -> dict:
    """The workload report a command wrote into the scenario's directory."""
    try:
        return json.loads(o.read(name))
    except json.JSONDecodeError:
        raise CheckFailed(f"{what} wrote no report to {name}: {o.read(name)[:200]!r}")


def check_audit_recon(o: Outcome, ctx):
    """recon-read: a process listening since before procscope started (found by the scan), one
    that listens after, and its forked child, reading system facts and their own files: one
    record each, with the calls that moved bytes; the child it executes anew, and the same
    reads by a process that does not listen: nothing."""
    expect_clean_exit(o)
    recs, summary = audit_records(o)
    seed = report_file(o, "seed.json", "the listener started before procscope")
    server, quiet = o.workloads
    for w, family in ((seed, "tcp6"), (server, "tcp4")):
        expect_eq(op_of(w, "listen", family)["calls"], 1, f"{w['pid']} listens on {family}")
    want = []

    def add(w, path, shown, reader=None, relation="none"):
        op = op_of(w, "forkread" if reader else "read", path)
        expect_eq(op["errors"], 0, f"{op['op']}:{path}")
        want.append(("recon-read", "read", shown, op["calls"] - op["iterations"], op["bytes"],
                     reader or w["pid"], relation, "T1082"))

    add(seed, "/proc/self/environ", f"/proc/{seed['pid']}/environ", relation="self")
    add(server, "/proc/version", "/proc/version")
    add(server, "/proc/self/cmdline", f"/proc/{server['pid']}/cmdline", relation="self")
    add(server, "/proc/net/tcp", f"/proc/{server['pid']}/net/tcp")
    child = op_of(server, "forkread", "/proc/version")
    add(server, "/proc/version", "/proc/version", reader=child["reader"])
    executed = op_of(server, "execread", "/proc/version")
    expect_eq((executed["calls"], executed["errors"]), (1, 0), "the executed child's reads")
    for op in quiet["ops"]:
        expect_eq(op["errors"], 0, f"the quiet process's {op['op']}:{op['path']}")
    got = [(r["rule"], r["op"], r["path"], r["calls"], r["bytes"], r["reader"]["pid"],
            r["target"]["relation"] if r.get("target") else "none", r["mitre"]) for r in recs]
    expect_eq(sorted(got), sorted(want), "the recon records (none for the executed child and "
              "for the process that does not listen)")
    expect_eq((summary["lost"], summary["allowed"]), (0, 0), "lost, allowed")


def check_audit_recon_servers(o: Outcome, ctx):
    """A server program (the rules file's servers:, a glob) that does not listen, its forked
    child and the program it executes (not a server program itself): each read reported; the
    same program elsewhere (the workload itself): nothing."""
    expect_clean_exit(o)
    recs, summary = audit_records(o)
    server = report_file(o, "c1.out", "the server program")
    quiet = o.workloads[0]
    version = op_of(server, "read", "/proc/version")
    executed = op_of(server, "execread", "/proc/version")
    forked = op_of(server, "forkread", "/proc/self/cmdline")
    expect_eq((executed["calls"], executed["errors"]), (1, 0), "the executed child's reads")
    expect_eq(forked["errors"], 0, "the forked child's reads")
    for op in quiet["ops"]:
        expect_eq(op["errors"], 0, f"the quiet process's {op['op']}:{op['path']}")
    want = sorted([
        ("recon-read", "/proc/version", version["calls"] - 1, version["bytes"], server["pid"]),
        ("recon-read", "/proc/version", 1, -1, executed["reader"]),
        ("recon-read", f"/proc/{forked['reader']}/cmdline", forked["calls"] - 1, forked["bytes"],
         forked["reader"])])
    # the executed child's bytes are its own report's, which it does not write
    got = sorted((r["rule"], r["path"], r["calls"], r["bytes"] if r["reader"]["pid"] !=
                  executed["reader"] else -1, r["reader"]["pid"]) for r in recs)
    expect_eq(got, want, "the recon records of the server program and its children")
    expect_eq((summary["lost"], summary["allowed"]), (0, 0), "lost, allowed")


def check_audit_symlink(o: Outcome, ctx):
    expect_clean_exit(o)
    recs, _ = audit_records(o)
    peek = op_of(o.workloads[0], "peek", "environ")
    expect(peek["read_path"].startswith("/tmp/"), f"read through a symlink: {peek['read_path']}")
    expect_eq(len(recs), 1, f"records: {recs}")
    expect_event(recs[0], "environ-read", "read", peek, "environ through a symlink")


def check_audit_rules(o: Outcome, ctx):
    """A child's cmdline, a sibling's mem (open and read) and maps: one record each."""
    expect_clean_exit(o)
    recs, summary = audit_records(o)
    cmdline, mem, maps = (w["ops"][0] for w in o.workloads)
    expect_eq([(r["rule"], r["op"]) for r in recs],
              [("cmdline-read", "read"), ("mem-access", "open"), ("mem-access", "read"),
               ("maps-read", "read")], "rules and operations, in order")
    expect_event(recs[0], "cmdline-read", "read", cmdline, "child's cmdline", relation="child")
    expect_eq(recs[0]["severity"], "low", "cmdline-read severity")
    expect_event(recs[1], "mem-access", "open", mem, "sibling's mem opened")
    expect_event(recs[2], "mem-access", "read", mem, "sibling's mem read")
    expect_eq(recs[2]["bytes"], mem["bytes"], "bytes read from mem")
    expect_eq(recs[1]["severity"], "critical", "mem-access severity")
    expect_event(recs[3], "maps-read", "read", maps, "sibling's maps")
    expect_eq((summary["received"], summary["lost"]), (4, 0), "received, lost")


def check_audit_allowlisted(o: Outcome, ctx):
    expect_clean_exit(o)
    recs, summary = audit_records(o)
    expect_eq(recs, [], "records of an allowlisted executable")
    expect_eq((summary["received"], summary["allowed"]), (1, 1), "received and allowed calls")
    expect(re.search(r"ready mode=\w+ probes=\d+ allowlist=1 capabilities=\w+$", o.stderr, re.M),
           f"ready line with the allowlist's size: {o.stderr!r}")


def check_audit_kernel_files(o: Outcome, ctx):
    """A sysctl written with its name and bytes; /proc/kallsyms read, every call counted; a
    refused sysfs write."""
    expect_clean_exit(o)
    recs, summary = audit_records(o)
    w = o.workloads[0]
    write = op_of(w, "write", SYSCTL)
    kallsyms = op_of(w, "read", "/proc/kallsyms")
    sysctl = [r for r in recs if r["rule"] == "sysctl-write"]
    expect_eq(len(sysctl), 1, f"sysctl-write records: {sysctl}")
    expect_eq((sysctl[0]["path"], sysctl[0]["sysctl"], sysctl[0]["op"], sysctl[0]["calls"],
               sysctl[0]["bytes"], sysctl[0]["target"]),
              (SYSCTL, "vm.overcommit_ratio", "write", write["calls"], write["bytes"], None),
              "sysctl write: path, name, op, calls, bytes, target")
    ks = [r for r in recs if r["rule"] == "kallsyms-read"]
    expect(ks, "no kallsyms-read record")
    # Every read that returned data, coalesced into records of one thread; the last read
    # (end of file) is no access.
    expect_eq((sum(r["calls"] for r in ks), sum(r["bytes"] for r in ks)),
              (kallsyms["calls"] - kallsyms["iterations"], kallsyms["bytes"]),
              "kallsyms calls and bytes")
    expect(all(r["reader"]["pid"] == w["pid"] and r["path"] == "/proc/kallsyms" for r in ks),
           f"kallsyms records: {ks}")
    # A sysfs write the kernel refuses (EINVAL: not a mode): an attempt is reported too.
    bad = op_of(w, "write", SYSFS_ATTR)
    expect_eq(bad["errors"], 1, "the refused sysfs write")
    fs = [r for r in recs if r["rule"] == "sysfs-write"]
    expect_eq([(r["path"], r["op"], r["calls"], r["bytes"], r["error"]) for r in fs],
              [(SYSFS_ATTR, "write", 1, 0, "EINVAL")], "sysfs-write records")
    expect_eq(len(recs), len(sysctl) + len(ks) + len(fs), "no other records")
    expect_eq(summary["lost"], 0, "lost")
    # The value written back is the one that was there (cgroup/sysctl, 6.1 and later).
    if kernel_version(ctx) >= (6, 1):
        expect(sysctl[0]["old_value"] == sysctl[0]["new_value"] and
               sysctl[0]["new_value"].isdigit() and sysctl[0]["values_note"] is None,
               f"the sysctl's old and new values: {sysctl[0]}")
    else:
        expect(sysctl[0]["old_value"] is None and "6.1" in (sysctl[0]["values_note"] or ""),
               f"no values before 6.1, and why: {sysctl[0]}")


IRQ_AFFINITY = "/proc/irq/default_smp_affinity"  # written back with its own value


def check_audit_proc_writes(o: Outcome, ctx):
    """A shell raises its child's oom_score_adj (process-tunable-write, the child its target),
    sets its own (no record: its own), and writes the default IRQ affinity back (proc-write,
    where the file exists)."""
    expect_clean_exit(o)
    expect_eq(o.commands_failed, [], "the shell's writes")
    recs, _ = audit_records(o)
    child = int(o.read("c1.out"))
    irq = o.read("c2.out").strip() == "yes"
    got = [(r["rule"], r["path"], (r["target"] or {}).get("pid"),
            (r["target"] or {}).get("relation"), r["mitre"]) for r in recs]
    want = [("process-tunable-write", f"/proc/{child}/oom_score_adj", child, "child",
             "T1562.001")]
    if irq:
        want.append(("proc-write", IRQ_AFFINITY, None, None, "T1562"))
    expect_eq(got, want, "records (rule, path, target, relation, technique)")


KPTR_RESTRICT = "/proc/sys/kernel/kptr_restrict"


def check_audit_sysctl_weakened(o: Outcome, ctx):
    """A shell sets kernel.kptr_restrict to 0 and back: sysctl-weakened (high, T1562) with the
    old and the new value, then, if it was not 0, the restoring sysctl-write; before 6.1 (no
    values) both are sysctl-write."""
    expect_clean_exit(o)
    expect_eq(o.commands_failed, [], "the shell's writes")
    recs, summary = audit_records(o)
    was = o.read("c1.out").strip()
    got = [(r["rule"], r["old_value"], r["new_value"], r["calls"]) for r in recs]
    if kernel_version(ctx) < (6, 1):
        expect(recs and all(r["rule"] == "sysctl-write" and r["old_value"] is None for r in recs),
               f"sysctl-write records without values: {recs}")
        return
    want = [("sysctl-weakened", was, "0", 2 if was == "0" else 1)]
    if was != "0":
        want.append(("sysctl-write", "0", was, 1))
    expect_eq(got, want, "records (rule, old, new, calls)")
    expect_eq((recs[0]["severity"], recs[0]["mitre"], recs[0]["sysctl"]),
              ("high", "T1562", "kernel.kptr_restrict"), "severity, technique, name")


def check_audit_pidns(o: Outcome, ctx):
    """A process in a new pid namespace, still on the outer /proc, reads pid 1's stat."""
    expect_clean_exit(o)
    expect(not o.commands_failed, f"unshare failed: {o.commands_failed}")
    recs, _ = audit_records(o)
    w = json.loads(o.read("ns.out").strip().splitlines()[-1])
    stat = op_of(w, "pread", "/proc/1/stat")
    expect_eq(len(recs), 1, f"records: {recs}")
    r = recs[0]
    expect_eq((r["rule"], r["severity"], r["path"], r["calls"], r["bytes"]),
              ("pidns-foreign-read", "high", "/proc/1/stat", stat["calls"], stat["bytes"]),
              "rule, severity, path, calls, bytes")
    expect_eq((r["target"]["pid"], r["target"]["pidns"]), (1, "foreign"), "target and pidns")
    expect_eq(r["reader"]["comm"], "wl_ns", "reader comm")


def check_audit_daemon(o: Outcome, ctx):
    expect_clean_exit(o)
    expect(not o.commands_failed, f"scrape failed: {o.commands_failed}")
    samples = parse_metrics(o.read("metrics.1"), "the scrape")
    environ = op_of(o.workloads[0], "peek", "environ")
    cmdline = op_of(o.workloads[1], "peek", "cmdline")
    got = {dict(l)["rule"]: v for (name, l), v in samples.items()
           if name == "procscope_audit_events_total"}
    # Every rule at the default severity (low) is exported, from 0; the info rules are not.
    want = {r: 0 for r, sev in AUDIT_RULES if SEVERITIES.index(sev) >= SEVERITIES.index("low")}
    want["environ-read"] = environ["data_calls"]
    want["cmdline-read"] = cmdline["data_calls"]
    expect_eq(got, want, "procscope_audit_events_total by rule")
    expect_eq(metric(samples, "procscope_audit_lost_events_total"), 0, "lost events")
    # The per-file counting goes on beside the audit.
    expect_eq(metric(samples, "procscope_file_reads_total", path="/proc/[pid]/environ",
                     fs="proc"), environ["calls"], "environ reads counted")
    log, _ = audit_records(o, o.read("audit.log"))
    expect_eq([(r["rule"], r["calls"]) for r in log],
              [("environ-read", environ["data_calls"]), ("cmdline-read", cmdline["data_calls"])],
              "the audit log's records")
    expect_event(log[0], "environ-read", "read", environ, "logged environ read")


# ---------------------------------------------------------------- load

LOAD_ADDR = "127.0.0.1:19113"


def load_workload() -> List[str]:
    """At least 1,000,000 reads from one thread per CPU across /proc and /sys files."""
    threads = os.cpu_count() or 1
    per_thread = -(-1000000 // threads)  # ceiling
    parts = (("/proc/self/stat", 0.4), ("/proc/self/status", 0.2), (SYSFS_ATTR, 0.3),
             ("/proc/loadavg", 0.1))
    ops = [f"pread:{path}:{int(per_thread * share)}" for path, share in parts]
    return [WL, "wl_load", "--threads", str(threads)] + ops


def load_expected(w: dict) -> Dict[str, tuple]:
    names = {"/proc/self/stat": "/proc/[pid]/stat", "/proc/self/status": "/proc/[pid]/status"}
    want = {names.get(op["path"], op["path"]): (op["calls"], op["bytes"]) for op in w["ops"]}
    calls = sum(c for c, _ in want.values())
    expect(calls >= 1000000, f"the load made {calls} reads, not a million")
    expect(all(op["errors"] == 0 for op in w["ops"]), f"failed reads: {w['ops']}")
    return want


def check_load_top(o: Outcome, ctx):
    expect_clean_exit(o)
    recs = o.records()
    want = load_expected(o.workloads[0])
    got = {p: (t["reads"], t["read_bytes"]) for p, t in file_totals(recs).items()}
    expect_eq(got, want, "reads and bytes per file under load")
    expect_eq(sum(r["dropped"] for r in recs), 0, "dropped")


def check_load_daemon(o: Outcome, ctx):
    expect_clean_exit(o)
    expect(not o.commands_failed, f"scrape failed: {o.commands_failed}")
    want = load_expected(o.workloads[0])
    samples = parse_metrics(o.read("metrics.1"), "the scrape under load")
    got = {}
    for (name, labels), v in samples.items():
        if name == "procscope_file_reads_total":
            lab = dict(labels)
            got[lab["path"]] = (int(v), int(metric(samples, "procscope_file_read_bytes_total",
                                                   **lab)))
    expect_eq(got, want, "reads and bytes per file in /metrics under load")
    expect_eq(metric(samples, "procscope_dropped_total", reason="files_full"), 0, "dropped")


def check_load_trace(o: Outcome, ctx):
    """A million events: every one either printed or counted lost, per file too."""
    expect_clean_exit(o)
    want = load_expected(o.workloads[0])
    events, summary = trace_records(o)
    caused = sum(c for c, _ in want.values())
    expect_eq(summary["received"], len(events), "received = events printed")
    expect_eq(summary["received"] + summary["lost"], caused, "received + lost = caused")
    per_path: Dict[str, int] = {}
    for e in events:
        per_path[e["path"]] = per_path.get(e["path"], 0) + 1
    for path, n in per_path.items():
        expect(path in want and n <= want[path][0], f"{n} events of {path}")
    print(f"#   load_trace: {summary['received']} received, {summary['lost']} lost of {caused}",
          flush=True)


def proc_status(text: str) -> List[Dict[str, str]]:
    """/proc/PID/status files, one after another, as a list of {field: value}."""
    out, cur = [], {}
    for line in text.splitlines():
        k, _, v = line.partition(":")
        if k == "Name" and cur:
            out.append(cur)
            cur = {}
        cur[k] = v.strip()
    if cur:
        out.append(cur)
    return out


def check_daemon_privileges(o: Outcome, ctx):
    """Once attached, the daemon keeps no capability (CAP_BPF where map reads need one, before
    Linux 6.5), none in its bounding or ambient set, no_new_privs and a seccomp filter, in every
    thread; and its scrapes still read the maps."""
    expect_clean_exit(o)
    expect(not o.commands_failed, f"commands failed: {o.commands_failed}")
    release, unpriv = o.read("kernel.txt").split()
    # What the kernel allows, measured apart: a process that made a map, then dropped every
    # capability, reads it (Linux 6.5, and the stable kernels it went back to) or is refused
    # (before, when kernel.unprivileged_bpf_disabled is set).
    truth = op_of(o.workloads[1], "capless", "MAP")
    want = 1 << CAP_BPF if truth["errors"] else 0
    threads = proc_status(o.read("tasks.txt"))
    expect(len(threads) >= 2, f"the daemon's threads (main and HTTP): {len(threads)}")
    for t in threads:
        got = {k: int(t[k], 16) for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")}
        expect_eq(got, {"CapInh": 0, "CapPrm": want, "CapEff": want, "CapBnd": want,
                        "CapAmb": 0}, f"capabilities of thread {t.get('Pid')} on {release} "
                  f"with unprivileged_bpf_disabled={unpriv}")
        expect_eq(t["NoNewPrivs"], "1", "NoNewPrivs")
        expect_eq((t["Seccomp"], t.get("Seccomp_filters", "1")), ("2", "1"),
                  "a seccomp filter (mode 2) on every thread")
    kept = re.search(r"capabilities=(\S+)$", o.stderr, re.M)
    expect(kept and kept.group(1) == ("none" if want == 0 else "cap_bpf"),
           f"capabilities in the ready line: {o.stderr!r}")
    samples = parse_metrics(o.read("metrics.1"), "the scrape")
    stat = op_of(o.workloads[0], "pread", "/proc/self/stat")
    expect_eq(metric(samples, "procscope_file_reads_total", path="/proc/[pid]/stat", fs="proc"),
              stat["calls"], "reads counted after the capabilities were dropped")


def check_list_rules_json(o: Outcome, ctx):
    expect_eq(o.rc, 0, "exit status")
    rows = [json.loads(l) for l in o.stdout.splitlines()]
    expect_eq([(r["rule"], r["severity"]) for r in rows], AUDIT_RULES, "rule ids and severities")
    expect(all(r["summary"] for r in rows), "every rule has a summary")
    expect(all(re.match(r"^T\d{4}(\.\d{3})?$", r["mitre"]) for r in rows),
           f"every rule has an ATT&CK technique id: {[r['mitre'] for r in rows]}")


def check_list_rules(o: Outcome, ctx):
    expect_eq(o.rc, 0, "exit status")
    rows = [l.split()[:2] for l in o.stdout.splitlines()[1:]]
    expect_eq([tuple(r) for r in rows], AUDIT_RULES, "rule ids and severities")


# ---------------------------------------------------------------- the list

WL = "--comm"


def scenarios(sysctl_value: str = "50", fixtures: str = HOST_FIXTURES,
              arch: str = "amd64") -> List[Scenario]:
    """Every scenario; @arch (Debian's name) where their arguments depend on it."""
    return [
        Scenario("top_exact_counts", ["top", "--json", "-c", "wl_exact", "-i", "1"],
                 [[WL, "wl_exact", "pread:/proc/self/stat:5000", f"pread:{SYSFS_ATTR}:300"]],
                 check_top_exact, auto=True),
        Scenario("walk_files", ["top", "--json", "-c", "wl_walk", "-i", "1"],
                 [[WL, "wl_walk", "opens:/proc/self/status:7", "opens:/proc/999999999/status:5",
                   "list:/proc/self/task:4"]], check_walk_files),
        Scenario("fd_folding", ["top", "--json", "-c", "wl_fd", "-i", "1"],
                 [[WL, "wl_fd", "files:/proc/self/fdinfo:4"]], check_fd_folding),
        Scenario("walk_stat", ["stat", "--json", "-c", "wl_wstat", "-i", "1"],
                 [[WL, "wl_wstat", "opens:/proc/self/status:9", "opens:/proc/999999999/status:6",
                   "list:/sys/kernel:3", "readlink:/proc/self/exe:4",
                   "readlink:/proc/999999999/exe:2", "stat:/sys/kernel/mm:3",
                   "stat:/proc/999999999/status:2"]], check_walk_stat),
        Scenario("walk_stats", ["top", "--json", "-c", "wl_stats", "-i", "1"],
                 [[WL, "wl_stats", "stat:/proc/self/status:4", "lstat:/proc/self/exe:3",
                   "statx:/sys/kernel/mm:2", "fstat:/proc/self/stat:5", "fstatat:/proc/cpuinfo:6",
                   "coldstat:/proc/loadavg:3", "stat:/proc/999999999/status:2"]],
                 check_walk_stats),
        Scenario("walk_links", ["top", "--json", "-c", "wl_links", "-i", "1"],
                 [[WL, "wl_links", "readlink:/proc/self/exe:7", "readlinkat:/proc/self/fd/0:5",
                   "readlink:/sys/class/net/lo:4", "readlink:/proc/999999999/exe:3"]],
                 check_walk_links),
        Scenario("top_no_latency", ["top", "--json", "--no-latency", "-c", "wl_nl"],
                 [[WL, "wl_nl", "pread:/proc/self/stat:700", f"pread:{SYSFS_ATTR}:70"]],
                 check_no_latency),
        Scenario("top_self_cost", ["top", "--json", "--self-cost", "-c", "wl_sc", "-i", "1"],
                 [[WL, "wl_sc", "pread:/proc/self/stat:500", f"pread:{SYSFS_ATTR}:50"]],
                 check_self_cost),
        Scenario("top_per_process", ["top", "--json", "--per-process", "-c", "wl_pp"],
                 [[WL, "wl_pp", "pread:/proc/self/status:120"],
                  [WL, "wl_pp", "pread:/proc/self/status:70"]], check_per_process),
        Scenario("filter_comm", ["top", "--json", "-c", "wl_yes"],
                 [[WL, "wl_yes", "pread:/proc/self/stat:111"],
                  [WL, "wl_no", "pread:/proc/self/stat:222", "pread:/proc/self/status:5"]],
                 check_comm_filter),
        Scenario("filter_fs_sysfs", ["top", "--json", "-c", "wl_fs", "--fs", "sysfs"],
                 [[WL, "wl_fs", "pread:/proc/self/stat:50", f"pread:{SYSFS_ATTR}:60"]],
                 check_fs_filter_sysfs),
        Scenario("filter_fs_proc", ["top", "--json", "-c", "wl_fs", "--fs", "proc"],
                 [[WL, "wl_fs", "pread:/proc/self/stat:50", f"pread:{SYSFS_ATTR}:60"]],
                 check_fs_filter_proc, where=("host",)),
        Scenario("max_files_overflow", ["top", "--json", "-c", "wl_mf", "--max-files", "2"],
                 [[WL, "wl_mf", "pread:/proc/self/stat:10", "pread:/proc/self/status:20",
                   "pread:/proc/loadavg:30", "pread:/proc/uptime:40", f"pread:{SYSFS_ATTR}:50"]],
                 check_max_files),
        Scenario("errors_counted", ["top", "--json", "-c", "wl_err"],
                 [[WL, "wl_err", "pread:/proc/self/mem:25"]], check_errors),
        Scenario("thread_self_readv", ["top", "--json", "-c", "wl_tsv"],
                 [[WL, "wl_tsv", "readv:/proc/thread-self/stat:40"]], check_thread_self),
        Scenario("sysctl_write", ["top", "--json", "-c", "wl_sysctl"],
                 [[WL, "wl_sysctl", f"write:{SYSCTL}:{sysctl_value}:15"]], check_sysctl_write),
        Scenario("stat_functions", ["stat", "--json", "-c", "wl_stat", "-i", "1"],
                 [[WL, "wl_stat", "pread:/proc/self/stat:400", f"pread:{SYSFS_ATTR}:200",
                   "read:/proc/cpuinfo:10"]], check_stat, auto=True),
        Scenario("stat_proc_read_and_sysctl", ["stat", "--json", "-c", "wl_prs"],
                 [[WL, "wl_prs", f"pread:{PCI_CONFIG[arch]}:30", f"write:{SYSCTL}:{sysctl_value}:15",
                   f"pread:{SYSCTL}:10"]], check_proc_read_and_sysctl, where=("vm",)),
        Scenario("daemon_metrics", ["daemon", "--listen", DAEMON_ADDR, "-c", "wl_dm"],
                 [[WL, "wl_dm", "pread:/proc/self/stat:321", f"pread:{SYSFS_ATTR}:123",
                   "read:/proc/cpuinfo:4"], scrape(1),
                  [WL, "wl_dm", "pread:/proc/self/stat:100"], scrape(2)],
                 check_daemon_metrics, auto=True),
        Scenario("trace_events", ["trace", "--json", "-c", "wl_tr"],
                 [[WL, "wl_tr", "pread:/proc/self/stat:50", f"pread:{SYSFS_ATTR}:20",
                   "pread:/proc/self/mem:5"]], check_trace_events,
                 auto=True),
        Scenario("trace_walks", ["trace", "--json", "--op", "open,readdir", "-c", "wl_tw"],
                 [[WL, "wl_tw", "opens:/proc/self/status:3", "opens:/proc/999999999/status:2",
                   "list:/proc/self/task:2"]], check_trace_walks),
        Scenario("trace_errors_only", ["trace", "--json", "-c", "wl_tre", "--errors-only"],
                 [[WL, "wl_tre", "pread:/proc/self/stat:30", "pread:/proc/self/mem:7"]],
                 trace_filter_check("errors")),
        Scenario("trace_path_glob", ["trace", "--json", "-c", "wl_trp", "--path", "/proc/*/stat"],
                 [[WL, "wl_trp", "pread:/proc/self/stat:30", "pread:/proc/self/status:7",
                   f"pread:{SYSFS_ATTR}:3"]], trace_filter_check("path"), where=("host",)),
        Scenario("trace_min_lat", ["trace", "--json", "-c", "wl_trl", "--min-lat", "10s"],
                 [[WL, "wl_trl", "pread:/proc/self/stat:30"]], trace_filter_check("lat"),
                 where=("host",)),
        Scenario("trace_count", ["trace", "--json", "-c", "wl_trn", "-n", "10"],
                 [[WL, "wl_trn", "pread:/proc/self/stat:30"]], check_trace_count,
                 wait_exit=True, where=("host",)),
        Scenario("trace_tiny_ringbuf", ["trace", "--json", "-c", "wl_trt", "--ringbuf-size", "4"],
                 [[WL, "wl_trt", "pread:/proc/self/stat:20000"]], check_trace_tiny_ringbuf),
        Scenario("trace_user_stack", ["trace", "--json", "-U", "-c", "wl_us", "--path",
                                      "/proc/cpuinfo"],
                 [[WL, "wl_us", "stackread:/proc/cpuinfo:5"]], check_trace_user_stack),
        # procscope is stopped while the workload reads and exits: its stacks are symbolized
        # after the process is gone.
        Scenario("trace_exited_process", ["trace", "--json", "-U", "-c", "wl_ex"],
                 [["!", "sh", "-c", "kill -STOP $PROCSCOPE_PID"],
                  [WL, "wl_ex", "stackread:/proc/cpuinfo:1"],
                  ["!", "sh", "-c", "pid=$(sed -n 's/^{\"pid\": \\([0-9]*\\).*/\\1/p' w1.out); "
                   "kill -0 \"$pid\" 2>/dev/null && echo alive || echo gone"],
                  ["!", "sh", "-c", "kill -CONT $PROCSCOPE_PID"]], check_trace_exited),
        Scenario("trace_folded", ["trace", "--folded", "-c", "wl_fold", "--path", "/proc/cpuinfo"],
                 [[WL, "wl_fold", "stackread:/proc/cpuinfo:7"]], check_trace_folded),
        Scenario("trace_flamegraph", ["trace", "--json", "--flamegraph", "flame.svg", "-c",
                                      "wl_flame", "--path", "/proc/cpuinfo"],
                 [[WL, "wl_flame", "stackread:/proc/cpuinfo:6"]], check_trace_flamegraph),
        # user stacks of programs as distributions build them (no frame pointers)
        Scenario("trace_unwind_nofp", ["trace", "--json", "-U", "-c", "unwind_nofp", "--path",
                                       "/proc/cpuinfo"],
                 [unwind_program("unwind_nofp", "/proc/cpuinfo", "5")],
                 unwind_json_check("unwind_nofp")),
        Scenario("trace_unwind_table", ["trace", "-U", "-c", "unwind_o2", "--path",
                                        "/proc/cpuinfo"],
                 [unwind_program("unwind_o2", "/proc/cpuinfo", "3")], check_unwind_table),
        Scenario("trace_unwind_lib_folded", ["trace", "--folded", "-U", "-c", "unwind_lib",
                                             "--path", "/proc/cpuinfo"],
                 [unwind_program("unwind_lib", "/proc/cpuinfo", "4")], check_unwind_folded),
        Scenario("trace_unwind_inline", ["trace", "--json", "--flamegraph", "flame.svg", "-U",
                                         "-c", "unwind_inline", "--path", "/proc/cpuinfo"],
                 [unwind_program("unwind_inline", "/proc/cpuinfo", "3")], check_unwind_inline),
        # procscope stopped while the program (its middle in a library) reads and exits
        Scenario("trace_unwind_exited", ["trace", "--json", "-U", "-c", "unwind_lib", "--path",
                                         "/proc/cpuinfo"],
                 [["!", "sh", "-c", "kill -STOP $PROCSCOPE_PID"],
                  unwind_program("unwind_lib", "/proc/cpuinfo", "2"),
                  ["!", "sh", "-c", "pid=$(sed -n 's/^{\"pid\": \\([0-9]*\\).*/\\1/p' c2.out); "
                   "kill -0 \"$pid\" 2>/dev/null && echo alive || echo gone"],
                  ["!", "sh", "-c", "kill -CONT $PROCSCOPE_PID"]], check_unwind_exited),
        Scenario("trace_unwind_truncated", ["trace", "--json", "--ustack-bytes", "4096", "-c",
                                            "unwind_nofp", "--path", "/proc/cpuinfo"],
                 [unwind_program("unwind_nofp", "/proc/cpuinfo", "3", "40")],
                 check_unwind_truncated),
        Scenario("trace_unwind_debian_cat", ["trace", "--json", "-U", "-c", "cat", "--path",
                                             "/proc/cpuinfo"],
                 [["!", "sh", "-c", "/usr/bin/cat /proc/cpuinfo > /dev/null"]],
                 check_unwind_debian_cat),
        Scenario("trace_unwind_python", ["trace", "--json", "-U", "-c", "python3", "--path",
                                         "/proc/cpuinfo"],
                 [["!", "sh", "-c", "kill -STOP $PROCSCOPE_PID"],
                  ["!", "sh", "-c", "exec python3 -c 'import os; print(os.getpid()); "
                   "open(\"/proc/cpuinfo\").read()'"],
                  ["!", "sh", "-c", "kill -0 $(cat c2.out) 2>/dev/null && echo alive || "
                   "echo gone"],
                  ["!", "sh", "-c", "kill -CONT $PROCSCOPE_PID"]], check_unwind_python,
                 where=("host",)),
        Scenario("trace_ustack_unknown", ["trace", "--ustack", "lbr"], [],
                 usage_error(r"^procscope trace: unknown way 'lbr' for --ustack \(known: fp, "
                             r"dwarf, auto\)"), needs_mode=False, where=("host",)),
        Scenario("trace_ustack_bytes_range", ["trace", "--ustack-bytes", "65536"], [],
                 usage_error(r"^procscope trace: invalid value '65536' for --ustack-bytes: out "
                             r"of range \(expected bytes from 512 to 32768\)"),
                 needs_mode=False, where=("host",)),
        Scenario("trace_func_stacks", ["trace", "--json", "-K", "-U", "-c", "wl_func",
                                       CPUINFO_SHOW[arch]],
                 [[WL, "wl_func", "stackread:/proc/cpuinfo:3"]], check_trace_func_stacks),
        Scenario("trace_unknown_func", ["trace", "no_such_function_xyz"], [],
                 usage_error(r"unknown kernel function no_such_function_xyz", status=1),
                 needs_mode=False),
        Scenario("trace_tiny_ringbuf_stacks", ["trace", "--json", "-K", "-U", "-c", "wl_trs",
                                               "--ringbuf-size", "4"],
                 [[WL, "wl_trs", "pread:/proc/self/stat:5000"]], check_trace_tiny_ringbuf),
        # kernel.kptr_restrict=2 hides kernel addresses even from root: one warning, and the
        # kernel frames are [unknown] rather than wrong.
        Scenario("trace_kptr_restrict", ["trace", "--json", "-K", "-c", "wl_kr"],
                 [[WL, "wl_kr", "pread:/proc/self/stat:3"],
                  ["!", "sh", "-c", f"sleep 0.5; cat kptr.orig > {KPTR}"]],
                 check_kptr_restrict,
                 prefix=["sh", "-c", f"cat {KPTR} > kptr.orig && echo 2 > {KPTR} && "
                         "exec \"$0\" \"$@\""], where=("host",)),
        # impact: what readers of /proc cost the processes they read
        Scenario("impact_readers", ["impact", "--json", "-c", "wl_imp", "-i", "1"],
                 [[WL, "wl_imp", "impact:smaps_rollup:2:20"]], check_impact_readers,
                 auto=True),
        Scenario("impact_contention", ["impact", "--json", "-c", "wl_imc", "-i", "1"],
                 [[WL, "wl_imc", "impact:smaps_rollup:2:400"]], impact_readers_check(True),
                 where=("host",)),
        Scenario("impact_no_reader", ["impact", "--json", "-c", "wl_imn"],
                 [[WL, "wl_imn", "impact:smaps:0:0"]], check_impact_no_reader),
        Scenario("impact_status", ["impact", "--json", "-c", "wl_ims"],
                 [[WL, "wl_ims", "impact:status:1:50"]], check_impact_status),
        Scenario("impact_unknown_pid", ["impact", "-p", "4194303"], [],
                 usage_error(r"^procscope impact: no process with pid 4194303 \(check "
                             r"-p/--pid\)$"), needs_mode=False, where=("host",)),
        Scenario("impact_daemon_no_latency", ["daemon", "--impact", "--no-latency"], [],
                 usage_error(r"^procscope daemon: --impact needs each read's entry, which "
                             r"--no-latency leaves out"), needs_mode=False, where=("host",)),
        Scenario("impact_daemon_no_proc", ["daemon", "--impact", "--fs", "sysfs"], [],
                 usage_error(r"^procscope daemon: --impact needs proc in --fs"),
                 needs_mode=False, where=("host",)),
        Scenario("stall_trace", ["trace", "--json", "--min-stall", "100us", "-U", "-c",
                                 "wl_reader"],
                 [[WL, "wl_stl", "impact:smaps_rollup:2:400"]], stall_check(True),
                 where=("host",)),
        Scenario("stall_trace_vm", ["trace", "--json", "--min-stall", "100us", "-U", "-c",
                                    "wl_reader"],
                 [[WL, "wl_stv", "impact:smaps_rollup:2:20"]], stall_check(False),
                 where=("vm",)),
        Scenario("stall_no_unit", ["trace", "--min-stall", "5"], [],
                 usage_error(r"^procscope trace: invalid value '5' for --min-stall: no unit "
                             r"\(expected a duration such as 500us, 2ms or 1s\)"),
                 needs_mode=False, where=("host",)),
        Scenario("stall_with_min_lat", ["trace", "--min-stall", "1ms", "--min-lat", "1ms"], [],
                 usage_error(r"^procscope trace: --min-stall traces waits, not calls"),
                 needs_mode=False, where=("host",)),
        Scenario("impact_reader_matches_none", ["impact", "--json", "--reader-comm",
                                                "wl_nobody", "-c", "wl_imz"],
                 [[WL, "wl_imz", "impact:smaps:1:1"]], check_impact_nothing, where=("host",)),
        # audit: who reads whose secrets
        Scenario("audit_environ", ["audit", "--json", "-c", "wl_au"],
                 [[WL, "wl_au", "peek:sibling:environ:1"], [WL, "wl_au", "peek:self:environ:1"],
                  [WL, "wl_au", "peek:thread:environ:1"]], check_audit_environ,
                 auto=True),
        Scenario("audit_doors", ["audit", "--json", "-c", "wl_door"],
                 [[WL, "wl_door", "door:child:vm_read:3", "door:child:vm_write:2",
                   "door:child:getfd:2", "door:child:attach:2"],
                  [WL, "wl_door", "door:self:vm_read:2", "door:thread:vm_read:2",
                   "door:self:getfd:1", "door:thread:attach:1", "door:self:vm_write:1"],
                  [WL, "wl_door", "--uid", "65534", "door:init:vm_read:1", "door:init:attach:1",
                   "door:init:getfd:1", "door:init:vm_write:1"]], check_audit_doors, auto=True),
        Scenario("audit_recon", ["audit", "--json", "-c", "wl_recon"],
                 [["!", "sh", "-c", "touch go; n=0; while [ ! -e seed.json ] && [ $n -lt 1200 ]; "
                   "do sleep 0.05; n=$((n + 1)); done"],
                  [WL, "wl_recon", "listen:tcp4:1", "read:/proc/version:2",
                   "read:/proc/self/cmdline:1", "read:/proc/net/tcp:1", "forkread:/proc/version:1",
                   "execread:/proc/version:1"],
                  [WL, "wl_recon", "read:/proc/version:2", "read:/proc/self/cmdline:1",
                   "read:/proc/net/tcp:1", "read:/proc/self/environ:1"]],
                 check_audit_recon, auto=True,
                 # a server that listened before procscope started: found by the scan
                 prefix=["sh", "-c", '"$PROCSCOPE_WORKLOAD" --comm wl_recon --out seed.json '
                         'listen:tcp6:1 waitfile:go:60000 read:/proc/self/environ:1 & '
                         'exec "$@"', "sh"]),
        Scenario("audit_recon_servers", ["audit", "--json", "-c", "wl_srv", "--rules",
                                         "servers.yaml"],
                 [["!", "sh", "-c", './wl_server --comm wl_srv --exec "$PROCSCOPE_WORKLOAD" '
                   "read:/proc/version:1 execread:/proc/version:1 forkread:/proc/self/cmdline:1"],
                  [WL, "wl_srv", "read:/proc/version:1"]],
                 check_audit_recon_servers,
                 # a copy of the workload is the server program, named by a glob
                 prefix=["sh", "-c", 'cp "$PROCSCOPE_WORKLOAD" wl_server && '
                         'printf "servers: [\\"%s/wl_serv*\\"]\\n" "$PWD" > servers.yaml && '
                         'exec "$@"', "sh"]),
        Scenario("audit_enforce", ["audit", "--json", "-c", "wl_enf", "--enforce",
                                   "environ-read,ptrace-attach", "--rules",
                                   f"{fixtures}/allow-enforce.yaml"],
                 [[WL, "wl_enf", "peek:sibling:environ:1"], [WL, "wl_enf", "door:child:attach:1"],
                  [WL, "wl_enf", "--uid", "65534", "peek:sibling:environ:1"],
                  [WL, "wl_enf", "peek:self:environ:1", "door:child:vm_read:1"],
                  ["!", "sh", "-c", f"echo $$ > {ENFORCE_CGROUP}/cgroup.procs && exec "
                   '"$PROCSCOPE_WORKLOAD" --comm wl_enf --out cgroup.json peek:sibling:environ:1']],
                 check_audit_enforce, where=("vm",), auto=True,
                 # the allowlist's cgroup must exist when procscope starts
                 prefix=["sh", "-c", f"mkdir -p {ENFORCE_CGROUP} && exec \"$@\"", "sh"]),
        Scenario("audit_enforce_exit", ["audit", "--json", "-c", "wl_enf", "-d", "5", "--enforce",
                                        "environ-read"],
                 [[WL, "wl_enf", "peek:sibling:environ:1"],
                  ["!", "sh", "-c", "while kill -0 $PROCSCOPE_PID 2>/dev/null; do sleep 0.1; done; "
                   '"$PROCSCOPE_WORKLOAD" --comm wl_enf --out after.json peek:sibling:environ:1']],
                 check_audit_enforce_exit, wait_exit=True, where=("vm",)),
        Scenario("audit_enforce_dry_run", ["audit", "--json", "-c", "wl_enf", "--enforce",
                                           "environ-read", "--enforce-dry-run"],
                 [[WL, "wl_enf", "peek:sibling:environ:1"]], check_audit_enforce_dry_run,
                 where=("vm",)),
        Scenario("audit_enforce_refused", ["audit", "-d", "1", "--enforce", "environ-read",
                                           "--rules", "/dev/null"], [],
                 check_audit_enforce_refused, wait_exit=True, where=("host",)),
        Scenario("audit_enforce_unknown_rule", ["audit", "--enforce", "environ-read,environ-reed"],
                 [], usage_error(r"^procscope audit: unknown rule 'environ-reed' for --enforce "
                                 r"\(--list-rules lists them\)"),
                 where=("host",), needs_mode=False),
        Scenario("audit_enforce_denied_rule", ["audit", "--enforce", "ptrace-attach-denied"], [],
                 usage_error(r"^procscope audit: --enforce cannot deny 'ptrace-attach-denied': "
                             r"it reports what the kernel itself refused"),
                 where=("host",), needs_mode=False),
        Scenario("audit_enforce_dry_run_alone", ["audit", "--enforce-dry-run"], [],
                 usage_error(r"^procscope audit: --enforce-dry-run needs --enforce RULES"),
                 where=("host",), needs_mode=False),
        Scenario("audit_symlink", ["audit", "--json", "-c", "wl_al"],
                 [[WL, "wl_al", "peek:link:environ:1"]], check_audit_symlink),
        Scenario("audit_rules", ["audit", "--json", "-c", "wl_ar"],
                 [[WL, "wl_ar", "peek:child:cmdline:1"], [WL, "wl_ar", "peek:sibling:mem:1"],
                  [WL, "wl_ar", "peek:sibling:maps:1"]], check_audit_rules),
        Scenario("audit_allowlisted", ["audit", "--json", "-c", "wl_aw", "--rules",
                                       f"{fixtures}/allow-workload.yaml"],
                 [[WL, "wl_aw", "peek:sibling:environ:1"]], check_audit_allowlisted),
        Scenario("audit_kernel_files", ["audit", "--json", "-c", "wl_ak"],
                 [[WL, "wl_ak", f"write:{SYSCTL}:{sysctl_value}:1", "read:/proc/kallsyms:1",
                   f"write:{SYSFS_ATTR}:bogus:1"]], check_audit_kernel_files),
        Scenario("audit_sysctl_weakened", ["audit", "--json", "-c", "sh"],
                 [["!", "sh", "-c", f"v=$(cat {KPTR_RESTRICT}); echo $v > c1.out; "
                   f"echo 0 > {KPTR_RESTRICT} && echo $v > {KPTR_RESTRICT}"]],
                 check_audit_sysctl_weakened),
        Scenario("audit_proc_writes", ["audit", "--json", "-c", "sh"],
                 [["!", "sh", "-c", "sleep 30 & p=$!; echo $p > c1.out; "
                   "echo 500 > /proc/$p/oom_score_adj; echo 0 > /proc/self/oom_score_adj; "
                   f"if [ -e {IRQ_AFFINITY} ]; then v=$(cat {IRQ_AFFINITY}); "
                   f"echo $v > {IRQ_AFFINITY}; echo yes > c2.out; else echo no > c2.out; fi; "
                   "kill $p"]],
                 check_audit_proc_writes),
        Scenario("audit_pidns", ["audit", "--json", "-c", "wl_ns"],
                 [["!", "sh", "-c", "unshare --pid --fork \"$PROCSCOPE_WORKLOAD\" --comm wl_ns "
                   "pread:/proc/1/stat:3 > ns.out"]], check_audit_pidns),
        Scenario("audit_daemon", ["daemon", "--audit", "--audit-log", "audit.log", "--listen",
                                  AUDIT_DAEMON_ADDR, "-c", "wl_ad"],
                 [[WL, "wl_ad", "peek:sibling:environ:1"], [WL, "wl_ad", "peek:sibling:cmdline:2"],
                  ["!", "sleep", "0.3"], scrape(1, AUDIT_DAEMON_ADDR)], check_audit_daemon),
        Scenario("daemon_privileges", ["daemon", "--listen", CAPS_DAEMON_ADDR, "-c", "wl_cap"],
                 [["!", "sh", "-c", "echo $(uname -r) $(cat /proc/sys/kernel/unprivileged_bpf_disabled) "
                   "> kernel.txt; cat /proc/$PROCSCOPE_PID/task/*/status > tasks.txt"], [WL, "wl_cap", "pread:/proc/self/stat:77"],
                  scrape(1, CAPS_DAEMON_ADDR), [WL, "wl_capless", "capless:MAP:1"]],
                 check_daemon_privileges),
        Scenario("audit_list_rules", ["audit", "--list-rules"], [], check_list_rules,
                 where=("host",), needs_mode=False),
        Scenario("audit_bad_rule_id", ["audit", "--rules", f"{fixtures}/bad-unknown-rule.yaml"],
                 [], usage_error(r"^procscope: .*/bad-unknown-rule.yaml:4: unknown rule "
                                 r"'environ-reed' \(see 'procscope audit --list-rules'\)"),
                 where=("host",), needs_mode=False),
        Scenario("audit_bad_yaml", ["audit", "--rules", f"{fixtures}/bad-syntax.yaml"], [],
                 usage_error(r"^procscope: .*/bad-syntax.yaml:4: .+ \(the allowlist format"),
                 where=("host",), needs_mode=False),
        Scenario("audit_missing_rules", ["audit", "--rules", "/nonexistent/rules.yaml"], [],
                 usage_error(r"^procscope: cannot read the rules file /nonexistent/rules.yaml: "
                             r"No such file or directory"), where=("host",), needs_mode=False),
        Scenario("audit_rules_directory", ["audit", "--rules", "/etc"], [],
                 usage_error(r"^procscope: cannot read the rules file /etc: Is a directory$"),
                 where=("host",), needs_mode=False),
        Scenario("audit_bad_severity", ["audit", "--severity", "urgent"], [],
                 usage_error(r"unknown severity 'urgent' for --severity"), where=("host",),
                 needs_mode=False),
        Scenario("daemon_rules_without_audit", ["daemon", "--rules", "x.yaml"], [],
                 usage_error(r"--rules and --list-rules need --audit"), where=("host",),
                 needs_mode=False),
        # a million reads from every core, counted exactly
        Scenario("load_top", ["top", "--json", "-c", "wl_load", "-i", "1", "--no-latency"],
                 [load_workload()], check_load_top, where=("host",)),
        Scenario("load_daemon", ["daemon", "--listen", LOAD_ADDR, "-c", "wl_load"],
                 [load_workload(), scrape(1, LOAD_ADDR)], check_load_daemon, where=("host",)),
        Scenario("load_trace", ["trace", "--json", "-c", "wl_load"], [load_workload()],
                 check_load_trace, where=("host",)),
        # Neither tracefs nor bpffs is needed: unmounted in a mount namespace of its own.
        Scenario("no_tracefs_bpffs", ["top", "--json", "-c", "wl_exact", "-i", "1"],
                 [[WL, "wl_exact", "pread:/proc/self/stat:500", f"pread:{SYSFS_ATTR}:30"]],
                 check_top_exact, where=("host",),
                 prefix=["unshare", "--mount", "sh", "-c",
                         "for m in /sys/kernel/debug/tracing /sys/kernel/tracing /sys/fs/bpf; do "
                         "umount $m 2>/dev/null; done; "
                         "if grep -qE ' (tracefs|bpf) ' /proc/self/mounts; then exit 99; fi; "
                         "exec \"$0\" \"$@\""]),
        Scenario("sigterm_clean", ["top", "--json", "-i", "30"], [], check_sigterm),
        Scenario("count_limit", ["top", "--json", "-n", "2", "-i", "0.2"], [], check_count_limit,
                 wait_exit=True, where=("host",)),
        Scenario("duration_limit", ["stat", "--json", "-d", "1", "-i", "0.4"], [],
                 check_duration_limit, wait_exit=True, where=("host",)),
        Scenario("top_table", ["top", "-C", "-c", "wl_tbl"],
                 [[WL, "wl_tbl", "pread:/proc/self/stat:77"]], check_table, where=("host",)),
        # Bad input: one line, the right status, no BPF left behind.
        Scenario("bad_interval", ["top", "-i", "abc"], [],
                 usage_error(r"^procscope top: invalid value 'abc' for -i/--interval: not a number"),
                 where=("host",), needs_mode=False),
        Scenario("bad_count", ["top", "-n", "0"], [],
                 usage_error(r"invalid value '0' for -n/--count: out of range"), where=("host",),
                 needs_mode=False),
        Scenario("bad_option", ["stat", "--bogus"], [],
                 usage_error(r"^procscope stat: unknown option '--bogus'"), where=("host",),
                 needs_mode=False),
        Scenario("option_of_other_command", ["stat", "-s", "reads"], [],
                 usage_error(r"option -s/--sort is not accepted by this command"),
                 where=("host",), needs_mode=False),
        Scenario("bad_fs", ["top", "--fs", "proc,procfs"], [],
                 usage_error(r"unknown filesystem 'procfs' in --fs"), where=("host",),
                 needs_mode=False),
        Scenario("bad_op", ["trace", "--op", "read,chmod"], [],
                 usage_error(r"unknown call 'chmod' in --op \(known: read, write, open, readdir, "
                             r"readlink, stat, all\)"), where=("host",), needs_mode=False),
        Scenario("op_with_func", ["trace", "--op", "open", "vfs_read"], [],
                 usage_error(r"--op chooses among the pseudo-file calls"), where=("host",),
                 needs_mode=False),
        Scenario("bad_mode", ["top", "--mode", "uprobe"], [],
                 usage_error(r"unknown mode 'uprobe' for --mode"), where=("host",),
                 needs_mode=False),
        Scenario("bad_sort", ["top", "-s", "size"], [], usage_error(r"unknown sort key 'size'"),
                 where=("host",), needs_mode=False),
        Scenario("missing_pid", ["top", "-p", "4194000"], [],
                 usage_error(r"no process with pid 4194000"), where=("host",), needs_mode=False),
        Scenario("bad_listen", ["daemon", "--listen", "localhost:80x"], [],
                 usage_error(r"^procscope daemon: invalid --listen 'localhost:80x': port '80x' "
                             r"is not a number"), where=("host",), needs_mode=False),
        Scenario("daemon_rejects_interval", ["daemon", "-i", "1"], [],
                 usage_error(r"option -i/--interval is not accepted by this command"),
                 where=("host",), needs_mode=False),
        Scenario("bad_min_lat", ["trace", "--min-lat", "5m"], [],
                 usage_error(r"invalid value '5m' for --min-lat: not a number \(expected a "
                             r"duration such as 500us, 2ms or 1s\)"), where=("host",),
                 needs_mode=False),
        Scenario("bad_ringbuf", ["trace", "--ringbuf-size", "6"], [],
                 usage_error(r"invalid value '6' for --ringbuf-size: out of range"),
                 where=("host",), needs_mode=False),
        Scenario("btf_missing", ["top", "--btf", "/nonexistent/vmlinux"], [],
                 usage_error(r"^procscope: cannot read BTF from /nonexistent/vmlinux: No such "
                             r"file or directory \(--btf wants"),
                 where=("host",), needs_mode=False),
        Scenario("btf_not_btf", ["top", "--btf", "/etc/os-release"], [],
                 usage_error(r"^procscope: cannot read BTF from /etc/os-release: .+ \(--btf "
                             r"wants"), where=("host",), needs_mode=False),
        Scenario("btf_from_file", ["top", "--json", "-c", "wl_fs", "--fs", "proc", "--btf",
                                   "/sys/kernel/btf/vmlinux"],
                 [[WL, "wl_fs", "pread:/proc/self/stat:50", f"pread:{SYSFS_ATTR}:60"]],
                 check_fs_filter_proc, where=("host",)),
        # A kernel without BTF of its own, played by hiding /sys/kernel/btf in a mount namespace.
        Scenario("no_kernel_btf", ["top"], [],
                 usage_error(r"^procscope: the kernel has no BTF \(/sys/kernel/btf/vmlinux "
                             r"missing\): it needs CONFIG_DEBUG_INFO_BTF=y, or --btf FILE",
                             status=1),
                 where=("host",), needs_mode=False,
                 prefix=["unshare", "--mount", "sh", "-c",
                         "mount -t tmpfs none /sys/kernel/btf && exec \"$0\" \"$@\""]),
        Scenario("unknown_command", ["frobnicate"], [],
                 usage_error(r"^procscope: unknown command 'frobnicate'"), where=("host",),
                 needs_mode=False),
        Scenario("help_top", ["top", "--help"], [], stdout_matches(r"^Usage: procscope top"),
                 where=("host",), needs_mode=False),
        Scenario("help_stat", ["stat", "-h"], [], stdout_matches(r"^Usage: procscope stat"),
                 where=("host",), needs_mode=False),
        Scenario("version", ["--version"], [], stdout_matches(r"^procscope \S+$"),
                 where=("host",), needs_mode=False),
        # The BCC tools' conventions (the option table's unit tests cover the parser itself).
        Scenario("help_command", ["help", "trace"], [],
                 stdout_matches(r"^Usage: procscope trace \[OPTIONS\] \[FUNC...\]$(.|\n)*"
                                r"^Examples:$"), where=("host",), needs_mode=False),
        Scenario("help_unknown_command", ["help", "frobnicate"], [],
                 usage_error(r"^procscope help: unknown command 'frobnicate'"),
                 where=("host",), needs_mode=False),
        Scenario("positional_interval_count", ["top", "--json", "0.2", "2"], [],
                 check_count_limit, wait_exit=True, where=("host",)),
        Scenario("ignored_option_refused", ["daemon", "--json"], [],
                 usage_error(r"^procscope daemon: option --json is not accepted by this command"),
                 where=("host",), needs_mode=False),
        Scenario("list_rules_json", ["audit", "--list-rules", "--json"], [], check_list_rules_json,
                 where=("host",), needs_mode=False),
        # A file named on the command line that cannot be used: exit status 2 whichever option.
        Scenario("flamegraph_unwritable", ["trace", "--flamegraph", "/nonexistent/f.svg"], [],
                 usage_error(r"^procscope: cannot write the flame graph to /nonexistent/f.svg: "
                             r"No such file or directory"), where=("host",), needs_mode=False),
        Scenario("audit_log_unwritable", ["daemon", "--listen", "127.0.0.1:19118", "--audit",
                                          "--audit-log", "/nonexistent/audit.json"], [],
                 usage_error(r"^procscope: cannot open the audit log /nonexistent/audit.json: "
                             r"No such file or directory"), where=("host",), needs_mode=False),
        Scenario("not_privileged", ["top"], [],
                 usage_error(r"^procscope: permission denied: run as root, or with CAP_BPF and "
                             r"CAP_PERFMON", status=1),
                 where=("host",), needs_mode=False,
                 prefix=["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                         "--inh-caps=-all", "--bounding-set=-all"]),
    ]


def unavailable_mode_scenarios(host_mode: str) -> List[Scenario]:
    """A forced mode the kernel can't do is an error naming the mode and why (exit 1). Which
    modes those are follows from the mode auto picked: modes are tried in this order."""
    order = ["fentry", "kprobe", "tracepoint"]
    return [Scenario(f"forced_{m}_unavailable", ["top", "--mode", m], [],
                     usage_error(rf"^procscope: {m} mode unavailable: .+", status=1),
                     where=("host",), needs_mode=False)
            for m in order[:order.index(host_mode)]]
