// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tracepoint mode, for kernels that allow neither fentry nor kprobes: BTF-typed raw
 * tracepoints on sys_enter and sys_exit, filtered to the read and write families (and the opens
 * and listings of bpf/walk.bpf.h), with the fd resolved to its struct file here. tp_btf needs no
 * tracefs, reads the syscall's registers with direct loads, and was measured about 2.5 times
 * cheaper than classic syscall tracepoints with probe-read chains (shared/NOTES.md). Only system
 * calls are seen: kernel-internal reads are not.
 *
 * The system calls and their numbers: PS_SYSCALLS in procscope.h.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"
#include "fd.bpf.h"
#include "walk.bpf.h"
#include "syscall_programs.bpf.h"

#define PS_PROT_EXEC 0x4 /* mmap's prot: the mapping holds code */

/* PS_NR_name: the system call's number on the architecture built for (PS_NR_NONE if none). */
#define SYSCALL_NR_ENUM(name, x86_64, arm64, op) PS_NR_##name = PS_NR(x86_64, arm64),
enum { PS_SYSCALLS(SYSCALL_NR_ENUM) };

/* One test per system call this architecture has: the compiler drops the others and makes a
 * switch of the rest; no number of PS_SYSCALLS is negative, so neither is a match. */
#define SYSCALL_OP(name, x86_64, arm64, op)                   \
	if (PS_NR_##name != PS_NR_NONE && id == PS_NR_##name) \
		return op;

/* The enum ps_op of a system call of PS_SYSCALLS, -1 for any other. */
static __always_inline int syscall_op(long id)
{
	PS_SYSCALLS(SYSCALL_OP)
	return -1;
}

/* Whether a system call walks rather than reads (bpf/walk.bpf.h). */
static __always_inline bool walk_op(int op)
{
	return op == PS_OP_OPEN || op == PS_OP_READDIR || op == PS_OP_READLINK || op == PS_OP_STAT;
}

/* The walk program of a walking system call @nr of kind @op (walk_enter_call, walk_exit_call):
 * 0 opens and listings, 1 the calls by name, 2 fstat. */
static __always_inline __u32 walk_program(long nr, int op)
{
	if (nr == PS_NR_fstat)
		return 2;
	return op == PS_OP_READLINK || op == PS_OP_STAT;
}

/* Whether a system call is a door into another process (bpf/audit.bpf.h). */
static __always_inline bool door_op(int op)
{
	return op == PS_OP_ATTACH || op == PS_OP_VM_READ || op == PS_OP_VM_WRITE ||
	       op == PS_OP_GETFD;
}

/* A door's entry: ptrace's attach requests only; the others name their target first. */
static __always_inline int door_sys_enter(const struct pt_regs *regs, int op)
{
	if (op != PS_OP_ATTACH)
		audit__door_enter(op, (int)regs->SYSCALL_ARG1);
	else if (ptrace_is_attach(regs->SYSCALL_ARG1))
		audit__door_enter(op, (int)regs->SYSCALL_ARG2);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(tp__sys_enter, struct pt_regs *regs, long id)
{
	int op = syscall_op(id);

	if (cfg.doors && door_op(op))
		return door_sys_enter(regs, op);

	if (cfg.walks && walk_op(op)) {
		bpf_tail_call(ctx, &walk_enter_call, walk_program(id, op));
		return 0;
	}
	/* Opens and listings need this program; reads and writes with --no-latency do not. */
	if ((op != PS_OP_READ && op != PS_OP_WRITE) || cfg.no_latency)
		return 0;
	return account__enter(ctx, fd_to_file(regs->SYSCALL_ARG1), false, -1);
}

/* The file comes from the entry: resolving the fd again would cost eight helper calls on every
 * read and write of every file, a map lookup costs one. */
SEC("tp_btf/sys_exit")
int BPF_PROG(tp__sys_exit, struct pt_regs *regs, long ret)
{
	long nr = regs->SYSCALL_NR;
	int op = syscall_op(nr);

	/* The audit's opens (see bpf/audit.bpf.c): the new descriptor is the return value. */
	if (op == PS_OP_OPEN && cfg.audit_rules && ret >= 0)
		audit__open(fd_to_file(ret), false);
	if (cfg.doors && door_op(op)) {
		audit__door_exit(ret);
		return 0;
	}
	if (cfg.walks && walk_op(op)) {
		bpf_tail_call(ctx, &walk_exit_call, walk_program(nr, op));
		return 0;
	}
	if (op != PS_OP_READ && op != PS_OP_WRITE)
		return 0;
	/* With --no-latency there is no entry to take the file from. */
	return account__exit(ctx, cfg.no_latency ? fd_to_file(regs->SYSCALL_ARG1) : NULL, false, op,
			     PS_FUNC_SYSCALL | (__u32)nr, ret);
}

/*
 * trace -U with a copy of the stack (PS_USTACK_COPY), in every mode: each file a selected process
 * maps executable (a library, by the dynamic loader or dlopen) as a PS_OP_MAP record, for the
 * unwinder to place the library when the process is gone before its events are read. The
 * executable itself comes with each event (mm->start_code).
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(tp__ustack_mmap, struct pt_regs *regs, long ret)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct ps_key_scratch *scratch;
	struct ps_map_event *m;
	struct ps_event *e;
	struct file *file;

	if (regs->SYSCALL_NR != PS_NR_mmap || ret < 0 || !(regs->SYSCALL_ARG3 & PS_PROT_EXEC) ||
	    !current_selected())
		return 0;
	file = fd_to_file(regs->SYSCALL_ARG5);
	if (!file)
		return 0;
	e = trace__reserve_size(&scratch, sizeof(*e) + sizeof(*m));
	if (!e)
		return 0;
	__builtin_memset(&scratch->key, 0, sizeof(scratch->key));
	path__build(scratch, BPF_CORE_READ(file, f_path.dentry), BPF_CORE_READ(file, f_path.mnt),
		    false);
	bpf_probe_read_kernel(e->path, sizeof(e->path), scratch->key.path); /* see path__exe */
	e->truncated = scratch->key.truncated;
	trace__head(e, 0, PS_OP_MAP, 0, ret, 0);
	e->has_stacks = 0;
	m = (struct ps_map_event *)(e + 1);
	m->start = ret;
	m->len = regs->SYSCALL_ARG2;
	m->offset = regs->SYSCALL_ARG6;
	m->start_code = BPF_CORE_READ(task, mm, start_code);
	trace__submit(e);
	return 0;
}

/*
 * Opens and listings (bpf/walk.bpf.h): programs of their own, which the two above reach by tail
 * call for those system calls only: each is checked for its own calls (together, before the path
 * walks were global functions, they took 5.10's verifier past its million instructions), and two
 * more programs attached to the tracepoints would run on every system call of the host.
 */

/* Where an open system call has its name, and the directory it is relative to. */
static __always_inline const char *open_name(const struct pt_regs *regs, long nr, int *ret_dfd)
{
	if (nr == PS_NR_open || nr == PS_NR_creat) {
		*ret_dfd = PS_AT_FDCWD;
		return (const char *)regs->SYSCALL_ARG1;
	}
	*ret_dfd = (int)regs->SYSCALL_ARG1;
	return (const char *)regs->SYSCALL_ARG2;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(tp__walk_enter, struct pt_regs *regs, long id)
{
	int op = syscall_op(id), dfd;
	const char *name;

	if (op == PS_OP_OPEN) {
		name = open_name(regs, id, &dfd);
		return walk__open_enter(ctx, name, dfd, true, -1);
	}
	if (op == PS_OP_READDIR)
		return walk__dir_enter(ctx, fd_to_file(regs->SYSCALL_ARG1), regs->SYSCALL_ARG2, -1);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(tp__walk_exit, struct pt_regs *regs, long ret)
{
	long nr = regs->SYSCALL_NR;
	int op = syscall_op(nr);
	__u32 func = PS_FUNC_SYSCALL | (__u32)nr;

	if (op == PS_OP_OPEN)
		return walk__open_exit(ctx, ret >= 0 ? fd_to_file(ret) : NULL, ret, func);
	if (op == PS_OP_READDIR)
		return walk__dir_exit(ctx, ret, func);
	return 0;
}

/* Calls by name that open nothing (bpf/walk.bpf.h): link reads and the stat family; fstat, by
 * descriptor, has programs of its own. */
SEC("tp_btf/sys_enter")
int BPF_PROG(tp__name_enter, struct pt_regs *regs, long id)
{
	if (id == PS_NR_readlink || id == PS_NR_stat || id == PS_NR_lstat)
		return walk__name_enter(ctx, (const char *)regs->SYSCALL_ARG1, PS_AT_FDCWD, -1);
	return walk__name_enter(ctx, (const char *)regs->SYSCALL_ARG2, (int)regs->SYSCALL_ARG1, -1);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(tp__name_exit, struct pt_regs *regs, long ret)
{
	long nr = regs->SYSCALL_NR;
	__u32 func = PS_FUNC_SYSCALL | (__u32)nr;

	if (syscall_op(nr) == PS_OP_READLINK)
		return walk__name_exit(ctx, ret, func, PS_WALK_READLINK, PS_OP_READLINK, false);
	return walk__name_exit(ctx, ret, func, PS_WALK_STAT, PS_OP_STAT, false);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(tp__fd_enter, struct pt_regs *regs, long id)
{
	return walk__fd_enter(ctx, (int)regs->SYSCALL_ARG1, -1);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(tp__fd_exit, struct pt_regs *regs, long ret)
{
	return walk__name_exit(ctx, ret, PS_FUNC_SYSCALL | (__u32)regs->SYSCALL_NR, PS_WALK_STAT,
			       PS_OP_STAT, true);
}
