/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The user stack copied for unwinding in user space (trace -U with --ustack=dwarf or auto), as
 * perf's --call-graph dwarf does: the user registers and the top of the stack go into the
 * event, and user space unwinds them with the binaries' call frame information (libdw). The
 * kernel's own walk follows frame pointers, which distributions' builds do not keep.
 */
#ifndef PS_USTACK_BPF_H
#define PS_USTACK_BPF_H

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

/* The kernel stack's size, where bpf_task_pt_regs (5.15) is missing: x86-64 and arm64 keep the
 * user registers at its top, with no padding (task_pt_regs). */
#define PS_THREAD_SIZE 16384

static __always_inline struct pt_regs *ustack__regs(struct task_struct *task)
{
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_task_pt_regs))
		return (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	return (struct pt_regs *)((unsigned long)BPF_CORE_READ(task, stack) + PS_THREAD_SIZE) - 1;
}

_Static_assert(sizeof(struct pt_regs) <= PS_UREGS_SIZE, "PS_UREGS_SIZE too small");

/*
 * Copies the longest readable run of the stack from the stack pointer (rounded down to
 * PS_USTACK_CHUNK) up to cfg.ustack_bytes, in halving pieces: the main thread's stack ends a
 * few KiB above its pointer near main, and a copy that crossed that end would fail whole.
 * Constant sizes keep the verifier's work small (no loop).
 */
#define PS_COPY_PIECE(size)                                                       \
	if ((size) <= cfg.ustack_bytes && off <= cfg.ustack_bytes - (size) &&     \
	    !bpf_probe_read_user(c->data + off, (size), (void *)(c->base + off))) \
		off += (size);

static __always_inline void ustack__copy(struct task_struct *task, struct ps_ustack_copy *c)
{
	struct pt_regs *regs = ustack__regs(task);
	__u32 off = 0;

	__builtin_memset(c->pad, 0, sizeof(c->pad));
	c->start_code = BPF_CORE_READ(task, mm, start_code);
	c->base = 0;
	if (bpf_probe_read_kernel(c->regs, sizeof(struct pt_regs), regs)) {
		c->bytes = 0;
		c->full = 0;
		return;
	}
	c->base = PT_REGS_SP_CORE(regs) & ~(__u64)(PS_USTACK_CHUNK - 1);
	PS_COPY_PIECE(32768)
	PS_COPY_PIECE(16384)
	PS_COPY_PIECE(8192)
	PS_COPY_PIECE(4096)
	PS_COPY_PIECE(2048)
	PS_COPY_PIECE(1024)
	PS_COPY_PIECE(512)
	c->bytes = off;
	c->full = off >= cfg.ustack_bytes;
}
_Static_assert(PS_USTACK_MAX == 32768 && PS_USTACK_CHUNK == 512, "the pieces of ustack__copy");

#endif /* PS_USTACK_BPF_H */
