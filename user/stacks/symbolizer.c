// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include "symbolizer.h"
#include "unwind.h"

int symbolizer__open(struct symbolizer *s, uint8_t stacks, bool *ret_hidden)
{
	FILE *in;

	memset(s, 0, sizeof(*s));
	*ret_hidden = false;
	if (stacks & PS_STACK_KERNEL) {
		in = fopen("/proc/kallsyms", "re");
		if (!in)
			return -errno;
		s->kernel = kallsyms__parse(in);
		fclose(in);
		if (!s->kernel)
			return -errno;
		*ret_hidden = kallsyms__hidden(s->kernel);
	}
	if (stacks & PS_STACK_USER) {
		s->user = usersym__new();
		s->unwind = unwinder__new();
		if (!s->user || !s->unwind) {
			symbolizer__close(s);
			return -ENOMEM;
		}
	}
	return 0;
}

void symbolizer__close(struct symbolizer *s)
{
	kallsyms__free(s->kernel);
	usersym__free(s->user);
	unwinder__free(s->unwind);
	memset(s, 0, sizeof(*s));
}

/* Farther than this from the nearest symbol below, an address is in no symbol kallsyms lists
 * (a BPF program when net.core.bpf_jit_kallsyms is off, say): no function is this large. */
#define MAX_SYMBOL_OFFSET 0x100000

/* The frames the tracer itself adds on top of the kernel's own: its BPF program and trampoline,
 * and the tracepoint machinery that calls it (__traceiter_*: when more than one program is on
 * the tracepoint). */
static bool tracer_frame(const struct stack_frame *f)
{
	return !f->resolved || !strcmp(f->object, "bpf") ||
	       !strncmp(f->symbol, "bpf_trace_run", 13) ||
	       !strncmp(f->symbol, "__bpf_trace_", 12) || !strncmp(f->symbol, "__traceiter_", 12);
}

static void kernel_frame(const struct kallsyms *ks, uint64_t addr, struct stack_frame *ret_frame)
{
	const char *name, *module;

	memset(ret_frame, 0, sizeof(*ret_frame));
	ret_frame->kernel = true;
	ret_frame->addr = addr;
	if (ks && kallsyms__lookup(ks, addr, &name, &module, &ret_frame->offset) &&
	    ret_frame->offset < MAX_SYMBOL_OFFSET) {
		snprintf(ret_frame->symbol, sizeof(ret_frame->symbol), "%s", name);
		snprintf(ret_frame->object, sizeof(ret_frame->object), "%s", module);
		ret_frame->resolved = true;
	} else {
		snprintf(ret_frame->symbol, sizeof(ret_frame->symbol), "[unknown]");
		snprintf(ret_frame->object, sizeof(ret_frame->object), "kernel");
	}
}

/* Puts the traced function on top of a stack taken after it returned (see symbolizer.h). */
static void put_back_function(const struct kallsyms *ks, const char *func, struct event_stacks *st)
{
	struct stack_frame *top = &st->kernel[0];
	int n = st->nkernel < PS_STACK_MAX ? st->nkernel : PS_STACK_MAX - 1;
	uint64_t addr = 0;

	if (!st->nkernel || !strcmp(top->symbol, func))
		return;
	memmove(&st->kernel[1], &st->kernel[0], (size_t)n * sizeof(st->kernel[0]));
	st->nkernel = n + 1;
	if (ks)
		kallsyms__address(ks, func, &addr);
	memset(top, 0, sizeof(*top));
	top->kernel = true;
	top->resolved = true;
	top->addr = addr;
	snprintf(top->symbol, sizeof(top->symbol), "%s", func);
	snprintf(top->object, sizeof(top->object), "kernel");
}

