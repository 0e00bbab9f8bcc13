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
 * Resolves one frame of process @pid into @ret_frames: the function, and before it, innermost
 * first, the functions inlined into it at that place (debug information tells them). Returns
 * how many frames (1 to @max). @exe is the executable's path as captured (relative to its
 * filesystem root). @is_return: the address is a return address (every frame but the first),
 * so the call instruction before it is what is looked up.
 */
int usersym__resolve(struct usersym *u, uint32_t pid, const char *exe,
		     const struct ps_user_frame *f, bool is_return, struct stack_frame *ret_frames,
		     int max);

/* The same for address @vaddr of binary @path (before relocation; NULL: not in a binary). */
int usersym__resolve_vaddr(struct usersym *u, const char *path, uint64_t vaddr, bool is_return,
			   struct stack_frame *ret_frames, int max);

/* The path of the file with GNU build id @build_id (found as for usersym__resolve), or NULL. */
const char *usersym__file_of_build_id(struct usersym *u, uint32_t pid, const char *exe,
				      const uint8_t build_id[20]);

#endif
