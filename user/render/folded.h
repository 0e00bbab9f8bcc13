/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Identical stacks, counted: the folded-stack format of flamegraph.pl, inferno and speedscope
 * ("comm;outer;...;inner count", kernel frames suffixed "_[k]"). No I/O beyond the stream given.
 */
#ifndef PS_FOLDED_H
#define PS_FOLDED_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "stacks/stack_frame.h"

struct folded;

struct folded *folded__new(void);
void folded__free(struct folded *f);

/* Counts one event's stacks: the process name, the user frames outermost first, then the kernel
 * frames. Returns 0 or -ENOMEM. */
int folded__add_event(struct folded *f, const char *comm, size_t comm_len,
		      const struct event_stacks *st);
/* Counts @count more of a stack already in folded form ("a;b;c"). Returns 0 or -ENOMEM. */
int folded__add(struct folded *f, const char *stack, uint64_t count);

/* The distinct stacks, sorted (call folded__sort first), and their counts. */
void folded__sort(struct folded *f);
size_t folded__size(const struct folded *f);
const char *folded__stack(const struct folded *f, size_t i);
uint64_t folded__count(const struct folded *f, size_t i);
uint64_t folded__total(const struct folded *f);

/* "stack count" lines, sorted. */
void folded__print(struct folded *f, FILE *out);

#endif
