/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Audit rules, decided in the kernel at the moment of the access. The process a /proc/PID file
 * belongs to comes from the procfs inode (struct proc_inode's pid), not from a path string, so a
 * symlink, /proc/self, a bind mount or a ".." in the path changes nothing; the file's own name is
 * its dentry's, which procfs sets and nobody can rename. Rules a user did not enable cost one
 * test of a read-only bit mask, and no event is built unless a rule matched.
 */
#ifndef PS_AUDIT_BPF_H
#define PS_AUDIT_BPF_H

#include "maps.bpf.h"
#include "counters.bpf.h"
#include "fs.bpf.h"
#include "path.bpf.h"
#include "procpid.bpf.h"
#include "select.bpf.h"

/* The names the rules look at. Compared as two 8-byte words: every name is under 16 bytes. */
enum audit_name {
	NAME_OTHER,
	NAME_ENVIRON,
	NAME_MEM,
	NAME_MAPS,
	NAME_SMAPS,
	NAME_PAGEMAP,
	NAME_CMDLINE,
	NAME_KCORE,
	NAME_KMSG,
	NAME_KALLSYMS,
	NAME_SYSRQ_TRIGGER,
	/* a process's tunables, written (process-tunable-write) */
	NAME_OOM_SCORE_ADJ,
	NAME_OOM_ADJ,
	NAME_UID_MAP,
	NAME_GID_MAP,
	NAME_SETGROUPS,
	NAME_ATTR, /* the LSM's attr directory; for a file, one under it (attr/current) */
	NAME_COUNT,
};

static const char audit_names[NAME_COUNT][16] = {
	[NAME_ENVIRON] = "environ",
	[NAME_MEM] = "mem",
	[NAME_MAPS] = "maps",
	[NAME_SMAPS] = "smaps",
	[NAME_PAGEMAP] = "pagemap",
	[NAME_CMDLINE] = "cmdline",
	[NAME_KCORE] = "kcore",
	[NAME_KMSG] = "kmsg",
	[NAME_KALLSYMS] = "kallsyms",
	[NAME_SYSRQ_TRIGGER] = "sysrq-trigger",
	[NAME_OOM_SCORE_ADJ] = "oom_score_adj",
	[NAME_OOM_ADJ] = "oom_adj",
	[NAME_UID_MAP] = "uid_map",
	[NAME_GID_MAP] = "gid_map",
	[NAME_SETGROUPS] = "setgroups",
	[NAME_ATTR] = "attr",
};

static __always_inline enum audit_name audit_name_of(struct dentry *dentry)
{
	__u64 w[2] = {};

	bpf_probe_read_kernel_str(w, sizeof(w), BPF_CORE_READ(dentry, d_name.name));
	for (int i = 1; i < NAME_COUNT; i++) {
		const __u64 *n = (const __u64 *)audit_names[i];

		if (n[0] == w[0] && n[1] == w[1])
			return i;
	}
	return NAME_OTHER;
}

/* A file under a process's attr directory (attr/current, attr/apparmor/exec): what an LSM
 * labels the process with. */
static __always_inline bool under_attr(struct dentry *dentry)
{
	struct dentry *parent = BPF_CORE_READ(dentry, d_parent);

	return audit_name_of(parent) == NAME_ATTR ||
	       audit_name_of(BPF_CORE_READ(parent, d_parent)) == NAME_ATTR;
}

/* What the audit learns about the process a /proc/PID file belongs to. */
struct audit_target {
	__u32 tgid, tid, uid;
	__u8 relation; /* enum ps_relation */
	__u8 pidns;    /* enum ps_pidns_relation */
	struct task_struct *task;
};

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

/* The target's pid namespace seen from the reader's: a namespace sees its own pids and those
 * of the namespaces below it, where the pid has a number at the reader's level. */
static __always_inline __u8 pidns_relation(struct pid *target, struct task_struct *reader)
{
	struct pid *rpid = BPF_CORE_READ(reader, thread_pid);
	__u32 tlevel = BPF_CORE_READ(target, level), rlevel = BPF_CORE_READ(rpid, level);
	struct pid_namespace *rns;

	if (tlevel > 32 || rlevel > 32) /* MAX_PID_NS_LEVEL */
		return PS_PIDNS_FOREIGN;
	rns = pid_ns_at(rpid, rlevel);
	if (pid_ns_at(target, tlevel) == rns)
		return PS_PIDNS_SAME;
	if (tlevel > rlevel && pid_ns_at(target, rlevel) == rns)
		return PS_PIDNS_DESCENDANT;
	return PS_PIDNS_FOREIGN;
}

/* The target's process, for a file that may raise an event: its task, tgid, uid, and what it is
 * to the reader. t->tid and t->pidns are already set. */
static __always_inline void audit_target_of(struct pid *pid, struct audit_target *t)
{
	__u64 id = bpf_get_current_pid_tgid();
	/* a local, not t->task: BPF_CORE_READ would relocate the access to our own struct too */
	struct task_struct *task = pid_task_of(pid);

	if (!task) {
		t->task = NULL;
		t->tgid = 0;
		t->uid = 0;
		t->relation = PS_REL_GONE;
		return;
	}
	t->task = task;
	t->tgid = BPF_CORE_READ(task, tgid);
	t->uid = BPF_CORE_READ(task, real_cred, uid.val);
	if (t->tgid == id >> 32)
		/* /proc/PID of the own group, or /proc/PID/task/TID of the reading thread */
		t->relation =
			t->tid == t->tgid || t->tid == (__u32)id ? PS_REL_SELF : PS_REL_THREAD;
	else if (BPF_CORE_READ(task, real_parent, tgid) == id >> 32)
		t->relation = PS_REL_CHILD;
	else if (t->uid == (__u32)bpf_get_current_uid_gid())
		t->relation = PS_REL_SAME_UID;
	else
		t->relation = PS_REL_OTHER_UID;
}

static __always_inline bool rule_enabled(__u32 rule)
{
	return rule != PS_RULE_NONE && (cfg.audit_rules & (1u << rule));
}

/* The rule of an access to a file of a process (/proc/PID/..., /proc/PID/task/TID/...). */
static __always_inline __u32 process_file_rule(enum audit_name name, __u32 op,
					       const struct audit_target *t)
{
	bool other = t->relation != PS_REL_SELF && t->relation != PS_REL_THREAD;
	__u32 rule = PS_RULE_NONE;

	if (name == NAME_MEM && other)
		rule = PS_RULE_MEM_ACCESS; /* opened, read or written */
	else if (op == PS_OP_OPEN)
		return PS_RULE_NONE; /* opens are audited for mem only */
	else if (name == NAME_ENVIRON && op == PS_OP_READ && other)
		rule = PS_RULE_ENVIRON_READ;
	else if ((name == NAME_MAPS || name == NAME_SMAPS || name == NAME_PAGEMAP) &&
		 op == PS_OP_READ && other)
		rule = PS_RULE_MAPS_READ;
	else if (name == NAME_CMDLINE && op == PS_OP_READ && other)
		rule = PS_RULE_CMDLINE_READ;
	else if (op == PS_OP_WRITE && other && name >= NAME_OOM_SCORE_ADJ && name <= NAME_ATTR)
		rule = PS_RULE_PROCESS_TUNABLE_WRITE;
	if (rule_enabled(rule))
		return rule;
	/* The namespace rules catch what the file rules did not (another file, or a file rule
	 * turned off); an event carries the namespace relation either way. */
	if (t->pidns == PS_PIDNS_FOREIGN)
		return PS_RULE_PIDNS_FOREIGN;
	if (t->pidns == PS_PIDNS_DESCENDANT)
		return PS_RULE_PIDNS_DESCENDANT;
	return PS_RULE_NONE;
}

/* The rule of an access to a procfs file that belongs to no process. */
static __always_inline __u32 proc_file_rule(struct dentry *dentry, struct proc_inode *pi, __u32 op)
{
	struct dentry *parent;
	enum audit_name name;

	if (op == PS_OP_WRITE && BPF_CORE_READ(pi, sysctl_entry))
		return PS_RULE_SYSCTL_WRITE;
	/* The rest are files right under the root of procfs, and writes anywhere else. */
	parent = BPF_CORE_READ(dentry, d_parent);
	if (BPF_CORE_READ(parent, d_parent) != parent)
		return op == PS_OP_WRITE ? PS_RULE_PROC_WRITE : PS_RULE_NONE;
	name = audit_name_of(dentry);
	if (op == PS_OP_READ && name == NAME_KCORE)
		return PS_RULE_KCORE_READ;
	if (op == PS_OP_READ && name == NAME_KMSG)
		return PS_RULE_KMSG_READ;
	if (op == PS_OP_READ && name == NAME_KALLSYMS)
		return PS_RULE_KALLSYMS_READ;
	if (op == PS_OP_WRITE && name == NAME_SYSRQ_TRIGGER)
		return PS_RULE_SYSRQ_WRITE;
	return op == PS_OP_WRITE ? PS_RULE_PROC_WRITE : PS_RULE_NONE;
}

/* The reader's parent and grandparent processes (real_parent: the one that forked it, not a
 * ptracer); 0 and no name above init. Their executables from the kernel too: user space has
 * given up the capabilities that reading another process's /proc/PID/exe needs. */
static __always_inline void audit_ancestry(struct ps_key_scratch *scratch, struct task_struct *task,
					   struct ps_audit_event *e)
{
	struct task_struct *parent = BPF_CORE_READ(task, group_leader, real_parent);
	struct task_struct *grandparent = parent ? BPF_CORE_READ(parent, real_parent) : NULL;

	e->ppid = parent ? BPF_CORE_READ(parent, tgid) : 0;
	__builtin_memset(e->parent_comm, 0, sizeof(e->parent_comm));
	if (e->ppid)
		BPF_CORE_READ_STR_INTO(&e->parent_comm, parent, comm);
	e->parent_exe_truncated = path__exe(scratch, e->ppid ? parent : NULL, e->parent_exe);
	/* init's real_parent is the idle task, pid 0: its name is no process's */
	e->gppid = e->ppid && grandparent ? BPF_CORE_READ(grandparent, tgid) : 0;
	__builtin_memset(e->grandparent_comm, 0, sizeof(e->grandparent_comm));
	if (e->gppid)
		BPF_CORE_READ_STR_INTO(&e->grandparent_comm, grandparent, comm);
	e->grandparent_exe_truncated =
		path__exe(scratch, e->gppid ? grandparent : NULL, e->grandparent_exe);
	__builtin_memset(e->pad3, 0, sizeof(e->pad3));
}

static __always_inline void audit__emit(struct file *file, int fs, __u32 op, long ret, __u32 rule,
					const struct audit_target *t,
					const struct ps_sysctl_values *values)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct task_struct *target = t->task;
	struct ps_key_scratch *scratch;
	struct ps_audit_event *e;
	__u64 id;

	scratch = scratch__get();
	if (!scratch)
		return;
	e = bpf_ringbuf_reserve(&audit_events, sizeof(*e), 0);
	if (!e) {
		counter__add(PS_CNT_AUDIT_LOST);
		return;
	}
	id = bpf_get_current_pid_tgid();
	e->ts_ns = bpf_ktime_get_ns();
	e->ret = ret;
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->target_pid = t->tgid;
	e->target_tid = t->tid;
	e->target_uid = t->uid;
	e->rule = rule;
	e->op = op;
	e->fs = fs;
	e->relation = t->relation;
	e->pidns = t->pidns;
	e->pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	__builtin_memset(e->target_comm, 0, sizeof(e->target_comm));
	if (target)
		BPF_CORE_READ_STR_INTO(&e->target_comm, target, comm);
	__builtin_memset(&scratch->key, 0, sizeof(scratch->key));
	path__build((__u64)BPF_CORE_READ(file, f_path.dentry), 0, false);
	__builtin_memcpy(e->path, scratch->key.path, sizeof(e->path));
	e->truncated = scratch->key.truncated;
	e->exe_truncated = path__exe(scratch, task, e->exe);
	audit_ancestry(scratch, task, e);
	e->has_values = values != NULL;
	if (values)
		__builtin_memcpy(&e->values, values, sizeof(e->values));
	else
		__builtin_memset(&e->values, 0, sizeof(e->values));
	__builtin_memset(e->pad2, 0, sizeof(e->pad2));
	e->target_cgroup_id = target ? BPF_CORE_READ(target, cgroups, dfl_cgrp, kn, id) : 0;
	/* Audit events are rare and wanted at once: wake the reader for each. */
	bpf_ringbuf_submit(e, 0);
}

