// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "impact.h"
#include "pathfmt.h"
#include "util/growarray.h"

uint64_t epoch_max__value(const struct ps_epoch_max *m, uint32_t epoch)
{
	return m->epoch[epoch & 1] == epoch ? m->max[epoch & 1] : 0;
}

void impact_set__free(struct impact_set *s)
{
	free(s->rows);
	free(s->targets);
	memset(s, 0, sizeof(*s));
}

int impact_set__add_row(struct impact_set *s, const struct impact_row *row)
{
	if (growarray__reserve((void **)&s->rows, s->nrows, &s->rows_cap, sizeof(*s->rows), 16))
		return -ENOMEM;
	s->rows[s->nrows++] = *row;
	return 0;
}

int impact_set__add_target(struct impact_set *s, const struct impact_target *t)
{
	if (growarray__reserve((void **)&s->targets, s->ntargets, &s->targets_cap,
			       sizeof(*s->targets), 16))
		return -ENOMEM;
	s->targets[s->ntargets++] = *t;
	return 0;
}

static int row_key_cmp(const void *a, const void *b)
{
	return memcmp(&((const struct impact_row *)a)->key, &((const struct impact_row *)b)->key,
		      sizeof(struct ps_impact_key));
}

static int target_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct impact_target *)a)->tgid;
	uint32_t y = ((const struct impact_target *)b)->tgid;

	return x < y ? -1 : x > y;
}

void impact_set__sort(struct impact_set *s)
{
	if (s->nrows)
		qsort(s->rows, s->nrows, sizeof(*s->rows), row_key_cmp);
	if (s->ntargets)
		qsort(s->targets, s->ntargets, sizeof(*s->targets), target_cmp);
}

int impact_set__delta(const struct impact_set *prev, const struct impact_set *cur,
		      struct impact_set *ret_delta)
{
	for (size_t i = 0; i < cur->nrows; i++) {
		struct impact_row d = cur->rows[i];
		const struct impact_row *old = NULL;

		if (prev && prev->nrows)
			old = bsearch(&d, prev->rows, prev->nrows, sizeof(d), row_key_cmp);
		if (old) {
			d.st.reads -= old->st.reads;
			d.st.holds -= old->st.holds;
			d.st.hold_ns -= old->st.hold_ns;
			d.st.waits -= old->st.waits;
			d.st.wait_ns -= old->st.wait_ns;
		}
		if (!d.st.reads && !d.st.holds && !d.st.waits)
			continue;
		if (impact_set__add_row(ret_delta, &d))
			return -ENOMEM;
	}
	for (size_t i = 0; i < cur->ntargets; i++) {
		struct impact_target d = cur->targets[i];
		const struct impact_target *old = NULL;

		if (prev && prev->ntargets)
			old = bsearch(&d, prev->targets, prev->ntargets, sizeof(d), target_cmp);
		if (old) {
			d.w.waits -= old->w.waits;
			d.w.wait_ns -= old->w.wait_ns;
			d.w.charged_ns -= old->w.charged_ns;
		}
		if (!d.w.waits)
			continue;
		if (impact_set__add_target(ret_delta, &d))
			return -ENOMEM;
	}
	return 0;
}

static int row_wait_desc(const void *a, const void *b)
{
	const struct impact_row *x = a, *y = b;

	if (x->st.wait_ns != y->st.wait_ns)
		return x->st.wait_ns > y->st.wait_ns ? -1 : 1;
	if (x->st.hold_ns != y->st.hold_ns)
		return x->st.hold_ns > y->st.hold_ns ? -1 : 1;
	return row_key_cmp(a, b);
}

void impact_set__sort_by_wait(struct impact_set *s)
{
	if (s->nrows)
		qsort(s->rows, s->nrows, sizeof(*s->rows), row_wait_desc);
}

uint64_t impact_target__uncharged_ns(const struct impact_target *t)
{
	return t->w.wait_ns > t->w.charged_ns ? t->w.wait_ns - t->w.charged_ns : 0;
}

static bool target_matches(uint32_t tgid, const char tcomm[PS_COMM_LEN], uint32_t pid,
			   const char *comm)
{
	return (!pid || tgid == pid) && (!comm || !strncmp(tcomm, comm, PS_COMM_LEN - 1));
}

void impact_set__keep_targets(struct impact_set *s, uint32_t pid, const char *comm)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nrows; i++)
		if (target_matches(s->rows[i].key.target_tgid, s->rows[i].st.target_comm, pid,
				   comm))
			s->rows[n++] = s->rows[i];
	s->nrows = n;
	n = 0;
	for (size_t i = 0; i < s->ntargets; i++)
		if (target_matches(s->targets[i].tgid, s->targets[i].w.comm, pid, comm))
			s->targets[n++] = s->targets[i];
	s->ntargets = n;
}

void impact_row__path(const struct impact_row *r, char *buf, size_t len)
{
	if (r->key.file_slot == PS_SLOT_NONE || !r->file.path[0])
		snprintf(buf, len, "%s", PS_OTHER_PATH);
	else
		pathfmt__display(&r->file, buf, len);
}