/* The user stack as the kernel walked it by frame pointers. */
static void walked_user_stack(struct symbolizer *s, const struct ps_event *e,
			      const struct ps_stacks *st, const char *exe, int nwalked,
			      struct event_stacks *ret_stacks)
{
	for (int i = 0; i < nwalked && ret_stacks->nuser < USER_FRAMES_MAX; i++)
		ret_stacks->nuser += usersym__resolve(s->user, e->pid, exe, &st->ustack[i], i > 0,
						      &ret_stacks->user[ret_stacks->nuser],
						      USER_FRAMES_MAX - ret_stacks->nuser);
	/* the kernel walks PS_STACK_MAX frames at most */
	ret_stacks->user_truncated = nwalked == PS_STACK_MAX;
}

/*
 * The user stack unwound from its copy, when that finds at least as many frames as the walk
 * (the walk wins where the copy falls short: a frame-pointer build whose stack is deeper than
 * the copy). Returns false when the walk is to be shown.
 */
static bool unwound_user_stack(struct symbolizer *s, const struct ps_event *e,
			       const struct ps_stacks *st, const struct ps_ustack_copy *copy,
			       const char *exe, int nwalked, struct event_stacks *ret_stacks)
{
	struct unwound_frame *f = s->unwound;
	bool truncated;
	int n;

	n = unwinder__unwind(s->unwind, s->user, e->pid, e->tid, copy,
			     nwalked ? &st->ustack[0] : NULL, exe, f, USER_FRAMES_MAX, &truncated);
	if (!n || n < nwalked)
		return false;
	for (int i = 0; i < n && ret_stacks->nuser < USER_FRAMES_MAX; i++)
		ret_stacks->nuser += usersym__resolve_vaddr(
			s->user, f[i].file, f[i].vaddr, f[i].is_return,
			&ret_stacks->user[ret_stacks->nuser], USER_FRAMES_MAX - ret_stacks->nuser);
	ret_stacks->user_truncated = truncated || ret_stacks->nuser == USER_FRAMES_MAX;
	return true;
}

void symbolizer__event(struct symbolizer *s, const struct ps_event *e, const struct ps_stacks *st,
		       const struct ps_ustack_copy *copy, const char *func,
		       struct event_stacks *ret_stacks)
{
	int nk = st->kstack_bytes > 0 ? st->kstack_bytes / (int)sizeof(st->kstack[0]) : 0;
	int nu = st->ustack_bytes > 0 ? st->ustack_bytes / (int)sizeof(st->ustack[0]) : 0;
	char exe[PS_PATH_LEN];
	bool top = true;

	ret_stacks->has_kernel = s->kernel != NULL;
	ret_stacks->has_user = s->user != NULL;
	ret_stacks->nkernel = 0;
	ret_stacks->nuser = 0;
	ret_stacks->user_truncated = false;
	for (int i = 0; i < nk && i < PS_STACK_MAX; i++) {
		struct stack_frame *f = &ret_stacks->kernel[ret_stacks->nkernel];

		kernel_frame(s->kernel, st->kstack[i], f);
		/* Without symbols the tracer's frames cannot be told apart: all are kept. */
		if (top && s->kernel && !kallsyms__hidden(s->kernel) && tracer_frame(f))
			continue;
		top = false;
		ret_stacks->nkernel++;
	}
	if (func && s->kernel)
		put_back_function(s->kernel, func, ret_stacks);
	if (!s->user)
		return;
	if (st->exe_truncated)
		exe[0] = '\0';
	else
		snprintf(exe, sizeof(exe), "%.*s", (int)sizeof(st->exe), st->exe);
	for (int i = 0; i < nu && i < PS_STACK_MAX; i++)
		if (st->ustack[i].status == BPF_STACK_BUILD_ID_EMPTY)
			nu = i;
	if (copy && unwound_user_stack(s, e, st, copy, exe, nu, ret_stacks))
		return;
	walked_user_stack(s, e, st, exe, nu, ret_stacks);
}

void symbolizer__mapped(struct symbolizer *s, const struct ps_event *e,
			const struct ps_map_event *m)
{
	char path[PS_PATH_LEN];

	if (!s->unwind || e->truncated)
		return;
	snprintf(path, sizeof(path), "%.*s", (int)sizeof(e->path), e->path);
	unwinder__mapped(s->unwind, e->pid, m, path);
}
