// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "audit/audit_stream.h"
#include "util/clock.h"
#include "cmd_common.h"
#include "cli/help.h"
#include "core/loader.h"
#include "daemon/privileges.h"

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* libbpf's messages are printf formats: the attribute lets -Wformat-nonliteral (clang) see that. */
__attribute__((format(printf, 2, 0))) static int libbpf_verbose(enum libbpf_print_level level,
								const char *fmt, va_list ap)
{
	(void)level;
	return vfprintf(stderr, fmt, ap);
}

int cmd__parse(int argc, char **argv, enum cli_command cmd, struct run_opts *ret_opts)
{
	char err[512];

	options__defaults(ret_opts);
	if (options__parse(argc, argv, cmd, ret_opts, err, sizeof(err))) {
		fprintf(stderr, "procscope %s: %s (see 'procscope %s --help')\n", argv[0], err,
			argv[0]);
		return EXIT_USAGE;
	}
	if (ret_opts->help) {
		help__command(stdout, cmd);
		return 0;
	}
	libbpf_set_print(ret_opts->verbose ? libbpf_verbose : libbpf_quiet);
	if (ret_opts->probe.tgid && kill((pid_t)ret_opts->probe.tgid, 0) && errno == ESRCH) {
		fprintf(stderr, "procscope %s: no process with pid %u (check -p/--pid)\n", argv[0],
			ret_opts->probe.tgid);
		return EXIT_USAGE;
	}
	/* A file named on the command line that cannot be used is a usage error, whichever
	 * option named it, found before anything is attached. */
	if (ret_opts->probe.btf_path[0] &&
	    loader__check_btf(ret_opts->probe.btf_path, err, sizeof(err))) {
		fprintf(stderr, "procscope: %s\n", err);
		return EXIT_USAGE;
	}
	return -1;
}

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

int cmd__open_loader(struct run_opts *o, enum probe_use use, struct loader **ret_loader)
{
	char err[1024];

	if (!privileges__can_trace()) {
		fprintf(stderr, "procscope: permission denied: run as root, or with CAP_BPF and "
				"CAP_PERFMON (CAP_SYS_ADMIN before Linux 5.8)\n");
		return 1;
	}
	o->probe.use = use;
	if (loader__open(&o->probe, ret_loader, err, sizeof(err))) {
		fprintf(stderr, "procscope: %s\n", err);
		return 1;
	}
	for (int i = 0; loader__warning(*ret_loader, i); i++)
		fprintf(stderr, "procscope: warning: %s\n", loader__warning(*ret_loader, i));
	return 0;
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

/* Loads --rules and finds the cgroup mount. Returns 0, or the exit status after saying why. */
int cmd__audit_prepare(const struct run_opts *o, struct allowlist *ret_allow,
		       struct cgroup_paths **ret_cgroups)
{
	char err[512];

	if (audit_stream__load_allowlist(o->rules_path, ret_allow, err, sizeof(err))) {
		fprintf(stderr, "procscope: %s\n", err);
		return EXIT_USAGE;
	}
	*ret_cgroups = cgroup_paths__new();
	if (!*ret_cgroups)
		fprintf(stderr,
			"procscope: warning: no cgroup2 mount found (%s): readers' cgroups are "
			"shown by id, and cgroup matchers of the allowlist match nothing\n",
			strerror(errno));
	return 0;
}

/* A map read, as scrapes and the end of a run do. */
static int read_check(void *ctx)
{
	uint64_t v;

	return loader__counter(ctx, PS_CNT_FILES_FULL, &v);
}

int cmd__lock_down(struct loader *l, const char **ret_kept)
{
	char err[256];

	if (privileges__drop(read_check, l, ret_kept, err, sizeof(err)) ||
	    privileges__restrict_syscalls(err, sizeof(err))) {
		fprintf(stderr, "procscope: %s\n", err);
		return 1;
	}
	return 0;
}
