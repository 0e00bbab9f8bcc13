/* SPDX-License-Identifier: GPL-2.0-only */
/* `procscope impact` output: what readers of /proc cost the processes they read, per interval,
 * as a table or NDJSON. */
#ifndef PS_RENDER_IMPACT_H
#define PS_RENDER_IMPACT_H

#include <stdio.h>
#include "render.h"
#include "core/snapshot.h"

struct impact_view {
	const struct interval_info *info;
	const struct snapshot *delta; /* impact rows already in display order */
};

void render_impact__table(FILE *out, const struct impact_view *v);
void render_impact__json(FILE *out, const struct impact_view *v);

#endif
