#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The VM kernel matrix: boots real Debian cloud kernels under qemu (TCG) and runs the end-to-end
scenarios inside them in every attach mode, with the checks run here on the host.

  tools/vmtest.py [--kernels "bullseye sid"] [--modes "auto fentry"] [--build build]
  tools/vmtest.py --shell bookworm        a shell in a guest, with procscope in /bin
  tools/vmtest.py --shell bookworm --exec "procscope stat -d 2 -v"   one command, then off

Kernels come from tools/debian-kernel.sh (an isolated apt, cached): a Debian suite's amd64 cloud
kernel under qemu-system-x86_64, or with "-arm64" (bookworm-arm64) its arm64 cloud kernel under
qemu-system-aarch64 (-machine virt -cpu max), with procscope cross-built in BUILD/arm64 (make
ARCH=arm64) and the guest's busybox, bpftool and cat from Debian's arm64 packages
(tools/debian-package.sh). The guest is a busybox initramfs holding procscope, the workload,
run-scenario.sh, bpftool and their shared libraries. Its /init runs each scenario and writes the result directory to the serial console as
a base64 tar between markers; the host unpacks it and applies tests/e2e/scenarios.py. A panic, a
hang past the timeout, a missing result or a failing check fails the run.
"""
import argparse
import base64
import concurrent.futures
import io
import os
import re
import shlex
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "e2e"))
import scenarios as sc  # noqa: E402
from tally import Tally  # noqa: E402

GUEST_CPUS = 2
# Without CMPXCHG16B: Debian's 6.12 kernel under this QEMU's TCG (7.2) crashed at random with
# it, with or without procscope loaded (double faults right after the slab allocator's
# cmpxchg16b, corrupt saved flags, init killed by SIGSEGV, faults during ACPI probing); with
# cx16 off the kernel uses its fallback and every run passed.
GUEST_CPU = os.environ.get("PROCSCOPE_VM_CPU", "max,cx16=off")
# One host thread for all vCPUs: with multi-threaded TCG, the 6.12 guest also died of "Oops:
# int3" while the kernel patched a tracepoint's static key in code another vCPU was running.
# The guest still has 2 CPUs (the show_cpuinfo fan-out is checked against them); it was barely
# slower this way.
GUEST_ACCEL = os.environ.get("PROCSCOPE_VM_ACCEL", "tcg,thread=single")
BOOT_TIMEOUT_S = 3000  # one guest runs every mode's scenarios: generous under TCG
# Guests run at once: an x86 guest's TCG takes one host thread (thread=single, above), so two
# use this machine's two cores; each kernel's verdicts are judged whole, one kernel at a time.
VM_PARALLEL = int(os.environ.get("PROCSCOPE_VM_PARALLEL", "2"))
JUDGE_LOCK = threading.Lock()
MARK = "@@PS"
# The e2e fixtures (audit rules files), and where the guest finds them.
FIXTURES = os.path.join(TOP, "tests", "e2e", "fixtures")
GUEST_FIXTURES = "/fixtures"
BOOT_ATTEMPTS = 3
LOG_DIR = os.path.join(os.environ.get("PROCSCOPE_CACHE", os.path.expanduser("~/.cache/procscope")),
                       "vm-logs")
KERNEL_ERROR = re.compile(r"Kernel panic|BUG:|Oops:|general protection fault")
# auto must pick fentry where the kernel has it (every kernel of the matrix but KERNEL_NO_MODE).
AUTO_MODE_IN_VM = "fentry"


def log(msg):
    print(f"# {msg}", flush=True)


def kernel_arch(kernel):
    """A kernel of the matrix is a Debian suite, with -arm64 for that suite's arm64 kernel."""
    return "arm64" if kernel.endswith("-arm64") else "amd64"


def kernel_suite(kernel):
    return kernel[:-len("-arm64")] if kernel_arch(kernel) == "arm64" else kernel


def debian_tool(script, *args):
    """The last line a tools/debian-*.sh script prints, or raises RuntimeError with its reason."""
    p = subprocess.run([os.path.join(TOP, "tools", script), *args], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.strip().splitlines()[-1] if p.stderr.strip() else
                           f"{script} exited {p.returncode}")
    return p.stdout.strip().splitlines()[-1]


