// SPDX-License-Identifier: GPL-2.0-only
#define _GNU_SOURCE /* name_to_handle_at */
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <libmount.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cgroup_paths.h"
#include "util/clock.h"
#include "util/growarray.h"

#define RESCAN_NS 1000000000ull

struct cgroup_entry {
	uint64_t id;
	char *path;
};

struct cgroup_paths {
	char *mount_point; /* where cgroup2 is mounted here */
	char *root;	   /* the cgroup that mount shows as its root ("/" outside a cgroupns) */
	struct cgroup_entry *entries;
	size_t n, cap;
	uint64_t last_scan_ns;
};

static int find_cgroup2(struct cgroup_paths *cp)
{
	struct libmnt_table *tb = mnt_new_table_from_file("/proc/self/mountinfo");
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	int r = -ENOENT;

	if (!tb || !it) {
		r = -errno ? -errno : -ENOMEM;
		goto out;
	}
	while (mnt_table_next_fs(tb, it, &fs) == 0) {
		const char *type = mnt_fs_get_fstype(fs), *root = mnt_fs_get_root(fs);

		if (!type || strcmp(type, "cgroup2") != 0)
			continue;
		cp->mount_point = strdup(mnt_fs_get_target(fs));
		cp->root = strdup(root && strcmp(root, "/") != 0 ? root : "");
		r = cp->mount_point && cp->root ? 0 : -ENOMEM;
		break;
	}
out:
	mnt_free_iter(it);
	mnt_unref_table(tb);
	return r;
}

struct cgroup_paths *cgroup_paths__new(void)
{
	struct cgroup_paths *cp = calloc(1, sizeof(*cp));
	int r;

	if (!cp)
		return NULL;
	r = find_cgroup2(cp);
	if (r) {
		cgroup_paths__free(cp);
		errno = -r;
		return NULL;
	}
	return cp;
}

static int cgroup_id_of(const char *dir, uint64_t *ret_id)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh.handle_bytes = sizeof(uint64_t) };
	int mount_id;

	if (name_to_handle_at(AT_FDCWD, dir, &h.fh, &mount_id, 0))
		return -errno;
	if (h.fh.handle_bytes != sizeof(uint64_t))
		return -EINVAL;
	memcpy(ret_id, h.fh.f_handle, sizeof(*ret_id));
	return 0;
}

static int add_entry(struct cgroup_paths *cp, uint64_t id, const char *rel)
{
	struct cgroup_entry *e;

	if (growarray__reserve((void **)&cp->entries, cp->n, &cp->cap, sizeof(*cp->entries), 64))
		return -ENOMEM;
	e = &cp->entries[cp->n];
	e->id = id;
	/* the cgroup's path: the mount's root, then the directory below the mount point */
	if (asprintf(&e->path, "%s%s", cp->root, *rel ? rel : (*cp->root ? "" : "/")) < 0)
		return -ENOMEM;
	cp->n++;
	return 0;
}

static void clear(struct cgroup_paths *cp)
{
	for (size_t i = 0; i < cp->n; i++)
		free(cp->entries[i].path);
	cp->n = 0;
}

/* Every directory of the cgroup2 mount, without following links or leaving the mount. */
static void rescan(struct cgroup_paths *cp)
{
	char *const roots[] = { cp->mount_point, NULL };
	FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_XDEV | FTS_NOSTAT, NULL);
	FTSENT *ent;
	uint64_t id = 0;

	clear(cp);
	cp->last_scan_ns = clock__ns(CLOCK_MONOTONIC);
	if (!fts)
		return;
	while ((ent = fts_read(fts))) {
		if (ent->fts_info != FTS_D)
			continue;
		if (cgroup_id_of(ent->fts_path, &id))
			continue; /* removed meanwhile */
		if (add_entry(cp, id, ent->fts_path + strlen(cp->mount_point)))
			break;
	}
	fts_close(fts);
}

static const char *find(const struct cgroup_paths *cp, uint64_t id)
{
	for (size_t i = 0; i < cp->n; i++)
		if (cp->entries[i].id == id)
			return cp->entries[i].path;
	return NULL;
}

const char *cgroup_paths__lookup(struct cgroup_paths *cp, uint64_t id)
{
	const char *path;

	if (!cp)
		return NULL;
	path = find(cp, id);
	if (path || (cp->last_scan_ns && clock__ns(CLOCK_MONOTONIC) - cp->last_scan_ns < RESCAN_NS))
		return path;
	rescan(cp);
	return find(cp, id);
}

void cgroup_paths__free(struct cgroup_paths *cp)
{
	if (!cp)
		return;
	clear(cp);
	free(cp->entries);
	free(cp->mount_point);
	free(cp->root);
	free(cp);
}

const char *cgroup_paths__mount_point(const struct cgroup_paths *cp)
{
	return cp->mount_point;
}
