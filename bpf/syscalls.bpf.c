// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tracepoint mode, for kernels that allow neither fentry nor kprobes: BTF-typed raw
 * tracepoints on sys_enter and sys_exit, filtered to the read and write families, with the fd
 * resolved to its struct file here. tp_btf needs no tracefs, reads the syscall's registers with
 * direct loads, and was measured about 2.5 times cheaper than classic syscall tracepoints with
 * probe-read chains (shared/NOTES.md). Only system calls are seen: kernel-internal reads are not.
 *
 * The system calls and their numbers: PS_SYSCALLS in procscope.h.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"

#define SYSCALL_CASE(name, nr, op) \
	case nr:                   \
		return op;

/* The enum ps_op of a system call of PS_SYSCALLS, -1 for any other. */
static __always_inline int syscall_op(long id)
{
	switch (id) {
		PS_SYSCALLS(SYSCALL_CASE)
	default:
		return -1;
	}
}

/*
 * current->files->fdt->fd[fd], or NULL when fd is out of the table's range. Since 5.11 the task
 * comes typed (bpf_get_current_task_btf) and the walk to the table is plain loads; before, every
 * step is a helper call. The relocation makes the test a constant, so 5.10's verifier never sees
 * the newer helper.
 */
static __always_inline struct file *fd_to_file(unsigned long fd)
{
	struct file *file = NULL;
	unsigned long fds;

	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_current_task_btf)) {
		struct fdtable *fdt = bpf_get_current_task_btf()->files->fdt;

		if (!fdt || fd >= fdt->max_fds)
			return NULL;
		fds = (unsigned long)fdt->fd;
	} else {
		struct task_struct *task = (struct task_struct *)bpf_get_current_task();
		struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);

		if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds))
			return NULL;
		fds = (unsigned long)BPF_CORE_READ(fdt, fd);
	}
	/* A scalar address from here: the verifier allows no index into a typed pointer. */
	barrier_var(fds);
	bpf_probe_read_kernel(&file, sizeof(file), (void *)(fds + fd * sizeof(file)));
	return file;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(tp__sys_enter, struct pt_regs *regs, long id)
{
	int op = syscall_op(id);

	if (op != PS_OP_READ && op != PS_OP_WRITE)
		return 0;
	return account__enter(ctx, fd_to_file(regs->di), false, -1);
}

/* The file comes from the entry: resolving the fd again would cost eight helper calls on every
 * read and write of every file, a map lookup costs one. */
SEC("tp_btf/sys_exit")
int BPF_PROG(tp__sys_exit, struct pt_regs *regs, long ret)
{
	long nr = regs->orig_ax;
	int op = syscall_op(nr);

	/* The audit's opens (see bpf/audit.bpf.c): the new descriptor is the return value. */
	if (op == PS_OP_OPEN && cfg.audit_rules && ret >= 0)
		return audit__open(fd_to_file(ret), false);
	if (op != PS_OP_READ && op != PS_OP_WRITE)
		return 0;
	/* With --no-latency there is no entry to take the file from. */
	return account__exit(ctx, cfg.no_latency ? fd_to_file(regs->di) : NULL, false, op,
			     PS_FUNC_SYSCALL | (__u32)nr, ret);
}
