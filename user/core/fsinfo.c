// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include "fsinfo.h"
#include "util/namelist.h"

static const struct {
	const char *name;
	const char *prefix;
} fs_table[PS_FS_COUNT] = {
	[PS_FS_PROC] = { "proc", "/proc" },
	[PS_FS_SYSFS] = { "sysfs", "/sys" },
	[PS_FS_CGROUP] = { "cgroup", "/sys/fs/cgroup" },
	[PS_FS_CGROUP2] = { "cgroup2", "/sys/fs/cgroup" },
	[PS_FS_DEBUGFS] = { "debugfs", "/sys/kernel/debug" },
	[PS_FS_TRACEFS] = { "tracefs", "/sys/kernel/tracing" },
	[PS_FS_SECURITYFS] = { "securityfs", "/sys/kernel/security" },
};

const char *fsinfo__name(unsigned int fs)
{
	return fs < PS_FS_COUNT ? fs_table[fs].name : "?";
}

/*
 * Where this machine mounts cgroup v2: /sys/fs/cgroup on a unified host, /sys/fs/cgroup/unified
 * on a hybrid one (v1 controllers beside it). Looked up once in /proc/self/mounts; the
 * conventional place when it cannot be read or cgroup2 is not mounted.
 */
static const char *cgroup2_prefix(void)
{
	static char where[256];
	static int looked, found;
	struct mntent *m;
	FILE *f;

	if (looked)
		return found ? where : fs_table[PS_FS_CGROUP2].prefix;
	looked = 1;
	f = setmntent("/proc/self/mounts", "r");
	if (!f)
		return fs_table[PS_FS_CGROUP2].prefix;
	while ((m = getmntent(f)))
		if (!strcmp(m->mnt_type, "cgroup2") && strlen(m->mnt_dir) < sizeof(where)) {
			/* The root of the file system, shown as "" so paths start with '/'. */
			snprintf(where, sizeof(where), "%s",
				 strcmp(m->mnt_dir, "/") ? m->mnt_dir : "");
			found = 1;
			break;
		}
	endmntent(f);
	return found ? where : fs_table[PS_FS_CGROUP2].prefix;
}

const char *fsinfo__prefix(unsigned int fs)
{
	if (fs == PS_FS_CGROUP2)
		return cgroup2_prefix();
	return fs < PS_FS_COUNT ? fs_table[fs].prefix : "";
}

static uint32_t mask_of_name(const char *name, size_t len)
{
	if (len == 3 && !strncmp(name, "all", 3))
		return PS_FS_ALL_MASK;
	/* Most users neither know nor care which cgroup version a host mounts. */
	if (len == 6 && !strncmp(name, "cgroup", 6))
		return (1u << PS_FS_CGROUP) | (1u << PS_FS_CGROUP2);
	for (unsigned int fs = 0; fs < PS_FS_COUNT; fs++)
		if (strlen(fs_table[fs].name) == len && !strncmp(name, fs_table[fs].name, len))
			return 1u << fs;
	return 0;
}

int fsinfo__parse_list(const char *list, uint32_t *ret_mask, const char **ret_bad, int *ret_bad_len)
{
	return namelist__parse(list, mask_of_name, ret_mask, ret_bad, ret_bad_len);
}
