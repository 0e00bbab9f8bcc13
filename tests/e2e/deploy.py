# SPDX-License-Identifier: GPL-2.0-only
"""Deployment as operators do it: the daemon behind TLS and basic authentication scraped by a
real Prometheus, its web config's failures, readiness through sd_notify, the port bound before
any BPF; the Debian package in a fresh Debian root; the image run by podman with the DaemonSet's
privileges. Each test raises CheckFailed on failure."""
import base64
import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import daemon_host as dh
import scenarios as sc

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
DEPLOY = os.path.join(TOP, "tools", "deploy")
TLS_PORT = 19130
PROM_PORT = 19191
PASSWORD = "scrape-secret"


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_pki(d):
    """A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by it."""
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=procscope test CA",
            cwd=d)
    for name, ext in (("server", "subjectAltName=IP:127.0.0.1,DNS:localhost"),
                      ("client", "extendedKeyUsage=clientAuth")):
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={name}", cwd=d)
        write(os.path.join(d, f"{name}.ext"), ext + "\n")
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", f"{name}.crt", "-days", "2", "-extfile",
                f"{name}.ext", cwd=d)


def bcrypt(password):
    """htpasswd's bcrypt, as the exporter-toolkit documentation has users make it."""
    out = subprocess.run(["htpasswd", "-nbBC", "10", "", password], capture_output=True,
                         text=True, check=True).stdout
    return out.strip().lstrip(":")


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def https_get(url, ca, user=None, password=None, cert=None):
    ctx = ssl.create_default_context(cafile=ca)
    if cert:
        ctx.load_cert_chain(*cert)
    req = urllib.request.Request(url)
    if user is not None:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(req, timeout=10, context=ctx) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def prometheus(tmp, job_yaml):
    """A Prometheus scraping every second, with procscope's alerting rules loaded."""
    rules = os.path.join(DEPLOY, "procscope-alerts.yml")
    cfg = write(os.path.join(tmp, "prometheus.yml"),
                "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                f"rule_files:\n  - {rules}\nscrape_configs:\n" + job_yaml)
    p = subprocess.run(["promtool", "check", "config", cfg], capture_output=True, text=True)
    sc.expect_eq(p.returncode, 0, f"promtool check config: {p.stdout}{p.stderr}")
    shutil.rmtree(os.path.join(tmp, "data"), ignore_errors=True)
    return subprocess.Popen(["prometheus", f"--config.file={cfg}",
                             f"--storage.tsdb.path={tmp}/data",
                             f"--web.listen-address=127.0.0.1:{PROM_PORT}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def query(expr):
    return dh.query(expr, PROM_PORT)


def scraped_exactly(prom, workload, comm, job, then=None):
    """Prometheus (already started) sees exactly the workload's reads through the daemon; then
    @then() runs against the same server."""
    try:
        dh.wait_until(lambda: dh.get(f"http://127.0.0.1:{PROM_PORT}/-/ready")[0] == 200, 60,
                      "Prometheus ready")
        dh.wait_until(lambda: query(f'up{{job="{job}"}}') == [1.0], 30,
                      f"Prometheus scraping procscope ({job})")
        w = dh.run_workload(workload, "pread:/proc/self/stat:432", comm=comm)
        want = float(sc.op_of(w, "pread", "/proc/self/stat")["calls"])
        q = f'sum(procscope_file_reads_total{{job="{job}",path="/proc/[pid]/stat"}})'
        dh.wait_until(lambda: query(q) == [want], 30, f"Prometheus sees {want:.0f} reads")
        if then:
            then()
    finally:
        prom.terminate()
        prom.wait()


def test_tls_prometheus(procscope, workload):
    """Over TLS with basic auth, then with a client certificate: a real Prometheus scrapes the
    workload's count exactly; a wrong password gets 401, no certificate 403, plain HTTP fails."""
    with tempfile.TemporaryDirectory(prefix="procscope-tls-") as tmp:
        make_pki(tmp)
        hashed = bcrypt(PASSWORD)
        # Relative paths: taken from the config file's directory, as exporter-toolkit does.
        web = write(os.path.join(tmp, "web.yml"),
                    "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                    f"basic_auth_users:\n  prometheus: {hashed}\n")
        d = dh.Daemon(procscope, f"127.0.0.1:{TLS_PORT}", "-c", "wl_tls",
                      "--web.config.file", web)
        url = f"https://127.0.0.1:{TLS_PORT}/metrics"
        ca = os.path.join(tmp, "ca.crt")
        sc.expect("tls=on" in d.stderr, f"ready line says tls=on: {d.stderr}")
        status, body = https_get(url, ca, "prometheus", PASSWORD)
        sc.expect_eq(status, 200, "scrape with the right password")
        sc.expect("procscope_build_info" in body, "a scrape over TLS has the metrics")
        sc.expect_eq(https_get(url, ca, "prometheus", "wrong")[0], 401, "wrong password")
        sc.expect_eq(https_get(url, ca)[0], 401, "no password")
        sc.expect_eq(https_get(url, ca, "other", PASSWORD)[0], 401, "unknown user")
        try:
            status = dh.get(f"http://127.0.0.1:{TLS_PORT}/metrics", timeout=5)[0]
        except (OSError, ValueError, http.client.HTTPException) as e:
            status = type(e).__name__
        sc.expect(status != 200, f"plain HTTP to the TLS port must fail, got {status}")
        prom = prometheus(tmp, "  - job_name: tls\n    scheme: https\n"
                          f"    tls_config:\n      ca_file: {ca}\n"
                          f"    basic_auth:\n      username: prometheus\n"
                          f"      password: {PASSWORD}\n"
                          f"    static_configs:\n      - targets: ['127.0.0.1:{TLS_PORT}']\n")
        scraped_exactly(prom, workload, "wl_tls", "tls", check_rules_and_dashboard)
        d.stop()

        write(web, "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
              "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n"
              "  min_version: TLS13\n")
        d = dh.Daemon(procscope, f"127.0.0.1:{TLS_PORT}", "-c", "wl_mtls",
                      "--web.config.file", web)
        client = (os.path.join(tmp, "client.crt"), os.path.join(tmp, "client.key"))
        sc.expect_eq(https_get(url, ca, cert=client)[0], 200, "scrape with the client cert")
        sc.expect_eq(https_get(url, ca)[0], 403, "scrape without a client certificate")
        prom = prometheus(tmp, "  - job_name: mtls\n    scheme: https\n"
                          f"    tls_config:\n      ca_file: {ca}\n"
                          f"      cert_file: {client[0]}\n      key_file: {client[1]}\n"
                          f"    static_configs:\n      - targets: ['127.0.0.1:{TLS_PORT}']\n")
        scraped_exactly(prom, workload, "wl_mtls", "mtls")
        d.stop()


def check_rules_and_dashboard():
    """The alerting rules load healthy in the running Prometheus and every dashboard query is
    valid PromQL there (variables replaced as Grafana would)."""
    status, _, body = dh.get(f"http://127.0.0.1:{PROM_PORT}/api/v1/rules")
    sc.expect_eq(status, 200, "rules API")
    rules = [r for g in json.loads(body)["data"]["groups"] for r in g["rules"]]
    sc.expect_eq(len(rules), 6, "alerting rules loaded")
    bad = [r["name"] for r in rules if r.get("health") not in ("ok", "unknown")]
    sc.expect(not bad, f"unhealthy rules: {bad}")
    with open(os.path.join(DEPLOY, "grafana-dashboard.json")) as f:
        dash = json.load(f)
    for panel in dash["panels"]:
        for t in panel["targets"]:
            expr = (t["expr"].replace("$__rate_interval", "1m").replace("$job", ".*")
                    .replace("$instance", ".*").replace("$fs", ".*"))
            url = (f"http://127.0.0.1:{PROM_PORT}/api/v1/query?" +
                   urllib.parse.urlencode({"query": expr}))
            status, _, body = dh.get(url)
            sc.expect_eq(status, 200, f"panel '{panel['title']}' query {expr}: {body[:300]}")


def test_alerts_and_dashboard(procscope, workload):
    """promtool checks and unit-tests the alerting rules; the dashboard imports anywhere: its
    data source is an input, no job name is written into it, and it has the audit, error and
    p99 latency panels."""
    p = subprocess.run(["promtool", "check", "rules", "procscope-alerts.yml"], cwd=DEPLOY,
                       capture_output=True, text=True)
    sc.expect_eq(p.returncode, 0, f"promtool check rules: {p.stdout}{p.stderr}")
    p = subprocess.run(["promtool", "test", "rules", "procscope-alerts.test.yml"], cwd=DEPLOY,
                       capture_output=True, text=True)
    sc.expect_eq(p.returncode, 0, f"promtool test rules: {p.stdout}{p.stderr}")
    with open(os.path.join(DEPLOY, "grafana-dashboard.json")) as f:
        dash = json.load(f)
    sc.expect_eq([(i["name"], i["type"], i["pluginId"]) for i in dash["__inputs"]],
                 [("DS_PROMETHEUS", "datasource", "prometheus")], "the dashboard's inputs")
    sources = {json.dumps(p["datasource"], sort_keys=True) for p in dash["panels"]}
    sources |= {json.dumps(v["datasource"], sort_keys=True) for v in dash["templating"]["list"]}
    sc.expect_eq(sources, {json.dumps({"type": "prometheus", "uid": "${DS_PROMETHEUS}"},
                                      sort_keys=True)}, "every data source is the input")
    exprs = " ".join(t["expr"] for p in dash["panels"] for t in p["targets"])
    sc.expect(not re.search(r'job=~?"[^$]', exprs), "a job name written into a query")
    for metric in ("procscope_audit_events_total", "procscope_file_errors_total",
                   "histogram_quantile(0.99", "procscope_impact_wait_seconds_total",
                   "procscope_file_opens_total", "procscope_dir_entries_total",
                   "procscope_failed_calls_total", "procscope_link_reads_total"):
        sc.expect(metric in exprs, f"a panel on {metric}")


def bpf_prog_loads(argv, timeout=30):
    """Runs @argv under strace; returns (process, number of BPF_PROG_LOAD calls, seconds)."""
    with tempfile.NamedTemporaryFile(prefix="procscope-strace-") as log:
        start = time.monotonic()
        p = subprocess.run(["strace", "-f", "-qq", "-e", "trace=bpf", "-o", log.name, *argv],
                           capture_output=True, text=True, timeout=timeout)
        took = time.monotonic() - start
        loads = open(log.name).read().count("BPF_PROG_LOAD")
    return p, loads, took


def test_bad_web_config(procscope, workload):
    """Each bad web config: one line naming the cause, exit 2, no BPF program loaded."""
    with tempfile.TemporaryDirectory(prefix="procscope-web-") as tmp:
        make_pki(tmp)
        garbage = write(os.path.join(tmp, "garbage.crt"), "-----BEGIN CERTIFICATE-----\nnot\n")
        cases = {
            "missing file": (os.path.join(tmp, "nope.yml"), r"cannot read .*nope\.yml: No such"),
            "bad YAML": (write(os.path.join(tmp, "bad.yml"), "tls_server_config: [\n"),
                         r"bad\.yml:2: "),
            "unknown key": (write(os.path.join(tmp, "key.yml"), "tls_config: {}\n"),
                            r"key\.yml:1: unknown key 'tls_config'"),
            "plain password": (write(os.path.join(tmp, "pw.yml"),
                                     "basic_auth_users:\n  u: hunter2\n"),
                               r"pw\.yml:2: the password of 'u' is not a bcrypt hash"),
            "certificate that does not load": (
                write(os.path.join(tmp, "cert.yml"),
                      f"tls_server_config:\n  cert_file: {garbage}\n  key_file: server.key\n"),
                r"the certificate .*garbage\.crt and key .*server\.key do not load"),
            "key of another certificate": (
                write(os.path.join(tmp, "pair.yml"),
                      "tls_server_config:\n  cert_file: server.crt\n  key_file: client.key\n"),
                r"do not load"),
            "missing client CA": (
                write(os.path.join(tmp, "ca.yml"),
                      "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                      "  client_auth_type: RequireAndVerifyClientCert\n"
                      "  client_ca_file: none.crt\n"),
                r"cannot read .*none\.crt: No such file"),
        }
        for what, (path, pattern) in cases.items():
            p, loads, _ = bpf_prog_loads([procscope, "daemon", "--listen", "127.0.0.1:19131",
                                          "--web.config.file", path])
            lines = [l for l in p.stderr.splitlines() if l]
            sc.expect_eq(p.returncode, 2, f"{what}: exit status ({p.stderr.strip()})")
            sc.expect(len(lines) == 1 and lines[0].startswith("procscope: bad --web.config.file")
                      and re.search(pattern, lines[0]), f"{what}: one line matching "
                      f"{pattern!r}, got {lines}")
            sc.expect_eq(loads, 0, f"{what}: BPF programs loaded before the check")


def test_port_in_use_fast(procscope, workload):
    """A port in use fails in well under a second, before any BPF program is loaded."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 19132))
        s.listen()
        p, loads, took = bpf_prog_loads([procscope, "daemon", "--listen", "127.0.0.1:19132"])
    sc.expect_eq(p.returncode, 1, f"exit status ({p.stderr.strip()})")
    sc.expect_eq([l for l in p.stderr.splitlines() if l],
                 ["procscope: cannot listen on 127.0.0.1:19132: Address already in use "
                  "(choose another with --listen)"], "stderr")
    sc.expect_eq(loads, 0, "BPF programs loaded before the port was found in use")
    sc.expect(took < 1.0, f"took {took:.2f} s (strace included), not well under a second")
    print(f"#   port in use: exit after {took * 1000:.0f} ms under strace, no BPF load",
          flush=True)


def test_listen_every_address(procscope, workload):
    """--listen :PORT serves on IPv4 and IPv6 loopback alike."""
    d = dh.Daemon(procscope, ":19133")
    try:
        sc.expect_eq(dh.get("http://127.0.0.1:19133/healthz")[0], 200, "IPv4 on :PORT")
        # The development machines have IPv6 (the daemon's IPv6 test needs it too).
        sc.expect_eq(dh.get("http://[::1]:19133/healthz")[0], 200, "IPv6 on :PORT")
    finally:
        d.stop()


def test_sd_notify(procscope, workload):
    """Type=notify: READY=1 once attached and serving, STOPPING=1 on SIGTERM, sent from under
    the daemon's seccomp filter."""
    with tempfile.TemporaryDirectory(prefix="procscope-notify-") as tmp:
        path = os.path.join(tmp, "notify")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        sock.settimeout(30)
        os.environ["NOTIFY_SOCKET"] = path
        try:
            d = dh.Daemon(procscope, "127.0.0.1:19134")
        finally:
            del os.environ["NOTIFY_SOCKET"]
        try:
            msg = sock.recv(4096).decode()
            sc.expect("READY=1" in msg.split("\n"), f"first notification: {msg!r}")
            sc.expect_eq(dh.get(d.url("/healthz"))[0], 200, "serving once READY=1 is sent")
        finally:
            d.stop()
        msg = sock.recv(4096).decode()
        sc.expect("STOPPING=1" in msg.split("\n"), f"notification on SIGTERM: {msg!r}")
        sock.close()


def podman(*args, **kw):
    env = {**os.environ, "CONTAINERS_CONF": os.path.join(DEPLOY, "containers.conf")}
    return subprocess.run(["podman", *args], capture_output=True, text=True, env=env,
                          timeout=kw.pop("timeout", 300), **kw)


def make(build, target, timeout=1200, arch="x86"):
    p = subprocess.run(["make", "-C", TOP, "--no-print-directory", f"ARCH={arch}", f"O={build}",
                        target], capture_output=True, text=True, timeout=timeout)
    sc.expect_eq(p.returncode, 0, f"make ARCH={arch} {target}: {p.stdout[-2000:]}"
                 f"{p.stderr[-2000:]}")
    return p


# The architectures by Debian's name: make's ARCH, and the build directory under make test's.
ARCHES = {"amd64": ("x86", ""), "arm64": ("arm64", "arm64")}


def arch_build(procscope, arch):
    return os.path.join(os.path.dirname(procscope), ARCHES[arch][1])


def version():
    p = subprocess.run(["make", "-C", TOP, "-s", "--no-print-directory", "-f", "Makefile",
                        "--eval", "print-version: ; @echo $(VERSION)", "print-version"],
                       capture_output=True, text=True, check=True)
    return p.stdout.strip()


def files_of(root):
    """Every path in @root but the ones apt and dpkg keep for themselves."""
    out = set()
    skip = ("var/lib/dpkg", "var/cache", "var/log", "var/lib/apt", "tmp", "proc", "sys", "dev")
    for d, dirs, names in os.walk(root):
        rel = os.path.relpath(d, root)
        if rel.startswith(skip):
            dirs[:] = []
            continue
        out.update(os.path.join(rel, n) for n in names + dirs)
    return out


def test_deb(procscope, workload):
    deb_in_fresh_root(procscope, "amd64")


def test_deb_arm64(procscope, workload):
    deb_in_fresh_root(procscope, "arm64")


def deb_in_fresh_root(procscope, arch):
    """make deb (ARCH=arm64: cross-built): lintian-clean (make deb fails otherwise); installed
    into a fresh Debian root of its architecture with apt (an arm64 root's programs run through
    qemu-aarch64), its version is the binary's; the unit verifies; an edited conffile survives a
    reinstall; remove keeps the conffiles, purge leaves nothing behind."""
    build = arch_build(procscope, arch)
    make(build, "deb", arch=ARCHES[arch][0])
    want = version()
    debs = [f for f in os.listdir(os.path.join(build, "deb")) if f.endswith(".deb")
            and f.startswith(f"procscope_{want}_")]
    sc.expect_eq(debs, [f"procscope_{want}_{arch}.deb"], f"the package in {build}/deb")
    deb = os.path.join(build, "deb", debs[0])
    uri = subprocess.run([os.path.join(TOP, "tools", "archive-uri.sh")], capture_output=True,
                         text=True, check=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="procscope-deb-", dir="/var/tmp") as tmp:
        root = os.path.join(tmp, "root")
        # systemd in the root, so that systemd-analyze verify finds the targets the unit uses
        p = subprocess.run(["mmdebstrap", "--variant=minbase", "--include=systemd", "--quiet",
                            f"--architectures={arch}", "bookworm", root,
                            f"deb {uri} bookworm main"], capture_output=True, text=True,
                           timeout=900)
        sc.expect_eq(p.returncode, 0, f"mmdebstrap: {p.stderr[-1500:]}")
        shutil.copy("/etc/resolv.conf", os.path.join(root, "etc", "resolv.conf"))
        shutil.copy(deb, os.path.join(root, "tmp", "procscope.deb"))

        def chroot(*cmd, ok=True):
            r = subprocess.run(["chroot", root, *cmd], capture_output=True, text=True,
                               timeout=600, env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
                                                 "DEBIAN_FRONTEND": "noninteractive"})
            if ok:
                sc.expect_eq(r.returncode, 0, f"{' '.join(cmd)}: {r.stdout[-1000:]}"
                             f"{r.stderr[-1000:]}")
            return r
        chroot("apt-get", "update", "-qq")
        chroot("apt-get", "install", "-y", "-qq", "/tmp/procscope.deb")  # with its dependencies
        chroot("dpkg", "--purge", "procscope")
        before = files_of(root)
        chroot("dpkg", "-i", "/tmp/procscope.deb")
        sc.expect_eq(chroot("procscope", "--version").stdout.strip(), f"procscope {want}",
                     "procscope --version in the root")
        sc.expect_eq(chroot("dpkg-query", "-W", "-f", "${Version} ${Architecture}",
                            "procscope").stdout, f"{want} {arch}", "the package's version")
        unit = os.path.join(root, "lib/systemd/system/procscope.service")
        p = subprocess.run(["systemd-analyze", f"--root={root}", "verify",
                            "/lib/systemd/system/procscope.service"], capture_output=True,
                           text=True, env={**os.environ,
                                           "MANPATH": os.path.join(root, "usr/share/man")})
        sc.expect(p.returncode == 0 and not p.stderr.strip(),
                  f"systemd-analyze verify: {p.stdout}{p.stderr}")
        with open(unit) as f:
            text = f.read()
        for line in ("Type=notify", "EnvironmentFile=-/etc/default/procscope",
                     "ExecStart=/usr/sbin/procscope daemon $ARGS"):
            sc.expect(line in text.splitlines(), f"the unit has {line}")
        conffiles = chroot("dpkg-query", "-W", "-f", "${Conffiles}", "procscope").stdout
        for f in ("/etc/default/procscope", "/etc/procscope/audit-allow.yaml"):
            sc.expect(f in conffiles, f"{f} is a conffile ({conffiles})")
        sc.expect(not os.path.exists(os.path.join(root, "etc/systemd/system/multi-user.target"
                                                  ".wants/procscope.service")),
                  "the service is not enabled by default")
        default = os.path.join(root, "etc/default/procscope")
        with open(default, "a") as f:
            f.write('ARGS="--listen :9110"  # edited\n')
        chroot("dpkg", "-i", "/tmp/procscope.deb")
        with open(default) as f:
            sc.expect("# edited" in f.read(), "an edited conffile survives a reinstall")
        chroot("dpkg", "--remove", "procscope")
        sc.expect(os.path.exists(default) and not os.path.exists(
            os.path.join(root, "usr/sbin/procscope")), "remove: binary gone, conffiles kept")
        chroot("dpkg", "--purge", "procscope")
        after = files_of(root)
        sc.expect_eq(sorted(after - before), [], "left behind after purge")
        sc.expect_eq(sorted(before - after), [], "removed by install and purge")


def daemonset_pod():
    import yaml
    with open(os.path.join(DEPLOY, "kubernetes", "daemonset.yaml")) as f:
        ds = next(d for d in yaml.safe_load_all(f) if d and d["kind"] == "DaemonSet")
    return ds["spec"]["template"]


def metric_sum(text, name, path):
    samples = dh.parse_only(text)
    return sum(v for (n, labels), v in samples.items()
               if n == name and dict(labels).get("path") == path)


def host_reads_counted(url, workload, what):
    """A workload on the host reads a sysfs attribute nothing else reads; the daemon behind
    @url counts exactly its reads (the difference of two scrapes)."""
    dh.wait_until(lambda: dh.get(url)[0] == 200, 60, f"{what} serving /metrics")
    first = metric_sum(dh.get(url)[2], "procscope_file_reads_total", sc.SYSFS_ATTR)
    w = dh.run_workload(workload, f"pread:{sc.SYSFS_ATTR}:321", comm="wl_deploy")
    want = sc.op_of(w, "pread", sc.SYSFS_ATTR)["calls"]
    got = metric_sum(dh.get(url)[2], "procscope_file_reads_total", sc.SYSFS_ATTR)
    sc.expect_eq(got - first, want, f"host reads counted through {what}")


# Capability numbers of the names the DaemonSet uses (linux/capability.h).
CAP_NUMBERS = {"SYS_ADMIN": 21, "SYS_RESOURCE": 24, "PERFMON": 38, "BPF": 39}


def host_capabilities():
    """The names of CAP_NUMBERS in this process's bounding set (the development machines' root
    lacks SYS_RESOURCE, so no container it starts can have it)."""
    with open("/proc/self/status") as f:
        bound = int(re.search(r"^CapBnd:\s*([0-9a-f]+)", f.read(), re.M).group(1), 16)
    return {name for name, bit in CAP_NUMBERS.items() if bound >> bit & 1}


def test_image(procscope, workload):
    """make image, then the image run by podman with exactly the DaemonSet's arguments,
    capabilities and read-only root, in the host's pid namespace: a workload on the host is
    counted exactly through the container's /metrics."""
    build = os.path.dirname(procscope)
    make(build, "image")
    image = f"localhost/procscope:{version()}"
    c = daemonset_pod()["spec"]["containers"][0]
    sec = c["securityContext"]
    port = c["args"][c["args"].index("--listen") + 1].rsplit(":", 1)[1]
    with tempfile.TemporaryDirectory(prefix="procscope-image-") as tmp:
        profile = os.path.join(tmp, "seccomp.json")
        with open(profile, "w") as f:
            subprocess.run([os.path.join(DEPLOY, "seccomp-profile.py")], stdout=f, check=True)
        args = ["run", "-d", "--rm", "--name", "procscope-test-image", "--network", "host",
                "--pid", "host", "--security-opt", f"seccomp={profile}",
                "--cap-drop", ",".join(sec["capabilities"]["drop"]),
                "--cap-add", ",".join(sec["capabilities"]["add"])]
        args += ["--read-only"] if sec["readOnlyRootFilesystem"] else []
        args += ["--security-opt", "no-new-privileges"] \
            if not sec["allowPrivilegeEscalation"] else []
        podman("rm", "-f", "procscope-test-image")
        p = podman(*args, image, *c["args"])
        sc.expect_eq(p.returncode, 0, f"podman run: {p.stderr}")
        try:
            host_reads_counted(f"http://127.0.0.1:{port}/metrics", workload, "the container")
            logs = podman("logs", "procscope-test-image").stderr
            sc.expect("procscope: ready" in logs, f"ready line in the logs: {logs}")
            info = podman("inspect", "procscope-test-image", "--format",
                          "{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.PidMode}} "
                          "{{.EffectiveCaps}}").stdout
            sc.expect(info.startswith("true host "), f"read-only root, host pid: {info}")
            granted = set(re.findall(r"CAP_(\w+)", info))
            want = set(sec["capabilities"]["add"]) & host_capabilities()
            sc.expect_eq(granted, want, "the container's capabilities: the DaemonSet's, as far "
                         "as this host's root holds them")
            if want != set(sec["capabilities"]["add"]):
                print(f"#   image: this host's root lacks "
                      f"{sorted(set(sec['capabilities']['add']) - want)}, so the container "
                      "cannot have it either", flush=True)
        finally:
            podman("stop", "-t", "10", "procscope-test-image")
    size = podman("image", "inspect", "--format", "{{.Size}}", image).stdout.strip()
    print(f"#   image {image}: {int(size) / 1e6:.0f} MB", flush=True)


def test_image_arm64(procscope, workload):
    """make manifest: the arm64 image (from the arm64 package), whose procscope runs (here
    through qemu-aarch64: BPF it cannot load here, the arm64 VM guests test that), and the
    manifest list holding both images by their digests, one per architecture."""
    make(os.path.dirname(procscope), "manifest", timeout=2400)
    want = version()
    image = f"localhost/procscope:{want}-arm64"
    p = podman("image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", image)
    sc.expect_eq(p.stdout.strip(), "linux/arm64", f"{image}'s platform ({p.stderr})")
    p = podman("run", "--rm", "--arch", "arm64", image, "--version")
    sc.expect_eq((p.returncode, p.stdout.strip()), (0, f"procscope {want}"),
                 f"{image} --version ({p.stderr})")
    p = podman("manifest", "inspect", f"localhost/procscope-multiarch:{want}")
    sc.expect_eq(p.returncode, 0, f"podman manifest inspect: {p.stderr}")
    listed = {m["platform"]["architecture"]: m["digest"]
              for m in json.loads(p.stdout)["manifests"]}
    digests = {arch: podman("image", "inspect", "--format", "{{.Digest}}",
                            f"localhost/procscope:{want}{suffix}").stdout.strip()
               for arch, suffix in (("amd64", ""), ("arm64", "-arm64"))}
    sc.expect_eq(listed, digests, "the manifest list: each architecture's image by its digest")


def test_audit_in_container(procscope, workload):
    """audit on the host, a shell in a podman container (our image) reading the environ of its
    own background sleep: the record names the container (runtime podman, podman's full id) for
    the reader and the target, the reader's parent (the container's sh) and grandparent (podman's
    conmon on the host), and the rule's ATT&CK technique."""
    make(os.path.dirname(procscope), "image")
    image = f"localhost/procscope:{version()}"
    with tempfile.TemporaryDirectory(prefix="procscope-audit-ctr-") as tmp:
        cidfile = os.path.join(tmp, "cid")
        audit = subprocess.Popen([procscope, "audit", "--json", "-c", "cat", "-d", "60"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = audit.stderr.readline()
            sc.expect(line.startswith("procscope: ready"), f"audit ready: {line}")
            p = podman("run", "--rm", "--cidfile", cidfile, "--entrypoint", "sh", image, "-c",
                       "sleep 30 & sleep 0.5; cat /proc/$!/environ > /dev/null; kill $!")
            sc.expect_eq(p.returncode, 0, f"podman run: {p.stderr}")
            with open(cidfile) as f:
                cid = f.read().strip()
            time.sleep(0.5)  # a record is written once no call came for 100 ms
        finally:
            audit.terminate()
            out, err = audit.communicate(timeout=30)
    recs = [json.loads(l) for l in out.splitlines() if l.strip()]
    recs = [r for r in recs if r.get("rule") == "environ-read"]
    sc.expect_eq(len(recs), 1, f"one environ-read record by cat: {recs} ({err})")
    r = recs[0]
    want = {"runtime": "podman", "id": cid, "pod_uid": None}
    sc.expect_eq(r["reader"]["container"], want, "the reader's container")
    sc.expect_eq(r["target"]["container"], want, "the target's container")
    sc.expect_eq(r["target"]["comm"], "sleep", "the target")
    sc.expect_eq((r["reader"]["parent"]["comm"], r["reader"]["parent"]["exe"]),
                 ("sh", "/usr/bin/dash"), "the reader's parent: the container's sh")
    sc.expect_eq(r["reader"]["grandparent"]["comm"], "conmon",
                 "the reader's grandparent: podman's conmon on the host")
    sc.expect_eq(r["mitre"], "T1552", "ATT&CK technique")


def test_kube_play(procscope, workload):
    """The DaemonSet's pod template under podman kube play. Podman 4.3 differs from a kubelet
    in two fields, which the test replaces and says so: `ports` cannot go with host networking
    (used here so the test scrapes loopback; the port comes from --listen instead), and
    seccompProfile is not read (its RuntimeDefault is containers-common's profile, which refuses
    bpf(2) without CAP_SYS_ADMIN): the Localhost profile goes in podman's annotation."""
    import yaml
    t = daemonset_pod()
    c = t["spec"]["containers"][0]
    c["image"] = f"localhost/procscope:{version()}"
    port = 19138
    c["args"] = ["daemon", "--listen", f"127.0.0.1:{port}"]
    c.pop("ports")
    for probe in ("readinessProbe", "livenessProbe"):
        c[probe]["httpGet"]["port"] = port
    with tempfile.TemporaryDirectory(prefix="procscope-kube-") as tmp:
        with open(os.path.join(tmp, "procscope.json"), "w") as f:
            subprocess.run([os.path.join(DEPLOY, "seccomp-profile.py")], stdout=f, check=True)
        meta = {**t["metadata"], "name": "procscope-kube-test"}
        meta["annotations"] = {**meta["annotations"], "seccomp.security.alpha.kubernetes.io/pod":
                               "localhost/procscope.json"}
        pod = os.path.join(tmp, "pod.yaml")
        with open(pod, "w") as f:
            yaml.safe_dump({"apiVersion": "v1", "kind": "Pod", "metadata": meta,
                            "spec": t["spec"]}, f)
        podman("kube", "down", pod)
        p = podman("kube", "play", "--network", "host", "--seccomp-profile-root", tmp, pod)
        sc.expect_eq(p.returncode, 0, f"podman kube play: {p.stderr}")
        try:
            host_reads_counted(f"http://127.0.0.1:{port}/metrics", workload, "the pod")
            name = "procscope-kube-test-procscope"
            info = podman("inspect", name, "--format",
                          "{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.PidMode}} "
                          "{{.EffectiveCaps}}").stdout
            sc.expect(info.startswith("true private"),
                      f"read-only root, private pid namespace: {info}")
            for cap in ("CAP_BPF", "CAP_PERFMON"):
                sc.expect(cap in info, f"{cap} granted ({info})")
            sc.expect("CAP_SYS_ADMIN" not in info, f"no CAP_SYS_ADMIN ({info})")
        finally:
            podman("kube", "down", pod)


TESTS = [test_alerts_and_dashboard, test_tls_prometheus, test_bad_web_config, test_port_in_use_fast,
         test_listen_every_address, test_sd_notify, test_deb, test_deb_arm64, test_image,
         test_image_arm64, test_audit_in_container, test_kube_play]


def run(procscope, workload, tally, tests=None):
    for test in tests or TESTS:
        dh.judge(tally, f"deploy/{test.__name__[5:]}", lambda: test(procscope, workload))
