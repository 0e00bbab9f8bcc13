// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/sizedstream.h"

/* Writes @n lines of "line <i>\n" to a stream expecting @expected bytes; checks what it holds. */
static void write_lines(size_t expected, int n)
{
	char *buf = NULL, want[32];
	size_t len = 0, pos = 0;
	FILE *f = sizedstream__open(expected, &buf, &len);

	assert_non_null(f);
	for (int i = 0; i < n; i++)
		fprintf(f, "line %d\n", i);
	assert_int_equal(fclose(f), 0);
	assert_non_null(buf);
	for (int i = 0; i < n; i++) {
		int w = snprintf(want, sizeof(want), "line %d\n", i);

		assert_memory_equal(buf + pos, want, (size_t)w);
		pos += (size_t)w;
	}
	assert_int_equal(len, pos);
	assert_int_equal(buf[len], '\0');
	free(buf);
}

static void test_grows_past_expected(void **state)
{
	(void)state;
	write_lines(0, 0);
	write_lines(4, 1);
	write_lines(16, 100000); /* many times the start, across stdio's own buffer */
}

static void test_within_expected(void **state)
{
	(void)state;
	write_lines(1 << 20, 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grows_past_expected),
		cmocka_unit_test(test_within_expected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
