# SPDX-License-Identifier: GPL-2.0-only
"""The README's Quick start on a fresh Debian 12: a root made with mmdebstrap (variant apt, plus
git), the checkout copied in, and in a chroot with /proc, /sys and /dev mounted the Quick start's
own lines, read from README.md so the two cannot drift: the prerequisite line, `make run` until
its ready line, then the build of the tests (`make deps-test build-tests`). It times each step and
counts the packages each one installed. Also: the user code builds with clang as it does with gcc
(-Werror, no warnings)."""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import scenarios as sc

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
SUITE = "bookworm"


def quick_start_lines(readme):
    """The shell lines of the README's Quick start block, comments dropped."""
    with open(readme) as f:
        text = f.read()
    m = re.search(r"^## Quick start\n(.*?)^```sh\n(.*?)^```", text, re.M | re.S)
    if not m:
        raise sc.CheckFailed("README.md has no ```sh block under '## Quick start'")
    lines = [re.sub(r"\s+#.*$", "", ln).strip() for ln in m.group(2).splitlines()]
    return [ln for ln in lines if ln]


def tracked_files():
    """The checkout as a fresh clone has it: tracked files plus new ones not ignored."""
    p = subprocess.run(["git", "-C", TOP, "ls-files", "-z", "--cached", "--others",
                        "--exclude-standard"], capture_output=True, check=True)
    return [f for f in p.stdout.decode().split("\0") if f and os.path.exists(os.path.join(TOP, f))]


