/* SPDX-License-Identifier: GPL-2.0-only */
/* `procscope stat` output: per-filesystem and per-function rates of an interval. */
#ifndef PS_RENDER_STAT_H
#define PS_RENDER_STAT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "render.h"
#include "core/snapshot.h"

struct stat_view {
	const struct interval_info *info;
	const struct snapshot *delta;
	uint32_t fs_mask; /* filesystems to show */
	bool walks;	  /* opens and listings were counted: their columns */
};

void render_stat__header(FILE *out, const struct stat_view *v);
void render_stat__row(FILE *out, const struct stat_view *v);
void render_stat__json(FILE *out, const struct stat_view *v);

#endif
