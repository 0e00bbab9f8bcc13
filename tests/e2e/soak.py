# SPDX-License-Identifier: GPL-2.0-only
"""The churn soak: thousands of short-lived processes, each reading its own /proc/self files and
another process's /proc/PID/stat, while two daemons run: one sees the churn (its counts must
equal the sum of what every process reports, its tracked files must stay at the normalized
paths, its memory flat), the other a tagged workload running alongside (its count must be exact).
`make test` runs it briefly, `make soak` for SOAK_SECONDS."""
import json
import subprocess
import threading
import time

import daemon_host as dh
import scenarios as sc

CHURN_ADDR = "127.0.0.1:19121"
TAG_ADDR = "127.0.0.1:19122"


def reads_by_path(samples):
    return {dict(l)["path"]: v for (name, l), v in samples.items()
            if name == "procscope_file_reads_total"}


def run(procscope, workload, seconds, tally):
    dh.judge(tally, f"soak/churn_{seconds}s", lambda: soak(procscope, workload, seconds))


def soak(procscope, workload, seconds):
    churn_d = dh.Daemon(procscope, CHURN_ADDR, "-c", "wl_churn")
    tag_d = dh.Daemon(procscope, TAG_ADDR, "-c", "wl_tag")
    # The tagged workload reads its stat every millisecond through the whole run; it is also
    # the other process whose stat the churn reads.
    tag = subprocess.Popen([workload, "--comm", "wl_tag", f"paced:/proc/self/stat:{seconds * 1000}"],
                           stdout=subprocess.PIPE, text=True)
    totals = {"/proc/[pid]/stat": 0, "/proc/[pid]/status": 0}
    lock = threading.Lock()
    spawned, errors, rss, tracked = [0], [], [], []
    deadline = time.monotonic() + seconds

    def churner():
        while time.monotonic() < deadline:
            p = subprocess.run([workload, "--comm", "wl_churn", "pread:/proc/self/stat:1",
                                "pread:/proc/self/status:1", f"pread:/proc/{tag.pid}/stat:1"],
                               capture_output=True, text=True)
            if p.returncode:
                errors.append(p.stderr.strip())
                continue
            with lock:
                spawned[0] += 1
                for op in json.loads(p.stdout)["ops"]:
                    status = op["path"].endswith("status")
                    totals["/proc/[pid]/status" if status else "/proc/[pid]/stat"] += op["calls"]

    def sampler():
        while time.monotonic() < deadline:
            status, _, body = dh.get(churn_d.url(), timeout=10)
            if status == 200:
                samples = dh.parse_only(body)
                rss.append(int(sc.metric(samples, "process_resident_memory_bytes")))
                tracked.append(int(sc.metric(samples, "procscope_tracked_files")))
            time.sleep(0.5)

    threads = [threading.Thread(target=churner) for _ in range(2)]
    threads.append(threading.Thread(target=sampler))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    w = json.loads(tag.communicate(timeout=60)[0])
    sc.expect(not errors, f"churn processes failed: {errors[:3]}")
    sc.expect(len(rss) >= 2, "fewer than two scrapes during the run")

    got = reads_by_path(dh.parse_only(dh.get(churn_d.url())[2]))
    sc.expect_eq(got, totals, f"the churn's reads ({spawned[0]} processes), per normalized path")
    sc.expect(max(tracked) <= 2, f"tracked files grew under churn: {max(tracked)}")
    got = reads_by_path(dh.parse_only(dh.get(tag_d.url())[2]))
    sc.expect_eq(got, {"/proc/[pid]/stat": sc.op_of(w, "paced", "/proc/self/stat")["calls"]},
                 "the tagged workload's reads beside the churn")
    warm = rss[len(rss) // 5]
    drift = rss[-1] - warm
    print(f"#   soak: {spawned[0]} processes in {seconds} s; tracked files <= {max(tracked)}; "
          f"daemon RSS {warm // 1024} KiB after warm-up, {rss[-1] // 1024} KiB at the end "
          f"(drift {drift // 1024:+d} KiB, peak {max(rss) // 1024} KiB)", flush=True)
    sc.expect(drift < 2 * 1024 * 1024, f"RSS drifted by {drift // 1024} KiB")
    churn_d.stop(check_links=False)
    tag_d.stop()
