/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Snapshots of the BPF maps, summed over CPUs, and the per-interval deltas the commands print.
 * No I/O: loader.c fills snapshots, the renderers read deltas, unit tests drive both ends.
 */
#ifndef PS_SNAPSHOT_H
#define PS_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "procscope.h"
#include "impact.h"

/* One file (or one filesystem's [other] entry), summed over CPUs. */
struct file_row {
	struct ps_file_key key;
	struct ps_file_stats st;
};

#define PS_MAX_PROGRAMS 64

/* --self-cost: the kernel's accounting of one of procscope's BPF programs (BPF_ENABLE_STATS). */
struct program_cost {
	char name[48];
	uint64_t run_ns; /* time it ran */
	uint64_t runs;
};

struct snapshot {
	uint64_t time_ns;      /* CLOCK_MONOTONIC when read */
	struct file_row *rows; /* sorted by key once snapshot__sort() ran */
	size_t nrows, cap;
	uint64_t fn_hits[PS_HOOK_COUNT];
	bool fn_available[PS_HOOK_COUNT]; /* false: not attached in this mode or kernel */
	uint64_t counters[PS_CNT_COUNT];
	/* failed opens and listings, by filesystem, kind and errno (the last: any other) */
	uint64_t walk_errors[PS_FS_COUNT][PS_WALK_COUNT][PS_ERRNO_SLOTS];
	/* runs of procscope's programs the kernel skipped because another run of the same
	 * program was in progress on that CPU (bpf_prog_info.recursion_misses, 5.12+; a program
	 * preempted on a preemptible kernel): calls not seen at all, counted here */
	uint64_t prog_misses;
	bool cost_enabled; /* --self-cost: programs[] holds the kernel's accounting */
	struct program_cost programs[PS_MAX_PROGRAMS];
	int nprograms;
	struct impact_set impact; /* procscope impact only */
};

/* The sums of @s's program costs. */
void snapshot__total_cost(const struct snapshot *s, uint64_t *ret_run_ns, uint64_t *ret_runs);

enum sort_field {
	SORT_READS,
	SORT_RBYTES,
	SORT_WRITES,
	SORT_WBYTES,
	SORT_LAT,
	SORT_OPENS, /* successful opens */
	SORT_DIRS,  /* directory listings */
	SORT_LINKS, /* successful link reads */
	SORT_STATS, /* successful stat-family calls */
};

/* Per-filesystem totals of a delta (the [other] entries included). */
struct fs_totals {
	uint64_t reads, read_bytes, writes, write_bytes, errors;
	uint64_t opens, dir_reads, link_reads, stats; /* successful ones */
	uint64_t open_errors, link_errors, stat_errors;
};

void snapshot__init(struct snapshot *s);
void snapshot__free(struct snapshot *s);
/* Makes room for @nrows rows in all, so that adding them moves nothing. Returns 0 or -ENOMEM. */
int snapshot__reserve(struct snapshot *s, size_t nrows);
/* Appends a row (copying it). Returns 0 or -ENOMEM. */
int snapshot__add(struct snapshot *s, const struct ps_file_key *key,
		  const struct ps_file_stats *st);
/* Adds one CPU's value into @into: counts add, the maximum is kept when @max_epoch matches. */
void stats__accumulate(struct ps_file_stats *into, const struct ps_file_stats *cpu,
		       uint32_t max_epoch);
void snapshot__sort(struct snapshot *s);

/*
 * The activity between @prev and @cur (both sorted): counts are differences, the maximum latency
 * is @cur's (already per interval), rows without activity are left out. @prev may be NULL (all of
 * @cur is new). Returns 0 or -ENOMEM; @ret_delta must be initialized.
 */
int snapshot__delta(const struct snapshot *prev, const struct snapshot *cur,
		    struct snapshot *ret_delta);

/* Orders rows for display: descending by @field, then by path. */
void snapshot__sort_by(struct snapshot *s, enum sort_field field);

/* Parses "reads", "rbytes", "writes", "wbytes", "lat", "opens", "dirs", "links" or "stats".
 * Returns 0 or -EINVAL. */
int sort_field__parse(const char *name, enum sort_field *ret_field);

void snapshot__fs_totals(const struct snapshot *s, struct fs_totals ret_totals[PS_FS_COUNT]);

/* Average read latency of a row in ns, 0 without measured reads. */
uint64_t stats__avg_lat_ns(const struct ps_file_stats *st);

#endif
