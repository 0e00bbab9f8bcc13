#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run-bench.sh OUTFILE MODE ROUNDS SCALE "THREADS..." CONFIG...
#
# The measuring half of the benchmark, in busybox-compatible sh so that it runs the same on the
# host and inside a VM guest; tools/bench/bench.py starts it and does the statistics.
# For each round, each CONFIG in turn (so configurations alternate: A B C A B C ...) is started,
# waited for, and measured with tools/bench/benchload for every read kind and thread count; one
# JSON line per measurement is appended to OUTFILE, one {"config", "unavailable"} line when a
# tracer cannot start here, one {"config", "op", "error"} line when a measurement fails, and one
# {"config", "tracer_exit", "killed"} line each time a tracer stops. After the rounds, one more
# with kernel.bpf_stats_enabled=1 ("accounting": true): its lines carry the kernel's accounting of
# the tracer's BPF programs during each measurement, bpf_ns (run time) and bpf_runs.
#
# CONFIGs: none, floor (empty programs of MODE), count (procscope top --no-latency), latency
# (procscope top), audit (procscope audit, no allowlist), trace (procscope trace),
# trace_stacks_fp (procscope trace -K -U --ustack=fp), trace_stacks (procscope trace -K -U: the
# user stack walked and copied for unwinding), impact (procscope impact), bpftrace (the script in $BPFTRACE_SCRIPT), filetop,
# vfsstat. Programs come from $PROCSCOPE, $BENCHLOAD, $FLOOR.
set -u
out=$1 mode=$2 rounds=$3 scale=$4 threads=$5
shift 5
tmp=${TMPDIR:-/tmp}/procscope-bench.$$
mkdir -p "$tmp"

# Reads per measurement at scale 1: about a second each on this class of machine.
iterations() {
	case $1 in
	cpuinfo) n=4000 ;;
	*) n=100000 ;;
	esac
	awk -v n=$n -v s="$scale" 'BEGIN { v = int(n * s); print (v < 10 ? 10 : v) }'
}

# Starts the tracer of a configuration in the background; sets $tracer (pid, empty for none).
start_tracer() {
	tracer=
	ready=
	# The redirections below truncate these in the child, after the fork: the previous
	# tracer's ready line must not be there to be found before that.
	rm -f "$tmp/out" "$tmp/err"
	case $1 in
	none) return 0 ;;
	floor) "$FLOOR" "$mode" >"$tmp/out" 2>"$tmp/err" & ready="floor: ready" ;;
	count) "$PROCSCOPE" top --mode "$mode" -i 3600 --json --no-latency >"$tmp/out" 2>"$tmp/err" &
		ready="procscope: ready" ;;
	latency) "$PROCSCOPE" top --mode "$mode" -i 3600 --json >"$tmp/out" 2>"$tmp/err" &
		ready="procscope: ready" ;;
	audit) "$PROCSCOPE" audit --mode "$mode" --rules /dev/null >/dev/null 2>"$tmp/err" &
		ready="procscope: ready" ;;
	trace) "$PROCSCOPE" trace --mode "$mode" -c benchload >/dev/null 2>"$tmp/err" &
		ready="procscope: ready" ;;
	trace_stacks_fp) "$PROCSCOPE" trace --mode "$mode" -c benchload -K -U --ustack=fp >/dev/null \
		2>"$tmp/err" & ready="procscope: ready" ;;
	trace_stacks) "$PROCSCOPE" trace --mode "$mode" -c benchload -K -U >/dev/null 2>"$tmp/err" &
		ready="procscope: ready" ;;
	impact) "$PROCSCOPE" impact --mode "$mode" -i 3600 --json >"$tmp/out" 2>"$tmp/err" &
		ready="procscope: ready" ;;
	bpftrace) bpftrace "$BPFTRACE_SCRIPT" >"$tmp/err" 2>&1 & ready="Attaching" ;;
	filetop) filetop -a -C 3600 >"$tmp/out" 2>"$tmp/err" & ;;
	vfsstat) vfsstat 3600 >"$tmp/out" 2>"$tmp/err" & ;;
	*) echo "run-bench.sh: unknown config $1" >&2; exit 2 ;;
	esac
	tracer=$!
	n=0
	while [ $n -lt 1200 ]; do
		kill -0 "$tracer" 2>/dev/null || break
		if [ -n "$ready" ]; then
			grep -q "$ready" "$tmp/err" 2>/dev/null && return 0
		elif [ $n -ge 40 ]; then
			return 0 # no ready line: alive after 2 s is attached
		fi
		sleep 0.05
		n=$((n + 1))
	done
	why=$(grep -v '^$' "$tmp/err" 2>/dev/null | tail -1 | tr '"\\' "''")
	kill -INT "$tracer" 2>/dev/null
	wait "$tracer" 2>/dev/null
	tracer=
	echo "{\"config\": \"$1\", \"mode\": \"$mode\", \"unavailable\": \"${why:-did not start}\"}" >>"$out"
	return 1
}

