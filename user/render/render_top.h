/* SPDX-License-Identifier: GPL-2.0-only */
/* `procscope top` output: the busiest pseudo-files of an interval, as a table or NDJSON. */
#ifndef PS_RENDER_TOP_H
#define PS_RENDER_TOP_H

#include <stdbool.h>
#include <stdio.h>
#include "render.h"
#include "core/snapshot.h"

struct top_view {
	const struct interval_info *info;
	const struct snapshot *delta; /* rows already in display order */
	size_t max_rows;	      /* 0: all */
	bool per_process;
};

void render_top__table(FILE *out, const struct top_view *v);
void render_top__json(FILE *out, const struct top_view *v);

#endif
