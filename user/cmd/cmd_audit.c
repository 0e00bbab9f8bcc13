// SPDX-License-Identifier: GPL-2.0-only
/* procscope audit: accesses to sensitive pseudo-files, as they happen, minus the allowlist. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/audit_rules.h"
#include "audit/audit_stream.h"
#include "audit/enforce_allow.h"
#include "cmd_common.h"
#include "run_loop.h"
#include "commands.h"
#include "render/render_audit.h"

static bool audit_after_poll(void *arg)
{
	struct audit_stream *s = arg;

	audit_stream__flush(s, false);
	fflush(stdout);
	return s->done;
}

static void write_line(void *ctx, const struct audit_view *v)
{
	(void)ctx;
	render_audit__table(stdout, v);
}

static void write_json(void *ctx, const struct audit_view *v)
{
	(void)ctx;
	render_audit__json(stdout, v);
}

/* The allowlist as the kernel applies it to --enforce; @note: a warning to print once the
 * enforcement is set up (where the kernel can enforce nothing, its one line says so alone).
 * Returns 0, or the exit status after saying why. */
static int enforce_allowlist(struct run_opts *o, const struct allowlist *allow,
			     struct cgroup_paths *cgroups, struct ps_enforce_allow **ret_entries,
			     char *note, size_t notelen)
{
	char err[256];
	int n = enforce_allow__build(allow, o->probe.enforce_rules,
				     cgroups ? cgroup_paths__mount_point(cgroups) : NULL,
				     ret_entries, note, notelen, err, sizeof(err));

	if (n < 0) {
		fprintf(stderr, "procscope: %s\n", err);
		return n == -E2BIG ? EXIT_USAGE : 1;
	}
	o->probe.enforce_allow = *ret_entries;
	o->probe.enforce_allow_n = (uint32_t)n;
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	struct audit_stream s = { 0 };
	struct allowlist allow = { 0 };
	struct ps_enforce_allow *enforce_allow = NULL;
	struct loader *loader = NULL;
	uint64_t end = 0, lost = 0;
	const char *kept = "";
	char enforce_note[160] = "";
	struct run_opts o;
	sigset_t set;
	int status;
	int r = cmd__parse(argc, argv, CLI_AUDIT, &o);

	if (r >= 0)
		return r;
	if (o.list_rules) {
		render_audit__rules(stdout, o.json);
		return 0;
	}
	o.probe.audit = true;
	o.probe.no_latency = true; /* an audit needs the return only */
	cmd__block_stop_signals(&set);
	status = cmd__audit_prepare(&o, &allow, &s.cgroups);
	if (status)
		return status;
	if (o.probe.enforce_rules) {
		status = enforce_allowlist(&o, &allow, s.cgroups, &enforce_allow, enforce_note,
					   sizeof(enforce_note));
		if (status)
			goto out;
	}
	status = cmd__open_loader(&o, USE_AUDIT, &loader);
	if (status)
		goto out;
	if (enforce_note[0])
		fprintf(stderr, "procscope: warning: %s\n", enforce_note);
	s.allow = &allow;
	s.write = o.json ? write_json : write_line;
	s.max_reported = o.count;
	audit_stream__init(&s);
	status = cmd__audit_open(loader, &s);
	if (status)
		goto out;
	/* A security sensor runs long: once attached it needs at most map reads (see the daemon).
	 */
	status = cmd__lock_down(loader, &kept);
	if (status)
		goto out;
	if (o.duration_s > 0)
		end = s.mono_start_ns + (uint64_t)(o.duration_s * 1e9);
	fprintf(stderr, "procscope: ready mode=%s probes=%d allowlist=%zu capabilities=%s",
		mode__name(loader__mode(loader)), loader__probe_count(loader), allow.n, kept);
	if (o.probe.enforce_rules)
		fprintf(stderr, " enforce=%s%s", loader__enforce_kind(loader),
			o.probe.enforce_dry_run ? " dry-run" : "");
	fputc('\n', stderr);
	if (!o.json)
		render_audit__header(stdout);
	fflush(stdout);
	status = cmd__event_loop(loader, &set, end, audit_after_poll, &s);
	audit_stream__flush(&s, true);
	loader__counter(loader, PS_CNT_AUDIT_LOST, &lost);
	if (o.json)
		render_audit__json_summary(stdout, s.received, lost, audit_stream__total(s.allowed),
					   s.denied);
	fflush(stdout);
	fprintf(stderr,
		"procscope: %llu calls matched a rule: %llu reported in %llu records, %llu "
		"allowed, "
		"%llu lost",
		(unsigned long long)s.received, (unsigned long long)audit_stream__total(s.reported),
		(unsigned long long)s.records, (unsigned long long)audit_stream__total(s.allowed),
		(unsigned long long)lost);
	if (o.probe.enforce_rules)
		fprintf(stderr, ", %llu %s", (unsigned long long)s.denied,
			o.probe.enforce_dry_run ? "would have been denied" : "denied");
	fputc('\n', stderr);
out:
	loader__destroy(loader);
	cgroup_paths__free(s.cgroups);
	allowlist__free(&allow);
	free(enforce_allow);
	return status;
}
