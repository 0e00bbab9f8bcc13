// SPDX-License-Identifier: GPL-2.0-only
/*
 * Opens, for the audit's mem rule (a process that opens another's /proc/PID/mem has its address
 * space in hand, whether it reads now, later, or passes the descriptor on). fd_install is where
 * every successfully opened file gets its descriptor, in the opener's context, whatever system
 * call (open, openat, openat2, io_uring's non-fixed opens) or SCM_RIGHTS receipt led there; it
 * exists and is not inlined on every kernel from 5.10 up. Attached only when auditing. The
 * tracepoint mode sees the open system calls' returns instead (bpf/syscalls.bpf.c).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"

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
