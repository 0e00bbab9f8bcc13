// SPDX-License-Identifier: GPL-2.0-only
/*
 * A program as distributions build them, for the user-stack tests (trace -U): no frame
 * pointers. Its chain to the read is main -> unwind_outer -> unwind_middle -> unwind_leaf ->
 * pread (the C library's), each a function of its own, so a frame-pointer walk loses them and
 * an unwinder must find every one.
 *
 *   unwind_target PATH N [DEPTH]
 *
 * N x pread(4 KiB at offset 0) of PATH, through DEPTH (default 0) more calls of unwind_deep,
 * each with 1 KiB of stack, between unwind_outer and unwind_middle: a stack deeper than the
 * copy. Built as unwind_o2 (-O2, no debug information: names from the symbol table) and
 * unwind_nofp (-O2 -g -fomit-frame-pointer); with UNWIND_LIB, as unwind_lib, whose middle and
 * leaf are in libpsunwind.so. Prints {"pid": P, "calls": C, "bytes": B, "errors": E}.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "unwind_lib.h"

#ifndef UNWIND_LIB
__attribute__((noinline)) long unwind_leaf(int fd, char *buf, size_t len)
{
	long r = pread(fd, buf, len, 0);

	__asm__ volatile("" ::: "memory"); /* the call stays a call, not a jump */
	return r;
}

__attribute__((noinline)) long unwind_middle(int fd, char *buf, size_t len)
{
	long r = unwind_leaf(fd, buf, len);

	__asm__ volatile("" ::: "memory");
	return r;
}
#endif

/* Recursion with a frame too large for the copy of the stack to hold many. */
__attribute__((noinline)) static long unwind_deep(int depth, int fd, char *buf, size_t len)
{
	volatile char pad[1024];
	long r;

	pad[0] = (char)depth;
	r = depth > 0 ? unwind_deep(depth - 1, fd, buf, len) : unwind_middle(fd, buf, len);
	return r + pad[0] - (char)depth;
}

__attribute__((noinline)) static void unwind_outer(const char *path, long n, int depth,
						   long *calls, long *bytes, long *errors)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		++*errors;
		return;
	}
	for (long i = 0; i < n; i++) {
		long r = unwind_deep(depth, fd, buf, sizeof(buf));

		if (r < 0) {
			++*errors;
		} else {
			++*calls;
			*bytes += r;
		}
	}
	close(fd);
}

int main(int argc, char **argv)
{
	long calls = 0, bytes = 0, errors = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: %s PATH N [DEPTH]\n", argv[0]);
		return 2;
	}
	unwind_outer(argv[1], atol(argv[2]), argc > 3 ? atoi(argv[3]) : 0, &calls, &bytes,
		     &errors);
	printf("{\"pid\": %d, \"calls\": %ld, \"bytes\": %ld, \"errors\": %ld}\n", (int)getpid(),
	       calls, bytes, errors);
	return errors ? 1 : 0;
}
