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

/* The user registers at the head of struct pt_regs, which user/stacks/uregs.c reads: the whole
 * struct on x86-64; arm64's begins with struct user_pt_regs (x0-x30, sp, pc, pstate), and what
 * follows is the kernel's own. */
#if defined(__TARGET_ARCH_arm64)
#define PS_UREGS_COPIED sizeof(struct user_pt_regs)
#else
#define PS_UREGS_COPIED sizeof(struct pt_regs)
#endif
_Static_assert(PS_UREGS_COPIED <= PS_UREGS_SIZE, "PS_UREGS_SIZE too small");

/* Below the main thread's first stack pointer by less than this, a stack pointer is the main
 * thread's: other threads' stacks are mapped below the stack's gap (128 MiB at least). */
#define PS_MAIN_STACK_SPAN (64u << 20)

/*
 * Where the stack of a thread ends, when it can be known: the main thread's mapping ends just
 * above the environment's strings (mm->env_end). 0 when not known (another thread's stack).
 */
static __always_inline __u64 stack_end(struct mm_struct *mm, __u64 sp)
{
	__u64 start = BPF_CORE_READ(mm, start_stack);

	return sp <= start && start - sp < PS_MAIN_STACK_SPAN ? BPF_CORE_READ(mm, env_end) : 0;
}

/* What a page never touched holds, copied for it without a fault per piece. */
static const char untouched[PS_USTACK_CHUNK];

#define PS_PAGE_SIZE 4096ull /* the smallest: a larger page only costs more faults */

/*
 * Copies cfg.ustack_bytes of the stack from the stack pointer (rounded down to
 * PS_USTACK_CHUNK), in pieces of PS_USTACK_CHUNK, up to the stack's end where it is known. A
 * page never touched (a large local array, partly used) cannot be read without a fault: in a
 * stack whose end is known it is copied as zeros, which it holds, and the copy goes on; in
 * another the copy ends there (as perf's), marked short. A failed read costs a fault, a few
 * microseconds: the rest of its page is not read again, and the main thread's end is not read
 * across.
 */
/* ustack__copy's state of the pages: no page absent yet, in a stack whose end is known or not;
 * else the absent page's address (page-aligned: never one of these). */
#define PS_NONE_ABSENT 1
#define PS_STOP_AT_ABSENT 3

static __always_inline void ustack__copy(struct task_struct *task, struct ps_ustack_copy *c)
{
	struct pt_regs *regs = ustack__regs(task);
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	__u32 off, limit = cfg.ustack_bytes;
	__u64 end, absent;

	__builtin_memset(c->pad, 0, sizeof(c->pad));
	c->start_code = BPF_CORE_READ(mm, start_code);
	c->base = 0;
	c->bytes = 0;
	c->full = 0;
	c->short_read = 0;
	if (bpf_probe_read_kernel(c->regs, PS_UREGS_COPIED, regs))
		return;
	c->base = PT_REGS_SP_CORE(regs) & ~(__u64)(PS_USTACK_CHUNK - 1);
	end = stack_end(mm, PT_REGS_SP_CORE(regs));
	if (end > c->base && end - c->base < limit)
		limit = (__u32)(end - c->base) & ~(__u32)(PS_USTACK_CHUNK - 1);
	/* Few values live through the loop's helper calls: each more one would take stack, which
	 * the programs that call global functions share (512 bytes: 6.1 counts them). */
	absent = end ? PS_NONE_ABSENT : PS_STOP_AT_ABSENT;
	for (off = 0; off < PS_USTACK_MAX; off += PS_USTACK_CHUNK) {
		/* The first test, between two constants, is for the verifier: 5.10 does not see
		 * that the second (a constant against a bounded number) ends the loop as soon. */
		if (off > cfg.ustack_bytes - PS_USTACK_CHUNK || off + PS_USTACK_CHUNK > limit)
			break;
		if (((c->base + off) & ~(PS_PAGE_SIZE - 1)) == absent) {
			bpf_probe_read_kernel(c->data + off, PS_USTACK_CHUNK, untouched);
		} else if (bpf_probe_read_user(c->data + off, PS_USTACK_CHUNK,
					       (void *)(c->base + off))) {
			if (absent == PS_STOP_AT_ABSENT) {
				c->short_read = 1;
				break;
			}
			absent = (c->base + off) & ~(PS_PAGE_SIZE - 1);
		}
	}
	c->bytes = off;
	c->full = off >= cfg.ustack_bytes;
}

#endif /* PS_USTACK_BPF_H */
