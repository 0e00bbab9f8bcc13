// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>
#include "audit_record.h"
#include "audit_rules.h"

bool audit_rule__has_values(unsigned int rule)
{
	return rule == PS_RULE_SYSCTL_WRITE || rule == PS_RULE_SYSCTL_WEAKENED;
}

/* @value (NUL-terminated within @len, as BPF copied it) without its trailing newlines. */
static void sysctl_value(char *buf, size_t size, const char *value, size_t len)
{
	size_t n = strnlen(value, len);

	while (n && value[n - 1] == '\n')
		n--;
	snprintf(buf, size, "%.*s", (int)n, value);
}

/* An executable's path from BPF (PS_PATH_LEN bytes, NUL-padded), "..." after a cut one. */
static void exe_path(char *buf, size_t size, const char *exe, bool truncated)
{
	snprintf(buf, size, "%.*s%s", (int)strnlen(exe, PS_PATH_LEN), exe, truncated ? "..." : "");
}

void audit_view__paths(struct audit_view *v)
{
	const struct ps_audit_event *e = v->e;
	struct ps_file_key key;

	memset(&key, 0, sizeof(key));
	key.fs = e->fs;
	key.truncated = e->truncated;
	memcpy(key.path, e->path, sizeof(key.path));
	pathfmt__display(&key, v->path, sizeof(v->path));
	if (audit_rule__is_door(e->rule))
		v->path[0] = '\0';
	v->sysctl[0] = '\0';
	if (audit_rule__has_values(e->rule) && !strncmp(v->path, "/proc/sys/", 10)) {
		/* sysctl(8)'s name: the path below /proc/sys with dots for slashes */
		snprintf(v->sysctl, sizeof(v->sysctl), "%s", v->path + 10);
		for (char *c = v->sysctl; *c; c++)
			if (*c == '/')
				*c = '.';
	}
	exe_path(v->exe, sizeof(v->exe), e->exe, e->exe_truncated);
	exe_path(v->parent_exe, sizeof(v->parent_exe), e->parent_exe, e->parent_exe_truncated);
	exe_path(v->grandparent_exe, sizeof(v->grandparent_exe), e->grandparent_exe,
		 e->grandparent_exe_truncated);
	sysctl_value(v->old_value, sizeof(v->old_value), e->values.old_value,
		     sizeof(e->values.old_value));
	sysctl_value(v->new_value, sizeof(v->new_value), e->values.new_value,
		     sizeof(e->values.new_value));
	container__from_cgroup(v->cgroup, &v->container);
	container__from_cgroup(v->target_cgroup, &v->target_container);
}
