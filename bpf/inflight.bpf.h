/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The call in flight on the current thread, between its entry and its return: task-local
 * storage where the kernel lets these programs have it (ps_config.task_inflight, probed by the
 * loader: 5.11 and later with bpf_task_storage_get for tracing programs), which is a pointer
 * load away from the task; the inflight hash map keyed by thread id elsewhere, which costs an
 * update at each entry and a lookup and a delete at each return of every call that reaches it.
 */
#ifndef PS_INFLIGHT_BPF_H
#define PS_INFLIGHT_BPF_H

#include "maps.bpf.h"

/* Remembers the start of a call on @file; false when there was no room (inflight full). */
static __always_inline bool inflight__begin(__u64 file)
{
	struct ps_inflight in = { .start_ns = bpf_ktime_get_ns(), .file = file };
	__u32 tid;

	if (cfg.task_inflight) {
		struct ps_inflight *slot =
			bpf_task_storage_get(&task_inflight, bpf_get_current_task_btf(), NULL,
					     BPF_LOCAL_STORAGE_GET_F_CREATE);

		if (!slot)
			return false;
		*slot = in;
		return true;
	}
	tid = (__u32)bpf_get_current_pid_tgid();
	return !bpf_map_update_elem(&inflight, &tid, &in, BPF_ANY);
}

/* Takes the current thread's call in flight into @ret; false when it has none. A start time of
 * zero marks an empty task slot (the clock never reads zero). */
static __always_inline bool inflight__end(struct ps_inflight *ret)
{
	struct ps_inflight *in;
	__u32 tid;

	if (cfg.task_inflight) {
		in = bpf_task_storage_get(&task_inflight, bpf_get_current_task_btf(), NULL, 0);
		if (!in || !in->start_ns)
			return false;
		*ret = *in;
		in->start_ns = 0;
		return true;
	}
	tid = (__u32)bpf_get_current_pid_tgid();
	in = bpf_map_lookup_elem(&inflight, &tid);
	if (!in)
		return false;
	*ret = *in;
	bpf_map_delete_elem(&inflight, &tid);
	return true;
}

#endif /* PS_INFLIGHT_BPF_H */
