/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space frames to function+offset, binary and file:line, through elfutils' libdwfl. Frames
 * come as build id + file offset (captured by BPF while the process lived), so they resolve after
 * the process is gone, as long as a file with that build id can be found: the executable (its
 * path comes with the event), the files mapped by the process if it still runs, or those mapped
 * by procscope itself (the C library, the loader). Files are opened once and cached.
 */
#ifndef PS_USERSYM_H
#define PS_USERSYM_H

#include <stdbool.h>
#include <stdint.h>
#include "procscope.h"
#include "stack_frame.h"

struct usersym;

struct usersym *usersym__new(void);
void usersym__free(struct usersym *u);

/*
 * Resolves one frame of process @pid. @exe is the executable's path as captured (relative to
 * its filesystem root). @is_return: the address is a return address (every frame but the
 * first), so the call instruction before it is what is looked up.
 */
void usersym__resolve(struct usersym *u, uint32_t pid, const char *exe,
		      const struct ps_user_frame *f, bool is_return, struct stack_frame *ret_frame);

#endif
