// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "cmd_common.h"
#include "run_loop.h"
#include "util/clock.h"

bool cmd__wait_for_stop(const sigset_t *set, uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ull),
			       .tv_nsec = (long)(ns % 1000000000ull) };

	for (;;) {
		int sig = sigtimedwait(set, NULL, &ts);

		if (sig > 0)
			return true;
		if (errno == EAGAIN)
			return false;
		/* EINTR from another signal: simply wait again (a little longer at worst). */
	}
}

void cmd__block_stop_signals(sigset_t *ret_set)
{
	sigemptyset(ret_set);
	sigaddset(ret_set, SIGINT);
	sigaddset(ret_set, SIGTERM);
	sigprocmask(SIG_BLOCK, ret_set, NULL);
}

int cmd__event_loop(struct loader *l, const sigset_t *set, uint64_t end_ns,
		    event_loop_fn after_poll, void *ctx)
{
	int status = 0;

	while (!end_ns || clock__ns(CLOCK_MONOTONIC) < end_ns) {
		int r = loader__events_poll(l, 100);

		if (r < 0 && r != -EINTR) {
			fprintf(stderr, "procscope: cannot read events: %s\n", strerror(-r));
			status = 1;
			break;
		}
		if (after_poll(ctx) || cmd__wait_for_stop(set, 0))
			break;
	}
	/* What is still in the ring buffers happened before the stop: hand it over too. */
	loader__events_poll(l, 0);
	return status;
}

int cmd__run_intervals(struct run_opts *o, enum probe_use use, interval_fn fn, void *ctx)
{
	struct snapshot prev, cur, delta;
	uint64_t interval_ns, end = 0, intervals = 0;
	struct loader *loader;
	sigset_t set;
	bool stop = false;
	int r, status = 1;

	/* Blocked from here: they end the loop at an interval boundary instead of killing us. */
	cmd__block_stop_signals(&set);
	r = cmd__open_loader(o, use, &loader);
	if (r)
		return r;

	snapshot__init(&prev);
	r = loader__snapshot(loader, &prev);
	if (r) {
		fprintf(stderr, "procscope: cannot read the BPF maps: %s\n", strerror(-r));
		goto out_prev;
	}
	fprintf(stderr, "procscope: ready mode=%s probes=%d\n", mode__name(loader__mode(loader)),
		loader__probe_count(loader));

	/* Intervals and the duration count from the baseline snapshot. */
	interval_ns = (uint64_t)(o->interval_s * 1e9);
	if (o->duration_s > 0)
		end = prev.time_ns + (uint64_t)(o->duration_s * 1e9);
	while (!stop) {
		uint64_t now = clock__ns(CLOCK_MONOTONIC), deadline = prev.time_ns + interval_ns;
		struct interval_info info = { .mode = mode__name(loader__mode(loader)) };

		if (end && deadline >= end) {
			deadline = end;
			stop = true;
		}
		if (deadline > now && cmd__wait_for_stop(&set, deadline - now))
			stop = true;

		snapshot__init(&cur);
		snapshot__init(&delta);
		r = loader__snapshot(loader, &cur);
		if (!r)
			r = snapshot__delta(&prev, &cur, &delta);
		if (r) {
			fprintf(stderr, "procscope: cannot read the BPF maps: %s\n", strerror(-r));
			snapshot__free(&cur);
			snapshot__free(&delta);
			goto out_prev;
		}
		clock_gettime(CLOCK_REALTIME, &info.wall);
		info.interval_s = (double)(cur.time_ns - prev.time_ns) / 1e9;
		fn(ctx, &info, &delta);
		fflush(stdout);
		snapshot__free(&delta);
		snapshot__free(&prev);
		prev = cur;
		if (o->count && ++intervals >= o->count)
			stop = true;
	}
	status = 0;
out_prev:
	snapshot__free(&prev);
	loader__destroy(loader);
	return status;
}
