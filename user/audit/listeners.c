// SPDX-License-Identifier: GPL-2.0-only
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/growarray.h"
#include "listeners.h"

#define TCP_LISTEN_STATE "0A" /* the kernel's TCP_LISTEN, in the file's hex */

int listeners__parse_net(FILE *f, listeners_inode_fn fn, void *ctx)
{
	char *line = NULL;
	size_t cap = 0;
	bool header = true;
	int r = 0;

	while (getline(&line, &cap, f) > 0) {
		char state[3];
		uint64_t inode;

		if (header) { /* "  sl  local_address rem_address   st tx_queue ..." */
			header = false;
			continue;
		}
		/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode ... */
		if (sscanf(line, "%*s %*s %*s %2s %*s %*s %*s %*s %*s %" SCNu64, state, &inode) !=
		    2) {
			r = -EINVAL;
			break;
		}
		if (!strcmp(state, TCP_LISTEN_STATE))
			fn(ctx, inode);
	}
	free(line);
	return r;
}

int listeners__parse_start(const char *stat, uint64_t *ret_ticks)
{
	/* "PID (COMM) STATE ..." where COMM may hold anything, ')' too: fields after the last ')'
	 * start with the third, the state; the start time is the 22nd. */
	const char *p = strrchr(stat, ')');

	if (!p)
		return -EINVAL;
	p++;
	for (int field = 3; field <= 22; field++) {
		while (*p == ' ')
			p++;
		if (!*p)
			return -EINVAL;
		if (field == 22) {
			char *end;

			errno = 0;
			*ret_ticks = strtoull(p, &end, 10);
			return end == p || errno || (*end != ' ' && *end != '\n' && *end)
				       ? -EINVAL
				       : 0;
		}
		p += strcspn(p, " ");
	}
	return -EINVAL;
}

struct inode_set {
	uint64_t *v;
	size_t n, cap;
	int err;
};

static void inode_set__add(void *ctx, uint64_t inode)
{
	struct inode_set *s = ctx;

	if (growarray__reserve((void **)&s->v, s->n, &s->cap, sizeof(*s->v), 64)) {
		s->err = -ENOMEM;
		return;
	}
	s->v[s->n++] = inode;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static bool is_pid(const char *name)
{
	return *name && strspn(name, "0123456789") == strlen(name);
}

/* The listening sockets of @pid's network namespace, once per namespace (@seen_ns). */
static void add_netns_listeners(const char *proc, const char *pid, struct inode_set *seen_ns,
				struct inode_set *sockets)
{
	static const char *const files[] = { "tcp", "tcp6" };
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s/ns/net", proc, pid);
	if (stat(path, &st))
		return; /* exited, or a kernel thread's */
	for (size_t i = 0; i < seen_ns->n; i++)
		if (seen_ns->v[i] == st.st_ino)
			return;
	inode_set__add(seen_ns, st.st_ino);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s/net/%s", proc, pid, files[i]);
		f = fopen(path, "re");
		if (!f)
			continue; /* no IPv6 */
		listeners__parse_net(f, inode_set__add, sockets);
		fclose(f);
	}
}

/* Whether a descriptor of @pid is one of @sockets. */
static bool holds_listener(const char *proc, const char *pid, const struct inode_set *sockets)
{
	char path[PATH_MAX];
	bool found = false;
	struct dirent *de;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/%s/fd", proc, pid);
	dir = opendir(path);
	if (!dir)
		return false;
	while (!found && (de = readdir(dir))) {
		char link[64];
		uint64_t inode;
		ssize_t len = readlinkat(dirfd(dir), de->d_name, link, sizeof(link) - 1);

		if (len <= 0)
			continue;
		link[len] = '\0';
		if (sscanf(link, "socket:[%" SCNu64 "]", &inode) == 1)
			found = bsearch(&inode, sockets->v, sockets->n, sizeof(*sockets->v),
					compare_u64) != NULL;
	}
	closedir(dir);
	return found;
}

static int start_of(const char *proc, const char *pid, uint64_t *ret_ticks)
{
	char path[PATH_MAX], stat[1024];
	ssize_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/stat", proc, pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	len = (ssize_t)fread(stat, 1, sizeof(stat) - 1, f);
	fclose(f);
	stat[len > 0 ? len : 0] = '\0';
	return listeners__parse_start(stat, ret_ticks);
}

/* Calls @fn(@proc, pid name, ...) for each process directory under @proc. */
static int for_each_pid(const char *proc, bool (*fn)(const char *proc, const char *pid, void *ctx),
			void *ctx)
{
	DIR *dir = opendir(proc);
	struct dirent *de;

	if (!dir)
		return -errno;
	while ((de = readdir(dir)))
		if (is_pid(de->d_name) && !fn(proc, de->d_name, ctx))
			break;
	closedir(dir);
	return 0;
}

struct scan {
	struct inode_set netns, sockets;
	listeners_add_fn add;
	void *ctx;
	int found, err;
};

static bool collect_sockets(const char *proc, const char *pid, void *ctx)
{
	struct scan *s = ctx;

	add_netns_listeners(proc, pid, &s->netns, &s->sockets);
	return !s->sockets.err && !s->netns.err;
}

static bool add_holder(const char *proc, const char *pid, void *ctx)
{
	struct scan *s = ctx;
	uint64_t start;
	int r;

	if (!holds_listener(proc, pid, &s->sockets) || start_of(proc, pid, &start))
		return true;
	r = s->add(s->ctx, (uint32_t)strtoul(pid, NULL, 10), start);
	if (r) {
		s->err = r;
		return false;
	}
	s->found++;
	return true;
}

int listeners__scan(const char *proc, listeners_add_fn add, void *ctx)
{
	struct scan s = { .add = add, .ctx = ctx };
	int r = for_each_pid(proc, collect_sockets, &s);

	if (!r)
		r = s.sockets.err ? s.sockets.err : s.netns.err;
	if (!r && s.sockets.n) {
		qsort(s.sockets.v, s.sockets.n, sizeof(*s.sockets.v), compare_u64);
		r = for_each_pid(proc, add_holder, &s);
		if (!r)
			r = s.err;
	}
	free(s.netns.v);
	free(s.sockets.v);
	return r ? r : s.found;
}
