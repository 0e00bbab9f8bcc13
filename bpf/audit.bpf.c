// SPDX-License-Identifier: GPL-2.0-only
/*
 * Opens, for the audit's mem rule (a process that opens another's /proc/PID/mem has its address
 * space in hand, whether it reads now, later, or passes the descriptor on). fd_install is where
 * every successfully opened file gets its descriptor, in the opener's context, whatever system
 * call (open, openat, openat2, io_uring's non-fixed opens) or SCM_RIGHTS receipt led there; it
 * exists and is not inlined on every kernel from 5.10 up. Attached only when auditing. The
 * tracepoint mode sees the open system calls' returns instead (bpf/syscalls.bpf.c).
 *
 * And audit__check, every mode's check of an access against the rules (bpf/audit.bpf.h).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"
#include "syscall_programs.bpf.h"

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
	/* what a file inclusion in a server reads first (recon-read) */
	NAME_VERSION,
	NAME_MODULES,
	NAME_SCHED_DEBUG,
	NAME_MOUNTS,
	NAME_NET, /* the directory: /proc/net/..., /proc/PID/net/... */
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
	[NAME_VERSION] = "version",
	[NAME_MODULES] = "modules",
	[NAME_SCHED_DEBUG] = "sched_debug",
	[NAME_MOUNTS] = "mounts",
	[NAME_NET] = "net",
};

/*
 * The rules' helpers below that return what they decide are global functions: to the verifier
 * their results are then unknown numbers, one state each, rather than every name, relation and
 * namespace relation they can return, whose mixes it would check one by one through the rules
 * (49,000 instructions per program).
 */

/* The audit name (enum audit_name) of @dentry_addr, a struct dentry. */
__noinline int audit_name_of(__u64 dentry_addr)
{
	struct dentry *dentry = (struct dentry *)dentry_addr;
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

	return audit_name_of((__u64)parent) == NAME_ATTR ||
	       audit_name_of((__u64)BPF_CORE_READ(parent, d_parent)) == NAME_ATTR;
}

/* A process's start time as /proc/PID/stat gives it, in clock ticks (USER_HZ, 100), with which
 * the servers map tells a process from a later one with its pid. */
static __always_inline __u64 start_ticks(struct task_struct *task)
{
	return BPF_CORE_READ(task, group_leader, start_boottime) / (1000000000ull / 100);
}

/* @task's process's entry in the servers map (bpf/maps.bpf.h), NULL when it serves not. */
static __always_inline struct ps_server *server_of(struct task_struct *task)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	struct ps_server *s = bpf_map_lookup_elem(&servers, &tgid);

	return s && s->start == start_ticks(task) ? s : NULL;
}

static __always_inline bool serves(struct task_struct *task)
{
	return server_of(task) != NULL;
}

/* recon-read: whether the reader serves the network, when the rule is on. */
__noinline int recon_reader(void)
{
	return rule_enabled(PS_RULE_RECON_READ) &&
	       serves((struct task_struct *)bpf_get_current_task());
}

/* The target's pid namespace seen from the reader's: a namespace sees its own pids and those
 * of the namespaces below it, where the pid has a number at the reader's level. */