def make_root(root):
    uri = subprocess.run([os.path.join(TOP, "tools", "archive-uri.sh")], capture_output=True,
                         text=True, check=True).stdout.strip()
    p = subprocess.run(["mmdebstrap", "--variant=apt", "--include=git", "--quiet", SUITE, root,
                        f"deb {uri} {SUITE} main", f"deb {uri} {SUITE}-updates main"],
                       capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        raise sc.CheckFailed(f"mmdebstrap failed ({p.returncode}): {p.stderr[-2000:]}")
    shutil.copy("/etc/resolv.conf", os.path.join(root, "etc", "resolv.conf"))
    dest = os.path.join(root, "root", "procscope")
    os.makedirs(dest)
    tar = subprocess.run(["tar", "-C", TOP, "--null", "-T", "-", "-cf", "-"],
                         input="\0".join(tracked_files()).encode(), capture_output=True,
                         check=True)
    subprocess.run(["tar", "-C", dest, "-xf", "-"], input=tar.stdout, check=True)


class Mounts:
    """/proc, /sys and /dev inside the root, undone in reverse order."""

    def __init__(self, root):
        self.root, self.done = root, []

    def __enter__(self):
        for fstype, src, where, opts in (("proc", "proc", "proc", []),
                                         ("sysfs", "sysfs", "sys", []),
                                         (None, "/dev", "dev", ["--rbind"])):
            target = os.path.join(self.root, where)
            cmd = ["mount"] + (["-t", fstype] if fstype else []) + opts + [src, target]
            subprocess.run(cmd, check=True)
            self.done.append(target)
        return self

    def __exit__(self, *exc):
        for target in reversed(self.done):
            subprocess.run(["umount", "-R", "-l", target], check=False)


def packages(root):
    p = subprocess.run(["chroot", root, "dpkg-query", "-W", "-f", "${Status}\n"],
                       capture_output=True, text=True, check=True)
    return p.stdout.count("install ok installed")


def in_root(root, line, timeout):
    return subprocess.run(["chroot", root, "sh", "-c", f"cd /root/procscope && {line}"],
                          capture_output=True, text=True, timeout=timeout)


def run_until_ready(root, line, timeout=1200):
    """Runs `make run` until procscope's ready line, then interrupts it as a user's Ctrl-C would;
    returns (seconds to ready, exit status, output)."""
    start = time.monotonic()
    p = subprocess.Popen(["chroot", root, "sh", "-c", f"cd /root/procscope && {line}"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    out, ready = "", None
    try:
        for ln in p.stderr:
            out += ln
            if ln.startswith("procscope: ready"):
                ready = time.monotonic() - start
                time.sleep(1)
                os.killpg(p.pid, signal.SIGINT)
                break
            if time.monotonic() - start > timeout:
                break
        out += p.stderr.read() if ready else ""
        rc = p.wait(timeout=60)
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    return ready, rc, out


def check_quick_start(report):
    lines = quick_start_lines(os.path.join(TOP, "README.md"))
    sc.expect(lines[-2:] == ["make run", "make test"],
              f"Quick start ends with 'make run' and 'make test', not {lines[-2:]}")
    prereq = lines[:-2]
    with tempfile.TemporaryDirectory(prefix="procscope-fresh-", dir="/var/tmp") as tmp:
        root = os.path.join(tmp, "root")
        t = time.monotonic()
        make_root(root)
        report.append(f"fresh {SUITE} root (mmdebstrap, variant apt + git): "
                      f"{time.monotonic() - t:.0f} s, {packages(root)} packages")
        try:
            with Mounts(root):
                for line in prereq:
                    before, t = packages(root), time.monotonic()
                    p = in_root(root, line, 900)
                    sc.expect_eq(p.returncode, 0, f"'{line}' in the fresh root: {p.stderr[-1500:]}")
                    report.append(f"'{line}': {time.monotonic() - t:.0f} s, "
                                  f"{packages(root) - before} packages")
                before = packages(root)
                ready, rc, out = run_until_ready(root, "make run")
                sc.expect(ready is not None, f"'make run' never printed its ready line:\n"
                          f"{out[-3000:]}")
                # make itself dies of the Ctrl-C (procscope under it exits 0).
                sc.expect(rc in (0, -signal.SIGINT), f"'make run' exit status {rc} after Ctrl-C "
                          f"({out[-1500:]})")
                report.append(f"'make run' until ready: {ready:.0f} s, "
                              f"{packages(root) - before} packages")
                before, t = packages(root), time.monotonic()
                p = in_root(root, "make deps-test build-tests", 1800)
                sc.expect_eq(p.returncode, 0, "'make deps-test build-tests' in the fresh root: "
                             f"{p.stdout[-1500:]}{p.stderr[-1500:]}")
                report.append(f"'make deps-test build-tests': {time.monotonic() - t:.0f} s, "
                              f"{packages(root) - before} packages")
        finally:
            # Nothing of the root may outlive the test, and no mount may be crossed on the way.
            subprocess.run(["rm", "-rf", "--one-file-system", root], check=False)


def check_clang_build(build):
    """The user code, unit tests and workload built with clang into a folder of their own."""
    out = os.path.join(build, "cc-clang")
    unit = [os.path.join(out, "tests", os.path.splitext(f)[0])
            for f in sorted(os.listdir(os.path.join(TOP, "tests", "unit")))
            if f.startswith("test_") and f.endswith(".c")]
    p = subprocess.run(["make", "-C", TOP, "--no-print-directory", f"O={out}", "CC=clang",
                        "V=1", "all", os.path.join(out, "tests", "workload")] + unit,
                       capture_output=True, text=True, timeout=900)
    sc.expect_eq(p.returncode, 0, f"make CC=clang: {p.stderr[-3000:]}")
    warnings = [ln for ln in p.stderr.splitlines() if "warning:" in ln]
    sc.expect(not warnings, f"clang warnings: {warnings[:5]}")


def run(build, tally):
    try:
        check_clang_build(os.path.abspath(build))
        tally.ok("build/clang")
    except sc.CheckFailed as e:
        tally.fail("build/clang", str(e))
    report = []
    try:
        check_quick_start(report)
        tally.ok("fresh/quick_start")
    except (sc.CheckFailed, subprocess.SubprocessError, OSError) as e:
        tally.fail("fresh/quick_start", f"{type(e).__name__}: {e}")
    for line in report:
        print(f"#   {line}", flush=True)
