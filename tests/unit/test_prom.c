// SPDX-License-Identifier: GPL-2.0-only
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/listen_addr.h"
#include "core/pathfmt.h"
#include "render/prom.h"

static char *capture(void (*fn)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, arg);
	fclose(f);
	return buf;
}

static void label(FILE *f, const void *s)
{
	prom__label_value(f, s, strlen(s));
}

static void test_label_escaping(void **state)
{
	char *out;

	(void)state;
	out = capture(label, "a\"b\\c\nd\te\xff\xc3\xa9");
	assert_string_equal(out, "a\\\"b\\\\c\\nd\te\xef\xbf\xbd\xc3\xa9");
	free(out);
	/* an escape last, a sequence cut by the end, plain text only */
	out = capture(label, "x\"");
	assert_string_equal(out, "x\\\"");
	free(out);
	out = capture(label, "ok\xc3");
	assert_string_equal(out, "ok\xef\xbf\xbd");
	free(out);
	out = capture(label, "/sys/class/net/eth0/mtu");
	assert_string_equal(out, "/sys/class/net/eth0/mtu");
	free(out);
}

static void label3(FILE *f, const void *s)
{
	prom__label_value(f, s, 3);
}

/* At most len bytes: a path buffer is not NUL-terminated when full. */
static void test_label_bounded(void **state)
{
	char *out;

	(void)state;
	out = capture(label3, "abcdef");
	assert_string_equal(out, "abc");
	free(out);
	out = capture(label3, "a\xc3\xa9");
	assert_string_equal(out, "a\xc3\xa9");
	free(out);
}

static void add_row(struct snapshot *s, uint32_t tgid, const char *comm, const char *path,
		    uint64_t reads, uint64_t lat_bucket)
{
	struct ps_file_key k;
	struct ps_file_stats st;

	memset(&k, 0, sizeof(k));
	memset(&st, 0, sizeof(st));
	k.fs = PS_FS_PROC;
	k.tgid = tgid;
	strncpy(k.comm, comm, sizeof(k.comm) - 1);
	strncpy(k.path, path, sizeof(k.path) - 1);
	st.reads = reads;
	st.read_bytes = reads * 10;
	st.lat_count = reads;
	st.lat_sum_ns = reads * 1000;
	st.lat_hist[lat_bucket] = reads;
	assert_int_equal(snapshot__add(s, &k, &st), 0);
}

struct render_args {
	const struct snapshot *s;
	const struct prom_info *info;
};

static void render(FILE *f, const void *arg)
{
	const struct render_args *a = arg;

	assert_int_equal(prom__render(f, a->s, a->info), 0);
	prom__scrape_duration(f, 0.0015);
}

static void test_per_process_merges_pids_of_one_name(void **state)
{
	struct snapshot s;
	struct prom_info info = { .version = "1.0",
				  .mode = "fentry",
				  .kernel = "6.1.0",
				  .per_process = true,
				  .max_files = 8 };
	struct render_args a = { &s, &info };
	char *out;

	(void)state;
	snapshot__init(&s);
	add_row(&s, 100, "agent", "/[pid]/stat", 3, 10);
	add_row(&s, 200, "agent", "/[pid]/stat", 4, 11);
	add_row(&s, 300, "other", "/[pid]/stat", 5, 10);
	add_row(&s, 0, "", PS_OTHER_PATH, 1, 12);
	s.fn_available[PS_HOOK_SHOW_CPUINFO] = true;
	s.fn_hits[PS_HOOK_SHOW_CPUINFO] = 6;
	s.counters[PS_CNT_FILES_FULL] = 1;
	out = capture(render, &a);
	assert_non_null(strstr(out,
			       "# TYPE procscope_file_reads_total counter\n"
			       "procscope_file_reads_total{fs=\"proc\",path=\"/proc/[pid]/stat\","
			       "comm=\"agent\"} 7\n"
			       "procscope_file_reads_total{fs=\"proc\",path=\"/proc/[pid]/stat\","
			       "comm=\"other\"} 5\n"
			       "procscope_file_reads_total{fs=\"proc\",path=\"[other]\","
			       "comm=\"[other]\"} 1\n"));
	/* Histogram: cumulative, then +Inf, sum and count; buckets 10, 11, 12 are 2048, 4096
	 * and 8192 ns. */
	assert_non_null(strstr(
		out, "procscope_read_latency_seconds_bucket{fs=\"proc\",le=\"1.024e-06\"} 0\n"
		     "procscope_read_latency_seconds_bucket{fs=\"proc\",le=\"2.048e-06\"} 8\n"
		     "procscope_read_latency_seconds_bucket{fs=\"proc\",le=\"4.096e-06\"} 12\n"
		     "procscope_read_latency_seconds_bucket{fs=\"proc\",le=\"8.192e-06\"} 13\n"));
	assert_non_null(strstr(out,
			       "procscope_read_latency_seconds_bucket{fs=\"proc\",le=\"+Inf\"} 13\n"
			       "procscope_read_latency_seconds_sum{fs=\"proc\"} 0.000013000\n"
			       "procscope_read_latency_seconds_count{fs=\"proc\"} 13\n"));
	assert_null(strstr(out, "fs=\"sysfs\""));
	assert_non_null(
		strstr(out, "procscope_function_calls_total{function=\"show_cpuinfo\"} 6\n"));
	assert_null(strstr(out, "function=\"vfs_read\""));
	assert_non_null(strstr(out, "procscope_build_info{version=\"1.0\",mode=\"fentry\","
				    "kernel=\"6.1.0\"} 1\n"));
	assert_non_null(strstr(out, "procscope_dropped_total{reason=\"files_full\"} 1\n"));
	assert_non_null(strstr(out, "procscope_tracked_files 3\n"));
	assert_non_null(strstr(out, "procscope_max_files 8\n"));
	assert_non_null(strstr(out, "procscope_scrape_duration_seconds 0.001500\n"));
	free(out);
	snapshot__free(&s);
}

