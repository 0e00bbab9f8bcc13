/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What happens to an audit event in user space, for `procscope audit` and `daemon --audit`
 * alike: the reader's cgroup path, the allowlist, the per-rule counts, and finished records
 * handed to the caller's writer. The kernel sends one event per call; consecutive calls of one
 * thread on one file under one rule (cat reading /proc/kallsyms in 128 KiB chunks) become one
 * record with their count and bytes, written once no further call came for AUDIT_COALESCE_NS.
 */
#ifndef PS_AUDIT_STREAM_H
#define PS_AUDIT_STREAM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "allowlist.h"
#include "audit_record.h"
#include "cgroup_paths.h"
#include "procscope.h"

#define AUDIT_COALESCE_NS 100000000ull /* 100 ms */

struct audit_stream {
	const struct allowlist *allow;
	struct cgroup_paths *cgroups; /* NULL: cgroups shown by id */
	const char *values_missing;   /* why sysctl writes come without values, NULL: they come */
	struct timespec wall_start;   /* the two clocks, read together */
	uint64_t mono_start_ns;
	/* Writes a finished record; NULL: count only. */
	void (*write)(void *ctx, const struct audit_view *v);
	void *write_ctx;
	uint64_t max_reported; /* stop reporting after this many, 0: never */
	/* Written by the thread that polls the ring buffer; other threads read them with
	 * __atomic_load_n. */
	uint64_t received;
	uint64_t reported[PS_RULE_COUNT];
	uint64_t allowed[PS_RULE_COUNT];
	uint64_t denied; /* calls refused by --enforce (dry run: that would have been) */
	bool done;	 /* max_reported reached */
	/* the record being coalesced */
	struct ps_audit_event pending;
	bool has_pending;
	uint64_t pending_calls, pending_bytes, pending_last_ns;
	uint64_t records; /* records written */
};

/* Starts the clocks; the rest is the caller's to fill. */
void audit_stream__init(struct audit_stream *s);
/* A loader_audit_fn: handles one event. */
int audit_stream__event(void *ctx, const struct ps_audit_event *e);
uint64_t audit_stream__total(const uint64_t *per_rule);
/* Writes the pending record when no call came for AUDIT_COALESCE_NS, or at once with @force. */
void audit_stream__flush(struct audit_stream *s, bool force);

/*
 * The allowlist of --rules @path, or the built-in one when @path is empty. Returns 0, or -errno
 * with one line in @err.
 */
int audit_stream__load_allowlist(const char *path, struct allowlist *ret_list, char *err,
				 size_t errlen);

/* The built-in allowlist (user/audit/audit-allow.yaml, compiled in). */
extern const char audit_default_allowlist[];

#endif
