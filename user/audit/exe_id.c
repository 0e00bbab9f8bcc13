// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "exe_id.h"
#include "util/growarray.h"

uint32_t exe_id__kernel_dev(dev_t dev)
{
	return (uint32_t)(major(dev) << 20 | minor(dev));
}

int exe_id__resolve(char *const *globs, size_t n, struct exe_id **ret_ids)
{
	struct exe_id *ids = NULL;
	size_t found = 0, cap = 0;

	for (size_t i = 0; i < n; i++) {
		glob_t g;

		if (glob(globs[i], 0, NULL, &g))
			continue; /* none installed */
		for (size_t j = 0; j < g.gl_pathc; j++) {
			struct stat st;

			if (lstat(g.gl_pathv[j], &st) || !S_ISREG(st.st_mode))
				continue;
			if (growarray__reserve((void **)&ids, found, &cap, sizeof(*ids), 16)) {
				globfree(&g);
				free(ids);
				return -ENOMEM;
			}
			ids[found++] = (struct exe_id){ st.st_ino, exe_id__kernel_dev(st.st_dev) };
		}
		globfree(&g);
	}
	*ret_ids = ids;
	return (int)found;
}
