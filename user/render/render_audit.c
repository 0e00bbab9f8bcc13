// SPDX-License-Identifier: GPL-2.0-only
#define _GNU_SOURCE /* strerrorname_np */
#include <string.h>
#include "audit/audit_rules.h"
#include "core/probe_config.h"
#include "json_writer.h"
#include "render.h"
#include "render_audit.h"

void render_audit__header(FILE *out)
{
	fprintf(out, "%-8s %-8s %-23s %7s %-16s %6s %7s %-16s %6s %-9s %-8s %5s %8s %s\n", "TIME",
		"SEVERITY", "RULE", "PID", "COMM", "UID", "TPID", "TCOMM", "TUID", "RELATION", "OP",
		"CALLS", "BYTES", "PATH EXE CGROUP [parent=PID(COMM)] [container=RUNTIME:ID]");
}

static bool has_target(const struct ps_audit_event *e)
{
	return e->relation != PS_REL_NONE;
}

void render_audit__table(FILE *out, const struct audit_view *v)
{
	const struct ps_audit_event *e = v->e;
	const struct audit_rule_info *rule = audit_rule__info(e->rule);
	char clock[16];

	render__clock_time(&v->wall, clock, sizeof(clock));
	fprintf(out, "%-8s %-8s %-23s %7u ", clock,
		rule ? audit_severity__name(rule->severity) : "?", rule ? rule->id : "?", e->pid);
	render__text_padded(out, e->comm, sizeof(e->comm), 16);
	fprintf(out, " %6u ", e->uid);
	if (has_target(e)) {
		fprintf(out, "%7u ", e->target_pid ? e->target_pid : e->target_tid);
		render__text_padded(out, e->target_comm, sizeof(e->target_comm), 16);
		fprintf(out, " %6u ", e->target_uid);
	} else {
		fprintf(out, "%7s %-16s %6s ", "-", "-", "-");
	}
	fprintf(out, "%-9s %-8s ", has_target(e) ? audit_relation__name(e->relation) : "-",
		op__name(e->op));
	fprintf(out, "%5llu ", (unsigned long long)v->calls);
	if (e->ret >= 0)
		fprintf(out, "%8llu ", (unsigned long long)v->bytes);
	else
		fprintf(out, "%8s ", strerrorname_np((int)-e->ret) ?: "error");
	render__text(out, v->path[0] ? v->path : "-", sizeof(v->path)); /* a door has none */
	fputc(' ', out);
	render__text(out, v->exe[0] ? v->exe : "-", sizeof(v->exe));
	fputc(' ', out);
	if (v->cgroup)
		render__text(out, v->cgroup, strlen(v->cgroup));
	else
		fprintf(out, "cgroup:%llu", (unsigned long long)e->cgroup_id);
	if (e->ppid) {
		fprintf(out, " parent=%u(", e->ppid);
		render__text(out, e->parent_comm, sizeof(e->parent_comm));
		fputc(')', out);
	}
	/* the short id, as docker ps and podman ps show it */
	if (v->container.runtime)
		fprintf(out, " container=%s:%.12s", v->container.runtime, v->container.id);
	if (audit_rule__has_values(e->rule) && e->has_values) {
		fputs(" value=", out);
		render__text(out, v->old_value, sizeof(v->old_value));
		fputs("->", out);
		render__text(out, v->new_value, sizeof(v->new_value));
	}
	if (e->action != PS_ACTION_NONE)
		fprintf(out, " action=%s", audit_action__name(e->action));
	fputc('\n', out);
}

static void json_string_or_null(struct json_writer *w, const char *key, const char *s)
{
	json__key(w, key);
	if (s && *s)
		json__string(w, s);
	else
		json__null(w);
}

/* {"pid", "comm", "exe"} of an ancestor, null above init. */
static void json_ancestor(struct json_writer *w, const char *key, uint32_t pid,
			  const char comm[PS_COMM_LEN], const char *exe)
{
	json__key(w, key);
	if (!pid) {
		json__null(w);
		return;
	}
	json__begin_object(w);
	json__key(w, "pid");
	json__u64(w, pid);
	json__key(w, "comm");
	json__string_n(w, comm, PS_COMM_LEN);
	json_string_or_null(w, "exe", exe);
	json__end_object(w);
}

/* {"runtime", "id", "pod_uid"}, null outside containers. */
static void json_container(struct json_writer *w, const struct container_ref *c)
{
	json__key(w, "container");
	if (!c->runtime) {
		json__null(w);
		return;
	}
	json__begin_object(w);
	json__key(w, "runtime");
	json__string(w, c->runtime);
	json__key(w, "id");
	json__string(w, c->id);
	json_string_or_null(w, "pod_uid", c->pod_uid);
	json__end_object(w);
}

