// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "fsinfo.h"
#include "pathfmt.h"

bool pathfmt__is_other(const struct ps_file_key *key)
{
	return !memcmp(key->path, PS_OTHER_PATH, sizeof(PS_OTHER_PATH));
}

void pathfmt__display(const struct ps_file_key *key, char *buf, size_t len)
{
	int n = (int)strnlen(key->path, PS_PATH_LEN);

	if (pathfmt__is_other(key))
		snprintf(buf, len, "%s", PS_OTHER_PATH);
	else
		snprintf(buf, len, "%s%.*s%s", fsinfo__prefix(key->fs), n, key->path,
			 key->truncated ? "..." : "");
}

static bool is_number(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool segment_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !strncmp(s, word, n);
}

static bool is_fd_dir(const char *s, size_t n)
{
	return segment_is(s, n, "fd") || segment_is(s, n, "fdinfo");
}

int pathfmt__normalize(const char *raw, char *buf, size_t len)
{
	size_t out = 0;
	const char *p = raw;
	int index = 0; /* segment index, -1 once the path is known not to be under /proc */
	bool under_pid = false, under_task = false;
	int fd_at = 0; /* the index of a descriptor's segment (after fd/ or fdinfo/), 0: none */

	if (!len)
		return -ENAMETOOLONG;
	while (*p) {
		const char *seg, *rep;
		size_t n;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		seg = p;
		n = strcspn(p, "/");
		p += n;
		rep = NULL;
		if (index == 0 && !segment_is(seg, n, "proc"))
			index = -1;
		else if (index == 1 && (is_number(seg, n) || segment_is(seg, n, "self"))) {
			rep = "[pid]";
			under_pid = true;
		} else if (index == 1 && segment_is(seg, n, "thread-self")) {
			rep = "[pid]/task/[tid]";
			under_task = true;
			index = 3; /* the next segment is a thread's, as after task/[tid] */
		} else if (index == 2 && under_pid) {
			under_task = segment_is(seg, n, "task");
			fd_at = is_fd_dir(seg, n) ? 3 : 0;
		} else if (index == 3 && under_task && is_number(seg, n)) {
			rep = "[tid]";
		} else if (index == 4 && under_task) {
			fd_at = is_fd_dir(seg, n) ? 5 : 0;
		} else if (fd_at && index == fd_at && is_number(seg, n)) {
			rep = "[fd]";
		}
		if (rep) {
			seg = rep;
			n = strlen(rep);
		}
		if (out + 1 + n >= len)
			return -ENAMETOOLONG;
		buf[out++] = '/';
		memcpy(buf + out, seg, n);
		out += n;
		if (index >= 0)
			index++;
	}
	if (!out) {
		if (len < 2)
			return -ENAMETOOLONG;
		buf[out++] = '/';
	}
	buf[out] = '\0';
	return 0;
}
