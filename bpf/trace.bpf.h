/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Trace events for `procscope trace`: one ring-buffer record per traced read or write, with the
 * raw path (user space normalizes it for display). The event is reserved before the path is
 * built, so a full ring buffer costs no path walk; the loss is counted, never silent.
 */
#ifndef PS_TRACE_BPF_H
#define PS_TRACE_BPF_H

#include "maps.bpf.h"
#include "counters.bpf.h"
#include "path.bpf.h"

static __always_inline void trace__emit(struct file *file, int fs, __u32 op, __u32 func, long ret,
					__u64 lat_ns)
{
	struct ps_key_scratch *scratch;
	struct ps_event *e;
	__u64 id;
	__u32 zero = 0;

	if (cfg_errors_only && ret >= 0)
		return;
	if (cfg_min_lat_ns && lat_ns < cfg_min_lat_ns)
		return;
	scratch = bpf_map_lookup_elem(&key_scratch, &zero);
	if (!scratch)
		return;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		counter__add(PS_CNT_EVENTS_LOST);
		return;
	}
	/* The scratch key was used for the files map already; build the raw path in it. */
	__builtin_memset(&scratch->key, 0, sizeof(scratch->key));
	path__build(scratch, BPF_CORE_READ(file, f_path.dentry), false);
	__builtin_memcpy(e->path, scratch->key.path, sizeof(e->path));
	id = bpf_get_current_pid_tgid();
	e->ts_ns = bpf_ktime_get_ns();
	e->lat_ns = lat_ns;
	e->ret = ret;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->func = func;
	e->fs = fs;
	e->op = op;
	e->truncated = scratch->key.truncated;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
}

#endif /* PS_TRACE_BPF_H */
