/* SPDX-License-Identifier: GPL-2.0-only */
/* Filesystem classification by superblock magic: the first test on every hot path. */
#ifndef PS_FS_BPF_H
#define PS_FS_BPF_H

#include "maps.bpf.h"

static __always_inline int fs_of_magic(unsigned long magic)
{
	switch (magic) {
	case PS_MAGIC_PROC:
		return PS_FS_PROC;
	case PS_MAGIC_SYSFS:
		return PS_FS_SYSFS;
	case PS_MAGIC_CGROUP:
		return PS_FS_CGROUP;
	case PS_MAGIC_CGROUP2:
		return PS_FS_CGROUP2;
	case PS_MAGIC_DEBUGFS:
		return PS_FS_DEBUGFS;
	case PS_MAGIC_TRACEFS:
		return PS_FS_TRACEFS;
	case PS_MAGIC_SECURITYFS:
		return PS_FS_SECURITYFS;
	default:
		return -1;
	}
}

static __always_inline int fs_selected(unsigned long magic)
{
	int fs = fs_of_magic(magic);

	if (fs < 0 || !(cfg.fs_mask & (1u << fs)))
		return -1;
	return fs;
}

/*
 * The enum ps_fs of a file when its filesystem is one the user selected, else -1. Regular files,
 * pipes and sockets leave here after three pointer loads and a compare, before any map is touched.
 */
static __always_inline int file_traced_fs(const struct file *file)
{
	if (!file)
		return -1;
	return fs_selected(BPF_CORE_READ(file, f_inode, i_sb, s_magic));
}

/*
 * The same for a file pointer the verifier knows the type of (an fentry/fexit argument): plain
 * loads instead of three bpf_probe_read_kernel calls, on the path every read of every file takes
 * (a faulting load reads zero, as the helper would).
 */
static __always_inline int typed_file_traced_fs(const struct file *file)
{
	return fs_selected(file->f_inode->i_sb->s_magic);
}

#endif /* PS_FS_BPF_H */
