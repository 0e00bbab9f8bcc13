/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Paths as users see them. The BPF side keys files by their superblock-relative path, already
 * normalized ([pid], [tid]); this module adds the mount prefix for display, and applies the same
 * normalization to path strings that come from outside (patterns, raw paths, tests).
 */
#ifndef PS_PATHFMT_H
#define PS_PATHFMT_H

#include <stdbool.h>
#include <stddef.h>
#include "procscope.h"

#define PS_OTHER_PATH "[other]" /* the key path of a filesystem's overflow entry */
#define PS_DISPLAY_PATH_LEN (PS_PATH_LEN + 32)

/* Whether @key is a filesystem's overflow entry (--max-files reached). */
bool pathfmt__is_other(const struct ps_file_key *key);

/* The displayed path of a key: "/proc" + "/[pid]/stat"; a truncated path ends in "...". */
void pathfmt__display(const struct ps_file_key *key, char *buf, size_t len);

/*
 * Normalizes an absolute /proc path: /proc/1234 and /proc/self become /proc/[pid],
 * /proc/thread-self becomes /proc/[pid]/task/[tid], and /proc/[pid]/task/5678 becomes
 * /proc/[pid]/task/[tid]. Other paths are copied. Returns 0 or -ENAMETOOLONG.
 */
int pathfmt__normalize(const char *raw, char *buf, size_t len);

#endif
