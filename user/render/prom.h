/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Prometheus text exposition format (version 0.0.4) of a cumulative snapshot: per-file
 * counters, a read-latency histogram per filesystem, function calls, and procscope's own
 * metrics. No I/O: it writes to the FILE* it is given (the daemon's is a memory stream).
 */
#ifndef PS_PROM_H
#define PS_PROM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "core/snapshot.h"
#include "util/selfstat.h"

#define PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct prom_info {
	const char *version;
	const char *mode;
	const char *kernel;
	bool per_process; /* add a comm label to the per-file metrics */
	uint32_t max_files;
	struct self_stats self;
	/* daemon --audit: per enum ps_rule, events reported and allowed (read atomically: another
	 * thread counts them); NULL when not auditing */
	const uint64_t *audit_reported;
	const uint64_t *audit_allowed;
	uint32_t audit_rules; /* the rules enabled: bit (1 << enum ps_rule) */
	bool impact;	      /* daemon --impact: the procscope_impact_* series */
};

/* Writes every metric but the scrape duration, which the caller appends last with
 * prom__scrape_duration() once the rest is rendered. Returns 0 or -ENOMEM. */
int prom__render(FILE *out, const struct snapshot *cumulative, const struct prom_info *info);
void prom__scrape_duration(FILE *out, double seconds);

/* Writes @s as a label value: backslash, double quote and newline escaped, invalid UTF-8
 * replaced by U+FFFD, at most @len bytes (stops at a NUL). */
void prom__label_value(FILE *out, const char *s, size_t len);

#endif
