/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Builds the normalized, superblock-relative path of a pseudo-file by walking its dentries.
 * bpf_d_path is not allowed in vfs_read or the syscall tracepoints, so the walk is done by hand.
 *
 * Normalization happens here, before the path becomes a map key, so that per-process entries
 * cannot multiply: in procfs a numeric directory right under the root becomes "[pid]", a
 * numeric directory under "[pid]/task" becomes "[tid]", and a descriptor's entry under "fd" or
 * "fdinfo" (of a process or a thread) becomes "[fd]", so that a process with 100,000 descriptors
 * is one file. /proc/self and /proc/thread-self are
 * symlinks, so the dentries already name the numeric directories. user/core/pathfmt.c applies the
 * same rules to path strings from outside (tests, --path patterns) and adds the mount prefix.
 */
#ifndef PS_PATH_BPF_H
#define PS_PATH_BPF_H

#include "maps.bpf.h"

#define PS_PATH_MASK (PS_PATH_LEN - 1)
#define PS_NAME_MAX 64 /* longest component copied; longer ones mark the path truncated */

/* "[pid]" / "[tid]" padded with NULs to 8 bytes: one store overwrites a pid of up to 7 digits
 * and its NUL, so no digit is left behind after the new terminator. */
#define PS_PID_WORD 0x0000005d6469705bULL /* "[pid]\0\0\0" little-endian */
#define PS_TID_WORD 0x0000005d6469745bULL /* "[tid]\0\0\0" */
#define PS_FD_WORD 0x000000005d64665bULL  /* "[fd]\0\0\0\0" */

