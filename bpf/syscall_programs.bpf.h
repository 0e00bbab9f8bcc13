/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The function modes' programs of a system call, at its entry point (PS_SYS(NAME): __x64_sys_NAME,
 * __arm64_sys_NAME), whose only argument is the caller's registers: what walk.bpf.c and audit.bpf.c
 * hook that the kernel has no function of its own for below the system call.
 */
#ifndef PS_SYSCALL_PROGRAMS_BPF_H
#define PS_SYSCALL_PROGRAMS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/*
 * A system call's number and arguments in the caller's registers (struct pt_regs), as the
 * architecture passes them: `regs->SYSCALL_ARG1` where the pointer is the kernel's own (tp_btf,
 * fentry), BPF_CORE_READ(regs, SYSCALL_ARG1) where it is not (kprobe). arm64's x0 holds the return
 * value by the exit: its first argument is kept in orig_x0. The fourth argument is not used.
 */
#if defined(__TARGET_ARCH_x86)
#define SYSCALL_NR orig_ax
#define SYSCALL_ARG1 di
#define SYSCALL_ARG2 si
#define SYSCALL_ARG3 dx
#define SYSCALL_ARG5 r8
#define SYSCALL_ARG6 r9
#elif defined(__TARGET_ARCH_arm64)
#define SYSCALL_NR syscallno
#define SYSCALL_ARG1 orig_x0
#define SYSCALL_ARG2 regs[1]
#define SYSCALL_ARG3 regs[2]
#define SYSCALL_ARG5 regs[4]
#define SYSCALL_ARG6 regs[5]
#endif

/* The four programs of a system call's entry point @function, PS_SYS(name) (fentry/fexit,
 * kprobe/kretprobe): @enter takes the caller's registers, @exit the return value, both @arg. */
#define SYSCALL_PROGRAMS(function, arg, enter, exit) SYSCALL_PROGRAMS_(function, arg, enter, exit)
#define SYSCALL_PROGRAMS_(function, arg, enter, exit)                         \
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
