// SPDX-License-Identifier: GPL-2.0-only
/* libpsunwind.so: unwind_target's middle and leaf in a shared library (see unwind_target.c). */
#include <unistd.h>
#include "unwind_lib.h"

__attribute__((noinline)) long unwind_leaf(int fd, char *buf, size_t len)
{
	long r = pread(fd, buf, len, 0);

	__asm__ volatile("" ::: "memory");
	return r;
}

__attribute__((noinline)) long unwind_middle(int fd, char *buf, size_t len)
{
	long r = unwind_leaf(fd, buf, len);

	__asm__ volatile("" ::: "memory");
	return r;
}
