// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "enforce_allow.h"
#include "exe_id.h"

/* One kernel entry per file the entry's exe names (one, for no exe); 0 when it names none. */
static int expand(const struct allow_entry *a, uint32_t rules, uint64_t cgroup_id,
		  struct ps_enforce_allow *out, size_t room, size_t *used)
{
	struct ps_enforce_allow base = { .rules = a->rules & rules,
					 .uid = a->uid,
					 .uid_set = a->uid_set,
					 .comm_set = a->comm_set,
					 .cgroup_id = cgroup_id };
	struct exe_id *ids = NULL;
	int n = 1;

	memcpy(base.comm, a->comm, sizeof(base.comm));
	if (a->exe) {
		char *glob = a->exe;

		n = exe_id__resolve(&glob, 1, &ids);
		if (n < 0)
			return n;
	}
	for (int i = 0; i < n; i++) {
		if (*used >= room) {
			free(ids);
			return -E2BIG;
		}
		out[*used] = base;
		if (ids) {
			out[*used].exe_ino = ids[i].ino;
			out[*used].exe_dev = ids[i].dev;
		}
		(*used)++;
	}
	free(ids);
	return n;
}

int enforce_allow__build(const struct allowlist *l, uint32_t rules, const char *cgroup_root,
			 struct ps_enforce_allow **ret_entries, char *note, size_t notelen,
			 char *err, size_t errlen)
{
	struct ps_enforce_allow *out = calloc(PS_ENFORCE_ALLOW_MAX, sizeof(*out));
	size_t used = 0, left_out = 0;

	note[0] = '\0';
	if (!out)
		return -ENOMEM;
	for (size_t i = 0; i < l->n; i++) {
		const struct allow_entry *a = &l->entries[i];
		uint64_t cgroup_id = 0;
		int r;

		if (!(a->rules & rules))
			continue;
		if (a->cgroup) {
			char path[PATH_MAX];
			struct stat st;

			snprintf(path, sizeof(path), "%s%s", cgroup_root ? cgroup_root : "",
				 a->cgroup);
			if (!cgroup_root || stat(path, &st)) {
				left_out++;
				continue;
			}
			cgroup_id =
				st.st_ino; /* a cgroup v2 directory's inode is the cgroup's id */
		}
		r = expand(a, rules, cgroup_id, out, PS_ENFORCE_ALLOW_MAX, &used);
		if (r == -E2BIG) {
			snprintf(err, errlen,
				 "--enforce: the allowlist's entries for the enforced rules name "
				 "more "
				 "than %d programs",
				 PS_ENFORCE_ALLOW_MAX);
			free(out);
			return r;
		}
		if (r < 0) {
			free(out);
			snprintf(err, errlen, "--enforce: %s", strerror(-r));
			return r;
		}
		if (r == 0)
			left_out++;
	}
	if (left_out)
		snprintf(note, notelen,
			 "%zu allowlist entr%s for the enforced rules match%s no program or cgroup "
			 "that exists now: not applied in the kernel",
			 left_out, left_out == 1 ? "y" : "ies", left_out == 1 ? "es" : "");
	*ret_entries = out;
	return (int)used;
}
