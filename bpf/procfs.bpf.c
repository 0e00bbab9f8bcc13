// SPDX-License-Identifier: GPL-2.0-only
/*
 * Function hit counters along the procfs read paths (fentry and kprobe modes). They show where
 * pseudo-file reads go inside the kernel; the per-file bytes and latency come from vfs.bpf.c.
 * Any of these functions may be missing or inlined on some kernel: the loader then skips its
 * programs with one warning and the counter is reported as unavailable.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"

/* /proc entries whose proc_ops still have .proc_read rather than .proc_read_iter (few remain:
 * seq_file-based entries moved to read_iter in 5.8); reached from vfs_read via f_op->read. */
SEC("fentry/proc_reg_read")
int BPF_PROG(fentry__proc_reg_read, struct file *file)
{
	return hook__count(file, PS_HOOK_PROC_REG_READ);
}

SEC("kprobe/proc_reg_read")
int BPF_KPROBE(kprobe__proc_reg_read, struct file *file)
{
	return hook__count(file, PS_HOOK_PROC_REG_READ);
}

/* The read path of every seq_file-backed /proc entry since 5.8 (proc_ops.proc_read_iter). */
SEC("fentry/proc_reg_read_iter")
int BPF_PROG(fentry__proc_reg_read_iter, struct kiocb *iocb)
{
	return hook__count(BPF_CORE_READ(iocb, ki_filp), PS_HOOK_PROC_REG_READ_ITER);
}

SEC("kprobe/proc_reg_read_iter")
int BPF_KPROBE(kprobe__proc_reg_read_iter, struct kiocb *iocb)
{
	return hook__count(BPF_CORE_READ(iocb, ki_filp), PS_HOOK_PROC_REG_READ_ITER);
}

SEC("fentry/proc_reg_write")
int BPF_PROG(fentry__proc_reg_write, struct file *file)
{
	return hook__count(file, PS_HOOK_PROC_REG_WRITE);
}

SEC("kprobe/proc_reg_write")
int BPF_KPROBE(kprobe__proc_reg_write, struct file *file)
{
	return hook__count(file, PS_HOOK_PROC_REG_WRITE);
}

/* seq_file reads of any filesystem; the filesystem filter keeps only the traced ones. */
SEC("fentry/seq_read_iter")
int BPF_PROG(fentry__seq_read_iter, struct kiocb *iocb)
{
	return hook__count(BPF_CORE_READ(iocb, ki_filp), PS_HOOK_SEQ_READ_ITER);
}

SEC("kprobe/seq_read_iter")
int BPF_KPROBE(kprobe__seq_read_iter, struct kiocb *iocb)
{
	return hook__count(BPF_CORE_READ(iocb, ki_filp), PS_HOOK_SEQ_READ_ITER);
}

/* Runs once per CPU for each complete read of /proc/cpuinfo: the fan-out of a "cheap" file. */
SEC("fentry/show_cpuinfo")
int BPF_PROG(fentry__show_cpuinfo, struct seq_file *m)
{
	return hook__count(BPF_CORE_READ(m, file), PS_HOOK_SHOW_CPUINFO);
}

SEC("kprobe/show_cpuinfo")
int BPF_KPROBE(kprobe__show_cpuinfo, struct seq_file *m)
{
	return hook__count(BPF_CORE_READ(m, file), PS_HOOK_SHOW_CPUINFO);
}

/* Reads and writes of /proc/sys; its first argument has been the kiocb since 5.10. */
SEC("fentry/proc_sys_call_handler")
int BPF_PROG(fentry__proc_sys_call_handler, struct kiocb *iocb)
{
	return hook__count(BPF_CORE_READ(iocb, ki_filp), PS_HOOK_PROC_SYS_CALL_HANDLER);
}

SEC("kprobe/proc_sys_call_handler")
int BPF_KPROBE(kprobe__proc_sys_call_handler, struct kiocb *iocb)
{
	return hook__count(BPF_CORE_READ(iocb, ki_filp), PS_HOOK_PROC_SYS_CALL_HANDLER);
}
