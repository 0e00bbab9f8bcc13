// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>
#include "namelist.h"

int namelist__parse(const char *list, namelist_mask_fn mask_of, uint32_t *ret_mask,
		    const char **ret_bad, int *ret_bad_len)
{
	uint32_t mask = 0;
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");
		uint32_t m = len ? mask_of(p, len) : 0;

		if (!m) {
			*ret_bad = p;
			*ret_bad_len = (int)len;
			return -EINVAL;
		}
		mask |= m;
		if (!p[len])
			break;
		p += len + 1;
	}
	*ret_mask = mask;
	return 0;
}

int namelist__entry(const char *list, const char *at)
{
	int entry = 1;

	for (const char *p = list; p < at; p++)
		entry += *p == ',';
	return entry;
}
