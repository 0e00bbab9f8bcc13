// SPDX-License-Identifier: GPL-2.0-only
/* procscope daemon: a Prometheus endpoint; the maps are read at each scrape. */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdio_ext.h> /* __fsetlocking */
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include "audit/allowlist.h"
#include "audit/audit_stream.h"
#include "audit/cgroup_paths.h"
#include "util/clock.h"
#include "cmd_common.h"
#include "run_loop.h"
#include "commands.h"
#include "daemon/http_server.h"
#include "util/listen_addr.h"
#include "util/selfstat.h"
#include "daemon/web_config.h"
#include "render/render_audit.h"
#include "util/sizedstream.h"

struct daemon_ctx {
	struct loader *loader;
	struct prom_info info;
	double start_time;
	/* --audit */
	struct audit_stream audit;
	struct allowlist allow;
	FILE *audit_log;       /* --audit-log, NULL: none */
	struct web_config web; /* --web.config.file */
	size_t last_body_len;  /* the previous scrape's: the next one's buffer starts there */
};

static double now_seconds(clockid_t clock)
{
	return (double)clock__ns(clock) / 1e9;
}

/* Runs on the HTTP server's one polling thread, never concurrently with itself. */
static int render_metrics(void *arg, char **ret_body, size_t *ret_len)
{
	struct daemon_ctx *d = arg;
	double start = now_seconds(CLOCK_MONOTONIC);
	struct snapshot snap;
	FILE *out;
	int r;

	/* The previous scrape's buffers (snapshot, labels, body) are free by now and stay in the
	 * heap for this one: handing them back (malloc_trim) made every scrape fault its pages in
	 * again, 25 ms against 4 at 14,000 series here (docs/benchmarks.md). */
	snapshot__init(&snap);
	r = loader__snapshot(d->loader, &snap);
	if (r)
		goto out_snap;
	/* A little over the last body: series come and go between two scrapes. */
	out = sizedstream__open(d->last_body_len + d->last_body_len / 16 + 4096, ret_body, ret_len);
	if (!out) {
		r = -errno;
		goto out_snap;
	}
	__fsetlocking(out, FSETLOCKING_BYCALLER); /* one thread writes it: no lock per call */
	selfstat__read(d->start_time, &d->info.self);
	r = prom__render(out, &snap, &d->info);
	prom__scrape_duration(out, now_seconds(CLOCK_MONOTONIC) - start);
	if (fclose(out) && !r)
		r = -ENOMEM;
	if (r) {
		free(*ret_body);
		*ret_body = NULL;
	} else {
		d->last_body_len = *ret_len;
	}
out_snap:
	snapshot__free(&snap);
	return r;
}

/* --audit's outputs: the allowlist, the cgroup paths and the log. Returns 0 or the exit status
 * after printing why. */
/* The audit log holds NDJSON records, whole lines for log shippers. */
static void write_audit_record(void *ctx, const struct audit_view *v)
{
	render_audit__json(ctx, v);
}

static int prepare_audit(const struct run_opts *o, struct daemon_ctx *d)
{
	int status = cmd__audit_prepare(o, &d->allow, &d->audit.cgroups);

	if (status)
		return status;
	if (!strcmp(o->audit_log, "-")) {
		d->audit_log = stdout;
	} else if (o->audit_log[0]) {
		d->audit_log = fopen(o->audit_log, "ae");
		if (!d->audit_log) {
			fprintf(stderr, "procscope: cannot open the audit log %s: %s\n",
				o->audit_log, strerror(errno));
			return EXIT_USAGE;
		}
		setvbuf(d->audit_log, NULL, _IOLBF, 0); /* whole records for log shippers */
	}
	d->audit.allow = &d->allow;
	if (d->audit_log) {
		d->audit.write = write_audit_record;
		d->audit.write_ctx = d->audit_log;
	}
	return 0;
}

static bool audit_after_poll(void *arg)
{
	audit_stream__flush(arg, false);
	return false;
}

/* Until -d or a stop signal; with --audit, reading audit events meanwhile. */
static int serve(struct daemon_ctx *d, const struct run_opts *o, const sigset_t *set)
{
	uint64_t duration = o->duration_s > 0 ? (uint64_t)(o->duration_s * 1e9) : 0;
	int status;

	if (!o->probe.audit) {
		cmd__wait_for_stop(set, duration ? duration : UINT64_MAX);
		return 0;
	}
	status = cmd__event_loop(d->loader, set,
				 duration ? clock__ns(CLOCK_MONOTONIC) + duration : 0,
				 audit_after_poll, &d->audit);
	audit_stream__flush(&d->audit, true);
	return status;
}

