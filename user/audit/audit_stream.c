// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "audit_stream.h"
#include "util/clock.h"
#include "util/textfile.h"

#define RULES_FILE_MAX (1u << 20)

void audit_stream__init(struct audit_stream *s)
{
	s->mono_start_ns = clock__ns(CLOCK_MONOTONIC);
	clock_gettime(CLOCK_REALTIME, &s->wall_start);
}

static void write_record(struct audit_stream *s)
{
	struct audit_view v = {
		.e = &s->pending,
		.calls = s->pending_calls,
		.bytes = s->pending_bytes,
	};

	s->has_pending = false;
	if (!s->write || s->done)
		return;
	v.cgroup = cgroup_paths__lookup(s->cgroups, s->pending.cgroup_id);
	v.target_cgroup = s->pending.target_cgroup_id
				  ? cgroup_paths__lookup(s->cgroups, s->pending.target_cgroup_id)
				  : NULL;
	v.values_missing = s->values_missing;
	audit_view__paths(&v);
	clock__wall_at(&s->wall_start, s->mono_start_ns, s->pending.ts_ns, &v.wall);
	s->write(s->write_ctx, &v);
	s->records++;
	if (s->max_reported && s->records >= s->max_reported)
		s->done = true;
}

void audit_stream__flush(struct audit_stream *s, bool force)
{
	if (s->has_pending &&
	    (force || clock__ns(CLOCK_MONOTONIC) - s->pending_last_ns >= AUDIT_COALESCE_NS))
		write_record(s);
}

/* The same thread, rule, operation, file, outcome and (sysctl writes) values: a continuation of
 * the pending record. */
static bool continues(const struct audit_stream *s, const struct ps_audit_event *e)
{
	const struct ps_audit_event *p = &s->pending;

	return s->has_pending && p->tid == e->tid && p->rule == e->rule && p->op == e->op &&
	       p->target_tid == e->target_tid && (p->ret < 0) == (e->ret < 0) &&
	       !memcmp(p->path, e->path, sizeof(p->path)) && p->has_values == e->has_values &&
	       !memcmp(&p->values, &e->values, sizeof(p->values)) && p->action == e->action;
}

/* What a call's return counts in a record's bytes: the bytes of reads and writes, of files or of
 * another process's memory; nothing for opens, attaches and copied descriptors. */
static uint64_t returned_bytes(const struct ps_audit_event *e)
{
	bool moves = e->op == PS_OP_READ || e->op == PS_OP_WRITE || e->op == PS_OP_VM_READ ||
		     e->op == PS_OP_VM_WRITE;

	return moves && e->ret > 0 ? (uint64_t)e->ret : 0;
}

int audit_stream__event(void *ctx, const struct ps_audit_event *e)
{
	struct audit_stream *s = ctx;
	struct allow_subject subject;
	char exe[PS_PATH_LEN + 1];

	__atomic_fetch_add(&s->received, 1, __ATOMIC_RELAXED);
	if (e->rule <= PS_RULE_NONE || e->rule >= PS_RULE_COUNT)
		return 0;
	snprintf(exe, sizeof(exe), "%.*s", (int)strnlen(e->exe, sizeof(e->exe)), e->exe);
	subject = (struct allow_subject){
		.rule = e->rule,
		.exe = e->exe_truncated ? "" : exe, /* a cut path must not match a glob */
		.cgroup = cgroup_paths__lookup(s->cgroups, e->cgroup_id),
		.comm = e->comm,
		.uid = e->uid,
	};
	if (e->action != PS_ACTION_NONE)
		__atomic_fetch_add(&s->denied, 1, __ATOMIC_RELAXED);
	/* the kernel applied the allowlist before refusing: a refusal is never hidden */
	else if (allowlist__match(s->allow, &subject)) {
		__atomic_fetch_add(&s->allowed[e->rule], 1, __ATOMIC_RELAXED);
		return 0;
	}
	__atomic_fetch_add(&s->reported[e->rule], 1, __ATOMIC_RELAXED);
	if (!continues(s, e)) {
		if (s->has_pending)
			write_record(s);
		s->pending = *e;
		s->has_pending = true;
		s->pending_calls = 0;
		s->pending_bytes = 0;
	}
	s->pending_calls++;
	s->pending_bytes += returned_bytes(e);
	s->pending_last_ns = clock__ns(CLOCK_MONOTONIC);
	return 0;
}

uint64_t audit_stream__total(const uint64_t *per_rule)
{
	uint64_t n = 0;

	for (int r = 0; r < PS_RULE_COUNT; r++)
		n += __atomic_load_n(&per_rule[r], __ATOMIC_RELAXED);
	return n;
}

int audit_stream__load_allowlist(const char *path, struct allowlist *ret_list, char *err,
				 size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	int r;

	if (!path[0])
		return allowlist__parse(audit_default_allowlist, strlen(audit_default_allowlist),
					"built-in allowlist", ret_list, err, errlen);
	r = textfile__read(path, RULES_FILE_MAX, &text, &len);
	if (r) {
		snprintf(err, errlen, "cannot read the rules file %s: %s", path,
			 r == -EFBIG ? "larger than 1 MiB" : strerror(-r));
		return r;
	}
	r = allowlist__parse(text, len, path, ret_list, err, errlen);
	free(text);
	if (r == -EINVAL) {
		size_t used = strlen(err);

		snprintf(err + used, errlen - used, " (the allowlist format: docs/audit.md)");
	}
	return r;
}
