// SPDX-License-Identifier: GPL-2.0-only
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "sizedstream.h"

struct sized {
	char *buf;
	size_t len, cap;
	bool failed; /* a write found no memory: fclose() reports it */
	char **ret_buf;
	size_t *ret_len;
};

static ssize_t sized_write(void *cookie, const char *data, size_t n)
{
	struct sized *s = cookie;

	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap + s->cap / 2;
		char *buf;

		if (cap < s->len + n + 1)
			cap = s->len + n + 1;
		buf = realloc(s->buf, cap);
		if (!buf) {
			s->failed = true;
			return -1;
		}
		s->buf = buf;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	return (ssize_t)n;
}

static int sized_close(void *cookie)
{
	struct sized *s = cookie;
	int r = 0;

	if (s->failed) {
		free(s->buf);
		s->buf = NULL;
		s->len = 0;
		errno = ENOMEM;
		r = -1;
	} else {
		s->buf[s->len] = '\0';
	}
	*s->ret_buf = s->buf;
	*s->ret_len = s->len;
	free(s);
	return r;
}

FILE *sizedstream__open(size_t expected, char **ret_buf, size_t *ret_len)
{
	static const cookie_io_functions_t io = { .write = sized_write, .close = sized_close };
	struct sized *s = calloc(1, sizeof(*s));
	FILE *f;

	if (!s)
		return NULL;
	s->cap = expected + 1;
	s->buf = malloc(s->cap);
	s->ret_buf = ret_buf;
	s->ret_len = ret_len;
	f = s->buf ? fopencookie(s, "w", io) : NULL;
	if (!f) {
		free(s->buf);
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	return f;
}
