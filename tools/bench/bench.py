#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""procscope's benchmark: overhead per read beside the floor and peer tools, startup, memory,
binary size and scrape cost.

The measuring is done by tools/bench/run-bench.sh (on the host, and in a VM guest for the fentry
and kprobe modes); this script starts it, gathers what the host alone can measure, and turns
the raw lines into medians, spreads, overheads (a configuration's median minus the no-tracer
median of the same round set) and ratios. Timings on these machines are noisy: configurations
alternate within one run (A B C A B C ...), only medians and ratios are reported, and nothing
here is a pass/fail test. Writes OUT/bench.json, OUT/bench.txt and OUT/overhead.png.
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "tools"))

# The loads of tools/bench/benchload.c (run-bench.sh runs the same list).
OPS = ["stat", "sysfs", "cpuinfo", "zero", "tmpfs", "mmap", "open"]
OP_TEXT = {"stat": "pread /proc/self/stat", "sysfs": "pread sysfs attribute",
           "cpuinfo": "pread /proc/cpuinfo", "zero": "pread /dev/zero (control)",
           "tmpfs": "pread tmpfs file (control)",
           "mmap": "mmap+munmap of a page (impact)",
           "open": "open+close of a tmpfs file (opens counted)"}
CONFIGS = ["none", "floor", "count", "latency", "audit", "trace", "trace_stacks_fp",
           "trace_stacks", "impact", "bpftrace", "filetop", "vfsstat"]
CONFIG_TEXT = {"none": "no tracer", "floor": "empty programs (floor)",
               "count": "procscope top --no-latency (counting)",
               "latency": "procscope top (counting and latency)",
               "audit": "procscope audit (no allowlist)", "trace": "procscope trace",
               "trace_stacks_fp": "procscope trace -K -U --ustack=fp",
               "trace_stacks": "procscope trace -K -U (--ustack=auto: stack copied)",
               "impact": "procscope impact",
               "bpftrace": "bpftrace per-file count",
               "filetop": "libbpf-tools filetop", "vfsstat": "libbpf-tools vfsstat"}
PORT = 19390
# The configurations procscope itself provides: a benchmark without any of them is incomplete.
PROCSCOPE_CONFIGS = ["count", "latency", "audit", "trace", "trace_stacks_fp", "trace_stacks",
                     "impact"]
# Stopped with SIGINT, every tracer exits 0, except libbpf-tools' vfsstat, which sleeps through
# it and is killed (see run-bench.sh).
MAY_BE_KILLED = {"vfsstat"}


def log(msg):
    print(f"# {msg}", flush=True)


# ---------------------------------------------------------------- the bpftrace peer