def fetch_kernel(kernel):
    """Directory with vmlinuz and release, or raises RuntimeError with the reason."""
    return debian_tool("debian-kernel.sh", kernel_suite(kernel), "--arch", kernel_arch(kernel))


# The architectures' guests: the emulator, the console, the build directory under --build, and
# where the guest's own programs come from (this machine's on amd64; Debian's arm64 packages,
# unpacked, on arm64, whose programs run here through qemu-aarch64 for their library list).
# arm64 keeps multi-threaded TCG (the x86 guests' crash was on x86's text patching) and takes
# -cpu max with QEMU's cheap pointer authentication, which its TCG otherwise spends much time on.
GUEST_ARCHES = {
    "amd64": {"qemu": ["qemu-system-x86_64", "-accel", GUEST_ACCEL, "-cpu", GUEST_CPU],
              "console": "ttyS0", "build": "", "ld.so": None, "packages": None},
    "arm64": {"qemu": ["qemu-system-aarch64", "-machine", "virt", "-accel", "tcg",
                       "-cpu", os.environ.get("PROCSCOPE_VM_CPU_ARM64", "max,pauth-impdef=on")],
              "console": "ttyAMA0", "build": "arm64", "ld.so": "/lib/ld-linux-aarch64.so.1",
              "packages": "bookworm"},
}
# The guest's own programs: (package, file in it, place in the guest), for a guest from packages.
GUEST_PROGRAMS = [("busybox-static", "bin/busybox", "/bin/busybox"),
                  ("bpftool", "usr/sbin/bpftool", "/bin/bpftool"),
                  ("coreutils", "bin/cat", "/usr/bin/cat")]


def arch_build(build, arch):
    return os.path.join(build, GUEST_ARCHES[arch]["build"])


def shared_libs(binary, arch="amd64"):
    ld_so = GUEST_ARCHES[arch]["ld.so"]
    out = subprocess.run([ld_so, "--list", binary] if ld_so else ["ldd", binary],
                         capture_output=True, text=True, check=True).stdout
    libs = re.findall(r"=> (/\S+)", out) + re.findall(r"^\s+(/\S+) \(", out, re.M)
    return sorted(set(libs))


