/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every map and configuration variable, declared once. maps.bpf.c defines PS_MAPS_DEFINE and
 * includes this file to define them; every other BPF file includes it to reach them as externs,
 * and `bpftool gen object` links the files into one object, hence one skeleton.
 */
#ifndef PS_MAPS_BPF_H
#define PS_MAPS_BPF_H

#include "procscope.h"

#ifdef PS_MAPS_DEFINE
#define PS_MAP
#else
#define PS_MAP extern
#endif

/* Set by loader.c between open and load (rodata); zero until then. */
PS_MAP const volatile struct ps_config cfg;

/* Written by user space through the mmaped bss at each interval boundary: a new epoch restarts
 * the per-interval maximum latency of every file. */
PS_MAP volatile __u32 lat_epoch;

/* Per-file statistics. Written by the accounting body (account.bpf.h) on each read or write of a
 * selected pseudo-file; read by loader.c at each interval or scrape; sized by --max-files. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, PS_DEFAULT_MAX_FILES);
	__type(key, struct ps_file_key);
	__type(value, struct ps_file_stats);
} files SEC(".maps");

/* The [other] entry of each filesystem: calls whose file found no room in `files`. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PS_FS_COUNT);
	__type(key, __u32);
	__type(value, struct ps_file_stats);
} other_files SEC(".maps");

/* Hits of the kernel functions of enum ps_hook, after the filesystem and process filters. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PS_HOOK_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} fn_hits SEC(".maps");

/* enum ps_counter: drops, truncations and unmatched returns, never silent. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PS_CNT_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Entry time and file of each thread inside a traced call: written at entry, consumed at return.
 * LRU, so entries whose return was never seen (a kretprobe missed for lack of instances, a
 * thread gone) age out instead of filling the map. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PS_INFLIGHT_MAX);
	__type(key, __u32);
	__type(value, struct ps_inflight);
} inflight SEC(".maps");

/* Trace events for `procscope trace`: written at each traced return, read by loader.c's ring
 * buffer consumer; sized by the loader (the minimum when not tracing). A full buffer drops the
 * event and counts it in PS_CNT_EVENTS_LOST. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

/* Audit events (procscope audit, daemon --audit): written where an access matches an enabled
 * rule (audit.bpf.h), read by loader.c's ring buffer consumer; sized by the loader (the minimum
 * when not auditing). A full buffer drops the event and counts it in PS_CNT_AUDIT_LOST. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} audit_events SEC(".maps");

/* Kernel stacks taken at entry, by thread, when ps_config.entry_kstack: written at the entry of a
 * traced call, moved into its event at the return. Sized by the loader (one entry when unused). */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ps_kstack);
} entry_stacks SEC(".maps");

/* Per-CPU scratch for building a key: the path is written at a variable offset, so the verifier
 * needs room for a whole PS_PATH_LEN past the key's last byte. */
struct ps_key_scratch {
	struct ps_file_key key;
	char spill[PS_PATH_LEN];
	struct dentry *chain[PS_MAX_DEPTH]; /* the walk from leaf to root */
	__u32 depth;			    /* components in chain */
	__u32 pad;
	struct ps_kstack kstack; /* an entry stack on its way into entry_stacks */
};

PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ps_key_scratch);
} key_scratch SEC(".maps");

/* All zeroes, never written: the initial value of a new files entry (too big for the stack). */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ps_file_stats);
} zero_stats SEC(".maps");

#endif /* PS_MAPS_BPF_H */
