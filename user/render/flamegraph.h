/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A self-contained interactive SVG flame graph from folded stacks: hovering shows a frame and its
 * count, clicking zooms into it (a small embedded script), "Reset zoom" goes back. Written from
 * scratch after the layout of Brendan Gregg's flamegraph.pl: the root at the bottom, one row per
 * depth, siblings in alphabetical order, widths proportional to counts.
 */
#ifndef PS_FLAMEGRAPH_H
#define PS_FLAMEGRAPH_H

#include <stdio.h>
#include "folded.h"

/* Writes the SVG of @f (sorted here) to @out. Returns 0 or -ENOMEM. */
int flamegraph__write(struct folded *f, const char *title, FILE *out);

#endif
