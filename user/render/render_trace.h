/* SPDX-License-Identifier: GPL-2.0-only */
/* `procscope trace` output: one line or one JSON object per event. No I/O of its own. */
#ifndef PS_RENDER_TRACE_H
#define PS_RENDER_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "core/pathfmt.h"
#include "procscope.h"
#include "stacks/stack_frame.h"

/* What turns an event into output: the clock mapping of its monotonic timestamp to wall-clock
 * time and seconds since the start, and the names of the traced functions (FUNC arguments). */
struct trace_view {
	uint64_t mono_start_ns;
	struct timespec wall_start;
	const char *const *funcs;
	int nfuncs;
};

/* The paths of an event as shown: raw with its mount prefix, and normalized. */
struct trace_paths {
	char raw[PS_DISPLAY_PATH_LEN];
	char normalized[PS_DISPLAY_PATH_LEN];
};

/* "vfs_read", "pread64", ...: the kernel function or system call of an event. */
const char *trace__func_name(const struct trace_view *v, uint32_t func);
/* The FUNC of event @e as shown: its function or system call, "mmap_lock" for a stall. */
const char *trace__event_func(const struct trace_view *v, const struct ps_event *e);
/* The kernel function whose return took @e's kernel stack, to put back on top where the stack
 * misses it; NULL for system calls and stalls. */
const char *trace__stack_func(const struct trace_view *v, const struct ps_event *e);
void trace__paths(const struct ps_event *e, struct trace_paths *ret_paths);
/* Whether --path GLOB matches the raw or the normalized path (fnmatch, '*' crosses '/'). */
bool trace__path_matches(const struct trace_paths *p, const char *glob);

void render_trace__header(FILE *out);
/* One event; @stacks is NULL without -K/-U. A table prints the frames below the event line,
 * innermost first; JSON has "kstack" and "ustack" arrays of frame objects. */
void render_trace__table(FILE *out, const struct ps_event *e, const struct trace_paths *p,
			 const struct event_stacks *stacks, const struct trace_view *v);
void render_trace__json(FILE *out, const struct ps_event *e, const struct trace_paths *p,
			const struct event_stacks *stacks, const struct trace_view *v);
/* The closing record of a --json trace: {"received": N, "lost": M, "ustacks_truncated": T}. */
void render_trace__json_summary(FILE *out, uint64_t received, uint64_t lost,
				uint64_t ustacks_truncated);

#endif
