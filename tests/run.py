#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The test driver behind `make test`: cmocka unit tests, end-to-end scenarios on this machine's
kernel, and the VM kernel matrix. Prints one line per test and ends with `N passed, N failed`
(plus skipped, which never count as passed); exits non-zero on any failure."""
import argparse
import glob
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "e2e"))
import scenarios as sc  # noqa: E402
from tally import Tally  # noqa: E402
import daemon_host  # noqa: E402
import churn  # noqa: E402
import listers  # noqa: E402


def judge_unit(tally, test_prefix, rc, out):
    """Records one cmocka binary's results from its output and exit status. Each test counts
    once (cmocka lists failures again in its summary); a test that started and never finished
    (a crash), tests announced and never started, a non-zero exit that no failed test explains
    (a sanitizer report, a leak found at exit, exit()), and a binary that ran no test are
    failures too."""
    results, started, announced = {}, [], 0
    for m in re.finditer(r"^\[(=+| RUN +|\s+OK\s+|\s+FAILED\s+|\s+SKIPPED\s+)\] (.*)$", out, re.M):
        tag, rest = m.group(1).strip(), m.group(2).strip()
        if tag.startswith("="):
            n = re.match(r"Running (\d+) test", rest)
            announced += int(n.group(1)) if n else 0
        elif tag == "RUN":
            started.append(rest)
        elif re.fullmatch(r"\S+", rest) and rest not in results:
            results[rest] = tag
    problems = []
    for name, tag in results.items():
        if tag == "OK":
            tally.ok(f"{test_prefix}/{name}")
        elif tag == "SKIPPED":
            tally.skip(f"{test_prefix}/{name}", "skipped by the test")
        else:
            tally.fail(f"{test_prefix}/{name}", "see the output above")
    unfinished = [t for t in started if t not in results]
    for name in unfinished:
        tally.fail(f"{test_prefix}/{name}", f"started and never finished (exit {rc})")
    if announced > len(started):
        problems.append(f"{announced - len(started)} of {announced} tests never ran")
    if rc != 0 and not unfinished and "FAILED" not in results.values():
        problems.append(f"exit {rc} after its tests (a sanitizer report, a leak, exit())")
    if not results and not unfinished:
        problems.append(f"exit {rc}, no test ran")
    if problems:
        tally.fail(test_prefix, "; ".join(problems))
    return bool(problems or unfinished) or "FAILED" in results.values()


def run_unit(build, tally, label="unit", timeout=120):
    bins = sorted(glob.glob(os.path.join(build, "tests", "test_*")))
    bins = [b for b in bins if os.access(b, os.X_OK) and not b.endswith(".d")]
    if not bins:
        tally.fail(label, f"no unit test binaries in {build}/tests")
    for b in bins:
        name = os.path.basename(b)
        try:
            p = subprocess.run([b], capture_output=True, text=True, timeout=timeout,
                               env={**os.environ, "CMOCKA_MESSAGE_OUTPUT": "STDOUT"})
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) \
                else (e.stdout or "")
            print(out)
            tally.fail(f"{label}/{name}", f"did not finish within {timeout} s (a hang)")
            continue
        out = p.stdout + p.stderr
        if judge_unit(tally, f"{label}/{name}", p.returncode, out):
            print(out)


def run_scenario_dir(s: sc.Scenario, procscope, workload, outdir, mode=None):
    """Runs one scenario on this machine through run-scenario.sh."""
    args = list(s.args)
    if mode and s.needs_mode:
        args += ["--mode", mode]
    runner = procscope
    if s.prefix:
        runner, args = s.prefix[0], s.prefix[1:] + [procscope] + args
    cmd = ["sh", os.path.join(HERE, "e2e", "run-scenario.sh"), outdir, runner, workload,
           shlex.join(args)] + [shlex.join(w) for w in s.workloads]
    env = {**os.environ, "WAIT_EXIT": "1" if s.wait_exit else "0"}
    subprocess.run(cmd, env=env, timeout=600, check=False)


def host_mode(procscope):
    """The mode auto picks here: one short run, read from its ready line."""
    p = subprocess.run([procscope, "top", "--json", "-n", "1", "-i", "0.1"], capture_output=True,
                       text=True, timeout=120)
    m = re.search(r"^procscope: ready mode=(\w+)", p.stderr, re.M)
    return m.group(1) if m else None


def sysctl_value():
    with open(sc.SYSCTL) as f:
        return f.read().strip()


def run_e2e(build, tally):
    procscope = os.path.abspath(os.path.join(build, "procscope"))
    workload = os.path.abspath(os.path.join(build, "tests", "workload"))
    mode = host_mode(procscope)
    if not mode:
        tally.fail("e2e/host_mode", "procscope could not start on this machine's kernel")
        return
    print(f"# end-to-end on this kernel ({os.uname().release}), auto mode: {mode}", flush=True)
    ctx = {"mode": mode, "release": os.uname().release}
    todo = [s for s in sc.scenarios(sysctl_value()) if "host" in s.where]
    todo += sc.unavailable_mode_scenarios(mode)
    with tempfile.TemporaryDirectory(prefix="procscope-e2e-") as tmp:
        for s in todo:
            outdir = os.path.join(tmp, s.name)
            run_scenario_dir(s, procscope, workload, outdir)
            sc.judge(tally, f"e2e/{s.name}", s, outdir, ctx)
        # The pid filter needs its target alive before procscope starts.
        run_pid_filter(procscope, workload, tmp, tally, ctx)
    daemon_host.run(procscope, workload, tally)
    churn.run(procscope, workload, tally)
    listers.run(procscope, workload, tally)


def run_pid_filter(procscope, workload, tmp, tally, ctx):
    done = os.path.join(tmp, "pid_target.json")
    target = subprocess.Popen([workload, "--comm", "wl_pid", "--wait-signal", "--out", done,
                               "pread:/proc/self/stat:321"], stdout=subprocess.PIPE, text=True)
    try:
        pid = int(target.stdout.readline())
        s = sc.Scenario("filter_pid", ["top", "--json", "-p", str(pid)],
                        [["--comm", "wl_pid", "pread:/proc/self/stat:999"],
                         [f"signal:{pid}:0", f"waitfile:{done}:30000"]], None)

        def check_pid(o, _ctx):
            sc.expect_clean_exit(o)
            with open(done) as f:
                want = sc.op_of(__import__("json").load(f), "pread", "/proc/self/stat")
            tot = sc.file_totals(o.records())
            sc.expect_eq({k: (v["reads"], v["read_bytes"]) for k, v in tot.items()},
                         {"/proc/[pid]/stat": (want["calls"], want["bytes"])},
                         "reads seen with -p (only the target's)")
        s.check = check_pid
        outdir = os.path.join(tmp, s.name)
        run_scenario_dir(s, procscope, workload, outdir)
        sc.judge(tally, f"e2e/{s.name}", s, outdir, ctx)
    finally:
        target.kill()
        target.wait()


def bench_problems(out):
    """What is missing or wrong in a quick benchmark's results directory: every configuration
    procscope provides measured, peers measured or explained, no load error, every tracer ended
    as expected, and the JSON, table and chart complete."""
    import json
    sys.path.insert(0, os.path.join(TOP, "tools", "bench"))
    import bench  # noqa: E402  (tools/bench/bench.py)
    problems = []
    try:
        with open(os.path.join(out, "bench.json")) as f:
            res = json.load(f)
        if not res["modes"]:
            problems.append("no mode measured")
        for mode, m in res["modes"].items():
            measured = {r["config"] for r in m["rows"]}
            for config in ["none", "floor"] + bench.PROCSCOPE_CONFIGS:
                if config not in measured:
                    problems.append(f"{mode}: no measurement of {config}")
            missing = {"bpftrace", "filetop", "vfsstat"} - measured - set(m["unavailable"])
            if missing:
                problems.append(f"{mode}: peers neither measured nor explained: {missing}")
            problems += [f"{mode}: {e}" for e in m["errors"]]
            if not all(r["n"] >= 1 and r["median_ns"] > 0 for r in m["rows"]):
                problems.append(f"{mode}: empty measurements")
            # The kernel's accounting: every traced pseudo-file read runs procscope's programs.
            for r in m["rows"]:
                if r["config"] in bench.PROCSCOPE_CONFIGS and r["op"] in ("stat", "sysfs") and \
                        not (r.get("bpf_ns_per_read") or 0) > 0:
                    problems.append(f"{mode}: no BPF run time for {r['config']}/{r['op']}")
        for key in ("startup", "binary", "daemon"):
            if key not in res["host"]:
                problems.append(f"no {key} measurement")
        with open(os.path.join(out, "overhead.png"), "rb") as f:
            if f.read(8) != b"\x89PNG\r\n\x1a\n":
                problems.append("overhead.png is not a PNG")
        with open(os.path.join(out, "bench.txt")) as f:
            if "ns per read" not in f.read():
                problems.append("bench.txt has no table")
    except (OSError, ValueError, KeyError) as e:
        problems.append(f"{type(e).__name__}: {e}")
    return problems


def run_bench_quick(build, tally):
    """`make bench` in its quick mode, so the benchmark keeps working: it must finish, and its
    results must be complete (bench_problems). Nothing is timed or compared here."""
    with tempfile.TemporaryDirectory(prefix="procscope-bench-") as out:
        p = subprocess.run([sys.executable, os.path.join(TOP, "tools", "bench", "bench.py"),
                            "--build", build, "--quick", "--out", out], capture_output=True,
                           text=True, timeout=900)
        if p.returncode != 0:
            tally.fail("bench/quick", f"exit {p.returncode}:\n{p.stdout[-2000:]}{p.stderr[-2000:]}")
            return
        problems = bench_problems(out)
    if problems:
        tally.fail("bench/quick", "; ".join(problems))
    else:
        tally.ok("bench/quick")


# libFuzzer's coverage points ("cov:") each target must reach in make test's 5 s: about 60% of
# the lowest seen here (allowlist 117-120, kallsyms 56-57, options 197-212, pathfmt 56-57,
# procmaps 47-48, web_config 85-97; a 5 s run varies), well above what a target blind to its parser reaches (the
# sscanf-fronted procmaps target reached 4).
FUZZ_COVERAGE_FLOOR = {"allowlist": 70, "kallsyms": 34, "options": 140, "pathfmt": 34,
                       "procmaps": 28, "web_config": 55}


def run_fuzz(build, tally, seconds):
    """Each libFuzzer target for @seconds; a crash, leak or sanitizer report fails it."""
    bins = sorted(glob.glob(os.path.join(build, "fuzz", "fuzz_*")))
    bins = [b for b in bins if os.access(b, os.X_OK) and not b.endswith(".d")]
    if not bins:
        tally.fail("fuzz", f"no fuzz targets in {build}/fuzz")
    for b in bins:
        name = os.path.basename(b)
        # Seeds, when a target has some: tests/fuzz/seeds/<name without fuzz_>/ (read only:
        # libFuzzer writes what it finds into the first corpus directory, a temporary one).
        seeds = os.path.join(HERE, "fuzz", "seeds", name[len("fuzz_"):])
        with tempfile.TemporaryDirectory(prefix="procscope-fuzz-") as corpus:
            p = subprocess.run([b, f"-max_total_time={seconds}", "-rss_limit_mb=1024",
                                f"-artifact_prefix={corpus}/", corpus]
                               + ([seeds] if os.path.isdir(seeds) else []),
                               capture_output=True, text=True, timeout=seconds + 120)
        m = re.search(r"^#(\d+)\s+DONE\s+cov: (\d+)", p.stderr, re.M)
        floor = FUZZ_COVERAGE_FLOOR.get(name[len("fuzz_"):])
        if p.returncode != 0 or not m:
            tally.fail(f"fuzz/{name}", p.stderr[-3000:])
            continue
        inputs, cov = int(m.group(1)), int(m.group(2))
        print(f"#   {name}: {inputs} inputs in {seconds} s, coverage {cov} (floor {floor})",
              flush=True)
        if floor is None:
            tally.fail(f"fuzz/{name}", "no coverage floor set in FUZZ_COVERAGE_FLOOR")
        elif cov < floor:
            tally.fail(f"fuzz/{name}", f"reached {cov} coverage points, less than its floor "
                       f"{floor}: the fuzzer no longer sees into the code under test")
        else:
            tally.ok(f"fuzz/{name}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--meta", action="store_true", help="test this driver with fake binaries "
                    "and outcomes that must fail")
    ap.add_argument("--source", action="store_true", help="checks of the source tree: layers, "
                    "the option table against the help, man page and completion")
    ap.add_argument("--unit", action="store_true")
    ap.add_argument("--sanitized", metavar="DIR", help="also run the unit tests built in DIR "
                    "with ASan and UBSan")
    ap.add_argument("--unit-arm64", metavar="DIR", help="also run the arm64 unit tests built in "
                    "DIR (make ARCH=arm64), through qemu's user-mode emulation")
    ap.add_argument("--e2e", action="store_true")
    ap.add_argument("--vm", action="store_true")
    ap.add_argument("--bench", action="store_true", help="run the benchmark in its quick mode")
    ap.add_argument("--fuzz", type=int, metavar="SECONDS", help="run each fuzz target this long")
    ap.add_argument("--fresh", action="store_true", help="the Quick start in a fresh Debian root, "
                    "and the clang build")
    ap.add_argument("--deploy", action="store_true", help="TLS and Prometheus, the Debian "
                    "package in a fresh root, the image under podman")
    ap.add_argument("--soak", type=int, metavar="SECONDS", help="run the churn soak this long")
    ap.add_argument("--kernels", help="VM kernels (default: every one of the matrix)")
    ap.add_argument("--modes", help="VM attach modes (default: all)")
    a = ap.parse_args()
    narrowed = ""
    if a.vm:
        sys.path.insert(0, os.path.join(TOP, "tools"))
        import vmtest  # noqa: E402  (tools/vmtest.py)
        a.kernels = a.kernels.split() if a.kernels else vmtest.ALL_KERNELS
        a.modes = a.modes.split() if a.modes else vmtest.ALL_MODES
        narrowed = vmtest.narrowing(a.kernels, a.modes)
        if narrowed and os.environ.get("CI") == "true":
            print(f"run.py: CI=true refuses a narrowed VM matrix (left out: {narrowed}); "
                  "unset PROCSCOPE_VM_ONLY and KERNELS", file=sys.stderr)
            return 2
    tally = Tally()
    start = time.monotonic()
    if a.meta:
        import driver_selftest
        driver_selftest.run_all(tally)
    if a.source:
        import source_checks
        source_checks.run(a.build, tally)
    if a.unit:
        run_unit(a.build, tally)
    if a.sanitized:
        run_unit(a.sanitized, tally, "asan+ubsan")
    if a.unit and a.unit_arm64:
        run_unit(a.unit_arm64, tally, "unit-arm64")
    if a.fuzz:
        run_fuzz(a.build, tally, a.fuzz)
    if a.fresh:
        import fresh_machine
        fresh_machine.run(a.build, tally)
    if a.e2e:
        run_e2e(a.build, tally)
    if a.deploy:
        import deploy
        deploy.run(os.path.abspath(os.path.join(a.build, "procscope")),
                   os.path.abspath(os.path.join(a.build, "tests", "workload")), tally)
    if a.soak:
        import soak
        soak.run(os.path.abspath(os.path.join(a.build, "procscope")),
                 os.path.abspath(os.path.join(a.build, "tests", "workload")), a.soak, tally)
    if a.bench:
        run_bench_quick(os.path.abspath(a.build), tally)
    if a.vm:
        vmtest.run_matrix(a.build, a.kernels, a.modes, tally)
    print(f"# {time.monotonic() - start:.0f} s")
    if tally.failures:
        print("# failed: " + " ".join(tally.failures))
    if narrowed:
        print(f"# NARROWED RUN: the VM matrix left out {narrowed}")
    print(("NARROWED: " if narrowed else "") + tally.summary())
    return 1 if tally.failed or not tally.passed else 0


if __name__ == "__main__":
    sys.exit(main())
