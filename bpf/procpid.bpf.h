/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The process a /proc/PID/... file belongs to, from its procfs inode (struct proc_inode's pid),
 * never from a path string: shared by the audit and impact.
 */
#ifndef PS_PROCPID_BPF_H
#define PS_PROCPID_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>

/* The procfs inode of @inode (an inode of procfs). */
static __always_inline struct proc_inode *proc_inode_from(struct inode *inode)
{
	/* container_of(inode, struct proc_inode, vfs_inode), at the running kernel's offset */
	return (struct proc_inode *)((void *)inode -
				     bpf_core_field_offset(struct proc_inode, vfs_inode));
}

/* The procfs inode of @file (a file on procfs). */
static __always_inline struct proc_inode *proc_inode_of(struct file *file)
{
	return proc_inode_from(BPF_CORE_READ(file, f_inode));
}

/* The pid of a /proc/PID (or /proc/PID/task/TID) file on procfs, NULL for other procfs files. */
static __always_inline struct pid *proc_file_pid(struct file *file)
{
	return BPF_CORE_READ(proc_inode_of(file), pid);
}

/* The task of @pid (its PIDTYPE_PID task), NULL once it exited. */
static __always_inline struct task_struct *pid_task_of(struct pid *pid)
{
	struct hlist_node *first = BPF_CORE_READ(pid, tasks[0].first); /* PIDTYPE_PID */

	if (!first)
		return NULL;
	return (struct task_struct *)((void *)first -
				      bpf_core_field_offset(struct task_struct, pid_links));
}

/* The pid namespace @pid was made in at @level (struct upid numbers[] ends struct pid). */
static __always_inline struct pid_namespace *pid_ns_at(struct pid *pid, __u32 level)
{
	struct pid_namespace *ns = NULL;
	void *addr = (void *)pid + bpf_core_field_offset(struct pid, numbers) +
		     (__u64)level * bpf_core_type_size(struct upid) +
		     bpf_core_field_offset(struct upid, ns);

	bpf_probe_read_kernel(&ns, sizeof(ns), addr);
	return ns;
}

#define PS_XA_CHUNK_SHIFT 6 /* XA_CHUNK_SHIFT: an xarray node has 64 slots */
#define PS_XA_MAX_DEPTH 6   /* levels of nodes for an index of up to 32 bits */

/* xa_is_node: an internal entry (low bits 10) above the small values the xarray reserves. */
static __always_inline bool xa_entry_is_node(__u64 entry)
{
	return (entry & 3) == 2 && entry > 4096;
}

/*
 * The task a pid number @nr names in the current task's pid namespace, as the kernel's
 * find_task_by_vpid: a walk of the namespace's IDR (an xarray of struct pid, index = pid), NULL
 * when it names none. For system calls given a pid, where no kernel function hands over the
 * task.
 */
static __always_inline struct task_struct *task_by_vpid(__u32 nr)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct pid *own = BPF_CORE_READ(task, thread_pid);
	struct pid_namespace *ns = pid_ns_at(own, BPF_CORE_READ(own, level));
	__u64 entry = (__u64)BPF_CORE_READ(ns, idr.idr_rt.xa_head);
	__u32 index = nr - BPF_CORE_READ(ns, idr.idr_base);

	if (!xa_entry_is_node(entry))
		return NULL; /* a pid namespace's first pid is 1, never an xarray's lone entry 0 */
	for (int i = 0; i < PS_XA_MAX_DEPTH && xa_entry_is_node(entry); i++) {
		struct xa_node *node = (struct xa_node *)(entry - 2);
		__u32 shift = BPF_CORE_READ(node, shift), slot;

		if (i == 0 && shift + PS_XA_CHUNK_SHIFT < 32 &&
		    index >> (shift + PS_XA_CHUNK_SHIFT))
			return NULL; /* beyond the tree */
		slot = (index >> shift) & ((1u << PS_XA_CHUNK_SHIFT) - 1);
		entry = (__u64)BPF_CORE_READ(node, slots[slot]);
	}
	if (!entry || (entry & 3) == 2) /* none, or still a node, or a reserved id */
		return NULL;
	return pid_task_of((struct pid *)entry);
}

/* The process of a pidfd (@file, an open pidfd), NULL for any other file: the pid is the inode's
 * since pidfs (6.9), the file's before (an anonymous inode has none). */
static __always_inline struct task_struct *pidfd_task(struct file *file)
{
	struct pid *pid = file ? BPF_CORE_READ(file, f_inode, i_private) : NULL;

	if (!pid && file)
		pid = BPF_CORE_READ(file, private_data);
	return pid ? pid_task_of(pid) : NULL;
}

#endif /* PS_PROCPID_BPF_H */
