/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Wiring shared by the interval commands: checks before loading (privileges, the pid), the
 * loader, the ready line, and the loop that hands each interval's delta to the command.
 */
#ifndef PS_CMD_COMMON_H
#define PS_CMD_COMMON_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/loader.h"
#include "cli/options.h"
#include "render/render.h"
#include "core/snapshot.h"

#define EXIT_USAGE 2

typedef void (*interval_fn)(void *ctx, const struct interval_info *info, struct snapshot *delta);

/*
 * Parses the options of @cmd; prints help (exit 0) or the usage error (exit 2). Returns -1 to go
 * on, else the exit status.
 */
int cmd__parse(int argc, char **argv, enum cli_command cmd, struct run_opts *ret_opts);

/* Runs the interval loop until -n, -d, SIGINT or SIGTERM. Returns the exit status. */
int cmd__run_intervals(struct run_opts *o, enum probe_use use, interval_fn fn, void *ctx);

/* Checks privileges, loads and attaches what @use needs, prints the warnings.
 * Returns 0, or the exit status after printing why it failed. */

int cmd__open_loader(struct run_opts *o, enum probe_use use, struct loader **ret_loader);

struct allowlist;
struct cgroup_paths;
/* For audit and daemon --audit: loads --rules and finds the cgroup mount. Returns 0, or the exit
 * status after printing why. */
int cmd__audit_prepare(const struct run_opts *o, struct allowlist *ret_allow,
		       struct cgroup_paths **ret_cgroups);

/* For the long-running commands, once attached (and bound) and before any thread starts: drops
 * the capabilities map reads don't need and installs the seccomp filter (see privileges.h).
 * @ret_kept names what was kept. Returns 0, or the exit status after printing why. */
int cmd__lock_down(struct loader *l, const char **ret_kept);

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
