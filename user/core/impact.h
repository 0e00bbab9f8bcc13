/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * procscope impact's part of a snapshot: one row per (reader process, target process, file) and
 * the waits of each target, summed, and their per-interval deltas. No I/O: loader.c fills them
 * from the maps of bpf/impact.bpf.h, the renderer reads deltas.
 */
#ifndef PS_IMPACT_H
#define PS_IMPACT_H

#include <stddef.h>
#include <stdint.h>
#include "procscope.h"

struct impact_row {
	struct ps_impact_key key;
	struct ps_impact_stats st;
	uint64_t wait_max_ns;	 /* of st.wait_max, the interval's */
	struct ps_file_key file; /* the file's path (pathfmt), empty when it had no slot */
};

struct impact_target {
	uint32_t tgid;
	struct ps_target_waits w;
	uint64_t wait_max_ns; /* of w.wait_max, the interval's */
};

/* The maximum @m holds for epoch @epoch (the interval user space just closed), 0 if none. */
uint64_t epoch_max__value(const struct ps_epoch_max *m, uint32_t epoch);

struct impact_set {
	struct impact_row *rows;
	size_t nrows, rows_cap;
	struct impact_target *targets;
	size_t ntargets, targets_cap;
};

void impact_set__free(struct impact_set *s);
/* Appends a copy. Return 0 or -ENOMEM. */
int impact_set__add_row(struct impact_set *s, const struct impact_row *row);
int impact_set__add_target(struct impact_set *s, const struct impact_target *t);
/* Orders rows and targets by key, as impact_set__delta wants them. */
void impact_set__sort(struct impact_set *s);
/* The activity between @prev (may be NULL) and @cur, both sorted: counts are differences,
 * maxima @cur's; rows and targets without activity are left out. Returns 0 or -ENOMEM. */
int impact_set__delta(const struct impact_set *prev, const struct impact_set *cur,
		      struct impact_set *ret_delta);
/* Orders rows for display: most wait caused first, then most time held, then by key. */
void impact_set__sort_by_wait(struct impact_set *s);
/* Keeps only the rows and targets of target process @pid (0: any) named @comm (NULL: any; the
 * kernel's first 15 bytes). */
void impact_set__keep_targets(struct impact_set *s, uint32_t pid, const char *comm);
/* @r's file as shown: its normalized path, or [other] when it had no statistics slot of its
 * own (--max-files) or is the overflow row. */
void impact_row__path(const struct impact_row *r, char *buf, size_t len);
/* The wait of @t no reader was charged. */
uint64_t impact_target__uncharged_ns(const struct impact_target *t);

#endif