def is_dynamic(path):
    """Whether an ELF file (64-bit, little-endian) has a program interpreter (PT_INTERP)."""
    with open(path, "rb") as f:
        head = f.read(64)
        phoff, = struct.unpack_from("<Q", head, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", head, 0x36)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    return any(struct.unpack_from("<I", table, i * phentsize)[0] == 3 for i in range(phnum))


def guest_programs(arch):
    """(source, guest path) of busybox, bpftool and cat for a guest of @arch."""
    suite = GUEST_ARCHES[arch]["packages"]
    if not suite:
        return [("/bin/busybox", "/bin/busybox"),
                (shutil.which("bpftool") or "/usr/sbin/bpftool", "/bin/bpftool"),
                ("/usr/bin/cat", "/usr/bin/cat")]
    return [(os.path.join(debian_tool("debian-package.sh", suite, arch, pkg), path), dest)
            for pkg, path, dest in GUEST_PROGRAMS]


def install(src, root, dest=None):
    dest = os.path.join(root, (dest or src).lstrip("/"))
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copy2(src, dest)


# The whole matrix; anything less is a narrowed run (see narrowing()). arm64: bookworm's 6.1 (no
# fentry there, see KERNEL_NO_MODE) and trixie's 6.12.
ALL_KERNELS = ["bullseye", "bookworm", "trixie", "sid", "bookworm-arm64", "trixie-arm64"]
ALL_MODES = ["auto", "fentry", "kprobe", "tracepoint"]


def only_scenarios():
    """PROCSCOPE_VM_ONLY=name,name narrows the run while working on some scenarios."""
    return [n for n in os.environ.get("PROCSCOPE_VM_ONLY", "").split(",") if n]


def narrowing(kernels, modes):
    """What a run of @kernels x @modes leaves out of the whole matrix, as text; empty if none."""
    left = []
    if [k for k in ALL_KERNELS if k not in kernels]:
        left.append(f"kernels {' '.join(k for k in ALL_KERNELS if k not in kernels)}")
    if [m for m in ALL_MODES if m not in modes]:
        left.append(f"modes {' '.join(m for m in ALL_MODES if m not in modes)}")
    if only_scenarios():
        left.append(f"every scenario but PROCSCOPE_VM_ONLY={','.join(only_scenarios())}")
    return "; ".join(left)


# A mode a kernel of the matrix cannot do, and why: its column runs one scenario, that mode forced,
# whose error (exit 1) must name the cause; auto must pick the next mode. arm64 puts trampolines
# on kernel functions (ftrace direct calls) from 6.4: bookworm's 6.1 takes kprobes.
KERNEL_NO_MODE = {"bookworm-arm64": ("fentry", r"the kernel has no trampolines for its functions "
                                               r"\(arm64 has them from Linux 6\.4\)")}


def auto_mode(kernel):
    """The mode auto must pick on @kernel: the first it can do."""
    return "kprobe" if KERNEL_NO_MODE.get(kernel, ("",))[0] == "fentry" else AUTO_MODE_IN_VM


def vm_scenarios(mode, modes, kernel):
    """The scenarios run in @mode, one of @modes, on @kernel. auto runs only the scenarios
    marked for it (Scenario.auto), checked against the mode it must pick (auto_mode); a scenario
    that passes no --mode runs alike in every mode, so once, in the first."""
    no_mode, why = KERNEL_NO_MODE.get(kernel, (None, None))
    if mode == no_mode:
        return [sc.Scenario(f"forced_{mode}_unavailable", ["top", "--mode", mode], [],
                            sc.usage_error(rf"^procscope: {mode} mode unavailable: .*{why}",
                                           status=1), needs_mode=False)]
    only = only_scenarios()
    return [s for s in sc.scenarios(fixtures=GUEST_FIXTURES, arch=kernel_arch(kernel))
            if "vm" in s.where and (not only or s.name in only) and
            (mode == modes[0] if not s.needs_mode else mode != "auto" or s.auto)]


def guest_script(modes, kernel):
    """The commands /init runs on @kernel: every VM scenario in every mode, each result dumped."""
    lines = ["set +e", "mkdir -p /out"]
    for mode in modes:
        for s in vm_scenarios(mode, modes, kernel):
            args = list(s.args)
            if mode != "auto" and s.needs_mode:
                args += ["--mode", mode]
            runner = "/bin/procscope"
            if s.prefix:  # as tests/run.py's run_scenario_dir
                runner, args = s.prefix[0], s.prefix[1:] + [runner] + args
            name = f"{mode}/{s.name}"
            lines += [
                f"echo '{MARK}-START {name}@@'",
                f"WAIT_EXIT={1 if s.wait_exit else 0} sh /run-scenario.sh /out/{name} "
                f"{shlex.quote(runner)} /bin/workload {shlex.quote(shlex.join(args))} "
                + " ".join(shlex.quote(shlex.join(w)) for w in s.workloads),
                f"echo '{MARK}-RESULT {name}@@'",
                f"tar -C /out -cf - {name} | base64",
                f"echo '{MARK}-END {name}@@'",
            ]
    lines.append(f"echo '{MARK}-DONE@@'")
    return "\n".join(lines) + "\n"


INIT = """#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tmpfs tmp /tmp
mount -t tmpfs out /out
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up
echo "{mark}-KERNEL $(uname -r) cpus=$(nproc)@@"
{body}
poweroff -f
"""

SHELL_BODY = """echo "procscope guest: procscope, workload and bpftool are in /bin; 'poweroff -f' leaves"
setsid cttyhack sh
"""


def build_initramfs(build, body, dest, extras=(), arch="amd64"):
    """The guest's root for @arch: busybox, procscope, the workload, bpftool, run-scenario.sh,
    and @extras, (source, destination) pairs of further binaries or scripts, with their shared
    libraries. @build is the build directory of @arch."""
    procscope = os.path.join(build, "procscope")
    workload = os.path.join(build, "tests", "workload")
    for f in (procscope, workload):
        if not os.path.exists(f):
            raise RuntimeError(f"{f} is missing: run make first" +
                               (" (make ARCH=arm64 for the arm64 guests)" if arch != "amd64" else ""))
    programs = guest_programs(arch)
    with tempfile.TemporaryDirectory(prefix="procscope-initramfs-") as root:
        # the guest's / (a temporary directory is 0700): an unprivileged process must get past it
        os.chmod(root, 0o755)
        for d in ("bin", "proc", "sys", "dev", "tmp", "out", "etc"):
            os.makedirs(os.path.join(root, d), exist_ok=True)
        install(procscope, root, "/bin/procscope")
        install(workload, root, "/bin/workload")
        install(os.path.join(TOP, "tests", "e2e", "run-scenario.sh"), root, "/run-scenario.sh")
        for name in os.listdir(FIXTURES):
            install(os.path.join(FIXTURES, name), root, os.path.join(GUEST_FIXTURES, name))
        for src, dest_path in programs + list(extras):
            install(src, root, dest_path)
        for binary in [procscope, workload] + [src for src, _ in programs + list(extras)
                                               if not src.endswith(".sh")]:
            if not is_dynamic(binary):
                continue  # busybox: static
            for lib in shared_libs(binary, arch):
                install(lib, root)
        with open(os.path.join(root, "init"), "w") as f:
            f.write(INIT.format(mark=MARK, body=body))
        os.chmod(os.path.join(root, "init"), 0o755)
        with open(dest, "wb") as out:
            find = subprocess.Popen(["find", "."], cwd=root, stdout=subprocess.PIPE)
            cpio = subprocess.Popen(["cpio", "-o", "-H", "newc", "--quiet"], cwd=root,
                                    stdin=find.stdout, stdout=subprocess.PIPE)
            subprocess.run(["gzip", "-1"], stdin=cpio.stdout, stdout=out, check=True)
            cpio.wait()
            find.wait()


# Kernel arguments per suite. 7.x preempts kernel code by default (lazy preemption), and with it
# BPF programs that run with only migration disabled (fentry, and tracepoints on 7.x): trixie is
# booted to preempt fully so that one more kernel shows what sharing per-CPU state between such
# programs costs (bpf/maps.bpf.h, key_scratch); bullseye and bookworm keep Debian's voluntary one.
KERNEL_ARGS = {"trixie": "preempt=full"}


def qemu_command(kernel, kdir, initrd, interactive=False):
    guest = GUEST_ARCHES[kernel_arch(kernel)]
    return guest["qemu"] + ["-m", "1024", "-smp", str(GUEST_CPUS), "-nographic", "-no-reboot",
                            "-kernel", os.path.join(kdir, "vmlinuz"), "-initrd", initrd, "-append",
                            " ".join([f"console={guest['console']} panic=-1",
                                      KERNEL_ARGS.get(kernel, "")] +
                                     ([] if interactive else ["loglevel=4"]))]


def run_guest(suite, kdir, initrd, on_line, timeout_s=BOOT_TIMEOUT_S):
    """Boots the guest and feeds each console line to on_line. Returns (lines, timed_out)."""
    proc = subprocess.Popen(qemu_command(suite, kdir, initrd), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines, deadline, timed_out = [], time.monotonic() + timeout_s, False
    os.set_blocking(proc.stdout.fileno(), False)
    buf = b""
    while True:
        if time.monotonic() > deadline:
            timed_out = True
            proc.kill()
            break
        chunk = proc.stdout.read(65536)
        if chunk:
            buf += chunk
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                line = raw.decode("utf-8", "replace").rstrip("\r")
                lines.append(line)
                on_line(line)
        elif proc.poll() is not None:
            break
        else:
            time.sleep(0.05)
    proc.wait()
    return lines, timed_out


def run_kernel(suite, build, modes, initrd, tally, table):
    name = f"vm/{suite}"
    try:
        kdir = fetch_kernel(suite)
    except RuntimeError as e:
        # A kernel of the matrix that cannot be had is a failure: the archive moving a kernel
        # must not make part of the matrix vanish unnoticed.
        tally.fail(name, f"kernel not available: {e}")
        for m in modes:
            table[(suite, m)] = "KERNEL NOT AVAILABLE"
        return
    with open(os.path.join(kdir, "release")) as f:
        release = f.read().strip()
    log(f"{suite}: booting {release} under TCG with {GUEST_CPUS} CPUs")
    results, started = {}, time.monotonic()
    log_path = os.path.join(LOG_DIR, f"{suite}.log")
    os.makedirs(LOG_DIR, exist_ok=True)

    def progress(line):
        m = re.match(rf"^{MARK}-(START|KERNEL) (.*)@@$", line)
        if m:
            log(f"{suite}: {m.group(1).lower()} {m.group(2)} ({time.monotonic() - started:.0f} s)")

    # A crash before /init runs is the emulated boot failing, not procscope (seen once on the
    # 6.12 kernel in ACPI probing under TCG): boot again, at most BOOT_ATTEMPTS times in all.
    for attempt in range(1, BOOT_ATTEMPTS + 1):
        lines, timed_out = run_guest(suite, kdir, initrd, progress)
        text = "\n".join(lines)
        with open(log_path, "w") as f:
            f.write(text + "\n")
        if f"{MARK}-KERNEL" in text or not KERNEL_ERROR.search(text) or attempt == BOOT_ATTEMPTS:
            break
        log(f"{suite}: the kernel crashed while booting, before /init ran: "
            f"{KERNEL_ERROR.search(text).group(0)}; booting again")
    for m in re.finditer(rf"^{MARK}-RESULT (\S+)@@\n(.*?)\n{MARK}-END \1@@$", text, re.M | re.S):
        results[m.group(1)] = m.group(2)
    with JUDGE_LOCK:  # one kernel's verdicts at a time, whole
        judge_kernel(suite, name, release, modes, results, text, lines, timed_out, log_path,
                     tally, table)
    log(f"{suite}: {time.monotonic() - started:.0f} s")


def judge_kernel(suite, name, release, modes, results, text, lines, timed_out, log_path, tally,
                 table):
    crashed = KERNEL_ERROR.search(text)
    done = f"{MARK}-DONE@@" in text
    with tempfile.TemporaryDirectory(prefix=f"procscope-vm-{suite}-") as tmp:
        for mode in modes:
            counts = [0, 0]
            ctx = {"mode": auto_mode(suite) if mode == "auto" else mode, "forced": mode != "auto",
                   "release": release, "vm": True, "arch": kernel_arch(suite)}
            for s in vm_scenarios(mode, modes, suite):
                key = f"{mode}/{s.name}"
                test = f"vm/{suite}/{mode}/{s.name}"
                if key not in results:
                    why = ("the guest hung past the timeout" if timed_out else
                           "the kernel crashed" if crashed else "no result from the guest")
                    tally.fail(test, why)
                    counts[1] += 1
                    continue
                tar = tarfile.open(fileobj=io.BytesIO(base64.b64decode(results[key])))
                tar.extractall(tmp)
                before = tally.failed
                sc.judge(tally, test, s, os.path.join(tmp, key), ctx)
                counts[0 if tally.failed == before else 1] += 1
            table[(suite, mode)] = f"{counts[0]} passed, {counts[1]} failed"
    if crashed:
        tally.fail(f"{name}/kernel", f"kernel error in the console: {crashed.group(0)} "
                   f"(whole console: {log_path})")
        print("\n".join(lines[-60:]))
    elif not done:
        tally.fail(f"{name}/complete", "the guest did not finish its script" +
                   (" (timeout)" if timed_out else "") + f" (whole console: {log_path})")
        print("\n".join(lines[-60:]))


def print_table(kernels, modes, table):
    print("# kernel x mode")
    print("# " + f"{'kernel':<16}" + "".join(f"{m:<24}" for m in modes))
    for k in kernels:
        print("# " + f"{k:<16}" + "".join(f"{table.get((k, m), '-'):<24}" for m in modes))


# The programs the user-stack scenarios run beside the workload (tests/unwind: built without
# frame pointers), and Debian's own cat: a distribution's binary, as users run them.
UNWIND_PROGRAMS = ["unwind_o2", "unwind_nofp", "unwind_lib", "libpsunwind.so", "unwind_inline"]


def scenario_extras(build):
    extras = [(os.path.join(build, "tests", n), f"/bin/{n}") for n in UNWIND_PROGRAMS]
    for src, _ in extras:
        if not os.path.exists(src):
            raise RuntimeError(f"{src} is missing: run make test-vm (it builds them)")
    return extras


def scenario_initramfs(build, arch, body, dest):
    b = arch_build(build, arch)
    build_initramfs(b, body, dest, scenario_extras(b), arch)


def run_matrix(build, kernels, modes, tally):
    """@build: the build directory; the arm64 guests take theirs under it (BUILD/arm64)."""
    table = {}
    with tempfile.TemporaryDirectory(prefix="procscope-vm-") as tmp:
        initrds = {}
        for suite in kernels:  # each kernel's own script (its modes)
            initrds[suite] = os.path.join(tmp, f"initramfs-{suite}.cpio.gz")
            try:
                scenario_initramfs(build, kernel_arch(suite), guest_script(modes, suite),
                                   initrds[suite])
            except (RuntimeError, subprocess.CalledProcessError) as e:
                initrds[suite] = None
                tally.fail(f"vm/{suite}/initramfs", f"cannot make the guest: {e}")
                for m in modes:
                    table[(suite, m)] = "NO GUEST"
        with concurrent.futures.ThreadPoolExecutor(max_workers=VM_PARALLEL) as pool:
            runs = [pool.submit(run_kernel, suite, build, modes, initrds[suite], tally, table)
                    for suite in kernels if initrds[suite]]
            for r in runs:
                r.result()
    print_table(kernels, modes, table)


def run_bench(build, suite, modes, rounds, scale, threads, configs, timeout_s=3600):
    """Runs tools/bench/run-bench.sh in a guest of @suite for each mode; returns its JSON lines.
    Raises RuntimeError when the guest gives no result."""
    kdir = fetch_kernel(suite)
    extras = [(os.path.join(build, "bench", "benchload"), "/bin/benchload"),
              (os.path.join(build, "bench", "floor"), "/bin/floor"),
              (os.path.join(TOP, "tools", "bench", "run-bench.sh"), "/run-bench.sh")]
    extras += [(shutil.which(t), f"/bin/{t}") for t in ("filetop", "vfsstat") if shutil.which(t)]
    body = ["export PROCSCOPE=/bin/procscope BENCHLOAD=/bin/benchload FLOOR=/bin/floor"]
    for mode in modes:
        body.append(f"sh /run-bench.sh /out/bench.jsonl {mode} {rounds} {scale} "
                    f"{shlex.quote(threads)} {' '.join(configs)}")
    body += [f"echo '{MARK}-RESULT bench@@'", "base64 /out/bench.jsonl",
             f"echo '{MARK}-END bench@@'", f"echo '{MARK}-DONE@@'"]
    with tempfile.TemporaryDirectory(prefix="procscope-vm-bench-") as tmp:
        initrd = os.path.join(tmp, "initramfs.cpio.gz")
        build_initramfs(build, "\n".join(body) + "\n", initrd, extras)
        log(f"{suite}: benchmark in {', '.join(modes)} under TCG")
        started = time.monotonic()

        def progress(line):
            if line.startswith("run-bench: "):
                log(f"{suite}: {line[11:]} ({time.monotonic() - started:.0f} s)")

        lines, timed_out = run_guest(suite, kdir, initrd, progress, timeout_s)
    text = "\n".join(lines)
    m = re.search(rf"^{MARK}-RESULT bench@@\n(.*?)\n{MARK}-END bench@@$", text, re.M | re.S)
    if not m:
        raise RuntimeError("the guest gave no benchmark result" +
                           (" (timeout)" if timed_out else "") + ":\n" + "\n".join(lines[-30:]))
    return base64.b64decode(m.group(1)).decode()


def shell(build, suite, command=None):
    kdir = fetch_kernel(suite)
    with tempfile.TemporaryDirectory(prefix="procscope-vm-") as tmp:
        initrd = os.path.join(tmp, "initramfs.cpio.gz")
        scenario_initramfs(build, kernel_arch(suite),
                           command + "\n" if command else SHELL_BODY, initrd)
        cmd = qemu_command(suite, kdir, initrd, interactive=True)
        os.execvp(cmd[0], cmd)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--kernels", default=" ".join(ALL_KERNELS))
    ap.add_argument("--modes", default=" ".join(ALL_MODES))
    ap.add_argument("--shell", metavar="SUITE", help="boot SUITE's kernel into a shell")
    ap.add_argument("--exec", metavar="CMD", help="with --shell: run CMD in the guest instead")
    a = ap.parse_args()
    if a.shell:
        shell(a.build, a.shell, a.exec)
        return 0
    tally = Tally()
    run_matrix(a.build, a.kernels.split(), a.modes.split(), tally)
    narrowed = narrowing(a.kernels.split(), a.modes.split())
    print((f"# NARROWED RUN, left out: {narrowed}\nNARROWED: " if narrowed else "")
          + tally.summary())
    return 1 if tally.failed or not tally.passed else 0


if __name__ == "__main__":
    sys.exit(main())
