// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/pathfmt.h"
#include "core/snapshot.h"

static struct ps_file_key key_of(unsigned int fs, const char *path, uint32_t tgid)
{
	struct ps_file_key k;

	memset(&k, 0, sizeof(k));
	k.fs = (uint8_t)fs;
	k.tgid = tgid;
	strncpy(k.path, path, sizeof(k.path) - 1);
	return k;
}

static struct ps_file_stats reads(uint64_t n, uint64_t bytes)
{
	struct ps_file_stats s;

	memset(&s, 0, sizeof(s));
	s.reads = n;
	s.read_bytes = bytes;
	return s;
}

static void add(struct snapshot *s, unsigned int fs, const char *path, struct ps_file_stats st)
{
	struct ps_file_key k = key_of(fs, path, 0);

	assert_int_equal(snapshot__add(s, &k, &st), 0);
}

static void test_delta(void **state)
{
	struct snapshot prev, cur, d;
	struct ps_file_stats st;

	(void)state;
	snapshot__init(&prev);
	snapshot__init(&cur);
	snapshot__init(&d);
	add(&prev, PS_FS_PROC, "/[pid]/stat", reads(10, 1000));
	add(&prev, PS_FS_SYSFS, "/idle", reads(5, 50));
	add(&cur, PS_FS_SYSFS, "/idle", reads(5, 50)); /* no activity: left out */
	add(&cur, PS_FS_PROC, "/[pid]/stat", reads(25, 2500));
	add(&cur, PS_FS_PROC, "/new", reads(3, 30)); /* new since prev */
	st = reads(0, 0);
	st.writes = 2;
	st.write_bytes = 4;
	add(&cur, PS_FS_PROC, PS_OTHER_PATH, st);
	cur.fn_hits[PS_HOOK_SHOW_CPUINFO] = 9;
	prev.fn_hits[PS_HOOK_SHOW_CPUINFO] = 4;
	cur.counters[PS_CNT_FILES_FULL] = 7;
	prev.counters[PS_CNT_FILES_FULL] = 5;
	snapshot__sort(&prev);
	snapshot__sort(&cur);
	assert_int_equal(snapshot__delta(&prev, &cur, &d), 0);
	assert_int_equal(d.nrows, 3);
	assert_int_equal(d.fn_hits[PS_HOOK_SHOW_CPUINFO], 5);
	assert_int_equal(d.counters[PS_CNT_FILES_FULL], 2);
	snapshot__sort_by(&d, SORT_READS);
	assert_string_equal(d.rows[0].key.path, "/[pid]/stat");
	assert_int_equal(d.rows[0].st.reads, 15);
	assert_int_equal(d.rows[0].st.read_bytes, 1500);
	assert_string_equal(d.rows[1].key.path, "/new");
	assert_int_equal(d.rows[1].st.reads, 3);
	assert_string_equal(d.rows[2].key.path, PS_OTHER_PATH);
	snapshot__sort_by(&d, SORT_WBYTES);
	assert_string_equal(d.rows[0].key.path, PS_OTHER_PATH);

	struct fs_totals t[PS_FS_COUNT];

	snapshot__fs_totals(&d, t);
	assert_int_equal(t[PS_FS_PROC].reads, 18);
	assert_int_equal(t[PS_FS_PROC].writes, 2);
	assert_int_equal(t[PS_FS_SYSFS].reads, 0);

	/* Without a previous snapshot, everything is new. */
	struct snapshot all;

	snapshot__init(&all);
	assert_int_equal(snapshot__delta(NULL, &cur, &all), 0);
	assert_int_equal(all.nrows, 4);
	snapshot__free(&all);
	snapshot__free(&prev);
	snapshot__free(&cur);
	snapshot__free(&d);
	snapshot__free(NULL);
}