static __always_inline bool name_is_number(const char *s, int len)
{
	if (len < 1 || len > 7)
		return false;
	for (int i = 0; i < 7; i++) {
		if (i >= len)
			break;
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

static __always_inline bool name_is_task(const char *s, int len)
{
	return len == 4 && s[0] == 't' && s[1] == 'a' && s[2] == 's' && s[3] == 'k';
}

/* "fd" or "fdinfo": a directory of one entry per descriptor. */
static __always_inline bool name_is_fd_dir(const char *s, int len)
{
	return (len == 2 ||
		(len == 6 && s[2] == 'i' && s[3] == 'n' && s[4] == 'f' && s[5] == 'o')) &&
	       s[0] == 'f' && s[1] == 'd';
}

/*
 * Fills scratch->key.path with the path of @dentry relative to its superblock root ("/1/stat"
 * becomes "/[pid]/stat"). With @mnt, the mount @dentry was reached through, the walk goes on
 * through the mount points above it to the root of its mount namespace (an executable on a
 * separate /usr still reads /usr/bin/ps). The key must be zeroed beforehand: map keys compare
 * all bytes.
 */
static __always_inline void path__build(struct ps_key_scratch *scratch, struct dentry *dentry,
					struct vfsmount *mnt, bool is_proc)
{
	/* container_of with the running kernel's offset (CO-RE), not vmlinux.h's */
	struct mount *m =
		mnt ? (struct mount *)((void *)mnt - bpf_core_field_offset(struct mount, mnt))
		    : NULL;
	struct dentry *d = dentry, *mnt_root = mnt ? BPF_CORE_READ(mnt, mnt_root) : NULL;
	char *buf = scratch->key.path;
	bool under_pid = false, under_task = false, at_root = false;
	int fd_at = 0; /* the level of a descriptor's number (after fd/ or fdinfo/), 0: none */
	int depth = 0;
	__u32 off = 0;

	/* Leaf to root: remember the dentries, stop at the root (its own parent). They are kept in
	 * the scratch map, not on the stack: 5.10's verifier refuses variable-offset stack reads.
	 * A mount crossing takes a step of the walk but no component. The count lives in the
	 * scratch map too, read back through a volatile load: the verifier then sees one unknown
	 * count per step rather than every exact count every mix of crossings and components can
	 * reach (with mounts, 150,000 instructions more to verify).
	 */
	scratch->depth = 0;
	for (int i = 0; i < PS_MAX_DEPTH; i++) {
		struct dentry *parent;

		if (m && d == mnt_root) {
			struct mount *up = BPF_CORE_READ(m, mnt_parent);

			if (!up || up == m) {
				at_root = true;
				break;
			}
			d = BPF_CORE_READ(m, mnt_mountpoint);
			m = up;
			mnt_root = BPF_CORE_READ(m, mnt.mnt_root);
			continue;
		}
		parent = BPF_CORE_READ(d, d_parent);
		if (!parent || parent == d) {
			at_root = true;
			break;
		}
		depth = *(volatile __u32 *)&scratch->depth;
		scratch->chain[depth & (PS_MAX_DEPTH - 1)] = d;
		scratch->depth = depth + 1;
		d = parent;
	}
	/* Out of steps: cut unless the walk stands exactly at its end (the root of the last
	 * mount, or the superblock root without mounts). */
	if (!at_root) {
		struct mount *up = m && d == mnt_root ? BPF_CORE_READ(m, mnt_parent) : NULL;

		if (up ? up != m : BPF_CORE_READ(d, d_parent) != d)
			scratch->key.truncated = 1;
	}
	/* The depth from memory too: the verifier then checks the loop below once rather than
	 * once per depth (the difference between 336,000 and a few thousand instructions). */
	depth = *(volatile __u32 *)&scratch->depth;

	/* Root to leaf: "/name" per component. */
	for (int j = 0; j < PS_MAX_DEPTH; j++) {
		int level = depth - 1 - j; /* index into chain */
		const unsigned char *name;
		struct dentry *component;
		__u32 pos;
		long n;

		if (level < 0)
			break;
		if (off >= PS_PATH_LEN - PS_NAME_MAX - 1) {
			scratch->key.truncated = 1;
			break;
		}
		/* The compiler knows off is small here and would drop the masks the verifier needs
		 * (5.10 and 6.1 then see a pointer of unknown range). */
		barrier_var(off);
		pos = off & PS_PATH_MASK;
		buf[pos] = '/';
		pos = (pos + 1) & PS_PATH_MASK;
		/* Loaded outside BPF_CORE_READ: the scratch struct is ours, not the kernel's. */
		component = scratch->chain[level & (PS_MAX_DEPTH - 1)];
		name = BPF_CORE_READ(component, d_name.name);
		n = bpf_probe_read_kernel_str(&buf[pos], PS_NAME_MAX, name);
		if (n <= 0)
			break;
		n--; /* the NUL */
		if (n == PS_NAME_MAX - 1)
			scratch->key.truncated = 1;
		if (is_proc && j == 0 && name_is_number(&buf[pos], n)) {
			*(__u64 *)&buf[pos] = PS_PID_WORD;
			n = 5;
			under_pid = true;
		} else if (under_pid && j == 1) {
			under_task = name_is_task(&buf[pos], n);
			fd_at = name_is_fd_dir(&buf[pos], n) ? 2 : 0;
		} else if (under_task && j == 2 && name_is_number(&buf[pos], n)) {
			*(__u64 *)&buf[pos] = PS_TID_WORD;
			n = 5;
		} else if (under_task && j == 3) {
			fd_at = name_is_fd_dir(&buf[pos], n) ? 4 : 0;
		} else if (fd_at && j == fd_at && name_is_number(&buf[pos], n)) {
			*(__u64 *)&buf[pos] = PS_FD_WORD;
			n = 4;
		}
		off = pos + n;
	}
}

/* The path of @task's executable into @ret_exe (PS_PATH_LEN bytes; empty for a kernel thread),
 * built in the scratch key. Returns whether it was truncated. */
static __always_inline __u8 path__exe(struct ps_key_scratch *scratch, struct task_struct *task,
				      char *ret_exe)
{
	struct file *exe = BPF_CORE_READ(task, mm, exe_file);

	__builtin_memset(&scratch->key, 0, sizeof(scratch->key));
	if (exe)
		path__build(scratch, BPF_CORE_READ(exe, f_path.dentry),
			    BPF_CORE_READ(exe, f_path.mnt), false);
	__builtin_memcpy(ret_exe, scratch->key.path, PS_PATH_LEN);
	return scratch->key.truncated;
}

#endif /* PS_PATH_BPF_H */
