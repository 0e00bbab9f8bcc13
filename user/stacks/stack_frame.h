/* SPDX-License-Identifier: GPL-2.0-only */
/* One symbolized frame of a kernel or user stack, as every output shows it. */
#ifndef PS_STACK_FRAME_H
#define PS_STACK_FRAME_H

#include <stdbool.h>
#include <stdint.h>
#include "procscope.h"

struct stack_frame {
	uint64_t addr;	 /* kernel address; for user frames the address within the binary */
	uint64_t offset; /* from the start of symbol */
	uint32_t line;	 /* 0: no line information */
	bool resolved;	 /* symbol is a name, not "[unknown]" */
	bool kernel;
	bool inlined; /* a function the compiler inlined into the next frame's */
	char symbol[128];
	char object[256]; /* "kernel", a module name, or the binary's path */
	char source[256]; /* source file, when debug information has it */
};

/* User frames shown at most: unwound frames and the functions inlined into them. */
#define USER_FRAMES_MAX 128

/* The symbolized stacks of one event, innermost frame first (as captured). */
struct event_stacks {
	bool has_kernel, has_user; /* captured (-K, -U) */
	bool user_truncated;	   /* the user stack goes on beyond its frames */
	int nkernel, nuser;
	struct stack_frame kernel[PS_STACK_MAX];
	struct stack_frame user[USER_FRAMES_MAX];
};

#endif
