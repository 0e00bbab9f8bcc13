// SPDX-License-Identifier: GPL-2.0-only
/* procscope trace: every read and write of a pseudo-file, or every call of chosen kernel
 * functions, as one event, with stacks when asked; like BCC's trace. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "util/clock.h"
#include "cmd_common.h"
#include "run_loop.h"
#include "commands.h"
#include "render/flamegraph.h"
#include "render/folded.h"
#include "render/render_trace.h"
#include "stacks/symbolizer.h"

struct trace_ctx {
	const struct run_opts *opts;
	struct loader *loader;
	struct trace_view view;
	struct symbolizer sym;
	struct folded *folded;	    /* --folded or --flamegraph, else NULL */
	struct event_stacks stacks; /* of the event at hand (too big for the stack) */
	uint64_t received;	    /* events that came through the ring buffer */
	uint64_t printed;	    /* those that passed --path */
	uint64_t ustacks_truncated; /* user stacks that go on beyond their frames */
	bool done;		    /* -n reached */
	int error;		    /* -ENOMEM from the folded stacks */
};

/* A stall names the reader's file by its statistics slot: the path, from the loader. */
static const struct ps_event *with_stall_path(struct trace_ctx *t, const struct ps_event *e,
					      struct ps_event *copy)
{
	struct ps_file_key key;

	if (e->op != PS_OP_STALL)
		return e;
	*copy = *e;
	if (loader__slot_key(t->loader, e->reader_slot, &key))
		snprintf(copy->path, sizeof(copy->path), "%s", PS_OTHER_PATH);
	else
		memcpy(copy->path, key.path, sizeof(copy->path));
	return copy;
}

static int on_event(void *arg, const struct ps_event *raw, const struct ps_stacks *st,
		    const struct ps_ustack_copy *copy)
{
	struct trace_ctx *t = arg;
	struct event_stacks *stacks = NULL;
	struct trace_paths paths;
	struct ps_event with_path;
	const struct ps_event *e;

	if (raw->op == PS_OP_MAP) {
		symbolizer__mapped(&t->sym, raw, (const struct ps_map_event *)(raw + 1));
		return 0;
	}
	t->received++;
	if (t->done)
		return 0;
	e = with_stall_path(t, raw, &with_path);
	trace__paths(e, &paths);
	if (t->opts->path_glob[0] && !trace__path_matches(&paths, t->opts->path_glob))
		return 0;
	if (st) {
		/* Events of kernel functions (not system calls) name the function whose return
		 * took the stack. */
		symbolizer__event(&t->sym, e, st, copy, trace__stack_func(&t->view, e), &t->stacks);
		stacks = &t->stacks;
		t->ustacks_truncated += stacks->user_truncated;
	}
	if (t->folded && stacks && folded__add_event(t->folded, e->comm, sizeof(e->comm), stacks))
		t->error = -ENOMEM;
	if (t->opts->folded)
		; /* only the aggregate, at the end */
	else if (t->opts->json)
		render_trace__json(stdout, e, &paths, stacks, &t->view);
	else
		render_trace__table(stdout, e, &paths, stacks, &t->view);
	t->printed++;
	if (t->opts->count && t->printed >= t->opts->count)
		t->done = true;
	return 0;
}

static bool trace_after_poll(void *arg)
{
	const struct trace_ctx *t = arg;

	fflush(stdout);
	return t->done;
}

/* Everything before the ready line that can fail on bad input: the flame graph's file and the
 * kernel's symbols. Returns 0, or 1 after printing why. */
