/* SPDX-License-Identifier: GPL-2.0-only */
/* Arrays that grow by doubling: the one realloc pattern of the user-space code. */
#ifndef PS_GROWARRAY_H
#define PS_GROWARRAY_H

#include <errno.h>
#include <stdlib.h>

/* Makes room in *@v (@n elements of @size used of *@cap) for one more, doubling from @first.
 * Returns 0, or -ENOMEM with *@v untouched. */
static inline int growarray__reserve(void **v, size_t n, size_t *cap, size_t size, size_t first)
{
	size_t bigger_cap = *cap ? *cap * 2 : first;
	void *bigger;

	if (n < *cap)
		return 0;
	bigger = realloc(*v, bigger_cap * size);
	if (!bigger)
		return -ENOMEM;
	*v = bigger;
	*cap = bigger_cap;
	return 0;
}

#endif