static void daemon_cleanup(struct daemon_ctx *d)
{
	loader__destroy(d->loader);
	if (d->audit_log && d->audit_log != stdout)
		fclose(d->audit_log);
	cgroup_paths__free(d->audit.cgroups);
	allowlist__free(&d->allow);
	web_config__free(&d->web);
}

/* The listening socket, bound before any BPF is loaded: a port in use or TLS material that does
 * not load fails in milliseconds, not after every program is attached (under systemd's
 * Restart=on-failure, a load-attach-fail loop). Returns 0 or the exit status after printing. */
static int open_endpoint(const struct run_opts *o, struct daemon_ctx *d,
			 struct http_server **ret_server)
{
	char err[512];
	int r;

	if (o->web_config[0]) {
		r = web_config__load(o->web_config, &d->web, err, sizeof(err));
		if (r) {
			fprintf(stderr, "procscope: bad --web.config.file: %s\n", err);
			return EXIT_USAGE;
		}
	}
	r = http_server__open(&o->listen, o->listen_len, o->web_config[0] ? &d->web : NULL,
			      render_metrics, d, ret_server, err, sizeof(err));
	if (r == -EINVAL) {
		fprintf(stderr, "procscope: bad --web.config.file: %s\n", err);
		return EXIT_USAGE;
	}
	if (r) {
		fprintf(stderr, "procscope: cannot listen on %s: %s%s\n", o->listen_text,
			strerror(-r), r == -EADDRINUSE ? " (choose another with --listen)" : "");
		return 1;
	}
	return 0;
}

int cmd_daemon(int argc, char **argv)
{
	struct daemon_ctx d = { .start_time = now_seconds(CLOCK_REALTIME) };
	struct http_server *server = NULL;
	const char *kept = "";
	struct run_opts o;
	struct utsname uts;
	sigset_t set;
	int r = cmd__parse(argc, argv, CLI_DAEMON, &o);

	if (r >= 0)
		return r;
	if (!o.probe.audit && (o.rules_path[0] || o.list_rules)) {
		fprintf(stderr, "procscope daemon: --rules and --list-rules need --audit (see "
				"'procscope daemon --help')\n");
		return EXIT_USAGE;
	}
	uname(&uts);
	/* One malloc arena for the HTTP thread and this one: a second arena would keep its own
	 * high-water mark of scrape buffers resident. */
	mallopt(M_ARENA_MAX, 1);
	cmd__block_stop_signals(&set);
	if (o.probe.audit) {
		r = prepare_audit(&o, &d);
		if (r)
			goto out;
	}
	r = open_endpoint(&o, &d, &server);
	if (r)
		goto out;
	r = cmd__open_loader(&o, USE_FUNCTION_COUNTERS, &d.loader);
	if (r)
		goto out_server;
	d.info = (struct prom_info){
		.version = PROCSCOPE_VERSION,
		.mode = mode__name(loader__mode(d.loader)),
		.kernel = uts.release,
		.per_process = o.probe.per_process,
		.max_files = o.probe.max_files,
		.impact = o.probe.impact,
	};
	if (o.probe.audit) {
		audit_stream__init(&d.audit);
		r = cmd__audit_open(d.loader, &d.audit);
		if (r)
			goto out_server;
		d.info.audit_reported = d.audit.reported;
		d.info.audit_allowed = d.audit.allowed;
		d.info.audit_rules = o.probe.audit_rules;
	}
	/* Attached and bound: what is left needs at most map reads. Before the HTTP thread
	 * starts, as capabilities belong to each thread. */
	r = cmd__lock_down(d.loader, &kept);
	if (r)
		goto out_server;
	r = http_server__run(server);
	if (r) {
		fprintf(stderr, "procscope: cannot listen on %s: libmicrohttpd failed to start\n",
			o.listen_text);
		r = 1;
		goto out_server;
	}
	fprintf(stderr, "procscope: ready mode=%s probes=%d listen=%s%s%s%s capabilities=%s\n",
		d.info.mode, loader__probe_count(d.loader), o.listen_text,
		d.web.tls ? " tls=on" : "", o.probe.audit ? " audit=on" : "",
		o.probe.impact ? " impact=on" : "", kept);
	/* systemd's Type=notify: ready once attached and serving (a no-op outside systemd). */
	sd_notify(0, "READY=1");
	r = serve(&d, &o, &set);
	sd_notify(0, "STOPPING=1");
	fprintf(stderr, "procscope: stopping\n");
out_server:
	http_server__stop(server);
out:
	daemon_cleanup(&d);
	return r;
}
