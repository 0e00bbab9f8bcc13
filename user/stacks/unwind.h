/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User stacks unwound from the copy an event carries (--ustack=dwarf|auto): the registers and
 * the top of the stack, unwound with the binaries' call frame information (.eh_frame,
 * .debug_frame) by elfutils' libdwfl, as perf's libdw unwinder does; a frame whose code has
 * none is stepped by its frame pointer (libdwfl's own fallback).
 *
 * The binaries are placed where the process mapped them: from /proc/PID/maps while it runs
 * (kept per process, so the later events of a process that exited still find them), else from
 * what the kernel told: the executable at its code's start (mm->start_code, in each event), the
 * libraries it mapped since procscope started (PS_OP_MAP records) and the file of the
 * instruction pointer, named by the build id the kernel gave for the first frame.
 */
#ifndef PS_UNWIND_H
#define PS_UNWIND_H

#include <stdbool.h>
#include <stdint.h>
#include "procscope.h"
#include "usersym.h"

struct unwinder;

struct unwound_frame {
	uint64_t pc;	  /* in the process */
	const char *file; /* the binary, or NULL when no mapping holds pc; valid until the next
			   * unwind */
	uint64_t vaddr;	  /* pc as an address of that binary (before relocation) */
	bool is_return;	  /* a return address: the call before it is the frame's place */
};

struct unwinder *unwinder__new(void);
void unwinder__free(struct unwinder *w);

/*
 * Unwinds thread @tid of process @pid from @copy into at most @max frames, innermost first.
 * @top is the first frame the kernel gave (build id and file offset of the instruction
 * pointer), @exe the executable's path as captured; @u finds files by build id. Returns the
 * number of frames; *ret_truncated tells that the stack goes on beyond them: the unwind needed
 * memory above a copy that was full, or @max was reached.
 */
int unwinder__unwind(struct unwinder *w, struct usersym *u, uint32_t pid, uint32_t tid,
		     const struct ps_ustack_copy *copy, const struct ps_user_frame *top,
		     const char *exe, struct unwound_frame *ret_frames, int max,
		     bool *ret_truncated);

/* A file process @pid mapped executable, named @path (a PS_OP_MAP record): where the
 * unwinder places that library once the process is gone. */
void unwinder__mapped(struct unwinder *w, uint32_t pid, const struct ps_map_event *m,
		      const char *path);

#endif