__noinline int pidns_relation(__u64 target_addr, __u64 reader_addr)
{
	struct task_struct *reader = (struct task_struct *)reader_addr;
	struct pid *target = (struct pid *)target_addr;
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

/* The rule of an access (@op) to a file (enum audit_name @name) of a process (/proc/PID/...,
 * /proc/PID/task/TID/...) that is @relation to the reader (enum ps_relation) and in a pid
 * namespace @pidns to the reader's (enum ps_pidns_relation). */
__noinline int process_file_rule(__u32 name, __u32 op, __u32 relation, __u32 pidns)
{
	bool other = relation != PS_REL_SELF && relation != PS_REL_THREAD;
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
	else if (op == PS_OP_READ && !other &&
		 (name == NAME_ENVIRON || name == NAME_CMDLINE || name == NAME_MOUNTS) &&
		 recon_reader())
		rule = PS_RULE_RECON_READ; /* its own secrets, arguments, mounts (/proc/mounts) */
	if (rule_enabled(rule))
		return rule;
	/* The namespace rules catch what the file rules did not (another file, or a file rule
	 * turned off); an event carries the namespace relation either way. */
	if (pidns == PS_PIDNS_FOREIGN)
		return PS_RULE_PIDNS_FOREIGN;
	if (pidns == PS_PIDNS_DESCENDANT)
		return PS_RULE_PIDNS_DESCENDANT;
	return PS_RULE_NONE;
}

/* The rule of an access to a procfs file that belongs to no process. */
static __always_inline __u32 proc_file_rule(struct dentry *dentry, struct proc_inode *pi, __u32 op)
{
	struct dentry *parent;
	enum audit_name name;

	if (BPF_CORE_READ(pi, sysctl_entry))
		return op == PS_OP_WRITE ? PS_RULE_SYSCTL_WRITE : PS_RULE_NONE;
	/* The rest are files right under the root of procfs, writes anywhere else, and the
	 * network's files (/proc/net/tcp, /proc/net/stat/nf_conntrack: a process's net directory,
	 * whose files belong to its network namespace, not to it). */
	parent = BPF_CORE_READ(dentry, d_parent);
	if (BPF_CORE_READ(parent, d_parent) != parent) {
		if (op == PS_OP_WRITE)
			return PS_RULE_PROC_WRITE;
		if (op == PS_OP_READ && recon_reader() &&
		    (audit_name_of((__u64)parent) == NAME_NET ||
		     audit_name_of((__u64)BPF_CORE_READ(parent, d_parent)) == NAME_NET))
			return PS_RULE_RECON_READ;
		return PS_RULE_NONE;
	}
	name = audit_name_of((__u64)dentry);
	if (op == PS_OP_READ &&
	    (name == NAME_VERSION || name == NAME_MODULES || name == NAME_SCHED_DEBUG) &&
	    recon_reader())
		return PS_RULE_RECON_READ;
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

/* The event of an access of the file of @dentry by the current thread that matched @rule, of
 * the target in @scratch. */
static __always_inline void audit_event(struct ps_audit_event *e, struct dentry *dentry, int fs,
					__u32 op, long ret, __u32 rule,
					struct ps_key_scratch *scratch,
					const struct ps_sysctl_values *values)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	const struct audit_target *t = &scratch->target;
	struct task_struct *target = t->task;
	__u64 id = bpf_get_current_pid_tgid();

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
	e->target_cgroup_id = target ? BPF_CORE_READ(target, cgroups, dfl_cgrp, kn, id) : 0;
	__builtin_memset(&scratch->key, 0, sizeof(scratch->key));
	path__build(scratch, dentry, NULL, false);
	/* a helper call: copied in line, the 256 bytes took 64 instructions per copy to check */
	bpf_probe_read_kernel(e->path, sizeof(e->path), scratch->key.path);
	e->truncated = scratch->key.truncated;
	e->exe_truncated = path__exe(scratch, task, e->exe);
	audit_ancestry(scratch, task, e);
	e->action = enforce__action_of((__u64)dentry, rule);
	e->has_values = values != NULL;
	if (values)
		__builtin_memcpy(&e->values, values, sizeof(e->values));
	else
		__builtin_memset(&e->values, 0, sizeof(e->values));
	__builtin_memset(e->pad2, 0, sizeof(e->pad2));
}

__noinline int audit__emit(__u64 dentry, int fs, __u32 op, long ret, __u32 rule)
{
	struct ps_key_scratch *scratch = scratch__find();
	struct ps_sysctl_values *values = NULL;
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct ps_audit_event *e;

	if (!scratch)
		return 0;
	if (rule == PS_RULE_SYSCTL_WRITE || rule == PS_RULE_SYSCTL_WEAKENED)
		values = bpf_map_lookup_elem(&sysctl_writes, &tid);
	e = bpf_ringbuf_reserve(&audit_events, sizeof(*e), 0);
	if (e) {
		audit_event(e, (struct dentry *)dentry, fs, op, ret, rule, scratch, values);
		/* Audit events are rare and wanted at once: wake the reader for each. */
		bpf_ringbuf_submit(e, 0);
	} else {
		counter__add(PS_CNT_AUDIT_LOST);
	}
	if (values)
		bpf_map_delete_elem(&sysctl_writes, &tid);
	return 0;
}

/* @t, found to match @rule, for audit__emit: returns @rule, or PS_RULE_NONE when the rule is
 * off or the thread has no scratch space. */
static __always_inline __u32 audit_matched(__u32 rule, const struct audit_target *t)
{
	struct ps_key_scratch *scratch;

	if (!rule_enabled(rule))
		return PS_RULE_NONE;
	scratch = scratch__get();
	if (!scratch)
		return PS_RULE_NONE;
	__builtin_memcpy(&scratch->target, t, sizeof(*t));
	return rule;
}

/* A write under /proc/sys returned: sysctl-write, or sysctl-weakened when the cgroup/sysctl
 * program (bpf/sysctl.bpf.c) saw this thread write a value that disarms a defence. The values
 * it saw stay for audit__emit, which takes them; dropped here when no event is sent. */
static __always_inline __u32 sysctl_rule(const struct audit_target *t)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct ps_sysctl_values *v = bpf_map_lookup_elem(&sysctl_writes, &tid);
	__u32 rule = v && v->weakened && rule_enabled(PS_RULE_SYSCTL_WEAKENED)
			     ? PS_RULE_SYSCTL_WEAKENED
			     : PS_RULE_SYSCTL_WRITE;

	rule = audit_matched(rule, t);
	if (rule == PS_RULE_NONE && v)
		bpf_map_delete_elem(&sysctl_writes, &tid);
	return rule;
}

