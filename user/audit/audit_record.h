/* SPDX-License-Identifier: GPL-2.0-only */
/* An audit record: the kernel's event with what user space adds to it (paths, cgroup, time). */
#ifndef PS_AUDIT_RECORD_H
#define PS_AUDIT_RECORD_H

#include <stdbool.h>
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
	char parent_exe[PS_PATH_LEN + 4];      /* the reader's parent's executable, "" when none */
	char grandparent_exe[PS_PATH_LEN + 4];
	/* a sysctl write's values, without the newline echo adds; has_values in the event says
	 * whether there are any, values_missing why not (NULL: the write was not seen) */
	char old_value[PS_SYSCTL_VALUE_LEN];
	char new_value[PS_SYSCTL_VALUE_LEN];
	const char *values_missing;
	char path[PS_DISPLAY_PATH_LEN]; /* "/proc/1234/environ" */
	char sysctl[PS_PATH_LEN];	/* "kernel.domainname" for a /proc/sys path, else "" */
	char exe[PS_PATH_LEN + 4];	/* the reader's executable, "" when none */
};

/* Whether @rule's records carry a sysctl write's values. */
bool audit_rule__has_values(unsigned int rule);
/* Fills the paths and values of @v from v->e, and the containers from the cgroup paths. */
void audit_view__paths(struct audit_view *v);

#endif