def btf_offsets():
    """Member offsets the bpftrace script needs, from the running kernel's BTF: bpftrace 0.17
    cannot read the BTF of newer kernels (its structs come out empty), so the script walks
    pointers by offset, as a C program built for this kernel would."""
    out = subprocess.run(["bpftool", "-j", "btf", "dump", "file", "/sys/kernel/btf/vmlinux"],
                         capture_output=True, text=True, check=True).stdout
    types = json.loads(out)["types"]
    by_id = {t["id"]: t for t in types}
    structs = {}
    for t in types:
        if t["kind"] == "STRUCT" and t.get("name") and t["name"] not in structs:
            structs[t["name"]] = t

    def member(struct, name):
        def find(t, base):
            for m in t.get("members", []):
                if m["name"] == name:
                    return base + m["bits_offset"] // 8
                if m["name"] == "(anon)":
                    r = find(by_id[m["type_id"]], base + m["bits_offset"] // 8)
                    if r is not None:
                        return r
            return None
        off = find(structs[struct], 0)
        if off is None:
            raise RuntimeError(f"no {struct}.{name} in the kernel's BTF")
        return off

    return {k: member(*k.split(".")) for k in (
        "task_struct.files", "files_struct.fdt", "fdtable.fd", "file.f_inode", "file.f_path",
        "path.dentry", "inode.i_sb", "super_block.s_magic", "dentry.d_name", "qstr.name")}


def bpftrace_script(mode):
    """The same per-file counting as `procscope top` in bpftrace: reads and bytes per process and
    file name, for procfs and sysfs only. Tracepoint mode: the pread64 system call, as procscope's
    tracepoint mode sees it; the function modes: vfs_read."""
    o = btf_offsets()
    file_fields = (
        f"$magic = *(uint64 *)(*(uint64 *)(*(uint64 *)($file + {o['file.f_inode']}) + "
        f"{o['inode.i_sb']}) + {o['super_block.s_magic']});\n"
        "\tif ($magic == 0x9fa0 || $magic == 0x62656572) {\n"
        f"\t\t$name = str(*(uint64 *)(*(uint64 *)($file + {o['file.f_path']} + "
        f"{o['path.dentry']}) + {o['dentry.d_name']} + {o['qstr.name']}));\n"
        "\t\t@reads[comm, $name] = count();\n\t\t@bytes[comm, $name] = sum($ret);\n\t}\n")
    if mode == "tracepoint":
        return ("tracepoint:syscalls:sys_enter_pread64 { @fd[tid] = args->fd + 1; }\n"
                "tracepoint:syscalls:sys_exit_pread64 /@fd[tid]/ {\n"
                f"\t$fdt = *(uint64 *)(*(uint64 *)((uint64)curtask + {o['task_struct.files']}) + "
                f"{o['files_struct.fdt']});\n"
                f"\t$file = *(uint64 *)(*(uint64 *)($fdt + {o['fdtable.fd']}) + "
                "8 * (@fd[tid] - 1));\n\t$ret = args->ret;\n\t" + file_fields +
                "\tdelete(@fd[tid]);\n}\n")
    return ("kprobe:vfs_read { @file[tid] = arg0; }\n"
            "kretprobe:vfs_read /@file[tid]/ {\n\t$file = @file[tid];\n\t$ret = retval;\n\t" +
            file_fields + "\tdelete(@file[tid]);\n}\n")


# ---------------------------------------------------------------- measuring

def host_mode(procscope):
    p = subprocess.run([procscope, "top", "--json", "-n", "1", "-i", "0.1"], capture_output=True,
                       text=True, timeout=120)
    m = re.search(r"^procscope: ready mode=(\w+)", p.stderr, re.M)
    if not m:
        raise RuntimeError(f"procscope does not start here: {p.stderr.strip()}")
    return m.group(1)


def run_host(build, mode, rounds, scale, threads, tmp):
    env = dict(os.environ, PROCSCOPE=os.path.join(build, "procscope"),
               BENCHLOAD=os.path.join(build, "bench", "benchload"),
               FLOOR=os.path.join(build, "bench", "floor"))
    configs = list(CONFIGS)
    if shutil.which("bpftrace"):
        if mode == "tracepoint" and not os.path.exists("/sys/kernel/tracing/events"):
            # bpftrace's classic tracepoints need tracefs (procscope itself does not).
            subprocess.run(["mount", "-t", "tracefs", "tracefs", "/sys/kernel/tracing"],
                           check=False)
        script = os.path.join(tmp, "count.bt")
        with open(script, "w") as f:
            f.write(bpftrace_script(mode))
        env["BPFTRACE_SCRIPT"] = script
    else:
        configs.remove("bpftrace")
    out = os.path.join(tmp, "host.jsonl")
    subprocess.run(["sh", os.path.join(TOP, "tools", "bench", "run-bench.sh"), out, mode,
                    str(rounds), str(scale), threads] + configs, env=env, check=True)
    return read_lines(out)


def read_lines(path_or_text, is_text=False):
    text = path_or_text if is_text else open(path_or_text).read()
    return [json.loads(l) for l in text.splitlines() if l.strip()]


def wait_ready(proc, pattern, timeout=60):
    end = time.monotonic() + timeout
    buf = ""
    os.set_blocking(proc.stderr.fileno(), False)
    while time.monotonic() < end:
        chunk = proc.stderr.read()
        if chunk:
            buf += chunk.decode(errors="replace")
            if pattern in buf:
                return time.monotonic()
        if proc.poll() is not None:
            raise RuntimeError(f"exited before ready: {buf.strip()}")
        time.sleep(0.001)
    raise RuntimeError("not ready in time")


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def measure_startup(procscope, runs):
    """Exec to the ready line of `procscope top`, median of @runs."""
    times = []
    for _ in range(runs):
        t0 = time.monotonic()
        p = subprocess.Popen([procscope, "top", "--json", "-i", "3600"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
        try:
            times.append(wait_ready(p, "procscope: ready") - t0)
        finally:
            stop(p)
    return {"runs": runs, "median_ms": round(statistics.median(times) * 1000, 1),
            "min_ms": round(min(times) * 1000, 1), "max_ms": round(max(times) * 1000, 1)}


def measure_verifier(build, args):
    """What the verifier processed for each program of `procscope ARGS` once ready (Linux 5.16
    and later report it), by program and in total."""
    p = subprocess.Popen([os.path.join(build, "procscope")] + args, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    try:
        wait_ready(p, "procscope: ready")
        out = subprocess.run([os.path.join(build, "bench", "progcost"), str(p.pid)], check=True,
                             capture_output=True, text=True).stdout
    finally:
        stop(p)
    progs = read_lines(out, is_text=True)
    return {"args": " ".join(args), "programs": progs,
            "verified_insns": sum(q["verified_insns"] for q in progs)}


def pseudo_files(n):
    """@n distinct readable pseudo-files: sysctls first, then sysfs attributes."""
    found = []
    for top in ("/proc/sys", "/sys/kernel", "/sys/devices/system", "/sys/class", "/sys/devices"):
        for root, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if d not in ("debug", "tracing", "security")]
            for name in files:
                p = os.path.join(root, name)
                try:
                    with open(p, "rb", buffering=0) as f:
                        f.read(4096)
                except OSError:
                    continue
                found.append(p)
                if len(found) >= n:
                    return found
    return found


def read_files_as(comm, files):
    with open("/proc/self/comm", "w") as f:
        f.write(comm)
    for p in files:
        try:
            with open(p, "rb", buffering=0) as f:
                f.read(4096)
        except OSError:
            pass


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        status = f.read()
    rss = int(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1))
    hwm = int(re.search(r"^VmHWM:\s+(\d+)", status, re.M).group(1))
    return rss, hwm


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def scrape_latency(url, requests):
    times, series = [], 0
    for _ in range(requests):
        t0 = time.perf_counter()
        with urllib.request.urlopen(url, timeout=10) as r:
            body = r.read()
        times.append(time.perf_counter() - t0)
    series = sum(1 for l in body.decode().splitlines() if l and not l.startswith("#"))
    times.sort()
    return {"series": series, "requests": requests,
            "p50_ms": round(times[len(times) // 2] * 1000, 2),
            "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))] * 1000, 2)}


def measure_daemon(build, files_wanted, comms, requests, reads):
    """RSS with @files_wanted tracked files, /metrics latency at about 1,000 series and at ten
    times more, CPU per million reads."""
    procscope = os.path.join(build, "procscope")
    files = pseudo_files(files_wanted)
    small = files[:max(1, len(files) // 5)]  # about five series per file: ~1,000 series
    res = {"files_available": len(files)}
    p = subprocess.Popen([procscope, "daemon", "--listen", f"127.0.0.1:{PORT}", "--per-process",
                          "--max-files", str(len(files) * comms + 100)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{PORT}/metrics"
    try:
        wait_ready(p, "procscope: ready")
        res["rss_idle_kib"] = rss_kib(p.pid)[0]
        read_files_as("bench_files_0", small)
        # One scrape first each time the series grew: its buffers are allocated then and kept for
        # the scrapes that follow, which are what a Prometheus server sees every interval.
        scrape_latency(url, 1)
        res["metrics_small"] = scrape_latency(url, requests)
        read_files_as("bench_files_0", files)
        scrape_latency(url, 3)
        res["rss_steady_kib"], _ = rss_kib(p.pid)
        for i in range(1, comms):
            read_files_as(f"bench_files_{i}", small)
        scrape_latency(url, 1)
        res["metrics_large"] = scrape_latency(url, requests)
        res["rss_large_kib"], res["rss_peak_kib"] = rss_kib(p.pid)
        cpu0 = cpu_seconds(p.pid)
        subprocess.run([os.path.join(build, "bench", "benchload"), "stat", "1", str(reads)],
                       check=True, capture_output=True)
        scrape_latency(url, 1)
        res["daemon_cpu_ms_per_million_reads"] = round(
            (cpu_seconds(p.pid) - cpu0) * 1000 * 1e6 / reads, 1)
        res["reads_for_cpu"] = reads
    finally:
        stop(p)
        with open("/proc/self/comm", "w") as f:
            f.write("bench.py")
    return res


def binary_size(build):
    with tempfile.NamedTemporaryFile() as t:
        subprocess.run(["strip", "-o", t.name, os.path.join(build, "procscope")], check=True)
        return {"stripped_bytes": os.path.getsize(t.name),
                "unstripped_bytes": os.path.getsize(os.path.join(build, "procscope"))}


# ---------------------------------------------------------------- statistics

def summarize(lines):
    """Per mode: medians and spread per (config, op, threads), overheads and ratios."""
    modes = {}
    for l in lines:
        m = modes.setdefault(l["mode"], {"unavailable": {}, "samples": {}, "bpf": {}, "errors": []})
        if "error" in l:
            m["errors"].append(f"{l['config']}/{l['op']}: {l['error']}")
            continue
        if "unavailable" in l:
            m["unavailable"][l["config"]] = l["unavailable"]
            continue
        if "tracer_exit" in l:
            if l["killed"] and l["config"] not in MAY_BE_KILLED:
                m["errors"].append(f"{l['config']}: ignored SIGINT and was killed")
            elif not l["killed"] and l["tracer_exit"] != 0:
                m["errors"].append(f"{l['config']}: exit status {l['tracer_exit']}")
            continue
        key = (l["config"], l["op"], l["threads"])
        if not l.get("accounting"):
            m["samples"].setdefault(key, []).append(l["ns_per_op"])
        else:
            reads = l["iterations"] * l["threads"]
            m["bpf"].setdefault(key, []).append((l["bpf_ns"] / reads, l["bpf_runs"] / reads,
                                                 l["bpf_ns"] / l["bpf_runs"] if l["bpf_runs"]
                                                 else 0))
    out = {}
    for mode, m in modes.items():
        rows = []
        for (config, op, threads), v in sorted(m["samples"].items()):
            base = m["samples"].get(("none", op, threads))
            med = statistics.median(v)
            bpf = m["bpf"].get((config, op, threads), [])
            rows.append({"config": config, "op": op, "threads": threads, "n": len(v),
                         "median_ns": round(med, 1), "min_ns": min(v), "max_ns": max(v),
                         "overhead_ns": round(med - statistics.median(base), 1) if base else None,
                         # the kernel's accounting (kernel.bpf_stats_enabled): the tracer's
                         # programs' run time and runs per read, in the accounting round
                         "bpf_ns_per_read": round(statistics.median(b[0] for b in bpf), 1)
                         if bpf else None,
                         "bpf_runs_per_read": round(statistics.median(b[1] for b in bpf), 2)
                         if bpf else None,
                         "bpf_ns_per_run": round(statistics.median(b[2] for b in bpf), 1)
                         if bpf else None})
        out[mode] = {"rows": rows, "unavailable": m["unavailable"], "errors": m["errors"],
                     "ratios": ratios(rows)}
    return out


def ratios(rows):
    def over(config, op, threads):
        for r in rows:
            if (r["config"], r["op"], r["threads"]) == (config, op, threads):
                return r["overhead_ns"]
        return None

    def ratio(a, b):
        return round(a / b, 2) if a is not None and b and b > 0 else None

    def bpf(config, op, threads):
        for r in rows:
            if (r["config"], r["op"], r["threads"]) == (config, op, threads):
                return r.get("bpf_ns_per_read")
        return None

    threads = sorted({r["threads"] for r in rows})
    one, most = threads[0], threads[-1]
    res = {}
    for op in OPS:
        c = over("count", op, one)
        bt = bpf("bpftrace", op, one)
        res[op] = {
            "count_over_floor": ratio(c, over("floor", op, one)),
            "latency_over_floor": ratio(over("latency", op, one), over("floor", op, one)),
            "count_over_bpftrace": ratio(c, over("bpftrace", op, one)),
            "count_over_filetop": ratio(c, over("filetop", op, one)),
            "trace_over_floor": ratio(over("trace", op, one), over("floor", op, one)),
            "trace_stacks_over_trace": ratio(over("trace_stacks", op, one), over("trace", op, one)),
            # what copying the user stack for unwinding adds to the frame-pointer walk
            "trace_stacks_over_fp": ratio(over("trace_stacks", op, one),
                                          over("trace_stacks_fp", op, one)),
            "bpf_stacks_over_fp": ratio(bpf("trace_stacks", op, one),
                                        bpf("trace_stacks_fp", op, one)),
            "count_all_cores_over_one": ratio(over("count", op, most), c) if most != one else None,
            # the same comparisons in the programs' own run time
            "bpf_count_over_bpftrace": ratio(bpf("count", op, one), bt),
            "bpf_latency_over_bpftrace": ratio(bpf("latency", op, one), bt),
        }
    return res


def text_report(result):
    out = []
    for mode, s in result["modes"].items():
        where = result["where"][mode]
        out.append(f"## {where}, {mode} mode: ns per read (median of {s['rows'][0]['n'] if s['rows'] else 0}"
                   f" rounds; overhead = median - no tracer)")
        threads = sorted({r["threads"] for r in s["rows"]})
        for t in threads:
            out.append(f"### {t} thread{'s' if t > 1 else ''}")
            out.append(f"{'configuration':<42}" + "".join(f"{op:>16}" for op in OPS))
            for config in CONFIGS:
                cells = []
                for op in OPS:
                    r = next((r for r in s["rows"] if (r["config"], r["op"], r["threads"]) ==
                              (config, op, t)), None)
                    if r is None:
                        cells.append(f"{'-':>16}")
                    elif config == "none":
                        cells.append(f"{r['median_ns']:>16.0f}")
                    else:
                        cells.append(f"{r['median_ns']:>8.0f} {r['overhead_ns']:>+6.0f}")
                if any(c.strip() != "-" for c in cells):
                    out.append(f"{CONFIG_TEXT[config]:<42}" + "".join(cells))
        # The tracepoint mode's programs run on every system call of the machine: runs per read
        # above 2 are other processes' calls, and ns per run is the steadier figure.
        out.append(f"### BPF programs, 1 thread (the kernel's accounting): ns per run, runs per "
                   f"read")
        out.append(f"{'configuration':<42}" + "".join(f"{op:>16}" for op in OPS))
        for config in CONFIGS:
            cells = []
            for op in OPS:
                r = next((r for r in s["rows"] if (r["config"], r["op"], r["threads"]) ==
                          (config, op, threads[0] if threads else 1)), None)
                if r is None or r.get("bpf_ns_per_read") is None or config == "none":
                    cells.append(f"{'-':>16}")
                else:
                    cells.append(f"{r['bpf_ns_per_run']:>8.0f} {r['bpf_runs_per_read']:>6.1f}")
            if any(c.strip() != "-" for c in cells):
                out.append(f"{CONFIG_TEXT[config]:<42}" + "".join(cells))
        for config, why in s["unavailable"].items():
            out.append(f"{CONFIG_TEXT[config]}: unavailable here ({why})")
        for e in s["errors"]:
            out.append(f"load failed: {e}")
        out.append("ratios of overheads (1 thread unless said):")
        for op in OPS:
            r = s["ratios"][op]
            out.append(f"  {op:<8} " + ", ".join(f"{k}={v}" for k, v in r.items() if v is not None))
    if "host" in result:
        h = result["host"]
        out.append("## host")
        out.append(f"startup, exec to ready: median {h['startup']['median_ms']} ms "
                   f"({h['startup']['runs']} runs, {h['startup']['min_ms']}-{h['startup']['max_ms']})")
        for v in h["verifier"]:
            top = sorted(v["programs"], key=lambda q: -q["verified_insns"])[:3]
            out.append(f"verifier, procscope {v['args']}: {v['verified_insns']} instructions "
                       f"processed for {len(v['programs'])} programs (most: " +
                       ", ".join(f"{q['name']} {q['verified_insns']}" for q in top) + ")")
        out.append(f"binary: {h['binary']['stripped_bytes']} bytes stripped")
        d = h["daemon"]
        out.append(f"daemon RSS: {d['rss_idle_kib']} KiB idle, {d['rss_steady_kib']} KiB steady "
                   f"with {d['files_available']} tracked files, {d['rss_large_kib']} KiB with "
                   f"{d['metrics_large']['series']} series (peak {d['rss_peak_kib']} KiB)")
        for k in ("metrics_small", "metrics_large"):
            m = d[k]
            out.append(f"/metrics at {m['series']} series: p50 {m['p50_ms']} ms, p99 {m['p99_ms']}"
                       f" ms ({m['requests']} requests)")
        out.append(f"daemon CPU: {d['daemon_cpu_ms_per_million_reads']} ms per million traced "
                   f"reads")
    return "\n".join(out) + "\n"


def chart(result, path, tmp):
    """Overhead per read by configuration, one-thread /proc/self/stat, a bar per mode."""
    data = os.path.join(tmp, "chart.dat")
    modes = [m for m, s in result["modes"].items()
             if any(r["op"] == "stat" and r["config"] != "none" for r in s["rows"])]
    with open(data, "w") as f:
        f.write("config " + " ".join(modes) + "\n")
        for config in CONFIGS[1:]:
            vals = []
            for mode in modes:
                r = next((r for r in result["modes"][mode]["rows"] if r["config"] == config and
                          r["op"] == "stat" and r["threads"] == 1), None)
                vals.append(str(r["overhead_ns"]) if r else "NaN")
            f.write(f"{config} " + " ".join(vals) + "\n")
    script = (f"set terminal pngcairo size 900,500 noenhanced\nset output '{path}'\n"
              "set title 'Overhead per pread of /proc/self/stat (ns, 1 thread; TCG modes are "
              "relative only)'\n"
              "set style data histograms\nset style histogram clustered gap 1\n"
              "set style fill solid 0.8\nset boxwidth 0.9\nset ylabel 'ns over no tracer'\n"
              "set xtics rotate by -30\nset key top left\nset grid ytics\n"
              f"plot for [i=2:{len(modes) + 1}] '{data}' using i:xtic(1) title columnhead\n")
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--out", help="results directory (default BUILD/bench)")
    ap.add_argument("--quick", action="store_true", help="one short round: the bench works")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--scale", type=float, default=1.0, help="reads per measurement, relative")
    ap.add_argument("--vm", default="bookworm", help="kernel suite for the fentry and kprobe "
                    "modes ('' to skip)")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    out_dir = os.path.abspath(a.out or os.path.join(build, "bench"))
    os.makedirs(out_dir, exist_ok=True)
    rounds, scale = (1, 0.02) if a.quick else (a.rounds, a.scale)
    threads = f"1 {os.cpu_count()}" if os.cpu_count() > 1 else "1"
    procscope = os.path.join(build, "procscope")
    mode = host_mode(procscope)
    uname = os.uname()
    result = {"machine": {"kernel": uname.release, "cpus": os.cpu_count(),
                          "model": cpu_model()},
              "quick": a.quick, "rounds": rounds, "scale": scale, "where": {}, "modes": {}}
    with tempfile.TemporaryDirectory(prefix="procscope-bench-") as tmp:
        log(f"host ({uname.release}, {mode} mode): {rounds} round(s) of {len(CONFIGS)} "
            f"configurations")
        lines = run_host(build, mode, rounds, scale, threads, tmp)
        result["where"][mode] = f"host {uname.release}"
        if a.vm and not a.quick:
            import vmtest
            log(f"VM ({a.vm}, TCG): fentry and kprobe modes")
            # TCG runs tens of times slower: fewer reads per measurement, same rounds.
            vm_lines = read_lines(vmtest.run_bench(build, a.vm, ["fentry", "kprobe"], rounds,
                                                   scale / 50, "1 2",
                                                   [c for c in CONFIGS if c != "bpftrace"]),
                                  is_text=True)
            lines += vm_lines
            for m in ("fentry", "kprobe"):
                result["where"][m] = f"VM {a.vm} under TCG"
        result["modes"] = summarize(lines)
        log("startup, binary, daemon")
        result["host"] = {
            "startup": measure_startup(procscope, 3 if a.quick else 11),
            "verifier": [measure_verifier(build, ["top", "--json", "-i", "3600"]),
                         measure_verifier(build, ["daemon", "--audit", "--impact", "--listen",
                                                  f"127.0.0.1:{PORT}"])],
            "binary": binary_size(build),
            "daemon": measure_daemon(build, 50 if a.quick else 1000, 2 if a.quick else 10,
                                     20 if a.quick else 200, 20000 if a.quick else 1000000),
        }
        with open(os.path.join(out_dir, "bench.json"), "w") as f:
            json.dump(result, f, indent=1)
        report = text_report(result)
        with open(os.path.join(out_dir, "bench.txt"), "w") as f:
            f.write(report)
        chart(result, os.path.join(out_dir, "overhead.png"), tmp)
    print(report, end="")
    log(f"results: {out_dir}/bench.json, bench.txt, overhead.png")
    return 0


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
            return m.group(1) if m else "?"
    except OSError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
