// SPDX-License-Identifier: GPL-2.0-only
#define _GNU_SOURCE /* qsort_r */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pathfmt.h"
#include "snapshot.h"
#include "util/growarray.h"

void snapshot__init(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
}

void snapshot__free(struct snapshot *s)
{
	if (!s)
		return;
	free(s->rows);
	impact_set__free(&s->impact);
	snapshot__init(s);
}

int snapshot__reserve(struct snapshot *s, size_t nrows)
{
	struct file_row *rows;

	if (nrows <= s->cap)
		return 0;
	rows = realloc(s->rows, nrows * sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	s->rows = rows;
	s->cap = nrows;
	return 0;
}

int snapshot__add(struct snapshot *s, const struct ps_file_key *key, const struct ps_file_stats *st)
{
	if (growarray__reserve((void **)&s->rows, s->nrows, &s->cap, sizeof(*s->rows), 64))
		return -ENOMEM;
	s->rows[s->nrows].key = *key;
	s->rows[s->nrows].st = *st;
	s->nrows++;
	return 0;
}

void stats__accumulate(struct ps_file_stats *into, const struct ps_file_stats *cpu,
		       uint32_t max_epoch)
{
	into->reads += cpu->reads;
	into->read_bytes += cpu->read_bytes;
	into->writes += cpu->writes;
	into->write_bytes += cpu->write_bytes;
	into->errors += cpu->errors;
	into->lat_count += cpu->lat_count;
	into->lat_sum_ns += cpu->lat_sum_ns;
	for (int i = 0; i < PS_LAT_BUCKETS; i++)
		into->lat_hist[i] += cpu->lat_hist[i];
	for (int w = 0; w < PS_WALK_COUNT; w++) {
		into->walk[w].calls += cpu->walk[w].calls;
		into->walk[w].lat_count += cpu->walk[w].lat_count;
		into->walk[w].lat_sum_ns += cpu->walk[w].lat_sum_ns;
	}
	into->dir_entries += cpu->dir_entries;
	if (cpu->lat_max_epoch == max_epoch && cpu->lat_max_ns > into->lat_max_ns)
		into->lat_max_ns = cpu->lat_max_ns;
	into->lat_max_epoch = max_epoch;
}

static int key_cmp(const void *a, const void *b)
{
	return memcmp(&((const struct file_row *)a)->key, &((const struct file_row *)b)->key,
		      sizeof(struct ps_file_key));
}

void snapshot__sort(struct snapshot *s)
{
	if (s->nrows)
		qsort(s->rows, s->nrows, sizeof(*s->rows), key_cmp);
	impact_set__sort(&s->impact);
}

static void stats_sub(struct ps_file_stats *d, const struct ps_file_stats *cur,
		      const struct ps_file_stats *prev)
{
	*d = *cur;
	if (!prev)
		return;
	d->reads -= prev->reads;
	d->read_bytes -= prev->read_bytes;
	d->writes -= prev->writes;
	d->write_bytes -= prev->write_bytes;
	d->errors -= prev->errors;
	d->lat_count -= prev->lat_count;
	d->lat_sum_ns -= prev->lat_sum_ns;
	for (int i = 0; i < PS_LAT_BUCKETS; i++)
		d->lat_hist[i] -= prev->lat_hist[i];
	for (int w = 0; w < PS_WALK_COUNT; w++) {
		d->walk[w].calls -= prev->walk[w].calls;
		d->walk[w].lat_count -= prev->walk[w].lat_count;
		d->walk[w].lat_sum_ns -= prev->walk[w].lat_sum_ns;
	}
	d->dir_entries -= prev->dir_entries;
}

static bool stats_active(const struct ps_file_stats *st)
{
	bool walked = false;

	for (int w = 0; w < PS_WALK_COUNT; w++)
		walked |= st->walk[w].calls != 0;
	return st->reads || st->writes || st->errors || walked;
}

int snapshot__delta(const struct snapshot *prev, const struct snapshot *cur,
		    struct snapshot *ret_delta)
{
	ret_delta->time_ns = cur->time_ns;
	for (int h = 0; h < PS_HOOK_COUNT; h++) {
		ret_delta->fn_hits[h] = cur->fn_hits[h] - (prev ? prev->fn_hits[h] : 0);
		ret_delta->fn_available[h] = cur->fn_available[h];
	}
	for (int c = 0; c < PS_CNT_COUNT; c++)
		ret_delta->counters[c] = cur->counters[c] - (prev ? prev->counters[c] : 0);
	ret_delta->prog_misses = cur->prog_misses - (prev ? prev->prog_misses : 0);
	for (int fs = 0; fs < PS_FS_COUNT; fs++)
		for (int w = 0; w < PS_WALK_COUNT; w++)
			for (int e = 0; e < PS_ERRNO_SLOTS; e++)
				ret_delta->walk_errors[fs][w][e] =
					cur->walk_errors[fs][w][e] -
					(prev ? prev->walk_errors[fs][w][e] : 0);
	/* The programs are read in one order every time: the same index is the same program. */
	ret_delta->cost_enabled = cur->cost_enabled;
	ret_delta->nprograms = cur->nprograms;
	for (int i = 0; i < cur->nprograms; i++) {
		const struct program_cost *old =
			prev && i < prev->nprograms ? &prev->programs[i] : NULL;

		ret_delta->programs[i] = cur->programs[i];
		if (old) {
			ret_delta->programs[i].run_ns -= old->run_ns;
			ret_delta->programs[i].runs -= old->runs;
		}
	}

	for (size_t i = 0; i < cur->nrows; i++) {
		const struct file_row *row = &cur->rows[i];
		const struct file_row *old = NULL;
		struct ps_file_stats d;
		int err;

		if (prev && prev->nrows)
			old = bsearch(row, prev->rows, prev->nrows, sizeof(*row), key_cmp);
		stats_sub(&d, &row->st, old ? &old->st : NULL);
		if (!stats_active(&d))
			continue;
		err = snapshot__add(ret_delta, &row->key, &d);
		if (err)
			return err;
	}
	return impact_set__delta(prev ? &prev->impact : NULL, &cur->impact, &ret_delta->impact);
}

static uint64_t sort_value(const struct file_row *r, enum sort_field field)
{
	switch (field) {
	case SORT_RBYTES:
		return r->st.read_bytes;
	case SORT_WRITES:
		return r->st.writes;
	case SORT_WBYTES:
		return r->st.write_bytes;
	case SORT_LAT:
		return stats__avg_lat_ns(&r->st);
	case SORT_OPENS:
		return r->st.walk[PS_WALK_OPEN].calls;
	case SORT_DIRS:
		return r->st.walk[PS_WALK_READDIR].calls;
	case SORT_LINKS:
		return r->st.walk[PS_WALK_READLINK].calls;
	case SORT_STATS:
		return r->st.walk[PS_WALK_STAT].calls;
	case SORT_READS:
	default:
		return r->st.reads;
	}
}

static int row_cmp_desc(const void *a, const void *b, void *field)
{
	const struct file_row *x = a, *y = b;
	enum sort_field f = *(enum sort_field *)field;
	uint64_t vx = sort_value(x, f), vy = sort_value(y, f);

	if (vx != vy)
		return vx > vy ? -1 : 1;
	return key_cmp(a, b);
}

void snapshot__sort_by(struct snapshot *s, enum sort_field field)
{
	if (s->nrows)
		qsort_r(s->rows, s->nrows, sizeof(*s->rows), row_cmp_desc, &field);
}

int sort_field__parse(const char *name, enum sort_field *ret_field)
{
	static const char *const names[] = {
		[SORT_READS] = "reads",	  [SORT_RBYTES] = "rbytes", [SORT_WRITES] = "writes",
		[SORT_WBYTES] = "wbytes", [SORT_LAT] = "lat",	    [SORT_OPENS] = "opens",
		[SORT_DIRS] = "dirs",	  [SORT_LINKS] = "links",   [SORT_STATS] = "stats",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(name, names[i])) {
			*ret_field = (enum sort_field)i;
			return 0;
		}
	}
	return -EINVAL;
}

