/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Cgroup ids (bpf_get_current_cgroup_id) into cgroup v2 paths, by walking the cgroup2 mount and
 * asking each directory its id (its file handle is the id, as systemd's cg_path_get_cgroupid
 * does). The walk is repeated on a miss, at most once a second; a cgroup created and removed
 * between two walks stays unknown, and is shown by its id.
 */
#ifndef PS_CGROUP_PATHS_H
#define PS_CGROUP_PATHS_H

#include <stdint.h>

struct cgroup_paths;

/* Finds the cgroup2 mount (/proc/self/mountinfo, through libmount). Returns NULL with errno set
 * (ENOENT: no cgroup2 mount; ids then stay unresolved). */
struct cgroup_paths *cgroup_paths__new(void);
/* The path of @id ("/system.slice/cron.service"), or NULL when unknown. Valid until the next
 * call. */
const char *cgroup_paths__lookup(struct cgroup_paths *cp, uint64_t id);
/* Where cgroup2 is mounted ("/sys/fs/cgroup"). */
const char *cgroup_paths__mount_point(const struct cgroup_paths *cp);
void cgroup_paths__free(struct cgroup_paths *cp);

#endif
