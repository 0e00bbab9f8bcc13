// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>
#include "audit_record.h"

void audit_view__paths(struct audit_view *v)
{
	const struct ps_audit_event *e = v->e;
	struct ps_file_key key;
	const char *p;

	memset(&key, 0, sizeof(key));
	key.fs = e->fs;
	key.truncated = e->truncated;
	memcpy(key.path, e->path, sizeof(key.path));
	pathfmt__display(&key, v->path, sizeof(v->path));
	v->sysctl[0] = '\0';
	if (e->rule == PS_RULE_SYSCTL_WRITE && !strncmp(v->path, "/proc/sys/", 10)) {
		/* sysctl(8)'s name: the path below /proc/sys with dots for slashes */
		snprintf(v->sysctl, sizeof(v->sysctl), "%s", v->path + 10);
		for (char *c = v->sysctl; *c; c++)
			if (*c == '/')
				*c = '.';
	}
	p = e->exe;
	snprintf(v->exe, sizeof(v->exe), "%.*s%s", (int)strnlen(p, sizeof(e->exe)), p,
		 e->exe_truncated ? "..." : "");
	container__from_cgroup(v->cgroup, &v->container);
	container__from_cgroup(v->target_cgroup, &v->target_container);
}
