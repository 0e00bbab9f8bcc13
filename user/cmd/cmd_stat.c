// SPDX-License-Identifier: GPL-2.0-only
/* procscope stat: per-filesystem and per-function rates, one row per interval, like vfsstat. */
#include <stdio.h>
#include "cmd_common.h"
#include "run_loop.h"
#include "commands.h"
#include "render/render_stat.h"

struct stat_ctx {
	const struct run_opts *opts;
	bool header_done;
};

static void stat_interval(void *ctx, const struct interval_info *info, struct snapshot *delta)
{
	struct stat_ctx *s = ctx;
	struct stat_view view = { .info = info,
				  .delta = delta,
				  .fs_mask = s->opts->probe.fs_mask,
				  .walks = probe_config__walks(&s->opts->probe) };

	if (s->opts->json) {
		render_stat__json(stdout, &view);
		return;
	}
	if (!s->header_done) {
		render_stat__header(stdout, &view);
		s->header_done = true;
	}
	render_stat__row(stdout, &view);
}

int cmd_stat(int argc, char **argv)
{
	struct run_opts o;
	struct stat_ctx ctx = { .opts = &o };
	int r = cmd__parse(argc, argv, CLI_STAT, &o);

	if (r >= 0)
		return r;
	return cmd__run_intervals(&o, USE_FUNCTION_COUNTERS, stat_interval, &ctx);
}
