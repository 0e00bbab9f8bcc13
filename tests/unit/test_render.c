// SPDX-License-Identifier: GPL-2.0-only
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/pathfmt.h"
#include "render/render_stat.h"
#include "render/render_top.h"

/* 2026-11-22T18:43:01.250Z */
static const struct interval_info info = {
	.wall = { .tv_sec = 1795372981, .tv_nsec = 250000000 },
	.interval_s = 0.5,
	.mode = "tracepoint",
};

static void one_row(struct snapshot *s, const char *comm)
{
	struct ps_file_key k;
	struct ps_file_stats st;

	memset(&k, 0, sizeof(k));
	memset(&st, 0, sizeof(st));
	k.fs = PS_FS_PROC;
	k.tgid = 42;
	strcpy(k.path, "/[pid]/stat");
	st.reads = 3;
	st.read_bytes = 2048;
	st.lat_count = 3;
	st.lat_sum_ns = 4500;
	st.lat_max_ns = 2000;
	memcpy(k.comm, comm, strnlen(comm, sizeof(k.comm)));
	snapshot__init(s);
	assert_int_equal(snapshot__add(s, &k, &st), 0);
	s->counters[PS_CNT_FILES_FULL] = 1;
}

static char *render(void (*fn)(FILE *, const void *), const void *view)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, view);
	fclose(f);
	return buf;
}

static void top_json(FILE *f, const void *v)
{
	render_top__json(f, v);
}

static void top_table(FILE *f, const void *v)
{
	render_top__table(f, v);
}

static void stat_json(FILE *f, const void *v)
{
	render_stat__json(f, v);
}

static void stat_table(FILE *f, const void *v)
{
	render_stat__header(f, v);
	render_stat__row(f, v);
}

static void test_top_json(void **state)
{
	struct snapshot s;
	struct top_view v = { .info = &info, .per_process = true };
	char *out;

	(void)state;
	one_row(&s, "a\"b\nc");
	v.delta = &s;
	out = render(top_json, &v);
	assert_string_equal(out,
			    "{\"time\":\"2026-11-22T18:43:01.250Z\",\"interval_s\":0.5,"
			    "\"mode\":\"tracepoint\",\"files\":[{\"path\":\"/proc/[pid]/stat\","
			    "\"fs\":\"proc\",\"pid\":42,\"comm\":\"a\\\"b\\nc\",\"reads\":3,"
			    "\"read_bytes\":2048,\"writes\":0,\"write_bytes\":0,\"errors\":0,"
			    "\"avg_lat_ns\":1500,\"max_lat_ns\":2000,\"opens\":0,\"dir_reads\":0,"
			    "\"dir_entries\":0,\"link_reads\":0,\"stats\":0}],\"dropped\":1,"
			    "\"unmatched\":0,\"truncated\":0,\"missed\":0}\n");
	free(out);
	snapshot__free(&s);
}

static void test_top_table_escapes(void **state)
{
	struct snapshot s;
	struct top_view v = { .info = &info, .per_process = true };
	char *out;

	(void)state;
	one_row(&s, "evil\x1b[2J\n");
	v.delta = &s;
	out = render(top_table, &v);
	/* No raw escape or newline from the name reaches the terminal. */
	assert_null(strchr(out, '\x1b'));
	assert_non_null(strstr(out, "evil\\x1b[2J\\x0a"));
	assert_non_null(strstr(out, "    PID COMM                 READS"));
	assert_non_null(strstr(out,
			       "     42 evil\\x1b[2J\\x0a          3        2.0         0        "
			       "0.0     1.5us     2.0us       0       0       0       0 proc       "
			       "/proc/[pid]/stat\n"));
	free(out);
	snapshot__free(&s);
}

static void test_top_rows_limit(void **state)
{
	struct snapshot s;
	struct top_view v = { .info = &info, .max_rows = 1 };
	char *out;

	(void)state;
	one_row(&s, "x");
	struct ps_file_key k = s.rows[0].key;
	strcpy(k.path, "/other");
	assert_int_equal(snapshot__add(&s, &k, &s.rows[0].st), 0);
	v.delta = &s;
	out = render(top_json, &v);
	assert_non_null(strstr(out, "/proc/[pid]/stat"));
	assert_null(strstr(out, "/proc/other"));
	free(out);
	snapshot__free(&s);
}

static void test_stat(void **state)
{
	struct snapshot s;
	struct stat_view v = { .info = &info, .fs_mask = 1u << PS_FS_PROC };
	char *out;

	(void)state;
	one_row(&s, "");
	s.fn_available[PS_HOOK_SHOW_CPUINFO] = true;
	s.fn_hits[PS_HOOK_SHOW_CPUINFO] = 8;
	s.prog_misses = 2;
	v.delta = &s;
	out = render(stat_json, &v);
	assert_non_null(strstr(out, "\"dropped\":1,\"missed\":2}"));
	assert_non_null(strstr(out,
			       "\"fs\":{\"proc\":{\"reads\":3,\"read_bytes\":2048,\"writes\":0,"
			       "\"write_bytes\":0,\"errors\":0,\"reads_per_s\":6,"
			       "\"read_bytes_per_s\":4096,"));
	assert_non_null(strstr(out, "\"vfs_read\":null"));
	assert_non_null(strstr(out, "\"show_cpuinfo\":{\"calls\":8,\"per_s\":16}"));
	assert_null(strstr(out, "sysfs"));
	free(out);
	out = render(stat_table, &v);
	/* Only attached functions get a column. */
	assert_non_null(strstr(out, "TIME      proc:R/s proc:RKiB/s  proc:W/s show_cpuinfo\n"));
	assert_non_null(strstr(out, "      6.0         4.0       0.0         16.0\n"));
	assert_null(strstr(out, "vfs_read"));
	free(out);
	snapshot__free(&s);
}

static void test_latency_units(void **state)
{
	char b[16];

	(void)state;
	render__latency(0, b, sizeof(b));
	assert_string_equal(b, "-");
	render__latency(850, b, sizeof(b));
	assert_string_equal(b, "850ns");
	render__latency(3100, b, sizeof(b));
	assert_string_equal(b, "3.1us");
	render__latency(12000000, b, sizeof(b));
	assert_string_equal(b, "12.0ms");
	render__latency(1200000000, b, sizeof(b));
	assert_string_equal(b, "1.20s");
	assert_string_equal(hook__name(PS_HOOK_PROC_SYS_CALL_HANDLER), "proc_sys_call_handler");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_top_json),       cmocka_unit_test(test_top_table_escapes),
		cmocka_unit_test(test_top_rows_limit), cmocka_unit_test(test_stat),
		cmocka_unit_test(test_latency_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
