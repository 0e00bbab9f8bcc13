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
#include "exe_id.h"
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

int listeners__parse_stat(const char *stat, uint32_t *ret_ppid, uint64_t *ret_ticks)
{
	/* "PID (COMM) STATE PPID ..." where COMM may hold anything, ')' too: fields after the
	 * last ')' start with the third, the state; the parent is the 4th, the start time the
	 * 22nd. */
	const char *p = strrchr(stat, ')');

	if (!p)
		return -EINVAL;
	p++;
	for (int field = 3; field <= 22; field++) {
		while (*p == ' ')
			p++;
		if (!*p)
			return -EINVAL;
		if (field == 4 || field == 22) {
			unsigned long long v;
			char *end;

			errno = 0;
			v = strtoull(p, &end, 10);
			if (end == p || errno || (*end != ' ' && *end != '\n' && *end))
				return -EINVAL;
			if (field == 4)
				*ret_ppid = (uint32_t)v;
			else
				*ret_ticks = v;
		}
		p += strcspn(p, " ");
	}
	return 0;
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

static int stat_of(const char *proc, const char *pid, uint32_t *ret_ppid, uint64_t *ret_ticks)
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
	return listeners__parse_stat(stat, ret_ppid, ret_ticks);
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

/* A process as the scan sees it. */
struct proc_entry {
	uint32_t pid, ppid;
	uint64_t start;
	bool runs_server; /* its program is one of the servers */
	int through_exec; /* runs_server or descends from one; -1: not known yet */
};

struct scan {
	struct inode_set netns, sockets;
	const struct exe_id *servers;
	size_t nservers;
	struct proc_entry *procs;
	size_t nprocs, cap;
	int err;
};

static bool runs_server(const char *proc, const char *pid, const struct scan *s)
{
	char path[PATH_MAX];
	struct stat st;

	if (!s->nservers)
		return false;
	snprintf(path, sizeof(path), "%s/%s/exe", proc, pid);
	if (stat(path, &st))
		return false; /* a kernel thread, or exited */
	for (size_t i = 0; i < s->nservers; i++)
		if (s->servers[i].ino == st.st_ino &&
		    s->servers[i].dev == exe_id__kernel_dev(st.st_dev))
			return true;
	return false;
}

/* First pass: each process, and the listening sockets of each network namespace. */
static bool collect(const char *proc, const char *pid, void *ctx)
{
	struct scan *s = ctx;
	struct proc_entry e = { .pid = (uint32_t)strtoul(pid, NULL, 10), .through_exec = -1 };

	add_netns_listeners(proc, pid, &s->netns, &s->sockets);
	if (s->sockets.err || s->netns.err)
		return false;
	if (stat_of(proc, pid, &e.ppid, &e.start))
		return true; /* exited */
	e.runs_server = runs_server(proc, pid, s);
	if (growarray__reserve((void **)&s->procs, s->nprocs, &s->cap, sizeof(*s->procs), 256)) {
		s->err = -ENOMEM;
		return false;
	}
	s->procs[s->nprocs++] = e;
	return true;
}

static int compare_pid(const void *a, const void *b)
{
	uint32_t x = ((const struct proc_entry *)a)->pid, y = ((const struct proc_entry *)b)->pid;

	return x < y ? -1 : x > y;
}

/* Whether @e runs a server program or descends from one; the ancestors' answers are kept. */
static bool through_exec(struct scan *s, struct proc_entry *e)
{
	struct proc_entry *chain[64];
	int n = 0;
	bool answer = false;

	if (e->through_exec >= 0)
		return e->through_exec;
	/* up to the first known answer, a server, or the root (ppid 0, or a parent gone) */
	while (e && e->through_exec < 0 && n < 64) {
		struct proc_entry key = { .pid = e->ppid };

		chain[n++] = e;
		if (e->runs_server) {
			answer = true;
			e = NULL;
			break;
		}
		e = e->ppid ? bsearch(&key, s->procs, s->nprocs, sizeof(*s->procs), compare_pid)
			    : NULL;
	}
	if (e && e->through_exec >= 0)
		answer = e->through_exec;
	/* a server's descendants descend from it: everything below the server in the chain */
	for (int i = n - 1; i >= 0; i--) {
		if (chain[i]->runs_server)
			answer = true;
		chain[i]->through_exec = answer;
	}
	return chain[0]->through_exec;
}

int listeners__scan(const char *proc, const struct exe_id *servers, size_t nservers,
		    listeners_add_fn add, void *ctx)
{
	struct scan s = { .servers = servers, .nservers = nservers };
	int r = for_each_pid(proc, collect, &s), found = 0;

	if (!r)
		r = s.err ? s.err : s.sockets.err ? s.sockets.err : s.netns.err;
	if (!r && s.sockets.n)
		qsort(s.sockets.v, s.sockets.n, sizeof(*s.sockets.v), compare_u64);
	if (!r && s.nprocs)
		qsort(s.procs, s.nprocs, sizeof(*s.procs), compare_pid);
	for (size_t i = 0; !r && i < s.nprocs; i++) {
		struct proc_entry *e = &s.procs[i];
		char pid[16];
		bool exec;

		if (e->pid == 1)
			continue; /* init: see bpf/audit.bpf.c */
		snprintf(pid, sizeof(pid), "%u", e->pid);
		exec = through_exec(&s, e);
		if (!exec && !(s.sockets.n && holds_listener(proc, pid, &s.sockets)))
			continue;
		r = add(ctx, e->pid, e->start, exec);
		found++;
	}
	free(s.netns.v);
	free(s.sockets.v);
	free(s.procs);
	return r ? r : found;
}
