/* SPDX-License-Identifier: GPL-2.0-only */
/* Names, mount prefixes and --fs parsing of the pseudo-filesystems of enum ps_fs. */
#ifndef PS_FSINFO_H
#define PS_FSINFO_H

#include <stdint.h>
#include "procscope.h"

#define PS_FS_DEFAULT_MASK ((1u << PS_FS_PROC) | (1u << PS_FS_SYSFS))
#define PS_FS_ALL_MASK ((1u << PS_FS_COUNT) - 1)

/* "proc", "sysfs", ...; "?" outside the enum. */
const char *fsinfo__name(unsigned int fs);

/* Where the filesystem is mounted (cgroup2: as /proc/self/mounts says; the others where they
 * conventionally are): the prefix of its displayed paths. */
const char *fsinfo__prefix(unsigned int fs);

/*
 * Parses a comma-separated --fs list (proc, sysfs, cgroup, debugfs, tracefs, securityfs, all;
 * "cgroup" selects v1 and v2) into a mask. Returns 0, or -EINVAL with *ret_bad pointing into
 * @list at the unknown name (its length in *ret_bad_len).
 */
int fsinfo__parse_list(const char *list, uint32_t *ret_mask, const char **ret_bad,
		       int *ret_bad_len);

#endif
