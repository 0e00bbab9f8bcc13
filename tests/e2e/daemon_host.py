# SPDX-License-Identifier: GPL-2.0-only
"""Host-only tests of `procscope daemon` that need more than a scenario: a real Prometheus
server scraping it, 50 concurrent scrapes during a read storm, a hostile process name, a port in
use, and the HTTP surface. Each test returns nothing and raises CheckFailed on failure."""
import http.client
import json
import os
import re
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request

import scenarios as sc

PROM_PORT = 19190


class Daemon:
    """A procscope daemon started for one test; stop() checks it ends cleanly."""

    started = []  # every daemon of the current test, so a failed test leaves none running

    def __init__(self, procscope, listen, *args):
        self.listen = listen
        Daemon.started.append(self)
        self.proc = subprocess.Popen([procscope, "daemon", "--listen", listen, *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.stderr = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            self.stderr += line
            if line.startswith("procscope: ready"):
                return
        self.proc.kill()
        raise sc.CheckFailed(f"daemon not ready: {self.stderr}{self.proc.stderr.read()}")

    def url(self, path="/metrics"):
        host, port = self.listen.rsplit(":", 1)
        return f"http://{host}:{port}{path}"

    def stop(self, check_links=True):
        self.proc.terminate()
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise sc.CheckFailed("daemon did not stop within 30 s of SIGTERM")
        rest = self.proc.stderr.read()
        sc.expect_eq(rc, 0, f"daemon exit status after SIGTERM ({rest.strip()})")
        left = our_links() if check_links else []
        sc.expect(not left, f"BPF links left behind: {left}")


def our_links():
    """Names of our programs still attached; raises CheckFailed when it cannot look."""
    try:
        out = subprocess.run(["bpftool", "-j", "link", "list"], capture_output=True, text=True)
    except OSError as e:
        raise sc.CheckFailed(f"cannot check for BPF links left behind: {e}")
    if out.returncode != 0 or not out.stdout.strip():
        raise sc.CheckFailed(f"cannot check for BPF links left behind: bpftool link list "
                             f"exited {out.returncode}: {out.stderr.strip()}")
    names = []
    for link in json.loads(out.stdout):
        p = subprocess.run(["bpftool", "-j", "prog", "show", "id", str(link["prog_id"])],
                           capture_output=True, text=True)
        # A link may go away between the two calls: then it is not left behind.
        name = json.loads(p.stdout or "{}").get("name", "") if p.returncode == 0 else ""
        if re.match(r"^(fentry__|fexit__|kprobe__|kretprobe__|tp__sys_|tp__mmap_)", name):
            names.append(name)
    return names


def get(url, method="GET", timeout=10):
    req = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def run_workload(workload, *ops, comm="wl_daemon", threads=1):
    out = subprocess.run([workload, "--comm", comm, "--threads", str(threads), *ops],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_prometheus_server(procscope, workload):
    """A real Prometheus scrapes the daemon every second; its view must equal the workload."""
    d = Daemon(procscope, "127.0.0.1:19111", "-c", "wl_prom")
    with tempfile.TemporaryDirectory(prefix="procscope-prom-") as tmp:
        cfg = os.path.join(tmp, "prometheus.yml")
        with open(cfg, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                    "scrape_configs:\n  - job_name: procscope\n    static_configs:\n"
                    "      - targets: ['127.0.0.1:19111']\n")
        prom = subprocess.Popen(
            ["prometheus", f"--config.file={cfg}", f"--storage.tsdb.path={tmp}/data",
             f"--web.listen-address=127.0.0.1:{PROM_PORT}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: get(f"http://127.0.0.1:{PROM_PORT}/-/ready")[0] == 200, 60,
                       "Prometheus ready")
            wait_until(lambda: query('up{job="procscope"}') == [1.0], 30,
                       "Prometheus scraping procscope")
            w = run_workload(workload, "pread:/proc/self/stat:777", f"pread:{sc.SYSFS_ATTR}:55",
                             comm="wl_prom")
            stat = sc.op_of(w, "pread", "/proc/self/stat")
            attr = sc.op_of(w, "pread", sc.SYSFS_ATTR)
            q_stat = 'procscope_file_reads_total{path="/proc/[pid]/stat"}'
            q_bytes = 'procscope_file_read_bytes_total{path="/proc/[pid]/stat"}'
            q_attr = f'procscope_file_reads_total{{path="{sc.SYSFS_ATTR}"}}'
            wait_until(lambda: query(q_stat) == [float(stat["calls"])], 30,
                       f"Prometheus sees {stat['calls']} reads of /proc/[pid]/stat")
            wait_until(lambda: query(q_attr) == [float(attr["calls"])], 30,
                       f"Prometheus sees {attr['calls']} reads of the sysfs attribute")
            sc.expect_eq(query(q_bytes), [float(stat["bytes"])], "bytes in Prometheus")
            # The increase over the whole run equals the workload: the series starts at zero.
            first = query(f"min_over_time({q_stat}[5m])")
            sc.expect(first and first[0] <= stat["calls"], f"first sample {first}")
            sc.expect_eq(query(f"max_over_time({q_stat}[5m])"), [float(stat["calls"])],
                         "no sample above the workload's count")
        finally:
            prom.terminate()
            prom.wait()
    d.stop()


def query(expr, port=PROM_PORT):
    url = (f"http://127.0.0.1:{port}/api/v1/query?" +
           urllib.parse.urlencode({"query": expr}))
    status, _, body = get(url)
    if status != 200:
        return None
    return [float(r["value"][1]) for r in json.loads(body)["data"]["result"]]


def wait_until(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.25)
    raise sc.CheckFailed(f"timed out waiting for: {what}")


def test_concurrent_scrapes(procscope, workload):
    """50 scrapers, 4 scrapes each, during a read storm: every scrape succeeds, parses and
    passes promtool, and no counter goes backwards in any scraper's sequence."""
    d = Daemon(procscope, "127.0.0.1:19112", "-c", "wl_storm")
    storm = subprocess.Popen([workload, "--comm", "wl_storm", "--threads", "2",
                              "pread:/proc/self/stat:40000", f"pread:{sc.SYSFS_ATTR}:20000"],
                             stdout=subprocess.PIPE, text=True)
    results, errors = [[] for _ in range(50)], []

    def scraper(i):
        for _ in range(4):
            try:
                status, _, body = get(d.url(), timeout=30)
                if status != 200:
                    errors.append(f"scraper {i}: HTTP {status}")
                results[i].append(body)
            except OSError as e:
                errors.append(f"scraper {i}: {e}")

    threads = [threading.Thread(target=scraper, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    w = json.loads(storm.communicate()[0])
    sc.expect(not errors, f"failed scrapes: {errors[:5]}")
    sc.expect_eq(sum(len(r) for r in results), 200, "scrapes answered")
    for i, bodies in enumerate(results):
        previous = {}
        for n, body in enumerate(bodies):
            samples = sc.parse_metrics(body, f"scraper {i} scrape {n}")
            for key, v in samples.items():
                if key[0].endswith("_total") and v < previous.get(key, 0):
                    raise sc.CheckFailed(f"{key} went backwards in scraper {i}")
            previous = samples
    # After the storm, the totals are exact.
    status, _, body = get(d.url())
    samples = parse_only(body)
    stat = sc.op_of(w, "pread", "/proc/self/stat")
    sc.expect_eq(sc.metric(samples, "procscope_file_reads_total", fs="proc",
                           path="/proc/[pid]/stat"), stat["calls"], "reads after the storm")
    d.stop()


def parse_only(text):
    from prometheus_client.parser import text_string_to_metric_families
    return {(s.name, frozenset(s.labels.items())): s.value
            for fam in text_string_to_metric_families(text) for s in fam.samples}


def test_hostile_comm(procscope, workload):
    """A process naming itself with a quote, a backslash and a newline: the scrape stays valid
    and the label carries the name exactly."""
    name = 'a"b\\c\nd{x}'
    d = Daemon(procscope, "127.0.0.1:19113", "--per-process")
    w = run_workload(workload, "pread:/proc/self/stat:9", comm=name)
    status, _, body = get(d.url())
    sc.expect_eq(status, 200, "HTTP status")
    samples = sc.parse_metrics(body, "the scrape with a hostile comm")
    got = sc.metric(samples, "procscope_file_reads_total", fs="proc", path="/proc/[pid]/stat",
                    comm=w["comm"])
    sc.expect_eq(got, 9, f"reads under comm {w['comm']!r}")
    d.stop()


def test_self_cost(procscope, workload):
    """--self-cost: every loaded program has its run time and runs as counters, and the runs
    cover the counted reads. (The kernel ties the statistics to the daemon's BPF_ENABLE_STATS
    fd, which kernel.bpf_stats_enabled does not show.)"""
    d = Daemon(procscope, "127.0.0.1:19119", "--self-cost", "-c", "wl_cost")
    w = run_workload(workload, "pread:/proc/self/stat:300", comm="wl_cost")
    status, _, body = get(d.url())
    sc.expect_eq(status, 200, "HTTP status")
    samples = sc.parse_metrics(body, "the scrape with --self-cost")
    runs = {dict(k[1])["program"]: v for k, v in samples.items()
            if k[0] == "procscope_bpf_runs_total"}
    secs = {dict(k[1])["program"]: v for k, v in samples.items()
            if k[0] == "procscope_bpf_run_seconds_total"}
    sc.expect(runs and set(runs) == set(secs), f"programs with runs {sorted(runs)} and run "
              f"time {sorted(secs)}")
    sc.expect(sum(runs.values()) >= w["ops"][0]["calls"], f"runs {runs} for 300 counted reads")
    sc.expect(sum(secs.values()) > 0, f"no run time: {secs}")
    sc.expect_eq(sc.metric(samples, "procscope_file_reads_total", fs="proc",
                           path="/proc/[pid]/stat"), 300, "reads counted")
    d.stop()


def test_impact(procscope, workload):
    """--impact: two readers of a target's smaps_rollup as series by reader name and file, no
    pid labels; reads exact (but for runs the kernel skipped, counted), the lock held, the
    waits charged within the target's waits and within the worker's own time in mmap and
    munmap; nothing in the [other] row."""
    d = Daemon(procscope, "127.0.0.1:19120", "--impact")
    w = run_workload(workload, "impact:smaps_rollup:2:300", comm="wl_imd")
    status, _, body = get(d.url())
    sc.expect_eq(status, 200, "HTTP status")
    samples = sc.parse_metrics(body, "the scrape with --impact")
    labels = {k[1] for k in samples if k[0].startswith("procscope_impact_") and
              not k[0].startswith("procscope_impact_target_")}
    sc.expect(all({n for n, _ in l} == {"reader_comm", "file"} for l in labels),
              f"impact series are labelled by reader_comm and file only: {labels}")
    op = sc.op_of(w, "impact", "smaps_rollup")
    mine = {"reader_comm": "wl_reader", "file": "/proc/[pid]/smaps_rollup"}
    reads = sc.metric(samples, "procscope_impact_reads_total", **mine)
    missed = sc.metric(samples, "procscope_missed_runs_total")
    sc.expect(op["calls"] - missed <= reads <= op["calls"],
              f"reads {reads}, made {op['calls']}, runs missed {missed}")
    sc.expect(sc.metric(samples, "procscope_impact_hold_seconds_total", **mine) > 0,
              "the readers held the lock")
    waited = sc.metric(samples, "procscope_impact_wait_seconds_total", **mine)
    sc.expect(waited <= sc.metric(samples, "procscope_impact_target_wait_seconds_total"),
              "the readers' share within the targets' waits")
    sc.expect(waited * 1e9 <= op["op_ns"] + sc.IMPACT_UNTIMED_NS,
              f"charged {waited} s within the worker's {op['op_ns']} ns in mmap and munmap")
    other = {"reader_comm": "[other]", "file": "[other]"}
    sc.expect_eq(sc.metric(samples, "procscope_impact_reads_total", **other), 0, "[other] reads")
    sc.expect_eq(sc.metric(samples, "procscope_dropped_total", reason="impact_full"), 0,
                 "impact rows dropped")
    d.stop()


def test_http_surface(procscope, workload):
    d = Daemon(procscope, "127.0.0.1:19115")
    status, headers, body = get(d.url("/"))
    sc.expect(status == 200 and 'href="/metrics"' in body, f"/: {status} {body[:80]}")
    sc.expect_eq(get(d.url("/healthz"))[:3:2], (200, "ok\n"), "/healthz")
    sc.expect_eq(get(d.url("/nope"))[0], 404, "unknown path")
    status, headers, _ = get(d.url(), method="POST")
    sc.expect_eq((status, headers.get("Allow")), (405, "GET, HEAD"), "POST /metrics")
    sc.expect_eq(get(d.url(), method="DELETE")[0], 405, "DELETE /metrics")
    status, headers, body = get(d.url(), method="HEAD")
    sc.expect_eq((status, body), (200, ""), "HEAD /metrics")
    sc.expect(headers.get("Content-Type", "").startswith("text/plain; version=0.0.4"),
              f"content type {headers.get('Content-Type')}")
    # An oversized request is refused, and the server keeps answering.
    conn = http.client.HTTPConnection("127.0.0.1", 19115, timeout=10)
    conn.putrequest("GET", "/metrics")
    conn.putheader("X-Big", "x" * 100000)
    conn.endheaders()
    status = conn.getresponse().status
    conn.close()
    sc.expect(400 <= status < 500, f"oversized request answered {status}")
    sc.expect_eq(get(d.url())[0], 200, "a scrape after the oversized request")
    d.stop()


def test_ipv6(procscope, workload):
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError as e:
        raise Skip(f"no IPv6 loopback here ({e})")
    d = Daemon(procscope, "[::1]:19116")
    status, _, body = get("http://[::1]:19116/metrics")
    sc.expect_eq(status, 200, "scrape over IPv6")
    parse_only(body)
    d.stop()


class Skip(Exception):
    pass


def test_install_and_deploy(procscope, workload):
    """`make install` lays out binary, man page and unit; the unit and man page pass
    systemd-analyze and groff; the deployment files parse (promtool, YAML)."""
    import yaml
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    build = os.path.dirname(procscope)
    with tempfile.TemporaryDirectory(prefix="procscope-install-") as tmp:
        prefix = os.path.join(tmp, "usr")
        subprocess.run(["make", "-s", "-C", top, f"O={build}", f"PREFIX={prefix}", "install"],
                       check=True, capture_output=True)
        unit = os.path.join(prefix, "lib/systemd/system/procscope.service")
        for path, mode in ((os.path.join(prefix, "sbin/procscope"), 0o755),
                           (os.path.join(prefix, "share/man/man8/procscope.8"), 0o644),
                           (os.path.join(prefix, "share/bash-completion/completions/procscope"),
                            0o644),
                           (unit, 0o644)):
            sc.expect(os.path.isfile(path), f"{path} not installed")
            sc.expect_eq(os.stat(path).st_mode & 0o777, mode, f"mode of {path}")
        with open(unit) as f:
            sc.expect(f"ExecStart={prefix}/sbin/procscope daemon" in f.read(), "ExecStart path")
        p = subprocess.run(["systemd-analyze", "verify", unit], capture_output=True, text=True,
                           env={**os.environ, "MANPATH": os.path.join(prefix, "share/man")})
        sc.expect(p.returncode == 0 and not p.stderr.strip(),
                  f"systemd-analyze verify: {p.stdout}{p.stderr}")
        p = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z",
                            os.path.join(prefix, "share/man/man8/procscope.8")],
                           capture_output=True, text=True)
        sc.expect(p.returncode == 0 and not p.stderr, f"groff warnings: {p.stderr}")
    deploy = os.path.join(top, "tools", "deploy")
    p = subprocess.run(["promtool", "check", "config", os.path.join(deploy, "prometheus.yml")],
                       capture_output=True, text=True)
    sc.expect_eq(p.returncode, 0, f"promtool check config: {p.stdout}{p.stderr}")
    with open(os.path.join(deploy, "kubernetes", "daemonset.yaml")) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    ds = next(d for d in docs if d["kind"] == "DaemonSet")
    pod = ds["spec"]["template"]
    c = pod["spec"]["containers"][0]
    sec = c["securityContext"]
    sc.expect_eq((sec["privileged"], sec["capabilities"]["drop"], sec["capabilities"]["add"]),
                 (False, ["ALL"], ["BPF", "PERFMON", "SYS_RESOURCE"]), "container privileges")
    sc.expect_eq(pod["metadata"]["annotations"]["prometheus.io/port"],
                 c["args"][c["args"].index("--listen") + 1].rsplit(":", 1)[1],
                 "scrape annotation port = listen port")
    with open(os.path.join(deploy, "kubernetes", "prometheus-scrape.yml")) as f:
        job = yaml.safe_load(f)["scrape_configs"][0]
    sc.expect_eq(job["kubernetes_sd_configs"][0]["role"], "pod", "scrape job discovery role")
    # Every metric the dashboard queries is one the daemon exports.
    with open(os.path.join(deploy, "grafana-dashboard.json")) as f:
        dash = json.load(f)
    exprs = [t["expr"] for p in dash["panels"] for t in p["targets"]]
    used = set(re.findall(r"\b((?:procscope|process)_[a-z_]+)", " ".join(exprs)))
    d = Daemon(procscope, "127.0.0.1:19117", "-c", "wl_dash", "--audit", "--impact")
    # a failed open too: procscope_failed_calls_total has a series from the first failure
    run_workload(workload, "pread:/proc/self/stat:3", "opens:/proc/999999999/stat:1",
                 "readlink:/proc/self/exe:1",
                 comm="wl_dash")
    exported = {name for name, _ in parse_only(get(d.url())[2])}
    d.stop()
    missing = used - exported
    sc.expect(not missing, f"dashboard queries metrics the daemon does not export: {missing}")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"^VmRSS:\s+(\d+) kB", f.read(), re.M).group(1))


def timed_scrape(d, what):
    start = time.monotonic()
    status, _, body = get(d.url(), timeout=10)
    took = time.monotonic() - start
    sc.expect_eq(status, 200, f"scrape {what}")
    parse_only(body)
    return took


def test_http_abuse(procscope, workload):
    """On loopback: 200 idle connections, 20 slow senders dribbling a request, 20 oversized
    requests, other methods and garbage. Scrapes keep being answered, bad requests get 4xx,
    and the daemon's memory stays bounded."""
    d = Daemon(procscope, "127.0.0.1:19117")
    port = 19117
    timed_scrape(d, "before")
    rss_before = rss_kib(d.proc.pid)
    idle, slow = [], []
    try:
        for _ in range(200):
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        for _ in range(20):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
            slow.append(s)
        times = []
        for n in range(10):
            for s in slow:  # one more header byte each: never a complete request
                s.sendall(b"X")
            times.append(timed_scrape(d, f"{n} under abuse"))
        # Oversized headers and bodies, other methods, garbage: each a 4xx, never a hang.
        for n in range(20):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.putrequest("GET", "/metrics?" + "a" * (64 * 1024) if n % 2 else "/metrics")
            conn.putheader("X-Pad", "p" * (40 * 1024))
            conn.endheaders()
            status = conn.getresponse().status
            conn.close()
            sc.expect(400 <= status < 500, f"oversized request {n}: {status}")
        for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"):
            sc.expect_eq(get(d.url(), method=method)[0], 405, f"{method} /metrics")
        with socket.create_connection(("127.0.0.1", port), timeout=10) as g:
            g.sendall(b"FROB /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            reply = g.recv(4096)
            sc.expect(reply.startswith(b"HTTP/1.1 405"), f"FROB answered {reply[:40]!r}")
        # Binary garbage is no request at all: the connection is closed by the 10 s timeout.
        with socket.create_connection(("127.0.0.1", port), timeout=20) as g:
            g.sendall(b"\x00\x01\xff\xfe garbage\r\n\r\n")
            start = time.monotonic()
            reply = g.recv(4096)
            sc.expect((reply == b"" or reply.startswith(b"HTTP/1.1 4"))
                      and time.monotonic() - start < 15, f"garbage answered {reply[:40]!r}")
        rss_during = rss_kib(d.proc.pid)
        times.append(timed_scrape(d, "after the oversized requests"))
    finally:
        for s in idle + slow:
            s.close()
    sc.expect(max(times) < 5, f"scrapes took up to {max(times):.2f} s under abuse")
    growth = rss_during - rss_before
    print(f"#   http_abuse: scrapes {min(times) * 1000:.1f}-{max(times) * 1000:.1f} ms; RSS "
          f"{rss_before} KiB before, {rss_during} KiB with 220 connections open", flush=True)
    # 256 connections at most, 32 KiB each: 8 MiB is the bound the server enforces.
    sc.expect(growth < 12 * 1024, f"RSS grew by {growth} KiB under abuse")
    timed_scrape(d, "after the abuse")
    d.stop()


def test_sigkill_restart(procscope, workload):
    """SIGKILL leaves nothing behind: the kernel drops the links with the process, and a new
    daemon on the same port is ready at once and counts exactly."""
    d = Daemon(procscope, "127.0.0.1:19118", "-c", "wl_kill")
    run_workload(workload, "pread:/proc/self/stat:50", comm="wl_kill")
    d.proc.kill()
    d.proc.wait()
    Daemon.started.remove(d)
    wait_until(lambda: not our_links(), 10, "the killed daemon's links to go")
    d = Daemon(procscope, "127.0.0.1:19118", "-c", "wl_kill")
    w = run_workload(workload, "pread:/proc/self/stat:70", comm="wl_kill")
    status, _, body = get(d.url())
    sc.expect_eq(status, 200, "scrape of the restarted daemon")
    sc.expect_eq(sc.metric(parse_only(body), "procscope_file_reads_total", fs="proc",
                           path="/proc/[pid]/stat"),
                 sc.op_of(w, "pread", "/proc/self/stat")["calls"],
                 "reads counted by the restarted daemon (none from before)")
    d.stop()


def test_two_instances(procscope, workload):
    """Two daemons and a top at once: each attaches its own programs and counts everything."""
    a = Daemon(procscope, "127.0.0.1:19119", "-c", "wl_two")
    b = Daemon(procscope, "127.0.0.1:19120", "-c", "wl_two", "--no-latency")
    top = subprocess.Popen([procscope, "top", "--json", "-c", "wl_two", "-i", "0.5"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = top.stderr.readline()
    sc.expect(line.startswith("procscope: ready"), f"top not ready: {line!r}")
    w = run_workload(workload, "pread:/proc/self/stat:333", f"pread:{sc.SYSFS_ATTR}:44",
                     comm="wl_two", threads=2)
    time.sleep(0.7)
    top.terminate()
    out, err = top.communicate(timeout=30)
    sc.expect_eq(top.returncode, 0, f"top exit status ({err.strip()})")
    want = {"/proc/[pid]/stat": sc.op_of(w, "pread", "/proc/self/stat")["calls"],
            sc.SYSFS_ATTR: sc.op_of(w, "pread", sc.SYSFS_ATTR)["calls"]}
    got = {p: t["reads"] for p, t in sc.file_totals(
        [json.loads(l) for l in out.splitlines() if l.strip()]).items()}
    sc.expect_eq(got, want, "top's counts beside two daemons")
    for d in (a, b):
        samples = parse_only(get(d.url())[2])
        got = {p: sc.metric(samples, "procscope_file_reads_total", fs=fs, path=p)
               for p, fs in (("/proc/[pid]/stat", "proc"), (sc.SYSFS_ATTR, "sysfs"))}
        sc.expect_eq(got, want, f"the daemon on {d.listen}")
    # Each stops cleanly while the other runs; the links go with the last.
    a.stop(check_links=False)
    b.stop()


TESTS = [test_prometheus_server, test_concurrent_scrapes, test_hostile_comm, test_self_cost,
         test_impact,
         test_http_surface, test_ipv6, test_install_and_deploy, test_http_abuse,
         test_sigkill_restart, test_two_instances]


def judge(tally, name, check):
    """Runs @check() and records PASS, FAIL or SKIP as @name; no daemon it started outlives it."""
    try:
        try:
            check()
        finally:
            for d in Daemon.started:
                if d.proc.poll() is None:
                    d.proc.kill()
                    d.proc.wait()
            Daemon.started.clear()
        tally.ok(name)
    except Skip as e:
        tally.skip(name, str(e))
    except (sc.CheckFailed, OSError, ValueError, KeyError, subprocess.SubprocessError) as e:
        tally.fail(name, f"{type(e).__name__}: {e}")


def run(procscope, workload, tally):
    for test in TESTS:
        judge(tally, f"e2e/daemon/{test.__name__[5:]}", lambda: test(procscope, workload))
