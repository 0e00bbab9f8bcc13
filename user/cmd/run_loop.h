/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The loops commands run once attached, and how they end: the interval loop that hands each
 * interval's delta to stat and top, the event loop of trace, audit and the daemon's audit, and
 * SIGINT and SIGTERM, which end either at a point of procscope's choosing.
 */
#ifndef PS_RUN_LOOP_H
#define PS_RUN_LOOP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include "cli/options.h"
#include "core/loader.h"
#include "core/snapshot.h"
#include "render/render.h"

typedef void (*interval_fn)(void *ctx, const struct interval_info *info, struct snapshot *delta);

/* Opens the loader for @use and runs the interval loop until -n, -d, SIGINT or SIGTERM.
 * Returns the exit status. */
int cmd__run_intervals(struct run_opts *o, enum probe_use use, interval_fn fn, void *ctx);

/* After each wait for events: flushes outputs; returns true when the run is complete (-n). */
typedef bool (*event_loop_fn)(void *ctx);

/* Hands trace and audit events to their callbacks until @after_poll says done, @end_ns
 * (CLOCK_MONOTONIC; 0: no end) or SIGINT/SIGTERM (blocked in @set), then drains the ring
 * buffers once more. Returns 0, or 1 after printing why. */
int cmd__event_loop(struct loader *l, const sigset_t *set, uint64_t end_ns,
		    event_loop_fn after_poll, void *ctx);

/* Blocks SIGINT and SIGTERM, which end runs at a point of procscope's choosing. */
void cmd__block_stop_signals(sigset_t *ret_set);
/* Waits up to @ns for one of them. Returns true when one came. */
bool cmd__wait_for_stop(const sigset_t *set, uint64_t ns);

#endif
