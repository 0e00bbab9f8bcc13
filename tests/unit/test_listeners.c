// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <string.h>
#include "audit/listeners.h"

struct seen {
	uint64_t inodes[8];
	int n;
};

static void note(void *ctx, uint64_t inode)
{
	struct seen *s = ctx;

	if (s->n < 8)
		s->inodes[s->n++] = inode;
}

static int parse(const char *text, struct seen *s)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int r;

	assert_non_null(f);
	memset(s, 0, sizeof(*s));
	r = listeners__parse_net(f, note, s);
	fclose(f);
	return r;
}

/* Lines as Debian 12's kernel writes them: a listener, an established connection, a listener
 * of IPv6 on any address, a TIME_WAIT (inode 0). */
static void test_parse_net(void **state)
{
	struct seen s;

	(void)state;
	assert_int_equal(parse("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
			       "retrnsmt   uid  timeout inode\n"
			       "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 "
			       "00000000     0        0 31337 1 0000000000000000 100 0 0 10 0\n"
			       "   1: 0100007F:A2C4 0100007F:1F90 01 00000000:00000000 00:00000000 "
			       "00000000  1000        0 4242 1 0000000000000000 20 4 30 10 -1\n"
			       "   2: 0100007F:C350 0100007F:1F90 06 00000000:00000000 03:00000F9A "
			       "00000000     0        0 0 3 0000000000000000\n",
			       &s),
			 0);
	assert_int_equal(s.n, 1);
	assert_true(s.inodes[0] == 31337);
	assert_int_equal(
		parse("  sl  local_address                         remote_address                  "
		      "      st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
		      "   0: 00000000000000000000000000000000:0016 "
		      "00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 "
		      "00000000     0        0 18890 1 0000000000000000 100 0 0 10 0\n",
		      &s),
		0);
	assert_int_equal(s.n, 1);
	assert_true(s.inodes[0] == 18890);
	assert_int_equal(parse("  sl  local_address\n", &s), 0); /* none */
	assert_int_equal(s.n, 0);
	assert_int_equal(parse("header\n   0: 0100007F:1F90 garbage\n", &s), -EINVAL);
}

static void test_parse_stat(void **state)
{
	uint32_t ppid = 0;
	uint64_t t = 0;

	(void)state;
	assert_int_equal(listeners__parse_stat("1234 (nginx) S 1 1234 1234 0 -1 4194560 197 0 0 0 "
					       "0 0 0 0 20 0 1 0 98765 10743808 1180\n",
					       &ppid, &t),
			 0);
	assert_int_equal(ppid, 1);
	assert_true(t == 98765);
	/* a name with spaces and parentheses, as any process may choose */
	assert_int_equal(listeners__parse_stat("77 (a) b (c) R 70 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 "
					       "0 1 0 4242 0 0",
					       &ppid, &t),
			 0);
	assert_int_equal(ppid, 70);
	assert_true(t == 4242);
	assert_int_equal(listeners__parse_stat("77 (x) R 1 2 3", &ppid, &t), -EINVAL); /* short */
	assert_int_equal(listeners__parse_stat("no parenthesis", &ppid, &t), -EINVAL);
	assert_int_equal(listeners__parse_stat("77 (x) R 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 "
					       "12x 0",
					       &ppid, &t),
			 -EINVAL);
	assert_int_equal(listeners__parse_stat("77 (x) R p 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 "
					       "12 0",
					       &ppid, &t),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_net),
		cmocka_unit_test(test_parse_stat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
