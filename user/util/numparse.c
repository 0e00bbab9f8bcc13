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

int numparse__duration_ns(const char *s, uint64_t *ret_ns)
{
	static const struct {
		const char *suffix;
		double ns;
	} units[] = { { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "", 1e3 } };
	char number[32];
	double v;
	int r;

	if (!s)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t len = strlen(s), slen = strlen(units[i].suffix);

		if (len <= slen || len - slen >= sizeof(number) ||
		    strcmp(s + len - slen, units[i].suffix) != 0)
			continue;
		memcpy(number, s, len - slen);
		number[len - slen] = '\0';
		if (number[len - slen - 1] < '0' || number[len - slen - 1] > '9')
			continue; /* "5ms" must not be read as "5m" + "s" */
		r = numparse__seconds(number, 0, 86400e9 / units[i].ns, &v);
		if (r)
			return r;
		*ret_ns = (uint64_t)(v * units[i].ns + 0.5);
		return 0;
	}
	return -EINVAL;
}
