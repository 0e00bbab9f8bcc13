// SPDX-License-Identifier: GPL-2.0-only
/*
 * PS_SYSCALLS (procscope.h), the numbers the tracepoint mode filters by, against the kernel
 * headers of the architecture this test is built for (<asm/unistd.h>: linux-libc-dev, and its
 * arm64 twin for the cross build, run through qemu): a number cannot drift, and a system call
 * the architecture does not have is PS_NR_NONE in the table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <asm/unistd.h>
#include "procscope.h"

/* The calls asm-generic's table (arm64's) left out: the header has no number for them. */
#ifndef __NR_open
#define __NR_open PS_NR_NONE
#endif
#ifndef __NR_creat
#define __NR_creat PS_NR_NONE
#endif
#ifndef __NR_getdents
#define __NR_getdents PS_NR_NONE
#endif
#ifndef __NR_readlink
#define __NR_readlink PS_NR_NONE
#endif
#ifndef __NR_stat
#define __NR_stat PS_NR_NONE
#endif
#ifndef __NR_lstat
#define __NR_lstat PS_NR_NONE
#endif

static void test_numbers_match_headers(void **state)
{
	int checked = 0, differ = 0;

	(void)state;
#define CHECK(name, x86_64, arm64, op)                                                     \
	do {                                                                               \
		checked++;                                                                 \
		if (PS_NR(x86_64, arm64) != __NR_##name) {                                 \
			differ++;                                                          \
			print_error("%s: %s is %d in PS_SYSCALLS, %d in <asm/unistd.h>\n", \
				    PS_ARCH, #name, PS_NR(x86_64, arm64), __NR_##name);    \
		}                                                                          \
	} while (0);
	PS_SYSCALLS(CHECK)
#undef CHECK
	printf("%s: %d system call numbers checked\n", PS_ARCH, checked);
	assert_int_equal(differ, 0);
}

/* The legacy hooks go with the legacy numbers: arm64 has neither. */
static void test_legacy_calls_follow_the_table(void **state)
{
	(void)state;
	assert_int_equal(PS_ARCH_LEGACY_SYSCALLS, PS_NR(2, PS_NR_NONE) != PS_NR_NONE);
	assert_int_equal(PS_ARCH_LEGACY_SYSCALLS, __NR_getdents != PS_NR_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_match_headers),
		cmocka_unit_test(test_legacy_calls_follow_the_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
