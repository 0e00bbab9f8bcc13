/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The function modes' programs of a system call, at its x86-64 entry point (__x64_sys_NAME),
 * whose only argument is the caller's registers: what walk.bpf.c and audit.bpf.c hook that the
 * kernel has no function of its own for below the system call.
 */
#ifndef PS_SYSCALL_PROGRAMS_BPF_H
#define PS_SYSCALL_PROGRAMS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* The four programs of a system call's entry point @function (fentry/fexit, kprobe/kretprobe):
 * @enter takes the caller's registers, @exit the return value, both @arg. */
#define SYSCALL_PROGRAMS(function, arg, enter, exit)                          \
	SEC("fentry/" #function)                                              \
	int BPF_PROG(fentry__##function, const struct pt_regs *regs)          \
	{                                                                     \
		return enter(ctx, regs, arg);                                 \
	}                                                                     \
	SEC("fexit/" #function)                                               \
	int BPF_PROG(fexit__##function, const struct pt_regs *regs, long ret) \
	{                                                                     \
		return exit(ctx, ret, arg);                                   \
	}                                                                     \
	SEC("kprobe/" #function)                                              \
	int BPF_KPROBE(kprobe__##function, const struct pt_regs *regs)        \
	{                                                                     \
		return enter(ctx, regs, arg);                                 \
	}                                                                     \
	SEC("kretprobe/" #function)                                           \
	int BPF_KRETPROBE(kretprobe__##function, long ret)                    \
	{                                                                     \
		return exit(ctx, ret, arg);                                   \
	}

#endif /* PS_SYSCALL_PROGRAMS_BPF_H */
