// SPDX-License-Identifier: GPL-2.0-only
/* procscope impact: what reading /proc costs the processes being read (bpf/impact.bpf.h). */
#include <stdio.h>
#include "cmd_common.h"
#include "run_loop.h"
#include "commands.h"
#include "render/render_impact.h"

static void impact_interval(void *ctx, const struct interval_info *info, struct snapshot *delta)
{
	const struct run_opts *o = ctx;
	struct impact_view view = { .info = info, .delta = delta };

	impact_set__keep_targets(&delta->impact, o->target_pid,
				 o->target_comm_set ? o->target_comm : NULL);
	impact_set__sort_by_wait(&delta->impact);
	if (o->json)
		render_impact__json(stdout, &view);
	else
		render_impact__table(stdout, &view);
}

int cmd_impact(int argc, char **argv)
{
	struct run_opts o;
	int r = cmd__parse(argc, argv, CLI_IMPACT, &o);

	if (r >= 0)
		return r;
	/* Only procfs files of processes have a target; the entry of each read is needed. */
	o.probe.fs_mask = 1u << PS_FS_PROC;
	o.probe.impact = true;
	o.probe.impact_tgid = o.target_pid; /* in the kernel too: no rows for other targets */
	return cmd__run_intervals(&o, USE_IMPACT, impact_interval, &o);
}
