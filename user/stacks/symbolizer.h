/* SPDX-License-Identifier: GPL-2.0-only */
/* The stacks of a trace event, symbolized: kernel frames from kallsyms, user frames by usersym. */
#ifndef PS_SYMBOLIZER_H
#define PS_SYMBOLIZER_H

#include "kallsyms.h"
#include "stack_frame.h"
#include "unwind.h"
#include "usersym.h"

struct symbolizer {
	struct kallsyms *kernel;		       /* NULL without -K */
	struct usersym *user;			       /* NULL without -U */
	struct unwinder *unwind;		       /* with user */
	struct unwound_frame unwound[USER_FRAMES_MAX]; /* of the event at hand */
};

/*
 * Prepares for @stacks (PS_STACK_*): reads /proc/kallsyms for kernel stacks. Returns 0 or
 * -errno; *ret_hidden tells that kernel.kptr_restrict hides the kernel's addresses.
 */
int symbolizer__open(struct symbolizer *s, uint8_t stacks, bool *ret_hidden);
void symbolizer__close(struct symbolizer *s);

/*
 * Both stacks of an event, innermost frame first; procscope's own BPF frames are left out. The
 * user stack is unwound from @copy when the event has one (NULL: the kernel's frame-pointer
 * walk alone), see unwind.h.
 * @func names the kernel function of the event (NULL for a system call): its stack is taken at
 * the function's return, where kretprobes (and fexit on newer kernels) no longer show the
 * function itself, so it is put back on top when it is missing there.
 */
void symbolizer__event(struct symbolizer *s, const struct ps_event *e, const struct ps_stacks *st,
		       const struct ps_ustack_copy *copy, const char *func,
		       struct event_stacks *ret_stacks);

/* A file process @e->pid mapped executable (PS_OP_MAP): kept for the unwinder. */
void symbolizer__mapped(struct symbolizer *s, const struct ps_event *e,
			const struct ps_map_event *m);

#endif
