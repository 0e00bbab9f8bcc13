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

#endif /* PS_PROCPID_BPF_H */