/* A write under /proc/sys returned: sysctl-write, or sysctl-weakened when the cgroup/sysctl
 * program (bpf/sysctl.bpf.c) saw this thread write a value that disarms a defence; with the
 * values it saw. */
static __always_inline void audit_sysctl(struct file *file, int fs, __u32 op, long ret,
					 const struct audit_target *t)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct ps_sysctl_values *v = bpf_map_lookup_elem(&sysctl_writes, &tid);
	__u32 rule = v && v->weakened && rule_enabled(PS_RULE_SYSCTL_WEAKENED)
			     ? PS_RULE_SYSCTL_WEAKENED
			     : PS_RULE_SYSCTL_WRITE;

	if (rule_enabled(rule))
		audit__emit(file, fs, op, ret, rule, t, v);
	if (v)
		bpf_map_delete_elem(&sysctl_writes, &tid);
}

/*
 * Checks an access of a file on a traced filesystem against the enabled rules and sends an
 * event when one matches. A read that returned 0 (end of file) is not an access: it disclosed
 * nothing, and a reader's final read would double every event.
 */
static __always_inline void audit__check(struct file *file, int fs, __u32 op, long ret)
{
	struct audit_target t = {};
	struct dentry *dentry;
	struct proc_inode *pi;
	struct pid *pid;
	__u32 rule;

	if (!cfg.audit_rules || (op == PS_OP_READ && ret == 0))
		return;
	if (fs == PS_FS_SYSFS) {
		if (op != PS_OP_WRITE || !rule_enabled(PS_RULE_SYSFS_WRITE))
			return;
		audit__emit(file, fs, op, ret, PS_RULE_SYSFS_WRITE, &t, NULL);
		return;
	}
	if (fs != PS_FS_PROC)
		return;
	dentry = BPF_CORE_READ(file, f_path.dentry);
	pi = proc_inode_of(file);
	pid = BPF_CORE_READ(pi, pid);
	if (pid) {
		enum audit_name name = audit_name_of(dentry);

		if (op == PS_OP_OPEN && name != NAME_MEM)
			return;
		if (op == PS_OP_WRITE && name == NAME_OTHER && under_attr(dentry))
			name = NAME_ATTR;
		t.tid = BPF_CORE_READ(pid, numbers[0].nr);
		t.pidns = pidns_relation(pid, (struct task_struct *)bpf_get_current_task());
		/* The common case, a process's own stat or status, in its own namespace, under no
		 * file rule: done before the walk to the target's task. */
		if (name == NAME_OTHER && t.pidns == PS_PIDNS_SAME)
			return;
		audit_target_of(pid, &t);
		rule = process_file_rule(name, op, &t);
	} else {
		rule = proc_file_rule(dentry, pi, op);
		if (rule == PS_RULE_SYSCTL_WRITE) {
			audit_sysctl(file, fs, op, ret, &t);
			return;
		}
	}
	if (rule_enabled(rule))
		audit__emit(file, fs, op, ret, rule, &t, NULL);
}

/* A file was opened (fd_install, or an open system call's return in the tracepoint mode).
 * @typed: as in account__enter. */
static __always_inline int audit__open(struct file *file, bool typed)
{
	int fs;

	if (!rule_enabled(PS_RULE_MEM_ACCESS))
		return 0;
	fs = typed ? typed_file_traced_fs(file) : file_traced_fs(file);
	if (fs != PS_FS_PROC || !current_selected())
		return 0;
	audit__check(file, fs, PS_OP_OPEN, 0);
	return 0;
}

#endif /* PS_AUDIT_BPF_H */
