/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Executable files as the kernel tells them apart: inode number and the device of the
 * filesystem in the kernel's encoding, which BPF programs read from a process's exe_file. For
 * the audit's lists of programs (servers, the allowlist under --enforce), named by path globs.
 */
#ifndef PS_EXE_ID_H
#define PS_EXE_ID_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct exe_id {
	uint64_t ino;
	uint32_t dev; /* major << 20 | minor, as struct super_block's s_dev */
};

/* The kernel's encoding of a device number (MKDEV). */
uint32_t exe_id__kernel_dev(dev_t dev);

/* The regular files the @n path globs name now (glob(3): '*' does not cross '/'), into a
 * malloc'd array. Returns the number found, or -errno. */
int exe_id__resolve(char *const *globs, size_t n, struct exe_id **ret_ids);

#endif
