// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>
#include "audit_rules.h"

/* ATT&CK: T1003.007 OS Credential Dumping: Proc Filesystem; T1003 OS Credential Dumping;
 * T1552 Unsecured Credentials; T1057 Process Discovery; T1082 System Information Discovery;
 * T1562 Impair Defenses (.001 Disable or Modify Tools); T1529 System Shutdown/Reboot; T1611 Escape
 * to Host; T1055.008 Process Injection: Ptrace System Calls; T1055 Process Injection; T1005 Data
 * from Local System (another process's descriptor hands over whatever it had open). A refused
 * door is the attempt: the same technique, at a lower severity. */
static const struct audit_rule_info rules[PS_RULE_COUNT] = {
	[PS_RULE_ENVIRON_READ] = { "environ-read", SEV_HIGH, "another process's environment read",
				   "T1552" },
	[PS_RULE_MEM_ACCESS] = { "mem-access", SEV_CRITICAL,
				 "another process's memory opened, read or written", "T1003.007" },
	[PS_RULE_MAPS_READ] = { "maps-read", SEV_MEDIUM,
				"another process's memory layout read (maps, smaps, pagemap)",
				"T1003.007" },
	[PS_RULE_CMDLINE_READ] = { "cmdline-read", SEV_LOW, "another process's command line read",
				   "T1057" },
	[PS_RULE_KCORE_READ] = { "kcore-read", SEV_CRITICAL, "kernel memory read (/proc/kcore)",
				 "T1003" },
	[PS_RULE_KMSG_READ] = { "kmsg-read", SEV_MEDIUM, "kernel log read (/proc/kmsg)", "T1082" },
	[PS_RULE_KALLSYMS_READ] = { "kallsyms-read", SEV_MEDIUM,
				    "kernel symbol addresses read (/proc/kallsyms)", "T1082" },
	[PS_RULE_SYSCTL_WRITE] = { "sysctl-write", SEV_MEDIUM, "kernel tunable written (/proc/sys)",
				   "T1562" },
	[PS_RULE_SYSFS_WRITE] = { "sysfs-write", SEV_MEDIUM, "sysfs attribute written (/sys)",
				  "T1562" },
	[PS_RULE_SYSRQ_WRITE] = { "sysrq-trigger-write", SEV_HIGH,
				  "magic SysRq command sent (/proc/sysrq-trigger)", "T1529" },
	[PS_RULE_PIDNS_FOREIGN] = { "pidns-foreign-read", SEV_HIGH,
				    "a process's files read from a pid namespace that cannot see "
				    "it",
				    "T1611" },
	[PS_RULE_PIDNS_DESCENDANT] = { "pidns-descendant-read", SEV_INFO,
				       "a container's process files read from an outer pid "
				       "namespace",
				       "T1057" },
	[PS_RULE_SYSCTL_WEAKENED] = { "sysctl-weakened", SEV_HIGH,
				      "kernel tunable set to disarm a defence (core_pattern pipe, "
				      "ptrace_scope, kptr_restrict, randomize_va_space, "
				      "unprivileged_bpf_disabled or modules_disabled to 0)",
				      "T1562" },
	[PS_RULE_PROC_WRITE] = { "proc-write", SEV_MEDIUM,
				 "procfs file written outside /proc/sys and processes' files "
				 "(/proc/mtrr, /proc/bus/..., /proc/irq/...)",
				 "T1562" },
	[PS_RULE_PROCESS_TUNABLE_WRITE] = { "process-tunable-write", SEV_HIGH,
					    "another process's oom_score_adj, oom_adj, uid_map, "
					    "gid_map, setgroups or LSM attr/ written",
					    "T1562.001" },
	[PS_RULE_PTRACE_ATTACH] = { "ptrace-attach", SEV_HIGH,
				    "another process attached with ptrace", "T1055.008" },
	[PS_RULE_PTRACE_ATTACH_DENIED] = { "ptrace-attach-denied", SEV_MEDIUM,
					   "a ptrace attach to another process refused",
					   "T1055.008" },
	[PS_RULE_PROCESS_VM_READ] = { "process-vm-read", SEV_HIGH,
				      "another process's memory read with process_vm_readv",
				      "T1003" },
	[PS_RULE_PROCESS_VM_READ_DENIED] = { "process-vm-read-denied", SEV_MEDIUM,
					     "a process_vm_readv of another process refused",
					     "T1003" },
	[PS_RULE_PROCESS_VM_WRITE] = { "process-vm-write", SEV_CRITICAL,
				       "another process's memory written with process_vm_writev",
				       "T1055" },
	[PS_RULE_PROCESS_VM_WRITE_DENIED] = { "process-vm-write-denied", SEV_MEDIUM,
					      "a process_vm_writev into another process refused",
					      "T1055" },
	[PS_RULE_PIDFD_GETFD] = { "pidfd-getfd", SEV_HIGH,
				  "another process's file descriptor copied with pidfd_getfd",
				  "T1005" },
	[PS_RULE_PIDFD_GETFD_DENIED] = { "pidfd-getfd-denied", SEV_MEDIUM,
					 "a pidfd_getfd from another process refused", "T1005" },
	[PS_RULE_RECON_READ] = { "recon-read", SEV_HIGH,
				 "system facts or its own environ, cmdline, mounts read by a "
				 "process that serves the network (version, modules, mounts, net/, "
				 "sched_debug): file inclusion",
				 "T1082" },
};

