// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "kallsyms.h"
#include "util/growarray.h"

struct ksym {
	uint64_t addr;
	const char *name;   /* into the arena */
	const char *module; /* into the arena, or "kernel" */
};

struct kallsyms {
	struct ksym *syms;
	size_t count, cap;
	char *arena; /* the names, NUL-separated */
	size_t arena_len, arena_cap;
	bool any_nonzero;
};

static const char kernel_module[] = "kernel";

/* Appends a string to the arena and returns its offset, or -1 without memory. */
static long arena_add(struct kallsyms *ks, const char *s, size_t len)
{
	long off;

	if (!ks->arena || ks->arena_len + len + 1 > ks->arena_cap) {
		size_t cap = ks->arena_cap ? ks->arena_cap * 2 : 1 << 20;
		char *arena;

		while (cap < ks->arena_len + len + 1)
			cap *= 2;
		arena = realloc(ks->arena, cap);
		if (!arena)
			return -1;
		ks->arena = arena;
		ks->arena_cap = cap;
	}
	off = (long)ks->arena_len;
	memcpy(ks->arena + off, s, len);
	ks->arena[off + len] = '\0';
	ks->arena_len += len + 1;
	return off;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Text symbols only: data symbols between functions would steal their addresses. */
static bool is_text_type(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

/*
 * One line: "ffffffff81000000 T _text" or "ffffffffc0a01000 t foo\t[module]". Returns 1 for a
 * symbol kept, 0 for a line skipped, -1 without memory. Offsets into the arena are kept in the
 * pointers until the arena stops moving (kallsyms__parse fixes them up at the end).
 */
static int parse_line(struct kallsyms *ks, char *line)
{
	char *end, *name, *module = NULL;
	unsigned long long addr;
	long name_off, module_off = -1;
	char type;

	errno = 0;
	addr = strtoull(line, &end, 16);
	if (errno || end == line || *end != ' ')
		return 0;
	if (!end[1] || end[2] != ' ')
		return 0;
	type = end[1];
	if (!is_text_type(type))
		return 0;
	name = end + 3;
	name[strcspn(name, "\n")] = '\0';
	end = strpbrk(name, " \t");
	if (end) {
		*end++ = '\0';
		end += strspn(end, " \t");
		if (*end == '[') {
			module = end + 1;
			module[strcspn(module, "]")] = '\0';
		}
	}
	if (!*name)
		return 0;
	name_off = arena_add(ks, name, strlen(name));
	if (name_off < 0)
		return -1;
	if (module && *module) {
		module_off = arena_add(ks, module, strlen(module));
		if (module_off < 0)
			return -1;
	}
	if (growarray__reserve((void **)&ks->syms, ks->count, &ks->cap, sizeof(*ks->syms), 4096))
		return -1;
	ks->syms[ks->count].addr = addr;
	ks->syms[ks->count].name = (const char *)(uintptr_t)name_off;
	ks->syms[ks->count].module = module_off < 0 ? NULL : (const char *)(uintptr_t)module_off;
	ks->count++;
	if (addr)
		ks->any_nonzero = true;
	return 1;
}

struct kallsyms *kallsyms__parse(FILE *in)
{
	struct kallsyms *ks = calloc(1, sizeof(*ks));
	char *line = NULL;
	size_t cap = 0;

	if (!ks)
		return NULL;
	while (getline(&line, &cap, in) > 0) {
		if (parse_line(ks, line) < 0) {
			free(line);
			kallsyms__free(ks);
			errno = ENOMEM;
			return NULL;
		}
	}
	free(line);
	if (ferror(in)) {
		kallsyms__free(ks);
		errno = EIO;
		return NULL;
	}
	for (size_t i = 0; i < ks->count; i++) {
		struct ksym *s = &ks->syms[i];

		s->name = ks->arena + (uintptr_t)s->name;
		s->module = s->module ? ks->arena + (uintptr_t)s->module : kernel_module;
	}
	if (ks->count)
		qsort(ks->syms, ks->count, sizeof(*ks->syms), cmp_addr);
	return ks;
}

void kallsyms__free(struct kallsyms *ks)
{
	if (!ks)
		return;
	free(ks->syms);
	free(ks->arena);
	free(ks);
}

bool kallsyms__hidden(const struct kallsyms *ks)
{
	return ks->count && !ks->any_nonzero;
}

size_t kallsyms__count(const struct kallsyms *ks)
{
	return ks->count;
}

bool kallsyms__lookup(const struct kallsyms *ks, uint64_t addr, const char **ret_name,
		      const char **ret_module, uint64_t *ret_offset)
{
	size_t lo = 0, hi = ks->count;

	if (!ks->any_nonzero)
		return false;
	/* The last symbol whose address is <= addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return false;
	*ret_name = ks->syms[lo - 1].name;
	*ret_module = ks->syms[lo - 1].module;
	*ret_offset = addr - ks->syms[lo - 1].addr;
	return true;
}

bool kallsyms__address(const struct kallsyms *ks, const char *name, uint64_t *ret_addr)
{
	for (size_t i = 0; i < ks->count; i++) {
		if (!strcmp(ks->syms[i].name, name)) {
			*ret_addr = ks->syms[i].addr;
			return true;
		}
	}
	return false;
}

bool kallsyms__kernel_address(const struct kallsyms *ks, const char *name, uint64_t *ret_addr)
{
	/* sorted by address: the first match of the core image is its lowest */
	for (size_t i = 0; i < ks->count; i++) {
		if (ks->syms[i].module == kernel_module && !strcmp(ks->syms[i].name, name)) {
			*ret_addr = ks->syms[i].addr;
			return true;
		}
	}
	return false;
}
