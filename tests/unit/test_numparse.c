// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include "util/numparse.h"

static void test_u64(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(numparse__u64("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(numparse__u64("0", 0, 100, &v), 0);
	assert_int_equal(numparse__u64("101", 0, 100, &v), -ERANGE);
	assert_int_equal(numparse__u64("0", 1, 100, &v), -ERANGE);
	assert_int_equal(numparse__u64("99999999999999999999999", 0, UINT64_MAX, &v), -ERANGE);
	assert_int_equal(numparse__u64("", 0, 100, &v), -EINVAL);
	assert_int_equal(numparse__u64("-1", 0, 100, &v), -EINVAL);
	assert_int_equal(numparse__u64("+1", 0, 100, &v), -EINVAL);
	assert_int_equal(numparse__u64(" 1", 0, 100, &v), -EINVAL);
	assert_int_equal(numparse__u64("1x", 0, 100, &v), -EINVAL);
	assert_int_equal(numparse__u64("abc", 0, 100, &v), -EINVAL);
	assert_int_equal(numparse__u64(NULL, 0, 100, &v), -EINVAL);
}

static void test_seconds(void **state)
{
	double s = 0;

	(void)state;
	assert_int_equal(numparse__seconds("0.5", 0.01, 10, &s), 0);
	assert_true(s == 0.5);
	assert_int_equal(numparse__seconds("2", 0.01, 10, &s), 0);
	assert_true(s == 2.0);
	assert_int_equal(numparse__seconds("0", 0.01, 10, &s), -ERANGE);
	assert_int_equal(numparse__seconds("11", 0.01, 10, &s), -ERANGE);
	assert_int_equal(numparse__seconds("1e400", 0.01, 10, &s), -ERANGE);
	assert_int_equal(numparse__seconds("inf", 0.01, 10, &s), -EINVAL);
	assert_int_equal(numparse__seconds("nan", 0.01, 10, &s), -EINVAL);
	assert_int_equal(numparse__seconds("0x10", 0.01, 100, &s), -EINVAL);
	assert_int_equal(numparse__seconds("1s", 0.01, 10, &s), -EINVAL);
	assert_int_equal(numparse__seconds("-1", 0.01, 10, &s), -EINVAL);
	assert_int_equal(numparse__seconds("", 0.01, 10, &s), -EINVAL);
}

static void test_duration(void **state)
{
	uint64_t ns = 0;

	(void)state;
	assert_int_equal(numparse__duration_ns("500us", &ns), 0);
	assert_int_equal(ns, 500000);
	assert_int_equal(numparse__duration_ns("2ms", &ns), 0);
	assert_int_equal(ns, 2000000);
	assert_int_equal(numparse__duration_ns("1.5s", &ns), 0);
	assert_int_equal(ns, 1500000000);
	assert_int_equal(numparse__duration_ns("100ns", &ns), 0);
	assert_int_equal(ns, 100);
	assert_int_equal(numparse__duration_ns("250", &ns), 0);
	assert_int_equal(ns, 250000);
	assert_int_equal(numparse__duration_ns("0", &ns), 0);
	assert_int_equal(ns, 0);
	assert_int_equal(numparse__duration_ns("5m", &ns), -EINVAL);
	assert_int_equal(numparse__duration_ns("ms", &ns), -EINVAL);
	assert_int_equal(numparse__duration_ns("-1ms", &ns), -EINVAL);
	assert_int_equal(numparse__duration_ns("2days", &ns), -EINVAL);
	assert_int_equal(numparse__duration_ns("100000s", &ns), -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_seconds),
		cmocka_unit_test(test_duration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
