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
#include "fd.bpf.h"
#include "fs.bpf.h"
#include "path.bpf.h"
#include "procpid.bpf.h"
#include "select.bpf.h"

static __always_inline bool rule_enabled(__u32 rule)
{
	return rule != PS_RULE_NONE && (cfg.audit_rules & (1u << rule));
}

/*
 * An access is checked and its event built by two global functions (bpf/audit.bpf.c), each
 * checked by the verifier once per program, not once per call site and way into it; side by
 * side, not one calling the other: a chain of calls may hold 512 bytes of stack in all. They
 * take the file's dentry and inode (struct dentry, struct inode), not the file: 5.10 refuses a
 * typed pointer (an fentry program's argument) where a global function takes a number.
 */

/* The rule an access of a file (@dentry, @inode) on a traced filesystem matches, PS_RULE_NONE
 * for none; for a match, its target is left in the thread's scratch space for audit__emit. */
int audit__check(__u64 dentry, __u64 inode, int fs, __u32 op, long ret);

/* Sends the event of an access of the file of @dentry that matched @rule, of the target
 * audit__check left in the scratch space, with the values the cgroup/sysctl program saw for a
 * sysctl write. */
int audit__emit(__u64 dentry, int fs, __u32 op, long ret, __u32 rule);

/* Checks an access against the enabled rules and sends an event when one matches. */
static __always_inline void audit__access(struct file *file, int fs, __u32 op, long ret)
{
	__u64 dentry;
	__u32 rule;

	if (!cfg.audit_rules)
		return;
	dentry = (__u64)BPF_CORE_READ(file, f_path.dentry);
	rule = audit__check(dentry, (__u64)BPF_CORE_READ(file, f_inode), fs, op, ret);
	if (rule != PS_RULE_NONE)
		audit__emit(dentry, fs, op, ret, rule);
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
	audit__access(file, fs, PS_OP_OPEN, 0);
	return 0;
}

/*
 * The doors into another process that are system calls: ptrace(PTRACE_ATTACH or PTRACE_SEIZE),
 * process_vm_readv, process_vm_writev, pidfd_getfd. Their entry remembers the call with its
 * target as the caller named it (@target_nr: a pid in the caller's pid namespace, a pidfd for
 * pidfd_getfd); the kernel's access check (bpf/audit.bpf.c), where it is seen, adds the
 * target's task and its verdict, else the entry looks the task up itself; the return decides
 * the rule (audit__door) and sends the event. Attached only while a door rule is on
 * (cfg.doors).
 */
#define PTRACE_ATTACH 16 /* <linux/ptrace.h>, which vmlinux.h does not carry */
#define PTRACE_SEIZE 0x4206

/* The requests of ptrace(2) that are doors: the others act on a process already attached. */
static __always_inline bool ptrace_is_attach(long request)
{
	return request == PTRACE_ATTACH || request == PTRACE_SEIZE;
}

static __always_inline void audit__door_enter(__u32 op, int target_nr)
{
	struct ps_door_call call = { .target_nr = target_nr, .op = op };
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (!current_selected())
		return;
	if (cfg.doors == PS_DOORS_SYSCALL)
		call.target_task = (__u64)(op == PS_OP_GETFD ? pidfd_task(fd_to_file(target_nr))
							     : task_by_vpid(target_nr));
	bpf_map_update_elem(&door_calls, &tid, &call, BPF_ANY);
}

/* The rule a door call that returned @ret matches (PS_RULE_NONE: none, or no call in flight),
 * its target left in the scratch space for audit__emit. A global function. */
int audit__door(long ret);

/* The rule of a door call of @op, refused or not (each rule's refused variant follows it). */
static __always_inline __u32 audit__door_rule(__u32 op, bool denied)
{
	__u32 rule = op == PS_OP_ATTACH	    ? PS_RULE_PTRACE_ATTACH
		     : op == PS_OP_VM_READ  ? PS_RULE_PROCESS_VM_READ
		     : op == PS_OP_VM_WRITE ? PS_RULE_PROCESS_VM_WRITE
					    : PS_RULE_PIDFD_GETFD;

	return denied ? rule + 1 : rule;
}

/*
 * audit --enforce (bpf/enforce.bpf.c): its hooks decide before the access and leave the
 * decision by thread for the access's audit event, which takes it (enforce__action_of:
 * enum ps_action) if it is about the same file (@dentry; 0 for a door) and rule.
 * enforce__denied only looks.
 */
static __always_inline struct ps_enforced *enforce__decision(__u64 dentry, __u32 rule)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct ps_enforced *d;

	if (!cfg.enforce_rules)
		return NULL;
	d = bpf_map_lookup_elem(&enforcing, &tid);
	return d && d->dentry == dentry && d->rule == rule ? d : NULL;
}

static __always_inline bool enforce__denied(__u64 dentry, __u32 rule)
{
	struct ps_enforced *d = enforce__decision(dentry, rule);

	return d && d->action == PS_ACTION_DENIED;
}

static __always_inline __u8 enforce__action_of(__u64 dentry, __u32 rule)
{
	struct ps_enforced *d = enforce__decision(dentry, rule);
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u8 action;

	if (!d)
		return PS_ACTION_NONE;
	action = d->action;
	bpf_map_delete_elem(&enforcing, &tid);
	return action;
}

/* The call of a door rule (each rule's refused variant follows it in enum ps_rule). */
static __always_inline __u32 audit__door_op(__u32 rule)
{
	if (rule <= PS_RULE_PTRACE_ATTACH_DENIED)
		return PS_OP_ATTACH;
	if (rule <= PS_RULE_PROCESS_VM_READ_DENIED)
		return PS_OP_VM_READ;
	if (rule <= PS_RULE_PROCESS_VM_WRITE_DENIED)
		return PS_OP_VM_WRITE;
	return PS_OP_GETFD;
}

/* The return of a door call: its event, when a rule matches. */
static __always_inline void audit__door_exit(long ret)
{
	__u32 rule = audit__door(ret);

	if (rule != PS_RULE_NONE)
		audit__emit(0, PS_FS_PROC, audit__door_op(rule), ret, rule);
}

#endif /* PS_AUDIT_BPF_H */
