/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Attaching a kprobe or kretprobe to a kernel function by its name, also where the core image has
 * several static functions of that name (arm64's c_show: /proc/cpuinfo's and another's), which
 * the kernel refuses to probe by name (EADDRNOTAVAIL): the probe then goes at the address of the
 * lowest of them, the one the kernel's own name lookup, and so an fentry program, takes. The
 * loader's hooks and trace FUNC's probes both attach through here.
 */
#ifndef PS_KPROBE_H
#define PS_KPROBE_H

#include <stdbool.h>
#include <bpf/libbpf.h>

/* The link, or NULL with errno set (the by-name attach's errno when no address helps). */
struct bpf_link *kprobe__attach(struct bpf_program *prog, bool retprobe, const char *function);

#endif