static void test_without_per_process(void **state)
{
	struct snapshot s;
	struct prom_info info = { .version = "1", .mode = "tracepoint", .kernel = "k" };
	struct render_args a = { &s, &info };
	char *out;

	(void)state;
	snapshot__init(&s);
	add_row(&s, 0, "", "/cpuinfo", 2, 3);
	out = capture(render, &a);
	assert_non_null(strstr(
		out, "procscope_file_read_bytes_total{fs=\"proc\",path=\"/proc/cpuinfo\"} 20\n"));
	assert_null(strstr(out, "comm="));
	assert_null(strstr(out, "procscope_function_calls_total{"));
	assert_null(strstr(out, "procscope_bpf_")); /* no --self-cost */
	free(out);
	snapshot__free(&s);
}

/* --self-cost: each program's run time and runs, as counters. */
static void test_self_cost(void **state)
{
	struct snapshot s;
	struct prom_info info = { .version = "1", .mode = "tracepoint", .kernel = "k" };
	struct render_args a = { &s, &info };
	char *out;

	(void)state;
	snapshot__init(&s);
	s.cost_enabled = true;
	s.nprograms = 2;
	s.programs[0] = (struct program_cost){ "tp__sys_enter", 1500000000, 3000 };
	s.programs[1] = (struct program_cost){ "tp__sys_exit", 250, 1 };
	out = capture(render, &a);
	assert_non_null(strstr(out, "# TYPE procscope_bpf_run_seconds_total counter\n"
				    "procscope_bpf_run_seconds_total{program=\"tp__sys_enter\"} "
				    "1.500000000\n"
				    "procscope_bpf_run_seconds_total{program=\"tp__sys_exit\"} "
				    "0.000000250\n"));
	assert_non_null(strstr(out, "procscope_bpf_runs_total{program=\"tp__sys_enter\"} 3000\n"
				    "procscope_bpf_runs_total{program=\"tp__sys_exit\"} 1\n"));
	free(out);
	snapshot__free(&s);
}

static void add_impact_row(struct snapshot *s, uint32_t slot, const char *comm, const char *path,
			   uint64_t reads, uint64_t wait_ns)
{
	struct impact_row r;

	memset(&r, 0, sizeof(r));
	r.key.file_slot = slot;
	strncpy(r.key.reader_comm, comm, sizeof(r.key.reader_comm) - 1);
	r.file.fs = PS_FS_PROC;
	strncpy(r.file.path, path, sizeof(r.file.path) - 1);
	r.st.reads = reads;
	r.st.hold_ns = reads * 1000;
	r.st.waits = 1;
	r.st.wait_ns = wait_ns;
	assert_int_equal(impact_set__add_row(&s->impact, &r), 0);
}

/* daemon --impact: a series per (reader name, file), the slots of one path (--per-process)
 * merged, the overflow row as [other]; the targets' waits summed, without labels. */
