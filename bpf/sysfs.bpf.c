// SPDX-License-Identifier: GPL-2.0-only
/*
 * Function hit counters of the kernfs file operations behind sysfs (and cgroupfs) attributes,
 * in the fentry and kprobe modes. A missing function is skipped by the loader with a warning.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"

SEC("fentry/kernfs_fop_read_iter")
int BPF_PROG(fentry__kernfs_fop_read_iter, struct kiocb *iocb)
{
	return hook__count(BPF_CORE_READ(iocb, ki_filp), PS_HOOK_KERNFS_FOP_READ_ITER);
}

SEC("kprobe/kernfs_fop_read_iter")
int BPF_KPROBE(kprobe__kernfs_fop_read_iter, struct kiocb *iocb)
{
	return hook__count(BPF_CORE_READ(iocb, ki_filp), PS_HOOK_KERNFS_FOP_READ_ITER);
}

SEC("fentry/kernfs_fop_write_iter")
int BPF_PROG(fentry__kernfs_fop_write_iter, struct kiocb *iocb)
{
	return hook__count(BPF_CORE_READ(iocb, ki_filp), PS_HOOK_KERNFS_FOP_WRITE_ITER);
}

SEC("kprobe/kernfs_fop_write_iter")
int BPF_KPROBE(kprobe__kernfs_fop_write_iter, struct kiocb *iocb)
{
	return hook__count(BPF_CORE_READ(iocb, ki_filp), PS_HOOK_KERNFS_FOP_WRITE_ITER);
}
