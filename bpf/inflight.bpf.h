/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The call in flight on the current thread, between its entry and its return: in task-local
 * storage where the kernel lets these programs have it (ps_config.task_inflight, probed by the
 * loader: 5.11 and later with bpf_task_storage_get for tracing programs), a pointer load away
 * from the task; in the inflight hash map keyed by thread id elsewhere, which costs an update at
 * each entry and a lookup and a delete at each return of every call that reaches it.
 *
 * A kernel that has task storage can still refuse to create a thread's: Debian's 7.2 does so on
 * a CPU without cmpxchg16b (its local storage allocates with kmalloc_nolock, which needs it;
 * seen in qemu with cx16 off, where every creation failed). That thread's calls then go to the
 * hash map, and returns that find no storage look there once any creation failed
 * (task_storage_refused: before that, a thread without storage has no call in flight, and an
 * untraced read must not pay the map): nothing is lost, the thread pays the map. A thread's calls
 * do not nest, so its storage cannot appear between one call's entry and return.
 */
#ifndef PS_INFLIGHT_BPF_H
#define PS_INFLIGHT_BPF_H

#include "maps.bpf.h"

/* Remembers the start of a call on @file (with a listing's buffer or an open's filesystem @arg,
 * an open's @name: struct ps_inflight); false when there was no room (inflight full). */
static __always_inline bool inflight__begin(__u64 file, __u64 arg, __u64 name)
{
	struct ps_inflight in = {
		.start_ns = bpf_ktime_get_ns(), .file = file, .arg = arg, .name = name
	};
	__u32 tid;

	if (cfg.task_inflight) {
		struct ps_inflight *slot =
			bpf_task_storage_get(&task_inflight, bpf_get_current_task_btf(), NULL,
					     BPF_LOCAL_STORAGE_GET_F_CREATE);

		if (slot) {
			*slot = in;
			return true;
		}
		task_storage_refused = 1; /* before the map holds the call: its return reads both */
	}
	tid = (__u32)bpf_get_current_pid_tgid();
	return !bpf_map_update_elem(&inflight, &tid, &in, BPF_ANY);
}

/* The current thread's call in flight where it is kept, NULL when it has none; *@ret_in_task:
 * in task storage, else in the hash map. A start time of zero marks an empty task slot (the
 * clock never reads zero). */
static __always_inline struct ps_inflight *inflight__find(bool *ret_in_task)
{
	struct ps_inflight *in;
	__u32 tid;

	*ret_in_task = false;
	if (cfg.task_inflight) {
		in = bpf_task_storage_get(&task_inflight, bpf_get_current_task_btf(), NULL, 0);
		if (in) {
			*ret_in_task = true;
			return in->start_ns ? in : NULL;
		}
		if (!task_storage_refused)
			return NULL;
	}
	tid = (__u32)bpf_get_current_pid_tgid();
	return bpf_map_lookup_elem(&inflight, &tid);
}

/* Takes the current thread's call in flight into @ret; false when it has none. */
static __always_inline bool inflight__end(struct ps_inflight *ret)
{
	bool in_task;
	struct ps_inflight *in = inflight__find(&in_task);
	__u32 tid;

	if (!in)
		return false;
	*ret = *in;
	if (in_task) {
		in->start_ns = 0;
	} else {
		tid = (__u32)bpf_get_current_pid_tgid();
		bpf_map_delete_elem(&inflight, &tid);
	}
	return true;
}

/* The current thread's call in flight into @ret, left in place; false when it has none. */
static __always_inline bool inflight__peek(struct ps_inflight *ret)
{
	bool in_task;
	struct ps_inflight *in = inflight__find(&in_task);

	if (!in)
		return false;
	*ret = *in;
	return true;
}

#endif /* PS_INFLIGHT_BPF_H */
