/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a long-running procscope keeps once its programs are attached and its socket is bound:
 * no capability at all where the kernel lets a process read the BPF maps it holds without one
 * (Linux 6.5 moved the unprivileged_bpf_disabled check from every bpf() command to map and
 * program creation, and stable kernels such as Debian's 6.1 took it too: hence a probe, not a
 * version test), else CAP_BPF (CAP_SYS_ADMIN before 5.8, which had no CAP_BPF); an empty
 * bounding set beyond that, no ambient capabilities, and no_new_privs. Threads hold capabilities
 * each: call this before starting any.
 */
#ifndef PS_PRIVILEGES_H
#define PS_PRIVILEGES_H

#include <stdbool.h>
#include <stddef.h>

/* Whether this process may load tracing programs: CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON
 * (since 5.8). */
bool privileges__can_trace(void);

/* A map read with the process's current capabilities: 0, or -errno (-EPERM: not allowed). */
typedef int (*privileges_read_fn)(void *ctx);

/*
 * Learns what @read needs (in a child process that drops everything first), then drops the rest.
 * @ret_kept names what was kept: "none", "cap_bpf" or "cap_sys_admin". Returns 0, or -errno with
 * one line in @err.
 */
int privileges__drop(privileges_read_fn read, void *ctx, const char **ret_kept, char *err,
		     size_t errlen);

/*
 * Installs a seccomp filter that allows the system calls a running daemon makes (serving HTTP,
 * reading maps and ring buffers, walking cgroups, writing its log, stopping) and kills the
 * process on any other. For every thread created after it: call before starting any.
 * Returns 0, or -errno with one line in @err.
 */
int privileges__restrict_syscalls(char *err, size_t errlen);

#endif
