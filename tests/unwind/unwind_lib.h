/* SPDX-License-Identifier: GPL-2.0-only */
/* The middle of unwind_target's chain: in the program, or in libpsunwind.so (UNWIND_LIB). */
#ifndef UNWIND_LIB_H
#define UNWIND_LIB_H

#include <stddef.h>

long unwind_middle(int fd, char *buf, size_t len);
long unwind_leaf(int fd, char *buf, size_t len);

#endif
