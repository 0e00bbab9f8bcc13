#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run-scenario.sh OUTDIR PROCSCOPE WORKLOAD PROCSCOPE_ARGS [WORKLOAD_ARGS]...
#
# Runs one end-to-end scenario the same way on the host and inside a VM guest (busybox sh).
# PROCSCOPE_ARGS and each WORKLOAD_ARGS are one string of shell words, quoted by the caller;
# WORKLOAD_ARGS whose first word is "!" are a command run in OUTDIR instead (cN.out, cN.rc).
# Starts procscope, waits for its ready line, runs each workload in turn, then lets procscope end
# by itself when WAIT_EXIT=1 (runs bounded by -d or -n) or stops it with SIGTERM, and leaves in
# OUTDIR:
#   stdout, stderr, rc        procscope's output and exit status
#   ready                     "yes" when the ready line came, "no" when procscope exited first
#   wN.out, wN.err, wN.rc     the Nth workload's output and status
#   links.after               our BPF programs still attached after exit
#   links.error               why links.after could not be made (no bpftool, bpftool failed)
#   ncpus                     CPUs of the machine it ran on
# procscope runs with OUTDIR as its working directory; PROCSCOPE must then be an absolute path.
# The assertions live in tests/e2e/scenarios.py and run on the host, with a real JSON parser.
set -u
out=$1 procscope=$2 workload=$3 pargs=$4
shift 4
mkdir -p "$out"
rm -f "$out"/*

# Names of the programs behind the BPF links still attached that are ours (kernel names are cut to 15
# characters, so match on the prefixes).
# A check that cannot look must not pass: without bpftool, or when it fails, links.error says why.
our_links() {
	local list
	if ! command -v bpftool >/dev/null 2>&1; then
		echo "bpftool is not installed" >"$out/links.error"
		return 0
	fi
	if ! list=$(bpftool link list 2>&1); then
		echo "bpftool link list failed: $list" >"$out/links.error"
		return 0
	fi
	for id in $(echo "$list" | sed -n 's/^[0-9][0-9]*: .* prog \([0-9][0-9]*\).*/\1/p'); do
		bpftool prog show id "$id" 2>/dev/null | sed -n 's/.* name \([^ ]*\) .*/\1/p'
	done | grep -E '^(fentry__|fexit__|kprobe__|kretprobe__|tp__sys_|tp__mmap_|tp__listen|trace_func__|lsm__|fmod_ret__)' || true
}

grep -c ^processor /proc/cpuinfo >"$out/ncpus"
# Commands may refer to the workload, a scenario's prefix too (a process that must run before
# procscope starts), and to procscope's pid (to stop and continue it, say).
PROCSCOPE_WORKLOAD=$workload
export PROCSCOPE_WORKLOAD
# procscope runs inside OUTDIR, so files it writes (a flame graph) come back with the results.
(cd "$out" && eval "exec \"\$procscope\" $pargs") >"$out/stdout" 2>"$out/stderr" &
pid=$!

# Wait for the ready line or for procscope to give up; at most 300 s, loading under TCG is slow.
ready=no
n=0
while [ $n -lt 6000 ]; do
	if grep -q '^procscope: ready' "$out/stderr" 2>/dev/null; then
		ready=yes
		break
	fi
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
	n=$((n + 1))
done
echo "$ready" >"$out/ready"

w=0
c=0
PROCSCOPE_PID=$pid
export PROCSCOPE_PID
if [ "$ready" = yes ]; then
	for wargs in "$@"; do
		eval "set -- $wargs"
		if [ "${1:-}" = "!" ]; then
			# A command rather than a workload (e.g. a scrape), run inside OUTDIR so the files
			# it writes come back with the results.
			shift
			c=$((c + 1))
			(cd "$out" && "$@") >"$out/c$c.out" 2>"$out/c$c.err"
			echo $? >"$out/c$c.rc"
			continue
		fi
		w=$((w + 1))
		"$workload" "$@" >"$out/w$w.out" 2>"$out/w$w.err"
		echo $? >"$out/w$w.rc"
	done
	n=0
	while [ "${WAIT_EXIT:-0}" = 1 ] && [ $n -lt 6000 ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.05
		n=$((n + 1))
	done
	kill -TERM "$pid" 2>/dev/null
fi
# procscope must end on SIGTERM: one that has not within 60 s is killed (rc 137, a failure the
# checks name) rather than left to hang the whole guest.
n=0
while kill -0 "$pid" 2>/dev/null && [ $n -lt 1200 ]; do
	sleep 0.05
	n=$((n + 1))
done
kill -KILL "$pid" 2>/dev/null
wait "$pid"
echo $? >"$out/rc"
our_links >"$out/links.after"
exit 0
