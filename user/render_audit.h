/* SPDX-License-Identifier: GPL-2.0-only */
/* Audit events as a table line or one NDJSON record. No I/O besides the FILE* given. */
#ifndef PS_RENDER_AUDIT_H
#define PS_RENDER_AUDIT_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "pathfmt.h"
#include "procscope.h"

/* An event with what user space adds to it. */
struct audit_view {
	const struct ps_audit_event *e; /* the first call of the record */
	uint64_t calls;			/* calls coalesced into the record */
	uint64_t bytes;			/* their bytes */
	struct timespec wall;		/* when it happened */
	const char *cgroup;		/* the reader's cgroup path, NULL when unknown */
	char path[PS_DISPLAY_PATH_LEN]; /* "/proc/1234/environ" */
	char sysctl[PS_PATH_LEN];	/* "kernel.domainname" for a /proc/sys path, else "" */
	char exe[PS_PATH_LEN + 4];	/* the reader's executable, "" when none */
};

/* Fills the paths of @v from v->e. */
void audit_view__paths(struct audit_view *v);

void render_audit__header(FILE *out);
void render_audit__table(FILE *out, const struct audit_view *v);
void render_audit__json(FILE *out, const struct audit_view *v);
/* The closing record of --json: {"received":N,"lost":N,"allowed":N}, in calls. */
void render_audit__json_summary(FILE *out, uint64_t received, uint64_t lost, uint64_t allowed);

#endif
