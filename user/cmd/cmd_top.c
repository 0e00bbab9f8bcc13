// SPDX-License-Identifier: GPL-2.0-only
/* procscope top: the busiest pseudo-files of each interval, like filetop. */
#include <stdio.h>
#include <unistd.h>
#include "cmd_common.h"
#include "run_loop.h"
#include "commands.h"
#include "render/render_top.h"

struct top_ctx {
	const struct run_opts *opts;
	bool clear; /* clear the screen between intervals */
};

static void top_interval(void *ctx, const struct interval_info *info, struct snapshot *delta)
{
	struct top_ctx *t = ctx;
	struct top_view view = {
		.info = info,
		.delta = delta,
		.per_process = t->opts->probe.per_process,
		/* Without -r, JSON carries every file, so that intervals sum to the totals. */
		.max_rows = t->opts->rows ? t->opts->rows : (t->opts->json ? 0 : 20),
	};

	snapshot__sort_by(delta, t->opts->sort);
	if (t->opts->json) {
		render_top__json(stdout, &view);
		return;
	}
	if (t->clear)
		fputs("\033[H\033[2J", stdout);
	render_top__table(stdout, &view);
}

int cmd_top(int argc, char **argv)
{
	struct run_opts o;
	struct top_ctx ctx = { .opts = &o };
	int r = cmd__parse(argc, argv, CLI_TOP, &o);

	if (r >= 0)
		return r;
	ctx.clear = !o.json && !o.no_clear && isatty(STDOUT_FILENO);
	return cmd__run_intervals(&o, USE_FILES, top_interval, &ctx);
}
