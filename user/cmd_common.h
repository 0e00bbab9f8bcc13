/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Wiring shared by the interval commands: checks before loading (privileges, the pid), the
 * loader, the ready line, and the loop that hands each interval's delta to the command.
 */
#ifndef PS_CMD_COMMON_H
#define PS_CMD_COMMON_H

#include "options.h"
#include "render.h"
#include "snapshot.h"

#define EXIT_USAGE 2

typedef void (*interval_fn)(void *ctx, const struct interval_info *info, struct snapshot *delta);

/*
 * Parses the options of @cmd; prints help (exit 0) or the usage error (exit 2). Returns -1 to go
 * on, else the exit status.
 */
int cmd__parse(int argc, char **argv, unsigned int allowed, void (*help)(void),
	       struct run_opts *ret_opts);

/* Runs the interval loop until -n, -d, SIGINT or SIGTERM. Returns the exit status. */
int cmd__run_intervals(const struct run_opts *o, interval_fn fn, void *ctx);

#endif