/* --self-cost: a delta holds what each program cost in the interval. */
static void test_program_cost_delta(void **state)
{
	struct snapshot prev, cur, delta;
	uint64_t ns, runs;

	(void)state;
	snapshot__init(&prev);
	snapshot__init(&cur);
	snapshot__init(&delta);
	prev.cost_enabled = cur.cost_enabled = true;
	prev.nprograms = cur.nprograms = 2;
	prev.programs[0] = (struct program_cost){ "a", 100, 10 };
	prev.programs[1] = (struct program_cost){ "b", 50, 5 };
	cur.programs[0] = (struct program_cost){ "a", 400, 13 };
	cur.programs[1] = (struct program_cost){ "b", 50, 5 };
	assert_int_equal(snapshot__delta(&prev, &cur, &delta), 0);
	assert_true(delta.cost_enabled);
	assert_int_equal(delta.nprograms, 2);
	assert_string_equal(delta.programs[0].name, "a");
	assert_int_equal(delta.programs[0].run_ns, 300);
	assert_int_equal(delta.programs[0].runs, 3);
	assert_int_equal(delta.programs[1].runs, 0);
	snapshot__total_cost(&delta, &ns, &runs);
	assert_int_equal(ns, 300);
	assert_int_equal(runs, 3);
	snapshot__free(&delta);
	snapshot__free(&cur);
	snapshot__free(&prev);
}

static void test_per_process_keys_differ(void **state)
{
	struct snapshot prev, cur, d;
	struct ps_file_key a = key_of(PS_FS_PROC, "/[pid]/stat", 100);
	struct ps_file_key b = key_of(PS_FS_PROC, "/[pid]/stat", 200);
	struct ps_file_stats s1 = reads(1, 1), s2 = reads(2, 2);

	(void)state;
	snapshot__init(&prev);
	snapshot__init(&cur);
	snapshot__init(&d);
	assert_int_equal(snapshot__add(&prev, &a, &s1), 0);
	assert_int_equal(snapshot__add(&cur, &a, &s2), 0);
	assert_int_equal(snapshot__add(&cur, &b, &s2), 0);
	snapshot__sort(&prev);
	snapshot__sort(&cur);
	assert_int_equal(snapshot__delta(&prev, &cur, &d), 0);
	assert_int_equal(d.nrows, 2);
	snapshot__sort_by(&d, SORT_READS);
	assert_int_equal(d.rows[0].key.tgid, 200);
	assert_int_equal(d.rows[0].st.reads, 2);
	assert_int_equal(d.rows[1].key.tgid, 100);
	assert_int_equal(d.rows[1].st.reads, 1);
	snapshot__free(&prev);
	snapshot__free(&cur);
	snapshot__free(&d);
}

static void test_accumulate_and_latency(void **state)
{
	struct ps_file_stats sum, cpu0, cpu1;

	(void)state;
	memset(&sum, 0, sizeof(sum));
	cpu0 = reads(4, 40);
	cpu0.lat_count = 4;
	cpu0.lat_sum_ns = 4000;
	cpu0.lat_hist[9] = 3;  /* [512, 1024) ns */
	cpu0.lat_hist[11] = 1; /* [2048, 4096) ns */
	cpu0.lat_max_ns = 3000;
	cpu0.lat_max_epoch = 7;
	cpu1 = reads(2, 20);
	cpu1.lat_count = 2;
	cpu1.lat_sum_ns = 8000;
	cpu1.lat_hist[12] = 2;
	cpu1.lat_max_ns = 99999; /* an older epoch: not this interval's */
	cpu1.lat_max_epoch = 6;
	stats__accumulate(&sum, &cpu0, 7);
	stats__accumulate(&sum, &cpu1, 7);
	assert_int_equal(sum.reads, 6);
	assert_int_equal(sum.read_bytes, 60);
	assert_int_equal(sum.lat_max_ns, 3000);
	assert_int_equal(stats__avg_lat_ns(&sum), 2000);
	memset(&sum, 0, sizeof(sum));
	assert_int_equal(stats__avg_lat_ns(&sum), 0);
}

static void test_sort_field_names(void **state)
{
	enum sort_field f;

	(void)state;
	assert_int_equal(sort_field__parse("rbytes", &f), 0);
	assert_int_equal(f, SORT_RBYTES);
	assert_int_equal(sort_field__parse("lat", &f), 0);
	assert_int_equal(f, SORT_LAT);
	assert_int_not_equal(sort_field__parse("bytes", &f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_program_cost_delta),
		cmocka_unit_test(test_per_process_keys_differ),
		cmocka_unit_test(test_accumulate_and_latency),
		cmocka_unit_test(test_sort_field_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
