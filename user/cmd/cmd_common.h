/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The steps every command takes before it runs: parse its options (help, usage errors, the pid,
 * the files named on the command line), check privileges and open the loader, prepare the
 * audit, and lock the process down. The loops that follow are run_loop.h's.
 */
#ifndef PS_CMD_COMMON_H
#define PS_CMD_COMMON_H

#include "cli/options.h"
#include "core/loader.h"

#define EXIT_USAGE 2

/*
 * Parses the options of @cmd; prints help (exit 0) or the usage error (exit 2). Returns -1 to go
 * on, else the exit status.
 */
int cmd__parse(int argc, char **argv, enum cli_command cmd, struct run_opts *ret_opts);

/* Checks privileges, loads and attaches what @use needs, prints the warnings.
 * Returns 0, or the exit status after printing why it failed. */
int cmd__open_loader(struct run_opts *o, enum probe_use use, struct loader **ret_loader);

struct allowlist;
struct audit_stream;
struct cgroup_paths;
/* For audit and daemon --audit: loads --rules and finds the cgroup mount. Returns 0, or the exit
 * status after printing why. */
int cmd__audit_prepare(const struct run_opts *o, struct allowlist *ret_allow,
		       struct cgroup_paths **ret_cgroups);
/* Then, once loaded: starts the audit's events into @s (audit_stream__event) and the sysctl
 * values' program, with a warning when the values will not come, and seeds the recon-read
 * rule's list of the processes that listen. Returns 0, or 1 after saying why. */
int cmd__audit_open(struct loader *l, struct audit_stream *s);

/* For the long-running commands, once attached (and bound) and before any thread starts: drops
 * the capabilities map reads don't need and installs the seccomp filter (see privileges.h).
 * @ret_kept names what was kept. Returns 0, or the exit status after printing why. */
int cmd__lock_down(struct loader *l, const char **ret_kept);

#endif
