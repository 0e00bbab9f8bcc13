// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "numparse.h"

int numparse__u64(const char *s, uint64_t min, uint64_t max, uint64_t *ret_value)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || strchr("+- \t", s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*ret_value = v;
	return 0;
}

int numparse__seconds(const char *s, double min, double max, double *ret_seconds)
{
	double v;
	char *end;

	if (!s || !*s || strchr("+- \t", s[0]))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	/* strtod also takes hex, "inf" and "nan": none is a duration. */
	if (*end || strpbrk(s, "xXiInN"))
		return -EINVAL;
	if (errno == ERANGE || !isfinite(v) || v < min || v > max)
		return -ERANGE;
	*ret_seconds = v;
	return 0;
}