static int prepare_outputs(struct trace_ctx *t, FILE **ret_svg)
{
	const struct run_opts *o = t->opts;
	bool hidden;
	int r;

	*ret_svg = NULL;
	if (o->flamegraph[0]) {
		*ret_svg = fopen(o->flamegraph, "we");
		if (!*ret_svg) {
			fprintf(stderr, "procscope: cannot write the flame graph to %s: %s\n",
				o->flamegraph, strerror(errno));
			return EXIT_USAGE;
		}
	}
	if (o->folded || o->flamegraph[0]) {
		t->folded = folded__new();
		if (!t->folded) {
			fprintf(stderr, "procscope: out of memory\n");
			return 1;
		}
	}
	r = symbolizer__open(&t->sym, o->probe.stacks, &hidden);
	if (r) {
		fprintf(stderr,
			"procscope: cannot read the kernel's symbols (/proc/kallsyms): %s\n",
			strerror(-r));
		return 1;
	}
	if (hidden)
		fprintf(stderr, "procscope: warning: the kernel hides its addresses from this "
				"process (kernel.kptr_restrict=2, or no CAP_SYSLOG): kernel frames "
				"print as [unknown]; 'sysctl kernel.kptr_restrict=1' as root shows "
				"them\n");
	return 0;
}

/* The aggregate outputs, after the last event. Returns 0 or 1. */
static int finish_outputs(struct trace_ctx *t, FILE *svg)
{
	char title[128];
	int status = 0;

	if (t->error) {
		fprintf(stderr, "procscope: out of memory counting stacks: the aggregate is "
				"incomplete\n");
		status = 1;
	}
	if (t->opts->folded)
		folded__print(t->folded, stdout);
	if (svg) {
		snprintf(title, sizeof(title), "procscope trace: %llu events",
			 (unsigned long long)folded__total(t->folded));
		if (flamegraph__write(t->folded, title, svg) || fflush(svg) || ferror(svg)) {
			fprintf(stderr, "procscope: cannot write the flame graph to %s\n",
				t->opts->flamegraph);
			status = 1;
		}
	}
	return status;
}

int cmd_trace(int argc, char **argv)
{
	struct run_opts o;
	struct trace_ctx *t;
	struct loader *loader = NULL;
	uint64_t end = 0, lost = 0;
	FILE *svg = NULL;
	sigset_t set;
	int status = 1;
	int r = cmd__parse(argc, argv, CLI_TRACE, &o);

	if (r >= 0)
		return r;
	t = calloc(1, sizeof(*t));
	if (!t) {
		fprintf(stderr, "procscope: out of memory\n");
		return 1;
	}
	t->opts = &o;
	t->view.funcs = o.probe.funcs;
	t->view.nfuncs = o.probe.nfuncs;
	cmd__block_stop_signals(&set);
	r = prepare_outputs(t, &svg);
	if (r) {
		status = r;
		goto out;
	}
	if (cmd__open_loader(&o, USE_TRACE, &loader))
		goto out;
	t->loader = loader;
	r = loader__events_open(loader, on_event, t);
	if (r) {
		fprintf(stderr, "procscope: cannot open the event ring buffer: %s\n", strerror(-r));
		goto out;
	}
	t->view.mono_start_ns = clock__ns(CLOCK_MONOTONIC);
	clock_gettime(CLOCK_REALTIME, &t->view.wall_start);
	if (o.duration_s > 0)
		end = t->view.mono_start_ns + (uint64_t)(o.duration_s * 1e9);
	fprintf(stderr, "procscope: ready mode=%s probes=%d\n", mode__name(loader__mode(loader)),
		loader__probe_count(loader));
	if (!o.json && !o.folded)
		render_trace__header(stdout);
	status = cmd__event_loop(loader, &set, end, trace_after_poll, t);
	loader__counter(loader, PS_CNT_EVENTS_LOST, &lost);
	if (finish_outputs(t, svg))
		status = 1;
	if (o.json)
		render_trace__json_summary(stdout, t->received, lost, t->ustacks_truncated);
	fflush(stdout);
	fprintf(stderr, "procscope: %llu events received, %llu lost",
		(unsigned long long)t->received, (unsigned long long)lost);
	if (o.probe.stacks & PS_STACK_USER)
		fprintf(stderr, ", %llu user stacks truncated",
			(unsigned long long)t->ustacks_truncated);
	fputc('\n', stderr);
out:
	loader__destroy(loader);
	if (svg)
		fclose(svg);
	symbolizer__close(&t->sym);
	folded__free(t->folded);
	free(t);
	return status;
}
