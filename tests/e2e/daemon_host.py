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

    def stop(self):
        self.proc.terminate()
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise sc.CheckFailed("daemon did not stop within 30 s of SIGTERM")
        rest = self.proc.stderr.read()
        sc.expect_eq(rc, 0, f"daemon exit status after SIGTERM ({rest.strip()})")
        left = our_links()
        sc.expect(not left, f"BPF links left behind: {left}")


def our_links():
    out = subprocess.run(["bpftool", "-j", "link", "list"], capture_output=True, text=True)
    names = []
    for link in json.loads(out.stdout or "[]"):
        p = subprocess.run(["bpftool", "-j", "prog", "show", "id", str(link["prog_id"])],
                           capture_output=True, text=True)
        name = json.loads(p.stdout or "{}").get("name", "")
        if re.match(r"^(fentry__|fexit__|kprobe__|kretprobe__|tp__sys_)", name):
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


def query(expr):
    url = (f"http://127.0.0.1:{PROM_PORT}/api/v1/query?" +
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


def test_port_in_use(procscope, workload):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 19114))
        s.listen()
        p = subprocess.run([procscope, "daemon", "--listen", "127.0.0.1:19114"],
                           capture_output=True, text=True, timeout=120)
    lines = [l for l in p.stderr.splitlines() if l]
    sc.expect_eq(p.returncode, 1, "exit status with the port in use")
    sc.expect_eq(lines, ["procscope: cannot listen on 127.0.0.1:19114: Address already in use "
                         "(choose another with --listen)"], "stderr")
    sc.expect(not our_links(), "BPF links left behind")


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
    d = Daemon(procscope, "127.0.0.1:19117", "-c", "wl_dash")
    run_workload(workload, "pread:/proc/self/stat:3", comm="wl_dash")
    exported = {name for name, _ in parse_only(get(d.url())[2])}
    d.stop()
    missing = used - exported
    sc.expect(not missing, f"dashboard queries metrics the daemon does not export: {missing}")


TESTS = [test_prometheus_server, test_concurrent_scrapes, test_hostile_comm, test_port_in_use,
         test_http_surface, test_ipv6, test_install_and_deploy]


def run(procscope, workload, tally):
    for test in TESTS:
        name = f"e2e/daemon/{test.__name__[5:]}"
        try:
            try:
                test(procscope, workload)
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
