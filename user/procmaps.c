// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "procmaps.h"

int procmaps__parse_line(const char *line, struct procmap *ret_map)
{
	static const char deleted[] = " (deleted)";
	unsigned long long start, end, pgoff, inode;
	char perms[8], dev[16];
	int consumed = 0;
	size_t len;

	if (sscanf(line, "%llx-%llx %7s %llx %15s %llu %n", &start, &end, perms, &pgoff, dev,
		   &inode, &consumed) < 6 ||
	    !consumed || start > end)
		return -EINVAL;
	ret_map->start = start;
	ret_map->end = end;
	ret_map->pgoff = pgoff;
	ret_map->path[0] = '\0';
	line += consumed;
	if (line[0] != '/')
		return 0;
	len = strcspn(line, "\n");
	if (len >= sizeof(deleted) - 1 &&
	    !memcmp(line + len - (sizeof(deleted) - 1), deleted, sizeof(deleted) - 1))
		len -= sizeof(deleted) - 1;
	if (len >= sizeof(ret_map->path))
		return 0; /* a path this long is not worth a truncated guess */
	memcpy(ret_map->path, line, len);
	ret_map->path[len] = '\0';
	return 0;
}
