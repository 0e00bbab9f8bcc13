// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "folded.h"
#include "util/growarray.h"

struct folded_entry {
	char *stack;
	uint64_t count;
};

struct folded {
	struct folded_entry *entries; /* in insertion order, sorted by folded__sort */
	size_t n, cap;
	size_t *slots; /* open addressing: index + 1 into entries, 0 empty */
	size_t nslots;
	uint64_t total;
};

/* FNV-1a: the table only needs an even spread of stack strings. */
static size_t hash_of(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)h;
}

struct folded *folded__new(void)
{
	return calloc(1, sizeof(struct folded));
}

void folded__free(struct folded *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		free(f->entries[i].stack);
	free(f->entries);
	free(f->slots);
	free(f);
}

/* Rebuilds the slots with room for the entries and more (at most a quarter full). */
static int grow_slots(struct folded *f)
{
	size_t nslots = 256;
	size_t *slots;

	while (nslots < (f->n + 1) * 4)
		nslots *= 2;
	slots = calloc(nslots, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < f->n; i++) {
		size_t h = hash_of(f->entries[i].stack) & (nslots - 1);

		while (slots[h])
			h = (h + 1) & (nslots - 1);
		slots[h] = i + 1;
	}
	free(f->slots);
	f->slots = slots;
	f->nslots = nslots;
	return 0;
}

int folded__add(struct folded *f, const char *stack, uint64_t count)
{
	size_t h;

	if ((f->n + 1) * 2 > f->nslots && grow_slots(f))
		return -ENOMEM;
	h = hash_of(stack) & (f->nslots - 1);
	while (f->slots[h]) {
		struct folded_entry *e = &f->entries[f->slots[h] - 1];

		if (!strcmp(e->stack, stack)) {
			e->count += count;
			f->total += count;
			return 0;
		}
		h = (h + 1) & (f->nslots - 1);
	}
	if (growarray__reserve((void **)&f->entries, f->n, &f->cap, sizeof(*f->entries), 64))
		return -ENOMEM;
	f->entries[f->n].stack = strdup(stack);
	if (!f->entries[f->n].stack)
		return -ENOMEM;
	f->entries[f->n].count = count;
	f->slots[h] = ++f->n;
	f->total += count;
	return 0;
}

/* Appends a frame name, keeping the format's separators out of it: ';' splits frames and the
 * last space splits off the count, so ';' becomes ':' and control characters '?'. */
static void append_frame(char *buf, size_t size, size_t *len, const char *name, size_t name_len,
			 const char *suffix)
{
	if (*len && *len + 1 < size)
		buf[(*len)++] = ';';
	for (size_t i = 0; i < name_len && name[i] && *len + 1 < size; i++) {
		unsigned char c = (unsigned char)name[i];

		buf[(*len)++] = c == ';' ? ':' : (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	for (; *suffix && *len + 1 < size; suffix++)
		buf[(*len)++] = *suffix;
	buf[*len] = '\0';
}

int folded__add_event(struct folded *f, const char *comm, size_t comm_len,
		      const struct event_stacks *st)
{
	/* The process, a truncation mark, the frames: names of up to 128 bytes and a suffix. */
	char buf[(2 + USER_FRAMES_MAX + PS_STACK_MAX) * 136];
	size_t len = 0;

	buf[0] = '\0';
	append_frame(buf, sizeof(buf), &len, comm, comm_len, "");
	/* A cut stack hangs under its own root, not under the callers it lacks (as perf). */
	if (st->user_truncated)
		append_frame(buf, sizeof(buf), &len, "[truncated]", 11, "");
	for (int i = st->nuser - 1; i >= 0; i--)
		append_frame(buf, sizeof(buf), &len, st->user[i].symbol, sizeof(st->user[i].symbol),
			     st->user[i].inlined ? "_[i]" : "");
	for (int i = st->nkernel - 1; i >= 0; i--)
		append_frame(buf, sizeof(buf), &len, st->kernel[i].symbol,
			     sizeof(st->kernel[i].symbol), "_[k]");
	return folded__add(f, buf, 1);
}

static int cmp_stack(const void *a, const void *b)
{
	return strcmp(((const struct folded_entry *)a)->stack,
		      ((const struct folded_entry *)b)->stack);
}

void folded__sort(struct folded *f)
{
	if (!f->n)
		return;
	qsort(f->entries, f->n, sizeof(*f->entries), cmp_stack);
	/* The slots point by index: rebuild them for the new order. */
	free(f->slots);
	f->slots = NULL;
	f->nslots = 0;
	grow_slots(f);
}

size_t folded__size(const struct folded *f)
{
	return f->n;
}

const char *folded__stack(const struct folded *f, size_t i)
{
	return f->entries[i].stack;
}

uint64_t folded__count(const struct folded *f, size_t i)
{
	return f->entries[i].count;
}

uint64_t folded__total(const struct folded *f)
{
	return f->total;
}

void folded__print(struct folded *f, FILE *out)
{
	folded__sort(f);
	for (size_t i = 0; i < f->n; i++)
		fprintf(out, "%s %llu\n", f->entries[i].stack,
			(unsigned long long)f->entries[i].count);
}
