// SPDX-License-Identifier: GPL-2.0-only
/* procscope daemon: a Prometheus endpoint; the maps are read at each scrape. */
#define _GNU_SOURCE /* open_memstream */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include "cmd_common.h"
#include "commands.h"
#include "http_server.h"
#include "listen_addr.h"
#include "selfstat.h"

struct daemon_ctx {
	struct loader *loader;
	struct prom_info info;
	double start_time;
};

static void daemon_help(void)
{
	printf("Usage: procscope daemon [OPTIONS]\n"
	       "Serve Prometheus metrics of /proc and /sys reads and writes on /metrics.\n\n"
	       "      --listen ADDR:PORT  address to serve on (default %s; [::1]:PORT for IPv6)\n"
	       "      --per-process       add a comm label to the per-file metrics\n"
	       "      --no-latency        count only: no entry probes where the return has the "
	       "file\n"
	       "  -d, --duration SECS     stop after SECS seconds\n"
	       "%s",
	       LISTEN_DEFAULT, COMMON_OPTIONS_HELP);
}

static double now_seconds(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs on the HTTP server's one polling thread, never concurrently with itself. */
static int render_metrics(void *arg, char **ret_body, size_t *ret_len)
{
	struct daemon_ctx *d = arg;
	double start = now_seconds(CLOCK_MONOTONIC);
	struct snapshot snap;
	FILE *out;
	int r;

	/* The previous scrape's buffers (a snapshot, a body of up to megabytes) are free by now:
	 * hand them back, so resident memory follows the current scrape, not the largest one. */
	malloc_trim(0);
	snapshot__init(&snap);
	r = loader__snapshot(d->loader, &snap);
	if (r)
		goto out_snap;
	out = open_memstream(ret_body, ret_len);
	if (!out) {
		r = -errno;
		goto out_snap;
	}
	selfstat__read(d->start_time, &d->info.self);
	r = prom__render(out, &snap, &d->info);
	prom__scrape_duration(out, now_seconds(CLOCK_MONOTONIC) - start);
	if (fclose(out) && !r)
		r = -ENOMEM;
	if (r) {
		free(*ret_body);
		*ret_body = NULL;
	}
out_snap:
	snapshot__free(&snap);
	return r;
}

int cmd_daemon(int argc, char **argv)
{
	struct daemon_ctx d = { .start_time = now_seconds(CLOCK_REALTIME) };
	struct http_server *server;
	struct run_opts o;
	struct utsname uts;
	sigset_t set;
	int r = cmd__parse(argc, argv, OPT_PER_PROCESS | OPT_LISTEN | OPT_COUNTING, daemon_help,
			   &o);

	if (r >= 0)
		return r;
	uname(&uts);
	/* One malloc arena for the HTTP thread and this one: a second arena would keep its own
	 * high-water mark of scrape buffers resident. */
	mallopt(M_ARENA_MAX, 1);
	cmd__block_stop_signals(&set);
	r = cmd__open_loader(&o, USE_FUNCTION_COUNTERS, &d.loader);
	if (r)
		return r;
	d.info = (struct prom_info){
		.version = PROCSCOPE_VERSION,
		.mode = mode__name(loader__mode(d.loader)),
		.kernel = uts.release,
		.per_process = o.per_process,
		.max_files = o.max_files,
	};
	r = http_server__start(&o.listen, o.listen_len, render_metrics, &d, &server);
	if (r) {
		fprintf(stderr, "procscope: cannot listen on %s: %s%s\n", o.listen_text,
			r == -EIO ? "libmicrohttpd failed to start" : strerror(-r),
			r == -EADDRINUSE ? " (choose another with --listen)" : "");
		loader__destroy(d.loader);
		return 1;
	}
	fprintf(stderr, "procscope: ready mode=%s probes=%d listen=%s\n", d.info.mode,
		loader__probe_count(d.loader), o.listen_text);
	cmd__wait_for_stop(&set, o.duration_s > 0 ? (uint64_t)(o.duration_s * 1e9) : UINT64_MAX);
	fprintf(stderr, "procscope: stopping\n");
	http_server__stop(server);
	loader__destroy(d.loader);
	return 0;
}