static void test_impact(void **state)
{
	struct snapshot s;
	struct prom_info info = {
		.version = "1", .mode = "tracepoint", .kernel = "k", .impact = true
	};
	struct render_args a = { &s, &info };
	struct impact_target t = { .tgid = 0, .w = { .waits = 7, .wait_ns = 2500000000 } };
	char *out;

	(void)state;
	snapshot__init(&s);
	add_impact_row(&s, 3, "agent", "/[pid]/smaps", 4, 1000000000);
	add_impact_row(&s, 1, "a\"b", "/[pid]/maps", 1, 5);
	add_impact_row(&s, 9, "agent", "/[pid]/smaps", 2, 500000000);
	add_impact_row(&s, PS_SLOT_NONE, PS_IMPACT_OTHER, "", 1, 0);
	assert_int_equal(impact_set__add_target(&s.impact, &t), 0);
	s.counters[PS_CNT_IMPACT_FULL] = 2;
	out = capture(render, &a);
	assert_non_null(strstr(out, "# TYPE procscope_impact_reads_total counter\n"
				    "procscope_impact_reads_total{reader_comm=\"[other]\","
				    "file=\"[other]\"} 1\n"
				    "procscope_impact_reads_total{reader_comm=\"a\\\"b\","
				    "file=\"/proc/[pid]/maps\"} 1\n"
				    "procscope_impact_reads_total{reader_comm=\"agent\","
				    "file=\"/proc/[pid]/smaps\"} 6\n"));
	assert_non_null(strstr(out, "procscope_impact_wait_seconds_total{reader_comm=\"agent\","
				    "file=\"/proc/[pid]/smaps\"} 1.500000000\n"));
	assert_non_null(strstr(out, "procscope_impact_waits_total{reader_comm=\"agent\","
				    "file=\"/proc/[pid]/smaps\"} 2\n"));
	assert_non_null(strstr(out, "procscope_impact_target_waits_total 7\n"));
	assert_non_null(strstr(out, "procscope_impact_target_wait_seconds_total 2.500000000\n"));
	assert_non_null(strstr(out, "procscope_dropped_total{reason=\"impact_full\"} 2\n"));
	free(out);
	info.impact = false;
	out = capture(render, &a);
	assert_null(strstr(out, "procscope_impact_"));
	assert_null(strstr(out, "reason=\"impact_full\""));
	free(out);
	snapshot__free(&s);
}

static void test_listen_addr(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char err[128], text[64];

	(void)state;
	assert_int_equal(listen_addr__parse("127.0.0.1:9110", &ss, &len, err, sizeof(err)), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), 9110);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	assert_int_equal(listen_addr__parse("[::1]:80", &ss, &len, err, sizeof(err)), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, text, sizeof(text));
	assert_string_equal(text, "::1");
	assert_int_equal(listen_addr__parse("[::]:1", &ss, &len, err, sizeof(err)), 0);
	assert_int_equal(listen_addr__parse("0.0.0.0:65535", &ss, &len, err, sizeof(err)), 0);

	assert_int_not_equal(listen_addr__parse("9110", &ss, &len, err, sizeof(err)), 0);
	assert_string_equal(err, "expected ADDR:PORT");
	assert_int_not_equal(listen_addr__parse("127.0.0.1:0", &ss, &len, err, sizeof(err)), 0);
	assert_string_equal(err, "port '0' is not a number from 1 to 65535");
	assert_int_not_equal(listen_addr__parse("localhost:80", &ss, &len, err, sizeof(err)), 0);
	assert_string_equal(err, "'localhost' is not an IPv4 address (IPv6 goes in brackets)");
	assert_int_not_equal(listen_addr__parse("::1:80", &ss, &len, err, sizeof(err)), 0);
	assert_int_not_equal(listen_addr__parse("[::1]80", &ss, &len, err, sizeof(err)), 0);
	assert_string_equal(err, "expected [IPV6]:PORT");
	assert_int_not_equal(listen_addr__parse("[1.2.3.4]:80", &ss, &len, err, sizeof(err)), 0);
	assert_string_equal(err, "'1.2.3.4' is not an IPv6 address");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_label_bounded),
		cmocka_unit_test(test_per_process_merges_pids_of_one_name),
		cmocka_unit_test(test_without_per_process),
		cmocka_unit_test(test_self_cost),
		cmocka_unit_test(test_impact),
		cmocka_unit_test(test_listen_addr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