static const char *const severity_names[] = {
	[SEV_INFO] = "info", [SEV_LOW] = "low",		  [SEV_MEDIUM] = "medium",
	[SEV_HIGH] = "high", [SEV_CRITICAL] = "critical",
};

const struct audit_rule_info *audit_rule__info(unsigned int rule)
{
	return rule > PS_RULE_NONE && rule < PS_RULE_COUNT ? &rules[rule] : NULL;
}

bool audit_rule__is_door(unsigned int rule)
{
	return PS_RULE_IS_DOOR(rule);
}

const char *audit_rule__unenforceable(unsigned int rule)
{
	if (PS_RULE_IS_DOOR(rule) && (rule - PS_RULE_PTRACE_ATTACH) % 2)
		return "it reports what the kernel itself refused (enforce the rule without "
		       "-denied)";
	if (rule == PS_RULE_SYSCTL_WEAKENED)
		return "it is decided from the value written, after the write was allowed (enforce "
		       "sysctl-write)";
	return NULL;
}

int audit_rule__parse(const char *id, unsigned int *ret_rule)
{
	for (unsigned int r = PS_RULE_NONE + 1; r < PS_RULE_COUNT; r++) {
		if (!strcmp(rules[r].id, id)) {
			*ret_rule = r;
			return 0;
		}
	}
	return -ENOENT;
}

uint32_t audit_rule__mask(enum audit_severity min)
{
	uint32_t mask = 0;

	for (unsigned int r = PS_RULE_NONE + 1; r < PS_RULE_COUNT; r++)
		if (rules[r].severity >= min)
			mask |= 1u << r;
	return mask;
}

const char *audit_severity__name(enum audit_severity s)
{
	return (unsigned int)s <= SEV_CRITICAL ? severity_names[s] : "?";
}

int audit_severity__parse(const char *name, enum audit_severity *ret_severity)
{
	for (unsigned int s = SEV_INFO; s <= SEV_CRITICAL; s++) {
		if (!strcmp(severity_names[s], name)) {
			*ret_severity = (enum audit_severity)s;
			return 0;
		}
	}
	return -EINVAL;
}

const char *audit_relation__name(unsigned int relation)
{
	static const char *const names[] = {
		[PS_REL_NONE] = "none",		[PS_REL_SELF] = "self",
		[PS_REL_THREAD] = "thread",	[PS_REL_CHILD] = "child",
		[PS_REL_SAME_UID] = "same-uid", [PS_REL_OTHER_UID] = "other-uid",
		[PS_REL_GONE] = "exited",
	};

	return relation < sizeof(names) / sizeof(names[0]) ? names[relation] : "?";
}

const char *audit_action__name(unsigned int action)
{
	static const char *const names[] = {
		[PS_ACTION_NONE] = "none",
		[PS_ACTION_DENIED] = "denied",
		[PS_ACTION_WOULD_DENY] = "would-deny",
	};

	return action < sizeof(names) / sizeof(names[0]) ? names[action] : "?";
}

const char *audit_pidns__name(unsigned int pidns)
{
	static const char *const names[] = {
		[PS_PIDNS_NONE] = "none",
		[PS_PIDNS_SAME] = "same",
		[PS_PIDNS_DESCENDANT] = "descendant",
		[PS_PIDNS_FOREIGN] = "foreign",
	};

	return pidns < sizeof(names) / sizeof(names[0]) ? names[pidns] : "?";
}