/* A read that returned 0 (end of file) is not an access: it disclosed nothing, and a reader's
 * final read would double every event. */
__noinline int audit__check(__u64 dentry_addr, __u64 inode, int fs, __u32 op, long ret)
{
	struct dentry *dentry = (struct dentry *)dentry_addr;
	struct audit_target t = {};
	struct proc_inode *pi;
	struct pid *pid;

	if (!cfg.audit_rules || (op == PS_OP_READ && ret == 0))
		return PS_RULE_NONE;
	if (fs == PS_FS_SYSFS)
		return op == PS_OP_WRITE ? audit_matched(PS_RULE_SYSFS_WRITE, &t) : PS_RULE_NONE;
	if (fs != PS_FS_PROC)
		return PS_RULE_NONE;
	pi = proc_inode_from((struct inode *)inode);
	pid = BPF_CORE_READ(pi, pid);
	if (!pid) {
		__u32 rule = proc_file_rule(dentry, pi, op);

		return rule == PS_RULE_SYSCTL_WRITE ? sysctl_rule(&t) : audit_matched(rule, &t);
	}
	enum audit_name name = audit_name_of((__u64)dentry);

	if (op == PS_OP_OPEN && name != NAME_MEM)
		return PS_RULE_NONE;
	if (op == PS_OP_WRITE && name == NAME_OTHER && under_attr(dentry))
		name = NAME_ATTR;
	t.tid = BPF_CORE_READ(pid, numbers[0].nr);
	t.pidns = pidns_relation((__u64)pid, bpf_get_current_task());
	/* The common case, a process's own stat or status, in its own namespace, under no file
	 * rule: done before the walk to the target's task. */
	if (name == NAME_OTHER && t.pidns == PS_PIDNS_SAME)
		return PS_RULE_NONE;
	audit_target_of(pid, &t);
	return audit_matched(process_file_rule(name, op, t.relation, t.pidns), &t);
}

#define EPERM 1 /* <errno.h>'s, which BPF programs do not include */
#define EACCES 13

/*
 * Refused: by the access check's verdict where it was seen (PS_DOORS_CHECKED), else by the
 * system call's EPERM (or EACCES: an LSM's). A call that ended before the check (no such
 * process, a bad request), or without it with another error, tried no door: no event. The
 * target's own process (itself, its threads) stays quiet.
 */
__noinline int audit__door(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct ps_door_call *found = bpf_map_lookup_elem(&door_calls, &tid);
	struct audit_target t = {};
	struct ps_door_call call;
	bool denied;

	if (!found)
		return PS_RULE_NONE;
	call = *found;
	bpf_map_delete_elem(&door_calls, &tid);
	if (cfg.doors == PS_DOORS_CHECKED) {
		if (!call.checked)
			return PS_RULE_NONE;
		denied = call.check_ret != 0;
	} else {
		denied = ret == -EPERM || ret == -EACCES;
		if (ret < 0 && !denied) /* not a door (a descriptor that is no pidfd, no process) */
			return PS_RULE_NONE;
	}
	/* refused by audit --enforce: the rule itself, its record says so (audit__emit) */
	if (denied && enforce__denied(0, audit__door_rule(call.op, false)))
		denied = false;
	if (call.target_task) {
		struct task_struct *task = (struct task_struct *)call.target_task;
		struct pid *pid = BPF_CORE_READ(task, thread_pid);

		t.tid = BPF_CORE_READ(pid, numbers[0].nr);
		t.pidns = pidns_relation((__u64)pid, bpf_get_current_task());
		audit_target_of(pid, &t);
		if (t.relation == PS_REL_SELF || t.relation == PS_REL_THREAD)
			return PS_RULE_NONE;
	} else { /* the number named no process by the time it was looked up */
		t.tid = call.target_nr;
		t.relation = PS_REL_GONE;
	}
	return audit_matched(audit__door_rule(call.op, denied), &t);
}

/*
 * The access check of one process inspecting another, __ptrace_may_access: every door passes
 * it (ptrace's attach directly, process_vm_readv/writev and pidfd_getfd through
 * ptrace_may_access), and it refuses before the LSMs' hook would see the call (another user's
 * process, a process that is not dumpable). Inside a door call it gives the target's task and
 * the verdict; /proc's own checks, outside one, find no call and leave.
 */