# SIGINT, as a user would; libbpf-tools' vfsstat sleeps through it, so SIGKILL after 5 s. The
# tracer's exit status is recorded ({"config", "tracer_exit", "killed"}): bench.py judges it, so a
# tracer that died during the measurements or failed on its way out does not pass unseen.
stop_tracer() {
	[ -n "$tracer" ] || return 0
	kill -INT "$tracer" 2>/dev/null
	n=0
	while kill -0 "$tracer" 2>/dev/null && [ $n -lt 100 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	killed=false
	if kill -0 "$tracer" 2>/dev/null; then
		kill -KILL "$tracer" 2>/dev/null
		killed=true
	fi
	wait "$tracer" 2>/dev/null
	rc=$?
	echo "{\"config\": \"$1\", \"mode\": \"$mode\", \"tracer_exit\": $rc, \"killed\": $killed}" >>"$out"
}

# The kernel's own accounting of the tracer's programs: the sums of run_time_ns and run_cnt over
# the BPF programs its process holds, from their fdinfo ("0 0" without a tracer).
bpf_stats() {
	if [ -z "$tracer" ]; then
		echo "0 0"
		return
	fi
	cat /proc/"$tracer"/fdinfo/* 2>/dev/null |
		awk '/^run_time_ns:/ { t += $2 } /^run_cnt:/ { c += $2 } END { printf "%.0f %.0f\n", t, c }'
}

# Statistics cost every BPF program a few clock reads per run, so the rounds of wall time run
# without them, and one more round, whose wall times are not used, reads the kernel's accounting.
stats_sysctl=/proc/sys/kernel/bpf_stats_enabled
stats_before=$(cat $stats_sysctl 2>/dev/null || echo)

r=1
while [ $r -le $((rounds + 1)) ]; do
	accounting=false
	if [ $r -gt "$rounds" ]; then
		[ -n "$stats_before" ] || break
		accounting=true
		echo 1 >$stats_sysctl
	fi
	for config in "$@"; do
		echo "run-bench: round $r of $rounds (accounting: $accounting): $config ($mode)"
		start_tracer "$config" || continue
		for op in stat sysfs cpuinfo zero tmpfs mmap open; do # bench.py's OPS
			for t in $threads; do
				before="0 0" after="0 0"
				$accounting && before=$(bpf_stats)
				if line=$("$BENCHLOAD" $op $t $(iterations $op) 2>"$tmp/load.err"); then
					$accounting && after=$(bpf_stats)
					bpf=$(echo "$before $after" | awk '{ printf "\"bpf_ns\": %.0f, \"bpf_runs\": %.0f", $3 - $1, $4 - $2 }')
					echo "{\"round\": $r, \"accounting\": $accounting, \"config\": \"$config\", \"mode\": \"$mode\", $bpf, ${line#\{}" >>"$out"
				else
					why=$(tail -1 "$tmp/load.err" | tr '"\\' "''")
					echo "{\"config\": \"$config\", \"mode\": \"$mode\", \"op\": \"$op\", \"error\": \"$why\"}" >>"$out"
				fi
			done
		done
		stop_tracer "$config"
	done
	r=$((r + 1))
done
[ -n "$stats_before" ] && echo "$stats_before" >$stats_sysctl
rm -rf "$tmp"