void render_audit__json(FILE *out, const struct audit_view *v)
{
	const struct ps_audit_event *e = v->e;
	const struct audit_rule_info *rule = audit_rule__info(e->rule);
	struct json_writer w;
	char time[48];

	render__iso_time(&v->wall, time, sizeof(time));
	json__init(&w, out);
	json__begin_object(&w);
	json_string_or_null(&w, "time", time);
	json_string_or_null(&w, "rule", rule ? rule->id : NULL);
	json_string_or_null(&w, "severity", rule ? audit_severity__name(rule->severity) : NULL);
	json_string_or_null(&w, "mitre", rule ? rule->mitre : NULL);
	json_string_or_null(&w, "op", op__name(e->op));
	json_string_or_null(&w, "path", v->path);
	json_string_or_null(&w, "sysctl", v->sysctl);
	if (audit_rule__has_values(e->rule)) {
		/* values only where the cgroup/sysctl program saw the write, else why not ("" is
		 * a value: an empty write) */
		json__key(&w, "old_value");
		e->has_values ? json__string(&w, v->old_value) : json__null(&w);
		json__key(&w, "new_value");
		e->has_values ? json__string(&w, v->new_value) : json__null(&w);
		json_string_or_null(&w, "values_note",
				    e->has_values ? NULL
						  : v->values_missing ?: "the write was not seen");
	}
	json__key(&w, "calls");
	json__u64(&w, v->calls);
	json__key(&w, "bytes");
	json__u64(&w, v->bytes);
	json_string_or_null(&w, "error", e->ret < 0 ? strerrorname_np((int)-e->ret) : NULL);
	json_string_or_null(&w, "action",
			    e->action != PS_ACTION_NONE ? audit_action__name(e->action) : NULL);

	json__key(&w, "reader");
	json__begin_object(&w);
	render__json_process(&w, e->pid, e->tid, e->comm, e->uid);
	json_string_or_null(&w, "exe", v->exe);
	json_string_or_null(&w, "cgroup", v->cgroup);
	json__key(&w, "cgroup_id");
	json__u64(&w, e->cgroup_id);
	json_container(&w, &v->container);
	json_ancestor(&w, "parent", e->ppid, e->parent_comm, v->parent_exe);
	json_ancestor(&w, "grandparent", e->gppid, e->grandparent_comm, v->grandparent_exe);
	json__end_object(&w);

	json__key(&w, "target");
	if (has_target(e)) {
		json__begin_object(&w);
		json__key(&w, "pid");
		if (e->target_pid)
			json__u64(&w, e->target_pid);
		else
			json__null(&w); /* exited */
		json__key(&w, "tid");
		json__u64(&w, e->target_tid);
		json_string_or_null(&w, "comm", e->target_comm[0] ? e->target_comm : NULL);
		json__key(&w, "uid");
		if (e->target_pid)
			json__u64(&w, e->target_uid);
		else
			json__null(&w);
		json_string_or_null(&w, "relation", audit_relation__name(e->relation));
		json_string_or_null(&w, "pidns", audit_pidns__name(e->pidns));
		json_string_or_null(&w, "cgroup", v->target_cgroup);
		json_container(&w, &v->target_container);
		json__end_object(&w);
	} else {
		json__null(&w);
	}
	json__end_object(&w);
	json__end_record(&w);
}

void render_audit__json_summary(FILE *out, uint64_t received, uint64_t lost, uint64_t allowed,
				uint64_t denied)
{
	static const char *const keys[] = { "received", "lost", "allowed", "denied" };
	const uint64_t values[] = { received, lost, allowed, denied };

	render__json_counts(out, keys, values, 4);
}

void render_audit__rules(FILE *out, bool json)
{
	struct json_writer w;

	if (!json)
		fprintf(out, "%-24s %-9s %-10s %s\n", "RULE", "SEVERITY", "ATT&CK", "WHAT");
	for (unsigned int r = PS_RULE_NONE + 1; r < PS_RULE_COUNT; r++) {
		const struct audit_rule_info *info = audit_rule__info(r);

		if (!json) {
			fprintf(out, "%-24s %-9s %-10s %s\n", info->id,
				audit_severity__name(info->severity), info->mitre, info->summary);
			continue;
		}
		json__init(&w, out);
		json__begin_object(&w);
		json__key(&w, "rule");
		json__string(&w, info->id);
		json__key(&w, "severity");
		json__string(&w, audit_severity__name(info->severity));
		json__key(&w, "summary");
		json__string(&w, info->summary);
		json__key(&w, "mitre");
		json__string(&w, info->mitre);
		json__end_object(&w);
		json__end_record(&w);
	}
}
