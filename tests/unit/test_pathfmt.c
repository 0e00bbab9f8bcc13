// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include "core/fsinfo.h"
#include "core/pathfmt.h"

static void expect_normalized(const char *raw, const char *want)
{
	char buf[PS_DISPLAY_PATH_LEN];

	assert_int_equal(pathfmt__normalize(raw, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

static void test_pid_paths(void **state)
{
	(void)state;
	expect_normalized("/proc/1234/status", "/proc/[pid]/status");
	expect_normalized("/proc/self/stat", "/proc/[pid]/stat");
	expect_normalized("/proc/1/task/1240/stat", "/proc/[pid]/task/[tid]/stat");
	expect_normalized("/proc/self/task/7/comm", "/proc/[pid]/task/[tid]/comm");
	expect_normalized("/proc/thread-self/stat", "/proc/[pid]/task/[tid]/stat");
	/* descriptors: one file per directory, whatever the number */
	expect_normalized("/proc/1/fd/3", "/proc/[pid]/fd/[fd]");
	expect_normalized("/proc/self/fdinfo/100000", "/proc/[pid]/fdinfo/[fd]");
	expect_normalized("/proc/1/task/2/fd/0", "/proc/[pid]/task/[tid]/fd/[fd]");
	expect_normalized("/proc/thread-self/fdinfo/7", "/proc/[pid]/task/[tid]/fdinfo/[fd]");
	expect_normalized("/proc/1/fd", "/proc/[pid]/fd");
	expect_normalized("/proc/1/net/fd/3", "/proc/[pid]/net/fd/3");
	expect_normalized("/sys/fd/3", "/sys/fd/3");
	expect_normalized("/proc/42", "/proc/[pid]");
}

static void test_paths_left_alone(void **state)
{
	(void)state;
	expect_normalized("/proc/cpuinfo", "/proc/cpuinfo");
	expect_normalized("/proc/sys/kernel/pid_max", "/proc/sys/kernel/pid_max");
	/* Numbers are pids only directly under /proc, tids only under [pid]/task. */
	expect_normalized("/proc/sys/net/ipv4/conf/1/x", "/proc/sys/net/ipv4/conf/1/x");
	expect_normalized("/proc/net/task/12", "/proc/net/task/12");
	expect_normalized("/sys/devices/system/cpu/cpu0/online",
			  "/sys/devices/system/cpu/cpu0/online");
	expect_normalized("/sys/1234", "/sys/1234");
	expect_normalized("/procfoo/12", "/procfoo/12");
	expect_normalized("/proc/12a/stat", "/proc/12a/stat");
}

static void test_slashes_collapse(void **state)
{
	(void)state;
	expect_normalized("//proc//1//stat/", "/proc/[pid]/stat");
	expect_normalized("/", "/");
	expect_normalized("", "/");
}

static void test_too_long(void **state)
{
	char small[12];

	(void)state;
	assert_int_equal(pathfmt__normalize("/proc/1/status", small, sizeof(small)), -ENAMETOOLONG);
	assert_int_equal(pathfmt__normalize("/proc/cpu", small, sizeof(small)), 0);
	assert_int_equal(pathfmt__normalize("/", small, 0), -ENAMETOOLONG);
}

static void test_display(void **state)
{
	struct ps_file_key key = { .fs = PS_FS_PROC };
	char buf[PS_DISPLAY_PATH_LEN];

	(void)state;
	strcpy(key.path, "/[pid]/stat");
	pathfmt__display(&key, buf, sizeof(buf));
	assert_string_equal(buf, "/proc/[pid]/stat");

	key.fs = PS_FS_SYSFS;
	strcpy(key.path, "/kernel/mm/x");
	key.truncated = 1;
	pathfmt__display(&key, buf, sizeof(buf));
	assert_string_equal(buf, "/sys/kernel/mm/x...");

	key.fs = PS_FS_CGROUP2;
	key.truncated = 0;
	strcpy(key.path, PS_OTHER_PATH);
	pathfmt__display(&key, buf, sizeof(buf));
	assert_string_equal(buf, "[other]");

	/* A key whose path fills the whole array (no NUL) is still bounded. */
	memset(key.path, 'a', sizeof(key.path));
	pathfmt__display(&key, buf, sizeof(buf));
	assert_int_equal(strlen(buf), strlen(fsinfo__prefix(PS_FS_CGROUP2)) + PS_PATH_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pid_paths),	 cmocka_unit_test(test_paths_left_alone),
		cmocka_unit_test(test_slashes_collapse), cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_display),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
