// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/impact.h"

static void add(struct impact_set *s, uint32_t reader, uint32_t target, const char *tcomm,
		uint64_t reads, uint64_t hold_ns, uint64_t wait_ns)
{
	struct impact_row r;

	memset(&r, 0, sizeof(r));
	r.key.reader_tgid = reader;
	r.key.target_tgid = target;
	r.st.reads = reads;
	r.st.holds = reads;
	r.st.hold_ns = hold_ns;
	r.st.waits = wait_ns ? 1 : 0;
	r.st.wait_ns = wait_ns;
	strncpy(r.st.target_comm, tcomm, sizeof(r.st.target_comm) - 1);
	assert_int_equal(impact_set__add_row(s, &r), 0);
}

static void add_target(struct impact_set *s, uint32_t tgid, const char *comm, uint64_t waits,
		       uint64_t wait_ns, uint64_t charged_ns)
{
	struct impact_target t;

	memset(&t, 0, sizeof(t));
	t.tgid = tgid;
	t.w.waits = waits;
	t.w.wait_ns = wait_ns;
	t.w.charged_ns = charged_ns;
	strncpy(t.w.comm, comm, sizeof(t.w.comm) - 1);
	assert_int_equal(impact_set__add_target(s, &t), 0);
}

/* Counts are differences, idle rows and targets go, new ones come whole. */
static void test_delta(void **state)
{
	struct impact_set prev = { 0 }, cur = { 0 }, d = { 0 };

	(void)state;
	add(&prev, 10, 20, "db", 5, 100, 40);
	add(&prev, 11, 20, "db", 3, 10, 0);
	add_target(&prev, 20, "db", 7, 500, 40);
	add(&cur, 11, 20, "db", 3, 10, 0); /* idle */
	add(&cur, 10, 20, "db", 8, 160, 90);
	add(&cur, 12, 30, "web", 1, 1, 0); /* new */
	add_target(&cur, 20, "db", 9, 800, 90);
	add_target(&cur, 30, "web", 0, 0, 0); /* no wait yet */
	impact_set__sort(&prev);
	impact_set__sort(&cur);
	assert_int_equal(impact_set__delta(&prev, &cur, &d), 0);
	assert_int_equal(d.nrows, 2);
	assert_int_equal(d.rows[0].key.reader_tgid, 10);
	assert_int_equal(d.rows[0].st.reads, 3);
	assert_int_equal(d.rows[0].st.hold_ns, 60);
	assert_int_equal(d.rows[0].st.wait_ns, 50);
	assert_int_equal(d.rows[1].key.reader_tgid, 12);
	assert_int_equal(d.rows[1].st.reads, 1);
	assert_int_equal(d.ntargets, 1);
	assert_int_equal(d.targets[0].w.waits, 2);
	assert_int_equal(d.targets[0].w.wait_ns, 300);
	assert_int_equal(impact_target__uncharged_ns(&d.targets[0]), 250);
	impact_set__free(&prev);
	impact_set__free(&cur);
	impact_set__free(&d);
}

static void test_keep_targets_and_order(void **state)
{
	struct impact_set s = { 0 };

	(void)state;
	add(&s, 1, 20, "postgres", 1, 5, 10);
	add(&s, 2, 20, "postgres", 1, 50, 30);
	add(&s, 3, 30, "redis-server", 1, 7, 0);
	add_target(&s, 20, "postgres", 1, 1, 1);
	add_target(&s, 30, "redis-server", 1, 1, 1);
	impact_set__sort_by_wait(&s);
	assert_int_equal(s.rows[0].key.reader_tgid, 2); /* most wait caused first */
	assert_int_equal(s.rows[1].key.reader_tgid, 1);
	impact_set__keep_targets(&s, 0, "redis-server");
	assert_int_equal(s.nrows, 1);
	assert_int_equal(s.rows[0].key.target_tgid, 30);
	assert_int_equal(s.ntargets, 1);
	impact_set__keep_targets(&s, 31, NULL);
	assert_int_equal(s.nrows, 0);
	assert_int_equal(s.ntargets, 0);
	impact_set__free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_keep_targets_and_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
