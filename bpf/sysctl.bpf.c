// SPDX-License-Identifier: GPL-2.0-only
/*
 * The values of sysctl writes, for the audit: a cgroup/sysctl program on the root of the cgroup
 * v2 hierarchy sees every write to /proc/sys with the tunable's name, its current value and the
 * value being written, before the write happens. It only looks (it always allows); the write's
 * return (audit.bpf.h) takes the values into its sysctl-write event, by thread id. Loaded where
 * the kernel lets cgroup/sysctl programs know the current thread (6.1 and later); the loader
 * says otherwise.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "maps.bpf.h"

#define NAME_LEN 64

/* @name (bpf_sysctl_get_name's "kernel/core_pattern") is @want, a literal. */
#define NAME_IS(name, want) name_is(name, want, sizeof(want))

static __always_inline bool name_is(const char *name, const char *want, int len)
{
	for (int i = 0; i < len && i < NAME_LEN; i++)
		if (name[i] != want[i])
			return false;
	return true;
}

/* "0" as written by echo or sysctl(8): a zero, then the end or a newline. */
static __always_inline bool is_zero(const char *v)
{
	return v[0] == '0' && (v[1] == '\0' || v[1] == '\n');
}

/* The values attackers set to disarm a defence (docs/audit.md, sysctl-weakened). */
static __always_inline bool weakens(const char *name, const char *value)
{
	if (NAME_IS(name, "kernel/core_pattern"))
		return value[0] == '|'; /* a pipe runs a program as root on every crash */
	return is_zero(value) && (NAME_IS(name, "kernel/yama/ptrace_scope") ||
				  NAME_IS(name, "kernel/kptr_restrict") ||
				  NAME_IS(name, "kernel/randomize_va_space") ||
				  NAME_IS(name, "kernel/modules_disabled") ||
				  NAME_IS(name, "kernel/unprivileged_bpf_disabled"));
}

SEC("cgroup/sysctl")
int cgroup__sysctl(struct bpf_sysctl *ctx)
{
	struct ps_sysctl_values v = {};
	char name[NAME_LEN] = {};
	__u32 tid;

	if (!ctx->write)
		return 1;
	/* -E2BIG leaves a cut, NUL-terminated value: still worth showing */
	bpf_sysctl_get_name(ctx, name, sizeof(name), 0);
	bpf_sysctl_get_current_value(ctx, v.old_value, sizeof(v.old_value));
	bpf_sysctl_get_new_value(ctx, v.new_value, sizeof(v.new_value));
	v.weakened = weakens(name, v.new_value);
	tid = (__u32)bpf_get_current_pid_tgid();
	bpf_map_update_elem(&sysctl_writes, &tid, &v, BPF_ANY);
	return 1;
}
