/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The audit allowlist (--rules FILE): accesses that are expected, by rule and by who makes them.
 * A YAML file, parsed with libyaml; a bad file is refused as a whole, with the line of the first
 * problem. No I/O: the text comes from the caller. The format, as documented in docs/audit.md:
 *
 *   allow:
 *     - rules: [cmdline-read, maps-read]   # one id or a list; each must exist
 *       exe: /usr/bin/ps                   # all matchers given must match:
 *       uid: 0                             #   exe (a glob), uid, comm, and
 *       cgroup: /system.slice/foo.service  #   cgroup (a path prefix, whole components)
 *   servers:                               # programs that serve the network, for the
 *     - /usr/sbin/nginx                    # recon-read rule: absolute paths, globs
 */
#ifndef PS_ALLOWLIST_H
#define PS_ALLOWLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "procscope.h"

struct allow_entry {
	uint32_t rules; /* bit (1 << enum ps_rule) per rule it allows */
	char *exe;	/* glob (fnmatch) of the executable's path, NULL: any */
	char *cgroup;	/* cgroup v2 path prefix, NULL: any */
	char comm[PS_COMM_LEN];
	bool comm_set;
	bool uid_set;
	uint32_t uid;
	int line; /* in the file, for messages */
};

struct allowlist {
	struct allow_entry *entries;
	size_t n;
	char **servers; /* globs of server programs' paths (recon-read) */
	size_t nservers;
};

/* What an event says about its reader, as the allowlist matches it. */
struct allow_subject {
	unsigned int rule;  /* enum ps_rule */
	const char *exe;    /* "" when unknown */
	const char *cgroup; /* NULL when unknown: no cgroup matcher matches */
	const char *comm;
	uint32_t uid;
};

/*
 * Parses @len bytes of @text; @name (the file's name) starts each message. An empty document is
 * an empty allowlist. Returns 0, or -EINVAL with "NAME:LINE: problem" in @err.
 */
int allowlist__parse(const char *text, size_t len, const char *name, struct allowlist *ret_list,
		     char *err, size_t errlen);

/* The first entry allowing @s, or NULL. */
const struct allow_entry *allowlist__match(const struct allowlist *l,
					   const struct allow_subject *s);

void allowlist__free(struct allowlist *l);

#endif
