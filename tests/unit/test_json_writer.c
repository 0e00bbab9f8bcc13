// SPDX-License-Identifier: GPL-2.0-only
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "render/json_writer.h"

struct capture {
	char *buf;
	size_t len;
	FILE *f;
	struct json_writer w;
};

static void start(struct capture *c)
{
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	json__init(&c->w, c->f);
}

static void finish(struct capture *c, const char *want)
{
	fclose(c->f);
	assert_string_equal(c->buf, want);
	free(c->buf);
}

static void test_nesting_and_commas(void **state)
{
	struct capture c;

	(void)state;
	start(&c);
	json__begin_object(&c.w);
	json__key(&c.w, "a");
	json__u64(&c.w, 1);
	json__key(&c.w, "list");
	json__begin_array(&c.w);
	json__u64(&c.w, 18446744073709551615ull);
	json__begin_object(&c.w);
	json__end_object(&c.w);
	json__null(&c.w);
	json__bool(&c.w, true);
	json__end_array(&c.w);
	json__key(&c.w, "d");
	json__double(&c.w, 0.25);
	json__key(&c.w, "nan");
	json__double(&c.w, NAN);
	json__end_object(&c.w);
	json__end_record(&c.w);
	/* A second record starts clean. */
	json__begin_array(&c.w);
	json__end_array(&c.w);
	json__end_record(&c.w);
	finish(&c,
	       "{\"a\":1,\"list\":[18446744073709551615,{},null,true],\"d\":0.25,\"nan\":null}\n"
	       "[]\n");
}

static void test_escaping(void **state)
{
	struct capture c;

	(void)state;
	start(&c);
	json__begin_array(&c.w);
	json__string(&c.w, "q\"b\\n\nt\tc\x01\x7f");
	json__string(&c.w, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	json__string(&c.w, "bad\xff\xc3(\xe0\x80\x80\xed\xa0\x80");
	json__string_n(&c.w, "abcdef", 3);
	json__end_array(&c.w);
	finish(&c, "[\"q\\\"b\\\\n\\nt\\tc\\u0001\\u007f\","
		   "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\","
		   "\"bad\\ufffd\\ufffd(\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\","
		   "\"abc\"]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting_and_commas),
		cmocka_unit_test(test_escaping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
