// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit --enforce: the accesses the enforced rules match are refused with EPERM before they
 * happen, unless the reader is procscope itself, init, or allowed by the allowlist (its entries
 * as the kernel can match them: struct ps_enforce_allow). Two hooks, in each of two kinds the
 * loader picks by probing: BPF LSM programs where bpf is an active LSM, fmod_ret programs on the
 * security_ functions otherwise (BPF trampolines). Each hook runs the audit's own rule check
 * (audit__check) and leaves its decision for the access's audit event (bpf/audit.bpf.h), which
 * the access's return sends as for any access: with EPERM, and "denied".
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"

#define EPERM 1
#define MAY_WRITE 0x2 /* <linux/fs.h> */
#define MAY_READ 0x4

/* Filled by user space before load (the skeleton's .bss): the allowlist for the enforced rules. */
struct ps_enforce_allow enforce_allow[PS_ENFORCE_ALLOW_MAX];
__u32 enforce_allow_n;

/* Whether the reader's cgroup (v2) is @id or lies below it: up its parents (a cgroup's css is
 * its first member), as bpf_get_current_ancestor_cgroup_id would, which 5.10 keeps from
 * tracing programs. */
__noinline int cgroup_within(__u64 id)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct cgroup *cg = BPF_CORE_READ(task, cgroups, dfl_cgrp);

	for (int level = 0; level < 32 && cg; level++) {
		if (BPF_CORE_READ(cg, kn, id) == id)
			return 1;
		cg = (struct cgroup *)BPF_CORE_READ(cg, self.parent);
	}
	return 0;
}

/* Whether an allowlist entry allows the current process @rule. */
__noinline int enforce_allowed(__u32 rule)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct inode *exe = BPF_CORE_READ(task, mm, exe_file, f_inode);
	__u64 exe_ino = BPF_CORE_READ(exe, i_ino);
	__u32 exe_dev = BPF_CORE_READ(exe, i_sb, s_dev);
	__u32 uid = (__u32)bpf_get_current_uid_gid();
	__u64 comm[PS_COMM_LEN / 8] = {}; /* compared as words, as audit_name_of does */

	bpf_get_current_comm(comm, sizeof(comm));
	for (__u32 i = 0; i < PS_ENFORCE_ALLOW_MAX; i++) {
		const struct ps_enforce_allow *a = &enforce_allow[i];

		if (i >= enforce_allow_n)
			break;
		if (!(a->rules & (1u << rule)))
			continue;
		if (a->exe_ino && (a->exe_ino != exe_ino || a->exe_dev != exe_dev))
			continue;
		if (a->uid_set && a->uid != uid)
			continue;
		if (a->comm_set && (((const __u64 *)a->comm)[0] != comm[0] ||
				    ((const __u64 *)a->comm)[1] != comm[1]))
			continue;
		if (a->cgroup_id && !cgroup_within(a->cgroup_id))
			continue;
		return 1;
	}
	return 0;
}

/* The decision on an access that matched @rule (of the file of @dentry; 0: a door): 0 or -EPERM,
 * and a decision left for the access's event when the rule is enforced. */
__noinline int enforce__decide(__u64 dentry, __u32 rule)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id, tgid = id >> 32;
	struct ps_enforced d = { .dentry = dentry, .rule = rule };

	if (rule >= 32 || !(cfg.enforce_rules & (1u << rule)))
		return 0;
	if (tgid == cfg.self_tgid || tgid == 1 || enforce_allowed(rule))
		return 0;
	d.action = cfg.enforce_dry_run ? PS_ACTION_WOULD_DENY : PS_ACTION_DENIED;
	bpf_map_update_elem(&enforcing, &tid, &d, BPF_ANY);
	return cfg.enforce_dry_run ? 0 : -EPERM;
}

/* A read or write of @file about to happen (security_file_permission). */
static __always_inline int file_decision(struct file *file, int mask)
{
	int fs = typed_file_traced_fs(file);
	__u32 op = mask & MAY_WRITE ? PS_OP_WRITE : PS_OP_READ;
	__u64 dentry;
	__u32 rule;

	if (fs < 0 || !(mask & (MAY_READ | MAY_WRITE)) || !current_selected())
		return 0;
	dentry = (__u64)BPF_CORE_READ(file, f_path.dentry);
	/* as a read that returns bytes: what the return will check */
	rule = audit__check(dentry, (__u64)BPF_CORE_READ(file, f_inode), fs, op, 1);
	return rule == PS_RULE_NONE ? 0 : enforce__decide(dentry, rule);
}

/* One process about to inspect another (security_ptrace_access_check): a door call's. */
static __always_inline int door_decision(struct task_struct *target)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct ps_door_call *call = bpf_map_lookup_elem(&door_calls, &tid);

	if (!call || BPF_CORE_READ(target, tgid) == bpf_get_current_pid_tgid() >> 32)
		return 0; /* no door (a /proc file's own check), or the own process */
	return enforce__decide(0, audit__door_rule(call->op, false));
}

/* As each hook returns it: an LSM program's result must be 0 or an errno (6.12 checks), which
 * the global function's unknown number is not to the verifier. */
static __always_inline int enforce_file(struct file *file, int mask)
{
	return file_decision(file, mask) ? -EPERM : 0;
}

static __always_inline int enforce_door(struct task_struct *target)
{
	return door_decision(target) ? -EPERM : 0;
}

/* An earlier program's refusal stands (@ret). */
SEC("lsm/file_permission")
int BPF_PROG(lsm__file_permission, struct file *file, int mask, int ret)
{
	return ret ? ret : enforce_file(file, mask);
}

SEC("fmod_ret/security_file_permission")
int BPF_PROG(fmod_ret__security_file_permission, struct file *file, int mask, int ret)
{
	return ret ? ret : enforce_file(file, mask);
}

SEC("lsm/ptrace_access_check")
int BPF_PROG(lsm__ptrace_access_check, struct task_struct *child, unsigned int mode, int ret)
{
	return ret ? ret : enforce_door(child);
}

SEC("fmod_ret/security_ptrace_access_check")
int BPF_PROG(fmod_ret__security_ptrace_access_check, struct task_struct *child, unsigned int mode,
	     int ret)
{
	return ret ? ret : enforce_door(child);
}