static __always_inline struct ps_door_call *door_call(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct ps_door_call *call = bpf_map_lookup_elem(&door_calls, &tid);

	return call && !call->checked ? call : NULL;
}

SEC("fexit/__ptrace_may_access")
int BPF_PROG(fexit____ptrace_may_access, struct task_struct *task, unsigned int mode, int ret)
{
	struct ps_door_call *call = door_call();

	if (call) {
		call->target_task = (__u64)task;
		call->check_ret = ret;
		call->checked = 1;
	}
	return 0;
}

SEC("kprobe/__ptrace_may_access")
int BPF_KPROBE(kprobe____ptrace_may_access, struct task_struct *task)
{
	struct ps_door_call *call = door_call();

	if (call)
		call->target_task = (__u64)task;
	return 0;
}

SEC("kretprobe/__ptrace_may_access")
int BPF_KRETPROBE(kretprobe____ptrace_may_access, int ret)
{
	struct ps_door_call *call = door_call();

	if (call && call->target_task) {
		call->check_ret = ret;
		call->checked = 1;
	}
	return 0;
}

/* The door system calls' entries: ptrace(request, pid, ...), process_vm_readv(pid, ...),
 * process_vm_writev(pid, ...), pidfd_getfd(pidfd, fd, flags). */
static __always_inline int ptrace_enter(void *ctx, const struct pt_regs *regs, __u32 op)
{
	if (ptrace_is_attach(BPF_CORE_READ(regs, SYSCALL_ARG1)))
		audit__door_enter(op, (int)BPF_CORE_READ(regs, SYSCALL_ARG2));
	return 0;
}

static __always_inline int door_enter(void *ctx, const struct pt_regs *regs, __u32 op)
{
	audit__door_enter(op, (int)BPF_CORE_READ(regs, SYSCALL_ARG1));
	return 0;
}

static __always_inline int door_exit(void *ctx, long ret, __u32 op)
{
	audit__door_exit(ret);
	return 0;
}

SYSCALL_PROGRAMS(PS_SYS(ptrace), PS_OP_ATTACH, ptrace_enter, door_exit)
SYSCALL_PROGRAMS(PS_SYS(process_vm_readv), PS_OP_VM_READ, door_enter, door_exit)
SYSCALL_PROGRAMS(PS_SYS(process_vm_writev), PS_OP_VM_WRITE, door_enter, door_exit)
SYSCALL_PROGRAMS(PS_SYS(pidfd_getfd), PS_OP_GETFD, door_enter, door_exit)

/*
 * The servers map: a socket made to listen (any inet protocol's move to TCP_LISTEN, in the
 * caller of listen()), a server program executed, and the processes such processes fork; out at
 * an execve unless a server program's descendant. Tracepoints with BTF, in every mode. Not init
 * (pid 1): it listens for the services it starts on demand and hands the sockets on; the
 * services that then serve are found as they listen or by their program.
 */
static __always_inline void server_add(struct task_struct *task, bool through_exec)
{
	struct ps_server s = { .start = start_ticks(task), .through_exec = through_exec };
	__u32 tgid = BPF_CORE_READ(task, tgid);

	if (tgid != 1)
		bpf_map_update_elem(&servers, &tgid, &s, BPF_ANY);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(tp__listen, const struct sock *sk, int oldstate, int newstate)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	if (newstate == TCP_LISTEN && !serves(task)) /* a server program's stays one */
		server_add(task, false);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(tp__listener_fork, struct task_struct *parent, struct task_struct *child)
{
	struct ps_server *s;

	if (BPF_CORE_READ(child, tgid) == BPF_CORE_READ(parent, tgid))
		return 0; /* a thread */
	s = server_of(parent);
	if (s)
		server_add(child, s->through_exec);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(tp__listener_exec, struct task_struct *task)
{
	struct inode *exe = BPF_CORE_READ(task, mm, exe_file, f_inode);
	struct ps_exe_id id = { .ino = BPF_CORE_READ(exe, i_ino),
				.dev = BPF_CORE_READ(exe, i_sb, s_dev) };
	struct ps_server *s = server_of(task);
	__u32 tgid = BPF_CORE_READ(task, tgid);

	if (bpf_map_lookup_elem(&server_exes, &id))
		server_add(task, true);
	else if (s && !s->through_exec)
		bpf_map_delete_elem(&servers, &tgid);
	return 0;
}

SEC("fentry/fd_install")
int BPF_PROG(fentry__fd_install, unsigned int fd, struct file *file)
{
	return audit__open(file, true);
}

SEC("kprobe/fd_install")
int BPF_KPROBE(kprobe__fd_install, unsigned int fd, struct file *file)
{
	return audit__open(file, false);
}
