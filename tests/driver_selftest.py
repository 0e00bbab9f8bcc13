# SPDX-License-Identifier: GPL-2.0-only
"""The test driver tested: fake unit binaries, scenario outcomes, fuzz targets, VM kernels and
benchmark results, each of which must end as a failure (and one good case of each as a pass), so
that no change to the driver can make a failure pass. Run by tests/run.py --meta."""
import contextlib
import io
import json
import os
import stat
import subprocess
import sys
import tempfile

import run
import scenarios as sc
from tally import Tally

CMOCKA_HEAD = "[==========] Running 2 test(s).\n"


def script(path, body):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + body + "\n")
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)


def printf(text):
    return "printf '%s' " + "'" + text.replace("'", "'\\''") + "'"


# name -> (shell body, passed, failed) that run_unit must record for it
UNIT_FAKES = {
    "good": (printf(CMOCKA_HEAD + "[ RUN      ] a\n[       OK ] a\n[ RUN      ] b\n"
                    "[       OK ] b\n[==========] 2 test(s) run.\n[  PASSED  ] 2 test(s).\n"),
             2, 0),
    "crash_after_pass": (printf(CMOCKA_HEAD + "[ RUN      ] a\n[       OK ] a\n[ RUN      ] b\n")
                         + "; kill -SEGV $$", 1, 1),
    "leak_at_exit": (printf(CMOCKA_HEAD + "[ RUN      ] a\n[       OK ] a\n[ RUN      ] b\n"
                            "[       OK ] b\n") + "; echo 'ERROR: LeakSanitizer' >&2; exit 1",
                     2, 1),
    "exit_in_test": (printf(CMOCKA_HEAD + "[ RUN      ] a\n[       OK ] a\n") + "; exit 0", 1, 1),
    "no_result": ("exit 0", 0, 1),
    "one_failure": (printf(CMOCKA_HEAD + "[ RUN      ] a\n[       OK ] a\n[ RUN      ] b\n"
                           "[  FAILED  ] b\n[==========] 2 test(s) run.\n[  PASSED  ] 1 test(s).\n"
                           "[  FAILED  ] 1 test(s), listed below:\n[  FAILED  ] b\n") + "; exit 1",
                    1, 1),
    "hang": ("sleep 30", 0, 1),
}


def check_unit(tmp):
    problems = []
    for name, (body, passed, failed) in UNIT_FAKES.items():
        build = os.path.join(tmp, "unit-" + name)
        script(os.path.join(build, "tests", "test_" + name), body)
        t = Tally(echo=False)
        with contextlib.redirect_stdout(io.StringIO()):
            run.run_unit(build, t, timeout=2)
        if (t.passed, t.failed) != (passed, failed):
            problems.append(f"unit binary '{name}': {t.passed} passed, {t.failed} failed "
                            f"(want {passed}, {failed})")
    return problems


def outcome_dir(tmp, name, links_after="", links_error=None, ready="yes", rc="0"):
    d = os.path.join(tmp, "scenario-" + name)
    os.makedirs(d)
    files = {"stdout": "", "stderr": "procscope: ready mode=tracepoint probes=2\n", "rc": rc,
             "ready": ready}
    if links_after is not None:
        files["links.after"] = links_after
    if links_error is not None:
        files["links.error"] = links_error
    for f, text in files.items():
        with open(os.path.join(d, f), "w") as fh:
            fh.write(text)
    return d


def check_scenarios(tmp):
    s = sc.Scenario("fake", [], [], lambda o, ctx: sc.expect_clean_exit(o))
    cases = {  # name -> (outcome directory, must pass)
        "clean": (outcome_dir(tmp, "clean"), True),
        "no_bpftool": (outcome_dir(tmp, "no_bpftool", links_error="bpftool is not installed"),
                       False),
        "never_looked": (outcome_dir(tmp, "never_looked", links_after=None), False),
        "links_left": (outcome_dir(tmp, "links_left", links_after="tp__sys_exit_read\n"), False),
        "not_ready": (outcome_dir(tmp, "not_ready", ready="no"), False),
        "crashed": (outcome_dir(tmp, "crashed", rc="139"), False),
    }
    problems = []
    for name, (d, good) in cases.items():
        t = Tally(echo=False)
        sc.judge(t, name, s, d, {})
        if (t.passed, t.failed) != ((1, 0) if good else (0, 1)):
            problems.append(f"scenario outcome '{name}': {t.passed} passed, {t.failed} failed")
    return problems