void snapshot__fs_totals(const struct snapshot *s, struct fs_totals ret_totals[PS_FS_COUNT])
{
	memset(ret_totals, 0, sizeof(struct fs_totals) * PS_FS_COUNT);
	for (size_t i = 0; i < s->nrows; i++) {
		const struct file_row *r = &s->rows[i];
		struct fs_totals *t;

		if (r->key.fs >= PS_FS_COUNT)
			continue;
		t = &ret_totals[r->key.fs];
		t->reads += r->st.reads;
		t->read_bytes += r->st.read_bytes;
		t->writes += r->st.writes;
		t->write_bytes += r->st.write_bytes;
		t->errors += r->st.errors;
		t->opens += r->st.walk[PS_WALK_OPEN].calls;
		t->dir_reads += r->st.walk[PS_WALK_READDIR].calls;
		t->link_reads += r->st.walk[PS_WALK_READLINK].calls;
		t->stats += r->st.walk[PS_WALK_STAT].calls;
	}
	for (int fs = 0; fs < PS_FS_COUNT; fs++) {
		for (int e = 0; e < PS_ERRNO_SLOTS; e++) {
			ret_totals[fs].open_errors += s->walk_errors[fs][PS_WALK_OPEN][e];
			ret_totals[fs].link_errors += s->walk_errors[fs][PS_WALK_READLINK][e];
			ret_totals[fs].stat_errors += s->walk_errors[fs][PS_WALK_STAT][e];
		}
	}
}

uint64_t stats__avg_lat_ns(const struct ps_file_stats *st)
{
	return st->lat_count ? st->lat_sum_ns / st->lat_count : 0;
}

void snapshot__total_cost(const struct snapshot *s, uint64_t *ret_run_ns, uint64_t *ret_runs)
{
	*ret_run_ns = 0;
	*ret_runs = 0;
	for (int i = 0; i < s->nprograms; i++) {
		*ret_run_ns += s->programs[i].run_ns;
		*ret_runs += s->programs[i].runs;
	}
}
