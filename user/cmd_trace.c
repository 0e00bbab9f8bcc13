// SPDX-License-Identifier: GPL-2.0-only
/* procscope trace: every read and write of a pseudo-file as one event, like BCC's trace. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "cmd_common.h"
#include "commands.h"
#include "render_trace.h"

struct trace_ctx {
	const struct run_opts *opts;
	struct trace_clock clock;
	uint64_t received; /* events that came through the ring buffer */
	uint64_t printed;  /* those that passed --path and were printed */
	bool done;	   /* -n reached */
};

static void trace_help(void)
{
	printf("Usage: procscope trace [OPTIONS]\n"
	       "Print every read and write of a /proc or /sys file as one event.\n\n"
	       "  -t, --tid TID         only this thread\n"
	       "  -u, --uid UID         only this user id\n"
	       "      --path GLOB       only paths matching GLOB, raw or normalized\n"
	       "                        ('/proc/*/environ' matches /proc/42/environ)\n"
	       "      --errors-only     only calls that failed\n"
	       "      --min-lat DUR     only calls that took at least DUR (500us, 2ms, 1s)\n"
	       "  -n, --count N         stop after N events\n"
	       "  -d, --duration SECS   stop after SECS seconds\n"
	       "      --ringbuf-size K  ring buffer KiB, a power of two (default 1024)\n"
	       "%s",
	       COMMON_OPTIONS_HELP);
}

static int on_event(void *arg, const struct ps_event *e)
{
	struct trace_ctx *t = arg;
	struct trace_paths paths;

	t->received++;
	if (t->done)
		return 0;
	trace__paths(e, &paths);
	if (t->opts->path_glob[0] && !trace__path_matches(&paths, t->opts->path_glob))
		return 0;
	if (t->opts->json)
		render_trace__json(stdout, e, &paths, &t->clock);
	else
		render_trace__table(stdout, e, &paths, &t->clock);
	t->printed++;
	if (t->opts->count && t->printed >= t->opts->count)
		t->done = true;
	return 0;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int cmd_trace(int argc, char **argv)
{
	struct run_opts o;
	struct trace_ctx t = { .opts = &o };
	struct loader *loader;
	uint64_t end = 0, lost = 0;
	sigset_t set;
	int r = cmd__parse(argc, argv, OPT_COUNT | OPT_TRACE, trace_help, &o);

	if (r >= 0)
		return r;
	cmd__block_stop_signals(&set);
	r = cmd__open_loader(&o, USE_TRACE, &loader);
	if (r)
		return r;
	r = loader__events_open(loader, on_event, &t);
	if (r) {
		fprintf(stderr, "procscope: cannot open the event ring buffer: %s\n", strerror(-r));
		loader__destroy(loader);
		return 1;
	}
	t.clock.mono_start_ns = mono_ns();
	clock_gettime(CLOCK_REALTIME, &t.clock.wall_start);
	if (o.duration_s > 0)
		end = t.clock.mono_start_ns + (uint64_t)(o.duration_s * 1e9);
	fprintf(stderr, "procscope: ready mode=%s probes=%d\n", mode__name(loader__mode(loader)),
		loader__probe_count(loader));
	if (!o.json)
		render_trace__header(stdout);
	while (!t.done && (!end || mono_ns() < end)) {
		r = loader__events_poll(loader, 100);
		if (r < 0 && r != -EINTR) {
			fprintf(stderr, "procscope: cannot read events: %s\n", strerror(-r));
			break;
		}
		fflush(stdout);
		if (cmd__wait_for_stop(&set, 0))
			break;
	}
	/* What is still in the ring buffer happened before the stop: print it too. */
	loader__events_poll(loader, 0);
	loader__counter(loader, PS_CNT_EVENTS_LOST, &lost);
	if (o.json)
		render_trace__json_summary(stdout, t.received, lost);
	fflush(stdout);
	fprintf(stderr, "procscope: %llu events received, %llu lost\n",
		(unsigned long long)t.received, (unsigned long long)lost);
	loader__destroy(loader);
	return r < 0 && r != -EINTR ? 1 : 0;
}