def check_fuzz(tmp):
    problems = []
    cases = {"procmaps": ("printf '#100\\tDONE   cov: 3 ft: 4\\n' >&2", False),
             "pathfmt": ("printf '#100\\tDONE   cov: 500 ft: 600\\n' >&2", True),
             "nofloor": ("printf '#100\\tDONE   cov: 500 ft: 600\\n' >&2", False),
             "options": ("printf '#100\\tDONE   cov: 500 ft: 600\\n' >&2; exit 1", False),
             "kallsyms": ("echo 'ERROR: AddressSanitizer: heap-use-after-free' >&2; exit 1",
                          False)}
    for name, (body, good) in cases.items():
        build = os.path.join(tmp, "fuzz-" + name)
        script(os.path.join(build, "fuzz", "fuzz_" + name), body)
        t = Tally(echo=False)
        with contextlib.redirect_stdout(io.StringIO()):
            run.run_fuzz(build, t, 1)
        if (t.passed, t.failed) != ((1, 0) if good else (0, 1)):
            problems.append(f"fuzz target '{name}': {t.passed} passed, {t.failed} failed")
    return problems


def check_vm():
    sys.path.insert(0, os.path.join(run.TOP, "tools"))
    import vmtest
    problems = []
    real_fetch = vmtest.fetch_kernel

    def no_kernel(suite):
        raise RuntimeError(f"no linux-image-cloud-amd64 in suite {suite}")
    vmtest.fetch_kernel = no_kernel
    try:
        t = Tally(echo=False)
        with contextlib.redirect_stdout(io.StringIO()):
            vmtest.run_kernel("nosuchsuite", "build", ["auto"], None, t, {})
        if (t.passed, t.failed) != (0, 1):
            problems.append(f"a kernel that cannot be fetched: {t.passed} passed, "
                            f"{t.failed} failed, {t.skipped} skipped (want a failure)")
    finally:
        vmtest.fetch_kernel = real_fetch
    if vmtest.narrowing(vmtest.ALL_KERNELS, vmtest.ALL_MODES):
        problems.append("the whole matrix is reported as narrowed")
    if not vmtest.narrowing(["bookworm"], vmtest.ALL_MODES):
        problems.append("one kernel is not reported as narrowed")
    x86_only = [k for k in vmtest.ALL_KERNELS if vmtest.kernel_arch(k) == "amd64"]
    if x86_only == vmtest.ALL_KERNELS or not vmtest.narrowing(x86_only, vmtest.ALL_MODES):
        problems.append("a matrix without its arm64 kernels is not reported as narrowed")
    # an arm64 guest that cannot be made (no arm64 build) is a failure, not a skipped row
    with tempfile.TemporaryDirectory() as empty:
        t = Tally(echo=False)
        with contextlib.redirect_stdout(io.StringIO()):
            vmtest.run_matrix(empty, ["bookworm-arm64"], ["fentry"], t)
        if (t.passed, t.failed) != (0, 1):
            problems.append(f"an arm64 guest without its build: {t.passed} passed, "
                            f"{t.failed} failed (want a failure)")
    p = subprocess.run([sys.executable, os.path.join(run.HERE, "run.py"), "--vm", "--kernels",
                        "bookworm"], env={**os.environ, "CI": "true"}, capture_output=True,
                       text=True, timeout=60)
    if p.returncode != 2 or "refuses" not in p.stderr:
        problems.append(f"CI=true with --kernels bookworm: exit {p.returncode} ({p.stderr})")
    return problems


def check_bench(tmp):
    problems = []
    good = {"none", "floor", "count", "latency", "audit", "trace", "trace_stacks_fp",
            "trace_stacks", "impact", "bpftrace"}
    cases = {"complete": (good, [], True, 50.0), "no_audit": (good - {"audit"}, [], False, 50.0),
             "tracer_failed": (good, ["count: exit status 1"], False, 50.0),
             "load_error": (good, ["floor/stat: pread: Bad address"], False, 50.0),
             "no_bpf_run_time": (good, [], False, 0.0)}
    for name, (configs, errors, ok, bpf_ns) in cases.items():
        out = os.path.join(tmp, "bench-" + name)
        os.makedirs(out)
        rows = [{"config": c, "op": "stat", "threads": 1, "n": 1, "median_ns": 100.0,
                 "bpf_ns_per_read": bpf_ns if c not in ("none", "floor") else None}
                for c in sorted(configs)]
        res = {"modes": {"tracepoint": {"rows": rows, "errors": errors,
                                        "unavailable": {"filetop": "x", "vfsstat": "x"}}},
               "host": {"startup": {}, "binary": {}, "daemon": {}}}
        with open(os.path.join(out, "bench.json"), "w") as f:
            json.dump(res, f)
        with open(os.path.join(out, "overhead.png"), "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n")
        with open(os.path.join(out, "bench.txt"), "w") as f:
            f.write("ns per read\n")
        got = run.bench_problems(out)
        if bool(got) == ok:
            problems.append(f"bench results '{name}': problems {got}")
    return problems


def run_all(tally):
    with tempfile.TemporaryDirectory(prefix="procscope-driver-") as tmp:
        for name, fn in (("unit", lambda: check_unit(tmp)),
                         ("scenarios", lambda: check_scenarios(tmp)),
                         ("fuzz", lambda: check_fuzz(tmp)), ("vm", check_vm),
                         ("bench", lambda: check_bench(tmp))):
            problems = fn()
            if problems:
                tally.fail(f"driver/{name}", "; ".join(problems))
            else:
                tally.ok(f"driver/{name}")
