/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What happens to an audit event in user space, for `procscope audit` and `daemon --audit`
 * alike: the reader's cgroup path, the allowlist, the per-rule counts, and one line or one JSON
 * record on the output.
 */
#ifndef PS_AUDIT_STREAM_H
#define PS_AUDIT_STREAM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "allowlist.h"
#include "cgroup_paths.h"
#include "procscope.h"

struct audit_stream {
	const struct allowlist *allow;
	struct cgroup_paths *cgroups; /* NULL: cgroups shown by id */
	struct timespec wall_start;   /* the two clocks, read together */
	uint64_t mono_start_ns;
	FILE *out; /* NULL: count only */
	bool json;
	uint64_t max_reported; /* stop reporting after this many, 0: never */
	/* Written by the thread that polls the ring buffer; other threads read them with
	 * __atomic_load_n. */
	uint64_t received;
	uint64_t reported[PS_RULE_COUNT];
	uint64_t allowed[PS_RULE_COUNT];
	bool done; /* max_reported reached */
};

/* Starts the clocks; the rest is the caller's to fill. */
void audit_stream__init(struct audit_stream *s);
/* A loader_audit_fn: handles one event. */
int audit_stream__event(void *ctx, const struct ps_audit_event *e);
uint64_t audit_stream__total(const uint64_t *per_rule);

/*
 * The allowlist of --rules @path, or the built-in one when @path is empty. Returns 0, or -errno
 * with one line in @err.
 */
int audit_stream__load_allowlist(const char *path, struct allowlist *ret_list, char *err,
				 size_t errlen);

/* The built-in allowlist (user/audit-allow.yaml, compiled in). */
extern const char audit_default_allowlist[];

#endif
