/* SPDX-License-Identifier: GPL-2.0-only */
/* An audit record: the kernel's event with what user space adds to it (paths, cgroup, time). */
#ifndef PS_AUDIT_RECORD_H
#define PS_AUDIT_RECORD_H

#include <stdint.h>
#include <time.h>
#include "container.h"
#include "core/pathfmt.h"
#include "procscope.h"

/* An event with what user space adds to it. */
struct audit_view {
	const struct ps_audit_event *e;	       /* the first call of the record */
	uint64_t calls;			       /* calls coalesced into the record */
	uint64_t bytes;			       /* their bytes */
	struct timespec wall;		       /* when it happened */
	const char *cgroup;		       /* the reader's cgroup path, NULL when unknown */
	const char *target_cgroup;	       /* the target's, NULL when unknown or no target */
	struct container_ref container;	       /* the reader's (runtime NULL: none) */
	struct container_ref target_container; /* the target's */
	/* the executables of the reader's parent and grandparent, read from /proc when the
	 * record began ("" when gone by then) */
	const char *parent_exe;
	const char *grandparent_exe;
	char path[PS_DISPLAY_PATH_LEN]; /* "/proc/1234/environ" */
	char sysctl[PS_PATH_LEN];	/* "kernel.domainname" for a /proc/sys path, else "" */
	char exe[PS_PATH_LEN + 4];	/* the reader's executable, "" when none */
};

/* Fills the paths of @v from v->e, and the containers from the cgroup paths. */
void audit_view__paths(struct audit_view *v);

#endif
