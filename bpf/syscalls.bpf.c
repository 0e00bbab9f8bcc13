// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tracepoint mode, for kernels that allow neither fentry nor kprobes: BTF-typed raw
 * tracepoints on sys_enter and sys_exit, filtered to the read and write families, with the fd
 * resolved to its struct file here. tp_btf needs no tracefs, reads the syscall's registers with
 * direct loads, and was measured about 2.5 times cheaper than classic syscall tracepoints with
 * probe-read chains (shared/NOTES.md). Only system calls are seen: kernel-internal reads are not.
 *
 * The numbers are x86_64's; 32-bit compat system calls use other numbers and are not counted.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"

#define NR_read 0
#define NR_write 1
#define NR_pread64 17
#define NR_pwrite64 18
#define NR_readv 19
#define NR_writev 20
#define NR_preadv 295
#define NR_pwritev 296
#define NR_preadv2 327
#define NR_pwritev2 328
#define NR_open 2
#define NR_creat 85
#define NR_openat 257
#define NR_openat2 437

/* enum ps_op of a read or write family system call, -1 for any other. */
static __always_inline int syscall_op(long id)
{
	switch (id) {
	case NR_read:
	case NR_pread64:
	case NR_readv:
	case NR_preadv:
	case NR_preadv2:
		return PS_OP_READ;
	case NR_write:
	case NR_pwrite64:
	case NR_writev:
	case NR_pwritev:
	case NR_pwritev2:
		return PS_OP_WRITE;
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
	if (syscall_op(id) < 0)
		return 0;
	return account__enter(ctx, fd_to_file(regs->di), false, -1);
}

static __always_inline bool syscall_opens(long id)
{
	return id == NR_open || id == NR_openat || id == NR_openat2 || id == NR_creat;
}

/* The file comes from the entry: resolving the fd again would cost eight helper calls on every
 * read and write of every file, a map lookup costs one. */
SEC("tp_btf/sys_exit")
int BPF_PROG(tp__sys_exit, struct pt_regs *regs, long ret)
{
	long nr = regs->orig_ax;
	int op = syscall_op(nr);

	/* The audit's opens (see bpf/audit.bpf.c): the new descriptor is the return value. */
	if (op < 0 && cfg.audit_rules && syscall_opens(nr) && ret >= 0)
		return audit__open(fd_to_file(ret), false);
	if (op < 0)
		return 0;
	/* With --no-latency there is no entry to take the file from. */
	return account__exit(ctx, cfg.no_latency ? fd_to_file(regs->di) : NULL, false, op,
			     PS_FUNC_SYSCALL | (__u32)nr, ret);
}
