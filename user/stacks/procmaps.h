/* SPDX-License-Identifier: GPL-2.0-only */
/* One line of /proc/PID/maps, parsed. No I/O: the caller reads the lines. */
#ifndef PS_PROCMAPS_H
#define PS_PROCMAPS_H

#include <stdint.h>

struct procmap {
	uint64_t start, end; /* [start, end) */
	uint64_t pgoff;	     /* file offset of start */
	char path[512];	     /* empty for anonymous mappings */
};

/*
 * "start-end perms offset dev inode [path]". Returns 0, or -EINVAL for a line of another shape.
 * Only mappings of files (an absolute path) keep their path; "[heap]", "[vdso]" and the like are
 * anonymous here, and " (deleted)" is dropped.
 */
int procmaps__parse_line(const char *line, struct procmap *ret_map);

#endif
